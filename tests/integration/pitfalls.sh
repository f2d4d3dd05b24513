#!/bin/bash
# fs-layout.md's Pitfalls, checked as written: each behaviour it documents,
# and each remedy it offers.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

sockfs_mount

port=$(free_port 127.0.0.1)
start_peer python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
while True:
    c, _ = s.accept(); c.sendall(b"line1\nline2\nline3\n"); c.close()
' "$port"
wait_port 127.0.0.1 "$port"

conn() {
	read -r id <"$MNT/new"
	echo "connect 127.0.0.1 $port" >"$MNT/$id/ctl"
}

# bash reads data one byte per read(2); through a pipe it reads blocks.
if command -v strace >/dev/null; then
	conn
	strace -e trace=read -o "$WORK/st1" bash -c 'while read -r l; do :; done < "$1"' _ "$MNT/$id/data"
	n=$(grep -c '^read(0' "$WORK/st1")
	((n >= 18)) || fail "bash read data in $n reads, the doc says one byte per read"
	rmdir "$MNT/$id"
	conn
	out=$(bash -c 'while read -r l; do echo "$l"; done < <(cat "$1")' _ "$MNT/$id/data")
	assert_eq "line1 line2 line3" "$(echo $out)" "done < <(cat data)"
	rmdir "$MNT/$id"
else
	log "strace missing: the byte-per-read check is skipped"
fi

# cat <&3 >&3 on one <> open of data.
conn
err=$(bash -c 'exec 3<>"$1"; cat <&3 >&3' _ "$MNT/$id/data" 2>&1) && fail "cat <&3 >&3 succeeded"
assert_match "input file is output file" "$err" "cat <&3 >&3"
rmdir "$MNT/$id"

# Python: "r+" is not seekable; "r+b", buffering=0 works.
conn
out=$(python3 -c '
import sys
try:
    open(sys.argv[1], "r+")
    print("opened")
except Exception as e:
    print(type(e).__name__)
f = open(sys.argv[1], "r+b", buffering=0)
print(f.read(6).decode().strip())
' "$MNT/$id/data")
assert_eq "UnsupportedOperation line1" "$(echo $out)" "python open r+ / r+b buffering=0"
rmdir "$MNT/$id"

# head -1 < data: "Illegal seek", the line printed all the same.
conn
err=$(head -1 <"$MNT/$id/data" 2>&1 >"$WORK/head.out") || true
assert_match "Illegal seek" "$err" "head -1 < data"
assert_eq "line1" "$(cat "$WORK/head.out")" "head -1 < data prints the line"
rmdir "$MNT/$id"

# rm -rf N does not close the socket; rmdir does.
read -r id <"$MNT/new"
rm -rf "${MNT:?}/$id" 2>/dev/null && fail "rm -rf $id succeeded"
[[ -d "$MNT/$id" ]] || fail "rm -rf closed socket $id"
rmdir "$MNT/$id"
[[ ! -e "$MNT/$id" ]] || fail "rmdir did not close $id"

# Reading new (as grep -r does) makes a socket.
before=$(ls_sockets | wc -l)
grep -r -l --include=new x "$MNT" 2>/dev/null >/dev/null || true
after=$(ls_sockets | wc -l)
((after > before)) || fail "grep -r on the mount made no socket (before $before, after $after)"
for id in $(ls_sockets); do rmdir "$MNT/$id"; done

log "ok"
