/* names.c - symbolic names of socket-module constants, both directions. */
#include "names.h"

#include <errno.h>
#include <limits.h>
#include <linux/can.h>
#include <linux/can/bcm.h>
#include <linux/can/isotp.h>
#include <linux/can/j1939.h>
#include <linux/can/raw.h>
#include <linux/if_alg.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rds.h>
#include <linux/tipc.h>
#include <linux/vm_sockets.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* clang-format off */
#define N(x)      {#x, (x)}
#define NAMES_END {NULL, 0}
/* clang-format on */

/* Canonical AF_* names first, then the AF_* aliases, then every PF_* alias.
 * Families newer than glibc 2.17 are guarded. */
const struct names_entry names_af[] = {
    N(AF_UNSPEC),     N(AF_UNIX),    N(AF_INET),   N(AF_AX25),	  N(AF_IPX),
    N(AF_APPLETALK),  N(AF_NETROM),  N(AF_BRIDGE), N(AF_ATMPVC),  N(AF_X25),
    N(AF_INET6),      N(AF_ROSE),    N(AF_DECnet), N(AF_NETBEUI), N(AF_SECURITY),
    N(AF_KEY),	      N(AF_NETLINK), N(AF_PACKET), N(AF_ASH),	  N(AF_ECONET),
    N(AF_ATMSVC),     N(AF_RDS),     N(AF_SNA),	   N(AF_IRDA),	  N(AF_PPPOX),
    N(AF_WANPIPE),    N(AF_LLC),
#ifdef AF_IB
    N(AF_IB),
#endif
#ifdef AF_MPLS
    N(AF_MPLS),
#endif
#ifdef AF_CAN
    N(AF_CAN),
#endif
#ifdef AF_TIPC
    N(AF_TIPC),
#endif
#ifdef AF_BLUETOOTH
    N(AF_BLUETOOTH),
#endif
#ifdef AF_IUCV
    N(AF_IUCV),
#endif
#ifdef AF_RXRPC
    N(AF_RXRPC),
#endif
#ifdef AF_ISDN
    N(AF_ISDN),
#endif
#ifdef AF_PHONET
    N(AF_PHONET),
#endif
#ifdef AF_IEEE802154
    N(AF_IEEE802154),
#endif
#ifdef AF_CAIF
    N(AF_CAIF),
#endif
#ifdef AF_ALG
    N(AF_ALG),
#endif
#ifdef AF_NFC
    N(AF_NFC),
#endif
#ifdef AF_VSOCK
    N(AF_VSOCK),
#endif
#ifdef AF_KCM
    N(AF_KCM),
#endif
#ifdef AF_QIPCRTR
    N(AF_QIPCRTR),
#endif
#ifdef AF_SMC
    N(AF_SMC),
#endif
#ifdef AF_XDP
    N(AF_XDP),
#endif
#ifdef AF_MCTP
    N(AF_MCTP),
#endif
    N(AF_LOCAL),      N(AF_FILE),    N(AF_ROUTE),  N(PF_UNSPEC),  N(PF_UNIX),
    N(PF_LOCAL),      N(PF_FILE),    N(PF_INET),   N(PF_AX25),	  N(PF_IPX),
    N(PF_APPLETALK),  N(PF_NETROM),  N(PF_BRIDGE), N(PF_ATMPVC),  N(PF_X25),
    N(PF_INET6),      N(PF_ROSE),    N(PF_DECnet), N(PF_NETBEUI), N(PF_SECURITY),
    N(PF_KEY),	      N(PF_NETLINK), N(PF_ROUTE),  N(PF_PACKET),  N(PF_ASH),
    N(PF_ECONET),     N(PF_ATMSVC),  N(PF_RDS),	   N(PF_SNA),	  N(PF_IRDA),
    N(PF_PPPOX),      N(PF_WANPIPE), N(PF_LLC),
#ifdef PF_IB
    N(PF_IB),
#endif
#ifdef PF_MPLS
    N(PF_MPLS),
#endif
#ifdef PF_CAN
    N(PF_CAN),
#endif
#ifdef PF_TIPC
    N(PF_TIPC),
#endif
#ifdef PF_BLUETOOTH
    N(PF_BLUETOOTH),
#endif
#ifdef PF_IUCV
    N(PF_IUCV),
#endif
#ifdef PF_RXRPC
    N(PF_RXRPC),
#endif
#ifdef PF_ISDN
    N(PF_ISDN),
#endif
#ifdef PF_PHONET
    N(PF_PHONET),
#endif
#ifdef PF_IEEE802154
    N(PF_IEEE802154),
#endif
#ifdef PF_CAIF
    N(PF_CAIF),
#endif
#ifdef PF_ALG
    N(PF_ALG),
#endif
#ifdef PF_NFC
    N(PF_NFC),
#endif
#ifdef PF_VSOCK
    N(PF_VSOCK),
#endif
#ifdef PF_KCM
    N(PF_KCM),
#endif
#ifdef PF_QIPCRTR
    N(PF_QIPCRTR),
#endif
#ifdef PF_SMC
    N(PF_SMC),
#endif
#ifdef PF_XDP
    N(PF_XDP),
#endif
#ifdef PF_MCTP
    N(PF_MCTP),
#endif
    NAMES_END,
};

