#!/bin/bash
# Every socket acts with its caller's rights, never the daemon's (issue 12).
# A root daemon with allow_other, in a network namespace of the test's own;
# each case is tried by user nobody and by a second non-root user (uid
# 4242) through sockfs and directly (identity.py, the same user), and the
# two answers must be the same; root may.
#   - netlink RTM_NEWADDR: EPERM, and no address appears
#   - SO_PEERCRED and SCM_CREDENTIALS of a unix connect, a stream write and
#     a datagram: the caller's uid and gid, the daemon's pid
#   - joining a root listener's SO_REUSEPORT group: EADDRINUSE
#   - IP_TRANSPARENT (1-byte form), TCP_REPAIR, SO_PREFER_BUSY_POLL,
#     IPV6_HOPOPTS, IP_XFRM_POLICY: EPERM
#   - a raw socket through new: EPERM
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

command -v setpriv >/dev/null || skip "setpriv is not installed"
command -v ip >/dev/null || skip "ip (iproute2) is not installed"
((EUID == 0)) || skip "needs root"
if [[ -z "${SOCKFS_IDENTITY_NS:-}" ]]; then
	unshare --net --mount true 2>/dev/null || skip "cannot make network and mount namespaces"
	SOCKFS_IDENTITY_NS=1 exec unshare --net --mount bash "$0" "$@"
fi
ip link set lo up

PY=/usr/bin/python3
IDPY=$HERE/identity.py
USER2=4242
as_user2() {
	(cd / && setpriv --reuid=$USER2 --regid=$USER2 --clear-groups -- "$@")
}

sockfs_mount
chmod 755 "$SOCKFS_TMP" "$WORK"

# sfs_write AS FILE TEXT: write TEXT to FILE on a held file as AS (a
# command prefix, or "" for root), then print the reply read back.
sfs_write() {
	# shellcheck disable=SC2016 # expanded by the inner bash
	$1 bash -c 'exec 3<>"$1"; echo "$2" >&3 2>/dev/null; read -r -t 10 r <&3; echo "$r"' _ "$2" "$3"
}
# new_as AS JSON: a socket made through new by AS; prints its id.
new_as() {
	# shellcheck disable=SC2016
	$1 bash -c 'exec 3<>"$1/new"; echo "$2" >&3 && read -r id <&3 && echo "$id"' _ "$MNT" "$2"
}
err_name() { json_get "$1" 'j["error"]["name"] if "error" in j else "OK"'; }

