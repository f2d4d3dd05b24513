#!/bin/bash
# contrib/: the daemon accepts the example policy and the mount options of
# the systemd unit, the image and the manifests (paths swapped for
# temporary ones), and the policy denies what it says; the compose file
# cuts the application's network and sets the mount propagation; the pod
# ships a seccomp profile refusing IP and packet sockets. The set-ups share
# the PID namespace with the application and use auto_unmount, the pod's
# policy is the example's, its image is not pulled when present; the unit
# makes no mount namespace and notifies readiness; the build context
# leaves out build/ and .git. The policy file is reloaded when it changes:
# written in place, replaced, and swapped as a ConfigMap volume swaps it.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

CONTRIB=$(cd "$HERE/../../contrib" && pwd)
sockfs_require

# ---- static checks of the set-ups
python3 - "$CONTRIB" <<'PY' || fail "contrib static checks"
import json, re, sys
d = sys.argv[1]
json.load(open(d + "/policy.example.json"))
sc = json.load(open(d + "/seccomp-no-inet.json"))
assert sc["defaultAction"] == "SCMP_ACT_ALLOW", sc["defaultAction"]
refused = {a["value"] for r in sc["syscalls"] if "socket" in r["names"] and r["action"] == "SCMP_ACT_ERRNO"
           for a in r.get("args", []) if a["index"] == 0 and a["op"] == "SCMP_CMP_EQ"}
assert {2, 10, 17} <= refused, ("AF_INET, AF_INET6, AF_PACKET must be refused", refused)
assert any("io_uring_setup" in r["names"] for r in sc["syscalls"]), "io_uring must be refused"
compose = open(d + "/compose.yaml").read()
app = compose[compose.index("\n  app:"):]
assert re.search(r"^\s+network_mode: none$", app, re.M), "app must have network_mode: none"
assert "propagation: rslave" in app, "app must see the mount (rslave)"
assert "propagation: rshared" in compose[:compose.index("\n  app:")], "sidecar must share its mount (rshared)"
pod = open(d + "/k8s/pod.yaml").read()
assert "mountPropagation: Bidirectional" in pod and "mountPropagation: HostToContainer" in pod
assert "localhostProfile: profiles/sockfs-no-inet.json" in pod, "the app must run under the seccomp profile"
unit = open(d + "/sockfs.service").read()
assert re.search(r"^ExecStart=\S*sockfs /run/sockfs -f -o ", unit, re.M), "ExecStart"
assert re.search(r"^ExecReload=.*kill -HUP", unit, re.M), "ExecReload sends SIGHUP"

# The unit: the mount must be visible on the host, so no setting that gives
# the service a mount namespace of its own; readiness through sd_notify;
# the capabilities sockfs needs in its bounding set.
for key in ["ProtectSystem", "ProtectHome", "PrivateTmp", "PrivateDevices", "PrivateMounts",
            "ReadWritePaths", "ReadOnlyPaths", "InaccessiblePaths", "ExecPaths", "NoExecPaths",
            "TemporaryFileSystem", "BindPaths", "BindReadOnlyPaths", "RootDirectory", "RootImage",
            "ProtectKernelTunables", "ProtectKernelModules", "ProtectKernelLogs",
            "ProtectControlGroups", "ProtectProc", "ProcSubset", "MountAPIVFS", "MountFlags",
            "ProtectHostname", "PrivateNetwork", "NetworkNamespacePath"]:
    m = re.search(r"^%s=(.*)$" % key, unit, re.M)
    assert not m or m.group(1).strip() in ("no", "false", "", "default"), \
        "%s= would put the unit's mount in a namespace of its own (or hide the host's)" % key
assert re.search(r"^Type=notify$", unit, re.M), "the unit must be Type=notify"
caps = set(re.search(r"^CapabilityBoundingSet=(.*)$", unit, re.M).group(1).split())
for cap in ["CAP_SYS_ADMIN", "CAP_SETUID", "CAP_SETGID", "CAP_SYS_PTRACE", "CAP_NET_ADMIN",
            "CAP_NET_RAW", "CAP_NET_BIND_SERVICE"]:
    assert cap in caps, "the unit's bounding set lacks " + cap

