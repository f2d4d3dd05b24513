#!/bin/bash
# create_server semantics: listen with address, backlog, reuse_port and
# dualstack_ipv6 in one command; has_ipv6 and has_dualstack_ipv6; UDP-Lite
# options; MPTCP's clear error or success.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

sockfs_mount

has6=$(python3 -c 'import socket; print("true" if socket.has_ipv6 and socket.has_dualstack_ipv6() else "false")')
assert_eq "$has6" "$(cat "$MNT/has_dualstack_ipv6")" "has_dualstack_ipv6"
assert_match '^(true|false)$' "$(cat "$MNT/has_ipv6")" "has_ipv6"
[[ "$(stat -c %a "$MNT/has_ipv6")" == 444 ]] || fail "has_ipv6 is not read-only"
expect_fail "error" bash -c "echo true > $MNT/has_ipv6"

# Non-dualstack listen with an address: bind + listen in one command.
srv=$(new_socket)
reply=$(ctl_reply "$srv" '{"op":"listen","address":["127.0.0.1",0],"backlog":4}')
assert_json "$reply" 'j["ok"] and j["backlog"] == 4 and j["address"][0] == "127.0.0.1" and j["address"][1] > 0' "listen with an address"
assert_json "$(cat "$MNT/$srv/status")" 'j["state"] == "listening"' "state after listen"
assert_json "$(cat "$MNT/$srv/opts")" 'j["SO_REUSEADDR"] is True' "create_server sets SO_REUSEADDR"
rmdir "$MNT/$srv"

# dualstack_ipv6 on an AF_INET address is an error, as in create_server.
srv=$(new_socket)
expect_write_error "Invalid argument" put "$MNT/$srv/ctl" '{"op":"listen","address":["127.0.0.1",0],"dualstack_ipv6":true}'
assert_json "$(cat "$MNT/$srv/err")" '"AF_INET6" in j["error"]["message"] or "dualstack" in j["error"]["message"]' "error of dualstack on AF_INET"
rmdir "$MNT/$srv"

[[ "$has6" == true ]] || skip "no dual-stack IPv6 here: the rest needs it"

# ---- one AF_INET6 socket reached over IPv4 and IPv6; two with reuse_port
srv=$(new_socket)
reply=$(ctl_reply "$srv" '{"op":"listen","address":["",0],"dualstack_ipv6":true,"reuse_port":true,"backlog":8}')
assert_json "$reply" 'j["ok"] and j["address"][0] == "::" and len(j["address"]) == 4' "dualstack listen reply"
port=$(json_get "$reply" 'j["address"][1]')
opts=$(cat "$MNT/$srv/opts")
assert_json "$opts" 'j["IPV6_V6ONLY"] is False and j["SO_REUSEPORT"] is True' "options of the dualstack server"
srv2=$(new_socket)
reply=$(ctl_reply "$srv2" '{"op":"listen","address":["",'"$port"'],"dualstack_ipv6":true,"reuse_port":true}')
assert_json "$reply" 'j["ok"] is True' "a second listener on the same port with reuse_port"
rmdir "$MNT/$srv2"

for host in 127.0.0.1 ::1; do
	python3 "$HERE/peer.py" client "$host" "$port" "hi from $host\\n" 100 "$WORK/out" &
	client=$!
	conn=$(timeout 10 cat "$MNT/$srv/accept")
	peer=$(json_get "$(cat "$MNT/$conn/addr")" 'j["peer"][0]')
	if [[ $host == 127.0.0.1 ]]; then
		assert_eq "::ffff:127.0.0.1" "$peer" "IPv4 client seen as a mapped address"
	else
		assert_eq "::1" "$peer" "IPv6 client"
	fi
	got=$(timeout 10 head -n1 "$MNT/$conn/data" 2>/dev/null)
	assert_eq "hi from $host" "$got" "bytes from the $host client"
	echo "bye $host" >"$MNT/$conn/data"
	ctl "$conn" '{"op":"shutdown","how":"SHUT_WR"}'
	wait_pid "$client"
	assert_eq 0 "$WAIT_RC" "client over $host"
	assert_eq "bye $host" "$(cat "$WORK/out")" "reply to the $host client"
	rmdir "$MNT/$conn"
done
rmdir "$MNT/$srv"

# ---- UDP-Lite: checksum coverage through opts
fd=
exec {fd}<>"$MNT/new"
if echo '{"family":"AF_INET","type":"SOCK_DGRAM","proto":"IPPROTO_UDPLITE"}' >&"$fd" 2>/dev/null; then
	read -r -t 10 ul <&"$fd"
	echo '{"UDPLITE_SEND_CSCOV":20,"UDPLITE_RECV_CSCOV":20}' >"$MNT/$ul/opts"
	assert_json "$(cat "$MNT/$ul/opts")" 'j["UDPLITE_SEND_CSCOV"] == 20 and j["UDPLITE_RECV_CSCOV"] == 20 and j["SO_PROTOCOL"] == 136' "UDP-Lite options"
	reply=$(ctl_reply "$ul" '{"op":"bind","address":["127.0.0.1",0]}')
	uport=$(json_get "$reply" 'j["address"][1]')
	ctl "$ul" '{"op":"connect","address":["127.0.0.1",'"$uport"']}'
	echo "lite" >"$MNT/$ul/data"
	assert_eq "lite" "$(timeout 10 dd bs=65536 count=1 status=none <"$MNT/$ul/data")" "UDP-Lite datagram to itself"
	rmdir "$MNT/$ul"
else
	log "no UDP-Lite in this kernel: part skipped"
fi
exec {fd}<&-

# ---- MPTCP: works, or a clear error
m=$(new_socket)
if echo '{"op":"socket","family":"AF_INET","type":"SOCK_STREAM","proto":"IPPROTO_MPTCP"}' >"$MNT/$m/ctl" 2>/dev/null; then
	assert_json "$(cat "$MNT/$m/status")" 'j["proto"] == 262' "MPTCP socket"
else
	assert_json "$(cat "$MNT/$m/err")" '"MPTCP" in j["error"]["message"]' "MPTCP error message"
fi
rmdir "$MNT/$m"
