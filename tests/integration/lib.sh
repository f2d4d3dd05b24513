# shellcheck shell=bash
# Common code for the sockfs integration tests. Source it, then call
# sockfs_mount. Exit codes: 0 pass, 1 fail, 77 skip.
#
# Provides:
#   sockfs_mount              mount sockfs on a fresh temp dir: sets MNT,
#                             SOCKFS_PID, SOCKFS_TMP and WORK (a scratch dir)
#   start_peer CMD...         run a peer in the background; killed on exit
#   fail MSG / skip MSG       end the test
#   assert_eq EXPECTED ACTUAL [WHAT]
#   assert_match ERE ACTUAL [WHAT]
#   assert_json JSON PYEXPR [WHAT]   PYEXPR is a Python expression over `j`
#   expect_write_error ERRNO_TEXT CMD...   CMD must fail with "write error: TEXT"
#   expect_fail TEXT CMD...   CMD must fail with TEXT on stderr
#   put FILE TEXT             echo TEXT > FILE, as a user would
#   free_port HOST            an unused TCP port
#   expect_eof FD WHAT        a read of FD must give EOF (not data, not block)
#   wait_port HOST PORT       wait until something listens there
#   wait_pid PID [SECONDS]    wait for a background job, bounded; sets WAIT_RC
#   wait_until SECONDS CMD... retry CMD until it succeeds, bounded
#   wait_blocked PID          wait until PID's request is parked in sockfs
#   ls_sockets                the socket ids in the mount

set -eEu -o pipefail

TEST_NAME=$(basename "${0%.sh}")
SOCKFS_TMP=
SOCKFS_PID=
MNT=
WORK=
SOCKFS_PEERS=()

log() { printf '%s: %s\n' "$TEST_NAME" "$*" >&2; }

fail() {
	printf '%s: FAIL: %s\n' "$TEST_NAME" "$*" >&2
	exit 1
}

skip() {
	printf '%s: SKIP: %s\n' "$TEST_NAME" "$*" >&2
	exit 77
}

# An unexpected failing command fails the test with a clear message (and
# exit code 1, never a code meson would read as "skipped").
sockfs_on_err() {
	local rc=$1 line=$2 cmd=$3
	printf '%s: FAIL: line %s: command exited %s: %s\n' "$TEST_NAME" "$line" "$rc" "$cmd" >&2
	exit 1
}
trap 'sockfs_on_err $? $LINENO "$BASH_COMMAND"' ERR

# ---------------------------------------------------------------- asserts

assert_eq() {
	local expected=$1 actual=$2 what=${3:-value}
	if [[ "$actual" != "$expected" ]]; then
		fail "$what: expected [$expected], got [$actual]"
	fi
}

assert_match() {
	local re=$1 actual=$2 what=${3:-value}
	if ! [[ "$actual" =~ $re ]]; then
		fail "$what: expected to match /$re/, got [$actual]"
	fi
}

