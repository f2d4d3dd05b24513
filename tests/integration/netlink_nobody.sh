#!/bin/bash
# AF_NETLINK as nobody against a root daemon, in a network namespace of the test's own: a
# netlink socket is made for nobody (no capability needed), and nobody's RTM_NEWADDR gets
# the kernel's own answer to nobody, EPERM, compared with a direct attempt (setpriv). This
# needs every socket call to run with the caller's credentials (the identity work).
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

# nobody: RTM_NEWADDR answered as the kernel answers nobody directly.
idx=$(ip -j link show famnl0 | python3 -c "import json,sys; print(json.load(sys.stdin)[0][\"ifindex\"])")
direct=$(as_nobody timeout 10 /usr/bin/python3 "$HERE/nl.py" newaddr direct "$idx")
nid=$(as_nobody bash -c '. "$1"; MNT=$2; fam_new "$3"' _ "$HERE/fam.sh" "$MNT" "$NL") ||
	fail "nobody could not make a netlink socket"
via=$(as_nobody timeout 10 /usr/bin/python3 "$HERE/nl.py" newaddr "$MNT/$nid/data" "$idx")
log "RTM_NEWADDR as nobody: directly errno $direct, through sockfs errno $via"
assert_eq 1 "$direct" "the kernel refuses nobody's RTM_NEWADDR with EPERM"
assert_eq "$direct" "$via" "nobody's RTM_NEWADDR through sockfs gets the kernel's answer"
if ip -4 addr show dev famnl0 | grep -q 10.77.0.1; then
	fail "nobody added an address through sockfs"
fi
