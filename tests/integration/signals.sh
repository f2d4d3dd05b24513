#!/bin/bash
# Signals and parked calls: signals.c (SIGCHLD does not disturb a blocked
# read, SIGKILL/SIGINT still end it, handlers without SA_RESTART get
# EINTR, Ctrl-C on a blocked accept), then the shell case that motivated
# it: bash's own `echo '{"op":"accept"}' >&3` waiting while a background
# job ends (bash catches SIGCHLD) must still complete. Last, Ctrl-C on one
# of two blocked accepts leaves the other waiting for the next connection.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

[[ -n "${SIGNALS_BIN:-}" && -x "$SIGNALS_BIN" ]] || fail "SIGNALS_BIN [${SIGNALS_BIN:-}] is not an executable"
sockfs_mount

rc=0
"$SIGNALS_BIN" "$MNT" || rc=$?
((rc == 0)) || fail "$SIGNALS_BIN exited with status $rc"

# ---- bash: a background job ends while bash itself waits in accept
srv=$(new_socket)
exec 3<>"$MNT/$srv/ctl"
echo '{"op":"bind","address":["127.0.0.1",0]}' >&3
read -r reply <&3
port=$(json_get "$reply" 'j["address"][1]')
echo '{"op":"listen"}' >&3
read -r reply <&3
sleep 0.2 &
job=$!
# The client connects once this shell waits in sockfs and the job has
# ended (its SIGCHLD is then pending for the waiting shell).
python3 - "$$" "$job" "$port" "$MNT" <<'PY' &
import socket, sys, time
shell, job, port, mnt = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def state(pid):
    try:
        return open("/proc/%s/stat" % pid).read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"
def wchan(pid):
    try:
        return open("/proc/%s/wchan" % pid).read()
    except OSError:
        return ""
deadline = time.monotonic() + 10
ok = False
while time.monotonic() < deadline and not ok:
    ok = state(job) in ("Z", "gone") and ("fuse" in wchan(shell) or "request_wait_answer" in wchan(shell))
    time.sleep(0.02)
# The interrupt reached sockfs and was looked at: the kernel queues
# FUSE interrupts before other requests, and sockfs looks at them at the
# end of the loop iteration; two requests in turn end after that.
for _ in range(2):
    open(mnt + "/defaulttimeout").read()
socket.create_connection(("127.0.0.1", port)).close()
sys.exit(0 if ok else 3)
PY
client=$!
echo '{"op":"accept"}' >&3 || fail "bash's accept failed while a background job ended"
read -r reply <&3
assert_json "$reply" 'j["ok"] is True and j["op"] == "accept" and j["id"] > 0' "accept reply"
wait_pid "$client"
exec 3>&-
((WAIT_RC == 0)) || fail "client exited $WAIT_RC"
wait "$job" || true

# ---- bash: Ctrl-C (SIGINT) on a blocked cat of accept and of data
rc=0
timeout -s INT 0.5 cat "$MNT/$srv/accept" || rc=$?
assert_eq 124 "$rc" "exit status of cat accept after SIGINT"
start_peer python3 -c 'import socket,sys,time; s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); time.sleep(30)' "$port"
conn=$(timeout 5 cat "$MNT/$srv/accept")
assert_match '^[1-9][0-9]*$' "$conn" "accept after the interrupted one"
rc=0
timeout -s INT 0.5 cat "$MNT/$conn/data" || rc=$?
assert_eq 124 "$rc" "exit status of cat data after SIGINT"
assert_json "$(cat "$MNT/$conn/status")" 'j["state"] == "connected"' "status after the interrupted read"

# ---- Ctrl-C on one of two blocked accepts: the other still gets the next
# connection, and the listener is untouched
python3 - "$MNT/$srv/accept" "$port" <<'PY' || fail "Ctrl-C on one of two blocked accepts"
import signal, socket, subprocess, sys, time
path, port = sys.argv[1], int(sys.argv[2])
def blocked(pid):
    try:
        w = open("/proc/%d/wchan" % pid).read()
    except OSError:
        return False
    return "fuse" in w or "request_wait_answer" in w
kids = [subprocess.Popen(["cat", path], stdout=subprocess.PIPE) for _ in range(2)]
deadline = time.monotonic() + 5
while time.monotonic() < deadline and not all(blocked(k.pid) for k in kids):
    time.sleep(0.01)
ok = all(blocked(k.pid) for k in kids)
print("both accepts block:", ok)
kids[0].send_signal(signal.SIGINT)
try:
    rc0 = kids[0].wait(2)
except subprocess.TimeoutExpired:
    rc0 = None
print("the interrupted cat ended:", rc0)
ok = ok and rc0 == -signal.SIGINT and kids[1].poll() is None
c = socket.create_connection(("127.0.0.1", port))
try:
    out = kids[1].communicate(timeout=5)[0]
except subprocess.TimeoutExpired:
    kids[1].kill()
    out = kids[1].communicate()[0]
print("the other cat got:", out, kids[1].returncode)
ok = ok and kids[1].returncode == 0 and out.strip().isdigit()
c.close()
sys.exit(0 if ok else 1)
PY
assert_json "$(cat "$MNT/$srv/status")" 'j["state"] == "listening"' "listener status after the interrupted accepts"
