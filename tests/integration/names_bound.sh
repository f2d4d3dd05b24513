#!/bin/bash
# net/resolve/NAME and net/reverse/ADDR entries are kept in keyed tables
# with a bound: 4096 names made by one user's lookups (65536 in all); a
# lookup of a new name beyond it fails with ENOBUFS, and other users are
# not held up. No name is resolved: a lookup (stat) only names the file.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"
command -v setpriv >/dev/null || skip "setpriv is not installed"

sockfs_mount
# shellcheck disable=SC2016
out=$(as_nobody /usr/bin/python3 -c '
import errno, os, sys
d = os.path.join(sys.argv[1], "net", "resolve")
for i in range(6000):
    try:
        os.stat(os.path.join(d, "h%d.invalid" % i))
    except OSError as e:
        print(i, errno.errorcode.get(e.errno, e.errno))
        break
else:
    print(6000, "none")
' "$MNT")
read -r n err <<<"$out"
assert_eq ENOBUFS "$err" "nobody's lookup of a new name beyond the bound"
((n >= 4096)) || fail "the bound came after $n names (expected 4096 or more)"
# A name already known still resolves to its file; root is not held up.
as_nobody stat "$MNT/net/resolve/h1.invalid" >/dev/null || fail "a known name is still there"
stat "$MNT/net/resolve/root.invalid" >/dev/null || fail "root's lookup failed while nobody is at the bound"
# The names go when the kernel forgets them.
sync
echo 2 >/proc/sys/vm/drop_caches
as_nobody stat "$MNT/net/resolve/after-forget.invalid" >/dev/null ||
	fail "a new name after the kernel forgot the others"
