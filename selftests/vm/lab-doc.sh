#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make lab-doc: boot Debian's 6.12 kernel in QEMU, run the lab's scenarios
# with lab-demo -c, and put each step's captured output into
# Documentation/lab/SCENARIO.STEP.txt, which Documentation/lab.rst includes,
# with its picture (.svg: the step's sockstat-nl graph, what changed since
# the previous step highlighted, drawn here by Graphviz's dot), its
# sentence (.say), the changes the step says it makes (.changes) and the
# order of it all (index); then build/lab/index.html (make lab-html).
# selftests/lab_doc_test.sh checks in every guest of make check that the
# module still reports what these files say, and that each picture's
# highlighting is what the step says changed.
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
command -v dot >/dev/null || { echo "lab-doc: Graphviz's dot is missing (scripts/install-deps.sh)" >&2; exit 1; }
for f in "$out"/lab/*.hl.dot; do
	dot -Tsvg "$f" >"${f%.hl.dot}.svg" || { echo "lab-doc: dot refused $f" >&2; exit 1; }
done
rm -f Documentation/lab/*.txt Documentation/lab/*.say Documentation/lab/*.changes \
	Documentation/lab/*.svg Documentation/lab/index
mkdir -p Documentation/lab
cp "$out"/lab/*.txt "$out"/lab/*.say "$out"/lab/*.changes "$out"/lab/*.svg "$out"/lab/index \
	Documentation/lab/
echo "lab-doc: $(ls Documentation/lab/*.txt | wc -l) steps captured into Documentation/lab/"
# What a picture highlights and what its step says should agree
# (lab_doc_test.sh fails otherwise): say where they do not.
for f in "$out"/lab/*.found; do
	b=${f%.found}
	cmp -s "$f" "$b.changes" ||
		echo "lab-doc: ${b##*/}: the step says \"$(paste -sd, "$b.changes")\"; its picture highlights \"$(paste -sd, "$f")\"" >&2
done
make -s lab-html
git status --short Documentation/lab | head -n 20
