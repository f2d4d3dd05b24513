#!/bin/bash
# Stress (issue 13): root, nobody and a second user do random operations
# through the mount (new, ctl commands and garbage, data/msgs/accept reads
# and writes, opts, rmdir of their own and others' sockets, name lookups),
# each blocking call cut by a signal after 2 s, for STRESS_SECONDS (60 with
# CI=true, else 20), with byte-checked transfers beside them. Fails on a
# crash, a sanitizer report, a hang (an operation still running 5 s after
# its signal), a lost or changed byte, or daemon descriptors or memory that
# stay after everything was closed.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=netns.sh
. "$HERE/netns.sh"
netns_enter "$@"
# shellcheck source=lib.sh
. "$HERE/lib.sh"
command -v setpriv >/dev/null || skip "setpriv is not installed"

SECONDS_RUN=${STRESS_SECONDS:-$([[ "${CI:-}" == true ]] && echo 60 || echo 20)}
USER2=4242
ip link set lo up
SOCKFS_OPTS="linger_timeout=2,drain_timeout=2"
sockfs_mount
chmod 1777 "$WORK"

# An echo server for the workers' connects.
port=$(free_port 127.0.0.1)
start_peer python3 -c '
import socket, sys, threading
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("127.0.0.1", int(sys.argv[1]))); l.listen(128)
def echo(c):
    try:
        while True:
            b = c.recv(65536)
            if not b: break
            c.sendall(b)
    except OSError: pass
    c.close()
while True:
    c, _ = l.accept()
    threading.Thread(target=echo, args=(c,), daemon=True).start()
' "$port"
wait_port 127.0.0.1 "$port"

rss() { awk '/^VmRSS/ {print $2}' "/proc/$SOCKFS_PID/status"; }
# The daemon's descriptors but libfuse's splice pipe (made at the first
# large read, kept for the next ones).
fds() { find "/proc/$SOCKFS_PID/fd" -mindepth 1 -maxdepth 1 -printf '%l\n' | grep -vc '^pipe:'; }
asan() { grep -q libasan "/proc/$SOCKFS_PID/maps"; }
fds_back() { test "$(fds)" -le "$fds0"; } # evaluated at each try of wait_until
fds0=$(fds)
rss0=$(rss)

pids=()
run_worker() { # USERSPEC INDEX
	local hb=$WORK/hb.$2
	case $1 in
	root) python3 "$HERE/stress.py" worker "$MNT" "$SECONDS_RUN" "$2" "$port" "$hb" & ;;
	*) (cd / && setpriv --reuid="$1" --regid="$1" --clear-groups -- /usr/bin/python3 "$HERE/stress.py" worker "$MNT" "$SECONDS_RUN" "$2" "$port" "$hb") & ;;
	esac
	pids+=($!)
}
run_worker root 1
run_worker root 2
run_worker $NOBODY 3
run_worker $NOBODY 4
run_worker $USER2 5
run_worker $USER2 6
python3 "$HERE/stress.py" transfer "$MNT" "$SECONDS_RUN" "$WORK/transfer" &
tpid=$!

# Watch: the daemon lives, and no operation runs 2 s + 5 s past its start.
end=$(($(date +%s) + SECONDS_RUN + 60))
while (($(date +%s) < end)); do
	kill -0 "$SOCKFS_PID" 2>/dev/null || fail "the daemon died"
	alive=0
	for i in 1 2 3 4 5 6; do
		hb=$WORK/hb.$i
		[[ -s "$hb" ]] || continue
		read -r t op <"$hb" || continue
		[[ "$t" == done ]] && continue
		alive=1
		age=$(python3 -c "import time,sys; print(int(time.time() - float(sys.argv[1])))" "$t")
		((age <= 7)) || fail "worker $i: $op still running ${age}s after it started (signal at 2 s)"
	done
	sockfs_pid_gone "$tpid" && ((alive == 0)) && break
	sleep 0.5 # polling period of the watch, not synchronisation
done
for pid in "${pids[@]}"; do
	wait_pid "$pid" 30
done
wait_pid "$tpid" 60
read -r verdict rest <"$WORK/transfer"
assert_eq OK "$verdict" "byte-checked transfers ($rest)"
log "transfers: $rest; operations: $(cat "$WORK"/hb.* | awk '{s += $2} END {print s}')"

# Everything closed: the daemon's descriptors come back (lingering sends
# end within linger_timeout), its memory does not grow without bound.
for id in $(ls_sockets); do rmdir "$MNT/$id" 2>/dev/null || true; done
if ! wait_until 10 fds_back; then
	ls -l "/proc/$SOCKFS_PID/fd" >&2
	cat /proc/net/unix /proc/net/tcp /proc/net/tcp6 /proc/net/udp >&2
	ls -la "$MNT" >&2
	fail "daemon fds: $(fds), were $fds0 before"
fi
if ! asan; then
	r=$(rss)
	((r < rss0 + 65536)) || fail "daemon RSS $r KiB after everything closed, was $rss0 KiB"
fi
if grep -E "ERROR: (Address|Leak)Sanitizer|runtime error:" "$SOCKFS_TMP/daemon.log"; then
	fail "sanitizer report in the daemon's log"
fi
