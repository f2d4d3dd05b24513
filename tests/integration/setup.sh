#!/bin/bash
# Setting sockfs up: --version names sockfs first; -o audit=stderr without
# -f is refused; the foreground daemon says where it mounted; "sockfs
# SOURCE MOUNTPOINT" (as mount.fuse3 runs it) with fstab-only options;
# mount -t fuse.sockfs and an fstab line through mount(8) and
# mount.fuse3, the daemon in the background logging to syslog; readiness
# on $NOTIFY_SOCKET (path and abstract); auto_unmount after SIGKILL; a
# dead mount point left by a killed daemon is detached by the next one;
# `meson install` installs the binary, the man page (rendered by man -l),
# the unit, the example policy and the docs; and under the unit's
# capability bounding set (setpriv) an AF_UNIX bind and connect as another
# user work, where the old set made them fail with EPERM.
#
# The test runs in a mount namespace of its own: it puts the built sockfs
# on mount.fuse3's PATH (/usr/local/sbin) and its own socket on /dev/log
# there, without touching the host. Where it cannot have one whose mounts
# stay private (in a chroot, / is no mount point to make private), it
# leaves those parts out and says so.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [[ -z "${SOCKFS_SETUP_NS:-}" && $EUID -eq 0 && -c /dev/fuse ]] &&
	command -v unshare >/dev/null && unshare -m --propagation private -- true 2>/dev/null; then
	SOCKFS_SETUP_NS=1 exec unshare -m --propagation private -- bash "${BASH_SOURCE[0]}" "$@"
fi
# shellcheck source=lib.sh
. "$HERE/lib.sh"

CONTRIB=$(cd "$HERE/../../contrib" && pwd)
sockfs_require
# own_ns: this test runs in a private mount namespace of its own.
own_ns() { [[ "${SOCKFS_SETUP_NS:-}" == 1 ]]; }
own_ns || log "no private mount namespace (unshare -m --propagation private fails here): auto_unmount, mount -t, fstab, syslog and the installed paths are not checked"
for tool in setpriv socat mount.fuse3 fusermount3; do
	command -v "$tool" >/dev/null || skip "$tool is not installed"
done
command -v man >/dev/null || fail "man is not installed (package man-db; the README's test command installs it)"
[[ -n "${SOCKFS_BUILD_ROOT:-}" && -d "$SOCKFS_BUILD_ROOT" ]] || fail "SOCKFS_BUILD_ROOT [${SOCKFS_BUILD_ROOT:-}] is not the build directory"

# Daemons this test starts in the background (mount -t), ended on exit.
BG_PIDS=()
setup_cleanup() {
	local rc=$? pid
	trap - ERR
	set +e
	for pid in "${BG_PIDS[@]}"; do
		sockfs_pid_gone "$pid" || kill -KILL "$pid" 2>/dev/null
	done
	# A mount left by a daemon this test killed (sockfs_cleanup sees only
	# the one in SOCKFS_PID).
	if [[ -z "$SOCKFS_PID" ]] && sockfs_is_mounted; then
		umount -l "$MNT" 2>/dev/null
	fi
	(exit "$rc")
	sockfs_cleanup
}
trap setup_cleanup EXIT

# start_fg ARGS...: run sockfs in the foreground on $MNT with ARGS, its
# output in $SOCKFS_TMP/daemon.log, and wait until it says it is mounted.
# (Not until $MNT/new exists: for a second after a daemon was killed, the
# kernel answers that from its cache of the dead mount. And the log goes
# first: the previous daemon's says "mounted on" too, and the new one
# truncates it only once it runs.)
start_fg() {
	rm -f "$SOCKFS_TMP/daemon.log"
	"$SOCKFS_BIN" "$@" >"$SOCKFS_TMP/daemon.log" 2>&1 &
	SOCKFS_PID=$!
	wait_until 10 grep -qs "mounted on $MNT" "$SOCKFS_TMP/daemon.log" ||
		fail "sockfs $* did not mount within 10s: $(cat "$SOCKFS_TMP/daemon.log")"
	test -e "$MNT/new" || fail "sockfs $* says it is mounted, but $MNT/new is missing"
}

