#!/bin/bash
# Ownership: a socket made by root is closed to user nobody (mode 0700,
# default_permissions); nobody makes and uses its own; root's still works.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

command -v setpriv >/dev/null || skip "setpriv is not installed"

sockfs_mount

assert_eq "1777" "$(stat -c %a "$MNT")" "mode of the mount's root"
as_nobody test -x "$MNT" || fail "user nobody cannot reach $MNT (allow_other?)"

# ---- root's socket
id=$(new_socket)
assert_eq "700 0 0" "$(stat -c '%a %u %g' "$MNT/$id")" "mode, uid, gid of root's socket"
reply=$(ctl_reply "$id" '{"op":"bind","address":["127.0.0.1",0]}')
assert_json "$reply" 'j["ok"] is True and j["address"][1] > 0' "root's bind"
rport=$(json_get "$reply" 'j["address"][1]')

expect_fail "Permission denied" as_nobody ls "$MNT/$id"
expect_fail "Permission denied" as_nobody cat "$MNT/$id/status"
expect_fail "Permission denied" as_nobody cat "$MNT/$id/err"
# shellcheck disable=SC2016 # expanded by the inner bash
expect_fail "Permission denied" as_nobody bash -c 'echo "{\"op\":\"close\"}" > "$1"' _ "$MNT/$id/ctl"
rc=0
err=$(as_nobody rmdir "$MNT/$id" 2>&1) || rc=$?
((rc != 0)) || fail "user nobody removed root's socket $id"
assert_match 'Permission denied|Operation not permitted' "$err" "error of nobody's rmdir of root's socket"
[[ -d "$MNT/$id" ]] || fail "root's socket $id is gone after nobody's rmdir"

# ---- nobody's own socket
nid=$(as_nobody cat "$MNT/new") || fail "user nobody cannot create a socket with cat new"
assert_match '^[1-9][0-9]*$' "$nid" "id nobody read from new"
assert_eq "700 $NOBODY $NOBODY" "$(stat -c '%a %u %g' "$MNT/$nid")" "mode, uid, gid of nobody's socket"
# shellcheck disable=SC2016 # expanded by the inner bash
reply=$(as_nobody bash -c '
	exec 3<>"$1/ctl" || exit 1
	echo "{\"op\":\"bind\",\"address\":[\"127.0.0.1\",0]}" >&3
	read -r -t 10 reply <&3
	echo "$reply"
' _ "$MNT/$nid") || fail "user nobody cannot use its socket's ctl (reply [$reply])"
assert_json "$reply" 'j["ok"] is True and j["op"] == "bind" and j["address"][0] == "127.0.0.1" and j["address"][1] > 0' "nobody's bind"
status=$(as_nobody cat "$MNT/$nid/status") || fail "user nobody cannot read its socket's status"
assert_json "$status" 'j["owner"] == '"$NOBODY"' and j["state"] == "bound"' "status of nobody's socket"
listing=$(as_nobody ls "$MNT/$nid") || fail "user nobody cannot list its socket"
for f in ctl data accept addr opts status err; do
	grep -qx "$f" <<<"$listing" || fail "ls of nobody's socket lacks $f: [$listing]"
done
# Everybody sees the sockets in the root directory.
listing=$(as_nobody ls "$MNT") || fail "user nobody cannot list $MNT"
grep -qx "$id" <<<"$listing" || fail "nobody's ls $MNT does not show root's socket $id: [$listing]"

# ---- root's socket still works
status=$(cat "$MNT/$id/status")
assert_json "$status" 'j["state"] == "bound" and j["owner"] == 0 and j["local"] == ["127.0.0.1", '"$rport"']' "status of root's socket at the end"
ctl "$id" '{"op":"listen"}'
assert_json "$(cat "$MNT/$id/status")" 'j["state"] == "listening"' "root's socket after listen"

as_nobody rmdir "$MNT/$nid" || fail "user nobody cannot remove its own socket"
rmdir "$MNT/$id"
assert_eq "" "$(ls_sockets)" "sockets in the mount at the end"
