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