for who in nobody user2; do
	if [[ $who == nobody ]]; then
		AS=as_nobody uid=$NOBODY
	else
		AS=as_user2 uid=$USER2
	fi

	# ---- netlink: RTM_NEWADDR on lo
	addr=10.77.0.$((uid % 200 + 1))
	direct=$($AS $PY "$IDPY" newaddr "$addr")
	assert_eq EPERM "$direct" "$who's RTM_NEWADDR, directly"
	id=$(new_as $AS '{"family":"AF_NETLINK","type":"SOCK_DGRAM"}')
	[[ "$id" =~ ^[0-9]+$ ]] || fail "$who cannot make a netlink socket through new ($id)"
	$PY "$IDPY" newaddr-msg "$addr" >"$WORK/newaddr.bin"
	# shellcheck disable=SC2016
	$AS bash -c 'cat "$1" > "$2/data"' _ "$WORK/newaddr.bin" "$MNT/$id"
	got=$($AS timeout 10 dd bs=4096 count=1 status=none <"$MNT/$id/data" | $PY "$IDPY" nlack)
	assert_eq "$direct" "$got" "$who's RTM_NEWADDR through sockfs, as the kernel answers directly"
	if ip -4 addr show dev lo | grep -q "$addr"; then
		fail "$who added $addr to lo through sockfs"
	fi
	$AS rmdir "$MNT/$id"

	# ---- socket options the kernel reserves for a capability
	while read -r fam level optname hex b64 name; do
		direct=$($AS $PY "$IDPY" sockopt "$fam" "$level" "$optname" "$hex")
		id=$(new_as $AS "{\"family\":\"$fam\",\"type\":\"SOCK_STREAM\"}")
		reply=$(sfs_write $AS "$MNT/$id/opts" "{\"raw\":[{\"level\":$level,\"optname\":$optname,\"bytes\":\"$b64\"}]}")
		assert_eq EPERM "$direct" "$who's $name, directly"
		assert_eq "$direct" "$(err_name "$reply")" "$who's $name through sockfs, as directly"
		# root may (IP_XFRM_POLICY's bytes are no policy: not root's EPERM)
		r=$(new_as "" "{\"family\":\"$fam\",\"type\":\"SOCK_STREAM\"}")
		reply=$(sfs_write "" "$MNT/$r/opts" "{\"raw\":[{\"level\":$level,\"optname\":$optname,\"bytes\":\"$b64\"}]}")
		[[ "$(err_name "$reply")" != EPERM ]] || fail "root's $name: EPERM ($reply)"
		rmdir "$MNT/$r"
		$AS rmdir "$MNT/$id"
	done <<-'OPTS'
		AF_INET 0 19 01 AQ== IP_TRANSPARENT(1 byte)
		AF_INET 6 19 01000000 AQAAAA== TCP_REPAIR
		AF_INET 1 69 01000000 AQAAAA== SO_PREFER_BUSY_POLL
		AF_INET6 41 54 00000000 AAAAAA== IPV6_HOPOPTS
		AF_INET 0 17 000000 AAAA IP_XFRM_POLICY
	OPTS

	# ---- a raw socket through new
	# shellcheck disable=SC2016
	expect_fail "Operation not permitted" $AS bash -c 'exec 3<>"$1/new" && echo "{\"family\":\"AF_INET\",\"type\":\"SOCK_RAW\",\"proto\":\"IPPROTO_ICMP\"}" >&3' _ "$MNT"
done

# ---- SO_PEERCRED and SCM_CREDENTIALS: a root unix server sees the caller
mkdir -m 755 "$WORK/peer"
start_peer $PY "$IDPY" peer "$WORK/peer" >"$WORK/peer.log"
wait_until 10 test -e "$WORK/peer/ready" || fail "the unix peer did not start"
# At least $1 lines from the peer (counted at each try of wait_until).
peer_saw() { test "$(wc -l <"$WORK/peer.log")" -ge "$1"; }
n=0
for who in nobody user2 root; do
	case $who in
	nobody) AS=as_nobody uid=$NOBODY ;;
	user2) AS=as_user2 uid=$USER2 ;;
	root) AS="" uid=0 ;;
	esac
	# Directly: what the kernel tells the server about this user.
	assert_eq OK "$($AS $PY "$IDPY" connect-unix "$WORK/peer/s")" "$who connects directly"
	# Through sockfs: a stream connect and a write to data.
	id=$(new_as "$AS" '{"family":"AF_UNIX","type":"SOCK_STREAM"}')
	reply=$(sfs_write "$AS" "$MNT/$id/ctl" "{\"op\":\"connect\",\"address\":\"$WORK/peer/s\"}")
	assert_json "$reply" 'j["ok"] is True' "$who's unix connect through sockfs"
	# shellcheck disable=SC2016
	$AS bash -c 'echo -n "via sockfs" > "$1/data"' _ "$MNT/$id"
	$AS rmdir "$MNT/$id"
	# A datagram with an address, through msgs.
	id=$(new_as "$AS" '{"family":"AF_UNIX","type":"SOCK_DGRAM"}')
	# shellcheck disable=SC2016
	$AS bash -c 'echo "{\"data\":\"dgram\",\"address\":\"$2\"}" > "$1/msgs"' _ "$MNT/$id" "$WORK/peer/d"
	$AS rmdir "$MNT/$id"
	n=$((n + 3))
	wait_until 10 peer_saw $n || fail "the peer saw $(wc -l <"$WORK/peer.log") of $n for $who"
	mapfile -t lines < <(tail -n 3 "$WORK/peer.log")
	direct=${lines[0]}
	assert_json "$direct" "j['peercred']['uid'] == $uid and j['scm']['uid'] == $uid" "$who's direct connect as the server sees it"
	# The stream and the datagram, in either order.
	for l in "${lines[1]}" "${lines[2]}"; do
		if [[ $(json_get "$l" 'j["kind"]') == stream ]]; then
			assert_json "$l" "j['peercred']['uid'] == $uid and j['peercred']['gid'] == $uid and j['peercred']['pid'] == $SOCKFS_PID" "$who's SO_PEERCRED through sockfs: the caller's uid and gid, the daemon's pid"
			assert_json "$l" "j['data'] == 'via sockfs' and j['scm'] == {'pid': $SOCKFS_PID, 'uid': $uid, 'gid': $uid}" "$who's SCM_CREDENTIALS on a stream write through sockfs"
		else
			assert_json "$l" "j['data'] == 'dgram' and j['scm'] == {'pid': $SOCKFS_PID, 'uid': $uid, 'gid': $uid}" "$who's SCM_CREDENTIALS on a datagram through sockfs"
		fi
	done
