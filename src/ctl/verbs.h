/* verbs.h - the verbs of ctl, one function each; the table is in ctl.c. */
#ifndef SOCKFS_VERBS_H
#define SOCKFS_VERBS_H

struct ctl_cmd;

/* basic.c */
int ctl_socket(struct ctl_cmd *c);
int ctl_socketpair(struct ctl_cmd *c);
int ctl_shutdown(struct ctl_cmd *c);
int ctl_dup(struct ctl_cmd *c);
int ctl_closefd(struct ctl_cmd *c);
int ctl_close(struct ctl_cmd *c);
int ctl_getsockname(struct ctl_cmd *c);
int ctl_getpeername(struct ctl_cmd *c);
int ctl_autoclose(struct ctl_cmd *c);
int ctl_halfclose(struct ctl_cmd *c);
/* connect.c */
int ctl_connect(struct ctl_cmd *c);
int ctl_connect_ex(struct ctl_cmd *c);
/* listen.c */
int ctl_bind(struct ctl_cmd *c);
int ctl_listen(struct ctl_cmd *c);
int ctl_accept(struct ctl_cmd *c);
/* io.c */
int ctl_io_settimeout(struct ctl_cmd *c);
int ctl_io_gettimeout(struct ctl_cmd *c);
int ctl_io_setblocking(struct ctl_cmd *c);
int ctl_io_getblocking(struct ctl_cmd *c);
int ctl_io_getsockopt(struct ctl_cmd *c);
int ctl_io_setsockopt(struct ctl_cmd *c);
int ctl_io_recv(struct ctl_cmd *c);
int ctl_io_send(struct ctl_cmd *c);
/* recvmsg.c */
int ctl_recvmsg_recvfrom(struct ctl_cmd *c);
int ctl_recvmsg_recvmsg(struct ctl_cmd *c);
int ctl_recvmsg_msgsrecv(struct ctl_cmd *c);

#endif
