#!/bin/bash
# A resolver that answers slowly never holds up the daemon: 50 lookups to
# a DNS server that answers after DELAY seconds are in flight (40 reads of
# net/resolve/NAME, 10 getaddrinfo queries on net/query) while bulk data
# moves through two other sockfs sockets on loopback for WINDOW seconds.
# The bytes moved in that window (checked byte for byte) must be at least
# MIN_PCT % of the bytes moved in the same window with no lookup in flight
# (measured before and after; the lower counts, the machine may be busy),
# and no lookup may be answered before the window ends (so it really ran
# with all 50 waiting). The lookups run side by side (all answered within
# about one DELAY, where a pool of 4 threads would take 50/4 DELAYs); and
# Ctrl-C on a waiting lookup ends it at once.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=netns.sh
. "$HERE/netns.sh"
netns_enter "$@"
# shellcheck source=lib.sh
. "$HERE/lib.sh"

DELAY=4
N=50
WINDOW=1
MIN_PCT=${NET_SLOW_MIN_PCT:-50}
sockfs_mount
netns_setup "$DELAY"
NET=$MNT/net

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# The data path, all through sockfs: a listener; each pump gets a client
# and its accepted end (pump.py shuts the client down at the end).
srv=$(new_socket)
reply=$(ctl_reply "$srv" '{"op":"bind","address":["127.0.0.1",0]}')
port=$(json_get "$reply" 'j["address"][1]')
ctl "$srv" '{"op":"listen"}'
# pump: move data for WINDOW seconds; prints "IN_WINDOW TOTAL END_MS".
pump() {
	local cli conn
	cli=$(new_socket)
	ctl "$cli" '{"op":"connect","address":["127.0.0.1",'"$port"']}'
	conn=$(timeout 10 cat "$MNT/$srv/accept")
	assert_match '^[1-9][0-9]*$' "$conn" "accepted id"
	python3 "$HERE/pump.py" "$MNT/$cli" "$MNT/$conn" "$WINDOW" ||
		fail "pump between sockets $cli and $conn failed"
}

# The same data path with no lookup in flight, before and after the
# lookups: the full speed here, now.
read -r base base_total _ <<<"$(pump)"
log "no lookups: $base bytes in ${WINDOW}s ($base_total in all)"

# The lookups, all at once.
t0=$(now_ms)
for ((i = 1; i <= N; i++)); do
	if ((i % 5)); then
		(
			rc=0
			cat "$NET/resolve/slow$i.sockfs.test" >"$WORK/r$i" 2>&1 || rc=$?
			echo "$rc $(now_ms)" >"$WORK/t$i"
		) &
	else
		(
			exec 3<>"$NET/query"
			echo '{"op":"getaddrinfo","host":"slow'"$i"'.sockfs.test","port":80,"family":"AF_INET","type":"SOCK_STREAM"}' >&3
			read -r r <&3
			echo "$r" >"$WORK/r$i"
			echo "0 $(now_ms)" >"$WORK/t$i"
		) &
	fi
done
names_asked() { (($(awk '{print $1}' "$WORK/dns.log" | sort -u | wc -l) >= N)); }
wait_until 10 names_asked || { for ((i = 1; i <= N; i++)); do grep -q "^slow$i.sockfs.test " "$WORK/dns.log" || log "missing slow$i: r=[$(cat "$WORK/r$i" 2>/dev/null)] t=[$(cat "$WORK/t$i" 2>/dev/null)]"; done; ps -eLf | grep -c "[s]ockfs"; } ; names_asked || fail "only $(awk '{print $1}' "$WORK/dns.log" | sort -u | wc -l) of $N names reached the DNS server in 10s"
t_asked=$(now_ms)
log "all $N lookups reached the DNS server after $((t_asked - t0)) ms"

# Meanwhile, the bulk data.
read -r during during_total t_data <<<"$(pump)"
log "50 lookups waiting: $during bytes in ${WINDOW}s ($during_total in all)"

