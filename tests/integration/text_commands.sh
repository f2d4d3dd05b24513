#!/bin/bash
# ctl's text form: `echo connect 127.0.0.1 80 > ctl` runs the same op as
# its JSON, through the same verb table (ctl/text.c). Service names,
# unix paths and abstract names, field=value, errors.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

sockfs_mount

port=$(free_port 127.0.0.1)
start_peer python3 -m http.server "$port" --bind 127.0.0.1 --directory "$WORK" >"$WORK/http.log" 2>&1
wait_port 127.0.0.1 "$port"

# text LINE on a held ctl of socket ID: print the reply (ok or error).
text() {
	local reply='' fd
	exec {fd}<>"$MNT/$1/ctl"
	echo "$2" 1>&"$fd" 2>/dev/null || true
	read -r reply <&"$fd" || true
	exec {fd}>&-
	echo "$reply"
}

read -r id <"$MNT/new"
echo "connect 127.0.0.1 $port" >"$MNT/$id/ctl"
assert_json "$(cat "$MNT/$id/status")" 'j["state"] == "connected" and j["peer"] == ["127.0.0.1", '"$port"']' "connect in text"
printf 'GET / HTTP/1.0\r\n\r\n' >"$MNT/$id/data"
assert_match '^HTTP/1\.[01] 200' "$(timeout 10 head -c 20 "$MNT/$id/data" 2>/dev/null)" "response after a text connect"
r=$(text "$id" "getpeername")
assert_json "$r" 'j["address"] == ["127.0.0.1", '"$port"']' "getpeername in text"
r=$(text "$id" "shutdown wr")
assert_json "$r" 'j["ok"] and j["how"] == "SHUT_WR"' "shutdown wr"
r=$(text "$id" "settimeout 2.5")
assert_json "$r" 'j["timeout"] == 2.5' "settimeout 2.5"
r=$(text "$id" "settimeout none")
assert_json "$r" 'j["timeout"] is None' "settimeout none"
r=$(text "$id" "setblocking off")
assert_json "$r" 'j["blocking"] is False' "setblocking off"
r=$(text "$id" "close")
assert_json "$r" 'j["ok"] and j["op"] == "close"' "close in text"

# A service name: localhost http is ["localhost", "http"], port 80 from
# /etc/services (nothing listens there: refused, or the policy's answer).
if getent services http >/dev/null; then
	read -r id <"$MNT/new"
	r=$(text "$id" "connect localhost http")
	assert_json "$r" '("error" in j and j["error"]["name"] in ("ECONNREFUSED", "EACCES")) or j.get("address", [0, 0])[1] == 80' "connect localhost http"
	echo close >"$MNT/$id/ctl"
	# The same in JSON.
	read -r id <"$MNT/new"
	r=$(text "$id" '{"op":"connect","address":["127.0.0.1","http"]}')
	assert_json "$r" '"error" in j and j["error"]["name"] == "ECONNREFUSED"' "JSON address with a service name"
	r=$(text "$id" '{"op":"connect","address":["127.0.0.1","no-such-svc"]}')
	assert_json "$r" 'j["error"]["name"] == "EINVAL" and "no service" in j["error"]["message"]' "unknown service name"
	echo close >"$MNT/$id/ctl"
fi

# bind :: 0, listen 16, a client, accept.
read -r lid <"$MNT/new"
r=$(text "$lid" "bind 127.0.0.1 0")
assert_json "$r" 'j["ok"] and j["address"][0] == "127.0.0.1" and j["address"][1] > 0' "bind 127.0.0.1 0"
lport=$(json_get "$r" 'j["address"][1]')
r=$(text "$lid" "listen 16")
assert_json "$r" 'j["ok"] and j["backlog"] == 16' "listen 16"
exec 5<>"/dev/tcp/127.0.0.1/$lport"
r=$(text "$lid" "accept")
assert_json "$r" 'j["ok"] and j["id"] > 0' "accept in text"
aid=$(json_get "$r" 'j["id"]')
echo "from-client" >&5
r=$(text "$aid" "recv 100")
assert_json "$r" 'j["data"] == "from-client\n"' "recv 100"
r=$(text "$aid" "send hello world")
assert_json "$r" 'j["ok"] and j["sent"] == 11' "send hello world"
read -r -N 11 got <&5
assert_eq "hello world" "$got" "bytes of send"
exec 5<&-
echo close >"$MNT/$aid/ctl"
echo close >"$MNT/$lid/ctl"

read -r id <"$MNT/new"
r=$(text "$id" "bind :: 0")
assert_json "$r" 'j["ok"] and j["address"][0] == "::"' "bind :: 0"
echo close >"$MNT/$id/ctl"