const struct names_entry names_sock[] = {
    N(SOCK_STREAM),    N(SOCK_DGRAM),  N(SOCK_RAW), N(SOCK_RDM),
    N(SOCK_SEQPACKET), N(SOCK_PACKET), NAMES_END,
};

/* IPPROTO_HOPOPTS (0, like IPPROTO_IP) is last so IPPROTO_IP stays canonical. */
const struct names_entry names_ipproto[] = {
    N(IPPROTO_IP),	 N(IPPROTO_ICMP),    N(IPPROTO_IGMP),	  N(IPPROTO_IPIP),
    N(IPPROTO_TCP),	 N(IPPROTO_EGP),     N(IPPROTO_PUP),	  N(IPPROTO_UDP),
    N(IPPROTO_IDP),	 N(IPPROTO_TP),
#ifdef IPPROTO_DCCP
    N(IPPROTO_DCCP),
#endif
    N(IPPROTO_IPV6),	 N(IPPROTO_ROUTING), N(IPPROTO_FRAGMENT), N(IPPROTO_RSVP),
    N(IPPROTO_GRE),	 N(IPPROTO_ESP),     N(IPPROTO_AH),	  N(IPPROTO_ICMPV6),
    N(IPPROTO_NONE),	 N(IPPROTO_DSTOPTS),
#ifdef IPPROTO_MTP
    N(IPPROTO_MTP),
#endif
#ifdef IPPROTO_BEETPH
    N(IPPROTO_BEETPH),
#endif
#ifdef IPPROTO_ENCAP
    N(IPPROTO_ENCAP),
#endif
#ifdef IPPROTO_PIM
    N(IPPROTO_PIM),
#endif
#ifdef IPPROTO_COMP
    N(IPPROTO_COMP),
#endif
#ifdef IPPROTO_L2TP
    N(IPPROTO_L2TP),
#endif
#ifdef IPPROTO_MH
    N(IPPROTO_MH),
#endif
#ifdef IPPROTO_SCTP
    N(IPPROTO_SCTP),
#endif
#ifdef IPPROTO_UDPLITE
    N(IPPROTO_UDPLITE),
#endif
#ifdef IPPROTO_MPLS
    N(IPPROTO_MPLS),
#endif
#ifdef IPPROTO_ETHERNET
    N(IPPROTO_ETHERNET),
#endif
    N(IPPROTO_RAW),
#ifdef IPPROTO_MPTCP
    N(IPPROTO_MPTCP),
#endif
    N(IPPROTO_HOPOPTS),	 NAMES_END,
};

/* Socket type flags (SOCK_NONBLOCK, SOCK_CLOEXEC). */
const struct names_entry names_sockflags[] = {N(SOCK_NONBLOCK), N(SOCK_CLOEXEC), NAMES_END};

