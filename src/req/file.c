/* file.c - open files and the bytes they give back. */
#include "file.h"

#include "reply.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every open file, so that shutdown can free them. */
static struct list file_open_files = LIST_INIT(file_open_files);

struct sfs_file *file_new(fuse_req_t req, const struct file_type *type, uint64_t ino, int flags)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	struct sfs_file *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->type = type;
	f->ino = ino;
	f->flags = flags;
	f->uid = ctx->uid;
	f->gid = ctx->gid;
	f->pid = ctx->pid;
	list_init(&f->poll_link);
	list_add_tail(&file_open_files, &f->all_link);
	return f;
}

void file_free(struct sfs_file *f)
{
	if (f->ph)
		fuse_pollhandle_destroy(f->ph);
	list_del(&f->poll_link);
	list_del(&f->all_link);
	free(f->buf);
	free(f->wpart);
	free(f);
}

void file_free_all(void (*release)(struct sfs_file *f))
{
	while (!list_empty(&file_open_files)) {
		release(list_first(&file_open_files, struct sfs_file, all_link));
	}
}

void file_set_buf(struct sfs_file *f, char *buf, size_t len)
{
	free(f->buf);
	f->buf = buf;
	f->len = buf ? len : 0;
	f->off = 0;
}

int file_set_text(struct sfs_file *f, const char *text, size_t n)
{
	char *copy = malloc(n + 1);

	if (!copy) {
		file_set_buf(f, NULL, 0);
		return -ENOMEM;
	}
	memcpy(copy, text, n);
	copy[n] = 0;
	file_set_buf(f, copy, n);
	return 0;
}

int file_set_json(struct sfs_file *f, json_t *j)
{
	char *text, *line;
	size_t n;

	if (!j)
		return -ENOMEM;
	text = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(j);
	if (!text)
		return -ENOMEM;
	n = strlen(text);
	line = realloc(text, n + 2);
	if (!line) {
		free(text);
		return -ENOMEM;
	}
	line[n] = '\n';
	line[n + 1] = 0;
	file_set_buf(f, line, n + 1);
	return 0;
}

int file_set_id(struct sfs_file *f, uint64_t id)
{
	char line[32];
	int n = snprintf(line, sizeof(line), "%" PRIu64 "\n", id);

	return file_set_text(f, line, (size_t)n);
}

void file_reply_buffered(fuse_req_t req, struct sfs_file *f, size_t size)
{
	size_t n = f->len - f->off;

	if (n > size)
		n = size;
	reply_buf(req, f->buf ? f->buf + f->off : NULL, n);
	f->off += n;
	if (f->buf && f->off == f->len)
		file_set_buf(f, NULL, 0);
}

void file_reply_snapshot(fuse_req_t req, struct sfs_file *f, size_t size, off_t off)
{
	if (off < 0 || (size_t)off >= f->len) {
		reply_buf(req, NULL, 0);
		return;
	}
	if (size > f->len - (size_t)off)
		size = f->len - (size_t)off;
	reply_buf(req, f->buf + off, size);
}

void file_poll_keep(struct sfs_file *f, struct fuse_pollhandle *ph)
{
	if (f->ph)
		fuse_pollhandle_destroy(f->ph);
	f->ph = ph;
}

void file_poll_wake(struct sfs_file *f)
{
	if (f->ph) {
		fuse_lowlevel_notify_poll(f->ph);
		fuse_pollhandle_destroy(f->ph);
		f->ph = NULL;
	}
	list_del(&f->poll_link);
}
