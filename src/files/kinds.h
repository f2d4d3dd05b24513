/* kinds.h - the kinds of file of the mount, and inode numbers as QIDs:
 * the socket (or net/ name) id above, the kind in the low bits. */
#ifndef SOCKFS_KINDS_H
#define SOCKFS_KINDS_H

#include <stdint.h>

enum file_kind {
	FK_ROOT = 1,
	FK_NEW,
	FK_DIR, /* N/ */
	FK_CTL,
	FK_DATA,
	FK_ACCEPT,
	FK_ADDR,
	FK_OPTS,
	FK_STATUS,
	FK_ERR,
	FK_MSGS,
	FK_HAS_IPV6,
	FK_HAS_DUALSTACK_IPV6,
	FK_DEFTIMEOUT,
	FK_NET,		   /* net/ */
	FK_NET_QUERY,	   /* net/query */
	FK_NET_HOSTNAME,   /* net/hostname */
	FK_NET_INTERFACES, /* net/interfaces */
	FK_NET_RESOLVE,	   /* net/resolve/ */
	FK_NET_REVERSE,	   /* net/reverse/ */
	FK_NET_RESOLVED,   /* net/resolve/NAME (id: a net/ name id) */
	FK_NET_REVERSED,   /* net/reverse/ADDRESS (id: a net/ name id) */
	FK_FD0,		   /* N/fd0 .. N/fd7: descriptors N received (heldfile.c) */
	FK_FD7 = FK_FD0 + 7,
	FK_CLONE,	 /* clone: a socket per open file */
	FK_DEFHALFCLOSE, /* defaulthalfclose */
	FK_STATS,	   /* stats: requests by opcode */
	FK_NKINDS,
};

/* Where a kind of file lives: the id part of its inode names what. */
enum file_home {
	FH_ROOT,   /* the root and its files: id 0 */
	FH_SOCK,   /* N/ and its files: id N, a socket */
	FH_NET,	   /* net/ and its files: id 0 */
	FH_NETNAME /* net/resolve/NAME, net/reverse/ADDRESS: id of the name */
};

#define FILE_KIND_BITS	   6
#define FILE_INO(id, kind) (((uint64_t)(id) << FILE_KIND_BITS) | (uint64_t)(kind))
#define FILE_INO_ID(ino)   ((uint64_t)(ino) >> FILE_KIND_BITS)
#define FILE_INO_KIND(ino) ((enum file_kind)((ino) & ((1u << FILE_KIND_BITS) - 1)))
#define FILE_ID_MAX	   (UINT64_MAX >> FILE_KIND_BITS)

#endif
