#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench-events: build the module for Debian's 6.1, 6.12 and newest 7.x
# kernels (not rt) and the benchmark's programs, boot each kernel under
# QEMU, one after the other, and run selftests/vm/guest-evbench.sh there:
# what the live events cost a connect/accept/close loop and a
# socketpair/close loop without the module, with it and nobody subscribed,
# and with one subscriber, and how many events a subscriber keeps up
# with.  Prints each kernel's tables; they are kept in
# build/bench-events/KERNEL/evbench.txt.  See Documentation/performance.rst.
#
# The guests run single-threaded TCG (one host thread for both vCPUs, in
# turn): subscribing arms kprobes, and under QEMU 7.2's multi-threaded TCG
# that crashes guests (see Documentation/testing.rst).  SOCKSTAT_VM_ICOUNT
# (default shift=0, "" for the host's wall clock) as in run-vm.sh.
#
# SOCKSTAT_BENCH_KERNELS: the releases; the SOCKSTAT_BENCH_* knobs of
# guest-evbench.sh pass through.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

rels=${SOCKSTAT_BENCH_KERNELS:-$(selftests/vm/kernels.sh list | grep -v -- -rt-)}
for rel in $rels; do
	echo "bench-events: building sockstat.ko for $rel"
	nice -n 19 make -s module KVER="$rel" >/dev/null
done
nice -n 19 make -s bench-bins cli >/dev/null

export SOCKSTAT_VM_ACCEL=tcg,thread=single
# The guest's clock counts instructions (1 ns each): its times do not
# depend on the host's load, which made wall-clock runs vary threefold.
export SOCKSTAT_VM_ICOUNT="${SOCKSTAT_VM_ICOUNT-shift=0}"
export SOCKSTAT_VM_CPU="${SOCKSTAT_VM_CPU:-max}"
export SOCKSTAT_VM_APPEND="${SOCKSTAT_VM_APPEND:-tsc=unstable}"
export SOCKSTAT_VM_TIMEOUT="${SOCKSTAT_VM_TIMEOUT:-1800}"
knobs=$(env | grep '^SOCKSTAT_BENCH_[A-Z_]*=' | grep -v '^SOCKSTAT_BENCH_KERNELS=' || true)
rc=0
for rel in $rels; do
	out=$top/build/bench-events/$rel
	rm -rf "$out"
	mkdir -p "$out"
	start=$(date +%s)
	echo "bench-events: booting $rel under QEMU (output in $out/console.log); machine load $(cut -d' ' -f1-3 /proc/loadavg)"
	# shellcheck disable=SC2086 # one word per knob
	(IFS='
'; exec selftests/vm/run-vm.sh "$rel" "$out" env $knobs selftests/vm/guest-evbench.sh) >/dev/null 2>&1 || rc=1
	if [ -s "$out/evbench.txt" ]; then
		cat "$out/evbench.txt"
	else
		echo "bench-events: no result from $rel; the end of its console:"
		tail -n 30 "$out/console.log" 2>/dev/null
		rc=1
	fi
	echo "bench-events: $rel: $(($(date +%s) - start)) s in the guest; machine load $(cut -d' ' -f1-3 /proc/loadavg)"
	echo
done
exit $rc
