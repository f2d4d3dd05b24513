#!/bin/bash
# contrib/: the daemon accepts the example policy and the mount options of
# the systemd unit, the image and the manifests (paths swapped for
# temporary ones), and the policy denies what it says; the compose file
# cuts the application's network and sets the mount propagation; the pod
# ships a seccomp profile refusing IP and packet sockets.
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
