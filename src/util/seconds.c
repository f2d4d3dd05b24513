/* seconds.c - timeouts in seconds, read once for every place that takes
 * one (the mount option, the defaulttimeout file, settimeout). */
#include "seconds.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int seconds_ms(double v, long *ms)
{
	if (!(v >= 0) || v > SECONDS_MAX)
		return -EINVAL;
	*ms = (long)(v * 1000.0 + 0.5);
	return 0;
}

int seconds_parse(const char *text, size_t len, long *ms)
{
	char buf[64], *end;
	double v;

	while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
		len--;
	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, text, len);
	buf[len] = 0;
	if (!strcmp(buf, "none") || !strcmp(buf, "null")) {
		*ms = -1;
		return 0;
	}
	errno = 0;
	v = strtod(buf, &end);
	if (errno || *end)
		return -EINVAL;
	return seconds_ms(v, ms);
}

int seconds_from_json(const json_t *v, long *ms)
{
	if (json_is_null(v)) {
		*ms = -1;
		return 0;
	}
	if (!json_is_number(v))
		return -EINVAL;
	return seconds_ms(json_number_value(v), ms);
}

json_t *seconds_json(long ms)
{
	return ms < 0 ? json_null() : json_real((double)ms / 1000.0);
}
