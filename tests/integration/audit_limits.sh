#!/bin/bash
# Every operation leaves an audit line, and every socket a user holds
# counts (issue 12): a caller whose comm is not UTF-8 is still logged; a
# socket received over SCM_RIGHTS gets socket.__new__ and counts against
# its owner's limit (closed beyond it); the second socket of a socketpair
# counts; a msgs write without an address is logged (socket.sendmsg).
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

command -v setpriv >/dev/null || skip "setpriv is not installed"
sockfs_require
AUDTMP=$(mktemp -d "${TMPDIR:-/tmp}/sockfs-audlim.XXXXXX")
trap 'rc=$?; trap - ERR; set +e; rm -rf "$AUDTMP"; (exit $rc); sockfs_cleanup' EXIT
AUDIT=$AUDTMP/audit.log
SOCKFS_OPTS="audit=$AUDIT,max_sockets_per_user=4"
sockfs_mount

# audit_has PYEXPR WHAT: some line of the log satisfies PYEXPR over `e`
# (every line must be JSON).
audit_has() {
	wait_until 10 python3 -c '
import json, sys
ok = False
for line in open(sys.argv[1], "rb"):
    e = json.loads(line)
    ok = ok or eval(sys.argv[2])
sys.exit(0 if ok else 1)' "$AUDIT" "$1" || fail "no audit line where $1 ($2)"
}

# ---- a caller whose comm is not UTF-8
id=$(python3 -c '
import ctypes, sys
ctypes.CDLL(None).prctl(15, b"\xff\xfeodd", 0, 0, 0)   # PR_SET_NAME
print(open(sys.argv[1] + "/new").read().strip())' "$MNT")
assert_match '^[0-9]+$' "$id" "id read by a process with a non-UTF-8 name"
audit_has "e['event'] == 'socket.__new__' and e.get('id') == $id and e['comm'] == '\\\\xff\\\\xfeodd'" "comm with \\xNN escapes"
rmdir "$MNT/$id"

# ---- socketpair's second socket counts (nobody, limit 4)
a=$(as_nobody cat "$MNT/new")
reply=$(as_nobody bash -c 'exec 3<>"$1/ctl"; echo "{\"op\":\"socketpair\"}" >&3; read -r r <&3; echo "$r"' _ "$MNT/$a")
assert_json "$reply" 'len(j["ids"]) == 2' "nobody's socketpair"
b=$(json_get "$reply" 'j["ids"][1]')
t=$(as_nobody cat "$MNT/new")
c=$(as_nobody cat "$MNT/new")
expect_fail "Too many open files" as_nobody cat "$MNT/new"
as_nobody rmdir "$MNT/$c"
d=$(as_nobody cat "$MNT/new")
# shellcheck disable=SC2016
expect_write_error "Too many open files" as_nobody bash -c 'echo "{\"op\":\"socketpair\"}" > "$1/ctl"' _ "$MNT/$d"
as_nobody rmdir "$MNT/$d"

# ---- a received socket counts: at the limit it is closed, below it adopted
# shellcheck disable=SC2016
as_nobody bash -c 'echo "{\"op\":\"socket\",\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\"}" > "$1/ctl"' _ "$MNT/$t"
c=$(as_nobody cat "$MNT/new") # 4 of 4: a, b, t, c
# shellcheck disable=SC2016
as_nobody bash -c 'echo "{\"data\":\"one\",\"fds\":[$2]}" > "$1/msgs"' _ "$MNT/$a" "$t"
m=$(as_nobody timeout 10 bash -c 'read -r l <"$1"; echo "$l"' _ "$MNT/$b/msgs")
assert_json "$m" 'j["ancillary"]["fds"][0]["id"] is None and "limit" in j["ancillary"]["fds"][0]["closed"]' "a socket received at the limit is closed"
as_nobody rmdir "$MNT/$c" # 3 of 4
# shellcheck disable=SC2016
as_nobody bash -c 'echo "{\"data\":\"two\",\"fds\":[$2]}" > "$1/msgs"' _ "$MNT/$a" "$t"
m=$(as_nobody timeout 10 bash -c 'read -r l <"$1"; echo "$l"' _ "$MNT/$b/msgs")
r=$(json_get "$m" 'j["ancillary"]["fds"][0]["id"]')
assert_match '^[0-9]+$' "$r" "a socket received below the limit is adopted"
expect_fail "Too many open files" as_nobody cat "$MNT/new"
audit_has "e['event'] == 'socket.__new__' and e.get('id') == $r and e.get('received_by') == $b and e['uid'] == $NOBODY" "socket.__new__ of the received socket"

# ---- a msgs write without an address
audit_has "e['event'] == 'socket.sendmsg' and e.get('id') == $a and e['address'] is None" "socket.sendmsg of a msgs write without an address"
as_nobody rmdir "$MNT/$r" "$MNT/$t" "$MNT/$a" "$MNT/$b"
# Every line of the log is JSON (audit_has parses them all).
audit_has "True" "a log that parses"
log ok
