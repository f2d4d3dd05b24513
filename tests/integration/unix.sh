#!/bin/bash
# AF_UNIX: stream, dgram and seqpacket on a path and in the abstract
# namespace against a python peer; socketpair both ways; SCM_RIGHTS between
# two sockfs sockets and with an outside process; peer credentials and
# SO_PASSCRED; paths bound and connected with the caller's rights; raw
# sockets refused to an unprivileged caller.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

sockfs_mount
PEER="$HERE/dgram_peer.py"
command -v setpriv >/dev/null || skip "setpriv (util-linux) is not installed"

# new_unix TYPE: an AF_UNIX socket of TYPE made through new.
new_unix() {
	local fd id
	exec {fd}<>"$MNT/new"
	echo '{"family":"AF_UNIX","type":"'"$1"'"}' >&"$fd"
	read -r -t 10 id <&"$fd" || fail "no id from new"
	exec {fd}<&-
	echo "$id"
}

# json_addr ADDRESS: the JSON string of a unix address (@name = abstract).
json_addr() {
	python3 -c '
import json, sys
a = sys.argv[1]
print(json.dumps("\0" + a[1:] if a.startswith("@") else a))' "$1"
}

# ---- a python server of each type, on a path and abstract
n=0
for type in stream dgram seqpacket; do
	for where in path abstract; do
		n=$((n + 1))
		if [[ $where == path ]]; then
			address=$WORK/srv-$type.sock
		else
			address=@sockfs-test-$$-$type
		fi
		rm -f "$WORK/ready"
		start_peer python3 "$PEER" unix-echo "$type" "$address" "$WORK/ready"
		wait_until 10 test -e "$WORK/ready" || fail "unix $type server on $address did not start"
		TYPE=SOCK_${type^^}
		id=$(new_unix "$TYPE")
		if [[ $type == dgram ]]; then
			# A datagram client binds to get replies: "" autobinds
			# an abstract name.
			reply=$(ctl_reply "$id" '{"op":"bind","address":""}')
			assert_json "$reply" 'j["ok"] and j["address"].startswith("\u0000")' "autobind of a unix dgram socket"
		fi
		reply=$(ctl_reply "$id" '{"op":"connect","address":'"$(json_addr "$address")"'}')
		assert_json "$reply" 'j["ok"] is True' "connect to unix $type $where"
		addr=$(cat "$MNT/$id/addr")
		assert_json "$addr" 'j["peer"] == '"$(json_addr "$address")" "peer address of unix $type $where, read back as written"
		echo "hello $type $where" >"$MNT/$id/data"
		got=$(timeout 10 dd bs=65536 count=1 status=none <"$MNT/$id/data")
		assert_eq "re:hello $type $where" "$got" "echo over unix $type $where"
		if [[ $type != dgram ]]; then
			cred=$(cat "$MNT/$id/opts")
			assert_json "$cred" 'j["SO_PEERCRED"] == {"pid": '"$PEER_PID"', "uid": 0, "gid": 0}' "SO_PEERCRED of unix $type $where"
		fi
		rmdir "$MNT/$id"
	done
done

# ---- socketpair: bytes both ways, on stream and seqpacket
for type in SOCK_STREAM SOCK_SEQPACKET; do
	a=$(new_socket)
	reply=$(ctl_reply "$a" '{"op":"socketpair","type":"'"$type"'"}')
	assert_json "$reply" 'j["ok"] and j["ids"][0] == '"$a"' and j["ids"][1] > '"$a" "reply to socketpair"
	b=$(json_get "$reply" 'j["ids"][1]')
	assert_json "$(cat "$MNT/$b/status")" 'j["family"] == "AF_UNIX" and j["type"] == "'"$type"'" and j["state"] == "connected"' "status of the second socket"
	echo "a to b" >"$MNT/$a/data"
	got=$(timeout 10 dd bs=65536 count=1 status=none <"$MNT/$b/data")
	assert_eq "a to b" "$got" "socketpair $type a->b"
	echo "b to a" >"$MNT/$b/data"
	got=$(timeout 10 dd bs=65536 count=1 status=none <"$MNT/$a/data")
	assert_eq "b to a" "$got" "socketpair $type b->a"
	rmdir "$MNT/$a" "$MNT/$b"
done
# msgs on a stream: a chunk per line; the peer's close is EOF.
a=$(new_socket)
reply=$(ctl_reply "$a" '{"op":"socketpair"}')
b=$(json_get "$reply" 'j["ids"][1]')
echo '{"data":"chunk\u0000one","flags":["MSG_DONTWAIT"]}' >"$MNT/$a/msgs"
rmdir "$MNT/$a"
got=$(timeout 10 cat "$MNT/$b/msgs") || fail "cat msgs did not end at the peer's close"
assert_json "$got" 'j["data"] == "chunk\u0000one" and j["address"] is None' "stream chunk through msgs, then EOF"
rmdir "$MNT/$b"

