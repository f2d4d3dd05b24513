/* test_families.c - the address forms of netlink, packet, vsock, ALG, CAN, TIPC, RDS, QIPCRTR
 * and Bluetooth both ways, byte for byte against the structs the kernel reads; protocol
 * names, constant groups and the families' option tables (opts_check). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <linux/can.h>
#include <linux/if_alg.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/qrtr.h>
#include <linux/tipc.h>
#include <linux/vm_sockets.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "names.h"
#include "opts.h"
#include "proto.h"

static char msg[256];

static json_t *load(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, JSON_DECODE_ANY, &e);

	if (!j)
		fail_msg("bad test JSON %s: %s", text, e.text);
	return j;
}

/* text -> sockaddr for family (proto: the socket's, or -1); the result. */
static int conv(const char *text, int family, int proto, struct addr *a)
{
	json_t *j = load(text);
	struct addr_name n;
	int r;

	msg[0] = '\0';
	r = addr_from_json_proto(j, family, proto, a, &n, msg, sizeof(msg));
	json_decref(j);
	return r;
}

/* text converts to exactly the bytes want[len], and back to the JSON back. */
static void both_ways(const char *text, int family, int proto, const void *want, size_t len,
		      const char *back)
{
	struct addr a;
	json_t *j;
	char *s;
	int r = conv(text, family, proto, &a);

	if (r != 0)
		fail_msg("%s: %d (%s)", text, r, msg);
	assert_int_equal(a.len, len);
	assert_memory_equal(&a.u.ss, want, len);
	j = addr_to_json(&a.u.sa, a.len);
	s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(j);
	if (strcmp(s, back) != 0)
		fail_msg("%s: back as %s, want %s", text, s, back);
	free(s);
}

/* text is refused with code and a message containing what. */
static void refused(const char *text, int family, int proto, int code, const char *what)
{
	struct addr a;
	int r = conv(text, family, proto, &a);

	if (r != code || !strstr(msg, what))
		fail_msg("%s: got %d \"%s\", want %d with \"%s\"", text, r, msg, code, what);
}

static void test_netlink(void **state)
{
	struct sockaddr_nl nl = {.nl_family = AF_NETLINK, .nl_pid = 1234, .nl_groups = 5};

	both_ways("[1234, 5]", AF_NETLINK, 0, &nl, sizeof(nl), "[1234,5]");
	nl.nl_pid = 0xffffffff;
	nl.nl_groups = 0;
	both_ways("[4294967295, 0]", AF_NETLINK, 0, &nl, sizeof(nl), "[4294967295,0]");
	refused("[1, 2, 3]", AF_NETLINK, 0, -EINVAL, "[pid, groups], got 3 elements");
	refused("[-1, 0]", AF_NETLINK, 0, -EINVAL, "pid must be an integer 0-4294967295");
	refused("[0, 4294967296]", AF_NETLINK, 0, -EINVAL, "groups");
	refused("\"x\"", AF_NETLINK, 0, -EINVAL, "must be [pid, groups], got a string");
	assert_true(proto_bound((struct sockaddr *)&nl, sizeof(nl)));
}

static void test_packet(void **state)
{
	struct sockaddr_ll ll = {.sll_family = AF_PACKET};
	unsigned lo = if_nametoindex("lo");

	if (!lo)
		skip();
	ll.sll_ifindex = (int)lo;
	ll.sll_protocol = htons(0x88b5);
	ll.sll_pkttype = PACKET_BROADCAST;
	ll.sll_hatype = 1;
	ll.sll_halen = 6;
	memcpy(ll.sll_addr, "\x02\x00\x00\x00\x00\x01", 6);
	both_ways("[\"lo\", 34997, 1, 1, \"02:00:00:00:00:01\"]", AF_PACKET, 0, &ll, sizeof(ll),
		  "[\"lo\",34997,1,1,{\"bytes\":\"AgAAAAAB\"}]");
	both_ways("[\"lo\", 34997, \"PACKET_BROADCAST\", 1, {\"bytes\": \"AgAAAAAB\"}]", AF_PACKET,
		  0, &ll, sizeof(ll), "[\"lo\",34997,1,1,{\"bytes\":\"AgAAAAAB\"}]");
	memset(&ll, 0, sizeof(ll));
	ll.sll_family = AF_PACKET;
	ll.sll_protocol = htons(ETH_P_ALL);
	both_ways("[\"\", \"ETH_P_ALL\"]", AF_PACKET, 0, &ll, sizeof(ll),
		  "[\"\",3,0,0,{\"bytes\":\"\"}]");
	refused("[\"nosuchif0\", 3]", AF_PACKET, 0, -ENODEV, "no interface \"nosuchif0\"");
	refused("[\"lo\"]", AF_PACKET, 0, -EINVAL, "[ifname, proto, pkttype, hatype, addr]");
	refused("[\"lo\", 65536]", AF_PACKET, 0, -EINVAL, "proto must be an integer 0-65535");
	refused("[\"lo\", 3, 0, 1, \"01:02:03:04:05:06:07:08:09\"]", AF_PACKET, 0, -EINVAL, "addr");
	refused("[\"lo\", 3, 0, 1, {\"bytes\": \"!\"}]", AF_PACKET, 0, -EINVAL, "addr");
}

