#!/bin/bash
# The families this build knows but a kernel may lack (CAN, TIPC, RDS, QIPCRTR, Bluetooth,
# ALG): where the kernel lacks one, sockfs refuses it with EAFNOSUPPORT and "this kernel has
# no AF_X" (and the protocol's name is known: "CAN_RAW", "BTPROTO_L2CAP"), and the test says
# "skipped: kernel lacks AF_X"; where the kernel has it, a socket is made and its bound
# address read back in the family's form. Unknown families still list what this build knows.
# Also multicast membership options by structured value (IP_ADD_MEMBERSHIP, IPV6_JOIN_GROUP).
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"
# shellcheck source=fam.sh
. "$HERE/fam.sh"

sockfs_mount

# new_reply JSON: the reply of a write to new (an id or an error object).
new_reply() {
	local fd reply
	exec {fd}<>"$MNT/new"
	echo "$1" >&"$fd" 2>/dev/null || true
	read -r reply <&"$fd" || true
	exec {fd}>&-
	echo "$reply"
}

# family AF_X JSON-for-new BIND-ADDRESS PYEXPR-over-the-getsockname-address
family() {
	local af=$1 spec=$2 addr=$3 expr=$4 id
	if ! fam_kernel_has "$af"; then
		expect_write_error "Address family not supported by protocol" fam_new "$spec"
		assert_json "$(new_reply "$spec")" "j['error']['name'] == 'EAFNOSUPPORT' and j['error']['message'].startswith('this kernel has no $af ')" "$af refused by name"
		log "skipped: kernel lacks $af"
		return
	fi
	id=$(fam_new "$spec")
	assert_json "$(ctl_reply "$id" '{"op":"bind","address":'"$addr"'}')" "$expr" "$af bind"
	assert_json "$(ctl_reply "$id" '{"op":"getsockname"}')" "$expr" "$af getsockname"
}

family AF_CAN '{"family":"AF_CAN","type":"SOCK_RAW","proto":"CAN_RAW"}' '[""]' 'j["address"] == [""]'
family AF_TIPC '{"family":"AF_TIPC","type":"SOCK_RDM"}' '["TIPC_ADDR_NAMESEQ",18888,1,1]' 'j["address"][0] in (1, 3)'
family AF_RDS '{"family":"AF_RDS","type":"SOCK_SEQPACKET"}' '["127.0.0.1",0]' 'j["address"][0] == "127.0.0.1"'
family AF_QIPCRTR '{"family":"AF_QIPCRTR","type":"SOCK_DGRAM"}' '[0,0]' 'len(j["address"]) == 2'
family AF_BLUETOOTH '{"family":"AF_BLUETOOTH","type":"SOCK_SEQPACKET","proto":"BTPROTO_L2CAP"}' '["00:00:00:00:00:00",0]' 'j["address"][0] == "00:00:00:00:00:00"'
family AF_ALG '{"family":"AF_ALG","type":"SOCK_SEQPACKET"}' '["hash","sha256"]' 'j["address"] == ["hash", "sha256"]'

# A protocol name of another family: EINVAL naming the family's own names, not IPPROTO_*.
r=$(new_reply '{"family":"AF_CAN","type":"SOCK_RAW","proto":"IPPROTO_NOPE"}')
assert_json "$r" 'j["error"]["name"] == "EINVAL" and "CAN_RAW" in j["error"]["message"] and "for AF_CAN" in j["error"]["message"]' "unknown CAN protocol"
# A family without an entry: the build's list.
r=$(new_reply '{"family":"AF_IPX","type":"SOCK_DGRAM"}')
assert_json "$r" 'j["error"]["name"] == "EAFNOSUPPORT" and "this build knows" in j["error"]["message"] and "AF_BLUETOOTH" in j["error"]["message"]' "AF_IPX"

# Multicast membership by structured values (IP_ADD_MEMBERSHIP, IPV6_JOIN_GROUP): the group
# shows on the interface while the socket holds it, and goes with the drop.
u=$(fam_new '{"family":"AF_INET","type":"SOCK_DGRAM"}')
ctl "$u" '{"op":"bind","address":["0.0.0.0",0]}'
put "$MNT/$u/opts" '{"IP_ADD_MEMBERSHIP":{"multiaddr":"239.77.1.2","interface":"lo"}}'
ip maddr show dev lo | grep -q 239.77.1.2 || fail "IP_ADD_MEMBERSHIP: 239.77.1.2 not joined on lo"
put "$MNT/$u/opts" '{"IP_DROP_MEMBERSHIP":{"multiaddr":"239.77.1.2","interface":"lo"}}'
if ip maddr show dev lo | grep -q 239.77.1.2; then fail "IP_DROP_MEMBERSHIP: still joined"; fi
expect_write_error "Invalid argument" put "$MNT/$u/opts" '{"IP_ADD_MEMBERSHIP":{"multiaddr":"nope"}}'
assert_json "$(cat "$MNT/$u/err")" '"multiaddr" in j["error"]["message"]' "a bad membership names its fields"
if [[ -e /proc/net/if_inet6 ]]; then
	u6=$(fam_new '{"family":"AF_INET6","type":"SOCK_DGRAM"}')
	ctl "$u6" '{"op":"bind","address":["::",0]}'
	put "$MNT/$u6/opts" '{"IPV6_JOIN_GROUP":{"multiaddr":"ff15::7701","interface":"lo"}}'
	ip -6 maddr show dev lo | grep -q ff15::7701 || fail "IPV6_JOIN_GROUP: ff15::7701 not joined on lo"
fi
