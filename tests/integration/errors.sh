#!/bin/bash
# Errors: the failing write(2) and its errno, the JSON reply read back on a
# held ctl fd, the err and status files; command syntax errors; name errors;
# files of a closed socket; other sockets are unaffected.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

sockfs_mount

# Writers on held fds, for expect_write_error (which runs them in a
# subshell that inherits the fds).
w3() { echo "$1" >&3; }
w5() { echo "$1" >&5; }

# read_reply: read one reply from fd 3, fail if none comes.
read_reply() {
	local r=
	read -r -t 10 r <&3 || fail "no reply read back from ctl (got [$r])"
	echo "$r"
}

# check_einval JSON: writing JSON to the held ctl fails with EINVAL; print
# the error message of the reply.
check_einval() {
	local reply
	expect_write_error "Invalid argument" w3 "$1"
	reply=$(read_reply)
	assert_json "$reply" 'j["error"]["errno"] == 22 and j["error"]["name"] == "EINVAL" and isinstance(j["error"]["message"], str)' "reply to [$1]"
	json_get "$reply" 'j["error"]["message"]'
}

closed=$(free_port 127.0.0.1)
connect_closed='{"op":"connect","address":["127.0.0.1",'"$closed"']}'
refused='{"error": {"errno": 111, "name": "ECONNREFUSED", "message": "Connection refused", "op": "connect"}}'

# ---- connect to a closed port with a plain echo > ctl
id=$(new_socket)
assert_eq "null" "$(cat "$MNT/$id/err")" "err of a new socket"
expect_write_error "Connection refused" put "$MNT/$id/ctl" "$connect_closed"
err=$(cat "$MNT/$id/err")
assert_json "$err" "j == $refused" "err after a refused connect"
# status's "error" is the last error as in err.
assert_json "$(cat "$MNT/$id/status")" "j['error'] == $err" "status.error after a refused connect"

# ---- the same on a held fd: the reply is read back
id2=$(new_socket)
exec 3<>"$MNT/$id2/ctl"
expect_write_error "Connection refused" w3 "$connect_closed"
reply=$(read_reply)
assert_json "$reply" 'j["error"]["errno"] == 111' "reply: error.errno"
assert_json "$reply" 'j["error"]["name"] == "ECONNREFUSED"' "reply: error.name"
assert_json "$reply" 'j["error"]["message"] == "Connection refused"' "reply: error.message"
assert_json "$reply" 'j["error"]["op"] == "connect"' "reply: error.op"
assert_json "$reply" "j == $refused" "reply to a refused connect"
assert_json "$(cat "$MNT/$id2/err")" "j == $refused" "err of socket $id2"
expect_eof 3 "read of ctl with no reply pending"

# ---- syntax errors, on the same held fd
msg=$(check_einval '{"op":')
assert_match '^invalid JSON: .* at line [0-9]+ column [0-9]+' "$msg" "message for malformed JSON"
expect_write_error "Invalid argument" w3 '{this is not JSON'
reply=$(read_reply)
assert_json "$reply" 'j["error"]["op"] is None and j["error"]["message"].startswith("invalid JSON")' "reply to malformed JSON"

msg=$(check_einval '{"op":"frobnicate"}')
for op in socket connect bind listen accept shutdown close getsockname getpeername help; do
	[[ "$msg" == *"$op"* ]] || fail "message for an unknown op does not list \"$op\": [$msg]"
done
msg=$(check_einval '{"op":"listen","backlog":"lots"}')
assert_match 'backlog' "$msg" "message for a mistyped backlog"
msg=$(check_einval '{"op":"connect","address":42}')
assert_match 'address' "$msg" "message for a mistyped address"
msg=$(check_einval '{"op":"connect"}')
assert_match 'address' "$msg" "message for a missing address"
msg=$(check_einval '{"op":"shutdown","how":"SHUT_SIDEWAYS"}')
assert_match 'how' "$msg" "message for a bad how"
msg=$(check_einval '{"op":"getsockname","bogus":1}')
assert_match 'bogus' "$msg" "message for an unknown key"
msg=$(check_einval '{"address":["127.0.0.1",1]}')
assert_match 'op' "$msg" "message for a missing op"
check_einval '[1,2,3]' >/dev/null
# err keeps the last error.
assert_json "$(cat "$MNT/$id2/err")" 'j["error"]["name"] == "EINVAL"' "err after the syntax errors"
# A plain echo of bad JSON fails the same way.
expect_write_error "Invalid argument" put "$MNT/$id2/ctl" '{"op":"connect",}'
assert_json "$(cat "$MNT/$id2/err")" 'j["error"]["message"].startswith("invalid JSON")' "err after echo of bad JSON"

# The socket still answers commands.
echo '{"op":"help"}' >&3
reply=$(read_reply)
assert_json "$reply" 'j["ok"] is True and j["op"] == "help" and {"connect", "bind", "accept"} <= {o["op"] for o in j["ops"]}' "reply to help"
exec 3>&-

# ---- replies belong to the open file that wrote the command
exec 3<>"$MNT/$id2/ctl" 4<>"$MNT/$id2/ctl"
echo '{"op":"help"}' >&3
expect_eof 4 "read of another open ctl file after help on the first"
reply=$(read_reply)
assert_json "$reply" 'j["op"] == "help"' "reply on the file that wrote help"
exec 3>&- 4>&-

