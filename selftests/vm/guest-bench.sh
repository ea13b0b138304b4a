#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench, inside the guest (selftests/vm/bench.sh boots it): load the
# module, and for each workload (N sockets held by P processes, made by
# build/bench/sockgen) time every tool that lists them, in the same run,
# in RUNS rounds of one run each (the median counts), then the netlink dump from below
# the CLI (build/bench/nlbench: bytes and kernel time per socket, GET-do
# by inode, the memory cgroup peak of the dumping process).  Raw results
# go to /tmp/out/results, the tables to /tmp/out/bench.txt and the console.
#
# SOCKSTAT_BENCH_N, SOCKSTAT_BENCH_P: the workloads (default "1000 10000
# 100000" and "10 1000"); SOCKSTAT_BENCH_RUNS (default 3);
# SOCKSTAT_BENCH_LSOF_MAX: the largest N lsof runs at (default 10000: at
# 100,000 one run of lsof takes about a minute in the guest);
# SOCKSTAT_BENCH_PERF=0: no perf profile of the largest workload;
# SOCKSTAT_BENCH_TIMEOUT: seconds a tool may take (default 300);
# SOCKSTAT_BENCH_UNIX=1: AF_UNIX socketpairs only (sockgen -u; make
# bench-scale's million sockets).
#
# Beside the tools: bpf-iter, the single-pass peer (a BPF task_file
# iterator, selftests/bench/sockiter.bpf.c, pinned with bpftool and read
# with cat); the memory the workload's sockets take (the slab's growth
# while sockgen makes them); and what the module says of each dump
# (debugfs sockstat/walk, through nlbench).
set -eu
out=/tmp/out
bin=build/bench
ns=${SOCKSTAT_BENCH_N:-1000 10000 100000}
ps=${SOCKSTAT_BENCH_P:-10 1000}
lsof_max=${SOCKSTAT_BENCH_LSOF_MAX:-10000}
kernel=$(uname -r)
res=$out/results
: >"$res"

# 100,000 sockets: descriptors, ports and backlog.
sysctl -qw fs.nr_open=1048576
# A million sockets are a million files: more than file-max's default
# in a guest of a few GiB.
[ "$(sysctl -n fs.file-max)" -ge 4194304 ] || sysctl -qw fs.file-max=4194304
sysctl -qw net.ipv4.ip_local_port_range="1024 65535"
sysctl -qw net.core.somaxconn=4096
ulimit -n 1048576

# ss asks the kernel for its sock_diag modules: load them before timing
# anything, as on a system where ss ran once (without them ss falls back
# to /proc/net, and each run waits for a modprobe).
for m in inet_diag tcp_diag udp_diag raw_diag unix_diag netlink_diag af_packet_diag; do
	modprobe -q "$m" || echo "bench: modprobe $m failed: ss -a reads /proc/net instead"
done
insmod "$SOCKSTAT_KO"
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug

# The BPF peer.
iter=/sys/fs/bpf/sockstat_peer
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
if ! command -v bpftool >/dev/null; then
	echo "bench: no bpftool (scripts/install-deps.sh installs it): no bpf-iter column"
	iter=
elif ! bpftool iter pin "$bin/sockiter.bpf.o" "$iter"; then
	echo "bench: bpftool iter pin failed: no bpf-iter column"
	iter=
fi
gen_flags=
[ "${SOCKSTAT_BENCH_UNIX:-0}" = 1 ] && gen_flags=-u

slab_kb() {
	awk '/^Slab:/ {print $2}' /proc/meminfo
}

# The dumping process alone in a memory cgroup: memory.peak is its user
# memory plus every kernel allocation charged to it (the dump's window).
cg=/sys/fs/cgroup
mount -t cgroup2 none $cg 2>/dev/null || true
echo +memory >$cg/cgroup.subtree_control 2>/dev/null || true

count_sockets() {
	# descriptors that hold a socket, every process
	find /proc/[0-9]*/fd -lname 'socket:*' 2>/dev/null | wc -l
}

