#!/bin/bash
# AF_VSOCK through sockfs: [cid, port] both ways (VMADDR_CID_ANY and VMADDR_PORT_ANY by name
# or number), SO_VM_* options, and a connection to the local CID: where the kernel's loopback
# transport takes it, bytes both ways; where it does not, the same errno Python's connect_ex
# gets on a socket of its own (the kernel's 2 s connect timeout there, 0.5 s here).
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"
# shellcheck source=fam.sh
. "$HERE/fam.sh"

fam_skip_lacking AF_VSOCK
sockfs_mount
VS='{"family":"AF_VSOCK","type":"SOCK_STREAM"}'

# bind by name: the kernel keeps the CID, picks a port for VMADDR_PORT_ANY.
srv=$(fam_new "$VS")
reply=$(ctl_reply "$srv" '{"op":"bind","address":["VMADDR_CID_ANY","VMADDR_PORT_ANY"]}')
assert_json "$reply" 'j["ok"] and j["address"][0] == 0xffffffff and 1024 <= j["address"][1] < 0xffffffff' "bind [VMADDR_CID_ANY, VMADDR_PORT_ANY]"
port=$(json_get "$reply" 'j["address"][1]')
assert_json "$(ctl_reply "$srv" '{"op":"getsockname"}')" "j['address'] == [4294967295, $port]" "getsockname [cid, port]"
ctl "$srv" '{"op":"listen","backlog":4}'

# Bad forms: EINVAL naming the form.
bad=$(fam_new "$VS")
for a in '["x",1]' '[1]' '[-1,5]' '{"cid":1}' '[1,4294967296]'; do
	assert_json "$(ctl_reply "$bad" '{"op":"connect","address":'"$a"'}')" \
		'j["error"]["name"] == "EINVAL" and "[cid, port]" in j["error"]["message"] or "cid" in j["error"]["message"] or "port" in j["error"]["message"]' "address $a"
done

# Options: SO_VM_* listed, the connect timeout set.
cli=$(fam_new "$VS")
put "$MNT/$cli/opts" '{"SO_VM_SOCKETS_CONNECT_TIMEOUT":0.5,"SO_VM_SOCKETS_BUFFER_SIZE":131072}'
assert_json "$(cat "$MNT/$cli/opts")" 'j["SO_VM_SOCKETS_CONNECT_TIMEOUT"] == 0.5 and j["SO_VM_SOCKETS_BUFFER_SIZE"] == 131072 and "SO_VM_SOCKETS_BUFFER_MAX_SIZE" in j' "SO_VM_* options"

# The local CID: what does the kernel answer a connection from here?
direct=$(timeout 20 python3 -c '
import socket, struct, sys
l = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
l.bind((socket.VMADDR_CID_ANY, socket.VMADDR_PORT_ANY)); l.listen()
c = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
print(c.connect_ex((1, l.getsockname()[1])))  # VMADDR_CID_LOCAL
')
reply=$(ctl_reply "$cli" '{"op":"connect_ex","address":["VMADDR_CID_LOCAL",'"$port"']}')
log "connect to VMADDR_CID_LOCAL: directly errno $direct, through sockfs $reply"
if ((direct == 0)); then
	assert_json "$reply" 'j.get("result", j.get("errno", -1)) == 0' "connect_ex to the local CID"
	exec {a}<"$MNT/$srv/accept"
	read -r sid <&"$a"
	exec {a}<&-
	echo ping >"$MNT/$cli/data"
	read -r got <"$MNT/$sid/data"
	assert_eq ping "$got" "bytes over vsock loopback"
	assert_json "$(ctl_reply "$cli" '{"op":"getpeername"}')" "j['address'] == [1, $port]" "getpeername [VMADDR_CID_LOCAL, port]"
else
	log "skipped: this kernel has no vsock loopback transport (errno $direct); the errors match"
	assert_json "$reply" "j.get('result', j.get('errno')) == $direct or j.get('error', {}).get('errno') == $direct" "connect_ex gives the kernel's errno $direct"
fi
