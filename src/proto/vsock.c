/* vsock.c - the AF_VSOCK entry of the protocol table: [cid, port], as the socket module writes
 * struct sockaddr_vm. VMADDR_CID_ANY/LOCAL/HOST and VMADDR_PORT_ANY may be given by name. */
#include "proto.h"

#include <linux/vm_sockets.h>
#include <stdint.h>
#include <string.h>

static int vsock_from_json(const json_t *j, int family, struct addr *out, struct addr_name *name,
			   char *msg, size_t msglen)
{
	struct sockaddr_vm *vm = (struct sockaddr_vm *)&out->u.ss;
	unsigned long long cid, port;
	int r;

	r = proto_check_array(j, &proto_vsock, 2, 2, msg, msglen);
	if (r < 0)
		return r;
	r = proto_get_uint(json_array_get(j, 0), UINT32_MAX, names_vsock, "cid", &cid, msg, msglen);
	if (r < 0)
		return r;
	r = proto_get_uint(json_array_get(j, 1), UINT32_MAX, names_vsock, "port", &port, msg,
			   msglen);
	if (r < 0)
		return r;
	vm->svm_family = AF_VSOCK;
	vm->svm_cid = (unsigned)cid;
	vm->svm_port = (unsigned)port;
	out->len = sizeof(*vm);
	return 0;
}

static json_t *vsock_to_json(const struct sockaddr *sa, socklen_t len)
{
	struct sockaddr_vm vm;

	if (len < sizeof(vm))
		return proto_raw_to_json(sa, len);
	memcpy(&vm, sa, sizeof(vm));
	return json_pack("[I,I]", (json_int_t)vm.svm_cid, (json_int_t)vm.svm_port);
}

/* The bound port; not .port: the kernel's own rule (ports below 1024 need
 * CAP_NET_BIND_SERVICE) is not net.ipv4.ip_unprivileged_port_start. */
static int vsock_port(const struct sockaddr *sa, socklen_t len)
{
	unsigned p;

	if (len < sizeof(struct sockaddr_vm))
		return -1;
	p = ((const struct sockaddr_vm *)sa)->svm_port;
	return p == VMADDR_PORT_ANY || p > INT32_MAX ? 0 : (int)p;
}

static bool vsock_bound(const struct sockaddr *sa, socklen_t len)
{
	return vsock_port(sa, len) > 0;
}

static unsigned vsock_opts(int type, int proto)
{
	return PROTO_OPT_VSOCK;
}

const struct proto proto_vsock = {
    .family = AF_VSOCK,
    .name = "AF_VSOCK",
    .form = "[cid, port]",
    .from_json = vsock_from_json,
    .to_json = vsock_to_json,
    .bound = vsock_bound,
    .opts = vsock_opts,
};