# stop_fg: SIGTERM, which must unmount and exit 0.
stop_fg() {
	kill -TERM "$SOCKFS_PID"
	wait_pid "$SOCKFS_PID"
	((WAIT_RC == 0)) || fail "sockfs exited with $WAIT_RC after SIGTERM: $(cat "$SOCKFS_TMP/daemon.log")"
	SOCKFS_PID=
	! sockfs_is_mounted || fail "$MNT still mounted after sockfs exited"
}

# The pid of the sockfs process serving mount point $1 (a background one).
daemon_pid_of() {
	local p a args
	for p in /proc/[0-9]*; do
		mapfile -d '' -t args 2>/dev/null <"$p/cmdline" || continue
		if ((${#args[@]} < 2)) || [[ "${args[0]##*/}" != sockfs ]]; then
			continue
		fi
		for a in "${args[@]:1}"; do
			if [[ "$a" == "$1" ]]; then
				echo "${p#/proc/}"
				return 0
			fi
		done
	done
	return 1
}

# The source (fsname) of the mount on $MNT.
mount_source() {
	awk -v m="$(realpath -m "$MNT")" '$5 == m { for (i = 7; $i != "-"; i++); print $(i + 2) }' /proc/self/mountinfo
}

unmounted() { ! sockfs_is_mounted; }

SOCKFS_TMP=$(mktemp -d "${TMPDIR:-/tmp}/sockfs-$TEST_NAME.XXXXXX")
chmod 755 "$SOCKFS_TMP"
MNT=$SOCKFS_TMP/mnt
WORK=$SOCKFS_TMP/work
mkdir "$MNT" "$WORK"

# ---- --version: sockfs's, then libfuse's
out=$("$SOCKFS_BIN" --version 2>&1)
assert_match "^sockfs [0-9]+\.[0-9]+\.[0-9]+"$'\n'"libfuse 3\." "$out" "--version's first lines"

# ---- -o audit=stderr in the background would write to /dev/null: refused
rc=0
err=$("$SOCKFS_BIN" "$MNT" -o allow_other,audit=stderr 2>&1) || rc=$?
((rc != 0)) || fail "-o audit=stderr without -f was accepted"
assert_match "audit=stderr needs -f" "$err" "the refusal's message"
unmounted || fail "-o audit=stderr without -f mounted all the same"

# ---- the foreground daemon says where it is mounted; SOURCE MOUNTPOINT
# (mount.fuse3's order) with fstab options meant for mount(8)
start_fg "$MNT" -f -o allow_other
assert_match "another shell" "$(cat "$SOCKFS_TMP/daemon.log")" "the foreground's hint"
assert_eq sockfs "$(mount_source)" "the source of a mount without SOURCE"
stop_fg
start_fg my-sockets "$MNT" -f -o allow_other,_netdev,nofail,noauto,x-systemd.requires=network.target,comment=test
assert_eq my-sockets "$(mount_source)" "the source given as SOURCE"
id=$(new_socket)
rmdir "$MNT/$id"
stop_fg

# ---- $NOTIFY_SOCKET: READY=1 once mounted, STOPPING=1 on SIGTERM; on a
# path and on an abstract name
start_peer socat -u UNIX-RECV:"$WORK/notify" OPEN:"$WORK/notify.out",creat,append
wait_until 10 test -S "$WORK/notify" || fail "socat did not make $WORK/notify"
abstract=sockfs-setup-$$
start_peer socat -u ABSTRACT-RECV:"$abstract" OPEN:"$WORK/notify-abstract.out",creat,append
wait_until 10 grep -q "@$abstract\$" /proc/net/unix || fail "socat did not bind @$abstract"
for where in "$WORK/notify" "@$abstract"; do
	out=$WORK/notify.out
	[[ $where == @* ]] && out=$WORK/notify-abstract.out
	NOTIFY_SOCKET=$where start_fg "$MNT" -f -o allow_other
	wait_until 5 grep -q "READY=1" "$out" || fail "no READY=1 on NOTIFY_SOCKET=$where"
	stop_fg
	wait_until 5 grep -q "STOPPING=1" "$out" || fail "no STOPPING=1 on NOTIFY_SOCKET=$where"
done

# ---- auto_unmount: the mount goes with a daemon killed by SIGKILL.
# fusermount3's helper checks the mount table in a namespace of its own,
# made private from "/" (impossible in a chroot), and counts its entries
# (other tests mounting at the same time spoil that count): so only in
# this test's private namespace.
if own_ns; then
	start_fg "$MNT" -f -o allow_other,auto_unmount
	kill -KILL "$SOCKFS_PID"
	wait "$SOCKFS_PID" 2>/dev/null || true
	SOCKFS_PID=
	wait_until 5 unmounted || fail "with auto_unmount, $MNT is still mounted 5s after SIGKILL"
fi

# ---- without it the mount is left dead; the next daemon detaches it
start_fg "$MNT" -f -o allow_other
kill -KILL "$SOCKFS_PID"
wait "$SOCKFS_PID" 2>/dev/null || true
SOCKFS_PID=
# shellcheck disable=SC2016
wait_until 5 bash -c '! stat -f "$1" 2>/dev/null' _ "$MNT" || fail "$MNT still answers after SIGKILL"
start_fg "$MNT" -f -o allow_other
assert_match "was a dead FUSE mount" "$(cat "$SOCKFS_TMP/daemon.log")" "the restart's message"
id=$(new_socket)
rmdir "$MNT/$id"
stop_fg
# Only one mount was left on $MNT: the dead one is gone, not hidden.
unmounted || fail "a mount is left on $MNT under the one that was stopped"

# ---- mount(8): mount -t fuse.sockfs and an fstab line. mount.fuse3 runs
# "sockfs SOURCE MOUNTPOINT -o OPTIONS" with the default PATH, which starts
# with /usr/local/sbin: put the built sockfs there (in this namespace
# only). The daemon goes to the background and logs to syslog: a socket
# of this test's on /dev/log (a tmpfs /dev with the devices bound in).
if own_ns; then
	[[ -d /usr/local/sbin ]] || fail "/usr/local/sbin is missing"
	mkdir "$WORK/sbin"
	ln -s "$SOCKFS_BIN" "$WORK/sbin/sockfs"
	mount --bind "$WORK/sbin" /usr/local/sbin
	mkdir "$WORK/dev"
	mount -t tmpfs -o mode=755 sockfs-test-dev "$WORK/dev"
	for n in null zero full random urandom tty fuse; do
		[[ -e /dev/$n ]] || continue
		touch "$WORK/dev/$n"
		mount --bind "/dev/$n" "$WORK/dev/$n"
	done
	for d in pts shm mqueue; do
		[[ -d /dev/$d ]] || continue
		mkdir "$WORK/dev/$d"
		mount --rbind "/dev/$d" "$WORK/dev/$d"
	done
	ln -s /proc/self/fd "$WORK/dev/fd"
	mount --move "$WORK/dev" /dev
	start_peer socat -u UNIX-RECV:/dev/log,mode=666 OPEN:"$WORK/syslog",creat,append
	wait_until 10 test -S /dev/log || fail "socat did not make /dev/log"

	mount -t fuse.sockfs sockfs "$MNT" -o "allow_other,_netdev,nofail,policy=$CONTRIB/policy.example.json"
	wait_until 10 test -e "$MNT/new" || fail "mount -t fuse.sockfs: $MNT/new did not appear"
	pid=$(daemon_pid_of "$MNT") || fail "no sockfs process serves $MNT"
	BG_PIDS+=("$pid")
	assert_eq sockfs "$(mount_source)" "the source of mount -t fuse.sockfs sockfs"
	wait_until 5 grep -qs "sockfs\[$pid\]: mounted on $MNT" "$WORK/syslog" || fail "no 'mounted on' line in syslog: [$(tr '\0' '\n' <"$WORK/syslog")]"
	id=$(new_socket)
	reply=$(ctl_reply "$id" '{"op":"connect","address":["169.254.169.254",80]}')
	assert_json "$reply" 'j["error"]["name"] == "EACCES" and "no-cloud-metadata" in j["error"]["message"]' "the policy given to mount -t"
	# A background daemon's stderr is /dev/null: SIGHUP's message goes to syslog.
	kill -HUP "$pid"
	wait_until 5 grep -qs "sockfs\[$pid\]: policy reloaded" "$WORK/syslog" || fail "no 'policy reloaded' in syslog"
	# mount -a sees an fstab line with the same source as mounted.
	printf 'sockfs %s fuse.sockfs allow_other,_netdev 0 0\n' "$MNT" >"$WORK/fstab"
	out=$(mount -T "$WORK/fstab" -a -v 2>&1)
	assert_match "already mounted" "$out" "mount -a over a mounted fstab line"
	assert_eq 1 "$(awk -v m="$MNT" '$5 == m' /proc/self/mountinfo | wc -l)" "mounts on $MNT after mount -a"
	umount "$MNT"
	wait_until 10 sockfs_pid_gone "$pid" || fail "sockfs $pid still runs 10s after umount"
	unmounted || fail "$MNT still mounted after umount"

	mount -T "$WORK/fstab" "$MNT"
	wait_until 10 test -e "$MNT/new" || fail "the fstab line did not mount $MNT"
	pid=$(daemon_pid_of "$MNT") || fail "no sockfs process serves $MNT"
	BG_PIDS+=("$pid")
	kill -TERM "$pid"
	wait_until 10 sockfs_pid_gone "$pid" || fail "sockfs $pid still runs 10s after SIGTERM"
	wait_until 5 unmounted || fail "$MNT still mounted after SIGTERM"
	wait_until 5 grep -qs "sockfs\[$pid\]: unmounting $MNT" "$WORK/syslog" || fail "no 'unmounting' line in syslog"
fi

# ---- meson install: binary, man page, unit, example policy, docs
DEST=$SOCKFS_TMP/dest
meson install -C "$SOCKFS_BUILD_ROOT" --no-rebuild --destdir "$DEST" >"$WORK/install.log" 2>&1 ||
	fail "meson install failed: $(tail -n 20 "$WORK/install.log")"
prefix=$(meson introspect "$SOCKFS_BUILD_ROOT" --buildoptions | python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"][0])')
root=$DEST$prefix
for f in bin/sockfs share/man/man8/sockfs.8 lib/systemd/system/sockfs.service \
	share/doc/sockfs/README.md share/doc/sockfs/fs-layout.md share/doc/sockfs/LICENSE \
	share/doc/sockfs/policy.example.json; do
	[[ -s "$root/$f" ]] || fail "meson install did not install $prefix/$f"
done
rc=0
page=$(MANWIDTH=80 man -l "$root/share/man/man8/sockfs.8" 2>"$WORK/man.err") || rc=$?
((rc == 0)) || fail "man -l exited $rc: $(cat "$WORK/man.err")"
[[ ! -s "$WORK/man.err" ]] || fail "man -l warned: $(cat "$WORK/man.err")"
assert_match "sockfs - the BSD socket API as a filesystem" "$page" "the man page's NAME"
assert_match "$prefix/share/doc/sockfs/fs-layout.md" "$page" "the man page names the installed docs"
! grep -q '@[A-Z]*@' "$root/share/man/man8/sockfs.8" || fail "the man page has an unfilled @VAR@"
unit=$root/lib/systemd/system/sockfs.service
assert_match "ExecStart=$prefix/bin/sockfs /run/sockfs -f " "$(cat "$unit")" "the installed unit's ExecStart"
if [[ "$prefix" == /usr/local ]] && own_ns; then
	# As installed: `man sockfs` finds the page, and the unit verifies
	# (its ExecStart, Documentation=man:sockfs(8)).
	# shellcheck disable=SC2016
	unshare -m --propagation private -- sh -c 'mount --bind "$1" /usr/local && man -w sockfs' _ "$root" >"$WORK/man-w" 2>&1 ||
		fail "man sockfs finds no page once installed: $(cat "$WORK/man-w")"
	if command -v systemd-analyze >/dev/null; then
		# shellcheck disable=SC2016
		unshare -m --propagation private -- sh -c 'mount --bind "$1" /usr/local && systemd-analyze verify /usr/local/lib/systemd/system/sockfs.service' _ "$root" >"$WORK/verify" 2>&1 ||
			fail "systemd-analyze verify: $(cat "$WORK/verify")"
	else
		log "systemd-analyze is not installed: the unit is not verified"
	fi
fi

# ---- the unit's capability bounding set, as systemd applies it to a root
# service (permitted = bounding), with NoNewPrivileges: nobody binds and
# connects AF_UNIX paths in its own directory (the daemon takes nobody's
# fsuid and groups: CAP_SETUID, CAP_SETGID). The unit's policy is left
# out: the example's default deny covers AF_UNIX too.
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$unit")
[[ -n "$caps" ]] || fail "the unit has no CapabilityBoundingSet="
setpriv_caps() {
	local c out=-all
	for c in $1; do
		c=${c#CAP_}
		out+=",+${c,,}"
	done
	echo "$out"
}
nobody_dir=$WORK/nobody
mkdir "$nobody_dir"
chown "$NOBODY:$NOBODY" "$nobody_dir"
chmod 700 "$nobody_dir"
# unix_bind_connect: as nobody, bind a unix socket in $nobody_dir, listen,
# connect a second one to it; print the first error reply, or "ok".
# shellcheck disable=SC2016
unix_bind_connect() {
	as_nobody bash -c '
		mnt=$1 path=$2
		new_unix() { local id; exec 4<>"$mnt/new"; echo "{\"family\":\"AF_UNIX\",\"type\":\"SOCK_STREAM\"}" >&4; read -r -t 10 id <&4; exec 4<&-; echo "$id"; }
		cmd() { local r; exec 5<>"$mnt/$1/ctl"; echo "$2" >&5 2>/dev/null; read -r -t 10 r <&5; exec 5<&-; echo "$r"; }
		s=$(new_unix); c=$(new_unix)
		for step in "$s {\"op\":\"bind\",\"address\":\"$path\"}" "$s {\"op\":\"listen\"}" "$c {\"op\":\"connect\",\"address\":\"$path\"}"; do
			r=$(cmd ${step%% *} "${step#* }")
			[[ $r == *"\"ok\":true"* || $r == *"\"ok\": true"* ]] || { echo "$r"; exit 0; }
		done
		echo ok' _ "$MNT" "$1"
}
setpriv --bounding-set="$(setpriv_caps "$caps")" --no-new-privs -- true ||
	fail "setpriv cannot apply the unit's bounding set [$caps]"
SOCKFS_BIN_REAL=$SOCKFS_BIN
SOCKFS_BIN=setpriv
start_fg --bounding-set="$(setpriv_caps "$caps")" --no-new-privs -- "$SOCKFS_BIN_REAL" "$MNT" -f -o allow_other,max_sockets_per_user=1024,reap
got=$(unix_bind_connect "$nobody_dir/s.sock")
assert_eq ok "$got" "AF_UNIX bind and connect as nobody under the unit's bounding set"
owner=$(stat -c %u "$nobody_dir/s.sock")
assert_eq "$NOBODY" "$owner" "owner of the socket file"
stop_fg
rm -f "$nobody_dir/s.sock"
# The set the unit had before: without CAP_SETUID and CAP_SETGID the same
# bind fails with EPERM (so the check above does test the set).
start_fg --bounding-set="$(setpriv_caps "CAP_SYS_ADMIN CAP_NET_RAW CAP_NET_BIND_SERVICE CAP_NET_ADMIN CAP_DAC_READ_SEARCH CAP_SYS_PTRACE")" --no-new-privs -- "$SOCKFS_BIN_REAL" "$MNT" -f -o allow_other
got=$(unix_bind_connect "$nobody_dir/s.sock")
assert_json "$got" 'j["error"]["name"] == "EPERM" and j["error"]["op"] == "bind"' "the bind under the old bounding set"
stop_fg
SOCKFS_BIN=$SOCKFS_BIN_REAL
