#!/bin/bash
# Lifetime: {"op":"autoclose"} closes a socket when its last open file
# closes; -o reap closes sockets whose keeper (the leader of the creating
# process's group: the script that ran `id=$(cat new)`) exited and that no
# file holds open, and leaves the others alone. No sleeps: the checks that
# something did not happen wait for a canary that shows it would have.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"
command -v setsid >/dev/null || skip "setsid is not installed"

SOCKFS_OPTS="reap=1"
sockfs_mount

gone() { [[ ! -e "$MNT/$1" ]] && ! grep -qx "$1" < <(ls "$MNT"); }

# Every release the kernel sent before now has been handled: a canary
# autoclose socket whose last file closes after them is gone.
releases_done() {
	local c fd
	read -r c <"$MNT/new"
	exec {fd}<>"$MNT/$c/ctl"
	echo '{"op":"autoclose"}' >&"$fd"
	read -r -t 10 _ <&"$fd"
	exec {fd}>&-
	wait_until 10 gone "$c" || fail "canary autoclose socket $c still there"
}

# A reaping pass ran since now: a socket made by a process that leads its
# own group and exited (setsid cat) is gone.
reap_pass() {
	local c
	c=$(setsid cat "$MNT/new")
	[[ "$c" =~ ^[0-9]+$ ]] || fail "setsid cat new gave [$c]"
	wait_until 10 gone "$c" || fail "canary socket $c of an exited group leader was not reaped"
}

# ---- autoclose: ends with the last open file, not before. The test's
# shell makes it (bash's read), so the reaper leaves it alone.
read -r id <"$MNT/new"
exec 3<>"$MNT/$id/ctl"
echo '{"op":"autoclose"}' >&3
read -r -t 10 reply <&3
assert_json "$reply" 'j["ok"] is True and j["autoclose"] is True' "autoclose reply"
exec 4<>"$MNT/$id/data"
exec 3>&-
releases_done
[[ -d "$MNT/$id" ]] || fail "autoclose socket $id closed while data was still open"
reap_pass
[[ -d "$MNT/$id" ]] || fail "socket $id of a live creator was closed"
exec 4>&-
wait_until 5 gone "$id" || fail "autoclose socket $id still there after its last file closed"

# enable false turns it off again (a socket of this script: kept)
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
# A socket made by a `cat` that led its own group (exited), of which no
# file is open, is reaped (reap_pass's canary); id2, made by this script's
# `$(cat new)`, is kept while the script runs.
reap_pass
[[ -d "$MNT/$id2" ]] || fail "socket $id2 of this running script was reaped"
rmdir "$MNT/$id2"

# A script's `id=$(cat new)`: the cat exits at once, the script (the
# group's leader) lives: the socket is kept; reaped once the script exits.
# shellcheck disable=SC2016
setsid bash -c 'id=$(cat "$1/new"); echo "$id" >"$2.tmp"; mv "$2.tmp" "$2"; exec sleep 30' _ "$MNT" "$WORK/live" &
creator=$!
SOCKFS_PEERS+=("$creator")
wait_until 10 test -s "$WORK/live" || fail "the script did not make its socket"
live=$(cat "$WORK/live")
reap_pass
reap_pass
[[ -d "$MNT/$live" ]] || fail "socket $live (made by the cat of a live script, pid $creator) was reaped"

# A socket of an exited creator that a file holds open is kept until the
# file is closed.
held=$(setsid cat "$MNT/new")
exec 5<"$MNT/$held/status"
reap_pass
[[ -d "$MNT/$held" ]] || fail "socket $held was reaped while a file of it was open"
exec 5<&-
wait_until 5 gone "$held" || fail "socket $held not reaped after its file closed"

kill "$creator"
wait_pid "$creator"
wait_until 5 gone "$live" || fail "socket $live not reaped after the script exited"

# A clone socket has no creator while it is autoclose (it ends with its
# files); a script that turns autoclose off keeps it: kept while that
# script runs, reaped once it exits.
# shellcheck disable=SC2016
setsid bash -c 'exec 3<>"$1/clone"; read -r id <&3; echo "{\"op\":\"autoclose\",\"enable\":false}" >&3;
	read -r reply <&3; exec 3>&-; echo "$id $reply" >"$2.tmp"; mv "$2.tmp" "$2"; exec sleep 30' _ "$MNT" "$WORK/kept" &
keeper=$!
SOCKFS_PEERS+=("$keeper")
wait_until 10 test -s "$WORK/kept" || fail "the script did not make its clone socket"
read -r kept reply <"$WORK/kept"
assert_json "$reply" 'j["autoclose"] is False' "autoclose off on a clone socket"
reap_pass
[[ -d "$MNT/$kept" ]] || fail "clone socket $kept kept by a live script (pid $keeper) was reaped"
kill "$keeper"
wait_pid "$keeper"
wait_until 5 gone "$kept" || fail "clone socket $kept not reaped after the script that kept it exited"
