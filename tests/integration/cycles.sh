#!/bin/bash
# 100,000 create/close cycles (half ctl close, half rmdir): the daemon's
# fd count and RSS do not grow.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

N=${SOCKFS_CYCLES:-100000}
[[ -n "${CYCLES_BIN:-}" && -x "$CYCLES_BIN" ]] || fail "CYCLES_BIN [${CYCLES_BIN:-}] is not an executable"
# Under ASan, freed memory waits in a quarantine (256 MB) before reuse,
# which would look like growth: no quarantine for this test's daemon.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"
sockfs_mount

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$SOCKFS_PID/status"; }

# Warm up (allocator pools, the kernel's dentries), then measure.
"$CYCLES_BIN" "$MNT" 5000 >/dev/null || fail "warm-up cycles failed"
fds0=$(fd_count)
rss0=$(rss_kb)
secs=$("$CYCLES_BIN" "$MNT" "$N") || fail "cycles failed"
fds1=$(fd_count)
rss1=$(rss_kb)
log "$N cycles in ${secs}s; fds $fds0 -> $fds1; RSS ${rss0} kB -> ${rss1} kB"
assert_eq "$fds0" "$fds1" "daemon's fd count after $N cycles"
((rss1 - rss0 <= 1024)) || fail "daemon's RSS grew by $((rss1 - rss0)) kB over $N cycles (${rss0} -> ${rss1} kB)"
assert_eq "" "$(ls_sockets)" "sockets in the mount after the cycles"
assert_json "$(cat "$MNT/new" | xargs -I{} cat "$MNT/{}/status")" 'j["id"] > '"$N" "a socket made after the cycles"
