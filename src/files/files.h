/* files.h - the operations of each kind of file, for the table in
 * filetab.c. One source file per kind of file (or per few small ones). */
#ifndef SOCKFS_FILES_H
#define SOCKFS_FILES_H

#include "file.h"

#include <fuse_lowlevel.h>
#include <stdbool.h>
#include <stddef.h>

/* root.c: new, defaulttimeout, has_ipv6, has_dualstack_ipv6 */
/* The one place a socket is made for a caller (new, clone): 0 with f's
 * bytes its id and a newline, or -errno with a reason in msg. */
int root_new_socket(fuse_req_t req, struct sfs_file *f, int family, int type, int proto, int tflags,
		    bool autoclose, char *msg, size_t msglen);
void root_new_read(fuse_req_t req, struct sfs_file *f, size_t size, off_t off, int flags);
void root_new_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags);
int root_deftimeout_open(struct sfs_file *f);
void root_deftimeout_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size,
			   int flags);
int root_has_ipv6_open(struct sfs_file *f);
int root_has_dualstack_open(struct sfs_file *f);

/* clonefile.c: clone, a socket per open file, closed with it */
void clonefile_read(fuse_req_t req, struct sfs_file *f, size_t size, off_t off, int flags);
void clonefile_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags);

/* sockdir.c: a socket's ctl, addr, status, err and opts */
void sockdir_ctl_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags);
void sockdir_reply_read(fuse_req_t req, struct sfs_file *f, size_t size, off_t off, int flags);
unsigned sockdir_ctl_poll(struct sfs_file *f);
int sockdir_addr_open(struct sfs_file *f);
int sockdir_status_open(struct sfs_file *f);
int sockdir_err_open(struct sfs_file *f);
int sockdir_opts_open(struct sfs_file *f);
void sockdir_opts_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size,
			int flags);

/* datafile.c: data (read = recv, write = send), and the reads of msgs */
void datafile_read(fuse_req_t req, struct sfs_file *f, size_t size, off_t off, int flags);
void datafile_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags);
/* A read of one message (msgs: as a JSON line) or of data. */
void datafile_read_any(fuse_req_t req, struct sfs_file *f, size_t size, int flags, bool msgs);

/* halfclose.c: data's writers, and the root's defaulthalfclose */
int halfclose_open(struct sfs_file *f);
void halfclose_release(struct sfs_file *f);
int halfclose_default_open(struct sfs_file *f);
void halfclose_default_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size,
			     int flags);

/* msgsfile.c: msgs, messages as JSON lines */
void msgsfile_read(fuse_req_t req, struct sfs_file *f, size_t size, off_t off, int flags);
void msgsfile_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags);
void msgsfile_release(struct sfs_file *f);

/* acceptfile.c: accept, one connection per open file */
void acceptfile_read(fuse_req_t req, struct sfs_file *f, size_t size, off_t off, int flags);
unsigned acceptfile_poll(struct sfs_file *f);

/* heldfile.c: N/fd0 .. N/fd7, descriptors received over SCM_RIGHTS */
int heldfile_open(struct sfs_file *f);
void heldfile_read(fuse_req_t req, struct sfs_file *f, size_t size, off_t off, int flags);
void heldfile_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags);

/* statsfile.c: stats, the daemon's counters (JSON, a snapshot) */
int statsfile_open(struct sfs_file *f);

#endif
