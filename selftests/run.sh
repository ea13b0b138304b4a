#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The whole test suite (make check): for each target kernel, build the
# module with W=1 and require no warnings, boot the kernel in QEMU, run
# every selftest there, and require a clean kernel log.  Ends with the
# line "N passed, N failed, N skipped"; exits non-zero on any failure.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

TESTS="sockstat_test zoo_test crosscheck_test policy_test perm_test ynl_test.py fuzz_test dump_test stress_test cli_test module_test"
res=build/results
rm -rf "$res"
mkdir -p "$res"
pass=0 fail=0 skip=0

result() { # pass|fail|skip NAME [DETAIL]
	case $1 in
	pass) pass=$((pass + 1)); echo "PASS  $2" ;;
	skip) skip=$((skip + 1)); echo "SKIP  $2${3:+: $3}" ;;
	*) fail=$((fail + 1)); echo "FAIL  $2${3:+: $3}" ;;
	esac
}

# Count a TAP file: each "ok"/"not ok" line is a result; a plan that
# promises more results than the file has is a failure too (a crash).
count_tap() { # FILE PREFIX
	if [ ! -s "$1" ]; then
		result fail "$2" "no output (did not run?)"
		return
	fi
	awk -v prefix="$2" '
		/^1\.\.[0-9]+/ { split($0, p, "\\.\\."); plan = p[2] + 0 }
		/^(not )?ok [0-9]+/ {
			n++
			line = $0
			status = "pass"
			if (line ~ /^not ok/) { status = "fail"; sub(/^not ok [0-9]+ /, "", line) }
			else sub(/^ok [0-9]+ /, "", line)
			detail = ""
			if (line ~ /# SKIP/) { status = "skip"; detail = line; sub(/.*# SKIP */, "", detail); sub(/ *# SKIP.*/, "", line) }
			print status "\t" prefix ": " line "\t" detail
		}
		END { if (n < plan) print "fail\t" prefix "\tonly " n " of " plan " results (crashed?)" }
	' "$1" >"$1.results"
	while IFS="$(printf '\t')" read -r status name detail; do
		result "$status" "$name" "$detail"
	done <"$1.results"
}

start=$(date +%s)
if make -s cli selftests >"$res/host-build.log" 2>&1; then
	result pass "host: sockstat-nl and the selftests build"
else
	cat "$res/host-build.log"
	result fail "host: sockstat-nl and the selftests build"
	echo "$pass passed, $fail failed, $skip skipped"
	exit 1
fi

if make -s checkpatch >"$res/checkpatch.log" 2>&1; then
	result pass "host: checkpatch --strict is clean on kmod/ and the uapi header"
else
	cat "$res/checkpatch.log"
	result fail "host: checkpatch --strict is clean on kmod/ and the uapi header"
fi

if make -s ynl >"$res/ynl.log" 2>&1; then
	selftests/spec_test.sh >"$res/spec.tap" 2>&1
	grep '^# ' "$res/spec.tap"
	count_tap "$res/spec.tap" "host: spec"
else
	cat "$res/ynl.log"
	result fail "host: the kernel's YNL tools unpack"
fi

# Build for every kernel, then boot them all at once: each guest runs on
# one host thread (single-threaded TCG), and a good part of the suite is
# wall-clock bound (the 60-second stress test).
booted=""
for rel in $(selftests/vm/kernels.sh list); do
	log=$res/$rel-build.log
	if make -s module KVER="$rel" W=1 >"$log" 2>&1 && ! grep -q 'warning:' "$log"; then
		result pass "$rel: module builds with W=1 and no warnings"
	else
		grep -E 'warning:|error:' "$log"
		result fail "$rel: module builds with W=1 and no warnings"
		continue
	fi
	out=$top/build/vm/$rel
	rm -rf "$out"
	echo "booting $rel in QEMU..."
	( selftests/vm/run-vm.sh "$rel" "$out" selftests/vm/guest-tests.sh $TESTS \
		>"$res/$rel-console.log" 2>&1
	  echo $? >"$res/$rel-status" ) &
	booted="$booted $rel"
done
wait

for rel in $booted; do
	out=$top/build/vm/$rel
	if [ "$(cat "$res/$rel-status")" = 125 ]; then
		tail -n 40 "$res/$rel-console.log"
		result fail "$rel: guest ran to the end" "no exit status (crash or timeout)"
	else
		result pass "$rel: guest ran to the end"
	fi

	count_tap "$out/guest.tap" "$rel: module"
	for t in $TESTS; do
		grep -E '^# .*(:[0-9]+:|ms,|cycles|rows|messages|dumps)' "$out/$t.tap" 2>/dev/null |
			grep -vE '^# +(RUN|OK) ' | sed "s/^/  [$rel $t] /"
		count_tap "$out/$t.tap" "$rel: $t"
	done

	bad=$(grep -hE 'BUG:|WARNING:|Oops|general protection' "$out/dmesg" "$out/console.log" 2>/dev/null)
	if [ -n "$bad" ]; then
		echo "$bad"
		result fail "$rel: kernel log has no BUG, WARNING, Oops or general protection"
	elif [ ! -s "$out/dmesg" ]; then
		result fail "$rel: kernel log has no BUG, WARNING, Oops or general protection" "no kernel log came back"
	else
		result pass "$rel: kernel log has no BUG, WARNING, Oops or general protection"
	fi
done

echo "suite wall time: $(($(date +%s) - start)) s"
echo "$pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
