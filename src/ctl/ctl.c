/* ctl.c - JSON commands written to N/ctl: one table of verbs, the decoding
 * of a written command, and its run.
 *
 * Each verb unpacks its arguments with one strict json_unpack_ex and
 * returns 0 (reply ready), -errno, or CTL_PENDING when the command waits;
 * a waiting command is answered exactly once, through ctl_answer. */
#include "ctl.h"

#include "cmd.h"
#include "file.h"
#include "reply.h"
#include "text.h"
#include "verbs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum ctl_verb_id {
	CTL_SOCKET,
	CTL_CONNECT,
	CTL_BIND,
	CTL_LISTEN,
	CTL_ACCEPT,
	CTL_SHUTDOWN,
	CTL_CLOSE,
	CTL_GETSOCKNAME,
	CTL_GETPEERNAME,
	CTL_HELP,
	CTL_SOCKETPAIR,
	CTL_SETTIMEOUT,
	CTL_GETTIMEOUT,
	CTL_SETBLOCKING,
	CTL_GETBLOCKING,
	CTL_GETSOCKOPT,
	CTL_SETSOCKOPT,
	CTL_CONNECT_EX,
	CTL_RECV,
	CTL_SEND,
	CTL_AUTOCLOSE,
	CTL_DUP,
	CTL_RECVFROM,
	CTL_RECVMSG,
	CTL_MSGSRECV,
	CTL_CLOSEFD,
	CTL_HALFCLOSE,
	CTL_NVERBS,
};

static int ctl_help(struct ctl_cmd *c);

static const struct ctl_verb ctl_verbs[CTL_NVERBS] = {
    [CTL_SOCKET] = {"socket", ctl_socket, "family type proto",
		    "create the kernel socket (family) or set type/proto for the first "
		    "connect/bind"},
    [CTL_CONNECT] = {"connect", ctl_connect, "address",
		     "connect to an address, trying every address of a host name; "
		     "address null dissolves a datagram socket's peer"},
    [CTL_BIND] = {"bind", ctl_bind, "address", "bind to a local address"},
    [CTL_LISTEN] = {"listen", ctl_listen, "backlog address reuse_port dualstack_ipv6",
		    "listen for connections; with address, bind first (create_server)"},
    [CTL_ACCEPT] = {"accept", ctl_accept, "", "wait for a connection; reply id and address"},
    [CTL_SHUTDOWN] = {"shutdown", ctl_shutdown, "how",
		      "shut down SHUT_RD, SHUT_WR or SHUT_RDWR (or 0, 1, 2)"},
    [CTL_CLOSE] = {"close", ctl_close, "", "close the socket"},
    [CTL_GETSOCKNAME] = {"getsockname", ctl_getsockname, "", "the local address"},
    [CTL_GETPEERNAME] = {"getpeername", ctl_getpeername, "", "the peer's address"},
    [CTL_HELP] = {"help", ctl_help, "", "list the commands"},
    [CTL_SOCKETPAIR] = {"socketpair", ctl_socketpair, "family type proto",
			"make this socket and a new one a connected pair; reply ids"},
    [CTL_SETTIMEOUT] = {"settimeout", ctl_io_settimeout, "timeout",
			"seconds (a number) for timeout mode, 0 for non-blocking, null for "
			"blocking"},
    [CTL_GETTIMEOUT] = {"gettimeout", ctl_io_gettimeout, "", "the timeout: seconds or null"},
    [CTL_SETBLOCKING] = {"setblocking", ctl_io_setblocking, "flag",
			 "true: blocking (timeout null); false: non-blocking (timeout 0)"},
    [CTL_GETBLOCKING] = {"getblocking", ctl_io_getblocking, "", "false when the timeout is 0"},
    [CTL_GETSOCKOPT] = {"getsockopt", ctl_io_getsockopt, "level optname buflen",
			"read an option by number or name: int, or bytes (base64) with buflen"},
    [CTL_SETSOCKOPT] = {"setsockopt", ctl_io_setsockopt, "level optname int bytes optlen",
			"set an option by number or name to an int or bytes (base64), or to no "
			"value with optlen"},
    [CTL_CONNECT_EX] = {"connect_ex", ctl_connect_ex, "address",
			"connect; the reply carries errno (0, EINPROGRESS, ECONNREFUSED...)"},
    [CTL_RECV] = {"recv", ctl_io_recv, "bufsize flags encoding",
		  "receive up to bufsize bytes with MSG_* flags; reply data and encoding"},
    [CTL_SEND] = {"send", ctl_io_send, "data encoding flags",
		  "send data (utf-8 or base64) with MSG_* flags; reply bytes sent"},
    [CTL_AUTOCLOSE] = {"autoclose", ctl_autoclose, "enable",
		       "close the socket when its last open file is closed (enable: true)"},
    [CTL_DUP] = {"dup", ctl_dup, "", "a new socket on the same kernel socket; reply its id"},
    [CTL_RECVFROM] = {"recvfrom", ctl_recvmsg_recvfrom, "bufsize flags",
		      "receive up to bufsize bytes with MSG_* flags; reply data and address"},
    [CTL_RECVMSG] = {"recvmsg", ctl_recvmsg_recvmsg, "bufsize ancbufsize flags",
		     "recvmsg: reply data, address, ancdata, flags and msg_flags"},
    [CTL_MSGSRECV] = {"msgsrecv", ctl_recvmsg_msgsrecv, "flags ancbufsize",
		      "the MSG_* flags and control buffer size of msgs reads from now on"},
    [CTL_CLOSEFD] = {"closefd", ctl_closefd, "fd",
		     "close a descriptor this socket received (the file fdN)"},
    [CTL_HALFCLOSE] = {"halfclose", ctl_halfclose, "enable",
		       "shutdown(SHUT_WR) when the last writer of data closes it (enable: true, "
		       "false, or null for the mount's defaulthalfclose)"},
};

