/* err.h - the JSON form of errors: {"error": {errno, name, message, op}}. */
#ifndef SOCKFS_ERR_H
#define SOCKFS_ERR_H

#include <jansson.h>

/* errnum > 0. message NULL means strerror(errnum). op may be NULL (json
 * null). Returns a new reference (never NULL unless out of memory). */
json_t *err_json(int errnum, const char *op, const char *message);

/* The errno a getaddrinfo/getnameinfo error maps to (see fs-layout.md). */
int err_gai_errno(int gai, int sys_errno);

/* The error object of a failed getaddrinfo: errno from err_gai_errno, the
 * gai_strerror text and "gai": {"errno": gai, "name": "EAI_..."}. */
json_t *err_gai_json(int gai, int sys_errno, const char *op);

#endif