# field=value, and listen with its address (create_server).
read -r id <"$MNT/new"
r=$(text "$id" "listen backlog=3 reuse_port=on address=127.0.0.1")
assert_json "$r" '"error" in j' "listen address=127.0.0.1 (one word: not an inet address)"
r=$(text "$id" "listen 3 127.0.0.1 0")
assert_json "$r" 'j["ok"] and j["backlog"] == 3' "listen 3 127.0.0.1 0"
echo close >"$MNT/$id/ctl"

# socket with short names, then a UDP exchange with itself.
read -r id <"$MNT/new"
r=$(text "$id" "socket inet dgram")
assert_json "$r" 'j["ok"]' "socket inet dgram"
assert_json "$(cat "$MNT/$id/status")" 'j["family"] == "AF_INET" and j["type"] == "SOCK_DGRAM"' "status after socket inet dgram"
r=$(text "$id" "setsockopt SOL_SOCKET SO_REUSEADDR 1")
assert_json "$r" 'j["ok"]' "setsockopt in text"
r=$(text "$id" "getsockopt SOL_SOCKET SO_REUSEADDR")
assert_json "$r" 'j["int"] == 1' "getsockopt in text"
echo close >"$MNT/$id/ctl"

# Unix: a path and an abstract name.
read -r sid <"$MNT/new"
r=$(text "$sid" "socket unix")
assert_json "$r" 'j["ok"]' "socket unix"
r=$(text "$sid" "bind $WORK/u.sock")
assert_json "$r" 'j["ok"] and j["address"] == "'"$WORK/u.sock"'"' "bind /path"
echo listen >"$MNT/$sid/ctl"
read -r cid <"$MNT/new"
r=$(text "$cid" "connect $WORK/u.sock")
assert_json "$r" 'j["ok"]' "connect /path"
echo close >"$MNT/$cid/ctl"
echo close >"$MNT/$sid/ctl"
read -r sid <"$MNT/new"
echo "socket unix" >"$MNT/$sid/ctl"
r=$(text "$sid" "bind @sockfs-text-$$")
assert_json "$r" 'j["ok"] and j["address"] == "\u0000sockfs-text-'$$'"' "bind @abstract"
echo close >"$MNT/$sid/ctl"
# A quoted path with a blank.
read -r sid <"$MNT/new"
echo "socket unix" >"$MNT/$sid/ctl"
r=$(text "$sid" "bind \"$WORK/a b.sock\"")
assert_json "$r" 'j["ok"] and j["address"] == "'"$WORK/a b.sock"'"' "bind \"quoted path\""
echo close >"$MNT/$sid/ctl"

# Errors: an unknown verb names the valid ones; too many words; a bad
# flag; several lines in one write. Each fails the write with EINVAL.
read -r id <"$MNT/new"
expect_write_error "Invalid argument" put "$MNT/$id/ctl" "conect 127.0.0.1 80"
assert_json "$(cat "$MNT/$id/err")" '"unknown op \"conect\"" in j["error"]["message"] and "connect" in j["error"]["message"]' "unknown verb"
expect_write_error "Invalid argument" put "$MNT/$id/ctl" "close now"
expect_write_error "Invalid argument" put "$MNT/$id/ctl" "shutdown sideways"
assert_json "$(cat "$MNT/$id/err")" '"SHUT_WR" in j["error"]["message"]' "bad shutdown how names the valid ones"
expect_write_error "Invalid argument" put "$MNT/$id/ctl" "setblocking maybe"
# (one write(2): bash's echo would write each line by itself)
expect_fail "Invalid argument" python3 -c 'import os, sys; os.write(os.open(sys.argv[1], os.O_WRONLY), b"listen\nclose\n")' "$MNT/$id/ctl"
assert_json "$(cat "$MNT/$id/err")" '"one command" in j["error"]["message"]' "several lines"
expect_write_error "Invalid argument" put "$MNT/$id/ctl" "bind 'unterminated"
# "host:port" as one string: taken as a unix path, said so.
expect_write_error "Invalid argument" put "$MNT/$id/ctl" '{"op":"connect","address":"127.0.0.1:18081"}'
assert_json "$(cat "$MNT/$id/err")" '"AF_UNIX path" in j["error"]["message"] and "[\"host\", port]" in j["error"]["message"]' "host:port string"
expect_write_error "Invalid argument" put "$MNT/$id/ctl" "connect 127.0.0.1:18081"
# help lists the ops.
r=$(text "$id" "help")
assert_json "$r" '"connect" in [o["op"] for o in j["ops"]]' "help in text"
echo close >"$MNT/$id/ctl"

assert_eq "" "$(ls_sockets)" "sockets left"
log "ok"
