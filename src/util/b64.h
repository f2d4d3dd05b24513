/* b64.h - base64 (RFC 4648, with padding) for bytes in JSON. */
#ifndef SOCKFS_B64_H
#define SOCKFS_B64_H

#include <stddef.h>

/* A new NUL-terminated string, or NULL when out of memory. */
char *b64_encode(const void *p, size_t n);
/* Decode text into a new buffer (*out, *outlen; free it). Whitespace is
 * not allowed; padding is optional. Returns 0, -EINVAL or -ENOMEM. */
int b64_decode(const char *text, size_t len, unsigned char **out, size_t *outlen);

#endif
