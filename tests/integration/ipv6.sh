#!/bin/bash
# IPv6: a stream client over ::1 against an echo server, with one data file
# open for reading and writing at once; a datagram socket made through new.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

sockfs_mount
PEER="$HERE/peer.py"

python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null ||
	skip "no IPv6 loopback (::1)"
command -v ss >/dev/null || skip "ss (iproute2) is not installed"

# ---- stream
port=$(free_port ::1)
start_peer python3 "$PEER" echo-server ::1 "$port"
wait_port ::1 "$port"

id=$(new_socket)
reply=$(ctl_reply "$id" '{"op":"connect","address":["::1",'"$port"']}')
assert_json "$reply" 'j["ok"] is True and j["op"] == "connect" and j["address"] == ["::1", '"$port"', 0, 0]' "reply to connect"
assert_json "$reply" 'j["local"][0] == "::1" and len(j["local"]) == 4 and j["local"][1] > 0' "local address in the reply to connect"

addr=$(cat "$MNT/$id/addr")
assert_json "$addr" 'j["peer"] == ["::1", '"$port"', 0, 0]' "addr: peer"
assert_json "$addr" 'j["local"][0] == "::1" and len(j["local"]) == 4' "addr: local"
status=$(cat "$MNT/$id/status")
assert_json "$status" 'j["family"] == "AF_INET6" and j["state"] == "connected" and j["peer"] == ["::1", '"$port"', 0, 0]' "status"

# One open file for reading and writing: a blocked read does not hold up
# the write.
exec 3<>"$MNT/$id/data"
cat <&3 >"$WORK/echoed" &
reader=$!
echo "hello over six" >&3
wait_until 10 grep -qx "hello over six" "$WORK/echoed" ||
	fail "echo server's reply not read: got [$(cat "$WORK/echoed")]"
# Shutting down our side makes the echo server close: cat sees EOF.
reply=$(ctl_reply "$id" '{"op":"shutdown","how":"SHUT_WR"}')
assert_json "$reply" 'j == {"ok": True, "op": "shutdown", "how": "SHUT_WR"}' "reply to shutdown"
wait_pid "$reader"
assert_eq 0 "$WAIT_RC" "exit status of cat <&3"
exec 3>&-
assert_eq "hello over six" "$(cat "$WORK/echoed")" "echoed bytes"
rmdir "$MNT/$id"

# ---- datagram, family and type given to new
uport=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.bind(("::1", 0)); print(s.getsockname()[1])')
start_peer python3 "$PEER" udp-echo ::1 "$uport"
exec 4<>"$MNT/new"
echo '{"family":"AF_INET6","type":"SOCK_DGRAM"}' >&4
read -r -t 10 uid <&4 || fail "no id read back from new after the socket command"
exec 4<&-
assert_match '^[1-9][0-9]*$' "$uid" "id from new"
status=$(cat "$MNT/$uid/status")
assert_json "$status" 'j["family"] == "AF_INET6" and j["type"] == "SOCK_DGRAM" and j["state"] == "open"' "status of the datagram socket"

udp_bound() { [[ -n "$(ss -Hlun "sport = :$uport" 2>/dev/null)" ]]; }
wait_until 10 udp_bound || fail "the UDP echo server did not bind [::1]:$uport"
ctl "$uid" '{"op":"connect","address":["::1",'"$uport"']}'
echo "dgram 1" >"$MNT/$uid/data"
# One read(2) of 64 KiB takes the whole datagram.
got=$(timeout 10 dd bs=65536 count=1 status=none <"$MNT/$uid/data") ||
	fail "no datagram read back from data"
assert_eq 'dgram 1' "$got" "datagram echoed"
assert_json "$(cat "$MNT/$uid/addr")" 'j["peer"] == ["::1", '"$uport"', 0, 0]' "addr of the datagram socket"
ctl "$uid" '{"op":"close"}'
assert_eq "" "$(ls "$MNT" | grep -E '^[0-9]+$' || true)" "socket directories in the mount at the end"
