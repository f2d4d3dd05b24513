# shellcheck shell=bash
# Network, mount and UTS namespaces for the name-service tests: private
# /etc/hosts, /etc/resolv.conf, /etc/nsswitch.conf and /etc/services (the
# real one plus sockfs-test 47999/tcp and /udp), a DNS server of
# our own (dns_server.py) on 127.0.0.53, and a host name of our own, so
# that the answers are the same on every machine and nothing leaves it.
#
#   netns_enter "$@"     first thing in a test: run the test again inside
#                        fresh namespaces (skip, 77, when that is impossible)
#   netns_setup DELAY    after sockfs_mount: loopback up, the files, the
#                        DNS server answering after DELAY seconds

netns_enter() {
	[[ -n "${SOCKFS_NETNS:-}" ]] && return 0
	local name
	name=$(basename "${0%.sh}")
	if ((EUID != 0)); then
		echo "$name: SKIP: needs root (namespaces, FUSE)" >&2
		exit 77
	fi
	if ! unshare --net --mount --uts true 2>/dev/null; then
		echo "$name: SKIP: cannot make network/mount/UTS namespaces" >&2
		exit 77
	fi
	SOCKFS_NETNS=1 exec unshare --net --mount --uts bash "$0" "$@"
}

NETNS_DNS=127.0.0.53
NETNS_HOSTNAME=sockfs-test

netns_setup() {
	local delay=$1 d=$WORK/etc
	mkdir -p "$d"
	ip link set lo up
	cat >"$d/hosts" <<-HOSTS
		127.0.0.1	localhost
		::1	localhost ip6-localhost ip6-loopback
		10.9.8.7	fixture.sockfs.test fixture fixture-alias
		10.9.8.8	$NETNS_HOSTNAME.example.org $NETNS_HOSTNAME
		fd00::7	fixture6.sockfs.test
	HOSTS
	printf 'nameserver %s\noptions timeout:5 attempts:1\n' "$NETNS_DNS" >"$d/resolv.conf"
	printf '%s\n' 'passwd: files' 'group: files' 'shadow: files' 'hosts: files dns' \
		'networks: files' 'protocols: files' 'services: files' >"$d/nsswitch.conf"
	local f
	# /etc/services: the real one (http, ssh, domain) and a service of our own.
	[[ -r /etc/services ]] || skip "needs /etc/services (Debian package netbase)"
	{
		cat /etc/services
		printf 'sockfs-test\t47999/tcp\t\tsockfs-alias\nsockfs-test\t47999/udp\n'
	} >"$d/services"
	for f in hosts resolv.conf nsswitch.conf services; do
		mount --bind "$d/$f" "/etc/$f"
	done
	hostname "$NETNS_HOSTNAME"
	: >"$WORK/dns.log"
	start_peer python3 "$HERE/dns_server.py" --addr "$NETNS_DNS" --delay "$delay" \
		--log "$WORK/dns.log" --ready "$WORK/dns.ready"
	wait_until 10 test -e "$WORK/dns.ready" || fail "the DNS server did not start"
}
