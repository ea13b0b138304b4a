#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The systemd timer of Documentation/metrics.rst, run by systemd: in a
# guest whose PID 1 is systemd (run-vm.sh with SOCKSTAT_VM_SYSTEMD=1;
# selftests/run.sh's packages guest), module loaded.  The tree's
# user/systemd units, as the sockstat-nl package installs them, go to
# /run/systemd/system with one drop-in, ExecStart naming this tree's
# sockstat-nl (the guest's root is the host's, where the package is not
# installed); every other line is the package's.  Then, for about 50 s:
# the timer starts the service every 15 s, each run succeeds and replaces
# /var/lib/prometheus/node-exporter/sockstat.prom by a rename (a new
# inode, no temporary file left), promtool accepts each file, and a
# reader that reads it every few milliseconds meanwhile never finds it
# missing or cut short.  TAP on stdout.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
dir=/var/lib/prometheus/node-exporter
file=$dir/sockstat.prom
units=/run/systemd/system
svc=sockstat-metrics.service
tmr=sockstat-metrics.timer
tmp=$(mktemp -d)
reader=

n=0
result() { # STATUS NAME
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; fi
}
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
cleanup() {
	[ -z "$reader" ] || kill "$reader" 2>/dev/null
	systemctl stop "$tmr" "$svc" 2>/dev/null
	rm -rf "$tmp" "${units:?}/$svc" "$units/$tmr" "$units/$svc.d" /run/sockstat-timer-test
	systemctl daemon-reload 2>/dev/null
}
trap cleanup EXIT

echo "1..7"
if [ "$(cat /proc/1/comm 2>/dev/null)" != systemd ]; then
	echo "ok 1 the timer under systemd # SKIP PID 1 is not systemd (run-vm.sh with SOCKSTAT_VM_SYSTEMD=1)"
	n=1
	while [ $n -lt 7 ]; do
		n=$((n + 1))
		echo "ok $n the timer under systemd # SKIP PID 1 is not systemd"
	done
	exit 0
fi

# The units, and the drop-in: the binary's path only.  The binary is
# copied to /run: the unit's ProtectHome= and PrivateTmp= would hide a
# tree under /root, /home or /tmp.
st=0
cp "$top/user/systemd/$svc" "$top/user/systemd/$tmr" "$units/" || st=1
mkdir -p "$units/$svc.d" /run/sockstat-timer-test
cp "$top/build/bin/sockstat-nl" /run/sockstat-timer-test/ || st=1
# shellcheck disable=SC2016 # ${SOCKSTAT_METRICS_FILE} is systemd's
printf '[Service]\nExecStart=\nExecStart=%s metrics --output ${SOCKSTAT_METRICS_FILE}\n' \
	/run/sockstat-timer-test/sockstat-nl >"$units/$svc.d/tree.conf"
mkdir -p "$dir"
systemctl daemon-reload || st=1
out=$(systemd-analyze verify --man=no "$units/$tmr" "$units/$svc" 2>&1) || st=1
# --man=no: the units' Documentation= names the package's man page, which
# the host (this guest's root) need not have; deb_test.sh checks that the
# package installs it.  What it says of other units (the host's, on a read-only root) is theirs.
ours=$(echo "$out" | grep -i sockstat)
[ -z "$ours" ] || st=1
[ $st = 0 ] || diag "systemd-analyze verify:" "$out"
result $st "systemd-analyze verify accepts $tmr and $svc (with the drop-in)"

# The reader: every few ms, the file is there, whole (its last line
# "# EOF"); python, so that a read costs no fork (a shell loop managed
# 65 reads in 50 s here).  It prints how many reads, and each bad one.
python3 -c '
import os, sys, time
f, n, bad = sys.argv[1], 0, 0
while True:
    try:
        with open(f, "rb") as h:
            d = h.read()
    except FileNotFoundError:
        if n:
            print("missing", flush=True)
        time.sleep(0.005)
        continue
    n += 1
    if not d.endswith(b"# EOF\n"):
        print("cut short: %d bytes" % len(d), flush=True)
    if n % 100 == 0:
        print("reads", n, flush=True)
    time.sleep(0.005)
