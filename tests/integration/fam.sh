# shellcheck shell=bash
# What the family tests share (netlink.sh, packet.sh, vsock.sh, alg.sh, families.sh).
#
#   fam_new JSON          write JSON to new on one open file, print the id
#   fam_kernel_has AF_X   true when this kernel makes sockets of the family
#   fam_skip_lacking AF_X skip (77) with "skipped: kernel lacks AF_X"

fam_new() {
	local fd id
	exec {fd}<>"$MNT/new"
	echo "$1" >&"$fd" || {
		exec {fd}>&-
		return 1
	}
	read -r id <&"$fd"
	exec {fd}>&-
	[[ "$id" =~ ^[1-9][0-9]*$ ]] || fail "new $1: expected an id, got [$id]"
	echo "$id"
}

fam_kernel_has() {
	python3 -c '
import errno, socket, sys
try:
    socket.socket(getattr(socket, sys.argv[1], 31), 0)
except OSError as e:
    sys.exit(1 if e.errno == errno.EAFNOSUPPORT else 0)
' "$1"
}

fam_skip_lacking() {
	fam_kernel_has "$1" || skip "skipped: kernel lacks $1"
}
