#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench-ab, inside the guest (selftests/vm/bench-ab.sh boots it): one
# workload (build/bench/sockgen), then RUNS rounds, each loading the
# module of SOCKSTAT_AB_OLD ("before") and this tree's ("after") in turn
# and timing, with each side's sockstat-nl, the table, the JSON,
# /proc/net/sockstat_sockets and nlbench's full and brief dumps; the
# kernel's own text and the BPF iterator once a round.  Then the outputs
# of both sides, compared.  The tables go to /tmp/out/ab.txt.
set -u
out=/tmp/out
bin=build/bench
n=${SOCKSTAT_AB_N:-100000}
p=${SOCKSTAT_AB_P:-1000}
runs=${SOCKSTAT_AB_RUNS:-3}
old=$SOCKSTAT_AB_OLD
rel=$(uname -r)
res=$out/ab-results
: >"$res"

sysctl -qw fs.nr_open=1048576
[ "$(sysctl -n fs.file-max)" -ge 4194304 ] || sysctl -qw fs.file-max=4194304
sysctl -qw net.ipv4.ip_local_port_range="1024 65535"
sysctl -qw net.core.somaxconn=4096
ulimit -n 1048576
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
iter=/sys/fs/bpf/sockstat_ab
bpftool iter pin "$bin/sockiter.bpf.o" "$iter" 2>/dev/null || iter=

gen_flags=-u
[ "${SOCKSTAT_AB_UNIX:-1}" = 1 ] || gen_flags=
# shellcheck disable=SC2086 # no flag, or one
"$bin/sockgen" $gen_flags "$n" "$p" >/tmp/gen.out &
gen=$!
while ! grep -q ready /tmp/gen.out 2>/dev/null; do
	kill -0 $gen 2>/dev/null || { echo "sockgen failed"; exit 1; }
	sleep 1
done

m() { # SIDE LABEL COMMAND...
	side=$1 label=$2
	shift 2
	line=$("$bin/sockbench" -r 1 -t 900 "$label" "$@" 2>/dev/null) || line="$label -"
	echo "$side $line" | awk '{print $1, $2, $3}' >>"$res"
}

side() { # SIDE KO CLI
	insmod "$2" || { echo "insmod $2 failed"; exit 1; }
	m "$1" table "$3"
	m "$1" json "$3" -j
	m "$1" proc cat /proc/net/sockstat_sockets
	"$bin/nlbench" -r 1 -g 1 | awk -v s="$1" '$1 == "dump" || $1 == "brief" {print s, "nl-" $1, $5}' >>"$res"
	rmmod sockstat
}

r=1
while [ $r -le "$runs" ]; do
	echo "round $r"
	side before "$old/$rel/sockstat.ko" "$old/sockstat-nl"
	side after "$SOCKSTAT_KO" build/bin/sockstat-nl
	m ref cat-proc-net cat /proc/net/tcp /proc/net/unix
	[ -z "$iter" ] || m ref bpf-iter cat "$iter"
	r=$((r + 1))
done

# The same sockets, the same text: but for each CLI's own netlink socket.
compare() { # SIDE KO CLI
	insmod "$2"
	"$3" >/tmp/ab-table.$1
	"$3" -j >/tmp/ab-json.$1
	cat /proc/net/sockstat_sockets >/tmp/ab-proc.$1
	rmmod sockstat
}
compare before "$old/$rel/sockstat.ko" "$old/sockstat-nl"
compare after "$SOCKSTAT_KO" build/bin/sockstat-nl
[ -z "$iter" ] || rm -f "$iter"
kill $gen
wait $gen 2>/dev/null

{
	echo "=== $rel: $n sockets, $p processes, $runs rounds: before ($(basename "$old")) and after (this tree), median ms"
	awk '{v[$1 " " $2] = v[$1 " " $2] " " $3}
	function med(s,   a, k, i, j, t) {
		k = split(s, a, " ")
		for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
			if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
		return k ? a[int((k + 1) / 2)] : "-"
	}
	END {
		printf "    %-28s %10s %10s %8s\n", "", "before", "after", "ratio"
		split("table json proc nl-dump nl-brief", t, " ")
		for (i = 1; i <= 5; i++) {
			b = med(v["before " t[i]]); a = med(v["after " t[i]])
			printf "    %-28s %10s %10s %8.3f\n", t[i], b, a, (b > 0 ? a / b : 0)
			B[t[i]] = b; A[t[i]] = a
		}
		c = med(v["ref cat-proc-net"]); f = med(v["ref bpf-iter"])
		printf "    %-28s %10s\n", "cat /proc/net/tcp,unix", c
		printf "    %-28s %10s\n", "bpf-iter", f
		printf "    json / table                 %10.2f %10.2f\n", B["json"] / B["table"], A["json"] / A["table"]
		if (c > 0) {
			printf "    table / cat /proc/net        %10.2f %10.2f\n", B["table"] / c, A["table"] / c
			printf "    proc / cat /proc/net         %10.2f %10.2f\n", B["proc"] / c, A["proc"] / c
		}
		if (f > 0)
			printf "    table / bpf-iter             %10.2f %10.2f\n", B["table"] / f, A["table"] / f
	}' "$res"
	for k in table json proc; do
		echo "    $k: $(diff "/tmp/ab-$k.before" "/tmp/ab-$k.after" | grep -c '^>') of $(wc -l <"/tmp/ab-$k.after") lines differ"
		# Which: the CLI's own netlink socket is expected to.
		diff "/tmp/ab-$k.before" "/tmp/ab-$k.after" | grep '^[<>]' | head -n 6 | cut -c 1-240 | sed 's/^/      /'
	done
} | tee "$out/ab.txt"
dmesg | grep -iE "warn|bug|leak" | head
