#!/bin/bash
# contrib/python/sockfs_socket.py: the socket module's interface over the
# mount's files, compared with the socket module on the same operations.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

sockfs_mount
timeout 60 python3 "$HERE/contrib_python.py" "$MNT" || fail "sockfs_socket differs from the socket module (above)"
wait_until 5 bash -c '[[ -z "$(ls "$1" | grep -E "^[0-9]+$")" ]]' _ "$MNT" ||
	fail "sockets left after the script ended: $(ls_sockets | tr '\n' ' ')"
log "ok"
