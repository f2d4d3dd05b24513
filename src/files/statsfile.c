/* statsfile.c - the root's stats file: the daemon's counters as one JSON
 * document, made at open (a snapshot): FUSE requests by opcode
 * (req/stats.h), the sockets open now, and the bytes of data writes
 * copied into send queues. bench/ reads it before and after
 * each case for its requests per action. */
#include "files.h"

#include "sock.h"
#include "stats.h"

#include <errno.h>

static void statsfile_count_one(struct sock *s, void *arg)
{
	(*(size_t *)arg)++;
}

int statsfile_open(struct sfs_file *f)
{
	size_t nsock = 0;
	json_t *j;

	sock_for_each(statsfile_count_one, &nsock);
	j = json_pack("{s:o, s:I, s:I, s:I}", "requests", stats_requests_json(), "requests_total",
		      (json_int_t)stats_requests_total(), "sockets", (json_int_t)nsock,
		      "bytes_queued", (json_int_t)stats_bytes_queued);
	if (!j)
		return -ENOMEM;
	return file_set_json(f, j);
}
