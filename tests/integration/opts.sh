#!/bin/bash
# Socket options: round trips of every listed option on TCP, UDP and unix
# sockets, errors (opts_roundtrip.py), and options that need a privilege
# the caller lacks (EPERM for user nobody, although the daemon is root).
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

sockfs_mount

rc=0
python3 "$HERE/opts_roundtrip.py" "$MNT" || rc=$?
((rc == 0)) || fail "opts_roundtrip.py exited with status $rc"

# ---- privileges are the caller's
command -v setpriv >/dev/null || skip "setpriv is not installed"
# shellcheck disable=SC2016 # expanded by the inner bash
nid=$(as_nobody bash -c 'exec 3<>"$1/new"; echo "{\"family\":\"AF_INET\"}" >&3; read -r id <&3; echo "$id"' _ "$MNT")
assert_match '^[1-9][0-9]*$' "$nid" "nobody's socket"
for opt in '"SO_MARK": 1' '"SO_PRIORITY": 7'; do
	# shellcheck disable=SC2016
	out=$(as_nobody bash -c 'echo "{$2}" > "$1/opts"' _ "$MNT/$nid" "$opt" 2>&1) && fail "nobody set {$opt}"
	assert_match 'Operation not permitted' "$out" "nobody setting {$opt}"
	err=$(cat "$MNT/$nid/err")
	assert_json "$err" 'j["error"]["name"] == "EPERM" and "CAP_NET_ADMIN" in j["error"]["message"] and j["error"]["message"].startswith('"${opt%%:*}"'.strip("\""))' "err after {$opt}"
done
# As the kernel: anybody may bind an unbound socket to a device, only
# CAP_NET_RAW may change it afterwards.
# shellcheck disable=SC2016
as_nobody bash -c 'echo "{\"SO_BINDTODEVICE\": \"lo\"}" > "$1/opts"' _ "$MNT/$nid" || fail "nobody cannot bind its unbound socket to lo"
# shellcheck disable=SC2016
out=$(as_nobody bash -c 'echo "{\"SO_BINDTODEVICE\": \"\"}" > "$1/opts"' _ "$MNT/$nid" 2>&1) && fail "nobody unbound a socket from its device"
assert_match 'Operation not permitted' "$out" "nobody changing SO_BINDTODEVICE"
assert_json "$(cat "$MNT/$nid/err")" 'j["error"]["name"] == "EPERM" and "CAP_NET_RAW" in j["error"]["message"]' "err after changing SO_BINDTODEVICE"
# shellcheck disable=SC2016
as_nobody bash -c 'echo "{\"SO_PRIORITY\": 6}" > "$1/opts"' _ "$MNT/$nid" || fail "nobody cannot set SO_PRIORITY 6"
assert_json "$(cat "$MNT/$nid/opts")" 'j["SO_PRIORITY"] == 6 and j["SO_MARK"] == 0' "nobody's options"
# shellcheck disable=SC2016
out=$(as_nobody bash -c 'exec 3<>"$1/ctl"; echo "{\"op\":\"setsockopt\",\"level\":1,\"optname\":36,\"int\":5}" >&3; read -r r <&3; echo "$r"' _ "$MNT/$nid")
assert_json "$out" 'j["error"]["name"] == "EPERM"' "nobody's raw setsockopt of SO_MARK"
# root may
put "$MNT/$nid/opts" '{"SO_MARK": 3}'
assert_json "$(cat "$MNT/$nid/opts")" 'j["SO_MARK"] == 3' "root setting SO_MARK"
