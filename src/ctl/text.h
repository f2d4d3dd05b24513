/* text.h - the text form of ctl commands: "connect localhost http" for
 * {"op":"connect","address":["localhost","http"]}. */
#ifndef SOCKFS_TEXT_H
#define SOCKFS_TEXT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Is the written buffer a text command (it starts with a letter), not JSON? */
bool ctl_text_is(const char *buf, size_t size);

/* One text line as the JSON object of its op (new reference), or NULL with
 * msg. args_of(verb) gives the verb's fields in order as the verb table
 * lists them ("backlog address reuse_port dualstack_ipv6"), or NULL for a
 * verb the table does not have (then the object is {"op": verb} alone). */
json_t *ctl_text_parse(const char *buf, size_t size, const char *(*args_of)(const char *verb),
		       char *msg, size_t msglen);

#endif
