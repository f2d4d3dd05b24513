#!/bin/bash
# Multi-user rules with a real unprivileged user (nobody): the per-user
# socket limit (-o max_sockets_per_user) gives EMFILE at cat new, new
# writes and accept; an accepted socket belongs to the listener's owner;
# options the kernel reserves for CAP_NET_ADMIN are refused to a caller
# without it, even though the daemon is root.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

command -v setpriv >/dev/null || skip "setpriv is not installed"

SOCKFS_OPTS="max_sockets_per_user=3"
sockfs_mount

# ---- the daemon raised its descriptor limit to the hard limit
soft=$(awk '/^Max open files/ {print $4}' "/proc/$SOCKFS_PID/limits")
hard=$(awk '/^Max open files/ {print $5}' "/proc/$SOCKFS_PID/limits")
assert_eq "$hard" "$soft" "daemon's RLIMIT_NOFILE soft limit"

# ---- nobody: a listener and one more socket, then the limit
l=$(as_nobody cat "$MNT/new")
# shellcheck disable=SC2016
reply=$(as_nobody bash -c '
	exec 3<>"$1/ctl" || exit 1
	echo "{\"op\":\"bind\",\"address\":[\"127.0.0.1\",0]}" >&3
	read -r -t 10 r <&3; echo "$r"
	echo "{\"op\":\"listen\"}" >&3
' _ "$MNT/$l")
port=$(json_get "$reply" 'j["address"][1]')
x=$(as_nobody cat "$MNT/new")
assert_eq "700 $NOBODY $NOBODY" "$(stat -c '%a %u %g' "$MNT/$x")" "nobody's second socket"

# Two clients; the first accept makes nobody's third socket.
start_peer python3 "$HERE/peer.py" client 127.0.0.1 "$port" 'one\n' 100 "$WORK/c1" 2>/dev/null
a1=$(as_nobody cat "$MNT/$l/accept")
assert_match '^[1-9][0-9]*$' "$a1" "first accepted id"
assert_eq "700 $NOBODY $NOBODY" "$(stat -c '%a %u %g' "$MNT/$a1")" "owner of nobody's accepted socket"

start_peer python3 "$HERE/peer.py" client 127.0.0.1 "$port" 'two\n' 100 "$WORK/c2" 2>/dev/null
# Now at the limit (3): cat new, a new write, and accept give EMFILE.
expect_fail "Too many open files" as_nobody cat "$MNT/new"
# shellcheck disable=SC2016
expect_fail "Too many open files" as_nobody bash -c 'exec 3<>"$1/new" && echo "{\"family\":\"AF_INET\"}" >&3' _ "$MNT"
# shellcheck disable=SC2016
reply=$(as_nobody bash -c 'exec 3<>"$1/new"; echo "{}" >&3 2>/dev/null; read -r -t 5 r <&3; echo "$r"' _ "$MNT")
assert_json "$reply" 'j["error"]["name"] == "EMFILE" and "max_sockets_per_user" in j["error"]["message"]' "reply of new at the limit"
expect_fail "Too many open files" as_nobody timeout 10 cat "$MNT/$l/accept"
# shellcheck disable=SC2016
reply=$(as_nobody bash -c 'exec 3<>"$1/ctl"; echo "{\"op\":\"accept\"}" >&3 2>/dev/null; read -r -t 5 r <&3; echo "$r"' _ "$MNT/$l")
assert_json "$reply" 'j["error"]["name"] == "EMFILE"' "accept command at the limit"

# Another user is not limited by nobody's count.
r=$(new_socket)
rmdir "$MNT/$r"

# The second connection stayed queued: after a close, accept takes it.
as_nobody rmdir "$MNT/$x"
a2=$(as_nobody timeout 10 cat "$MNT/$l/accept")
assert_match '^[1-9][0-9]*$' "$a2" "accept after a close"
got=$(as_nobody timeout 10 head -c 4 "$MNT/$a2/data")
assert_eq "two" "$got" "data of the queued connection"

# ---- root accepting on nobody's listener: the socket is still nobody's
as_nobody rmdir "$MNT/$a1"
as_nobody rmdir "$MNT/$a2"
start_peer python3 "$HERE/peer.py" client 127.0.0.1 "$port" 'three\n' 100 "$WORK/c3" 2>/dev/null
a3=$(timeout 10 cat "$MNT/$l/accept")
assert_eq "700 $NOBODY $NOBODY" "$(stat -c '%a %u %g' "$MNT/$a3")" "owner of a socket root accepted on nobody's listener"
assert_json "$(cat "$MNT/$a3/status")" "j['owner'] == $NOBODY" "status owner of the accepted socket"

# ---- another user can neither list, open nor close root's socket
rs=$(new_socket)
expect_fail "Permission denied" as_nobody ls "$MNT/$rs"
expect_fail "Permission denied" as_nobody cat "$MNT/$rs/addr"
# shellcheck disable=SC2016
expect_fail "Permission denied" as_nobody bash -c 'echo "{\"op\":\"close\"}" > "$1"' _ "$MNT/$rs/ctl"
as_nobody rmdir "$MNT/$rs" 2>/dev/null && fail "nobody removed root's socket"
[[ -d "$MNT/$rs" ]] || fail "root's socket is gone"

# ---- CAP_NET_ADMIN options: nobody gets EPERM, root may
as_nobody rmdir "$MNT/$a3"
o=$(as_nobody cat "$MNT/new")
# shellcheck disable=SC2016
as_nobody bash -c 'echo "{\"op\":\"socket\",\"family\":\"AF_INET\"}" > "$1/ctl"' _ "$MNT/$o"
# shellcheck disable=SC2016
as_nobody bash -c 'echo "{\"SO_PRIORITY\": 5}" > "$1/opts"' _ "$MNT/$o" || fail "nobody cannot set SO_PRIORITY 5"
# shellcheck disable=SC2016
expect_fail "Operation not permitted" as_nobody bash -c 'echo "{\"SO_PRIORITY\": 7}" > "$1/opts"' _ "$MNT/$o"
# shellcheck disable=SC2016
reply=$(as_nobody bash -c 'exec 3<>"$1/opts"; echo "{\"SO_PRIORITY\": 7}" >&3 2>/dev/null; read -r -t 5 r <&3; echo "$r"' _ "$MNT/$o")
assert_json "$reply" 'j["error"]["name"] == "EPERM" and "CAP_NET_ADMIN" in j["error"]["message"]' "reply of nobody's SO_PRIORITY 7"
assert_json "$(as_nobody cat "$MNT/$o/opts")" 'j["SO_PRIORITY"] == 5' "SO_PRIORITY after the refusal"
# shellcheck disable=SC2016
expect_fail "Operation not permitted" as_nobody bash -c 'echo "{\"SO_MARK\": 1}" > "$1/opts"' _ "$MNT/$o"
# Root (the owner of no such socket, but root) may.
echo '{"SO_PRIORITY": 7}' >"$MNT/$o/opts"
assert_json "$(cat "$MNT/$o/opts")" 'j["SO_PRIORITY"] == 7' "SO_PRIORITY set by root"