' "$file" >"$tmp/reads" 2>&1 &
reader=$!

st=0
t0=$(cut -d ' ' -f 1 /proc/uptime)
systemctl start "$tmr" || st=1
systemctl is-active --quiet "$tmr" || st=1
[ $st = 0 ] || diag "$(systemctl status "$tmr" 2>&1)"
result $st "systemctl start $tmr: active"

# About 50 s: the runs, each one's start (monotonic, us), result and file.
runs=0 last='' bad=0 inodes='' prom=0
end=$(awk -v t="$t0" 'BEGIN { print t + 50 }')
while awk -v e="$end" -v u="$(cut -d ' ' -f 1 /proc/uptime)" 'BEGIN { exit !(u < e) }'; do
	s=$(systemctl show -P ExecMainStartTimestampMonotonic "$svc")
	if [ -n "$s" ] && [ "$s" != 0 ] && [ "$s" != "$last" ] &&
	   [ "$(systemctl show -P ActiveState "$svc")" != activating ]; then
		last=$s
		runs=$((runs + 1))
		echo "$s" >>"$tmp/starts"
		r=$(systemctl show -P Result "$svc") c=$(systemctl show -P ExecMainStatus "$svc")
		[ "$r" = success ] && [ "$c" = 0 ] || { bad=$((bad + 1)); diag "run $runs: Result=$r status $c"; }
		i=$(stat -c %i "$file" 2>/dev/null)
		inodes="$inodes $i"
		cp "$file" "$tmp/run$runs.prom" 2>/dev/null &&
			promtool check metrics <"$tmp/run$runs.prom" >"$tmp/promtool" 2>&1 ||
			{ prom=$((prom + 1)); diag "run $runs: promtool:" "$(cat "$tmp/promtool")"; }
	fi
	sleep 0.5
done
kill "$reader" 2>/dev/null
wait "$reader" 2>/dev/null
reader=

diag "runs seen: $runs; inodes of the file after each:$inodes"
st=0
[ $runs -ge 3 ] && [ $bad = 0 ] || st=1
result $st "in 50 s the service ran at least 3 times ($runs), each with Result=success and status 0"

# 15 s apart (OnUnitActiveSec=15s, AccuracySec=1s), from one start to
# the next; the run itself takes well under a second.
st=0
gaps=$(awk 'NR > 1 { printf "%.1f ", ($1 - p) / 1e6 } { p = $1 }' "$tmp/starts" 2>/dev/null)
diag "seconds between starts: $gaps"
[ -n "$gaps" ] || st=1
for g in $gaps; do
	awk -v g="$g" 'BEGIN { exit !(g >= 14.5 && g <= 17.5) }' || st=1
done
result $st "the runs are 15 s apart (14.5 to 17.5)"

st=0
u=$(echo "$inodes" | tr ' ' '\n' | sort -u | grep -c .)
[ "$u" -ge 3 ] && [ "$u" = "$runs" ] || st=1
left=$(find "$dir" -name 'sockstat.prom?*')
[ -z "$left" ] || { st=1; diag "left in $dir:" "$left"; }
[ "$(stat -c %a "$file" 2>/dev/null)" = 644 ] || st=1
result $st "each run replaced the file by a rename (a new inode each time, $u of $runs), mode 644, no temporary file left"

st=0
[ $prom = 0 ] && [ $runs -gt 0 ] || st=1
grep -q '^node_sockstat_sockets_used [1-9]' "$tmp/run1.prom" 2>/dev/null || st=1
result $st "promtool check metrics accepts every run's file, node_sockstat_sockets_used > 0"

st=0
reads=$(awk '$1 == "reads" { n = $2 } END { print n + 0 }' "$tmp/reads")
badr=$(grep -c -v '^reads ' "$tmp/reads")
diag "reads of the file meanwhile: at least $reads, $badr missing or cut short"
[ "$reads" -ge 1000 ] && [ "$badr" = 0 ] || st=1
[ "$badr" = 0 ] || diag "$(grep -v '^reads ' "$tmp/reads" | head -n 5)"
result $st "a reader every 5 ms always found the whole file (# EOF last)"
