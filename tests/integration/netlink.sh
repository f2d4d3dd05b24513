#!/bin/bash
# AF_NETLINK through sockfs, in a network namespace of the test's own: [pid, groups] addresses
# both ways, NETLINK_* protocol names, an RTM_GETLINK dump through data compared with
# `ip -j link`, a request sent through msgs with an address, multicast (bind groups and
# NETLINK_ADD_MEMBERSHIP) seeing a link change the test makes, and nobody's RTM_NEWADDR
# answered as the kernel answers nobody directly (EPERM).
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
ip link add famnl0 type veth peer name famnl1 2>/dev/null || skip "this kernel has no veth"
NL='{"family":"AF_NETLINK","type":"SOCK_RAW","proto":"NETLINK_ROUTE"}'

# Protocol names: the family's own, and a clear error for others.
id=$(fam_new "$NL")
assert_json "$(cat "$MNT/$id/status")" 'j["family"] == "AF_NETLINK"' "status"
expect_write_error "Invalid argument" fam_new '{"family":"AF_NETLINK","type":"SOCK_RAW","proto":"NETLINK_NOPE"}'

# bind [0, 0]: the kernel picks the pid; getsockname and addr say [pid, 0].
reply=$(ctl_reply "$id" '{"op":"bind","address":[0,0]}')
assert_json "$reply" 'j["ok"] and j["address"][0] > 0 and j["address"][1] == 0' "bind [0, 0]"
pid=$(json_get "$reply" 'j["address"][0]')
assert_json "$(ctl_reply "$id" '{"op":"getsockname"}')" "j['address'] == [$pid, 0]" "getsockname"
assert_json "$(cat "$MNT/$id/addr")" "j['local'] == [$pid, 0] if isinstance(j, dict) else j == [$pid, 0]" "addr"
reply=$(ctl_reply "$id" '{"op":"bind","address":[1,2,3]}')
assert_json "$reply" '"[pid, groups]" in j["error"]["message"]' "a bad address names the form"

# The dump through data, compared with ip -j link.
got=$(timeout 10 python3 "$HERE/nl.py" dump "$MNT/$id/data")
want=$(ip -j link | python3 -c 'import json,sys; print(json.dumps(sorted([[l["ifindex"], l["ifname"]] for l in json.load(sys.stdin)])))')
assert_eq "$want" "$got" "RTM_GETLINK dump through data vs ip -j link"
assert_match '"famnl0"' "$got" "the dump lists the test's veth"

# A request through msgs with an address (sendto [0, 0], the kernel), the answer read from
# msgs with the kernel's address [0, 0].
req=$(python3 -c 'import base64,struct; print(base64.b64encode(struct.pack("=IHHIIBBHiII",32,18,0x301,7,0,0,0,0,0,0,0)).decode())')
echo '{"data":"'"$req"'","encoding":"base64","address":[0,0]}' >"$MNT/$id/msgs"
read -r m <"$MNT/$id/msgs"
assert_json "$m" 'j["address"] == [0, 0] and j["encoding"] == "base64"' "msgs reply from the kernel"

# Multicast: one socket bound to RTMGRP_LINK, one joined with NETLINK_ADD_MEMBERSHIP; both
# see the link change the test makes (queued in their sockets, read after).
g1=$(fam_new "$NL")
assert_json "$(ctl_reply "$g1" '{"op":"bind","address":[0,1]}')" 'j["address"][1] == 1' "bind groups 1"
g2=$(fam_new "$NL")
ctl "$g2" '{"op":"bind","address":[0,0]}'
put "$MNT/$g2/opts" '{"NETLINK_ADD_MEMBERSHIP":1}'
assert_json "$(cat "$MNT/$g2/opts")" '"NETLINK_PKTINFO" in j' "netlink options listed"
ip link set famnl0 up
assert_eq seen "$(timeout 10 python3 "$HERE/nl.py" wait-link "$MNT/$g1/data" famnl0)" "RTMGRP_LINK bind sees famnl0"
assert_eq seen "$(timeout 10 python3 "$HERE/nl.py" wait-link "$MNT/$g2/data" famnl0)" "NETLINK_ADD_MEMBERSHIP sees famnl0"
ip link set famnl1 up
read -r m <"$MNT/$g1/msgs"
assert_json "$m" 'j["address"] == [0, 1]' "a multicast message comes from [0, groups]"

# root's RTM_NEWADDR is accepted (errno 0) and the address is there (nobody's:
# netlink_nobody.sh).
idx=$(ip -j link show famnl0 | python3 -c "import json,sys; print(json.load(sys.stdin)[0][\"ifindex\"])")
assert_eq 0 "$(timeout 10 python3 "$HERE/nl.py" newaddr "$MNT/$id/data" "$idx")" "root's RTM_NEWADDR"
ip -4 addr show dev famnl0 | grep -q 10.77.0.1 || fail "root's address is not on famnl0"
