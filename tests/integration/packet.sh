#!/bin/bash
# AF_PACKET through sockfs: the seed's sniffer done the Linux way, in a network namespace of
# the test's own with a veth pair. A raw socket bound to ["fampk1", 0x88b5] catches frames
# the test sends through another sockfs packet socket's msgs (with an address); data reads
# them whole, msgs with the address [ifname, proto, pkttype, hatype, addr] exactly as
# Python's recvfrom gives it on a socket of its own. PACKET_ADD_MEMBERSHIP by structured
# value; a SOCK_DGRAM socket gets the payload only; nobody gets EPERM as directly.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=netns.sh
. "$HERE/netns.sh"
netns_enter "$@"
# shellcheck source=lib.sh
. "$HERE/lib.sh"
# shellcheck source=fam.sh
. "$HERE/fam.sh"

command -v setpriv >/dev/null || skip "setpriv is not installed"
command -v ip >/dev/null || skip "ip (iproute2) is not installed"
sockfs_mount
ip link set lo up
ip link add fampk0 type veth peer name fampk1 2>/dev/null || skip "this kernel has no veth"
ip link set fampk0 up
ip link set fampk1 up
mac0=$(ip -j link show fampk0 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])')
mac1=$(ip -j link show fampk1 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])')
PROTO=34997 # 0x88b5, local experimental ethertype

# The payload: $1 padded with dots to 46 bytes (veth drops frames under 60 bytes).
pad() { printf '%s' "$1"; printf '%*s' $((46 - ${#1})) '' | tr ' ' .; }

# (nobody runs /usr/bin/python3: the PATH one may be under /root.)
# A frame from fampk0 to everyone: base64 of dst, src, type, payload $1 (padded).
frame() {
	python3 -c '
import base64, sys
src = bytes.fromhex(sys.argv[1].replace(":", ""))
print(base64.b64encode(b"\xff" * 6 + src + b"\x88\xb5" + sys.argv[2].encode()).decode())
' "$mac0" "$(pad "$1")"
}

# The sniffer: made without a protocol, then bound to the interface and the protocol.
sn=$(fam_new '{"family":"AF_PACKET","type":"SOCK_RAW"}')
reply=$(ctl_reply "$sn" '{"op":"bind","address":["fampk1",'$PROTO']}')
assert_json "$reply" "j['ok'] and j['address'][:4] == ['fampk1', $PROTO, 0, 1]" "bind [ifname, proto]"
b64mac1=$(python3 -c 'import base64,sys; print(base64.b64encode(bytes.fromhex(sys.argv[1].replace(":",""))).decode())' "$mac1")
assert_json "$(ctl_reply "$sn" '{"op":"getsockname"}')" "j['address'] == ['fampk1', $PROTO, 0, 1, {'bytes': '$b64mac1'}]" "getsockname: the interface's own address"
reply=$(ctl_reply "$sn" '{"op":"bind","address":["nosuchif0",1]}')
assert_json "$reply" 'j["error"]["name"] == "ENODEV" and "nosuchif0" in j["error"]["message"]' "an unknown interface"
assert_json "$(cat "$MNT/$sn/opts")" '"PACKET_AUXDATA" in j and "PACKET_VERSION" in j' "PACKET_* options listed"
put "$MNT/$sn/opts" '{"PACKET_ADD_MEMBERSHIP":{"interface":"fampk1","type":"PACKET_MR_PROMISC"}}'
assert_json "$(ip -j -d link show fampk1)" 'j[0]["promiscuity"] == 1' "PACKET_MR_PROMISC membership"

# The sender: a raw socket whose msgs writes carry the destination [ifname, proto, ...].
tx=$(fam_new '{"family":"AF_PACKET","type":"SOCK_RAW"}')
echo '{"data":"'"$(frame sockfs-sniff-1)"'","encoding":"base64","address":["fampk0",'$PROTO',0,1,"ff:ff:ff:ff:ff:ff"]}' >"$MNT/$tx/msgs"

# data: one read, one frame, whole.
got=$(timeout 10 python3 -c 'import os,sys; fd=os.open(sys.argv[1],os.O_RDONLY); print(os.read(fd,4096)[12:].hex())' "$MNT/$sn/data")
assert_eq "88b5$(pad sockfs-sniff-1 | od -An -tx1 | tr -d ' \n')" "$got" "the frame read from data"

# msgs: the frame and its address, as Python's recvfrom on a socket of its own sees it.
start_peer timeout 10 python3 -c '
import base64, json, socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("fampk1", int(sys.argv[1])))
open(sys.argv[2] + ".ready", "w").close()
data, a = s.recvfrom(4096)
print(json.dumps([a[0], a[1], a[2], a[3], {"bytes": base64.b64encode(a[4]).decode()}]))
' "$PROTO" "$WORK/py" >"$WORK/py.addr"
pypid=$PEER_PID
wait_until 10 test -e "$WORK/py.ready" || fail "the python sniffer did not start"
echo '{"data":"'"$(frame sockfs-sniff-2)"'","encoding":"base64","address":["fampk0",'$PROTO']}' >"$MNT/$tx/msgs"
read -r m <"$MNT/$sn/msgs"
wait_pid "$pypid"
assert_eq 0 "$WAIT_RC" "the python sniffer"
pyaddr=$(cat "$WORK/py.addr")
assert_json "$m" "j['address'] == $pyaddr" "the msgs address is Python's recvfrom address ($pyaddr)"
assert_json "$m" "j['address'][0] == 'fampk1' and j['address'][2] == 1" "fampk1, PACKET_BROADCAST"
assert_json "$m" "__import__('base64').b64decode(j['data']).endswith(b'$(pad sockfs-sniff-2)')" "the frame read from msgs"

# SOCK_DGRAM: the payload without the link-layer header, the source in the address.
dg=$(fam_new '{"family":"AF_PACKET","type":"SOCK_DGRAM"}')
ctl "$dg" '{"op":"bind","address":["fampk1",'$PROTO']}'
echo '{"data":"'"$(frame sockfs-sniff-3)"'","encoding":"base64","address":["fampk0",'$PROTO']}' >"$MNT/$tx/msgs"
read -r m <"$MNT/$dg/msgs"
assert_json "$m" "j['data'] == '$(pad sockfs-sniff-3)' and j['address'][0] == 'fampk1'" "SOCK_DGRAM gives the payload"

# nobody: EPERM through sockfs, as directly.
direct=$(as_nobody /usr/bin/python3 -c '
import socket
try:
    socket.socket(socket.AF_PACKET, socket.SOCK_RAW); print(0)
except OSError as e:
    print(e.errno)')
via=0
as_nobody bash -c '. "$1"; MNT=$2; fam_new "$3"' _ "$HERE/fam.sh" "$MNT" '{"family":"AF_PACKET","type":"SOCK_RAW"}' 2>"$WORK/nobody.err" >/dev/null || via=1
log "AF_PACKET as nobody: directly errno $direct, through sockfs: $(cat "$WORK/nobody.err")"
assert_eq 1 "$direct" "the kernel refuses nobody's packet socket with EPERM"
assert_eq 1 "$via" "sockfs refuses nobody's packet socket"
assert_match "Operation not permitted" "$(cat "$WORK/nobody.err")" "with EPERM"
