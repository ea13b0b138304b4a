#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Documentation/lab.rst shows the lab's scenarios with the output that
# make lab-doc captured in a guest (Documentation/lab/SCENARIO.STEP.txt).
# Capture them again here, on this kernel, and compare step by step with
# what is committed, volatile values aside (pids, inode numbers, ephemeral
# ports: selftests/lab-normalise.awk): a state, a queue size, an owner, a
# line or a step that differs fails the scenario.  One TAP result per
# scenario.  Then the pictures (lab-demo -c draws each step's with
# sockstat-nl graph): per scenario, the highlighting of each picture (what
# lab-graph-diff.awk finds changed since the previous step) is exactly
# what the step's text says changed (lab-demo's CHANGES, shown in
# lab.rst); and Graphviz's dot draws every picture without a word.  Runs
# in the guest, module loaded (selftests/vm/guest-tests.sh).
set -u
doc=Documentation/lab
tmp=$(mktemp -d /tmp/lab-doc-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

scenarios=$(cd "$doc" && ls *.txt | sed 's/\..*//' | sort -u)

# The captures come from a kernel whose af_unix.c sets socket->state; on
# 7.x it never writes it, and a connected AF_UNIX socket stays
# SS_UNCONNECTED (selftests/nl.h, ss_unix_connected_state(); lab.rst says
# so): expect that of the documented unix rows there, nothing else.
unix_state() {
	case $(uname -r) in
	[0-6].*) cat ;;
	*) awk '$6 == "unix" && $8 == "SS_CONNECTED" { $8 = "SS_UNCONNECTED" } { print }' ;;
	esac
}
echo "TAP version 13"
echo "1..$((2 * $(echo "$scenarios" | wc -w) + 3))"

if build/lab/lab-demo -c "$tmp/now" >"$tmp/demo.log" 2>&1; then
	echo "ok 1 lab-demo runs every scenario"
else
	echo "not ok 1 lab-demo runs every scenario"
	tail -n 30 "$tmp/demo.log" | sed 's/^/# /'
fi

t=1
for s in $scenarios; do
	t=$((t + 1))
	bad=0 steps=0
	for f in $(cd "$doc" && ls "$s".*.txt); do
		steps=$((steps + 1))
		if [ ! -f "$tmp/now/$f" ]; then
			echo "# $f: the scenario has no such step any more"
			bad=1
			continue
		fi
		awk -f selftests/lab-normalise.awk "$doc/$f" | unix_state >"$tmp/want"
		awk -f selftests/lab-normalise.awk "$tmp/now/$f" >"$tmp/got"
		if ! diff -u "$tmp/want" "$tmp/got" >"$tmp/diff"; then
			echo "# $f differs from the documentation (- lab.rst, + this kernel):"
			tail -n +3 "$tmp/diff" | sed 's/^/#   /'
			bad=1
		fi
	done
	if [ $bad = 0 ]; then
		echo "ok $t lab.rst $s: $steps steps show what the module reports"
	else
		echo "not ok $t lab.rst $s: the documented output no longer matches"
	fi
done

# Steps the scenarios have now that the documentation lacks.
t=$((t + 1))
extra=$(cd "$tmp/now" 2>/dev/null && for f in *.txt; do [ -f "$OLDPWD/$doc/$f" ] || echo "$f"; done)
if [ -z "$extra" ]; then
	echo "ok $t lab.rst has every step lab-demo captures"
else
	echo "not ok $t lab.rst has every step lab-demo captures"
	echo "# not in $doc (make lab-doc): $(echo $extra)"
fi

# The pictures' highlighting against what each step says changed.
for s in $scenarios; do
	t=$((t + 1))
	bad=0 steps=0
	for step in $(awk -v s="$s" '$1 == "step" && $2 == s {print $3}' "$tmp/now/index" 2>/dev/null); do
		steps=$((steps + 1))
		b=$tmp/now/$s.$step
		if ! cmp -s "$b.changes" "$b.found"; then
			echo "# $s.$step: the step says (-) and the picture highlights (+):"
			diff -u "$b.changes" "$b.found" | tail -n +3 | sed 's/^/#   /'
			bad=1
		fi
	done
	if [ $steps = 0 ]; then
		echo "not ok $t lab.rst $s: lab-demo -c drew no picture of it"
	elif [ $bad = 0 ]; then
		echo "ok $t lab.rst $s: the $steps pictures highlight what their steps say changed"
	else
		echo "not ok $t lab.rst $s: a picture's highlighting is not what its step says changed"
	fi
done

t=$((t + 1))
# A dot for each (Debian 12's dot 2.42 aborts on some runs of many files
# at once: malloc_consolidate()).  The highlighted copies have every
# statement sockstat-nl wrote.
bad=0 n=0
for f in "$tmp"/now/*.hl.dot; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	if ! dot -Tsvg -o /dev/null "$f" 2>"$tmp/dot.err" || [ -s "$tmp/dot.err" ]; then
		echo "# dot on ${f##*/}:"
		sed 's/^/#   /' "$tmp/dot.err"
		bad=1
	fi
done
if [ $bad = 0 ] && [ $n -gt 0 ]; then
	echo "ok $t Graphviz's dot draws the $n pictures without a word"
else
	echo "not ok $t Graphviz's dot draws every picture without a word ($n pictures)"
fi