a=$(new_socket)
expect_write_error "Invalid argument" put "$MNT/$a/ctl" '{"op":"socketpair","type":"SOCK_NOPE"}'
ctl "$a" '{"op":"socketpair"}'
expect_write_error "Transport endpoint is already connected" put "$MNT/$a/ctl" '{"op":"socketpair"}'
rmdir "$MNT/$a" "$MNT/$((a + 1))"

# ---- SO_PASSCRED: credentials of the sender on a dgram pair
a=$(new_socket)
reply=$(ctl_reply "$a" '{"op":"socketpair","type":"SOCK_DGRAM"}')
b=$(json_get "$reply" 'j["ids"][1]')
echo '{"SO_PASSCRED":true}' >"$MNT/$b/opts"
echo "who" >"$MNT/$a/data"
m=$(timeout 10 head -n1 "$MNT/$b/msgs" 2>/dev/null)
assert_json "$m" 'j["data"] == "who\n" and j["address"] is None and j["ancillary"]["credentials"] == {"pid": '"$SOCKFS_PID"', "uid": 0, "gid": 0}' "SCM_CREDENTIALS"
rmdir "$MNT/$a" "$MNT/$b"

# ---- descriptors passed to a data read are closed by the kernel, never
# adopted as unreported sockets
a=$(new_socket)
reply=$(ctl_reply "$a" '{"op":"socketpair","type":"SOCK_DGRAM"}')
b=$(json_get "$reply" 'j["ids"][1]')
t=$(new_unix SOCK_STREAM)
echo '{"data":"with fd","fds":['"$t"']}' >"$MNT/$a/msgs"
rmdir "$MNT/$t"
ls_before=$(ls "$MNT")
fds_before=$(ls "/proc/$SOCKFS_PID/fd" | wc -l)
got=$(timeout 10 dd bs=65536 count=1 status=none <"$MNT/$b/data")
assert_eq "with fd" "$got" "payload of a message with an fd, read through data"
assert_eq "$ls_before" "$(ls "$MNT")" "no socket appears from an fd passed to a data read"
assert_eq "$fds_before" "$(ls "/proc/$SOCKFS_PID/fd" | wc -l)" "daemon fds after an fd passed to a data read"
rmdir "$MNT/$a" "$MNT/$b"

# ---- SCM_RIGHTS between two sockfs sockets: pass a TCP connection
port=$(free_port 127.0.0.1)
start_peer python3 "$HERE/peer.py" echo-server 127.0.0.1 "$port"
wait_port 127.0.0.1 "$port"
tcp=$(new_socket)
ctl "$tcp" '{"op":"connect","address":["127.0.0.1",'"$port"']}'
a=$(new_socket)
reply=$(ctl_reply "$a" '{"op":"socketpair"}')
b=$(json_get "$reply" 'j["ids"][1]')
fds_before=$(ls "/proc/$SOCKFS_PID/fd" | wc -l)
exec 6<>"$MNT/$a/msgs"
echo '{"data":"take it","fds":['"$tcp"']}' >&6
exec 6>&-
rmdir "$MNT/$tcp" # the passed descriptor lives on in the new socket
m=$(timeout 10 head -n1 "$MNT/$b/msgs" 2>/dev/null)
assert_json "$m" 'j["data"] == "take it" and len(j["ancillary"]["fds"]) == 1 and j["ancillary"]["fds"][0]["family"] == "AF_INET" and j["ancillary"]["fds"][0]["type"] == "SOCK_STREAM"' "received descriptor"
got_id=$(json_get "$m" 'j["ancillary"]["fds"][0]["id"]')
assert_json "$(cat "$MNT/$got_id/status")" 'j["state"] == "connected" and j["peer"] == ["127.0.0.1", '"$port"'] and j["owner"] == 0' "status of the received socket"
echo "through the passed socket" >"$MNT/$got_id/data"
got=$(timeout 10 dd bs=65536 count=1 status=none <"$MNT/$got_id/data")
assert_eq "through the passed socket" "$got" "echo through the received socket"
rmdir "$MNT/$got_id"
# Another user's socket cannot be passed.
other=$(as_nobody cat "$MNT/new")
as_nobody bash -c "echo '{\"op\":\"socketpair\"}' > $MNT/$other/ctl"
expect_write_error "Permission denied" as_nobody bash -c "echo '{\"data\":\"x\",\"fds\":[$a]}' > $MNT/$other/msgs"
rmdir "$MNT/$other" "$MNT/$((other + 1))"

