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
#include "err.h"
#include "message.h"
#include "reply.h"
#include "sock.h"
#include "stream.h"

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
	size_t sent = 0, taken;
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
	if (!err && sent < m.len) /* a stream took part: the rest is queued */
		err = stream_send(s, m.data + sent, m.len - sent, 0, true, &taken);
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

/* A message that waits for room keeps a copy of its text. */
struct msgsfile_wwait {
	struct wait w;
	size_t size; /* the write's size, for the reply */
	size_t len;
	char text[];
};

static int msgsfile_write_attempt(struct wait *w)
{
	struct msgsfile_wwait *ww = (struct msgsfile_wwait *)w;

	if (w->s->fd < 0)
		return -EAGAIN;
	return msgsfile_send(w->req, w->f, ww->text, ww->len, ww->size);
}

static void msgsfile_write_fail(struct wait *w, int err)
{
	reply_err(w->req, err);
}

static void msgsfile_write_release(struct wait *w)
{
	free(w);
}

static const struct wait_ops msgsfile_write_wait = {
    .kind = WAIT_WRITE,
    .attempt = msgsfile_write_attempt,
    .fail = msgsfile_write_fail,
    .release = msgsfile_write_release,
};

/* text[0..len) is the message; size the write's size, for the reply. */
static void msgsfile_write_msg(fuse_req_t req, struct sfs_file *f, const char *text, size_t len,
			       size_t size, int flags)
{
	struct sock *s = f->s;
	struct msgsfile_wwait *ww;

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
	ww = malloc(sizeof(*ww) + len);
	if (!ww) {
		reply_err(req, ENOMEM);
		return;
	}
	memset(&ww->w, 0, sizeof(ww->w));
	ww->w.ops = &msgsfile_write_wait;
	ww->size = size;
	ww->len = len;
	memcpy(ww->text, text, len);
	if (sock_park(s, &ww->w, req, f, (flags & O_NONBLOCK) != 0)) {
		free(ww);
		reply_err(req, EAGAIN);
	}
}

static bool msgsfile_cut_short(const char *buf, size_t len, bool more)
{
	json_error_t jerr;
	json_t *j;
	size_t end = len;

	if (len == 0 || buf[len - 1] == '\n')
		return false;
	while (end > 0 && (buf[end - 1] == ' ' || buf[end - 1] == '\t' || buf[end - 1] == '\r'))
		end--;
	if (more && (end == 0 || buf[end - 1] != '}'))
		return true;
	j = json_loadb(buf, len, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &jerr);
	if (j) {
		json_decref(j);
		return false;
	}
	return json_error_code(&jerr) == json_error_premature_end_of_input;
}

/* A msgs write. One JSON object per write(2); a write that ends inside
 * the object (bash's echo writes a line longer than its stdio buffer in
 * several writes) is kept with the open file and completed by the next
 * writes, up to MSGSFILE_PART_MAX bytes. */
void msgsfile_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags)
{
	char *all;
	size_t len;

	if (!f->wpart) {
		if (!msgsfile_cut_short(buf, size, false)) {
			msgsfile_write_msg(req, f, buf, size, size, flags);
			return;
		}
	}
	len = f->wpartlen + size;
	if (len > MSGSFILE_PART_MAX) {
		free(f->wpart);
		f->wpart = NULL;
		f->wpartlen = 0;
		msgsfile_fail(f, EMSGSIZE, "message: more than 16 MiB of JSON without its end");
		reply_err(req, EMSGSIZE);
		return;
	}
	all = realloc(f->wpart, len ? len : 1);
	if (!all) {
		reply_err(req, ENOMEM);
		return;
	}
	memcpy(all + f->wpartlen, buf, size);
	f->wpart = all;
	f->wpartlen = len;
	if (msgsfile_cut_short(all, len, true)) {
		reply_write(req, size);
		return;
	}
	f->wpart = NULL;
	f->wpartlen = 0;
	msgsfile_write_msg(req, f, all, len, size, flags);
	free(all);
}

void msgsfile_release(struct sfs_file *f)
{
	if (f->wpart)
		msgsfile_fail(f, EINVAL, "message: the file was closed before the end of its JSON");
	free(f->wpart);
	f->wpart = NULL;
	f->wpartlen = 0;
}
