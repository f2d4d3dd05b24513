#!/bin/bash
# Message flags through recv/send: MSG_PEEK, MSG_OOB both ways, MSG_WAITALL,
# MSG_DONTWAIT, MSG_MORE (msgflags.py against a fresh mount).
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

sockfs_mount
python3 "$HERE/msgflags.py" "$MNT" || fail "msgflags.py failed"
