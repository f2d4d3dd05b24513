#!/bin/bash
# Every request is answered once (issue 13; each of these failed before
# the one park-and-answer path): a non-blocking connect to a host name
# whose socket is removed while the name resolves; then answered.py: two
# reads of one accept file, AF_PACKET reads, a stream msgs write whose
# message the kernel takes in part.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=netns.sh
. "$HERE/netns.sh"
netns_enter "$@"
# shellcheck source=lib.sh
. "$HERE/lib.sh"

sockfs_mount
netns_setup 2

# ---- rmdir while a non-blocking connect's host name resolves: the
# command ends (EBADF), and the resolver's completion opens no kernel
# socket for the gone socket (before: a use after free, and a leaked fd).
fds0=$(fd_count)
id=$(new_socket)
ctl "$id" '{"op":"settimeout","timeout":0}'
(
	exec 3<>"$MNT/$id/ctl"
	echo '{"op":"connect","address":["host.sockfs.test",80]}' >&3 2>"$WORK/connect.err" || true
	read -r -t 10 r <&3 || true
	echo "$r" >"$WORK/connect.reply"
) &
cpid=$!
wait_until 10 grep -q "host.sockfs.test" "$WORK/dns.log" || fail "the lookup did not reach the DNS server"
rmdir "$MNT/$id"
wait_pid "$cpid" 10
assert_match "Bad file descriptor" "$(cat "$WORK/connect.err")" "the connect's write after rmdir"
# A lookup of the same name made after it is answered after it: once it
# is, the removed socket's lookup has come back too.
addrs=$(timeout 20 cat "$MNT/net/resolve/host.sockfs.test")
assert_eq "10.77.255.1" "$addrs" "net/resolve/host.sockfs.test"
assert_eq "$fds0" "$(fd_count)" "daemon fds after the lookup of a removed socket ended"
kill -0 "$SOCKFS_PID" || fail "the daemon died"

python3 "$HERE/answered.py" "$MNT" || fail "answered.py failed"