/* Option levels. IPPROTO_* levels come after the SOL_* name of the same number. */
const struct names_entry names_sol[] = {
    N(SOL_SOCKET),
    N(SOL_IP),
    N(SOL_TCP),
    {"SOL_UDP", IPPROTO_UDP},
    N(SOL_IPV6),
    N(SOL_ICMPV6),
    {"SOL_UDPLITE", IPPROTO_UDPLITE},
    N(SOL_RAW),
    N(SOL_PACKET),
    N(SOL_NETLINK),
    N(SOL_ALG),
    N(SOL_CAN_BASE),
    N(SOL_CAN_RAW),
    N(SOL_CAN_ISOTP),
    N(SOL_CAN_J1939),
    N(SOL_TIPC),
    N(SOL_RDS),
    N(SOL_BLUETOOTH),
    N(SOL_VSOCK),
    N(SOL_TLS),
    N(SOL_MPTCP),
    N(SOL_XDP),
    {"SOL_HCI", 0},
    {"SOL_L2CAP", 6},
    {"SOL_SCO", 17},
    {"SOL_RFCOMM", 18},
    N(IPPROTO_IP),
    N(IPPROTO_TCP),
    N(IPPROTO_UDP),
    N(IPPROTO_IPV6),
    N(IPPROTO_ICMPV6),
    N(IPPROTO_RAW),
    N(IPPROTO_UDPLITE),
    N(IPPROTO_MPTCP),
    NAMES_END,
};

/* AF_NETLINK protocols, the common ones first (error messages list what fits). */
const struct names_entry names_netlink[] = {
    N(NETLINK_ROUTE),
    N(NETLINK_GENERIC),
    N(NETLINK_SOCK_DIAG),
    N(NETLINK_NETFILTER),
    N(NETLINK_KOBJECT_UEVENT),
    N(NETLINK_AUDIT),
    N(NETLINK_XFRM),
    N(NETLINK_CONNECTOR),
    N(NETLINK_USERSOCK),
    N(NETLINK_NFLOG),
    N(NETLINK_SELINUX),
    N(NETLINK_ISCSI),
    N(NETLINK_FIB_LOOKUP),
    N(NETLINK_RDMA),
    N(NETLINK_CRYPTO),
    N(NETLINK_SMC),
    N(NETLINK_SCSITRANSPORT),
    N(NETLINK_ECRYPTFS),
    N(NETLINK_DNRTMSG),
    N(NETLINK_IP6_FW),
    N(NETLINK_FIREWALL),
    N(NETLINK_UNUSED),
    {"NETLINK_INET_DIAG", NETLINK_SOCK_DIAG},
    NAMES_END,
};

/* AF_PACKET protocols, in network byte order as socket() takes them
 * (socket.htons(ETH_P_ALL) in Python). */
#define NH(x)                                                                                      \
	{                                                                                          \
#x, (int)(((x) >> 8 & 0xff) | ((x)&0xff) << 8)                                     \
	}
const struct names_entry names_packet_proto[] = {
    NH(ETH_P_ALL),   NH(ETH_P_IP),   NH(ETH_P_ARP), NH(ETH_P_IPV6),
    NH(ETH_P_8021Q), NH(ETH_P_LOOP), NAMES_END,
};

/* Packet types, membership types, timestamps, fanout modes. */
const struct names_entry names_packet[] = {
    N(PACKET_HOST),
    N(PACKET_BROADCAST),
    N(PACKET_MULTICAST),
    N(PACKET_OTHERHOST),
    N(PACKET_OUTGOING),
    N(PACKET_LOOPBACK),
    N(PACKET_FASTROUTE),
    N(PACKET_MR_MULTICAST),
    N(PACKET_MR_PROMISC),
    N(PACKET_MR_ALLMULTI),
    N(PACKET_MR_UNICAST),
    N(PACKET_FANOUT_HASH),
    N(PACKET_FANOUT_LB),
    N(PACKET_FANOUT_CPU),
    N(PACKET_FANOUT_ROLLOVER),
    N(PACKET_FANOUT_RND),
    N(PACKET_FANOUT_QM),
    N(PACKET_FANOUT_CBPF),
    N(PACKET_FANOUT_EBPF),
    N(ETH_P_ALL),
    N(ETH_P_IP),
    N(ETH_P_ARP),
    N(ETH_P_IPV6),
    N(ETH_P_8021Q),
    NAMES_END,
};

/* AF_CAN protocols. */
const struct names_entry names_can_proto[] = {
    N(CAN_RAW),	  N(CAN_BCM),	N(CAN_TP16),  N(CAN_TP20),
    N(CAN_MCNET), N(CAN_ISOTP), N(CAN_J1939), NAMES_END,
};

