#!/bin/bash
# Runs the interrupt program (interrupt.c) against a fresh mount.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

[[ -n "${INTERRUPT_BIN:-}" && -x "$INTERRUPT_BIN" ]] ||
	fail "INTERRUPT_BIN [${INTERRUPT_BIN:-}] is not an executable"
sockfs_mount

rc=0
"$INTERRUPT_BIN" "$MNT" || rc=$?
((rc == 0)) || fail "$INTERRUPT_BIN exited with status $rc"