static void test_vsock(void **state)
{
	struct sockaddr_vm vm = {
	    .svm_family = AF_VSOCK, .svm_cid = VMADDR_CID_ANY, .svm_port = 1234};

	both_ways("[\"VMADDR_CID_ANY\", 1234]", AF_VSOCK, 0, &vm, sizeof(vm), "[4294967295,1234]");
	vm.svm_cid = VMADDR_CID_LOCAL;
	vm.svm_port = VMADDR_PORT_ANY;
	both_ways("[1, \"VMADDR_PORT_ANY\"]", AF_VSOCK, 0, &vm, sizeof(vm), "[1,4294967295]");
	vm.svm_cid = VMADDR_CID_HOST;
	vm.svm_port = 5;
	both_ways("[\"VMADDR_CID_HOST\", 5]", AF_VSOCK, 0, &vm, sizeof(vm), "[2,5]");
	assert_true(proto_bound((struct sockaddr *)&vm, sizeof(vm)));
	refused("[\"VMADDR_NOPE\", 5]", AF_VSOCK, 0, -EINVAL, "cid must be an integer");
	refused("[1]", AF_VSOCK, 0, -EINVAL, "[cid, port], got 1 elements");
}

static void test_alg(void **state)
{
	struct sockaddr_alg a = {.salg_family = AF_ALG};

	memcpy(a.salg_type, "hash", 4);
	memcpy(a.salg_name, "sha256", 6);
	both_ways("[\"hash\", \"sha256\"]", AF_ALG, 0, &a, sizeof(a), "[\"hash\",\"sha256\"]");
	a.salg_feat = 1;
	a.salg_mask = 2;
	both_ways("[\"hash\", \"sha256\", 1, 2]", AF_ALG, 0, &a, sizeof(a),
		  "[\"hash\",\"sha256\"]");
	refused("[\"hash\"]", AF_ALG, 0, -EINVAL, "[type, name]");
	refused("[\"hash\", \"sha256\", 1]", AF_ALG, 0, -EINVAL, "got 3 elements");
	refused("[\"abcdefghijklmn\", \"x\"]", AF_ALG, 0, -EINVAL, "type must be 1-13 bytes");
	refused("[\"hash\", 5]", AF_ALG, 0, -EINVAL, "name must be a string");
}

