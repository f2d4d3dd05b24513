#!/bin/bash
# net/: every name-service query against Python's socket module in the
# same namespace (real /etc/hosts and /etc/services entries, numeric hosts,
# DNS through a server of our own, names that do not exist), the shell
# forms (hostname, interfaces, resolve/, reverse/), the interfaces against
# ip link (with veth and bridge interfaces where the kernel has them),
# sethostname allowed to root and refused to an unprivileged caller and to
# root of a user namespace of its own (as are raw sockets and low ports),
# and the syntax errors.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=netns.sh
. "$HERE/netns.sh"
netns_enter "$@"
# shellcheck source=lib.sh
. "$HERE/lib.sh"

command -v setpriv >/dev/null || skip "setpriv is not installed"
sockfs_mount
netns_setup 0
NET=$MNT/net

# query JSON: write JSON to a held net/query and print "WRITE_OK<TAB>REPLY".
query() {
	local fd ok=1 reply=
	exec {fd}<>"$NET/query"
	echo "$1" 1>&"$fd" 2>/dev/null || ok=0
	read -r -t 10 reply <&"$fd" || true
	exec {fd}>&-
	printf '%s\t%s\n' "$ok" "$reply"
}

# check JSON: sockfs and Python's socket module agree on the query.
check() {
	local out ok reply msg
	out=$(query "$1")
	ok=${out%%$'\t'*}
	reply=${out#*$'\t'}
	msg=$(python3 "$HERE/pyref.py" check "$1" "$reply" "$ok") || fail "query $1: $msg"
	printf '%s\n' "$reply"
}

# ---- the directory
assert_eq "hostname interfaces query resolve reverse" "$(ls "$NET" | tr '\n' ' ' | sed 's/ $//')" "ls net"
assert_eq "" "$(ls "$NET/resolve")" "ls net/resolve (lists nothing)"

# ---- getaddrinfo: /etc/hosts, /etc/services, DNS, numeric, every AI_* flag
check '{"op":"getaddrinfo","host":"localhost","port":80,"type":"SOCK_STREAM"}' >/dev/null
reply=$(check '{"op":"getaddrinfo","host":"fixture.sockfs.test","port":"http","family":"AF_INET","flags":"AI_CANONNAME"}')
assert_json "$reply" 'j["result"][0] == ["AF_INET", "SOCK_STREAM", 6, "fixture.sockfs.test", ["10.9.8.7", 80]]' "getaddrinfo from /etc/hosts and /etc/services"
reply=$(check '{"op":"getaddrinfo","host":"host.sockfs.test","port":443,"type":"SOCK_STREAM","flags":["AI_CANONNAME"]}')
assert_json "$reply" 'j["result"] == [["AF_INET", "SOCK_STREAM", 6, "host.sockfs.test", ["10.77.255.1", 443]]]' "getaddrinfo through DNS"
check '{"op":"getaddrinfo","host":null,"port":8080,"family":"AF_INET6","type":"SOCK_STREAM","flags":"AI_PASSIVE"}' >/dev/null
check '{"op":"getaddrinfo","host":null,"port":8080,"family":"AF_INET","type":"SOCK_DGRAM"}' >/dev/null
check '{"op":"getaddrinfo","host":"10.1.2.3","port":"80","flags":"AI_NUMERICHOST|AI_NUMERICSERV"}' >/dev/null
reply=$(check '{"op":"getaddrinfo","host":"10.1.2.3","port":80,"family":"AF_INET6","type":"SOCK_STREAM","flags":"AI_V4MAPPED"}')
assert_json "$reply" 'j["result"][0][4] == ["::ffff:10.1.2.3", 80, 0, 0]' "AI_V4MAPPED"
check '{"op":"getaddrinfo","host":"fixture.sockfs.test","port":80,"family":"AF_INET6","type":"SOCK_STREAM","flags":"AI_V4MAPPED|AI_ALL"}' >/dev/null
check '{"op":"getaddrinfo","host":"localhost","port":80,"type":"SOCK_STREAM","flags":"AI_ADDRCONFIG"}' >/dev/null
check '{"op":"getaddrinfo","host":"::1","port":22,"proto":"IPPROTO_TCP","flags":1024}' >/dev/null
check '{"op":"getaddrinfo","host":"fixture6.sockfs.test","port":null,"family":"AF_INET6","type":"SOCK_RAW","proto":"IPPROTO_ICMPV6"}' >/dev/null
# Errors: EAI_NONAME (the write fails with ENXIO), EAI_SERVICE, numeric only.
check '{"op":"getaddrinfo","host":"fixture.sockfs.test","port":"http","flags":"AI_NUMERICSERV"}' >/dev/null
check '{"op":"getaddrinfo","host":"fixture.sockfs.test","port":"no-such-service","type":"SOCK_STREAM"}' >/dev/null
check '{"op":"getaddrinfo","host":"fixture.sockfs.test","port":80,"flags":"AI_NUMERICHOST"}' >/dev/null
reply=$(check '{"op":"getaddrinfo","host":"nonexistent.sockfs.test","port":80}')
assert_json "$reply" 'j["error"]["gai"] == {"errno": -2, "name": "EAI_NONAME"} and j["error"]["name"] == "ENXIO" and j["error"]["message"] == "Name or service not known" and j["error"]["op"] == "getaddrinfo"' "reply for a name that does not exist"
w_query() { echo "$1" >"$NET/query"; }
expect_write_error "No such device or address" w_query '{"op":"getaddrinfo","host":"nonexistent.sockfs.test","port":80}'

# ---- getnameinfo
check '{"op":"getnameinfo","sockaddr":["127.0.0.1",22],"flags":0}' >/dev/null
check '{"op":"getnameinfo","sockaddr":["10.9.8.7",80],"flags":"NI_NOFQDN"}' >/dev/null
check '{"op":"getnameinfo","sockaddr":["::1",53,0,0],"flags":"NI_NUMERICHOST|NI_NUMERICSERV"}' >/dev/null
check '{"op":"getnameinfo","sockaddr":["10.99.99.99",53],"flags":"NI_DGRAM"}' >/dev/null
check '{"op":"getnameinfo","sockaddr":["10.99.99.99",53],"flags":"NI_NAMEREQD"}' >/dev/null

# ---- gethostby*, getfqdn, gethostname
check '{"op":"gethostbyname","hostname":"fixture.sockfs.test"}' >/dev/null
check '{"op":"gethostbyname","hostname":"host.sockfs.test"}' >/dev/null
check '{"op":"gethostbyname","hostname":"10.1.2.3"}' >/dev/null
check '{"op":"gethostbyname","hostname":"nonexistent.sockfs.test"}' >/dev/null
reply=$(check '{"op":"gethostbyname_ex","hostname":"fixture"}')
assert_json "$reply" 'j["result"] == ["fixture.sockfs.test", ["fixture", "fixture-alias"], ["10.9.8.7"]]' "gethostbyname_ex from /etc/hosts"
check '{"op":"gethostbyname_ex","hostname":"localhost"}' >/dev/null
check '{"op":"gethostbyname_ex","hostname":"nonexistent.sockfs.test"}' >/dev/null
reply=$(check '{"op":"gethostbyaddr","ip_address":"10.99.99.99"}')
assert_json "$reply" 'j["error"]["herror"] == {"errno": 1, "name": "HOST_NOT_FOUND"} and j["error"]["message"] == "Unknown host" and j["error"]["name"] == "ENXIO"' "herror of gethostbyaddr"
reply=$(check '{"op":"gethostbyaddr","ip_address":"127.0.0.1"}')
assert_json "$reply" 'j["result"][0] == "localhost"' "reverse lookup of 127.0.0.1"
reply=$(check '{"op":"gethostbyaddr","ip_address":"::1"}')
assert_json "$reply" 'j["result"][0] == "localhost" and j["result"][2] == ["::1"]' "reverse lookup of ::1"
check '{"op":"gethostbyaddr","ip_address":"10.9.8.7"}' >/dev/null
check '{"op":"gethostbyaddr","ip_address":"fixture-alias"}' >/dev/null
check '{"op":"gethostbyaddr","ip_address":"nonexistent.sockfs.test"}' >/dev/null
reply=$(check '{"op":"getfqdn"}')
assert_json "$reply" 'j["result"] == "'"$NETNS_HOSTNAME"'.example.org"' "getfqdn()"
check '{"op":"getfqdn","name":"fixture"}' >/dev/null
check '{"op":"getfqdn","name":"nonexistent.sockfs.test"}' >/dev/null
reply=$(check '{"op":"gethostname"}')
assert_json "$reply" 'j["result"] == "'"$NETNS_HOSTNAME"'"' "gethostname"

# ---- services and protocols (/etc/services, /etc/protocols)
reply=$(check '{"op":"getservbyname","servicename":"sockfs-test","protocolname":"tcp"}')
assert_json "$reply" 'j["result"] == 47999' "getservbyname of our /etc/services entry"
reply=$(check '{"op":"getservbyname","servicename":"sockfs-alias"}')
assert_json "$reply" 'j["result"] == 47999' "getservbyname of an alias in /etc/services"
reply=$(check '{"op":"getservbyport","port":47999,"protocolname":"udp"}')
assert_json "$reply" 'j["result"] == "sockfs-test"' "getservbyport of our /etc/services entry"
reply=$(check '{"op":"getaddrinfo","host":"fixture","port":"sockfs-test","type":"SOCK_DGRAM"}')
assert_json "$reply" 'j["result"] == [["AF_INET", "SOCK_DGRAM", 17, "", ["10.9.8.7", 47999]]]' "getaddrinfo with a service from /etc/services"
check '{"op":"getservbyname","servicename":"ssh","protocolname":"tcp"}' >/dev/null
check '{"op":"getservbyname","servicename":"domain"}' >/dev/null
check '{"op":"getservbyname","servicename":"no-such-service"}' >/dev/null
check '{"op":"getservbyport","port":80}' >/dev/null
check '{"op":"getservbyport","port":53,"protocolname":"udp"}' >/dev/null
check '{"op":"getservbyport","port":70000}' >/dev/null
check '{"op":"getprotobyname","protocolname":"udp"}' >/dev/null
check '{"op":"getprotobyname","protocolname":"no-such-protocol"}' >/dev/null

# ---- interfaces
# Some interfaces besides lo, of whatever kinds this kernel has.
ip link add sockfs-dummy0 type dummy 2>/dev/null || log "no dummy interfaces here"
ip link add sockfs-veth0 type veth peer name sockfs-veth1 2>/dev/null || log "no veth interfaces here"
ip link add sockfs-br0 type bridge 2>/dev/null || log "no bridges here"
log "interfaces: $(ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); printf "%s ", $2 }')"
reply=$(check '{"op":"if_nameindex"}')
assert_json "$reply" 'len(j["result"]) == '"$(ip -o link show | wc -l)" "if_nameindex: as many interfaces as ip link"
from_ip=$(ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $1 " " $2 }')
assert_eq "$from_ip" "$(cat "$NET/interfaces")" "net/interfaces against ip link"
# /sys shows the namespace of whoever mounted it: mount our own, as ip
# netns exec does.
if mount -t sysfs sysfs /sys 2>/dev/null; then
	from_sys=$(for d in /sys/class/net/*; do echo "$(cat "$d/ifindex") ${d##*/}"; done | sort -n)
	assert_eq "$from_sys" "$(cat "$NET/interfaces")" "net/interfaces against /sys/class/net"
else
	log "cannot mount sysfs here: net/interfaces is checked against ip link only"
fi
check '{"op":"if_nametoindex","if_name":"lo"}' >/dev/null
for ifname in sockfs-veth1 sockfs-br0 sockfs-dummy0; do
	idx=$(ip -o link show dev "$ifname" 2>/dev/null | cut -d: -f1) || continue
	reply=$(check '{"op":"if_nametoindex","if_name":"'"$ifname"'"}')
	assert_json "$reply" 'j["result"] == '"$idx" "if_nametoindex $ifname against ip link"
	reply=$(check '{"op":"if_indextoname","if_index":'"$idx"'}')
	assert_json "$reply" 'j["result"] == "'"$ifname"'"' "if_indextoname $idx against ip link"
done
check '{"op":"if_nametoindex","if_name":"nosuchif0"}' >/dev/null
check '{"op":"if_indextoname","if_index":1}' >/dev/null
check '{"op":"if_indextoname","if_index":4000}' >/dev/null

# ---- inet_* (packed addresses are hex) and has_ipv6
reply=$(check '{"op":"inet_pton","address_family":"AF_INET6","ip_string":"fe80::1"}')
assert_json "$reply" 'j["result"] == "fe800000000000000000000000000001"' "inet_pton"
check '{"op":"inet_pton","address_family":"AF_INET","ip_string":"10.1.2.3"}' >/dev/null
check '{"op":"inet_pton","address_family":"AF_INET","ip_string":"10.1.2"}' >/dev/null
check '{"op":"inet_ntop","address_family":"AF_INET6","packed_ip":"20010db8000000000000000000000001"}' >/dev/null
check '{"op":"inet_ntop","address_family":"AF_INET","packed_ip":"0a01"}' >/dev/null
check '{"op":"inet_aton","ip_string":"127.1"}' >/dev/null
check '{"op":"inet_aton","ip_string":"not an address"}' >/dev/null
check '{"op":"inet_ntoa","packed_ip":"7f000001"}' >/dev/null
check '{"op":"inet_ntoa","packed_ip":"7f00000102"}' >/dev/null
check '{"op":"has_ipv6"}' >/dev/null

# ---- shell forms
expected=$(python3 -c '
import socket, sys
seen = []
for *_, sa in socket.getaddrinfo(sys.argv[1], None, type=socket.SOCK_STREAM):
    if sa[0] not in seen:
        seen.append(sa[0])
print("\n".join(seen))' localhost)
assert_eq "$expected" "$(cat "$NET/resolve/localhost")" "cat net/resolve/localhost"
assert_eq "10.9.8.7" "$(cat "$NET/resolve/fixture-alias")" "cat net/resolve/fixture-alias"
assert_eq "10.77.255.1" "$(cat "$NET/resolve/host.sockfs.test")" "cat net/resolve/host.sockfs.test (DNS)"
assert_eq "localhost" "$(cat "$NET/reverse/127.0.0.1")" "cat net/reverse/127.0.0.1"
assert_eq "localhost" "$(cat "$NET/reverse/::1")" "cat net/reverse/::1"
assert_eq "fixture.sockfs.test" "$(cat "$NET/reverse/10.9.8.7")" "cat net/reverse/10.9.8.7"
expect_fail "No such device or address" cat "$NET/resolve/nonexistent.sockfs.test"
expect_fail "No such device or address" cat "$NET/reverse/10.99.99.99"
expect_fail "Invalid argument" cat "$NET/reverse/not-an-address"
assert_eq "$NETNS_HOSTNAME" "$(cat "$NET/hostname")" "cat net/hostname"
# One open file reads one answer, then EOF; a lookup file is read-only.
exec 3<"$NET/resolve/fixture"
read -r line <&3
assert_eq "10.9.8.7" "$line" "first line of an open resolve file"
expect_eof 3 "second read of an open resolve file"
exec 3<&-
expect_write_error "Bad file descriptor" put "$NET/resolve/fixture" x

# ---- sethostname: root may (in this UTS namespace), nobody may not
reply=$(query '{"op":"sethostname","name":"renamed"}')
assert_json "${reply#*$'\t'}" 'j == {"ok": True, "op": "sethostname", "result": "renamed"}' "sethostname as root"
assert_eq "renamed" "$(hostname)" "host name after sethostname"
put "$NET/hostname" "again"
assert_eq "again" "$(hostname)" "host name after echo again > net/hostname"
assert_eq "again" "$(cat "$NET/hostname")" "cat net/hostname after a write"
# shellcheck disable=SC2016 # expanded by the inner bash
expect_fail "Operation not permitted" as_nobody bash -c 'echo pwned > "$1"' _ "$NET/hostname"
# shellcheck disable=SC2016
out=$(as_nobody bash -c 'exec 3<>"$1"; echo "{\"op\":\"sethostname\",\"name\":\"pwned\"}" >&3 && echo wrote; read -r r <&3; echo "$r"' _ "$NET/query" 2>&1) || true
[[ "$out" != *wrote* ]] || fail "unprivileged sethostname write succeeded: $out"
assert_match '"name":"EPERM".*CAP_SYS_ADMIN' "$out" "reply to an unprivileged sethostname"
# A user namespace of one's own shows every capability, over nothing of
# the daemon's: root there may not rename the daemon's host.
# shellcheck disable=SC2016
if as_nobody unshare -Ur true 2>/dev/null; then
	expect_fail "Operation not permitted" as_nobody unshare -Ur bash -c 'grep -q "^CapEff:.*f$" /proc/self/status && echo pwned > "$1"' _ "$NET/hostname"
	# The same for the network namespace: no raw socket, no port below 1024.
	# shellcheck disable=SC2016
	expect_write_error "Operation not permitted" as_nobody unshare -Ur bash -c 'exec 3<>"$1/new"; echo "{\"family\":\"AF_INET\",\"type\":\"SOCK_RAW\",\"proto\":1}" >&3' _ "$MNT"
	# shellcheck disable=SC2016
	expect_write_error "Permission denied" as_nobody unshare -Ur bash -c 'id=$(cat "$1/new"); echo "{\"op\":\"bind\",\"address\":[\"127.0.0.1\",80]}" > "$1/$id/ctl"' _ "$MNT"
else
	log "no unprivileged user namespaces here: sethostname from one is not tried"
fi
# shellcheck disable=SC2016
expect_fail "Operation not permitted" unshare -Ur bash -c 'echo pwned > "$1"' _ "$NET/hostname"
assert_eq "again" "$(hostname)" "host name after the refused writes"
# Other queries are open to everybody.
assert_eq "10.9.8.7" "$(as_nobody cat "$NET/resolve/fixture")" "resolve as nobody"

# ---- syntax errors: EINVAL and a message that names the problem
msg_of() {
	local out
	out=$(query "$1")
	assert_eq 0 "${out%%$'\t'*}" "write of [$1] failed"
	json_get "${out#*$'\t'}" 'j["error"]["name"] + ": " + j["error"]["message"]'
}
assert_match '^EINVAL: invalid JSON' "$(msg_of '{"op":')" "bad JSON"
assert_match '^EINVAL: unknown op "frob"; valid ops: getaddrinfo, .*has_ipv6' "$(msg_of '{"op":"frob"}')" "unknown op"
assert_match 'unknown field "hots" \(fields: host port family type proto flags\)' "$(msg_of '{"op":"getaddrinfo","hots":"x"}')" "unknown field"
assert_match 'field "host" is missing' "$(msg_of '{"op":"getaddrinfo","port":1}')" "missing field"
assert_match 'field "flags": unknown flag "AI_BOGUS"' "$(msg_of '{"op":"getaddrinfo","host":"x","flags":"AI_PASSIVE|AI_BOGUS"}')" "bad flag"
assert_match 'field "family": unknown name' "$(msg_of '{"op":"getaddrinfo","host":"x","family":"AF_BOGUS"}')" "bad family"
assert_match 'field "port": must be an integer' "$(msg_of '{"op":"getservbyport","port":"80"}')" "mistyped field"
reply=$(query '{"op":"help"}')
assert_json "${reply#*$'\t'}" '{"getaddrinfo", "getnameinfo", "sethostname", "inet_ntoa"} <= {o["op"] for o in j["result"]}' "help"