# The pod: its policy is the example's (private ranges denied too), the
# PID namespace is shared, a local image is used as it is, auto_unmount,
# and no preStop signal to PID 1 (the pause process, once shared).
example = json.load(open(d + "/policy.example.json"))
cm = pod[pod.index("policy.json: |"):pod.index("\n---")]
cm_policy = json.loads("\n".join(l[4:] for l in cm.splitlines()[1:]))
assert cm_policy == example, "the ConfigMap's policy differs from policy.example.json"
assert re.search(r"^  shareProcessNamespace: true$", pod, re.M), "the pod must share its PID namespace"
sidecar = pod[pod.index("- name: sockfs\n      image:"):pod.index("- name: app")]
assert re.search(r"imagePullPolicy: (IfNotPresent|Never)", sidecar), "the sidecar needs imagePullPolicy"
assert "auto_unmount" in sidecar, "the sidecar must mount with auto_unmount"
assert "kill -TERM 1" not in pod, "PID 1 is the pod's pause process"

# Compose: sockfs in the application's PID namespace, auto_unmount.
side = compose[:compose.index("\n  app:")]
assert re.search(r'^    pid: "?service:app"?$', side, re.M), "the sidecar must join the app's PID namespace"
assert "auto_unmount" in side, "the sidecar must mount with auto_unmount"
cf = open(d + "/Containerfile").read()
assert "auto_unmount" in cf and "fuse3" in cf, "the image mounts with auto_unmount and ships fusermount3"

# The build context of the image leaves out build directories and .git.
ignore = [l.strip() for l in open(d + "/../.dockerignore") if l.strip() and not l.startswith("#")]
for pat in [".git", "build"]:
    assert pat in ignore, ".dockerignore must leave out " + pat
PY