static void test_can(void **state)
{
	struct sockaddr_can c = {.can_family = AF_CAN};
	unsigned lo = if_nametoindex("lo");
	struct addr a;
	json_t *j;
	char *s;

	both_ways("[\"\"]", AF_CAN, CAN_RAW, &c, 8, "[\"\"]");
	if (!lo)
		skip();
	c.can_ifindex = (int)lo;
	c.can_addr.tp.rx_id = 0x123;
	c.can_addr.tp.tx_id = 0x80000456;
	both_ways("[\"lo\", 291, 2147484758]", AF_CAN, CAN_ISOTP, &c, 16,
		  "[\"lo\",291,2147484758]");
	memset(&c.can_addr, 0, sizeof(c.can_addr));
	c.can_addr.j1939.name = 0x1234567890ULL;
	c.can_addr.j1939.pgn = 0xef00;
	c.can_addr.j1939.addr = 0x80;
	both_ways("[\"lo\", 78187493520, 61184, 128]", AF_CAN, CAN_J1939, &c, sizeof(c),
		  "[\"lo\",78187493520,61184,128]");
	/* out: the form by the length the kernel gives (raw 8, ISOTP 16, J1939 24) */
	memset(&a, 0, sizeof(a));
	memcpy(&a.u.ss, &c, sizeof(c));
	j = addr_to_json(&a.u.sa, 8);
	s = json_dumps(j, JSON_COMPACT);
	assert_string_equal(s, "[\"lo\"]");
	free(s);
	json_decref(j);
	c.can_addr.tp.rx_id = 7;
	c.can_addr.tp.tx_id = 8;
	memcpy(&a.u.ss, &c, sizeof(c));
	j = addr_to_json(&a.u.sa, 16);
	s = json_dumps(j, JSON_COMPACT);
	assert_string_equal(s, "[\"lo\",7,8]");
	free(s);
	json_decref(j);
	refused("[\"lo\", 1]", AF_CAN, CAN_RAW, -EINVAL, "got 2 elements");
	refused("[\"nosuchcan0\"]", AF_CAN, CAN_RAW, -ENODEV, "nosuchcan0");
	refused("[5]", AF_CAN, CAN_RAW, -EINVAL, "interface must be a string");
}

static void test_tipc(void **state)
{
	struct sockaddr_tipc t = {.family = AF_TIPC, .addrtype = TIPC_ADDR_NAMESEQ};

	t.addr.nameseq.type = 18888;
	t.addr.nameseq.lower = 1;
	t.addr.nameseq.upper = 10;
	both_ways("[1, 18888, 1, 10]", AF_TIPC, 0, &t, sizeof(t), "[1,18888,1,10,0]");
	t.scope = TIPC_CLUSTER_SCOPE;
	both_ways("[\"TIPC_ADDR_NAMESEQ\", 18888, 1, 10, \"TIPC_CLUSTER_SCOPE\"]", AF_TIPC, 0, &t,
		  sizeof(t), "[1,18888,1,10,2]");
	memset(&t, 0, sizeof(t));
	t.family = AF_TIPC;
	t.addrtype = TIPC_ADDR_NAME;
	t.addr.name.name.type = 18888;
	t.addr.name.name.instance = 17;
	t.addr.name.domain = 0;
	/* as Python: TIPC_ADDR_NAME comes back with the instance twice */
	both_ways("[2, 18888, 17, 0]", AF_TIPC, 0, &t, sizeof(t), "[2,18888,17,17,0]");
	memset(&t, 0, sizeof(t));
	t.family = AF_TIPC;
	t.addrtype = TIPC_ADDR_ID;
	t.addr.id.node = 0x1001;
	t.addr.id.ref = 99;
	both_ways("[3, 4097, 99, 0]", AF_TIPC, 0, &t, sizeof(t), "[3,4097,99,0,0]");
	refused("[9, 1, 2, 3]", AF_TIPC, 0, -EINVAL, "addr_type must be TIPC_ADDR_NAMESEQ");
	refused("[1, 2, 3]", AF_TIPC, 0, -EINVAL, "[addr_type, v1, v2, v3]");
}

static void test_rds(void **state)
{
	struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(4000)};
	struct addr a;
	struct addr_name n;
	json_t *j;

	in.sin_addr.s_addr = htonl(0x7f000001);
	/* RDS takes IP addresses; the kernel's replies are AF_INET */
	both_ways("[\"127.0.0.1\", 4000]", AF_RDS, 0, &in, sizeof(in), "[\"127.0.0.1\",4000]");
	j = load("[\"rds.example\", 1]");
	assert_int_equal(addr_from_json(j, AF_RDS, &a, &n, msg, sizeof(msg)), -EAGAIN);
	assert_string_equal(n.host, "rds.example");
	json_decref(j);
	refused("\"x\"", AF_RDS, 0, -EINVAL, "[\"host\", port]");
}

