/* filetab.c - the table of files: what each kind is called, its mode, and
 * which functions serve it. */
#include "filetab.h"

#include "files.h"
#include "netdir.h"

#include <string.h>

#define FILETAB_COUNT(a) (sizeof(a) / sizeof((a)[0]))
/* The fixed fields of an entry: kind, name, mode, where it lives. */
#define FILETAB(k, n, m, h) .kind = (k), .name = (n), .mode = (m), .home = (h)

static const struct file_type filetab_types[FK_NKINDS] = {
    [FK_ROOT] = {FILETAB(FK_ROOT, "", S_IFDIR | 01777, FH_ROOT)},
    [FK_NEW] = {FILETAB(FK_NEW, "new", S_IFREG | 0666, FH_ROOT), .root_owned = true,
		.read = root_new_read, .write = root_new_write},
    [FK_CLONE] = {FILETAB(FK_CLONE, "clone", S_IFREG | 0666, FH_ROOT), .stream = true,
		  .root_owned = true, .read = clonefile_read, .write = clonefile_write,
		  .poll = sockdir_ctl_poll},
    [FK_HAS_IPV6] = {FILETAB(FK_HAS_IPV6, "has_ipv6", S_IFREG | 0444, FH_ROOT), .root_owned = true,
		     .open = root_has_ipv6_open},
    [FK_HAS_DUALSTACK_IPV6] = {FILETAB(FK_HAS_DUALSTACK_IPV6, "has_dualstack_ipv6", S_IFREG | 0444,
				       FH_ROOT),
			       .root_owned = true, .open = root_has_dualstack_open},
    [FK_DEFTIMEOUT] = {FILETAB(FK_DEFTIMEOUT, "defaulttimeout", S_IFREG | 0644, FH_ROOT),
		       .open = root_deftimeout_open, .write = root_deftimeout_write},
    [FK_DEFHALFCLOSE] = {FILETAB(FK_DEFHALFCLOSE, "defaulthalfclose", S_IFREG | 0644, FH_ROOT),
			 .open = halfclose_default_open, .write = halfclose_default_write},

    [FK_DIR] = {FILETAB(FK_DIR, "", S_IFDIR | 0700, FH_SOCK)},
    [FK_CTL] = {FILETAB(FK_CTL, "ctl", S_IFREG | 0600, FH_SOCK), .stream = true,
		.read = sockdir_reply_read, .write = sockdir_ctl_write, .poll = sockdir_ctl_poll},
    [FK_DATA] = {FILETAB(FK_DATA, "data", S_IFREG | 0600, FH_SOCK), .stream = true,
		 .read = datafile_read, .write = datafile_write, .open = halfclose_open,
		 .release = halfclose_release},
    [FK_ACCEPT] = {FILETAB(FK_ACCEPT, "accept", S_IFREG | 0400, FH_SOCK), .stream = true,
		   .read = acceptfile_read, .poll = acceptfile_poll},
    [FK_ADDR] = {FILETAB(FK_ADDR, "addr", S_IFREG | 0400, FH_SOCK), .open = sockdir_addr_open},
    [FK_OPTS] = {FILETAB(FK_OPTS, "opts", S_IFREG | 0600, FH_SOCK), .stream = true,
		 .open = sockdir_opts_open, .read = sockdir_reply_read, .write = sockdir_opts_write,
		 .poll = sockdir_ctl_poll},
    [FK_STATUS] = {FILETAB(FK_STATUS, "status", S_IFREG | 0400, FH_SOCK),
		   .open = sockdir_status_open},
    [FK_ERR] = {FILETAB(FK_ERR, "err", S_IFREG | 0400, FH_SOCK), .open = sockdir_err_open},
    [FK_MSGS] = {FILETAB(FK_MSGS, "msgs", S_IFREG | 0600, FH_SOCK), .stream = true,
		 .read = msgsfile_read, .write = msgsfile_write, .release = msgsfile_release},

    [FK_NET] = {FILETAB(FK_NET, "net", S_IFDIR | 0555, FH_NET)},
    [FK_NET_QUERY] = {FILETAB(FK_NET_QUERY, "query", S_IFREG | 0666, FH_NET), .stream = true,
		      .read = sockdir_reply_read, .write = netdir_write, .size = NETDIR_QUERY_SIZE},
    [FK_NET_HOSTNAME] = {FILETAB(FK_NET_HOSTNAME, "hostname", S_IFREG | 0666, FH_NET),
			 .open = netdir_open, .write = netdir_write},
    [FK_NET_INTERFACES] = {FILETAB(FK_NET_INTERFACES, "interfaces", S_IFREG | 0444, FH_NET),
			   .open = netdir_open},
    [FK_NET_RESOLVE] = {FILETAB(FK_NET_RESOLVE, "resolve", S_IFDIR | 0555, FH_NET)},
    [FK_NET_REVERSE] = {FILETAB(FK_NET_REVERSE, "reverse", S_IFDIR | 0555, FH_NET)},
    [FK_NET_RESOLVED] = {FILETAB(FK_NET_RESOLVED, "", S_IFREG | 0444, FH_NETNAME), .stream = true,
			 .read = netdir_read},
    [FK_NET_REVERSED] = {FILETAB(FK_NET_REVERSED, "", S_IFREG | 0444, FH_NETNAME), .stream = true,
			 .read = netdir_read},
#define FILETAB_FD(k)                                                                              \
	[FK_FD0 + k] = {FK_FD0 + k,                                                                \
			"fd" #k,                                                                   \
			S_IFREG | 0600,                                                            \
			FH_SOCK,                                                                   \
			.stream = true,                                                            \
			.open = heldfile_open,                                                     \
			.read = heldfile_read,                                                     \
			.write = heldfile_write}
    FILETAB_FD(0),
    FILETAB_FD(1),
    FILETAB_FD(2),
    FILETAB_FD(3),
    FILETAB_FD(4),
    FILETAB_FD(5),
    FILETAB_FD(6),
    FILETAB_FD(7),
    [FK_STATS] = {FILETAB(FK_STATS, "stats", S_IFREG | 0444, FH_ROOT), .root_owned = true,
		  .open = statsfile_open},
};

