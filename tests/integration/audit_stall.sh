#!/bin/bash
# The audit log never blocks the loop: with -o audit=stderr into a pipe
# whose reader is stopped, 25,000 create/close cycles (about 6 MB of audit
# lines, more than the pipe and the 4 MB queue hold) still run and the
# daemon still answers; once the reader goes on, it gets JSON lines and a
# sockfs.audit_dropped line counting what the full queue dropped.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

N=25000
[[ -n "${CYCLES_BIN:-}" && -x "$CYCLES_BIN" ]] || fail "CYCLES_BIN [${CYCLES_BIN:-}] is not an executable"
sockfs_require
# As sockfs_mount, but stderr (the audit log) goes into a pipe.
SOCKFS_TMP=$(mktemp -d "${TMPDIR:-/tmp}/sockfs-$TEST_NAME.XXXXXX")
MNT=$SOCKFS_TMP/mnt
mkdir "$MNT"
mkfifo "$SOCKFS_TMP/audit.fifo"
cat <"$SOCKFS_TMP/audit.fifo" >"$SOCKFS_TMP/audit.out" &
reader=$!
SOCKFS_PEERS+=("$reader")
"$SOCKFS_BIN" "$MNT" -f -o audit=stderr >"$SOCKFS_TMP/daemon.log" 2>"$SOCKFS_TMP/audit.fifo" &
SOCKFS_PID=$!
wait_until 10 test -e "$MNT/new" || fail "sockfs did not mount $MNT"
kill -STOP "$reader"

start=$(date +%s)
secs=$(timeout 50 "$CYCLES_BIN" "$MNT" "$N") || fail "$N cycles with a stalled audit reader failed or hung"
log "$N cycles in ${secs}s with the audit reader stopped"
id=$(timeout 5 cat "$MNT/new") || fail "the daemon does not answer while its audit log is stalled"
assert_json "$(timeout 5 cat "$MNT/$id/status")" 'j["state"] == "new"' "a socket made while the log is stalled"
out0=$(stat -c %s "$SOCKFS_TMP/audit.out")
((out0 < 1000000)) || fail "the reader got $out0 bytes while stopped"

kill -CONT "$reader"
wait_until 20 grep -q '"sockfs.audit_dropped"' "$SOCKFS_TMP/audit.out" ||
	fail "no sockfs.audit_dropped line after the reader went on ($(stat -c %s "$SOCKFS_TMP/audit.out") bytes)"
python3 - "$SOCKFS_TMP/audit.out" "$N" <<'PY' || fail "audit lines through the stalled pipe"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
n = int(sys.argv[2])
news = sum(1 for l in lines if l["event"] == "socket.__new__")
dropped = sum(l["count"] for l in lines if l["event"] == "sockfs.audit_dropped")
closes = sum(1 for l in lines if l["event"] == "socket.close")
assert news > 1000 and dropped > 0, (news, closes, dropped)
# Nothing is lost without being counted (one more socket was made above).
assert news + closes + dropped >= 2 * n + 1, (news, closes, dropped)
print("audit: %d new, %d close, %d dropped" % (news, closes, dropped))
PY
