#!/bin/bash
# A shell script as an HTTP client: new, connect via ctl, request and
# response through data, close via ctl. Peer: python3 -m http.server.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

sockfs_mount

# The served file: 200 KiB of every byte value, so the body checks that
# data is binary-safe and that large reads work.
mkdir "$WORK/www"
python3 -c '
import os, sys
with open(sys.argv[1], "wb") as f:
    f.write(bytes(range(256)) * 16 + os.urandom(200 * 1024))
' "$WORK/www/file"

port=$(free_port 127.0.0.1)
start_peer python3 -m http.server "$port" --bind 127.0.0.1 --directory "$WORK/www" \
	>"$WORK/http.log" 2>&1
wait_port 127.0.0.1 "$port"

id=$(new_socket)
log "socket $id"
assert_json "$(cat "$MNT/$id/status")" 'j["id"] == '"$id"' and j["state"] == "new"' "status of a new socket"

ctl "$id" '{"op":"connect","address":["127.0.0.1",'"$port"']}'

status=$(cat "$MNT/$id/status")
assert_json "$status" 'j["state"] == "connected" and j["family"] == "AF_INET" and j["type"] == "SOCK_STREAM"' "status after connect"
assert_json "$status" 'j["peer"] == ["127.0.0.1", '"$port"'] and j["error"] is None' "status after connect"
addr=$(cat "$MNT/$id/addr")
assert_json "$addr" 'j["peer"] == ["127.0.0.1", '"$port"'] and j["local"][0] == "127.0.0.1" and j["local"][1] > 0' "addr after connect"

printf 'GET /file HTTP/1.0\r\n\r\n' >"$MNT/$id/data"
# HTTP/1.0: the server closes after the response, so cat ends at EOF.
timeout 20 cat "$MNT/$id/data" >"$WORK/out" ||
	fail "cat data did not end with EOF after the response (exit $?)"

status_line=$(head -n 1 "$WORK/out" | tr -d '\r')
assert_match '^HTTP/1\.[01] 200 ' "$status_line" "status line of the response"
python3 -c '
import sys
out = open(sys.argv[1], "rb").read()
head, sep, body = out.partition(b"\r\n\r\n")
if not sep:
    sys.exit("no end of headers in %d bytes" % len(out))
want = open(sys.argv[2], "rb").read()
if body != want:
    sys.exit("body: %d bytes, expected the %d bytes of the file; first difference at %s" % (
        len(body), len(want),
        next((i for i, (a, b) in enumerate(zip(body, want)) if a != b), min(len(body), len(want)))))
' "$WORK/out" "$WORK/www/file" || fail "the response body is not the served file"

ctl "$id" '{"op":"close"}'
[[ ! -e "$MNT/$id" ]] || fail "$MNT/$id still exists after {\"op\":\"close\"}"
listing=$(ls "$MNT" | grep -E '^[0-9]+$' || true)
assert_eq "" "$listing" "socket directories in the mount after close"

# A second socket gets a new id: ids are never reused.
id2=$(new_socket)
((id2 > id)) || fail "second socket got id $id2, expected more than $id"
rmdir "$MNT/$id2"
[[ ! -e "$MNT/$id2" ]] || fail "$MNT/$id2 still exists after rmdir"
