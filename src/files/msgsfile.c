/* msgsfile.c - the msgs file: recvmsg/sendmsg as JSON lines.
 *
 * A read returns one message as one JSON line (datafile.c reads it). A
 * write sends one message given as one JSON object (msg.h, fs-layout.md);
 * a write that ends inside the object (bash's echo writes a line longer
 * than its stdio buffer in several writes) is kept with the open file and
 * completed by the next writes, up to MSGSFILE_PART_MAX bytes. On a stream
 * socket the part of a message the kernel does not take at once is queued
 * like a data write. */
#include "files.h"

#include "audit.h"
#include "bufmem.h"
#include "err.h"
#include "message.h"
#include "reply.h"
#include "sock.h"
#include "stream.h"
#include "writecopy.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSGSFILE_PART_MAX (16u * 1024 * 1024)

void msgsfile_read(fuse_req_t req, struct sfs_file *f, size_t size, off_t off, int flags)
{
	datafile_read_any(req, f, size, flags, true);
}

/* A failed msgs write: the reason goes to N/err (msgs itself carries only
 * messages). */
static void msgsfile_fail(struct sfs_file *f, int err, const char *msg)
{
	json_t *e = err_json(err, "sendmsg", msg);

	if (e && f->s)
		sock_set_error(f->s, e);
	else
		json_decref(e);
}

/* Parse and send the message text[0..len) of a write of size bytes: 0
 * answered, -EAGAIN when it must wait for room (nothing sent). */
static int msgsfile_send(fuse_req_t req, struct sfs_file *f, const char *text, size_t len,
			 size_t size)
{
	struct sock *s = f->s;
	char msg[256] = "";
	json_error_t jerr;
	json_t *j = json_loadb(text, len, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &jerr);
	struct msg_out m = {0};
	size_t sent = 0;
	int err;

	if (!j) {
		snprintf(msg, sizeof(msg), "invalid JSON: %s at line %d column %d", jerr.text,
			 jerr.line, jerr.column);
		err = -EINVAL;
		goto fail;
	}
	err = msg_parse_out(j, &m, msg, sizeof(msg));
	if (err)
		goto free_json;
	if (sock_is_stream(s) && !outq_empty(&s->outq))
		err = -EAGAIN; /* bytes queued by data go first */
	else
		err = message_send(req, s, &m, &sent, msg, sizeof(msg));
	/* A write with an address is socket.sendto (message.c); one without
	 * is audited too, once decided. */
	if (err != -EAGAIN && !m.address && audit_enabled())
		audit_event("socket.sendmsg", fuse_req_ctx(req)->pid, fuse_req_ctx(req)->uid, s->id,
			    json_pack("{s:n, s:I, s:i}", "address", "size", (json_int_t)m.len,
				      "errno", err < 0 ? -err : 0));
	if (err == -EAGAIN && !(m.flags & MSG_DONTWAIT))
		goto free_msg;
	if (!err && sent < m.len) /* a stream took part: the rest is queued, */
		err = outq_push(&s->outq, m.data + sent, m.len - sent, true); /* whole */
free_msg:
	msg_out_free(&m);
free_json:
	json_decref(j);
	if (err == -EAGAIN && !(m.flags & MSG_DONTWAIT))
		return err;
	if (err)
		goto fail;
	reply_write(req, size);
	return 0;
fail:
	msgsfile_fail(f, -err, msg[0] ? msg : NULL);
	reply_err(req, -err);
	return 0;
}

/* A message that waits for room keeps a copy of its text (writecopy.h). */
static int msgsfile_write_attempt(struct wait *w)
{
	struct writecopy *wc = (struct writecopy *)w;

	if (w->s->fd < 0)
		return -EAGAIN;
	return msgsfile_send(w->req, w->f, wc->bytes, wc->len, wc->size);
}

static void msgsfile_write_fail(struct wait *w, int err)
{
	reply_err(w->req, err);
}

static const struct wait_ops msgsfile_write_wait = {
    .kind = WAIT_WRITE,
    .attempt = msgsfile_write_attempt,
    .fail = msgsfile_write_fail,
    .release = writecopy_release,
};

