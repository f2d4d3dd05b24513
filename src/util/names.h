/* names.h - symbolic names of socket-module constants, both directions. */
#ifndef SOCKFS_NAMES_H
#define SOCKFS_NAMES_H

struct names_entry {
	const char *name;
	int value;
};

/* A table is a NULL-name-terminated array. The first entry with a given
 * value is its canonical name (e.g. AF_UNIX before AF_LOCAL). */
extern const struct names_entry names_af[];	      /* AF_*  (address families) */
extern const struct names_entry names_sock[];	      /* SOCK_* (types; no flags) */
extern const struct names_entry names_ipproto[];      /* IPPROTO_* */
extern const struct names_entry names_shut[];	      /* SHUT_RD/WR/RDWR */
extern const struct names_entry names_msg[];	      /* MSG_* flags */
extern const struct names_entry names_errno[];	      /* E* errno names */
extern const struct names_entry names_eai[];	      /* EAI_* getaddrinfo errors */
extern const struct names_entry names_ai[];	      /* AI_* getaddrinfo flags */
extern const struct names_entry names_ni[];	      /* NI_* getnameinfo flags */
extern const struct names_entry names_herr[];	      /* h_errno values (HOST_NOT_FOUND, ...) */
extern const struct names_entry names_sockflags[];    /* SOCK_NONBLOCK, SOCK_CLOEXEC */
extern const struct names_entry names_sol[];	      /* option levels: SOL_*, IPPROTO_* */
extern const struct names_entry names_netlink[];      /* NETLINK_* protocols */
extern const struct names_entry names_packet_proto[]; /* ETH_P_* in network order (socket) */
extern const struct names_entry names_packet[];	      /* PACKET_* types, PACKET_MR_*, ETH_P_* */
extern const struct names_entry names_can_proto[];    /* CAN_RAW, CAN_BCM, CAN_ISOTP, CAN_J1939 */
extern const struct names_entry names_can[];	      /* CAN_* flags, BCM opcodes/flags, J1939_* */
extern const struct names_entry names_alg[];	      /* ALG_SET_*, ALG_OP_* */
extern const struct names_entry names_tipc[];	      /* TIPC_* */
extern const struct names_entry names_rds[];	      /* RDS_* */
extern const struct names_entry names_vsock[];	      /* VMADDR_*, SO_VM_* */
extern const struct names_entry names_bt_proto[];     /* BTPROTO_* */
extern const struct names_entry names_bt[];	      /* BDADDR_*, HCI_*, BT_* */
extern const struct names_entry names_sockopt[]; /* option numbers: SO_PEERSEC, IP_HDRINCL, ... */

/* The groups by name, in one table (NULL-terminated). */
struct names_group {
	const char *name;
	const struct names_entry *table;
};
extern const struct names_group names_groups[];
/* A constant of any group by name: 0 and *out, or -ENOENT. */
int names_any(const char *name, int *out);

/* Look a name up; 0 and *out set, or -ENOENT. Exact, case-sensitive. */
int names_value(const struct names_entry *table, const char *name, int *out);
/* Canonical name of a value, or NULL. */
const char *names_name(const struct names_entry *table, int value);
/* Comma-separated list of every name in a table, for error messages.
 * Returns a static string built on first use. */
const char *names_list(const struct names_entry *table);

/* Parse a flags value given as a JSON-friendly form: either an integer
 * or a string "MSG_PEEK|MSG_WAITALL" of names from table (also accepts
 * decimal numbers inside). Returns 0 or -EINVAL. */
int names_flags(const struct names_entry *table, const char *spec, int *out);

/* errno helpers: "ECONNREFUSED" for 111; never NULL ("E?" with the number
 * rendered as "errno N" is not needed: returns "EUNKNOWN" for unknown). */
const char *names_errno_name(int err);

#endif
