#!/bin/bash
# Timeouts and blocking modes, defaulttimeout, connect_ex and non-blocking
# connect (timeouts.py against a fresh mount).
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

sockfs_mount
python3 "$HERE/timeouts.py" "$MNT" || fail "timeouts.py failed"

# ---- -o default_timeout=SECONDS at mount time: new sockets start with it,
# and a read of accept ends in ETIMEDOUT after it
MNT2=$SOCKFS_TMP/mnt2
mkdir "$MNT2"
start_peer "$SOCKFS_BIN" "$MNT2" -f -o default_timeout=0.25
wait_until 10 test -e "$MNT2/new" || fail "the second mount (default_timeout=0.25) did not come up"
assert_eq 0.25 "$(cat "$MNT2/defaulttimeout")" "defaulttimeout of a mount with -o default_timeout=0.25"
id=$(cat "$MNT2/new")
assert_json "$(cat "$MNT2/$id/status")" 'j["timeout"] == 0.25' "a new socket's timeout"
echo '{"op":"bind","address":["127.0.0.1",0]}' >"$MNT2/$id/ctl"
echo '{"op":"listen"}' >"$MNT2/$id/ctl"
t0=$(date +%s%N)
out=$(timeout 5 cat "$MNT2/$id/accept" 2>&1) && fail "cat accept did not fail: [$out]"
ms=$((($(date +%s%N) - t0) / 1000000))
assert_match 'Connection timed out' "$out" "cat accept with the default timeout"
((ms >= 250 && ms < 1250)) || fail "cat accept timed out after $ms ms, not 250..1250"
log "cat accept timed out after $ms ms"
kill -TERM "$PEER_PID"
wait_until 10 sockfs_pid_gone "$PEER_PID" || fail "the second sockfs did not exit on SIGTERM"
