#!/bin/bash
# Timeouts and blocking modes, defaulttimeout, connect_ex and non-blocking
# connect (timeouts.py against a fresh mount).
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

sockfs_mount
python3 "$HERE/timeouts.py" "$MNT" || fail "timeouts.py failed"