/* CAN identifiers' flags and masks, BCM opcodes and flags, J1939 values. */
const struct names_entry names_can[] = {
    N(CAN_EFF_FLAG),
    N(CAN_RTR_FLAG),
    N(CAN_ERR_FLAG),
    N(CAN_SFF_MASK),
    N(CAN_EFF_MASK),
    N(CAN_ERR_MASK),
    N(CAN_INV_FILTER),
    N(CAN_RAW_FILTER_MAX),
    N(CAN_MTU),
    N(CANFD_MTU),
    N(CAN_MAX_DLEN),
    N(CANFD_MAX_DLEN),
    N(TX_SETUP),
    N(TX_DELETE),
    N(TX_READ),
    N(TX_SEND),
    N(RX_SETUP),
    N(RX_DELETE),
    N(RX_READ),
    N(TX_STATUS),
    N(TX_EXPIRED),
    N(RX_STATUS),
    N(RX_TIMEOUT),
    N(RX_CHANGED),
    N(SETTIMER),
    N(STARTTIMER),
    N(TX_COUNTEVT),
    N(TX_ANNOUNCE),
    N(TX_CP_CAN_ID),
    N(RX_FILTER_ID),
    N(RX_CHECK_DLC),
    N(RX_NO_AUTOTIMER),
    N(RX_ANNOUNCE_RESUME),
    N(TX_RESET_MULTI_IDX),
    N(RX_RTR_FRAME),
    N(CAN_FD_FRAME),
    N(J1939_MAX_UNICAST_ADDR),
    N(J1939_IDLE_ADDR),
    N(J1939_NO_ADDR),
    N(J1939_PGN_REQUEST),
    N(J1939_PGN_ADDRESS_CLAIMED),
    N(J1939_PGN_ADDRESS_COMMANDED),
    N(J1939_PGN_PDU1_MAX),
    N(J1939_PGN_MAX),
    N(J1939_NO_PGN),
    N(J1939_FILTER_MAX),
    NAMES_END,
};

/* AF_ALG control messages and operations. */
const struct names_entry names_alg[] = {
    N(ALG_SET_KEY),	      N(ALG_SET_IV),	 N(ALG_SET_OP),	    N(ALG_SET_AEAD_ASSOCLEN),
    N(ALG_SET_AEAD_AUTHSIZE), N(ALG_OP_DECRYPT), N(ALG_OP_ENCRYPT), NAMES_END,
};

/* AF_TIPC address types, scopes, importance, errors, subscription values. */
const struct names_entry names_tipc[] = {
    N(TIPC_ADDR_NAMESEQ),
    N(TIPC_ADDR_NAME),
    N(TIPC_ADDR_ID),
    N(TIPC_ZONE_SCOPE),
    N(TIPC_CLUSTER_SCOPE),
    N(TIPC_NODE_SCOPE),
    N(TIPC_LOW_IMPORTANCE),
    N(TIPC_MEDIUM_IMPORTANCE),
    N(TIPC_HIGH_IMPORTANCE),
    N(TIPC_CRITICAL_IMPORTANCE),
    N(TIPC_OK),
    N(TIPC_ERR_NO_NAME),
    N(TIPC_ERR_NO_PORT),
    N(TIPC_ERR_NO_NODE),
    N(TIPC_ERR_OVERLOAD),
    N(TIPC_CONN_SHUTDOWN),
    N(TIPC_SUB_PORTS),
    N(TIPC_SUB_SERVICE),
    N(TIPC_SUB_CANCEL),
    N(TIPC_WAIT_FOREVER),
    N(TIPC_PUBLISHED),
    N(TIPC_WITHDRAWN),
    N(TIPC_SUBSCR_TIMEOUT),
    N(TIPC_CFG_SRV),
    N(TIPC_TOP_SRV),
    NAMES_END,
};

/* AF_RDS control messages. */
const struct names_entry names_rds[] = {
    N(RDS_CANCEL_SENT_TO),
    N(RDS_GET_MR),
    N(RDS_FREE_MR),
    N(RDS_RECVERR),
    N(RDS_CONG_MONITOR),
    N(RDS_GET_MR_FOR_DEST),
    N(RDS_CMSG_RDMA_ARGS),
    N(RDS_CMSG_RDMA_DEST),
    N(RDS_CMSG_RDMA_MAP),
    N(RDS_CMSG_RDMA_STATUS),
    N(RDS_CMSG_CONG_UPDATE),
    N(RDS_CMSG_ATOMIC_FADD),
    N(RDS_CMSG_ATOMIC_CSWP),
    N(RDS_CMSG_MASKED_ATOMIC_FADD),
    N(RDS_CMSG_MASKED_ATOMIC_CSWP),
    N(RDS_INFO_COUNTERS),
    N(RDS_INFO_CONNECTIONS),
    N(RDS_INFO_SEND_MESSAGES),
    N(RDS_INFO_RETRANS_MESSAGES),
    N(RDS_INFO_RECV_MESSAGES),
    N(RDS_INFO_SOCKETS),
    N(RDS_INFO_TCP_SOCKETS),
    N(RDS_INFO_IB_CONNECTIONS),
    N(RDS_INFO_CONNECTION_STATS),
    N(RDS_INFO_IWARP_CONNECTIONS),
    N(RDS_RDMA_READWRITE),
    N(RDS_RDMA_FENCE),
    N(RDS_RDMA_INVALIDATE),
    N(RDS_RDMA_USE_ONCE),
    N(RDS_RDMA_DONTWAIT),
    N(RDS_RDMA_NOTIFY_ME),
    N(RDS_RDMA_SILENT),
    NAMES_END,
};