# assert_json JSON PYEXPR [WHAT]: the JSON text must parse and PYEXPR (a
# Python expression over the parsed value `j`) must be true.
assert_json() {
	local json=$1 expr=$2 what=${3:-JSON}
	local out
	if ! out=$(python3 -c '
import json, sys
try:
    j = json.loads(sys.argv[1])
except Exception as e:
    print("not valid JSON: %s" % e)
    sys.exit(1)
try:
    ok = eval(sys.argv[2])
except Exception as e:
    print("check raised %r" % e)
    sys.exit(1)
sys.exit(0 if ok else 1)
' "$json" "$expr" 2>&1); then
		fail "$what: expected JSON where { $expr } holds, got [$json]${out:+ ($out)}"
	fi
}

# json_get JSON PYEXPR: print the value of PYEXPR over `j` (strings bare,
# everything else as JSON).
json_get() {
	python3 -c '
import json, sys
j = json.loads(sys.argv[1])
v = eval(sys.argv[2])
print(v if isinstance(v, str) else json.dumps(v))
' "$1" "$2"
}

# expect_fail TEXT CMD...: CMD must fail and print TEXT on stderr.
expect_fail() {
	local text=$1
	shift
	local err rc=0
	err=$("$@" 2>&1 >/dev/null) || rc=$?
	if ((rc == 0)); then
		fail "expected [$*] to fail with \"$text\", but it succeeded${err:+ (stderr: $err)}"
	fi
	if [[ "$err" != *"$text"* ]]; then
		fail "expected [$*] to fail with \"$text\", got exit $rc and stderr [$err]"
	fi
}

# expect_write_error ERRNO_TEXT CMD...: CMD's write(2) must fail with the
# errno whose strerror is ERRNO_TEXT (bash prints "echo: write error: TEXT").
expect_write_error() {
	expect_fail "write error: $1" "${@:2}"
}

# put FILE TEXT: echo TEXT > FILE, exactly as a user's shell would.
put() {
	echo "$2" >"$1"
}

# expect_eof FD WHAT: a read of FD gives EOF at once (within 5 s). (Not
# bash's read -t: it select()s first, and a FUSE file without poll support
# always looks readable, so -t does not bound a read that blocks.)
expect_eof() {
	local rc=0 got
	got=$(timeout 5 cat <&"$1") || rc=$?
	if ((rc == 124)); then
		fail "$2: expected EOF, the read blocked for 5s${got:+ after [$got]}"
	elif ((rc != 0)); then
		fail "$2: expected EOF, the read failed (cat exit $rc)"
	elif [[ -n "$got" ]]; then
		fail "$2: expected EOF, read [$got]"
	fi
}

# ---------------------------------------------------------------- waiting

# wait_until SECONDS CMD...: retry CMD every 50 ms until it succeeds or
# SECONDS pass. Returns CMD's success.
wait_until() {
	local secs=$1
	shift
	local tries=$((secs * 20)) i
	for ((i = 0; i < tries; i++)); do
		if "$@"; then
			return 0
		fi
		sleep 0.05
	done
	"$@"
}

# wait_pid PID [SECONDS]: wait up to SECONDS (default 10) for background job
# PID to end; WAIT_RC is its exit status. Fails the test on timeout.
# shellcheck disable=SC2034 # WAIT_RC is for the tests
WAIT_RC=
wait_pid() {
	local pid=$1 secs=${2:-10}
	if ! wait_until "$secs" sockfs_pid_gone "$pid"; then
		fail "process $pid ($(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)) still running after ${secs}s"
	fi
	WAIT_RC=0
	# shellcheck disable=SC2034
	wait "$pid" || WAIT_RC=$?
}

# True once PID has exited (a zombie counts as exited).
sockfs_pid_gone() {
	local state
	[[ -r /proc/$1/stat ]] || return 0
	state=$(sed 's/^.*) \(.\).*$/\1/' "/proc/$1/stat" 2>/dev/null) || return 0
	[[ "$state" == Z || -z "$state" ]]
}

# True when PID has a file of the mount open and sleeps in a FUSE request
# (its read is parked in sockfs, the open is done).
sockfs_blocked_in_fuse() {
	local state wchan fd has_file=
	for fd in "/proc/$1/fd/"*; do
		[[ "$(readlink "$fd" 2>/dev/null)" == "$MNT"/* ]] && has_file=1
	done
	[[ -n "$has_file" ]] || return 1
	state=$(sed 's/^.*) \(.\).*$/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
	wchan=$(cat "/proc/$1/wchan" 2>/dev/null) || return 1
	[[ "$state" == S && ("$wchan" == *fuse* || "$wchan" == request_wait_answer) ]]
}

# wait_blocked PID: wait (up to 10 s) until PID waits on a FUSE request.
wait_blocked() {
	wait_until 10 sockfs_blocked_in_fuse "$1" ||
		fail "process $1 did not block in sockfs within 10s (state $(sed 's/^.*) \(.\).*$/\1/' "/proc/$1/stat" 2>/dev/null), wchan $(cat "/proc/$1/wchan" 2>/dev/null))"
}

# free_port HOST: a TCP port nobody listens on (the kernel's choice).
free_port() {
	python3 -c '
import socket, sys
host = sys.argv[1]
s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
s.bind((host, 0))
print(s.getsockname()[1])
' "$1"
}

sockfs_listening() {
	local host=$1 port=$2
	if command -v ss >/dev/null; then
		# No connection is made, so a listener that counts its clients
		# (sockfs accept) is not disturbed.
		[[ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]]
	else
		(exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
	fi
}

# wait_port HOST PORT: wait (up to 10 s) until something listens on PORT.
wait_port() {
	wait_until 10 sockfs_listening "$1" "$2" ||
		fail "nothing listens on [$1]:$2 after 10s"
}

# start_peer CMD...: run CMD in the background as a peer; its PID is in
# PEER_PID and it is killed when the test ends.
PEER_PID=
start_peer() {
	"$@" &
	PEER_PID=$!
	SOCKFS_PEERS+=("$PEER_PID")
}

# ---------------------------------------------------------------- mount

# True while MNT is in the mount table (even when its daemon is dead and
# stat fails with ENOTCONN, where mountpoint(1) says no).
sockfs_is_mounted() {
	local m
	m=$(realpath -m "$MNT")
	awk -v m="$m" '$5 == m { found = 1 } END { exit !found }' /proc/self/mountinfo
}

sockfs_require() {
	if ((EUID != 0)); then
		skip "needs root (mounts a FUSE filesystem)"
	fi
	if [[ ! -c /dev/fuse ]]; then
		skip "/dev/fuse is missing"
	fi
	if [[ -z "${SOCKFS_BIN:-}" || ! -x "$SOCKFS_BIN" ]]; then
		fail "SOCKFS_BIN [${SOCKFS_BIN:-}] is not an executable"
	fi
	local tool
	for tool in python3 mountpoint timeout; do
		command -v "$tool" >/dev/null || skip "$tool is not installed"
	done
}

sockfs_mount() {
	sockfs_require
	SOCKFS_TMP=$(mktemp -d "${TMPDIR:-/tmp}/sockfs-$TEST_NAME.XXXXXX")
	# Other users (permissions.sh) must be able to reach the mount point.
	chmod 755 "$SOCKFS_TMP"
	MNT=$SOCKFS_TMP/mnt
	WORK=$SOCKFS_TMP/work
	mkdir "$MNT" "$WORK"
	# SOCKFS_OPTS: more -o options (policy=..., audit=...).
	"$SOCKFS_BIN" "$MNT" -f -o "allow_other${SOCKFS_OPTS:+,$SOCKFS_OPTS}" >"$SOCKFS_TMP/daemon.log" 2>&1 &
	SOCKFS_PID=$!
	local i
	for ((i = 0; i < 200; i++)); do
		if mountpoint -q "$MNT" && [[ -e "$MNT/new" ]]; then
			log "mounted on $MNT (daemon pid $SOCKFS_PID)"
			return 0
		fi
		if sockfs_pid_gone "$SOCKFS_PID"; then
			local rc=0
			wait "$SOCKFS_PID" || rc=$?
			SOCKFS_PID=
			fail "sockfs exited with status $rc before mounting"
		fi
		sleep 0.05
	done
	fail "sockfs did not mount $MNT within 10s"
}

sockfs_cleanup() {
	local rc=$?
	trap - ERR
	set +e
	local pid i
	# Peers and anything else this shell still runs in the background
	# (a reader blocked in the mount would keep it busy).
	for pid in "${SOCKFS_PEERS[@]}" $(jobs -p); do
		[[ "$pid" == "$SOCKFS_PID" ]] && continue
		kill "$pid" 2>/dev/null
	done
	for pid in "${SOCKFS_PEERS[@]}" $(jobs -p); do
		[[ "$pid" == "$SOCKFS_PID" ]] && continue
		for ((i = 0; i < 40; i++)); do
			sockfs_pid_gone "$pid" && break
			sleep 0.05
		done
		sockfs_pid_gone "$pid" || kill -KILL "$pid" 2>/dev/null
	done
	if [[ -n "$SOCKFS_PID" ]]; then
		# The contract: SIGTERM unmounts and exits 0.
		kill -TERM "$SOCKFS_PID" 2>/dev/null
		for ((i = 0; i < 200; i++)); do
			sockfs_pid_gone "$SOCKFS_PID" && break
			sleep 0.05
		done
		if ! sockfs_pid_gone "$SOCKFS_PID"; then
			printf '%s: FAIL: sockfs did not exit within 10s of SIGTERM\n' "$TEST_NAME" >&2
			kill -KILL "$SOCKFS_PID" 2>/dev/null
			((rc == 0 || rc == 77)) && rc=1
		fi
		local drc=0
		wait "$SOCKFS_PID" 2>/dev/null || drc=$?
		if ((drc != 0)); then
			printf '%s: FAIL: sockfs exited with status %s after SIGTERM (expected 0)\n' "$TEST_NAME" "$drc" >&2
			((rc == 0 || rc == 77)) && rc=1
		fi
		if sockfs_is_mounted; then
			printf '%s: FAIL: %s still mounted after sockfs exited\n' "$TEST_NAME" "$MNT" >&2
			((rc == 0 || rc == 77)) && rc=1
			fusermount3 -u -z "$MNT" 2>/dev/null || umount -l "$MNT" 2>/dev/null
		fi
	fi
	if [[ -n "$SOCKFS_TMP" ]]; then
		if ((rc != 0 && rc != 77)) && [[ -s "$SOCKFS_TMP/daemon.log" ]]; then
			printf '%s: ---- sockfs output ----\n' "$TEST_NAME" >&2
			tail -n 100 "$SOCKFS_TMP/daemon.log" >&2
			printf '%s: ---- end of sockfs output ----\n' "$TEST_NAME" >&2
		fi
		# Never recurse into a mount.
		if ! sockfs_is_mounted; then
			rm -rf "$SOCKFS_TMP"
		fi
	fi
	if ((rc == 0)); then
		printf '%s: PASS\n' "$TEST_NAME" >&2
	fi
	exit "$rc"
}
trap sockfs_cleanup EXIT
# Killed (meson's timeout sends SIGTERM): clean up, and fail.
trap 'printf "%s: FAIL: killed by SIGTERM (timeout?) while running: %s\n" "$TEST_NAME" "$BASH_COMMAND" >&2; exit 143' TERM
trap 'printf "%s: FAIL: interrupted\n" "$TEST_NAME" >&2; exit 130' INT

# ---------------------------------------------------------------- sockfs

# new_socket: create a socket with `cat new`, check the id, print it.
new_socket() {
	local id
	id=$(cat "$MNT/new")
	[[ "$id" =~ ^[1-9][0-9]*$ ]] || fail "cat new: expected a socket id, got [$id]"
	[[ -d "$MNT/$id" ]] || fail "cat new gave $id but $MNT/$id is not a directory"
	echo "$id"
}

# NOBODY: uid and gid of user nobody. as_nobody CMD...: run CMD as nobody,
# from / (setpriv, from util-linux: a test using it checks it is there).
NOBODY=65534
as_nobody() {
	(cd / && setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups -- "$@")
}

# fd_count: the daemon's open descriptors.
fd_count() { find "/proc/$SOCKFS_PID/fd" -mindepth 1 -maxdepth 1 | wc -l; }

# ls_sockets: the socket directories in the mount, one id a line (root
# files such as new and defaulttimeout left out).
ls_sockets() {
	ls "$MNT" | grep -E '^[0-9]+$' || true
}

# ctl ID JSON: echo JSON > ctl (the reply is not read).
ctl() {
	echo "$2" >"$MNT/$1/ctl"
}

# ctl_reply ID JSON: write JSON to ctl on a held file and print the reply
# (the write may fail; the reply is printed all the same).
ctl_reply() {
	local reply='' fd
	exec {fd}<>"$MNT/$1/ctl"
	echo "$2" 1>&"$fd" 2>/dev/null || true
	read -r -t 10 reply <&"$fd" || true
	exec {fd}>&-
	echo "$reply"
}