# ---- SCM_RIGHTS with an outside process: not-a-socket is kept as N/fdK
srv=$(new_unix SOCK_STREAM)
ctl "$srv" '{"op":"listen","address":"'"$WORK/fdsrv.sock"'"}'
start_peer python3 "$PEER" send-fds "$WORK/fdsrv.sock"
sender=$PEER_PID
conn=$(timeout 10 cat "$MNT/$srv/accept")
m=$(timeout 10 head -n1 "$MNT/$conn/msgs" 2>/dev/null)
assert_json "$m" 'j["data"] == "two fds" and j["ancillary"]["fds"][0]["kind"] == "chr" and j["ancillary"]["fds"][0]["id"] is None and j["ancillary"]["fds"][1]["family"] == "AF_UNIX"' "received /dev/null and a socket"
got_id=$(json_get "$m" 'j["ancillary"]["fds"][1]["id"]')
assert_eq "" "$(cat "$MNT/$conn/fd0")" "the /dev/null it received reads as /dev/null"
ctl "$conn" '{"op":"closefd","fd":0}'
expect_fail "No such file" cat "$MNT/$conn/fd0"
echo -n ping >"$MNT/$got_id/data"
wait_pid "$sender"
assert_eq 0 "$WAIT_RC" "the sender got ping through the socket it passed"
rmdir "$MNT/$got_id" "$MNT/$conn"
# sockfs passes one of its sockets to an outside process
p1=$(new_socket)
reply=$(ctl_reply "$p1" '{"op":"socketpair"}')
p2=$(json_get "$reply" 'j["ids"][1]')
start_peer python3 "$PEER" recv-fd "$WORK/fdsrv.sock" "$WORK/recvd"
receiver=$PEER_PID
conn=$(timeout 10 cat "$MNT/$srv/accept")
echo '{"data":"yours","fds":['"$p1"']}' >"$MNT/$conn/msgs"
got=$(timeout 10 dd bs=65536 count=1 status=none <"$MNT/$p2/data")
assert_eq "via passed fd" "$got" "bytes from the outside process through the passed socket"
wait_pid "$receiver"
assert_eq 0 "$WAIT_RC" "recv-fd exit status"
assert_eq "ok yours" "$(cat "$WORK/recvd")" "the outside process got the message"
rmdir "$MNT/$p1" "$MNT/$p2" "$MNT/$conn" "$MNT/$srv" "$MNT/$a" "$MNT/$b"
fds_after=$(ls "/proc/$SOCKFS_PID/fd" | wc -l)
((fds_after <= fds_before)) || fail "daemon fds: $fds_before before the fd passing, $fds_after after"

# ---- paths are bound and connected with the caller's rights
mkdir -m 755 "$WORK/rootonly"
mkdir -m 755 "$WORK/nobodys"
chown 65534:65534 "$WORK/nobodys"
u=$(as_nobody cat "$MNT/new")
as_nobody bash -c "echo '{\"op\":\"socket\",\"family\":\"AF_UNIX\",\"type\":\"SOCK_STREAM\"}' > $MNT/$u/ctl"
expect_write_error "Permission denied" as_nobody bash -c "echo '{\"op\":\"bind\",\"address\":\"$WORK/rootonly/s\"}' > $MNT/$u/ctl"
[[ ! -e "$WORK/rootonly/s" ]] || fail "nobody created a socket in a root-only directory"
as_nobody bash -c "echo '{\"op\":\"bind\",\"address\":\"$WORK/nobodys/s\"}' > $MNT/$u/ctl"
assert_eq "socket 65534:65534" "$(stat -c '%F %u:%g' "$WORK/nobodys/s")" "owner of the bound socket file"
rmdir "$MNT/$u"
# connect: a socket in a directory nobody cannot search is out of reach
mkdir -m 700 "$WORK/private"
rm -f "$WORK/ready"
start_peer python3 "$PEER" unix-echo stream "$WORK/private/s" "$WORK/ready"
wait_until 10 test -e "$WORK/ready" || fail "private unix server did not start"
u=$(as_nobody cat "$MNT/new")
expect_write_error "Permission denied" as_nobody bash -c "echo '{\"op\":\"connect\",\"address\":\"$WORK/private/s\"}' > $MNT/$u/ctl"
rmdir "$MNT/$u"
# sendto (a msgs write with an address): the same rule
rm -f "$WORK/ready"
start_peer python3 "$PEER" unix-echo dgram "$WORK/private/d" "$WORK/ready"
wait_until 10 test -e "$WORK/ready" || fail "private unix dgram server did not start"
u=$(as_nobody cat "$MNT/new")
as_nobody bash -c "echo '{\"op\":\"socket\",\"family\":\"AF_UNIX\",\"type\":\"SOCK_DGRAM\"}' > $MNT/$u/ctl"
expect_write_error "Permission denied" as_nobody bash -c "echo '{\"data\":\"x\",\"address\":\"$WORK/private/d\"}' > $MNT/$u/msgs"
rmdir "$MNT/$u"
u=$(new_unix SOCK_DGRAM)
ctl "$u" '{"op":"bind","address":""}'
echo '{"data":"root may","address":"'"$WORK/private/d"'"}' >"$MNT/$u/msgs"
assert_eq "re:root may" "$(timeout 10 dd bs=65536 count=1 status=none <"$MNT/$u/data")" "sendto a private path by root, and the reply"
rmdir "$MNT/$u"

