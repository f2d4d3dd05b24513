#!/bin/bash
# Bad input gets a clear EINVAL, never a different meaning (issue 12):
# duplicate keys in every JSON a user writes (ctl, msgs, opts, new,
# net/query), numbers beyond a C int (backlog, getsockopt level, family,
# flags), and recv with MSG_TRUNC on a stream: only the count, never bytes
# that were not received.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

sockfs_mount

# held_write FILE TEXT: write TEXT on a held file; print the write's
# status (ok or the strerror) and the reply read back (ctl, new,
# net/query) or the socket's err file (msgs, opts), on two lines.
held_write() {
	# shellcheck disable=SC2016
	bash -c 'exec 3<>"$1"; if err=$(echo "$2" 2>&1 >&3); then echo ok; else echo "${err##*: }"; fi
		case $1 in
		*/msgs | */opts) cat "${1%/*}/err" ;;
		*) read -r -t 10 r <&3; echo "$r" ;;
		esac' _ "$1" "$2"
}
# expect_einval FILE TEXT WHAT [PYEXPR]: the write fails with EINVAL, and
# the JSON error read back says so (and PYEXPR holds on it).
expect_einval() {
	local out
	out=$(held_write "$1" "$2")
	assert_eq "Invalid argument" "${out%%$'\n'*}" "$3: the write's errno"
	assert_json "${out#*$'\n'}" "j['error']['name'] == 'EINVAL' and (${4:-True})" "$3: the error read back"
}

# ---- duplicate keys
id=$(new_socket)
expect_einval "$MNT/$id/ctl" '{"op":"help","op":"close"}' 'ctl {"op":"help","op":"close"}' '"duplicate" in j["error"]["message"]'
[[ -d "$MNT/$id" ]] || fail "the socket was closed by a command with two ops"
assert_json "$(cat "$MNT/$id/status")" 'j["state"] != "closed"' "state after the duplicate op"
ctl "$id" '{"op":"socket","family":"AF_INET","type":"SOCK_DGRAM"}'
ctl "$id" '{"op":"bind","address":["127.0.0.1",0]}'
port=$(json_get "$(cat "$MNT/$id/addr")" 'j["local"][1]')
expect_einval "$MNT/$id/msgs" "{\"data\":\"a\",\"data\":\"b\",\"address\":[\"127.0.0.1\",$port]}" "msgs with two data keys"
expect_einval "$MNT/$id/opts" '{"SO_BROADCAST":true,"SO_BROADCAST":false}' "opts with a key twice"
expect_einval "$MNT/new" '{"family":"AF_INET","family":"AF_INET6"}' "new with two families"
expect_einval "$MNT/net/query" '{"op":"getaddrinfo","host":"localhost","host":"127.0.0.1","port":1}' "net/query with two hosts"

# ---- numbers beyond a C int: EINVAL, not another number
t=$(new_socket)
ctl "$t" '{"op":"socket","family":"AF_INET","type":"SOCK_STREAM"}'
ctl "$t" '{"op":"bind","address":["127.0.0.1",0]}'
expect_einval "$MNT/$t/ctl" '{"op":"listen","backlog":9223372036854775807}' "backlog 2^63-1" '"backlog" in j["error"]["message"]'
expect_einval "$MNT/$t/ctl" '{"op":"listen","backlog":4294967296}' "backlog 2^32"
assert_json "$(cat "$MNT/$t/status")" 'j["state"] != "listening"' "not listening after the refused backlogs"
expect_einval "$MNT/$t/ctl" '{"op":"getsockopt","level":4294967297,"optname":2}' "getsockopt level 2^32+1" '"level" in j["error"]["message"]'
expect_einval "$MNT/$t/ctl" '{"op":"getsockopt","level":1,"optname":4294967298}' "getsockopt optname 2^32+2"
expect_einval "$MNT/$t/ctl" '{"op":"setsockopt","level":4294967297,"optname":2,"int":1}' "setsockopt level 2^32+1"
expect_einval "$MNT/$t/ctl" '{"op":"recv","bufsize":10,"flags":4294967360}' "recv flags 2^32+64"
u=$(new_socket)
expect_einval "$MNT/$u/ctl" '{"op":"socket","family":4294967298,"type":"SOCK_STREAM"}' "socket family 2^32+2"
expect_einval "$MNT/new" '{"family":"AF_INET","type":4294967297}' "new with type 2^32+1"
assert_json "$(cat "$MNT/$u/status")" 'j["family"] is None' "no kernel socket after the refused family"
ctl "$t" '{"op":"listen","backlog":-5}' # Python clamps a negative backlog to 0

# ---- recv MSG_TRUNC on a stream: the count of discarded bytes, no bytes
lport=$(json_get "$(cat "$MNT/$t/addr")" 'j["local"][1]')
start_peer python3 -c '
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"hello")
time.sleep(30)' "$lport"
a=$(json_get "$(ctl_reply "$t" '{"op":"accept"}')" 'j["id"]')
# recv waits for the first bytes, then discards up to bufsize of them.
reply=$(ctl_reply "$a" '{"op":"recv","bufsize":1000,"flags":"MSG_TRUNC"}')
assert_json "$reply" 'j["data"] == "" and 0 < j["discarded"] <= 5 and set(j) <= {"ok", "op", "data", "encoding", "size", "discarded"}' "recv MSG_TRUNC on a stream: only the count"
n=$(json_get "$reply" 'j["discarded"]')
# What was not discarded is still there, unchanged.
if ((n < 5)); then
	reply=$(ctl_reply "$a" '{"op":"recv","bufsize":1000}')
	assert_json "$reply" "j['data'] == 'hello'[$n:]" "the bytes after those MSG_TRUNC discarded"
fi
log ok