static void test_qipcrtr(void **state)
{
	struct sockaddr_qrtr q;

	memset(&q, 0, sizeof(q));
	q.sq_family = AF_QIPCRTR;
	q.sq_node = 1;
	q.sq_port = 0xfffffffe;
	both_ways("[1, 4294967294]", AF_QIPCRTR, 0, &q, sizeof(q), "[1,4294967294]");
	refused("[1]", AF_QIPCRTR, 0, -EINVAL, "[node, port]");
}

/* Bluetooth: the kernel's structs written out byte by byte (family 31, little-endian). */
static void test_bluetooth(void **state)
{
	static const unsigned char l2[14] = {31,   0,	 0x01, 0x10, 0xab, 0x89, 0x67,
					     0x45, 0x23, 0x01, 0,    0,	   0,	 0};
	static const unsigned char rc[10] = {31, 0, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01, 5, 0};
	static const unsigned char hci[6] = {31, 0, 2, 0, 1, 0};
	static const unsigned char sco[8] = {31, 0, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01};

	both_ways("[\"01:23:45:67:89:AB\", 4097]", AF_BLUETOOTH, 0, l2, sizeof(l2),
		  "[\"01:23:45:67:89:AB\",4097]");
	both_ways("[\"01:23:45:67:89:ab\", 5]", AF_BLUETOOTH, 3, rc, sizeof(rc),
		  "[\"01:23:45:67:89:AB\",5]");
	both_ways("[2, \"HCI_CHANNEL_USER\"]", AF_BLUETOOTH, 1, hci, sizeof(hci), "2");
	both_ways("\"01:23:45:67:89:AB\"", AF_BLUETOOTH, 2, sco, sizeof(sco),
		  "\"01:23:45:67:89:AB\"");
	/* without the socket's protocol: SCO and HCI by shape, the pair refused */
	both_ways("\"01:23:45:67:89:AB\"", AF_BLUETOOTH, -1, sco, sizeof(sco),
		  "\"01:23:45:67:89:AB\"");
	refused("[\"01:23:45:67:89:AB\", 5]", AF_BLUETOOTH, -1, -EINVAL, "BTPROTO_L2CAP");
	refused("[\"01:23:45:67:89\", 5]", AF_BLUETOOTH, 0, -EINVAL, "XX:XX:XX:XX:XX:XX");
	refused("[\"01:23:45:67:89:AB\", 256]", AF_BLUETOOTH, 3, -EINVAL, "channel");
	refused("[\"01:23:45:67:89:AB\", 1]", AF_BLUETOOTH, 7, -EINVAL, "not protocol 7");
}

static void test_protocols(void **state)
{
	int p = -1;

	assert_int_equal(proto_protocol(AF_NETLINK, "NETLINK_ROUTE", &p, msg, sizeof(msg)), 0);
	assert_int_equal(p, NETLINK_ROUTE);
	assert_int_equal(proto_protocol(AF_NETLINK, "NETLINK_GENERIC", &p, msg, sizeof(msg)), 0);
	assert_int_equal(p, NETLINK_GENERIC);
	assert_int_equal(proto_protocol(AF_CAN, "CAN_ISOTP", &p, msg, sizeof(msg)), 0);
	assert_int_equal(p, CAN_ISOTP);
	assert_int_equal(proto_protocol(AF_BLUETOOTH, "BTPROTO_RFCOMM", &p, msg, sizeof(msg)), 0);
	assert_int_equal(p, 3);
	assert_int_equal(proto_protocol(AF_PACKET, "ETH_P_ALL", &p, msg, sizeof(msg)), 0);
	assert_int_equal(p, htons(ETH_P_ALL));
	assert_int_equal(proto_protocol(AF_INET, "IPPROTO_UDP", &p, msg, sizeof(msg)), 0);
	assert_int_equal(p, IPPROTO_UDP);
	assert_int_equal(proto_protocol(AF_CAN, "CAN_NOPE", &p, msg, sizeof(msg)), -EINVAL);
	assert_non_null(strstr(msg, "unknown proto \"CAN_NOPE\" for AF_CAN; known: CAN_RAW"));
	assert_null(strstr(msg, "IPPROTO"));
	/* a long list ends with whole names and "...", within the buffer */
	assert_int_equal(proto_protocol(AF_NETLINK, "NOPE", &p, msg, 120), -EINVAL);
	assert_true(strlen(msg) < 120);
	assert_non_null(strstr(msg, "known: NETLINK_ROUTE, "));
	assert_string_equal(msg + strlen(msg) - 5, ", ...");
	assert_int_equal(proto_protocol(AF_NETLINK, "NOPE", &p, msg, sizeof(msg)), -EINVAL);
	assert_non_null(strstr(msg, "NETLINK_GENERIC"));
}

