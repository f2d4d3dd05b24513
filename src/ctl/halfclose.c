/* halfclose.c - the halfclose verb: whether closing data for writing
 * shuts the sending side down, as socat and ncat do at end of input
 * (files/halfclose.c does it). */
#include "cmd.h"
#include "verbs.h"

#include <errno.h>

int ctl_halfclose(struct ctl_cmd *c)
{
	json_t *enable = NULL;

	if (ctl_unpack(c, "{s:s, s?o}", "op", &(const char *){0}, "enable", &enable))
		return -EINVAL;
	if (enable && !json_is_boolean(enable) && !json_is_null(enable))
		return ctl_fail(c, EINVAL,
				"halfclose: enable must be true, false or null (the mount's "
				"default), got %s",
				json_is_string(enable) ? json_string_value(enable)
						       : "another type");
	c->s->halfclose = !enable ? 1 : json_is_null(enable) ? 0 : json_is_true(enable) ? 1 : -1;
	c->reply = json_pack("{s:o}", "halfclose",
			     enable && json_is_null(enable) ? json_null()
							    : json_boolean(c->s->halfclose > 0));
	return 0;
}
