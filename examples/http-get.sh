#!/bin/bash
# http-get.sh - a bash HTTP/1.0 client over sockfs: no /dev/tcp, no curl.
#   usage: http-get.sh URL [MOUNT]     (MOUNT defaults to $SOCKFS or /sockfs)
# Prints the body on stdout, the status line on stderr; exits 1 unless 2xx.
# The socket comes from clone, so it closes when this script ends, however
# it ends; the commands are in the text form.
set -eu -o pipefail

url=$1
mnt=${2:-${SOCKFS:-/sockfs}}
[[ "$url" =~ ^http://(\[[^]]+\]|[^/:]+)(:([0-9]+))?(/.*)?$ ]] || {
	echo "http-get.sh: only http://host[:port]/path URLs: $url" >&2
	exit 2
}
host=${BASH_REMATCH[1]}
port=${BASH_REMATCH[3]:-http} # a service name: sockfs looks it up
path=${BASH_REMATCH[4]:-/}
addr_host=${host#[}
addr_host=${addr_host%]}

exec 3<>"$mnt/clone"
read -r id <&3
echo "connect $addr_host $port" >&3 || {
	cat "$mnt/$id/err" >&2
	exit 1
}
read -r _ <&3 # the reply of connect
printf 'GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n' "$path" "$host" >"$mnt/$id/data"

# Through a pipe: bash reads a pipe in blocks, a sockfs file byte by byte.
{
	IFS= read -r status || true
	echo "${status%$'\r'}" >&2
	while IFS= read -r line && [[ "${line%$'\r'}" != "" ]]; do :; done
	cat
} < <(cat "$mnt/$id/data")
if [[ -z "${status:-}" ]]; then
	echo "http-get.sh: no response; the socket's last error: $(cat "$mnt/$id/err")" >&2
	exit 1
fi
[[ "$status" =~ ^HTTP/1\.[01]\ 2 ]]