/* AF_VSOCK addresses (as 32-bit values) and options. */
const struct names_entry names_vsock[] = {
    {"VMADDR_CID_ANY", (int)VMADDR_CID_ANY},
    N(VMADDR_CID_HYPERVISOR),
    N(VMADDR_CID_LOCAL),
    N(VMADDR_CID_HOST),
    {"VMADDR_PORT_ANY", (int)VMADDR_PORT_ANY},
    N(SO_VM_SOCKETS_BUFFER_SIZE),
    N(SO_VM_SOCKETS_BUFFER_MIN_SIZE),
    N(SO_VM_SOCKETS_BUFFER_MAX_SIZE),
    N(SO_VM_SOCKETS_CONNECT_TIMEOUT),
    N(SO_VM_SOCKETS_PEER_HOST_VM_ID),
    N(SO_VM_SOCKETS_TRUSTED),
    NAMES_END,
};

/* Bluetooth (the kernel's values; the headers are not in linux-libc-dev). */
const struct names_entry names_bt_proto[] = {
    {"BTPROTO_L2CAP", 0}, {"BTPROTO_HCI", 1}, {"BTPROTO_SCO", 2}, {"BTPROTO_RFCOMM", 3}, NAMES_END,
};

const struct names_entry names_bt[] = {
    {"BDADDR_BREDR", 0x00},
    {"BDADDR_LE_PUBLIC", 0x01},
    {"BDADDR_LE_RANDOM", 0x02},
    {"HCI_DEV_NONE", 0xffff},
    {"HCI_CHANNEL_RAW", 0},
    {"HCI_CHANNEL_USER", 1},
    {"HCI_CHANNEL_MONITOR", 2},
    {"HCI_CHANNEL_CONTROL", 3},
    {"HCI_CHANNEL_LOGGING", 4},
    {"HCI_DATA_DIR", 1},
    {"HCI_FILTER", 2},
    {"HCI_TIME_STAMP", 3},
    {"BT_SECURITY", 4},
    {"BT_DEFER_SETUP", 7},
    {"BT_FLUSHABLE", 8},
    {"BT_POWER", 9},
    {"BT_CHANNEL_POLICY", 10},
    {"BT_VOICE", 11},
    {"BT_SNDMTU", 12},
    {"BT_RCVMTU", 13},
    {"BT_PHY", 14},
    {"BT_MODE", 15},
    NAMES_END,
};

/* Option names the socket module has as numbers (for "raw" by name). */
const struct names_entry names_sockopt[] = {
    N(SO_PEERSEC),
    N(SO_PASSSEC),
    N(SO_PEERCRED),
    N(SO_BINDTODEVICE),
    N(SO_PEERGROUPS),
    N(SO_DOMAIN),
    N(IP_ADD_MEMBERSHIP),
    N(IP_DROP_MEMBERSHIP),
    N(IP_ADD_SOURCE_MEMBERSHIP),
    N(IP_DROP_SOURCE_MEMBERSHIP),
    N(IP_BLOCK_SOURCE),
    N(IP_UNBLOCK_SOURCE),
    N(IP_MULTICAST_IF),
    N(IP_MULTICAST_TTL),
    N(IP_MULTICAST_LOOP),
    N(IP_HDRINCL),
    N(IP_TRANSPARENT),
    N(IPV6_JOIN_GROUP),
    N(IPV6_LEAVE_GROUP),
    N(IPV6_MULTICAST_IF),
    N(IPV6_MULTICAST_HOPS),
    N(IPV6_MULTICAST_LOOP),
    N(IPV6_HDRINCL),
    N(TCP_NODELAY),
    NAMES_END,
};

