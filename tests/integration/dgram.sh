#!/bin/bash
# Datagrams: UDP echo over 127.0.0.1 and ::1 through data and through msgs
# (source addresses checked); bash's read loses nothing of a datagram; two
# peers talking to one unconnected socket; connect null dissolves the peer;
# ancillary data (IP_PKTINFO, SO_TIMESTAMPNS); errors of msgs writes.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

sockfs_mount
PEER="$HERE/dgram_peer.py"
command -v ss >/dev/null || skip "ss (iproute2) is not installed"

udp_port() {
	python3 -c '
import socket, sys
h = sys.argv[1]
s = socket.socket(socket.AF_INET6 if ":" in h else socket.AF_INET, socket.SOCK_DGRAM)
s.bind((h, 0))
print(s.getsockname()[1])' "$1"
}
udp_bound() { [[ -n "$(ss -Hlun "sport = :$1" 2>/dev/null)" ]]; }

# new_dgram FAMILY: a datagram socket made through new.
new_dgram() {
	local fd id
	exec {fd}<>"$MNT/new"
	echo '{"family":"'"$1"'","type":"SOCK_DGRAM"}' >&"$fd"
	read -r -t 10 id <&"$fd" || fail "no id from new"
	exec {fd}<&-
	echo "$id"
}

echo_over() {
	local host=$1 fam=$2 port id got line m addrjson
	port=$(udp_port "$host")
	start_peer python3 "$PEER" udp-echo "$host" "$port"
	wait_until 10 udp_bound "$port" || fail "UDP echo on [$host]:$port did not start"
	id=$(new_dgram "$fam")

	# data: connect sets the default peer; one write = one datagram.
	ctl "$id" '{"op":"connect","address":["'"$host"'",'"$port"']}'
	# bash's echo and printf write line by line (one write(2) per line):
	# a datagram of several lines is sent in one write through msgs.
	echo '{"data":"line one\nline two\n"}' >"$MNT/$id/msgs"
	exec 5<"$MNT/$id/data"
	# bash's read takes one byte per read(2): the rest of the datagram
	# stays with the open file.
	read -r -t 10 line <&5 || fail "read of the first line"
	assert_eq "echo:line one" "$line" "first line of the datagram ($host)"
	read -r -t 10 line <&5 || fail "read of the second line"
	assert_eq "line two" "$line" "second line of the same datagram ($host)"
	# The next datagram comes only after the first was consumed.
	echo "second datagram" >"$MNT/$id/data"
	read -r -t 10 line <&5 || fail "read of the second datagram"
	assert_eq "echo:second datagram" "$line" "second datagram ($host)"
	exec 5<&-
	# One read(2) of 64 KiB returns exactly one datagram, never two.
	echo "d1" >"$MNT/$id/data"
	echo "d2" >"$MNT/$id/data"
	got=$(timeout 10 dd bs=65536 count=1 status=none <"$MNT/$id/data")
	assert_eq "echo:d1" "$got" "one read = one datagram ($host)"
	got=$(timeout 10 dd bs=65536 count=1 status=none <"$MNT/$id/data")
	assert_eq "echo:d2" "$got" "the next datagram ($host)"

	# msgs: binary payload (base64 both ways), address of the source.
	exec 6<>"$MNT/$id/msgs"
	echo '{"data":"AP8Kx","encoding":"base64"}' >&6 2>/dev/null &&
		fail "invalid base64 accepted"
	echo '{"data":"AP8K","encoding":"base64"}' >&6
	read -r -t 10 m <&6 || fail "no message read from msgs"
	assert_json "$m" 'j["encoding"] == "base64" and __import__("base64").b64decode(j["data"]) == b"echo:\x00\xff\n"' "binary payload ($host)"
	assert_json "$m" 'j["address"][:2] == ["'"$host"'", '"$port"'] and j["flags"] == [] and j["ancillary"] == {}' "source address ($host)"
	exec 6>&-

	# connect null dissolves the default peer: data writes then need one.
	ctl "$id" '{"op":"connect","address":null}'
	assert_json "$(cat "$MNT/$id/addr")" 'j["peer"] is None' "peer after connect null ($host)"
	expect_write_error "Destination address required" put "$MNT/$id/data" "x"
	# msgs with an explicit destination still works.
	exec 6<>"$MNT/$id/msgs"
	echo '{"data":"to you","address":["'"$host"'",'"$port"']}' >&6
	read -r -t 10 m <&6 || fail "no echo of the sendto"
	assert_json "$m" 'j["data"] == "echo:to you" and j["encoding"] == "utf-8" and j["address"][:2] == ["'"$host"'", '"$port"']' "sendto through msgs ($host)"
	exec 6>&-
	rmdir "$MNT/$id"
}

