/* message.h - messages in and out of a socket: recvmsg(2) and sendmsg(2)
 * with addresses, flags and ancillary data, as JSON (msg.h is the pure
 * part). Used by `data` on datagram sockets and by `msgs` on all. */
#ifndef SOCKFS_MESSAGE_H
#define SOCKFS_MESSAGE_H

#include "msg.h"

#include <fuse_lowlevel.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct sock;

/* Receive one message: a whole datagram, or what a stream has (up to a
 * chunk). 0 with *out (malloc'd, *outlen bytes) and, when msg is not NULL,
 * the message as JSON {data, encoding, address, flags, ancillary} in *msg
 * (passed sockets become sockfs sockets then; else the kernel closes
 * them). -EAGAIN when none is there; -errno. */
int message_recv(struct sock *s, unsigned char **out, size_t *outlen, json_t **msg);

/* How a message is received: recvmsg(bufsize, ancbufsize, flags). */
struct message_in {
	bool has_bufsize; /* false: the whole next datagram (a chunk of a stream) */
	size_t bufsize;
	size_t ancbufsize; /* the control buffer, exactly (0: none) */
	int flags;	   /* MSG_PEEK, MSG_TRUNC, MSG_OOB, MSG_ERRQUEUE, ... */
};
/* The msgs reads' settings of s (ctl msgsrecv; a 4 KiB control buffer and
 * no flags by default). */
void message_in_msgs(const struct sock *s, struct message_in *in);
/* message_recv as in says. With msg, the message also carries "msg_flags"
 * (the number), "ancdata" (every item in order, {"level", "type", "data"}
 * as the socket module's recvmsg gives them) and "truncated" (MSG_TRUNC: the
 * datagram's real length when larger than *outlen). */
int message_recvmsg(struct sock *s, const struct message_in *in, unsigned char **out,
		    size_t *outlen, json_t **msg);
/* Send one message for the caller of req (its rights for unix paths and
 * passed sockets; the policy's sendto rules; one socket.sendto audit line
 * once its send is decided). 0 with *sent (a stream may take part),
 * -EAGAIN when it must wait, -errno with a reason in msg. */
int message_send(fuse_req_t req, struct sock *s, struct msg_out *m, size_t *sent, char *msg,
		 size_t msglen);
/* Dissolve a datagram socket's default peer (connect to AF_UNSPEC). */
int message_disconnect(struct sock *s);

#endif