# The lookups' answers.
lookups_done() {
	local i
	for ((i = 1; i <= N; i++)); do
		[[ -s "$WORK/t$i" ]] || return 1
	done
}
wait_until 20 lookups_done || fail "not every lookup was answered within 20 s"
first=$((t0 + 3600 * 1000))
last=0
for ((i = 1; i <= N; i++)); do
	read -r rc t <"$WORK/t$i"
	assert_eq 0 "$rc" "exit status of lookup $i"
	if ((i % 5)); then
		assert_eq "10.77.0.$i" "$(cat "$WORK/r$i")" "cat net/resolve/slow$i.sockfs.test"
	else
		assert_json "$(cat "$WORK/r$i")" 'j["result"] == [["AF_INET", "SOCK_STREAM", 6, "", ["10.77.0.'"$i"'", 80]]]' "getaddrinfo of slow$i"
	fi
	((t < first)) && first=$t
	((t > last)) && last=$t
done
log "lookups answered from $((first - t0)) to $((last - t0)) ms; the data window ended at $((t_data - t0)) ms"
((t_data < first)) || fail "the data window ended at $((t_data - t0)) ms, after the first lookup was answered ($((first - t0)) ms): it did not overlap all 50 lookups"
read -r after after_total _ <<<"$(pump)"
log "after the lookups: $after bytes in ${WINDOW}s ($after_total in all)"
# The machine is shared: the speed without lookups is the lower of the
# two measures around the window.
((after < base)) && base=$after
((base > 0)) || fail "no data moved without lookups"
pct=$((during * 100 / base))
log "with 50 lookups waiting the data moved at $pct% of the speed without"
((pct >= MIN_PCT)) || fail "data moved at $pct% of its speed while 50 lookups waited ($during vs $base bytes in ${WINDOW}s); at least $MIN_PCT% expected"
((first - t0 >= DELAY * 1000 - 100)) || fail "a lookup was answered after $((first - t0)) ms, before the DNS server's delay of ${DELAY}s"
((last - t0 < DELAY * 1000 + 3000)) || fail "the last lookup took $((last - t0)) ms: the lookups queued behind each other"

# Ctrl-C on a waiting lookup: it ends at once; the daemon is fine after the
# worker comes back, and the same name resolves again.
t1=$(now_ms)
rc=0
timeout -s INT 0.3 cat "$NET/resolve/slow999.sockfs.test" >/dev/null 2>&1 || rc=$?
t2=$(now_ms)
assert_eq 124 "$rc" "exit status of an interrupted lookup (timeout)"
((t2 - t1 < DELAY * 1000 - 500)) || fail "an interrupted lookup took $((t2 - t1)) ms to end"
# The same for a query write: a signal ends the parked write(2) with EINTR.
out=$(python3 -c '
import os, signal, sys, time
class Alarm(Exception):
    pass
def alarm(*_):
    raise Alarm()
signal.signal(signal.SIGALRM, alarm)
fd = os.open(sys.argv[1], os.O_RDWR)
t = time.monotonic()
signal.setitimer(signal.ITIMER_REAL, 0.3)
try:
    os.write(fd, b"{\"op\":\"getaddrinfo\",\"host\":\"slow998.sockfs.test\",\"port\":1}")
    print("wrote after %d ms" % ((time.monotonic() - t) * 1000))
except Alarm:
    print("interrupted after %d ms" % ((time.monotonic() - t) * 1000))
' "$NET/query")
assert_match '^interrupted after [0-9]+ ms$' "$out" "a query write interrupted by a signal"
ms=${out#interrupted after }
((${ms% ms} < DELAY * 1000 - 500)) || fail "an interrupted query write took $out"

# Both interrupted names resolve again (side by side), and the daemon,
# whose workers came back to requests that were gone, is fine.
cat "$NET/resolve/slow999.sockfs.test" >"$WORK/again999" &
again=$!
exec 3<>"$NET/query"
# Not bash's echo: the background cat ending meanwhile would interrupt it
# (SIGCHLD, EINTR).
/bin/echo '{"op":"getaddrinfo","host":"slow998.sockfs.test","port":1,"type":"SOCK_DGRAM"}' >&3
read -r reply <&3
exec 3>&-
assert_json "$reply" 'j == {"ok": True, "op": "getaddrinfo", "result": [["AF_INET", "SOCK_DGRAM", 17, "", ["10.77.3.230", 1]]]}' "getaddrinfo of the interrupted query's name"
wait_pid "$again"
assert_eq "10.77.3.231" "$(cat "$WORK/again999")" "the interrupted read's name, resolved again"
assert_eq "$NETNS_HOSTNAME" "$(cat "$NET/hostname")" "net/hostname at the end"
