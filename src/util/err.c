/* err.c - error replies. */
#include "err.h"

#include "names.h"

#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

/* A message as a JSON string. Messages quote what users wrote, cut to a
 * length, and a cut may split a UTF-8 character, which JSON cannot carry:
 * then every byte outside ASCII becomes '?'. */
static json_t *err_message(const char *message)
{
	json_t *j = json_string(message);
	char *ascii;

	if (j)
		return j;
	ascii = strdup(message);
	if (!ascii)
		return NULL;
	for (char *p = ascii; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	j = json_string(ascii);
	free(ascii);
	return j;
}

json_t *err_json(int errnum, const char *op, const char *message)
{
	char buf[256];

	if (!message)
		message = strerror_r(errnum, buf, sizeof(buf));
	return json_pack("{s:{s:i, s:s, s:o, s:s?}}", "error", "errno", errnum, "name",
			 names_errno_name(errnum), "message", err_message(message), "op", op);
}

int err_gai_errno(int gai, int sys_errno)
{
	switch (gai) {
	case EAI_NONAME:
	case EAI_NODATA:
	case EAI_ADDRFAMILY:
		return ENXIO;
	case EAI_AGAIN:
		return EAGAIN;
	case EAI_FAIL:
		return EIO;
	case EAI_MEMORY:
		return ENOMEM;
	case EAI_FAMILY:
		return EAFNOSUPPORT;
	case EAI_SOCKTYPE:
		return ESOCKTNOSUPPORT;
	case EAI_SYSTEM:
		return sys_errno > 0 ? sys_errno : EIO;
	default:
		return EINVAL;
	}
}

json_t *err_gai_json(int gai, int sys_errno, const char *op)
{
	int e = err_gai_errno(gai, sys_errno);
	const char *msg = gai == EAI_SYSTEM ? NULL : gai_strerror(gai);
	json_t *j = err_json(e, op, msg);
	const char *name = names_name(names_eai, gai);

	if (j)
		json_object_set_new(
		    json_object_get(j, "error"), "gai",
		    json_pack("{s:i, s:s}", "errno", gai, "name", name ? name : "EAI_UNKNOWN"));
	return j;
}