/* text[0..len) is the message; size the write's size, for the reply. */
static void msgsfile_write_msg(fuse_req_t req, struct sfs_file *f, const char *text, size_t len,
			       size_t size, int flags)
{
	struct sock *s = f->s;
	int err;

	if (s->state == SOCK_ST_CLOSED) {
		reply_err(req, EBADF);
		return;
	}
	if (s->fd < 0) {
		reply_err(req, ENOTCONN);
		return;
	}
	if (list_empty(&s->waits[WAIT_WRITE]) && msgsfile_send(req, f, text, len, size) == 0)
		return;
	err = writecopy_park(s, f, req, flags, &msgsfile_write_wait, text, len, size);
	if (err == -ENOBUFS)
		msgsfile_fail(f, ENOBUFS,
			      "message: the writes waiting for room are at their bound");
	if (err)
		reply_err(req, -err);
}

/* Is buf[0..len), the first write of a message, cut short (its JSON
 * ends early)? */
static bool msgsfile_cut_short(const char *buf, size_t len)
{
	json_error_t jerr;
	json_t *j;

	if (len == 0 || buf[len - 1] == '\n')
		return false;
	j = json_loadb(buf, len, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &jerr);
	if (j) {
		json_decref(j);
		return false;
	}
	return json_error_code(&jerr) == json_error_premature_end_of_input;
}

/* Scan buf[0..len) on from where the held part ended: true once the
 * value is complete (its outermost object, array or string closed) or a
 * newline ends the write. Each byte is scanned once: linear in what is
 * written. */
static bool msgsfile_scan(struct sfs_file *f, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];
		if (f->wstr) {
			if (f->wesc)
				f->wesc = false;
			else if (c == '\\')
				f->wesc = true;
			else if (c == '"')
				f->wstr = false;
		} else if (c == '"') {
			f->wstr = true;
		} else if (c == '{' || c == '[') {
			f->wdepth++;
		} else if (c == '}' || c == ']') {
			f->wdepth--;
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			continue;
		}
		f->wbegun = true;
		if (!f->wstr && f->wdepth <= 0)
			return true; /* closed (or a stray close: the parse says) */
	}
	return len > 0 && buf[len - 1] == '\n';
}

static void msgsfile_drop_part(struct sfs_file *f)
{
	bufmem_give(f->uid, f->wpartlen);
	free(f->wpart);
	f->wpart = NULL;
	f->wpartlen = 0;
	f->wdepth = 0;
	f->wstr = f->wesc = f->wbegun = false;
}

/* A msgs write. One JSON object per write(2); a write that ends inside
 * the object (bash's echo writes a line longer than its stdio buffer in
 * several writes) is kept with the open file and completed by the next
 * writes, up to MSGSFILE_PART_MAX bytes, and within the bytes held for
 * the user (bufmem.h: ENOBUFS beyond). */
void msgsfile_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags)
{
	char *all;
	size_t len;
	bool done;

	if (!f->wpart) {
		if (!msgsfile_cut_short(buf, size)) {
			msgsfile_write_msg(req, f, buf, size, size, flags);
			return;
		}
		done = msgsfile_scan(f, buf, size);
	} else {
		done = msgsfile_scan(f, buf, size);
	}
	len = f->wpartlen + size;
	if (len > MSGSFILE_PART_MAX) {
		msgsfile_drop_part(f);
		msgsfile_fail(f, EMSGSIZE, "message: more than 16 MiB of JSON without its end");
		reply_err(req, EMSGSIZE);
		return;
	}
	if (!done && bufmem_take(f->uid, size)) {
		msgsfile_drop_part(f);
		msgsfile_fail(f, ENOBUFS,
			      "message: the JSON held for unfinished messages is at its bound");
		reply_err(req, ENOBUFS);
		return;
	}
	all = realloc(f->wpart, len ? len : 1);
	if (!all) {
		if (!done)
			bufmem_give(f->uid, size);
		msgsfile_drop_part(f);
		reply_err(req, ENOMEM);
		return;
	}
	memcpy(all + f->wpartlen, buf, size);
	f->wpart = all;
	if (!done) {
		f->wpartlen = len;
		reply_write(req, size);
		return;
	}
	f->wpart = NULL;
	bufmem_give(f->uid, f->wpartlen);
	f->wpartlen = 0;
	msgsfile_drop_part(f);
	msgsfile_write_msg(req, f, all, len, size, flags);
	free(all);
}

void msgsfile_release(struct sfs_file *f)
{
	if (f->wpart)
		msgsfile_fail(f, EINVAL, "message: the file was closed before the end of its JSON");
	msgsfile_drop_part(f);
}
