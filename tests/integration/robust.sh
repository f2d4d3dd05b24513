#!/bin/bash
# The loop never waits on one user, memory stays bounded, every request is
# answered once (issue 13): robust.py against a fresh mount in a network
# namespace of its own, with small buffer bounds.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"
# shellcheck source=netns.sh
. "$HERE/netns.sh"
netns_enter "$@"

ip link set lo up
# A subnet where nobody answers ARP: a connect there fails after seconds.
ip link add rb0 type veth peer name rb1
ip addr add 10.77.0.1/24 dev rb0
ip link set rb0 up
ip link set rb1 up

SOCKFS_OPTS="max_buffer_per_user=4194304,linger_timeout=3"
sockfs_mount
python3 "$HERE/robust.py" "$MNT" "$SOCKFS_PID" || fail "robust.py failed"
