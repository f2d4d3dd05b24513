/* names_fam.c - the constant groups of the address families and option levels (names.c's
 * table of groups lists them with the others). */
#include "names.h"

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
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <sys/socket.h>

/* clang-format off */
#define N(x)      {#x, (x)}
#define NAMES_END {NULL, 0}
/* clang-format on */

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