echo_over 127.0.0.1 AF_INET
if python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
	echo_over ::1 AF_INET6
else
	log "no ::1: IPv6 part skipped"
fi

# ---- one unconnected socket, two peers; replies by source address
id=$(new_dgram AF_INET)
reply=$(ctl_reply "$id" '{"op":"bind","address":["127.0.0.1",0]}')
port=$(json_get "$reply" 'j["address"][1]')
echo '{"IP_PKTINFO":true,"SO_TIMESTAMPNS":true}' >"$MNT/$id/opts"
python3 "$PEER" two-peers 127.0.0.1 "$port" "$WORK/two" &
peers=$!
exec 6<>"$MNT/$id/msgs"
for _ in 1 2; do
	read -r -t 10 m <&6 || fail "a peer's datagram did not arrive"
	assert_json "$m" 'j["data"] in ("from A", "from B") and j["address"][0] == "127.0.0.1"' "datagram from a peer"
	assert_json "$m" 'j["ancillary"]["pktinfo"] == {"address": "127.0.0.1", "ifindex": 1} and len(j["ancillary"]["timestamp_ns"]) == 2 and abs(j["ancillary"]["timestamp_ns"][0] - __import__("time").time()) < 60' "ancillary data"
	reply=$(python3 -c '
import json, sys
m = json.loads(sys.argv[1])
print(json.dumps({"data": "re:" + m["data"], "address": m["address"], "flags": ["MSG_DONTWAIT"]}))' "$m")
	echo "$reply" >&6
done
exec 6>&-
wait_pid "$peers"
assert_eq 0 "$WAIT_RC" "two-peers exit status"
assert_match '^ok [0-9]+ [0-9]+$' "$(cat "$WORK/two")" "both peers got their replies"

# ---- a msgs line longer than bash's stdio buffer: bash's echo writes it
# in several write(2)s (4096 bytes, then the rest, when its stdout was a
# pipe first); sockfs joins them into one message
big=$(head -c 6000 /dev/urandom | base64 -w0)
bash -c 'echo first; echo "{\"data\":\"$1\",\"encoding\":\"base64\",\"address\":[\"127.0.0.1\",$2]}" >"$3"' \
	_ "$big" "$port" "$MNT/$id/msgs" | cat >/dev/null
exec 6<"$MNT/$id/msgs"
read -r -t 10 m <&6 || fail "the long message did not arrive"
exec 6<&-
assert_json "$m" 'j["encoding"] == "base64" and j["data"] == "'"$big"'"' "a long line written by bash's echo, one message"
# The start of a message whose end never comes: dropped at close, reported
printf '{"data":"never' >"$MNT/$id/msgs"
# (the kernel sends the release after close(2) returns: wait for it)
wait_until 5 grep -q "closed before the end" "$MNT/$id/err" || true
assert_json "$(cat "$MNT/$id/err")" 'j["error"]["name"] == "EINVAL" and "closed before the end" in j["error"]["message"]' "an unfinished message"
# Text that cannot start a JSON object fails at once
expect_write_error "Invalid argument" bash -c "printf 'hello' >$MNT/$id/msgs"

# ---- errors of msgs writes: the write fails, the reason is readable
exec 6<>"$MNT/$id/msgs"
echo '{"data":"x","bogus":1}' >&6 2>/dev/null && fail "unknown field accepted"
m=$(cat "$MNT/$id/err")
assert_json "$m" 'j["error"]["name"] == "EINVAL" and j["error"]["op"] == "sendmsg" and "fields: data encoding address flags fds" in j["error"]["message"]' "error of a msgs write, in err"
echo '{"data":"x","address":["localhost",9]}' >&6 2>/dev/null && fail "host name accepted by msgs"
m=$(cat "$MNT/$id/err")
assert_json "$m" '"numeric" in j["error"]["message"]' "msgs wants numeric addresses"
echo '{"data":"x","fds":[1]}' >&6 2>/dev/null && fail "fds over UDP accepted"
exec 6>&-
# msgs carries messages only: no write replies, no errors.
exec 6<"$MNT/$id/msgs"
rc=0
python3 -c '
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
try:
    print(os.read(fd, 100))
except BlockingIOError:
    sys.exit(0)
sys.exit(1)' "$MNT/$id/msgs" || rc=$?
assert_eq 0 "$rc" "nothing to read on msgs after failed writes"
exec 6<&-
# A non-blocking read with nothing queued: EAGAIN, not a hang.
rc=0
python3 -c '
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
try:
    os.read(fd, 100)
except BlockingIOError:
    sys.exit(0)
sys.exit(1)' "$MNT/$id/data" || rc=$?
assert_eq 0 "$rc" "non-blocking read of an empty datagram socket"
rmdir "$MNT/$id"
assert_eq "" "$(ls_sockets)" "sockets in the mount at the end"
