/* msg.h - the pure parts of the framed message file (msgs): payloads as
 * JSON (UTF-8 text or base64), base64 both ways, and the parsing of a
 * message to send. No sockets here, so the unit tests can reach it all. */
#ifndef SOCKFS_MSG_H
#define SOCKFS_MSG_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MSG_MAX_FDS 64
/* Ancillary items to send: at most this many, each at most this long. */
#define MSG_ANC_MAX	 64
#define MSG_ANC_DATA_MAX 4096

/* True when p[0..n) is valid UTF-8 (no overlongs, no surrogates). */
bool msg_utf8_valid(const unsigned char *p, size_t n);

/* Add "data" and "encoding" to obj: "utf-8" text when the bytes are valid
 * UTF-8, "base64" otherwise. Returns 0 or -ENOMEM. */
int msg_set_payload(json_t *obj, const unsigned char *p, size_t n);

/* A message to send, parsed from one JSON object:
 *   {"data": "...", "encoding": "utf-8"|"base64", "address": ...,
 *    "flags": ["MSG_X", ...] | "MSG_X|MSG_Y" | int,
 *    "fds": [id | {"fd": n}, ...],
 *    "ancillary": [{"level", "type", "data": base64} | {"NAME": value}, ...]}
 * data is required; the others are optional. */
struct msg_out {
	unsigned char *data; /* malloc'd */
	size_t len;
	json_t *address; /* borrowed from the parsed object, or NULL */
	int flags;
	uint64_t fds[MSG_MAX_FDS]; /* socket ids; 0 where pfds[i] says */
	int pfds[MSG_MAX_FDS];	   /* the writer's own fd number, or -1 */
	size_t nfds;
	/* The ancillary items (not SCM_RIGHTS) as a control buffer, laid out
	 * with CMSG_SPACE as the socket module does; malloc'd or NULL. */
	unsigned char *control;
	size_t controllen;
};

/* Parse; 0, or -EINVAL with a one-line reason in msg. On success the
 * caller frees out->data and out->control (msg_out_free). */
int msg_parse_out(json_t *obj, struct msg_out *out, char *msg, size_t msglen);
void msg_out_free(struct msg_out *out);

/* A payload as written ("data" and its "encoding": NULL or "utf-8" for the
 * text's bytes, "base64") into a new buffer (*out, *outlen; free it).
 * 0, -ENOMEM, or -EINVAL with a reason in msg. */
int msg_decode(const char *data, size_t len, const char *enc, unsigned char **out, size_t *outlen,
	       char *msg, size_t msglen);

/* MSG_* flags as a user writes them: a string "MSG_PEEK|MSG_WAITALL", an
 * array of names, or an integer; NULL (absent) means 0. 0, or -EINVAL with
 * a reason in msg. Used by msgs writes and the recv/send commands. */
int msg_flags(json_t *v, int *out, char *msg, size_t msglen);

/* JSON array of the names of the MSG_* flags set in flags (the ones a
 * receiver reports: MSG_TRUNC, MSG_CTRUNC, MSG_EOR, MSG_OOB, ...). */
json_t *msg_flags_json(int flags);
/* JSON array of the names of every flag set (a number for one without). */
json_t *msg_flags_json_all(int flags);

#endif
