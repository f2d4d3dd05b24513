/* seconds.h - timeouts as the socket module writes them (seconds, a
 * number >= 0, or none for blocking), in ms: -1 blocking, 0 non-blocking. */
#ifndef SOCKFS_SECONDS_H
#define SOCKFS_SECONDS_H

#include <jansson.h>
#include <stddef.h>

/* The largest timeout accepted, in seconds. */
#define SECONDS_MAX 1e9

/* Text: "2.5", "0", "none" or "null" (blocking); trailing newlines and
 * spaces are ignored. 0 with *ms, or -EINVAL. */
int seconds_parse(const char *text, size_t len, long *ms);
/* JSON: a number of seconds or null. 0 with *ms, or -EINVAL. */
int seconds_from_json(const json_t *v, long *ms);
/* JSON for a timeout: seconds, or null when blocking. New reference. */
json_t *seconds_json(long ms);

#endif
