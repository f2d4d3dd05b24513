#!/bin/bash
# Runs the datagram program (dgram_c.c) against a fresh mount.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

[[ -n "${DGRAM_C_BIN:-}" && -x "$DGRAM_C_BIN" ]] ||
	fail "DGRAM_C_BIN [${DGRAM_C_BIN:-}] is not an executable"
sockfs_mount

rc=0
timeout 50 "$DGRAM_C_BIN" "$MNT" || rc=$?
((rc == 0)) || fail "$DGRAM_C_BIN exited with status $rc"
assert_eq "" "$(ls_sockets)" "sockets in the mount at the end"
