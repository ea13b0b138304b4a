#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make lab-doc: boot Debian's 6.12 kernel in QEMU, run the lab's scenarios
# with lab-demo -c, and put each step's captured output into
# Documentation/lab/SCENARIO.STEP.txt, which Documentation/lab.rst includes.
# selftests/lab_doc_test.sh checks in every guest of make check that the
# module still reports what these files say.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

rel=$(selftests/vm/kernels.sh list | sed -n 2p)
echo "lab-doc: building sockstat.ko for $rel, sockstat-nl and the lab programs"
make -s module KVER="$rel" >/dev/null
make -s cli lab >/dev/null
out=$top/build/vm/lab-doc
rm -rf "$out"
mkdir -p "$out"
echo "lab-doc: running the scenarios in QEMU (about a minute)"
if ! SOCKSTAT_VM_TIMEOUT=${SOCKSTAT_VM_TIMEOUT:-600} selftests/vm/run-vm.sh "$rel" "$out" \
		selftests/vm/guest-demo.sh -c /tmp/out/lab >"$out/run.log" 2>&1; then
	tail -n 30 "$out/run.log"
	echo "lab-doc: the scenarios failed (see $out/console.log); Documentation/lab is unchanged" >&2
	exit 1
fi
rm -f Documentation/lab/*.txt
mkdir -p Documentation/lab
cp "$out"/lab/*.txt Documentation/lab/
echo "lab-doc: $(ls Documentation/lab/*.txt | wc -l) steps captured into Documentation/lab/"
git status --short Documentation/lab | head -n 20