# The -o options of a file, with allow_other (sockfs_mount adds it) out and
# the policy and audit paths swapped for the test's.
opts_of() {
	local o
	o=$(grep -o 'allow_other,[^" ]*' "$1" | head -n 1)
	[[ -n "$o" ]] || fail "no -o allow_other,... options in $1"
	o=${o#allow_other,}
	o=${o//\/etc\/sockfs\/policy.json/$CONTRIB/policy.example.json}
	o=${o//\/var\/log\/sockfs\/audit.log/$2}
	echo "$o"
}

# ---- the options of every set-up mount
for f in sockfs.service Containerfile compose.yaml k8s/pod.yaml; do
	SOCKFS_OPTS=$(opts_of "$CONTRIB/$f" "${TMPDIR:-/tmp}/sockfs-contrib-audit.$$")
	assert_match "policy=$CONTRIB/policy.example.json" "$SOCKFS_OPTS" "policy option of $f"
	sockfs_mount
	log "$f: mounted with -o $SOCKFS_OPTS"
	id=$(new_socket)
	reply=$(ctl_reply "$id" '{"op":"connect","address":["169.254.169.254",80]}')
	assert_json "$reply" 'j["error"]["name"] == "EACCES" and "no-cloud-metadata" in j["error"]["message"]' "$f: connect to the metadata address"
	# Tear down this mount before the next (sockfs_cleanup does the last).
	kill -TERM "$SOCKFS_PID"
	wait "$SOCKFS_PID" || fail "$f: sockfs exited with $? after SIGTERM"
	SOCKFS_PID=
	rm -rf "$SOCKFS_TMP" "${TMPDIR:-/tmp}/sockfs-contrib-audit.$$"
done

# ---- the example policy, rule by rule
SOCKFS_OPTS="policy=$CONTRIB/policy.example.json"
sockfs_mount
id=$(new_socket)
reply=$(ctl_reply "$id" '{"op":"connect","address":["10.1.2.3",443]}')
assert_json "$reply" 'j["error"]["name"] == "EACCES" and "no-private-ranges" in j["error"]["message"]' "connect to 10.1.2.3:443"
reply=$(ctl_reply "$id" '{"op":"connect","address":["127.0.0.1",9]}')
assert_json "$reply" 'j["error"]["name"] == "EACCES" and "default" in j["error"]["message"]' "connect to port 9 (the default)"
reply=$(ctl_reply "$id" '{"op":"bind","address":["127.0.0.1",0]}')
assert_json "$reply" 'j["error"]["name"] == "EACCES"' "bind to port 0 (not in 1024-65535)"
port=$(free_port 127.0.0.1)
reply=$(ctl_reply "$id" "{\"op\":\"bind\",\"address\":[\"127.0.0.1\",$port]}")
assert_json "$reply" "j['ok'] is True and j['address'] == ['127.0.0.1', $port]" "bind to a high port (serve-high-ports)"
ctl "$id" '{"op":"listen"}'
assert_json "$(cat "$MNT/$id/status")" 'j["state"] == "listening"' "listen on a high port"

# ---- the policy file is reloaded when it changes (no SIGHUP)
kill -TERM "$SOCKFS_PID"
wait "$SOCKFS_PID" || fail "sockfs exited with $? after SIGTERM"
SOCKFS_PID=
rm -rf "$SOCKFS_TMP"
CM=${TMPDIR:-/tmp}/sockfs-contrib-cm.$$
rm -rf "$CM"
mkdir "$CM"
cport=$(free_port 127.0.0.1)
# policy_v NAME: a policy denying connect to 127.0.0.1:$cport by a rule NAME.
policy_v() {
	echo "{\"rules\": [{\"name\": \"$1\", \"action\": \"deny\", \"ops\": [\"connect\"], \"address\": \"127.0.0.1\", \"ports\": $cport}]}"
}
# policy_is NAME: a connect to 127.0.0.1:$cport is denied by rule NAME.
policy_is() {
	local id reply
	id=$(new_socket)
	reply=$(ctl_reply "$id" "{\"op\":\"connect\",\"address\":[\"127.0.0.1\",$cport]}")
	rmdir "$MNT/$id"
	[[ "$reply" == *"EACCES"*"\\\"$1\\\""* ]]
}

# A ConfigMap volume as kubelet lays it out and updates it: policy.json ->
# ..data/policy.json, ..data -> ..v1; an update writes ..v2, points
# ..data_tmp at it, renames that over ..data and removes ..v1.
cm_publish() {
	mkdir "$CM/..$1"
	printf '%s\n' "$2" >"$CM/..$1/policy.json"
	ln -s "..$1" "$CM/..data_tmp"
	mv -T "$CM/..data_tmp" "$CM/..data"
	[[ -z "${3:-}" ]] || rm -rf "$CM/..$3"
}
cm_publish v1 "$(policy_v cm-v1)"
ln -s ..data/policy.json "$CM/policy.json"
SOCKFS_OPTS="policy=$CM/policy.json"
sockfs_mount
policy_is cm-v1 || fail "the ConfigMap's first policy does not apply"
cm_publish v2 "$(policy_v cm-v2)" v1
wait_until 10 policy_is cm-v2 || fail "the ConfigMap's second policy does not apply 10s after the swap: $(cat "$SOCKFS_TMP/daemon.log")"
grep -q "policy reloaded (its file changed)" "$SOCKFS_TMP/daemon.log" || fail "no 'policy reloaded' in the daemon's log"
# A broken update: logged, the old policy stays.
cm_publish v3 '{"rules": [{"action": "deny", "address": "300.1.1.1"}]}' v2
wait_until 10 grep -q "policy not reloaded (its file changed), the old one stays" "$SOCKFS_TMP/daemon.log" ||
	fail "no 'policy not reloaded' after a broken update: $(cat "$SOCKFS_TMP/daemon.log")"
policy_is cm-v2 || fail "the last good policy no longer applies after a broken update"
cm_publish v4 "$(policy_v cm-v4)" v3
wait_until 10 policy_is cm-v4 || fail "a good update after a broken one does not apply"
kill -TERM "$SOCKFS_PID"
wait "$SOCKFS_PID" || fail "sockfs exited with $? after SIGTERM"
SOCKFS_PID=
rm -rf "$SOCKFS_TMP"

# A plain file: written in place, then replaced by a rename (as editors do).
policy_v plain-v1 >"$CM/plain.json"
SOCKFS_OPTS="policy=$CM/plain.json"
sockfs_mount
policy_is plain-v1 || fail "the first plain policy does not apply"
policy_v plain-v2 >"$CM/plain.json"
wait_until 10 policy_is plain-v2 || fail "a policy written in place does not apply"
policy_v plain-v3 >"$CM/plain.json.new"
mv "$CM/plain.json.new" "$CM/plain.json"
wait_until 10 policy_is plain-v3 || fail "a policy renamed into place does not apply"
policy_v plain-v4 >"$CM/plain.json"
wait_until 10 policy_is plain-v4 || fail "a policy written in place after a rename does not apply"
rm -rf "$CM"
