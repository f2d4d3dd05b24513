#!/bin/bash
# poll/select/epoll over many data files: poll_many.c with 1,000 sockets
# (epoll reports exactly the ready ones, poll(2) on 150, hang-up), then
# python3 selectors (epoll, poll, select) over 120 sockets, then poll_events.py
# (the accept file, POLLRDHUP, POLLHUP, POLLERR).
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

[[ -n "${POLL_MANY_BIN:-}" && -x "$POLL_MANY_BIN" ]] || fail "POLL_MANY_BIN [${POLL_MANY_BIN:-}] is not an executable"
sockfs_mount

rc=0
"$POLL_MANY_BIN" "$MNT" 1000 || rc=$?
((rc == 0)) || fail "$POLL_MANY_BIN exited with status $rc"
python3 "$HERE/selectors_many.py" "$MNT" 120 || fail "selectors_many.py failed"
python3 "$HERE/poll_events.py" "$MNT" || fail "poll_events.py failed"
