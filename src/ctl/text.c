/* text.c - the text form of ctl commands ("connect localhost http",
 * "listen 16", "shutdown wr"): one line turned into the JSON object of the
 * same op, which then runs through the one verb table (ctl.c).
 *
 * A line is a verb and words. Words fill the verb's fields in the order
 * its table entry lists them, or by name ("reuse_port=on"); the field
 * "address" takes all the words left, and send's "data" the rest of the
 * line as it is. Words may be quoted ('...' or "..." with \" and \\). */
#include "text.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_MAX_WORDS	32
#define TEXT_MAX_FIELDS 8

struct text_line {
	char *buf; /* a copy of the line: words are cut out of it */
	char *words[TEXT_MAX_WORDS];
	size_t nwords;
	char *rest; /* a copy of the line after the verb and one blank (send) */
};

bool ctl_text_is(const char *buf, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		if (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r')
			continue;
		return isalpha((unsigned char)buf[i]);
	}
	return false;
}

/* Cut the line into words in place. 0 or -EINVAL with msg. */
static int ctl_text_split(struct text_line *t, char *msg, size_t msglen)
{
	char *p = t->buf, *out;

	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (t->nwords == TEXT_MAX_WORDS) {
			snprintf(msg, msglen, "too many words (at most %d)", TEXT_MAX_WORDS);
			return -EINVAL;
		}
		t->words[t->nwords++] = out = p;
		while (*p && *p != ' ' && *p != '\t') {
			char q = *p;
			if (q != '\'' && q != '"') {
				*out++ = *p++;
				continue;
			}
			for (p++; *p && *p != q; p++) {
				if (q == '"' && *p == '\\' && (p[1] == '"' || p[1] == '\\'))
					p++;
				*out++ = *p;
			}
			if (!*p) {
				snprintf(msg, msglen, "unterminated quote %c", q);
				return -EINVAL;
			}
			p++;
		}
		if (*p)
			p++;
		*out = 0;
	}
	return 0;
}

static bool ctl_text_is_int(const char *w, json_int_t *v)
{
	char *end;
	long long n;

	if (!*w ||
	    (!isdigit((unsigned char)w[0]) && !(w[0] == '-' && isdigit((unsigned char)w[1]))))
		return false;
	errno = 0;
	n = strtoll(w, &end, 10);
	if (errno || *end)
		return false;
	*v = (json_int_t)n;
	return true;
}

/* A word as JSON: an integer, a number, true/false, null, or a string. */
static json_t *ctl_text_value(const char *w)
{
	json_int_t i;
	char *end;
	double d;

	if (ctl_text_is_int(w, &i))
		return json_integer(i);
	if (isdigit((unsigned char)w[0]) || (w[0] == '.' && isdigit((unsigned char)w[1]))) {
		d = strtod(w, &end);
		if (!*end)
			return json_real(d);
	}
	if (!strcmp(w, "true") || !strcmp(w, "false"))
		return json_boolean(w[0] == 't');
	if (!strcmp(w, "null") || !strcmp(w, "none"))
		return json_null();
	return json_string(w);
}

static json_t *ctl_text_bool(const char *w)
{
	static const char *const yes[] = {"on", "true", "yes", "1"}, *const no[] = {"off", "false",
										    "no", "0"};
	for (size_t i = 0; i < 4; i++) {
		if (!strcasecmp(w, yes[i]))
			return json_true();
		if (!strcasecmp(w, no[i]))
			return json_false();
	}
	if (!strcmp(w, "null") || !strcmp(w, "default"))
		return json_null();
	return json_string(w); /* the verb says what it wanted */
}

/* A name the socket module spells with a prefix: "inet" -> "AF_INET". */
static json_t *ctl_text_prefixed(const char *w, const char *prefix)
{
	char name[64];
	size_t n = strlen(prefix), i;
	json_int_t v;

	if (ctl_text_is_int(w, &v))
		return json_integer(v);
	if (!strncasecmp(w, prefix, n) || strlen(w) + n >= sizeof(name))
		return json_string(w);
	memcpy(name, prefix, n);
	for (i = 0; w[i]; i++)
		name[n + i] = (char)toupper((unsigned char)w[i]);
	name[n + i] = 0;
	return json_string(name);
}

/* A field's word as JSON, by what the field is. */
static json_t *ctl_text_field(const char *field, const char *w)
{
	static const char *const bools[] = {"enable", "flag", "reuse_port", "dualstack_ipv6"};

	for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++)
		if (!strcmp(field, bools[i]))
			return ctl_text_bool(w);
	if (!strcmp(field, "family"))
		return ctl_text_prefixed(w, "AF_");
	if (!strcmp(field, "type"))
		return ctl_text_prefixed(w, "SOCK_");
	if (!strcmp(field, "proto"))
		return ctl_text_prefixed(w, "IPPROTO_");
	if (!strcmp(field, "how"))
		return ctl_text_prefixed(w, "SHUT_");
	if (!strcmp(field, "level") || !strcmp(field, "optname") || !strcmp(field, "encoding") ||
	    !strcmp(field, "data"))
		return ctl_text_is_int(w, &(json_int_t){0}) ? ctl_text_value(w) : json_string(w);
	return ctl_text_value(w);
}

/* The address words: "/path" or "@abstract" alone, null, or host and port
 * (and more numbers): ["host", port, ...]; "*" is the any address "". */