/* Every group by name: one table. */
const struct names_group names_groups[] = {
    {"AF", names_af},
    {"SOCK", names_sock},
    {"SOCK_FLAGS", names_sockflags},
    {"IPPROTO", names_ipproto},
    {"SOL", names_sol},
    {"MSG", names_msg},
    {"SHUT", names_shut},
    {"NETLINK", names_netlink},
    {"PACKET", names_packet},
    {"PACKET_PROTO", names_packet_proto},
    {"CAN_PROTO", names_can_proto},
    {"CAN", names_can},
    {"ALG", names_alg},
    {"TIPC", names_tipc},
    {"RDS", names_rds},
    {"VSOCK", names_vsock},
    {"BTPROTO", names_bt_proto},
    {"BT", names_bt},
    {"SOCKOPT", names_sockopt},
    {NULL, NULL},
};

int names_any(const char *name, int *out)
{
	for (const struct names_group *g = names_groups; g->name; g++)
		if (names_value(g->table, name, out) == 0)
			return 0;
	return -ENOENT;
}

const struct names_entry names_shut[] = {
    N(SHUT_RD),
    N(SHUT_WR),
    N(SHUT_RDWR),
    NAMES_END,
};

/* MSG_TRYHARD, an alias of MSG_DONTROUTE, is last. */
const struct names_entry names_msg[] = {
    N(MSG_OOB),		 N(MSG_PEEK),	  N(MSG_DONTROUTE), N(MSG_CTRUNC),
    N(MSG_PROXY),	 N(MSG_TRUNC),	  N(MSG_DONTWAIT),  N(MSG_EOR),
    N(MSG_WAITALL),	 N(MSG_FIN),	  N(MSG_SYN),	    N(MSG_CONFIRM),
    N(MSG_RST),		 N(MSG_ERRQUEUE), N(MSG_NOSIGNAL),  N(MSG_MORE),
#ifdef MSG_WAITFORONE
    N(MSG_WAITFORONE),
#endif
#ifdef MSG_BATCH
    N(MSG_BATCH),
#endif
#ifdef MSG_ZEROCOPY
    N(MSG_ZEROCOPY),
#endif
#ifdef MSG_FASTOPEN
    N(MSG_FASTOPEN),
#endif
#ifdef MSG_CMSG_CLOEXEC
    N(MSG_CMSG_CLOEXEC),
#endif
#ifdef MSG_TRYHARD
    N(MSG_TRYHARD),
#endif
    NAMES_END,
};