# ---- a name that does not resolve
expected=$(python3 -c '
import errno, os, socket
table = {"EAI_NONAME": "ENXIO", "EAI_NODATA": "ENXIO", "EAI_ADDRFAMILY": "ENXIO",
         "EAI_AGAIN": "EAGAIN", "EAI_FAIL": "EIO", "EAI_MEMORY": "ENOMEM",
         "EAI_FAMILY": "EAFNOSUPPORT", "EAI_SOCKTYPE": "ESOCKTNOSUPPORT",
         "EAI_SERVICE": "EINVAL", "EAI_BADFLAGS": "EINVAL"}
try:
    socket.getaddrinfo("nonexistent.invalid", 80, type=socket.SOCK_STREAM)
    print("resolves")
except socket.gaierror as e:
    gai = next(n for n in table if getattr(socket, n, None) == e.errno)
    err = table[gai]
    num = getattr(errno, err)
    print("%s\t%d\t%s\t%s\t%d\t%s" % (err, num, os.strerror(num), gai, e.errno, e.strerror))
')
if [[ "$expected" == resolves ]]; then
	log "nonexistent.invalid resolves here: skipping the name error part"
else
	IFS=$'\t' read -r ename enum etext gname gnum gtext <<<"$expected"
	log "nonexistent.invalid: expecting $gname -> $ename"
	id3=$(new_socket)
	exec 3<>"$MNT/$id3/ctl"
	expect_write_error "$etext" w3 '{"op":"connect","address":["nonexistent.invalid",80]}'
	reply=$(read_reply)
	assert_json "$reply" 'j["error"]["errno"] == '"$enum"' and j["error"]["name"] == "'"$ename"'" and j["error"]["op"] == "connect"' "reply to a name error"
	assert_json "$reply" 'j["error"]["gai"] == {"errno": '"$gnum"', "name": "'"$gname"'"}' "gai part of the reply to a name error"
	assert_json "$reply" 'j["error"]["message"] == "'"$gtext"'"' "message of the reply to a name error (gai_strerror)"
	exec 3>&-
	rmdir "$MNT/$id3"
fi

# ---- data and accept of a socket that is not connected / not listening
id4=$(new_socket)
expect_write_error "Transport endpoint is not connected" put "$MNT/$id4/data" hi
expect_fail "Transport endpoint is not connected" cat "$MNT/$id4/data"
expect_fail "Invalid argument" cat "$MNT/$id4/accept"

# ---- EADDRINUSE, and files after close
lst=$(new_socket)
reply=$(ctl_reply "$lst" '{"op":"bind","address":["127.0.0.1",0]}')
assert_json "$reply" 'j["ok"] is True and j["address"][0] == "127.0.0.1" and j["address"][1] > 0' "reply to bind"
lport=$(json_get "$reply" 'j["address"][1]')
ctl "$lst" '{"op":"listen"}'
expect_write_error "Address already in use" put "$MNT/$id4/ctl" '{"op":"bind","address":["127.0.0.1",'"$lport"']}'
assert_json "$(cat "$MNT/$id4/err")" 'j["error"]["errno"] == 98 and j["error"]["name"] == "EADDRINUSE" and j["error"]["op"] == "bind"' "err after EADDRINUSE"

cli=$(new_socket)
ctl "$cli" '{"op":"connect","address":["127.0.0.1",'"$lport"']}'
acc=$(timeout 10 cat "$MNT/$lst/accept")
assert_match '^[1-9][0-9]*$' "$acc" "id from accept"

# A read parked on the accepted socket ends with EOF when it is closed.
cat "$MNT/$acc/data" >"$WORK/parked" &
parked=$!
wait_blocked "$parked"
exec 5<>"$MNT/$cli/data"
ctl "$cli" '{"op":"close"}'
[[ ! -e "$MNT/$cli" ]] || fail "$MNT/$cli still exists after close"
expect_eof 5 "read of data after close"
expect_write_error "Bad file descriptor" w5 hi
exec 5>&-
expect_fail "No such file or directory" cat "$MNT/$cli/status"

# The peer closed: the parked read gets EOF; then close the accepted
# socket while another read is parked on it.
wait_pid "$parked"
assert_eq 0 "$WAIT_RC" "exit status of cat data when the peer closed"
cat "$MNT/$lst/accept" >"$WORK/parked_accept" &
parked=$!
wait_blocked "$parked"
rmdir "$MNT/$lst"
wait_pid "$parked"
assert_eq 0 "$WAIT_RC" "exit status of a parked cat accept when the socket was closed"
assert_eq "" "$(cat "$WORK/parked_accept")" "what a parked accept read after close"
rmdir "$MNT/$acc"

# ---- the first socket, which failed, and a new one still work
reply=$(ctl_reply "$id" '{"op":"help"}')
assert_json "$reply" 'j["ok"] is True and j["op"] == "help"' "help on the socket whose connect failed"
ok=$(new_socket)
reply=$(ctl_reply "$ok" '{"op":"bind","address":["127.0.0.1",0]}')
assert_json "$reply" 'j["ok"] is True and j["op"] == "bind" and j["address"][1] > 0' "bind on a fresh socket after the errors"
assert_eq "null" "$(cat "$MNT/$ok/err")" "err of the fresh socket"
