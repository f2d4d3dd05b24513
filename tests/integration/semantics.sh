#!/bin/bash
# The socket module's semantics, compared call by call with the socket
# module itself (semantics.py): type flags, IPv6 addresses of 3 elements,
# AF_UNIX bytes addresses, shutdown by number, setsockopt without a value,
# dup, EAGAIN not kept, long error messages, recvfrom/recvmsg with
# ancbufsize, sendmsg with ancillary data, any descriptor over SCM_RIGHTS.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

sockfs_mount

# As a user would: a non-blocking socket made by a bash write to new.
exec 3<>"$MNT/new"
echo '{"family":"AF_INET","type":"SOCK_DGRAM|SOCK_NONBLOCK|SOCK_CLOEXEC"}' >&3
read -r id <&3
exec 3>&-
assert_json "$(cat "$MNT/$id/status")" 'j["type"] == "SOCK_DGRAM" and j["timeout"] == 0' "status of a SOCK_NONBLOCK socket"
expect_fail "Resource temporarily unavailable" cat "$MNT/$id/data"

python3 "$HERE/semantics.py" "$MNT" || fail "semantics.py failed"

# sendmsg: ancillary items and descriptors, as root and as nobody
python3 "$HERE/semantics_send.py" "$MNT" || fail "semantics_send.py failed (root)"
command -v setpriv >/dev/null || skip "setpriv (util-linux) is needed"
as_nobody env PYTHONPATH="$HERE" PYTHONDONTWRITEBYTECODE=1 python3 "$HERE/semantics_send.py" "$MNT" ||
	fail "semantics_send.py failed (nobody)"
