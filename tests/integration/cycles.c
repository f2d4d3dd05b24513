/* cycles.c - create and close sockets in a tight loop through a sockfs
 * mount: open and read `new`, then close the socket, alternately with
 * {"op":"close"} on ctl and with rmdir.
 *
 * usage: cycles MOUNTPOINT COUNT
 * Prints the elapsed seconds; exits 1 at the first failure. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double cycles_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	char path[4096], id[32];
	const char *mnt;
	long n;
	double t0;

	if (argc != 3) {
		fprintf(stderr, "usage: %s MOUNTPOINT COUNT\n", argv[0]);
		return 2;
	}
	mnt = argv[1];
	n = strtol(argv[2], NULL, 10);
	snprintf(path, sizeof(path), "%s/new", mnt);
	t0 = cycles_now();
	for (long i = 0; i < n; i++) {
		int fd = open(path, O_RDONLY);
		ssize_t r;

		if (fd < 0) {
			fprintf(stderr, "cycle %ld: open %s: %s\n", i, path, strerror(errno));
			return 1;
		}
		r = read(fd, id, sizeof(id) - 1);
		close(fd);
		if (r <= 1) {
			fprintf(stderr, "cycle %ld: read new: %s\n", i,
				r < 0 ? strerror(errno) : "EOF");
			return 1;
		}
		id[r - 1] = 0;
		if (i % 2) {
			char dir[4096];
			snprintf(dir, sizeof(dir), "%s/%s", mnt, id);
			if (rmdir(dir) < 0) {
				fprintf(stderr, "cycle %ld: rmdir %s: %s\n", i, dir,
					strerror(errno));
				return 1;
			}
		} else {
			char ctl[4096];
			static const char cmd[] = "{\"op\":\"close\"}\n";
			snprintf(ctl, sizeof(ctl), "%s/%s/ctl", mnt, id);
			fd = open(ctl, O_WRONLY);
			if (fd < 0 || write(fd, cmd, sizeof(cmd) - 1) != sizeof(cmd) - 1) {
				fprintf(stderr, "cycle %ld: close via %s: %s\n", i, ctl,
					strerror(errno));
				return 1;
			}
			close(fd);
		}
	}
	printf("%.2f\n", cycles_now() - t0);
	return 0;
}