/* Every constant group of the issue by name. */
static void test_names(void **state)
{
	static const char *const names[] = {
	    "SOL_PACKET",
	    "SOL_NETLINK",
	    "SOL_ALG",
	    "SOL_CAN_BASE",
	    "SOL_CAN_RAW",
	    "SOL_TIPC",
	    "SOL_RDS",
	    "PACKET_HOST",
	    "PACKET_MR_PROMISC",
	    "NETLINK_ROUTE",
	    "CAN_RAW",
	    "CAN_BCM",
	    "CAN_ISOTP",
	    "CAN_J1939",
	    "TX_SETUP",
	    "CAN_EFF_FLAG",
	    "J1939_NO_PGN",
	    "ALG_SET_KEY",
	    "ALG_SET_IV",
	    "ALG_SET_OP",
	    "ALG_SET_AEAD_ASSOCLEN",
	    "ALG_SET_AEAD_AUTHSIZE",
	    "ALG_OP_ENCRYPT",
	    "TIPC_ADDR_NAME",
	    "TIPC_CLUSTER_SCOPE",
	    "RDS_RECVERR",
	    "VMADDR_CID_ANY",
	    "VMADDR_CID_LOCAL",
	    "VMADDR_CID_HOST",
	    "VMADDR_PORT_ANY",
	    "SO_VM_SOCKETS_BUFFER_SIZE",
	    "BDADDR_BREDR",
	    "BDADDR_LE_PUBLIC",
	    "HCI_FILTER",
	    "HCI_CHANNEL_USER",
	    "BTPROTO_L2CAP",
	    "SOCK_NONBLOCK",
	    "SOCK_CLOEXEC",
	    "SO_PEERSEC",
	    "IP_ADD_MEMBERSHIP",
	    "IPV6_JOIN_GROUP",
	    "IP_HDRINCL",
	    "IPPROTO_UDPLITE",
	};
	int v;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names_any(names[i], &v) != 0)
			fail_msg("%s has no name", names[i]);
	assert_int_equal(names_value(names_sol, "SOL_PACKET", &v), 0);
	assert_int_equal(v, SOL_PACKET);
	assert_int_equal(names_value(names_vsock, "VMADDR_CID_ANY", &v), 0);
	assert_int_equal((unsigned)v, VMADDR_CID_ANY);
	assert_int_equal(names_any("NO_SUCH_CONSTANT", &v), -ENOENT);
	/* every group's first name is canonical for its value */
	for (const struct names_group *g = names_groups; g->name; g++)
		assert_non_null(names_name(g->table, g->table[0].value));
}

static void ok_opts(const char *text, int family, int type, int proto)
{
	json_t *j = load(text);
	int r = opts_check(j, family, type, proto, msg, sizeof(msg));

	json_decref(j);
	if (r != 0)
		fail_msg("%s: %d (%s)", text, r, msg);
}

static void bad_opts(const char *text, int family, int type, int proto, int code, const char *what)
{
	json_t *j = load(text);
	int r = opts_check(j, family, type, proto, msg, sizeof(msg));

	json_decref(j);
	if (r != code || !strstr(msg, what))
		fail_msg("%s: got %d \"%s\", want %d with \"%s\"", text, r, msg, code, what);
}

