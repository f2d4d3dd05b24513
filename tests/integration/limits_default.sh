#!/bin/bash
# The per-user socket limit is on by default (issue 12): without
# max_sockets_per_user every user but root may hold a quarter of the
# daemon's descriptors (at most 4,096). With a hard limit of 256
# descriptors that is 64: nobody's 65th socket gets EMFILE, root's does not.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

command -v setpriv >/dev/null || skip "setpriv is not installed"
ulimit -Sn 256
ulimit -Hn 256
sockfs_mount

ids=()
for ((i = 0; i < 64; i++)); do
	id=$(as_nobody cat "$MNT/new") || fail "nobody's socket $((i + 1)) of 64 was refused"
	ids+=("$id")
done
expect_fail "Too many open files" as_nobody cat "$MNT/new"
# shellcheck disable=SC2016
reply=$(as_nobody bash -c 'exec 3<>"$1/new"; echo "{\"family\":\"AF_INET\"}" >&3 2>/dev/null; read -r -t 10 r <&3; echo "$r"' _ "$MNT")
assert_json "$reply" 'j["error"]["name"] == "EMFILE" and "max_sockets_per_user" in j["error"]["message"]' "the reply of nobody's 65th socket"
# root is not limited by the default
r=()
for ((i = 0; i < 70; i++)); do
	r+=("$(new_socket)")
done
# one closed: nobody may make one more
as_nobody rmdir "$MNT/${ids[0]}"
as_nobody cat "$MNT/new" >/dev/null || fail "nobody cannot make a socket after closing one"
log ok