bench() { # N P
	n=$1 p=$2
	runs=${SOCKSTAT_BENCH_RUNS:-3}
	echo "== $kernel: N=$n sockets, P=$p processes, $runs runs"
	rm -f /tmp/gen.out
	t0=$(date +%s)
	slab0=$(slab_kb)
	# shellcheck disable=SC2086 # no flag, or one
	"$bin/sockgen" $gen_flags "$n" "$p" >/tmp/gen.out &
	gen=$!
	while ! grep -q ready /tmp/gen.out 2>/dev/null; do
		kill -0 $gen 2>/dev/null || { echo "sockgen failed"; exit 1; }
		sleep 1
	done
	slab=$((($(slab_kb) - slab0) * 1024))
	echo "$kernel $n $p slab $slab" >>"$res"
	echo "   workload ready in $(($(date +%s) - t0)) s: $(count_sockets) socket descriptors in all; the slab grew by $((slab / 1048576)) MiB ($((slab / n)) bytes a socket)"
	if [ -n "$iter" ]; then
		got=$(cat "$iter" | wc -l)
		echo "   bpf-iter lists $got socket descriptors"
	fi

	# Round after round, each tool once per round: a burst of load from
	# outside the guest then slows every tool alike, not one tool's runs.
	# A tool that fails or times out drops out of the later rounds.
	m() { # LABEL COMMAND...
		label=$1
		shift
		case " $dropped " in *" $label "*) return 0 ;; esac
		line=$("$bin/sockbench" -r 1 -t "${SOCKSTAT_BENCH_TIMEOUT:-300}" "$label" "$@" 2>/dev/null) ||
			line="$label - - - - 0 failed"
		echo "$kernel $n $p $line" >>"$res"
		printf ' %s' "$(echo "$line" | awk '{print $1 "=" ($NF == "ok" ? $2 : $NF)}')"
		case $line in *" ok") ;; *) dropped="$dropped $label" ;; esac
	}
	dropped=
	[ "$n" -le "$lsof_max" ] || {
		echo "$kernel $n $p lsof - - - - 0 skipped" >>"$res"
		dropped=lsof
	}
	r=1
	while [ $r -le "$runs" ]; do
		printf '   round %d (ms):' $r
		m nl-table sockstat-nl
		m nl-json sockstat-nl -j
		m proc cat /proc/net/sockstat_sockets
		m ss-a ss -a
		m ss-ap ss -ap
		m lsof lsof -n
		m cat-proc-net cat /proc/net/tcp /proc/net/unix
		[ -z "$iter" ] || m bpf-iter cat "$iter"
		echo
		r=$((r + 1))
	done

	mkdir -p $cg/bench
	nl=$(sh -c "echo \$\$ >$cg/bench/cgroup.procs && exec $bin/nlbench -r $runs -g 50")
	peak=$(cat $cg/bench/memory.peak 2>/dev/null || echo -)
	rmdir $cg/bench
	echo "$nl" | sed "s/^/$kernel $n $p nl-/; s/\$/ $peak/" >>"$res"
	echo "$nl" | sed 's/^/   /'
	echo "   memcg peak of the dump: $peak bytes"

	if [ "$n" = "$perf_n" ] && [ "$p" = "$perf_p" ]; then
		sparse
		[ "${SOCKSTAT_BENCH_PERF:-1}" != 1 ] || profile
	fi

	kill $gen
	wait $gen || true
}

perf_n=0 perf_p=0
for n in $ns; do perf_n=$n; done
for p in $ps; do perf_p=$p; done

# One more process whose only socket is at descriptor 500,000 (a table
# of half a million slots, one of them open): the scans look at open
# descriptors only (the open_fds bitmap), so a dump should not notice.
# The brief dump without it, with it, and without it again.
sparse_holder() {
	rm -f /tmp/sparse.out
	python3 -c 'import os, resource, socket, time
resource.setrlimit(resource.RLIMIT_NOFILE, (500001, 500001))
s = socket.socket(socket.AF_UNIX)
os.dup2(s.fileno(), 500000)
s.close()
print("ready", flush=True)
time.sleep(3600)' >/tmp/sparse.out &
	holder=$!
	while ! grep -q ready /tmp/sparse.out 2>/dev/null; do
		kill -0 $holder 2>/dev/null || return 1
		sleep 1
	done
}

sparse() {
	echo "== one more process, holding one socket at descriptor 500,000"
	# Without, with, without: a drift of the machine's speed falls on
	# both sides.  nlbench -r RUNS: the median of RUNS dumps each.
	"$bin/nlbench" -r "$runs" -g 1 | sed -n "s/^brief /$kernel $n $p nl-sparse-without /p" >>"$res"
	sparse_holder || { echo "   the holder failed"; return 0; }
	"$bin/nlbench" -r "$runs" -g 1 | sed -n "s/^brief /$kernel $n $p nl-sparse-with /p" >>"$res"
	kill -KILL $holder
	wait $holder 2>/dev/null || true
	"$bin/nlbench" -r "$runs" -g 1 | sed -n "s/^brief /$kernel $n $p nl-sparse-without /p" >>"$res"
	grep " nl-sparse-" "$res" | tail -n 3 | sed 's/^/   /'
}

profile() {
	perf=$(command -v perf || true)
	[ -n "$perf" ] || { echo "   no perf binary: no profile"; return 0; }
	echo "== profile: perf record (cpu-clock) of nlbench -r 3, then of sockstat-nl (table, JSON), N=$n P=$p"
	# The kernel's share of the dump, then the CLI's table.
	"$perf" record -q -o /tmp/perf.data -- "$bin/nlbench" -r 3 -g 1 >/dev/null 2>&1 || true
	"$perf" report -i /tmp/perf.data --stdio --sort sym 2>/dev/null |
		grep '%' | grep -v '^#' >"$out/profile-dump-$kernel.txt"
	head -n 25 "$out/profile-dump-$kernel.txt"
	profile_cli table sockstat-nl
	# The JSON, whose text is most of its time.
	profile_cli json sockstat-nl -j
}

# The profile of one sockstat-nl run, by library and by symbol.
profile_cli() { # NAME COMMAND...
	name=$1
	shift
	"$perf" record -q -o /tmp/perf.data -- "$@" >/dev/null 2>&1 || true
	"$perf" report -i /tmp/perf.data --stdio --sort dso 2>/dev/null |
		grep '%' | grep -v '^#' | tee "$out/profile-$name-dso-$kernel.txt"
	"$perf" report -i /tmp/perf.data --stdio --sort dso,sym 2>/dev/null |
		grep '%' | grep -v '^#' >"$out/profile-$name-$kernel.txt"
	head -n 25 "$out/profile-$name-$kernel.txt"
}

for n in $ns; do
	for p in $ps; do
		[ "$p" -le "$n" ] && bench "$n" "$p"
	done
done
[ -z "$iter" ] || rm -f "$iter"
rmmod sockstat

sh selftests/bench/report.sh "$res" | tee "$out/bench.txt"
