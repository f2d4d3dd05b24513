/* stats.h - counters of FUSE requests by opcode, for the root's stats
 * file (files/statsfile.c) and the benchmark's requests per action. The
 * FUSE layer counts each request as it reads it from the device. */
#ifndef SOCKFS_STATS_H
#define SOCKFS_STATS_H

#include <jansson.h>
#include <stdint.h>

#define STATS_NOPS 64 /* opcodes 0..63; others count as "other" */

extern uint64_t stats_requests[STATS_NOPS + 1];
/* Bytes of data writes the socket did not take at once, copied into the
 * daemon's send queue (sock/stream.c): the extra copy of bulk sends. */
extern uint64_t stats_bytes_queued;

/* One request of this opcode (FUSE_LOOKUP, ...), read from the device. */
static inline void stats_count(uint32_t opcode)
{
	stats_requests[opcode < STATS_NOPS ? opcode : STATS_NOPS]++;
}

/* {"LOOKUP": n, ...}: the opcodes seen at least once, by name. */
json_t *stats_requests_json(void);
/* All requests read so far. */
uint64_t stats_requests_total(void);

#endif
