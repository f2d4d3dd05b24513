#!/bin/bash
# AF_ALG through sockfs, where the kernel has it: bind ["hash", "sha256"], accept gives the
# operation socket, "abc" written to its data and the digest read back equals hashlib's;
# HMAC with ALG_SET_KEY set through opts. Elsewhere: "skipped: kernel lacks AF_ALG" (77),
# after checking sockfs says so too (EAFNOSUPPORT, "this kernel has no AF_ALG").
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"
# shellcheck source=fam.sh
. "$HERE/fam.sh"

sockfs_mount
ALG='{"family":"AF_ALG","type":"SOCK_SEQPACKET"}'
if ! fam_kernel_has AF_ALG; then
	expect_write_error "Address family not supported by protocol" fam_new "$ALG"
	exec {fd}<>"$MNT/new"
	echo "$ALG" >&"$fd" 2>/dev/null || true
	read -r reply <&"$fd"
	exec {fd}>&-
	assert_json "$reply" '"this kernel has no AF_ALG" in j["error"]["message"]' "sockfs names the lacking family"
	skip "skipped: kernel lacks AF_ALG"
fi

# digest HASH KEY_B64|"" DATA: the hex digest through sockfs.
digest() {
	local t op a
	t=$(fam_new "$ALG")
	assert_json "$(ctl_reply "$t" '{"op":"bind","address":["hash","'"$1"'"]}')" "j['address'] == ['hash', '$1']" "bind [hash, $1]"
	[[ -z "$2" ]] || put "$MNT/$t/opts" '{"ALG_SET_KEY":{"base64":"'"$2"'"}}'
	exec {a}<"$MNT/$t/accept"
	read -r op <&"$a"
	exec {a}<&-
	printf '%s' "$3" >"$MNT/$op/data"
	timeout 10 python3 -c 'import os,sys; fd=os.open(sys.argv[1],os.O_RDONLY); print(os.read(fd,64).hex())' "$MNT/$op/data"
}

want=$(python3 -c 'import hashlib; print(hashlib.sha256(b"abc").hexdigest())')
assert_eq "$want" "$(digest sha256 "" abc)" "sha256(abc) through AF_ALG"
want=$(python3 -c 'import hmac; print(hmac.new(b"key", b"abc", "sha256").hexdigest())')
assert_eq "$want" "$(digest "hmac(sha256)" a2V5 abc)" "hmac-sha256 with ALG_SET_KEY"

# AES-CBC: key through opts, op and IV as msgs ancillary items (sendmsg_afalg), compared with
# Python's sendmsg_afalg on a socket of its own.
key=$(python3 -c 'import base64; print(base64.b64encode(bytes(range(16))).decode())')
iv=$(python3 -c 'import base64; print(base64.b64encode(bytes(range(16, 32))).decode())')
plain=$(python3 -c 'import base64; print(base64.b64encode(b"sixteen byte msg" * 2).decode())')
want=$(python3 -c '
import base64, socket, sys
k, iv, p = (base64.b64decode(a) for a in sys.argv[1:4])
t = socket.socket(socket.AF_ALG, socket.SOCK_SEQPACKET)
t.bind(("skcipher", "cbc(aes)"))
t.setsockopt(socket.SOL_ALG, socket.ALG_SET_KEY, k)
op, _ = t.accept()
op.sendmsg_afalg([p], op=socket.ALG_OP_ENCRYPT, iv=iv)
print(op.recv(len(p)).hex())
' "$key" "$iv" "$plain")
t=$(fam_new "$ALG")
ctl "$t" '{"op":"bind","address":["skcipher","cbc(aes)"]}'
put "$MNT/$t/opts" '{"ALG_SET_KEY":{"base64":"'"$key"'"}}'
exec {a}<"$MNT/$t/accept"
read -r op <&"$a"
exec {a}<&-
echo '{"data":"'"$plain"'","encoding":"base64","ancillary":[{"ALG_SET_OP":"ALG_OP_ENCRYPT"},{"ALG_SET_IV":{"base64":"'"$iv"'"}}]}' >"$MNT/$op/msgs"
got=$(timeout 10 python3 -c 'import os,sys; fd=os.open(sys.argv[1],os.O_RDONLY); print(os.read(fd,32).hex())' "$MNT/$op/data")
assert_eq "$want" "$got" "AES-CBC through msgs ancillary items, as Python's sendmsg_afalg"
