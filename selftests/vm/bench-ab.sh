#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench-ab REV=COMMIT: this tree's module and sockstat-nl against
# those of COMMIT, in the same run: one guest per kernel (6.1 and 6.12 by
# default, both at once), one workload of N sockets in P processes, and
# each side's module loaded in turn on those sockets, round after round
# (selftests/vm/guest-bench-ab.sh).  Prints each kernel's medians and
# ratios (after / before); the outputs of both sides are compared too.
# COMMIT's sources are taken with git archive into build/ab/COMMIT.
#
# SOCKSTAT_AB_N, SOCKSTAT_AB_P (default 100000, 1000), SOCKSTAT_AB_UNIX
# (default 1: AF_UNIX pairs, sockgen -u; 0: the TCP mix),
# SOCKSTAT_AB_RUNS (default 3); SOCKSTAT_BENCH_KERNELS as for make bench.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

rev=${REV:?usage: make bench-ab REV=COMMIT}
sha=$(git rev-parse --verify "$rev^{commit}")
old=build/ab/$sha
rels=${SOCKSTAT_BENCH_KERNELS:-$(selftests/vm/kernels.sh list | grep -v -- -rt- | head -n 2)}

if [ ! -e "$old/src/Makefile" ]; then
	rm -rf "$old"
	mkdir -p "$old/src/build"
	git archive "$sha" | tar -x -C "$old/src"
	# Another suite's kernel is built in its chroot: the one we have.
	ln -s "$top/build/chroot" "$old/src/build/chroot"
fi
for rel in $rels; do
	echo "bench-ab: building sockstat.ko of this tree and of $sha for $rel"
	make -s module KVER="$rel" >/dev/null
	make -s -C "$old/src" module KVER="$rel" >/dev/null
	mkdir -p "$old/$rel"
	cp "$old/src/build/mod/$rel/sockstat.ko" "$old/$rel/"
done
make -s cli bench-bins >/dev/null
make -s -C "$old/src" cli >/dev/null
cp "$old/src/build/bin/sockstat-nl" "$old/"

export SOCKSTAT_VM_MEM="${SOCKSTAT_VM_MEM:-4096}"
export SOCKSTAT_VM_TIMEOUT="${SOCKSTAT_VM_TIMEOUT:-2400}"
knobs=$(env | grep '^SOCKSTAT_AB_[A-Z_]*=' || true)
echo "bench-ab: machine load before: $(cut -d' ' -f1-3 /proc/loadavg)"
pids=
for rel in $rels; do
	out=build/ab/out/$rel
	rm -rf "$out"
	mkdir -p "$out"
	echo "bench-ab: booting $rel under QEMU (output in $out/console.log)"
	# shellcheck disable=SC2086 # one word per knob
	(IFS='
'; exec selftests/vm/run-vm.sh "$rel" "$out" env SOCKSTAT_AB_OLD="$old" $knobs \
		selftests/vm/guest-bench-ab.sh) >/dev/null 2>&1 &
	pids="$pids $!"
done
rc=0
for pid in $pids; do
	wait "$pid" || rc=1
done
for rel in $rels; do
	out=build/ab/out/$rel
	if [ -s "$out/ab.txt" ]; then
		cat "$out/ab.txt"
	else
		echo "bench-ab: no result from $rel; the end of its console:"
		tail -n 30 "$out/console.log" 2>/dev/null
		rc=1
	fi
done
echo "bench-ab: machine load after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $rc
