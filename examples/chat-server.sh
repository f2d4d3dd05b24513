#!/bin/bash
# chat-server.sh - a multi-client chat server in pure bash over sockfs.
#   usage: chat-server.sh PORT [MOUNT]    (MOUNT defaults to $SOCKFS or /sockfs)
# Every line a client sends goes to every other client, as "N: line";
# joins and leaves are announced. Try it with `nc 127.0.0.1 PORT` twice.
# The listener comes from clone: if the server is killed, it closes.
set -eu

port=$1
mnt=${2:-${SOCKFS:-/sockfs}}
members=$(mktemp -d "${TMPDIR:-/tmp}/chat.XXXXXX") # one empty file per client id

# say FROM TEXT: to every member but FROM (a member gone meanwhile is skipped).
say() {
	local m
	for m in "$members"/*; do
		m=${m##*/}
		[[ "$m" == "*" || "$m" == "$1" ]] && continue
		echo "$2" >"$mnt/$m/data" 2>/dev/null || true
	done
}

# serve ID: relay the lines of one client until it leaves.
serve() {
	local id=$1 line
	while IFS= read -r line; do
		say "$id" "$id: ${line%$'\r'}"
	done < <(cat "$mnt/$id/data" 2>/dev/null)
	rm -f "$members/$id"
	say "$id" "* $id left"
	rmdir "$mnt/$id" 2>/dev/null || true
}

cleanup() {
	local m
	for m in "$members"/*; do
		[[ -e "$m" ]] && rmdir "$mnt/${m##*/}" 2>/dev/null
	done
	rm -rf "$members"
	local jobs
	mapfile -t jobs < <(jobs -p)
	((${#jobs[@]} == 0)) || kill "${jobs[@]}" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 0' INT TERM

exec 3<>"$mnt/clone"
read -r srv <&3
echo "listen 16 * $port" >&3
read -r reply <&3
echo "chat on port $port (socket $srv): $reply" >&2
while read -r conn <"$mnt/$srv/accept"; do
	# here, in accept order: each join reaches exactly those before it
	touch "$members/$conn"
	say "$conn" "* $conn joined"
	serve "$conn" &
done
