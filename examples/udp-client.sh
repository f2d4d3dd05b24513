#!/bin/bash
# udp-client.sh - send one datagram to each server given and print every
# answer with the address it came from (recvfrom), from bash.
#   usage: udp-client.sh MESSAGE HOST:PORT... [-- MOUNT]
# Output: one line per answer, "HOST PORT TEXT"; waits 2 s for answers.
set -eu -o pipefail

msg=$1
shift
servers=()
while (($#)) && [[ "$1" != -- ]]; do
	servers+=("$1")
	shift
done
mnt=${2:-${SOCKFS:-/sockfs}}

exec 3<>"$mnt/clone" # the socket closes with fd 3
read -r id <&3
echo "socket inet dgram" >&3
read -r _ <&3
echo "settimeout 2" >&3 # a read of msgs gives ETIMEDOUT after 2 s of silence
read -r _ <&3

for s in "${servers[@]}"; do
	# sendto: one JSON line on msgs, with the address it goes to.
	printf '{"data":"%s","address":["%s",%s]}\n' "$msg" "${s%:*}" "${s##*:}" >"$mnt/$id/msgs"
done

# recvfrom: each line of msgs is one datagram with its source address.
exec 4<"$mnt/$id/msgs"
for ((i = 0; i < ${#servers[@]}; i++)); do
	IFS= read -r m <&4 || break # ETIMEDOUT: no more answers
	[[ "$m" =~ \"address\":\[\"([^\"]*)\",([0-9]+) ]] || continue
	from="${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
	[[ "$m" =~ \"data\":\"([^\"]*)\" ]] && echo "$from ${BASH_REMATCH[1]}"
done
exec 4<&-