/* In errno order; aliases (EWOULDBLOCK, EDEADLOCK, ENOTSUP) last. */
const struct names_entry names_errno[] = {
    N(EPERM),
    N(ENOENT),
    N(ESRCH),
    N(EINTR),
    N(EIO),
    N(ENXIO),
    N(E2BIG),
    N(ENOEXEC),
    N(EBADF),
    N(ECHILD),
    N(EAGAIN),
    N(ENOMEM),
    N(EACCES),
    N(EFAULT),
    N(ENOTBLK),
    N(EBUSY),
    N(EEXIST),
    N(EXDEV),
    N(ENODEV),
    N(ENOTDIR),
    N(EISDIR),
    N(EINVAL),
    N(ENFILE),
    N(EMFILE),
    N(ENOTTY),
    N(ETXTBSY),
    N(EFBIG),
    N(ENOSPC),
    N(ESPIPE),
    N(EROFS),
    N(EMLINK),
    N(EPIPE),
    N(EDOM),
    N(ERANGE),
    N(EDEADLK),
    N(ENAMETOOLONG),
    N(ENOLCK),
    N(ENOSYS),
    N(ENOTEMPTY),
    N(ELOOP),
    N(ENOMSG),
    N(EIDRM),
    N(ECHRNG),
    N(EL2NSYNC),
    N(EL3HLT),
    N(EL3RST),
    N(ELNRNG),
    N(EUNATCH),
    N(ENOCSI),
    N(EL2HLT),
    N(EBADE),
    N(EBADR),
    N(EXFULL),
    N(ENOANO),
    N(EBADRQC),
    N(EBADSLT),
    N(EBFONT),
    N(ENOSTR),
    N(ENODATA),
    N(ETIME),
    N(ENOSR),
    N(ENONET),
    N(ENOPKG),
    N(EREMOTE),
    N(ENOLINK),
    N(EADV),
    N(ESRMNT),
    N(ECOMM),
    N(EPROTO),
    N(EMULTIHOP),
    N(EDOTDOT),
    N(EBADMSG),
    N(EOVERFLOW),
    N(ENOTUNIQ),
    N(EBADFD),
    N(EREMCHG),
    N(ELIBACC),
    N(ELIBBAD),
    N(ELIBSCN),
    N(ELIBMAX),
    N(ELIBEXEC),
    N(EILSEQ),
    N(ERESTART),
    N(ESTRPIPE),
    N(EUSERS),
    N(ENOTSOCK),
    N(EDESTADDRREQ),
    N(EMSGSIZE),
    N(EPROTOTYPE),
    N(ENOPROTOOPT),
    N(EPROTONOSUPPORT),
    N(ESOCKTNOSUPPORT),
    N(EOPNOTSUPP),
    N(EPFNOSUPPORT),
    N(EAFNOSUPPORT),
    N(EADDRINUSE),
    N(EADDRNOTAVAIL),
    N(ENETDOWN),
    N(ENETUNREACH),
    N(ENETRESET),
    N(ECONNABORTED),
    N(ECONNRESET),
    N(ENOBUFS),
    N(EISCONN),
    N(ENOTCONN),
    N(ESHUTDOWN),
    N(ETOOMANYREFS),
    N(ETIMEDOUT),
    N(ECONNREFUSED),
    N(EHOSTDOWN),
    N(EHOSTUNREACH),
    N(EALREADY),
    N(EINPROGRESS),
    N(ESTALE),
    N(EUCLEAN),
    N(ENOTNAM),
    N(ENAVAIL),
    N(EISNAM),
    N(EREMOTEIO),
    N(EDQUOT),
    N(ENOMEDIUM),
    N(EMEDIUMTYPE),
    N(ECANCELED),
    N(ENOKEY),
    N(EKEYEXPIRED),
    N(EKEYREVOKED),
    N(EKEYREJECTED),
    N(EOWNERDEAD),
    N(ENOTRECOVERABLE),
    N(ERFKILL),
    N(EHWPOISON),
    N(EWOULDBLOCK),
    N(EDEADLOCK),
    N(ENOTSUP),
    NAMES_END,
};

const struct names_entry names_eai[] = {
    N(EAI_BADFLAGS),	N(EAI_NONAME),	 N(EAI_AGAIN),	  N(EAI_FAIL),
#ifdef EAI_NODATA
    N(EAI_NODATA),
#endif
    N(EAI_FAMILY),	N(EAI_SOCKTYPE), N(EAI_SERVICE),
#ifdef EAI_ADDRFAMILY
    N(EAI_ADDRFAMILY),
#endif
    N(EAI_MEMORY),	N(EAI_SYSTEM),	 N(EAI_OVERFLOW),
#ifdef EAI_INPROGRESS
    N(EAI_INPROGRESS),
#endif
#ifdef EAI_CANCELED
    N(EAI_CANCELED),
#endif
#ifdef EAI_NOTCANCELED
    N(EAI_NOTCANCELED),
#endif
#ifdef EAI_ALLDONE
    N(EAI_ALLDONE),
#endif
#ifdef EAI_INTR
    N(EAI_INTR),
#endif
#ifdef EAI_IDN_ENCODE
    N(EAI_IDN_ENCODE),
#endif
    NAMES_END,
};

int names_value(const struct names_entry *table, const char *name, int *out)
{
	const struct names_entry *e;

	if (!table || !name)
		return -ENOENT;
	for (e = table; e->name; e++) {
		if (strcmp(e->name, name) == 0) {
			if (out)
				*out = e->value;
			return 0;
		}
	}
	return -ENOENT;
}

const char *names_name(const struct names_entry *table, int value)
{
	const struct names_entry *e;

	if (!table)
		return NULL;
	for (e = table; e->name; e++)
		if (e->value == value)
			return e->name;
	return NULL;
}

/* Lists built by names_list, one per table, kept for the process lifetime. */
#define NAMES_LIST_SLOTS 40

static struct {
	const struct names_entry *table;
	char *list;
} names_lists[NAMES_LIST_SLOTS];
static pthread_mutex_t names_lists_lock = PTHREAD_MUTEX_INITIALIZER;