done

# ---- a listener made by nobody: its clients see nobody
id=$(new_as as_nobody '{"family":"AF_UNIX","type":"SOCK_STREAM"}')
mkdir -m 777 "$WORK/nl"
reply=$(sfs_write as_nobody "$MNT/$id/ctl" "{\"op\":\"bind\",\"address\":\"$WORK/nl/s\"}")
assert_json "$reply" 'j["ok"] is True' "nobody binds a unix path"
assert_eq "$NOBODY" "$(stat -c %u "$WORK/nl/s")" "owner of the socket file nobody bound"
sfs_write as_nobody "$MNT/$id/ctl" '{"op":"listen"}' >/dev/null
got=$($PY -c '
import socket, struct, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
print(*struct.unpack("=iII", s.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)))' "$WORK/nl/s")
assert_eq "$SOCKFS_PID $NOBODY $NOBODY" "$got" "SO_PEERCRED of nobody's listener through sockfs"
as_nobody rmdir "$MNT/$id"

# ---- SO_REUSEPORT: a root listener's group is closed to the others
port=$(free_port 127.0.0.1)
r=$(new_socket)
reply=$(ctl_reply "$r" "{\"op\":\"listen\",\"address\":[\"127.0.0.1\",$port],\"reuse_port\":true}")
assert_json "$reply" 'j["ok"] is True' "root's reuse_port listener"
for who in nobody user2; do
	AS=as_nobody
	[[ $who == user2 ]] && AS=as_user2
	direct=$($AS $PY "$IDPY" reuseport 127.0.0.1 "$port")
	assert_eq EADDRINUSE "$direct" "$who joins root's reuseport group directly"
	id=$(new_as $AS '{}')
	reply=$(sfs_write $AS "$MNT/$id/ctl" "{\"op\":\"listen\",\"address\":[\"127.0.0.1\",$port],\"reuse_port\":true}")
	assert_eq "$direct" "$(err_name "$reply")" "$who joins root's reuseport group through sockfs"
	$AS rmdir "$MNT/$id"
done
# root joins its own group.
r2=$(new_socket)
reply=$(ctl_reply "$r2" "{\"op\":\"listen\",\"address\":[\"127.0.0.1\",$port],\"reuse_port\":true}")
assert_json "$reply" 'j["ok"] is True' "root joins its own reuseport group"
rmdir "$MNT/$r" "$MNT/$r2"

# ---- root may add an address through netlink
id=$(new_as "" '{"family":"AF_NETLINK","type":"SOCK_DGRAM"}')
$PY "$IDPY" newaddr-msg 10.77.1.1 >"$MNT/$id/data"
assert_eq OK "$(timeout 10 dd bs=4096 count=1 status=none <"$MNT/$id/data" | $PY "$IDPY" nlack)" "root's RTM_NEWADDR"
ip -4 addr show dev lo | grep -q 10.77.1.1 || fail "root's address is not on lo"
rmdir "$MNT/$id"

log "ok"
