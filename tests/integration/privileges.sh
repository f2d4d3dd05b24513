#!/bin/bash
# Caller privileges, with a real unprivileged user (nobody) and a root
# daemon: a port below net.ipv4.ip_unprivileged_port_start needs
# CAP_NET_BIND_SERVICE in the calling process (EACCES without it; with it
# as an ambient capability, nobody may); raw sockets need CAP_NET_RAW
# (EPERM); a TCP_CONGESTION outside tcp_allowed_congestion_control needs
# CAP_NET_ADMIN (EPERM), where the daemon's own root would let it load any
# module. (CAP_NET_ADMIN options: limits.sh.)
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

command -v setpriv >/dev/null || skip "setpriv is not installed"
# nobody with CAP_NET_BIND_SERVICE (ambient: kept across exec of bash).
as_nobody_bind() {
	(cd / && setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups \
		--inh-caps=+net_bind_service --ambient-caps=+net_bind_service -- "$@")
}
# ctl_as RUNNER DIR JSON: write JSON to DIR/ctl as RUNNER, print the reply.
# shellcheck disable=SC2016
ctl_as() {
	"$1" bash -c 'exec 3<>"$1/ctl" || exit 1; echo "$2" >&3 2>/dev/null; read -r -t 10 r <&3; echo "$r"' _ "$2" "$3"
}

start=$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start)
sockfs_mount

# ---- a privileged port: a free one below the start
low=
for p in 1023 1000 999 990 950 900 800 700; do
	((p < start)) || continue
	if python3 -c 'import socket,sys; s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1])))' "$p" 2>/dev/null; then
		low=$p
		break
	fi
done
if [[ -n "$low" ]]; then
	s=$(as_nobody cat "$MNT/new")
	reply=$(ctl_as as_nobody "$MNT/$s" "{\"op\":\"bind\",\"address\":[\"127.0.0.1\",$low]}")
	assert_json "$reply" 'j["error"]["name"] == "EACCES" and "CAP_NET_BIND_SERVICE" in j["error"]["message"]' "nobody's bind of port $low"
	assert_json "$(as_nobody cat "$MNT/$s/status")" 'j["state"] == "new"' "state after the refused bind"
	# The check is the caller's: nobody holding the capability may.
	if as_nobody_bind true 2>/dev/null; then
		reply=$(ctl_as as_nobody_bind "$MNT/$s" "{\"op\":\"bind\",\"address\":[\"127.0.0.1\",$low]}")
		assert_json "$reply" "j['ok'] is True and j['address'] == ['127.0.0.1', $low]" "bind of port $low with CAP_NET_BIND_SERVICE"
	else
		log "setpriv cannot raise ambient capabilities here: the positive case is not checked"
	fi
	as_nobody rmdir "$MNT/$s"
	# Root binds it.
	r=$(new_socket)
	ctl "$r" "{\"op\":\"bind\",\"address\":[\"127.0.0.1\",$low]}"
	rmdir "$MNT/$r"
else
	log "no free port below $start: the CAP_NET_BIND_SERVICE case is skipped"
fi

# ---- raw sockets: nobody gets EPERM, at new and at the socket command
# shellcheck disable=SC2016
expect_fail "Operation not permitted" as_nobody bash -c 'exec 3<>"$1/new" && echo "{\"family\":\"AF_INET\",\"type\":3,\"proto\":1}" >&3' _ "$MNT"
s=$(as_nobody cat "$MNT/new")
reply=$(ctl_as as_nobody "$MNT/$s" '{"op":"socket","family":"AF_INET","type":3,"proto":1}')
assert_json "$reply" 'j["error"]["name"] == "EPERM" and "CAP_NET_RAW" in j["error"]["message"]' "nobody's raw socket"
assert_json "$(as_nobody cat "$MNT/$s/status")" 'j["family"] is None' "no kernel socket after the refusal"
as_nobody rmdir "$MNT/$s"
r=$(new_socket)
ctl "$r" '{"op":"socket","family":"AF_INET","type":3,"proto":1}'
rmdir "$MNT/$r"

# ---- TCP_CONGESTION beyond the allowed list
read -r -a allowed </proc/sys/net/ipv4/tcp_allowed_congestion_control
s=$(as_nobody cat "$MNT/new")
ctl_as as_nobody "$MNT/$s" '{"op":"socket","family":"AF_INET"}' >/dev/null
# shellcheck disable=SC2016
as_nobody bash -c 'echo "{\"TCP_CONGESTION\":\"$2\"}" > "$1/opts"' _ "$MNT/$s" "${allowed[0]}" ||
	fail "nobody cannot choose ${allowed[0]}, an allowed congestion control"
# shellcheck disable=SC2016
reply=$(as_nobody bash -c 'exec 3<>"$1/opts"; echo "{\"TCP_CONGESTION\":\"sockfs_nope\"}" >&3 2>/dev/null; read -r -t 5 r <&3; echo "$r"' _ "$MNT/$s")
# The kernel's answer to nobody directly: ENOENT (no module is loaded for it).
direct=$(as_nobody /usr/bin/python3 -c '
import errno, socket
try:
    socket.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b"sockfs_nope")
    print("OK")
except OSError as e:
    print(errno.errorcode[e.errno])')
assert_json "$reply" "j['error']['name'] == '$direct'" "nobody's TCP_CONGESTION outside the allowed list, as the kernel answers ($direct)"
# One the kernel has but does not allow to everybody (cubic here, often).
read -r -a available </proc/sys/net/ipv4/tcp_available_congestion_control
for cc in "${available[@]}"; do
	[[ " ${allowed[*]} " == *" $cc "* ]] && continue
	# shellcheck disable=SC2016
	expect_fail "Operation not permitted" as_nobody bash -c 'echo "{\"TCP_CONGESTION\":\"$2\"}" > "$1/opts"' _ "$MNT/$s" "$cc"
	break
done
assert_json "$(as_nobody cat "$MNT/$s/opts")" "j['TCP_CONGESTION'] == '${allowed[0]}'" "TCP_CONGESTION after the refusals"
as_nobody rmdir "$MNT/$s"
