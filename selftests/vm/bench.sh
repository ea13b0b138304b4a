#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench: build the module for Debian's 6.1 and 6.12 kernels,
# sockstat-nl and the benchmark's programs, boot each kernel under QEMU
# (both at once, one per core) and run selftests/vm/guest-bench.sh there.
# Prints each kernel's tables; they are kept in build/bench/KERNEL/bench.txt
# with the raw results next to them.  See Documentation/performance.rst.
#
# SOCKSTAT_BENCH_KERNELS: the releases (default: 6.1 and 6.12, not rt);
# SOCKSTAT_BENCH_DIR: where the results go (default build/bench);
# SOCKSTAT_VM_MEM: guest memory in MiB (default here 3072).  The
# SOCKSTAT_BENCH_* knobs of guest-bench.sh pass through.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

rels=${SOCKSTAT_BENCH_KERNELS:-$(selftests/vm/kernels.sh list | grep -v -- -rt- | head -n 2)}
for rel in $rels; do
	echo "bench: building sockstat.ko for $rel"
	make -s module KVER="$rel" >/dev/null
done
make -s cli bench-bins >/dev/null
command -v lsof >/dev/null || echo "bench: lsof is not installed (scripts/install-deps.sh): its column stays empty"

export SOCKSTAT_VM_MEM=${SOCKSTAT_VM_MEM:-3072}
export SOCKSTAT_VM_TIMEOUT=${SOCKSTAT_VM_TIMEOUT:-1500}
# The guest starts with a clean environment: pass the knobs on.
knobs=$(env | grep '^SOCKSTAT_BENCH_[A-Z_]*=' | grep -v '^SOCKSTAT_BENCH_\(KERNELS\|DIR\)=' || true)
dir=$top/${SOCKSTAT_BENCH_DIR:-build/bench}
start=$(date +%s)
echo "bench: machine load before: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores; other QEMU guests share them)"
pids=
for rel in $rels; do
	out=$dir/$rel
	rm -rf "$out"
	mkdir -p "$out"
	echo "bench: booting $rel under QEMU (output in $out/console.log)"
	# shellcheck disable=SC2086 # one word per knob
	(IFS='
'; exec selftests/vm/run-vm.sh "$rel" "$out" env $knobs selftests/vm/guest-bench.sh) >/dev/null 2>&1 &
	pids="$pids $!"
done
rc=0
for pid in $pids; do
	wait "$pid" || rc=1
done
for rel in $rels; do
	out=$dir/$rel
	if [ -s "$out/bench.txt" ]; then
		cat "$out/bench.txt"
		if [ -s "$out/profile-dump-$rel.txt" ]; then
			echo
			echo "=== $rel: where the kernel's time of the largest dump goes (perf, cpu-clock)"
			selftests/bench/profile-groups.sh "$out/profile-dump-$rel.txt"
			echo "=== $rel: sockstat-nl's table of it, by binary"
			cat "$out/profile-table-dso-$rel.txt"
			echo "=== $rel: sockstat-nl's table of it, by what the time goes to"
			selftests/bench/cli-groups.sh "$out/profile-table-$rel.txt"
		fi
	else
		echo "bench: no result from $rel; the end of its console:"
		tail -n 30 "$out/console.log" 2>/dev/null
		rc=1
	fi
done
echo
echo "bench: $(($(date +%s) - start)) s in the guests; machine load: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $rc