static int ctl_help(struct ctl_cmd *c)
{
	json_t *ops;

	if (ctl_unpack(c, "{s:s}", "op", &(const char *){0}))
		return -EINVAL;
	ops = json_array();
	for (int i = 0; i < CTL_NVERBS; i++)
		json_array_append_new(ops,
				      json_pack("{s:s, s:s, s:s}", "op", ctl_verbs[i].name, "args",
						ctl_verbs[i].args, "help", ctl_verbs[i].help));
	c->reply = json_pack("{s:o}", "ops", ops);
	return 0;
}

static const char *ctl_verb_list(void)
{
	static char list[1024];

	if (!list[0]) {
		size_t pos = 0;
		for (int i = 0; i < CTL_NVERBS; i++)
			pos += (size_t)snprintf(list + pos, sizeof(list) - pos, "%s%s",
						i ? ", " : "", ctl_verbs[i].name);
	}
	return list;
}

/* Parse a written buffer as one JSON object. */
json_t *ctl_parse(const char *buf, size_t size, char *msg, size_t msglen)
{
	json_error_t jerr;
	json_t *j = json_loadb(buf, size, JSON_ALLOW_NUL, &jerr);

	if (!j) {
		snprintf(msg, msglen, "invalid JSON: %s at line %d column %d", jerr.text, jerr.line,
			 jerr.column);
		return NULL;
	}
	if (!json_is_object(j)) {
		snprintf(msg, msglen, "a command is a JSON object, like {\"op\":\"help\"}");
		json_decref(j);
		return NULL;
	}
	return j;
}

/* The fields of a verb, for the text form; NULL for no such verb. */
static const char *ctl_verb_args(const char *op)
{
	for (int i = 0; i < CTL_NVERBS; i++)
		if (!strcmp(op, ctl_verbs[i].name))
			return ctl_verbs[i].args;
	return NULL;
}

/* The written buffer (JSON, or its text form: text.c) as c->args and its
 * verb as c->verb: 0, or -EINVAL with c->msg. */
static int ctl_decode(struct ctl_cmd *c, const char *buf, size_t size)
{
	const char *op;
	json_error_t jerr;

	c->args = ctl_text_is(buf, size)
		      ? ctl_text_parse(buf, size, ctl_verb_args, c->msg, sizeof(c->msg))
		      : ctl_parse(buf, size, c->msg, sizeof(c->msg));
	if (!c->args)
		return -EINVAL;
	if (json_unpack_ex(c->args, &jerr, 0, "{s:s}", "op", &op))
		return ctl_fail(c, EINVAL, "a command needs \"op\", a string: one of %s",
				ctl_verb_list());
	for (int i = 0; i < CTL_NVERBS; i++) {
		if (!strcmp(op, ctl_verbs[i].name)) {
			c->verb = &ctl_verbs[i];
			return 0;
		}
	}
	return ctl_fail(c, EINVAL, "unknown op \"%.64s\"; valid ops: %s", op, ctl_verb_list());
}

void ctl_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags)
{
	struct ctl_cmd *c = ctl_cmd_new(req, f, size);
	int err;

	if (!c) {
		reply_err(req, ENOMEM);
		return;
	}
	if (f->s->state == SOCK_ST_CLOSED) {
		ctl_finish(c, ctl_fail(c, EBADF, "the socket is closed"));
		return;
	}
	c->flags = flags;
	err = ctl_decode(c, buf, size);
	ctl_finish(c, err ? err : c->verb->fn(c));
}

int ctl_check(const char *buf, size_t size, char *msg, size_t msglen)
{
	struct sock none = {.fd = -1};
	struct ctl_cmd *c = ctl_cmd_new(NULL, NULL, size);
	int err;

	if (!c)
		return -ENOMEM;
	c->s = &none;
	c->check = true;
	err = ctl_decode(c, buf, size);
	if (!err) {
		err = c->verb->fn(c);
		if (c->checked)
			err = 0;
	}
	snprintf(msg, msglen, "%s", c->msg);
	c->s = NULL;
	ctl_release(c);
	return err;
}