# ---- raw sockets need CAP_NET_RAW of the caller, though the daemon is root
u=$(as_nobody cat "$MNT/new")
expect_write_error "Operation not permitted" as_nobody bash -c "echo '{\"op\":\"socket\",\"family\":\"AF_INET\",\"type\":\"SOCK_RAW\",\"proto\":\"IPPROTO_ICMP\"}' > $MNT/$u/ctl"
assert_json "$(cat "$MNT/$u/err")" '"CAP_NET_RAW" in j["error"]["message"]' "message of the refused raw socket"
expect_write_error "Operation not permitted" as_nobody bash -c "echo '{\"op\":\"socketpair\",\"family\":\"AF_UNIX\",\"type\":\"SOCK_RAW\"}' > $MNT/$u/ctl"
rmdir "$MNT/$u"
# Option values the kernel reserves for a capability: refused to nobody,
# allowed to root, although the daemon is root either way
u=$(as_nobody cat "$MNT/new")
as_nobody bash -c "echo '{\"op\":\"socket\",\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\"}' > $MNT/$u/ctl"
as_nobody bash -c "echo '{\"SO_PRIORITY\":6}' > $MNT/$u/opts"
expect_write_error "Operation not permitted" as_nobody bash -c "echo '{\"SO_PRIORITY\":7}' > $MNT/$u/opts"
assert_json "$(cat "$MNT/$u/err")" '"CAP_NET_RAW" in j["error"]["message"] and j["error"]["op"] == "setsockopt"' "message of the refused SO_PRIORITY"
expect_write_error "Permission denied" as_nobody bash -c "echo '{\"SO_DEBUG\":true}' > $MNT/$u/opts"
assert_json "$(cat "$MNT/$u/opts")" 'j["SO_PRIORITY"] == 6 and j["SO_DEBUG"] is False' "options after the refusals"
echo '{"SO_PRIORITY":7,"SO_DEBUG":true}' >"$MNT/$u/opts"
assert_json "$(cat "$MNT/$u/opts")" 'j["SO_PRIORITY"] == 7 and j["SO_DEBUG"] is True' "root sets them"
rmdir "$MNT/$u"
# ... also through new: the write fails, and a read of the same open file
# gives the error, not the id of a socket made anyway
ls_before=$(ls "$MNT")
got=$(as_nobody bash -c "exec 3<>$MNT/new; echo '{\"family\":\"AF_INET\",\"type\":\"SOCK_RAW\",\"proto\":\"IPPROTO_ICMP\"}' >&3 && echo written; read -r r <&3; echo \"\$r\"" 2>&1) || true
assert_match 'write error: Operation not permitted' "$got" "raw socket through new, unprivileged"
assert_json "${got##*$'\n'}" 'j["error"]["name"] == "EPERM" and "CAP_NET_RAW" in j["error"]["message"]' "read after the refused write to new"
assert_eq "$ls_before" "$(ls "$MNT")" "no socket made by a refused write to new"
# The same request from root (CAP_NET_RAW) succeeds: the refusal above is
# the caller's missing capability, not the kernel's.
exec 7<>"$MNT/new"
echo '{"family":"AF_INET","type":"SOCK_RAW","proto":"IPPROTO_ICMP"}' >&7
read -r -t 10 r <&7
exec 7<&-
assert_json "$(cat "$MNT/$r/status")" 'j["type"] == "SOCK_RAW" and j["proto"] == 1 and j["family"] == "AF_INET"' "raw socket of a privileged caller"
rmdir "$MNT/$r"