static json_t *ctl_text_address(char **w, size_t n)
{
	json_t *a;
	json_int_t v;

	if (n == 1) {
		if (!strcmp(w[0], "null") || !strcmp(w[0], "none"))
			return json_null();
		if (w[0][0] == '@') {
			size_t len = strlen(w[0]);
			char *name = malloc(len + 1);
			if (!name)
				return NULL;
			name[0] = 0;
			memcpy(name + 1, w[0] + 1, len);
			a = json_stringn(name, len);
			free(name);
			return a;
		}
		return json_string(w[0]);
	}
	a = json_array();
	for (size_t i = 0; a && i < n; i++) {
		json_t *e;
		if (ctl_text_is_int(w[i], &v))
			e = json_integer(v);
		else
			e = json_string(i == 0 && !strcmp(w[i], "*") ? "" : w[i]);
		if (json_array_append_new(a, e)) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* The verb's fields from its table entry ("backlog address reuse_port"). */
static size_t ctl_text_fields(const char *args, char fields[TEXT_MAX_FIELDS][32])
{
	size_t n = 0;

	while (args && *args && n < TEXT_MAX_FIELDS) {
		size_t len = strcspn(args, " ");
		if (len && len < 32) {
			memcpy(fields[n], args, len);
			fields[n++][len] = 0;
		}
		args += len;
		args += strspn(args, " ");
	}
	return n;
}

static int ctl_text_set(json_t *obj, const char *field, json_t *v, char *msg, size_t msglen)
{
	if (!v)
		return -ENOMEM;
	if (json_object_get(obj, field)) {
		json_decref(v);
		snprintf(msg, msglen, "%s given twice", field);
		return -EINVAL;
	}
	return json_object_set_new(obj, field, v) ? -ENOMEM : 0;
}

/* The fields after the verb into obj. */
static int ctl_text_args(struct text_line *t, json_t *obj, const char *verb, const char *args,
			 char *msg, size_t msglen)
{
	char fields[TEXT_MAX_FIELDS][32];
	size_t nf = ctl_text_fields(args, fields), next = 0, i;
	int err;

	if (nf && !strcmp(fields[0], "data")) { /* send: the rest of the line */
		json_t *d;
		if (!t->rest) {
			snprintf(msg, msglen, "%s needs the text to send after it", verb);
			return -EINVAL;
		}
		d = json_string(t->rest);
		if (!d) {
			snprintf(msg, msglen,
				 "%s: the text is not UTF-8 (write it to data, or send JSON with "
				 "\"encoding\":\"base64\")",
				 verb);
			return -EINVAL;
		}
		return ctl_text_set(obj, "data", d, msg, msglen);
	}
	for (i = 1; i < t->nwords; i++) {
		char *w = t->words[i], *eq = strchr(w, '=');
		size_t k;

		if (eq) { /* field=value */
			*eq = 0;
			for (k = 0; k < nf && strcmp(fields[k], w); k++)
				;
			if (k == nf) {
				snprintf(msg, msglen, "%s has no field \"%.32s\" (fields: %s)",
					 verb, w, args && *args ? args : "none");
				return -EINVAL;
			}
			err = ctl_text_set(obj, w,
					   !strcmp(w, "address")
					       ? ctl_text_address(&(char *){eq + 1}, 1)
					       : ctl_text_field(w, eq + 1),
					   msg, msglen);
			if (err)
				return err;
			continue;
		}
		while (next < nf && json_object_get(obj, fields[next]))
			next++;
		if (next == nf) {
			snprintf(msg, msglen, "too many words for %s (fields: %s)", verb,
				 args && *args ? args : "none");
			return -EINVAL;
		}
		if (!strcmp(fields[next], "address")) {
			size_t n = 0;
			while (i + n < t->nwords && !strchr(t->words[i + n], '='))
				n++;
			err = ctl_text_set(obj, "address", ctl_text_address(&t->words[i], n), msg,
					   msglen);
			i += n - 1;
		} else {
			err = ctl_text_set(obj, fields[next], ctl_text_field(fields[next], w), msg,
					   msglen);
		}
		if (err)
			return err;
		next++;
	}
	return 0;
}

json_t *ctl_text_parse(const char *buf, size_t size, const char *(*args_of)(const char *verb),
		       char *msg, size_t msglen)
{
	struct text_line t = {0};
	json_t *obj = NULL;
	const char *args;
	int err;

	while (size && (buf[size - 1] == '\n' || buf[size - 1] == '\r'))
		size--;
	if (memchr(buf, '\n', size)) {
		snprintf(msg, msglen, "one command per write (a line); this write has several");
		return NULL;
	}
	if (memchr(buf, 0, size)) {
		snprintf(msg, msglen, "a text command must not contain NUL bytes");
		return NULL;
	}
	t.buf = strndup(buf, size);
	if (!t.buf) {
		snprintf(msg, msglen, "out of memory");
		return NULL;
	}
	t.rest = t.buf + strspn(t.buf, " \t");
	t.rest += strcspn(t.rest, " \t");
	t.rest = *t.rest ? strdup(t.rest + 1) : NULL;
	if (ctl_text_split(&t, msg, msglen))
		goto out;
	obj = json_pack("{s:s}", "op", t.words[0]);
	if (!obj) {
		snprintf(msg, msglen, "the verb is not UTF-8");
		goto out;
	}
	args = args_of(t.words[0]);
	if (!args) /* an unknown verb: ctl.c names the valid ones */
		goto out;
	err = ctl_text_args(&t, obj, t.words[0], args, msg, msglen);
	if (err) {
		if (err == -ENOMEM)
			snprintf(msg, msglen, "out of memory, or a word is not UTF-8");
		json_decref(obj);
		obj = NULL;
	}
out:
	free(t.rest);
	free(t.buf);
	return obj;
}
