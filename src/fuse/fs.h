/* fs.h - the FUSE layer: the low-level operations, made from the table of
 * files (files/filetab.h), and the open reply that carries FOPEN_STREAM. */
#ifndef SOCKFS_FS_H
#define SOCKFS_FS_H

#include <fuse_lowlevel.h>

const struct fuse_lowlevel_ops *fs_ops(void);
/* Custom io hooks that let open replies carry FOPEN_STREAM. */
const struct fuse_custom_io *fs_custom_io(void);
/* The mount is up: replies and invalidations may go to it. */
void fs_start(struct fuse_session *se);
/* Free the files still open at shutdown (the kernel sends no release once
 * the daemon is gone); after sock_close_all, so no request is parked. */
void fs_fini(void);

#endif
