/* names.c - symbolic names of socket-module constants, both directions. */
#include "names.h"

#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
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
