#!/bin/bash
# The root's stats file: FUSE requests by opcode and the open sockets, as
# one JSON document per open; read-only; counters only grow.
. "$(dirname "$0")/lib.sh"
sockfs_mount

s0=$(cat "$MNT/stats")
assert_json "$s0" 'j["requests"]["INIT"] == 1 and j["requests"]["OPEN"] >= 1 and j["sockets"] == 0' "stats at mount"
assert_json "$s0" 'j["requests_total"] == sum(j["requests"].values())' "the total is the sum"
ls "$MNT" | grep -qx stats || fail "stats is not listed in the root"

# One socket, one write to its ctl: OPEN, WRITE and RELEASE are counted.
read -r id <"$MNT/new"
put "$MNT/$id/ctl" '{"op":"setblocking","flag":true}'
s1=$(cat "$MNT/stats")
assert_json "$s1" 'j["sockets"] == 1' "one socket open"
python3 - "$s0" "$s1" <<'PY' || fail "counters did not grow as expected: $s0 -> $s1"
import json, sys
a, b = (json.loads(x)["requests"] for x in sys.argv[1:])
for op in ("OPEN", "READ", "RELEASE"):
    assert b.get(op, 0) >= a.get(op, 0) + 2, op  # new and ctl, then stats
assert b.get("WRITE", 0) >= a.get("WRITE", 0) + 1, "WRITE"
assert all(b.get(k, 0) >= v for k, v in a.items())
PY

# A snapshot: one open file reads one document, whatever happens after.
exec 3<"$MNT/stats"
ctl "$id" '{"op":"close"}'
snap=$(cat <&3)
exec 3<&-
assert_json "$snap" 'j["sockets"] == 1' "the snapshot of the open file"
assert_json "$(cat "$MNT/stats")" 'j["sockets"] == 0' "after close"

# Read-only.
expect_fail "Permission denied" as_nobody sh -c "echo x > '$MNT/stats'"
exit 0
