#!/bin/bash
# 100 sockets connected to a local listener; half closed with ctl close,
# half with rmdir. The daemon's fd count comes back to where it was and
# only `new` is left.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

N=100
sockfs_mount

fd_count_is() { [[ "$(fd_count)" == "$1" ]]; }

port=$(free_port 127.0.0.1)
start_peer python3 "$HERE/peer.py" hold-server 127.0.0.1 "$port"
wait_port 127.0.0.1 "$port"

before=$(fd_count)
log "daemon has $before fds before"

ids=()
for ((i = 0; i < N; i++)); do
	id=$(new_socket)
	if ((${#ids[@]} > 0)) && ((id <= ids[${#ids[@]} - 1])); then
		fail "socket $i got id $id, not more than the previous ${ids[${#ids[@]} - 1]}"
	fi
	ids+=("$id")
	ctl "$id" '{"op":"connect","address":["127.0.0.1",'"$port"']}'
done
during=$(fd_count)
log "daemon has $during fds with $N connected sockets"
((during >= before + N)) || fail "daemon has $during fds with $N sockets, expected at least $((before + N))"
assert_eq "$N" "$(ls_sockets | wc -l)" "sockets in the mount with $N sockets"

# Each is connected (spot check the first, the middle and the last).
for id in "${ids[0]}" "${ids[N / 2]}" "${ids[N - 1]}"; do
	assert_json "$(cat "$MNT/$id/status")" 'j["state"] == "connected" and j["peer"] == ["127.0.0.1", '"$port"']' "status of socket $id"
done

for ((i = 0; i < N; i++)); do
	id=${ids[i]}
	if ((i % 2 == 0)); then
		ctl "$id" '{"op":"close"}'
	else
		rmdir "$MNT/$id"
	fi
	[[ ! -e "$MNT/$id" ]] || fail "$MNT/$id still exists after closing it"
done

# Releases of the files opened above reach the daemon asynchronously.
if ! wait_until 5 fd_count_is "$before"; then
	fail "daemon has $(fd_count) fds after closing all sockets, expected $before: $(ls -l "/proc/$SOCKFS_PID/fd" | tail -n +2)"
fi
assert_eq "" "$(ls_sockets)" "sockets in the mount after closing all sockets"

# Ids are never reused.
id=$(new_socket)
((id > ids[N - 1])) || fail "socket made after the others got id $id, not more than ${ids[N - 1]}"
rmdir "$MNT/$id"