/* What each directory lists, in order. resolve/ and reverse/ list
 * nothing: any name can be looked up in them. */
static const enum file_kind filetab_root[] = {FK_NEW,	    FK_CLONE,	       FK_HAS_IPV6,
					      FK_HAS_DUALSTACK_IPV6, FK_DEFTIMEOUT, FK_DEFHALFCLOSE,
					      FK_NET,		   FK_STATS};
static const enum file_kind filetab_sock[] = {FK_CTL,  FK_DATA,	  FK_ACCEPT, FK_ADDR,
					      FK_OPTS, FK_STATUS, FK_ERR,    FK_MSGS};
static const enum file_kind filetab_net[] = {FK_NET_QUERY, FK_NET_HOSTNAME, FK_NET_INTERFACES,
					     FK_NET_RESOLVE, FK_NET_REVERSE};

const struct file_type *filetab_type(enum file_kind kind)
{
	if (kind <= 0 || kind >= FK_NKINDS)
		return NULL;
	return &filetab_types[kind];
}

const enum file_kind *filetab_dir(enum file_kind dir, size_t *n)
{
	switch (dir) {
	case FK_ROOT:
		*n = FILETAB_COUNT(filetab_root);
		return filetab_root;
	case FK_DIR:
		*n = FILETAB_COUNT(filetab_sock);
		return filetab_sock;
	case FK_NET:
		*n = FILETAB_COUNT(filetab_net);
		return filetab_net;
	default:
		*n = 0;
		return NULL;
	}
}

enum file_kind filetab_lookup(enum file_kind dir, const char *name)
{
	size_t n;
	const enum file_kind *kinds = filetab_dir(dir, &n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(name, filetab_types[kinds[i]].name))
			return kinds[i];
	/* N/fd0 .. N/fd7 are found but not listed: they exist while held. */
	for (int k = FK_FD0; dir == FK_DIR && k <= FK_FD7; k++)
		if (!strcmp(name, filetab_types[k].name))
			return (enum file_kind)k;
	return 0;
}
