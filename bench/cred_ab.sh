#!/bin/bash
# bench/cred_ab.sh [ROUNDS] [N]: daemon CPU (us) per connect+close with the
# credential switch off and on, alternating (bench/README.md, section 14).
# Needs a build with the A/B switch:
#   meson setup build-ab -Dc_args=-DSOCKFS_CRED_AB -Dbuildtype=release
#   ninja -C build-ab src/sockfs
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${SOCKFS_BIN:-$here/../build-ab/src/sockfs}
rounds=${1:-10} n=${2:-4000}
for ((round = 1; round <= rounds; round++)); do
	for mode in off on; do
		d=$(mktemp -d)
		mkdir "$d/mnt"
		SOCKFS_CRED_AB=$mode "$bin" "$d/mnt" -f -o allow_other >"$d/log" 2>&1 &
		pid=$!
		for _ in $(seq 100); do [[ -e $d/mnt/new ]] && break; sleep 0.05; done
		echo "$mode $round $(python3 "$here/cred_ab.py" "$d/mnt" "$pid" "$n")"
		umount "$d/mnt"
		wait "$pid" || true
		rm -rf "$d"
	done
done
