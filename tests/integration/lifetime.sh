#!/bin/bash
# Lifetime: {"op":"autoclose"} closes a socket when its last open file
# closes; -o reap closes sockets whose creating process exited and that no
# file holds open, and leaves the others alone.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

SOCKFS_OPTS="reap=1"
sockfs_mount

gone() { [[ ! -e "$MNT/$1" ]] && ! grep -qx "$1" < <(ls "$MNT"); }

# ---- autoclose: ends with the last open file, not before. The test's
# shell makes it (bash's read), so the reaper leaves it alone.
read -r id <"$MNT/new"
exec 3<>"$MNT/$id/ctl"
echo '{"op":"autoclose"}' >&3
read -r -t 10 reply <&3
assert_json "$reply" 'j["ok"] is True and j["autoclose"] is True' "autoclose reply"
exec 4<>"$MNT/$id/data"
exec 3>&-
sleep 0.2 # a release that would wrongly close the socket has time to land
[[ -d "$MNT/$id" ]] || fail "autoclose socket $id closed while data was still open"
sleep 1.5 # the shell lives: no reaping
[[ -d "$MNT/$id" ]] || fail "socket $id of a live creator was closed"
exec 4>&-
wait_until 5 gone "$id" || fail "autoclose socket $id still there after its last file closed"

# enable false turns it off again
id2=$(new_socket)
exec 3<>"$MNT/$id2/ctl"
echo '{"op":"autoclose","enable":true}' >&3
read -r -t 10 reply <&3
echo '{"op":"autoclose","enable":false}' >&3
read -r -t 10 reply <&3
assert_json "$reply" 'j["autoclose"] is False' "autoclose disabled"
exec 3>&-
# A bad field is named.
reply=$(ctl_reply "$id2" '{"op":"autoclose","enable":"yes"}')
assert_json "$reply" 'j["error"]["name"] == "EINVAL" and "enable" in j["error"]["message"]' "autoclose with a bad enable"

# ---- reaping
# id2 was made by `cat` (exited) and no file is open: it is reaped.
wait_until 5 gone "$id2" || fail "socket $id2 of an exited cat was not reaped"

# A socket whose creator lives is kept; reaped once the creator exits.
# shellcheck disable=SC2016
bash -c 'read -r id <"$1/new"; echo "$id" >"$2.tmp"; mv "$2.tmp" "$2"; exec sleep 30' _ "$MNT" "$WORK/live" &
creator=$!
SOCKFS_PEERS+=("$creator")
wait_until 10 test -s "$WORK/live" || fail "the creator did not make its socket"
live=$(cat "$WORK/live")
sleep 2.5 # two reaping passes
[[ -d "$MNT/$live" ]] || fail "socket $live was reaped while its creator (pid $creator) lives"

# A socket of an exited creator that a file holds open is kept until the
# file is closed.
held=$(new_socket)
exec 5<"$MNT/$held/status"
sleep 2.5
[[ -d "$MNT/$held" ]] || fail "socket $held was reaped while a file of it was open"
exec 5<&-
wait_until 5 gone "$held" || fail "socket $held not reaped after its file closed"

kill "$creator"
wait_pid "$creator"
wait_until 5 gone "$live" || fail "socket $live not reaped after its creator exited"