static void test_options(void **state)
{
	ok_opts("{\"IP_ADD_MEMBERSHIP\": {\"multiaddr\": \"224.0.0.251\", \"interface\": "
		"\"0.0.0.0\"}}",
		AF_INET, SOCK_DGRAM, 0);
	ok_opts("{\"IP_DROP_MEMBERSHIP\": {\"multiaddr\": \"224.0.0.251\", \"interface\": 1}}",
		AF_INET, SOCK_DGRAM, 0);
	ok_opts("{\"IP_ADD_MEMBERSHIP\": {\"multiaddr\": \"224.0.0.251\", \"interface\": \"lo\"}}",
		AF_INET, SOCK_DGRAM, 0);
	bad_opts("{\"IP_ADD_MEMBERSHIP\": {\"multiaddr\": \"nope\"}}", AF_INET, SOCK_DGRAM, 0,
		 -EINVAL, "multiaddr");
	bad_opts("{\"IP_ADD_MEMBERSHIP\": \"AQID\"}", AF_INET, SOCK_DGRAM, 0, -EINVAL, "multiaddr");
	bad_opts("{\"IP_ADD_MEMBERSHIP\": {\"multiaddr\": \"224.0.0.1\"}}", AF_INET, SOCK_STREAM, 0,
		 -ENOPROTOOPT, "does not apply");
	ok_opts("{\"IPV6_JOIN_GROUP\": {\"multiaddr\": \"ff02::fb\", \"interface\": \"lo\"}}",
		AF_INET6, SOCK_DGRAM, 0);
	bad_opts("{\"IPV6_JOIN_GROUP\": {\"multiaddr\": \"224.0.0.1\"}}", AF_INET6, SOCK_DGRAM, 0,
		 -EINVAL, "multiaddr");
	ok_opts("{\"IP_HDRINCL\": true}", AF_INET, SOCK_RAW, IPPROTO_RAW);
	bad_opts("{\"IP_HDRINCL\": true}", AF_INET, SOCK_DGRAM, 0, -ENOPROTOOPT, "does not apply");
	ok_opts("{\"TCP_NODELAY\": true}", AF_INET, SOCK_STREAM, IPPROTO_MPTCP);
	ok_opts("{\"UDPLITE_SEND_CSCOV\": 20, \"raw\": [{\"level\": \"IPPROTO_UDPLITE\", "
		"\"optname\": 11, \"int\": 20}]}",
		AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
	ok_opts("{\"NETLINK_ADD_MEMBERSHIP\": 1, \"NETLINK_PKTINFO\": true}", AF_NETLINK, SOCK_RAW,
		0);
	bad_opts("{\"NETLINK_ADD_MEMBERSHIP\": 1}", AF_INET, SOCK_DGRAM, 0, -ENOPROTOOPT,
		 "does not apply");
	ok_opts("{\"PACKET_ADD_MEMBERSHIP\": {\"interface\": \"lo\", \"type\": "
		"\"PACKET_MR_PROMISC\"}, \"PACKET_AUXDATA\": true}",
		AF_PACKET, SOCK_RAW, 0);
	ok_opts("{\"PACKET_ADD_MEMBERSHIP\": {\"interface\": 1, \"type\": 0, \"address\": "
		"\"01:00:5e:00:00:01\"}}",
		AF_PACKET, SOCK_RAW, 0);
	bad_opts("{\"PACKET_ADD_MEMBERSHIP\": {\"interface\": \"lo\", \"type\": \"NOPE\"}}",
		 AF_PACKET, SOCK_RAW, 0, -EINVAL, "PACKET_MR_PROMISC");
	ok_opts("{\"SO_VM_SOCKETS_BUFFER_SIZE\": 262144, \"SO_VM_SOCKETS_CONNECT_TIMEOUT\": 0.5}",
		AF_VSOCK, SOCK_STREAM, 0);
	ok_opts("{\"ALG_SET_KEY\": {\"base64\": \"a2V5\"}, \"ALG_SET_AEAD_AUTHSIZE\": 16}", AF_ALG,
		SOCK_SEQPACKET, 0);
	ok_opts("{\"CAN_RAW_LOOPBACK\": false, \"CAN_RAW_FD_FRAMES\": true}", AF_CAN, SOCK_RAW,
		CAN_RAW);
	bad_opts("{\"CAN_RAW_LOOPBACK\": false}", AF_CAN, SOCK_DGRAM, CAN_BCM, -ENOPROTOOPT,
		 "does not apply");
	ok_opts("{\"TIPC_IMPORTANCE\": 2}", AF_TIPC, SOCK_RDM, 0);
	ok_opts("{\"RDS_RECVERR\": true}", AF_RDS, SOCK_SEQPACKET, 0);
	ok_opts("{\"raw\": [{\"level\": \"SOL_PACKET\", \"optname\": 8, \"int\": 1}, {\"level\": "
		"\"SOL_SOCKET\", \"optname\": \"SO_PEERSEC\", \"int\": 0}]}",
		AF_PACKET, SOCK_RAW, 0);
}

/* sendmsg_afalg through msgs: op, iv and assoclen as SOL_ALG control messages, laid out as
 * the socket module's sendmsg_afalg lays them out. */
static void test_afalg_ancillary(void **state)
{
	json_t *j = load("{\"data\": \"x\", \"ancillary\": [{\"ALG_SET_OP\": \"ALG_OP_ENCRYPT\"}, "
			 "{\"ALG_SET_IV\": {\"base64\": \"AAECAwQFBgcICQoLDA0ODw==\"}}, "
			 "{\"ALG_SET_AEAD_ASSOCLEN\": 8}, {\"level\": \"SOL_ALG\", \"type\": 3, "
			 "\"data\": \"AAAAAA==\"}]}");
	struct msg_out m;
	struct msghdr mh = {0};
	struct cmsghdr *c;
	uint32_t u;

	memset(&m, 0, sizeof(m));
	assert_int_equal(msg_parse_out(j, &m, msg, sizeof(msg)), 0);
	mh.msg_control = m.control;
	mh.msg_controllen = m.controllen;
	assert_int_equal(m.controllen,
			 CMSG_SPACE(4) + CMSG_SPACE(4 + 16) + CMSG_SPACE(4) + CMSG_SPACE(4));
	c = CMSG_FIRSTHDR(&mh);
	assert_int_equal(c->cmsg_level, SOL_ALG);
	assert_int_equal(c->cmsg_type, ALG_SET_OP);
	assert_int_equal(c->cmsg_len, CMSG_LEN(4));
	memcpy(&u, CMSG_DATA(c), 4);
	assert_int_equal(u, ALG_OP_ENCRYPT);
	c = CMSG_NXTHDR(&mh, c);
	assert_int_equal(c->cmsg_type, ALG_SET_IV);
	assert_int_equal(c->cmsg_len, CMSG_LEN(4 + 16));
	memcpy(&u, CMSG_DATA(c), 4);
	assert_int_equal(u, 16);
	assert_memory_equal(CMSG_DATA(c) + 4,
			    "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f", 16);
	c = CMSG_NXTHDR(&mh, c);
	assert_int_equal(c->cmsg_type, ALG_SET_AEAD_ASSOCLEN);
	memcpy(&u, CMSG_DATA(c), 4);
	assert_int_equal(u, 8);
	c = CMSG_NXTHDR(&mh, c);
	assert_int_equal(c->cmsg_level, SOL_ALG);
	assert_int_equal(c->cmsg_type, ALG_SET_OP);
	msg_out_free(&m);
	json_decref(j);

	j = load("{\"data\": \"x\", \"ancillary\": [{\"ALG_SET_IV\": 5}]}");
	memset(&m, 0, sizeof(m));
	assert_int_equal(msg_parse_out(j, &m, msg, sizeof(msg)), -EINVAL);
	assert_non_null(strstr(msg, "ALG_SET_IV takes {\"base64\": the IV}"));
	msg_out_free(&m);
	json_decref(j);
	/* a name of ALG_OP_* only for SOL_ALG items */
	j = load("{\"data\": \"x\", \"ancillary\": [{\"IP_TTL\": \"ALG_OP_ENCRYPT\"}]}");
	memset(&m, 0, sizeof(m));
	assert_int_equal(msg_parse_out(j, &m, msg, sizeof(msg)), -EINVAL);
	msg_out_free(&m);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_netlink),
	    cmocka_unit_test(test_packet),
	    cmocka_unit_test(test_vsock),
	    cmocka_unit_test(test_alg),
	    cmocka_unit_test(test_can),
	    cmocka_unit_test(test_tipc),
	    cmocka_unit_test(test_rds),
	    cmocka_unit_test(test_qipcrtr),
	    cmocka_unit_test(test_bluetooth),
	    cmocka_unit_test(test_protocols),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_options),
	    cmocka_unit_test(test_afalg_ancillary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