static char *names_build_list(const struct names_entry *table)
{
	const struct names_entry *e;
	size_t len = 1;
	char *s, *p;

	for (e = table; e->name; e++)
		len += strlen(e->name) + 2;
	s = malloc(len);
	if (!s)
		return NULL;
	p = s;
	for (e = table; e->name; e++) {
		size_t n = strlen(e->name);

		if (e != table) {
			*p++ = ',';
			*p++ = ' ';
		}
		memcpy(p, e->name, n);
		p += n;
	}
	*p = '\0';
	return s;
}

const char *names_list(const struct names_entry *table)
{
	const char *ret = "";
	int i;

	if (!table)
		return ret;
	pthread_mutex_lock(&names_lists_lock);
	for (i = 0; i < NAMES_LIST_SLOTS; i++) {
		if (names_lists[i].table == table) {
			ret = names_lists[i].list;
			break;
		}
		if (!names_lists[i].table) {
			char *s = names_build_list(table);

			if (s) {
				names_lists[i].table = table;
				names_lists[i].list = s;
				ret = s;
			}
			break;
		}
	}
	pthread_mutex_unlock(&names_lists_lock);
	return ret;
}

/* A number inside a flags spec: decimal, or hex with 0x; 0..UINT_MAX. */
static int names_parse_number(const char *s, size_t n, unsigned *out)
{
	unsigned long long v = 0;
	unsigned base = 10;
	size_t i = 0;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == n)
		return -EINVAL;
	for (; i < n; i++) {
		unsigned d;
		char c = s[i];

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return -EINVAL;
		v = v * base + d;
		if (v > UINT_MAX)
			return -EINVAL;
	}
	*out = (unsigned)v;
	return 0;
}

static int names_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int names_flags(const struct names_entry *table, const char *spec, int *out)
{
	unsigned acc = 0;
	const char *p;

	if (!table || !spec)
		return -EINVAL;
	p = spec;
	while (names_is_space(*p))
		p++;
	if (*p == '\0') {
		if (out)
			*out = 0;
		return 0;
	}
	for (;;) {
		const char *start, *end, *bar;
		const struct names_entry *e;
		unsigned v;
		size_t n;

		bar = strchr(p, '|');
		end = bar ? bar : p + strlen(p);
		start = p;
		while (start < end && names_is_space(*start))
			start++;
		while (end > start && names_is_space(end[-1]))
			end--;
		n = (size_t)(end - start);
		if (n == 0)
			return -EINVAL;
		if (*start >= '0' && *start <= '9') {
			if (names_parse_number(start, n, &v) < 0)
				return -EINVAL;
		} else {
			for (e = table; e->name; e++)
				if (strlen(e->name) == n && memcmp(e->name, start, n) == 0)
					break;
			if (!e->name)
				return -EINVAL;
			v = (unsigned)e->value;
		}
		acc |= v;
		if (!bar)
			break;
		p = bar + 1;
	}
	if (out)
		*out = (int)acc;
	return 0;
}

const char *names_errno_name(int err)
{
	const char *s;

	/* Tolerate the -errno convention used everywhere else. */
	if (err < 0 && err != INT_MIN)
		err = -err;
	s = names_name(names_errno, err);
	return s ? s : "EUNKNOWN";
}

/* getaddrinfo flags (AI_*) and getnameinfo flags (NI_*). */
const struct names_entry names_ai[] = {
    N(AI_PASSIVE),     N(AI_CANONNAME), N(AI_NUMERICHOST),
    N(AI_V4MAPPED),    N(AI_ALL),	N(AI_ADDRCONFIG),
#ifdef AI_IDN
    N(AI_IDN),
#endif
#ifdef AI_CANONIDN
    N(AI_CANONIDN),
#endif
    N(AI_NUMERICSERV), NAMES_END,
};

const struct names_entry names_ni[] = {
    N(NI_NUMERICHOST), N(NI_NUMERICSERV), N(NI_NOFQDN), N(NI_NAMEREQD), N(NI_DGRAM),
#ifdef NI_IDN
    N(NI_IDN),
#endif
    NAMES_END,
};

/* h_errno values of the gethostby* functions (NO_ADDRESS is NO_DATA). */
const struct names_entry names_herr[] = {
    N(HOST_NOT_FOUND), N(TRY_AGAIN), N(NO_RECOVERY), N(NO_DATA), N(NO_ADDRESS), NAMES_END,
};
