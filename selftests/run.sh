#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The whole test suite (make check): for each target kernel, build the
# module with W=1 and require no warnings, boot the kernel in QEMU, run
# every selftest there, and require a clean kernel log (--debug: on the
# debug kernel, see selftests/debug/).  Ends with the
# line "N passed, N failed, N skipped"; exits non-zero on any failure.
# SOCKSTAT_TESTS: the guest's tests to run instead of all of them.
#
#   run.sh          make check: the oldest kernel, the newest and the
#                   newest's PREEMPT_RT flavour (kernels.sh list --check)
#   run.sh --all    make check-all: every kernel (kernels.sh list)
#   run.sh --debug  make check-debug: the debug kernel (selftests/debug/)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
debug= kdir= which=--check
case ${1:-} in
--debug) debug=1 ;;
--all) which= ;;
'') ;;
*) echo "usage: $0 [--all | --debug]" >&2; exit 2 ;;
esac

TESTS=${SOCKSTAT_TESTS:-"smp_test.sh sockstat_test events_test events_family_test events_loss_test watch_test lab_events_test.sh busy_test zoo_test nofd_test crosscheck_test policy_test perm_test ynl_test.py fuzz_test dump_test stress_test cli_test graph_test lab_test lab_doc_test.sh module_test install_guest_test.sh metrics_test.py"}
# The tests that arm and disarm kprobes (events_*test; watch_test and
# lab_events_test.sh, whose sockstat-nl subscribes to the events) run in
# a guest of their own per kernel, with single-threaded TCG: QEMU 7.2's
# multi-threaded TCG runs stale code after the kernel patches its text
# while the other vCPU runs (testing.rst, "Multi-threaded TCG"): int3
# Oopses in three runs of three, none in single-threaded ones.
SINGLE="events_test events_family_test events_loss_test watch_test lab_events_test.sh"
mt_tests="" st_tests=""
for t in $TESTS; do
	case " $SINGLE " in
	*" $t "*) st_tests="$st_tests $t" ;;
	*) mt_tests="$mt_tests $t" ;;
	esac
done
res=build/results${debug:+-debug}
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

# Count a TAP file: each "ok"/"not ok" line is a result.  Failures too:
# a plan that promises more results than the file has (a crash), more
# results than the plan, a test number seen twice, "Bail out!".
count_tap() { # FILE PREFIX
	if [ ! -s "$1" ]; then
		result fail "$2" "no output (did not run?)"
		return
	fi
	awk -v prefix="$2" '
		/^1\.\.[0-9]+/ { split($0, p, "\\.\\."); plan = p[2] + 0 }
		/^Bail out!/ { print "fail\t" prefix "\t" $0 }
		/^(not )?ok [0-9]+/ {
			n++
			num = $1 == "ok" ? $2 : $3
			if (num in seen) print "fail\t" prefix "\ttest number " num " appears twice"
			seen[num] = 1
			line = $0
			status = "pass"
			if (line ~ /^not ok/) { status = "fail"; sub(/^not ok [0-9]+ /, "", line) }
			else sub(/^ok [0-9]+ /, "", line)
			detail = ""
			if (line ~ /# SKIP/) { status = "skip"; detail = line; sub(/.*# SKIP */, "", detail); sub(/ *# SKIP.*/, "", line) }
			print status "\t" prefix ": " line "\t" detail
		}
		END {
			if (!plan) print "fail\t" prefix "\tno TAP plan (crashed before its first line?)"
			else if (n < plan) print "fail\t" prefix "\tonly " n " of " plan " results (crashed?)"
			else if (n > plan) print "fail\t" prefix "\t" n " results, the plan promised " plan
		}
	' "$1" >"$1.results"
	while IFS="$(printf '\t')" read -r status name detail; do
		result "$status" "$name" "$detail"
	done <"$1.results"
}

# The exit status of a test, as its runner recorded it: anything but 0 is
# a failure, whatever its TAP lines said.
exit_status() { # NAME STATUS ("" or "none": none recorded)
	case $2 in
	0) ;;
	''|none) result fail "$1" "no exit status recorded (it did not finish)" ;;
	*[!0-9]*) result fail "$1" "exit status \"$2\"?" ;;
	*)
		if [ "$2" -gt 128 ]; then
			result fail "$1" "killed by signal $(($2 - 128)) (SIG$(kill -l $(($2 - 128)) 2>/dev/null))"
		else
			result fail "$1" "exit status $2"
		fi ;;
	esac
}

# What in a kernel log is a failure: a BUG or WARN (also lockdep's,
# KASAN's, UBSAN's, refcount_t's), an oops, a hung task, an RCU stall
# (kernel/rcu/tree_stall.h, tree_exp.h, tasks.h), a failed allocation.
# "module verification failed" and "loading out-of-tree module taints
# kernel" are expected: the module is unsigned and out of tree.
kpat='BUG:|WARNING:|Oops|general protection|UBSAN:|KASAN:|kernel BUG at|Kernel panic'
kpat="$kpat|blocked for more than|rcu: INFO:|INFO: rcu_|self-detected stall|detected (expedited )?stalls"
kpat="$kpat|possible circular locking|suspicious RCU usage|page allocation failure|refcount_t:"
kpat="$kpat|soft lockup|hard LOCKUP|list_(add|del) corruption"
kpat="$kpat|enqueued on deprecated workqueue"

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
	rc=$?
	grep '^# ' "$res/spec.tap"
	count_tap "$res/spec.tap" "host: spec"
	exit_status "host: spec: selftests/spec_test.sh" $rc
else
	cat "$res/ynl.log"
	result fail "host: the kernel's YNL tools unpack"
fi

# The bash completion, driven as bash drives it, against build/bin/sockstat-nl.
selftests/completion_test.sh >"$res/completion.tap" 2>&1
rc=$?
count_tap "$res/completion.tap" "host: completion"
exit_status "host: completion: selftests/completion_test.sh" $rc

# The lab's page (build/lab/index.html) in headless Chromium: every
# picture of Documentation/lab drawn (no module needed).
selftests/lab_html_test.py >"$res/lab-html.tap" 2>&1
rc=$?
grep '^# \|^not ok' "$res/lab-html.tap"
count_tap "$res/lab-html.tap" "host: lab page"
exit_status "host: lab page: selftests/lab_html_test.py" $rc

# --debug (make check-debug): the debug kernel built from linux-source-6.12
# (selftests/debug/), booted with panic_on_warn=1, kmemleak scanned at the
# end; otherwise Debian's kernels.
guest=selftests/vm/guest-tests.sh
if [ -z "$debug" ]; then
	# A kernel whose headers (or chroot) are missing is not in the
	# list: say so.
	kernels=$(selftests/vm/kernels.sh list $which 2>"$res/kernels.log")
	if [ $? = 0 ]; then
		result pass "host: the headers of the target kernels are installed" \
			"$(echo $kernels)"
	else
		while read -r line; do
			result fail "host: the headers of the target kernels are installed" \
				"${line#kernels.sh: }"
		done <"$res/kernels.log"
	fi
else
	if kernels=$(selftests/debug/build-kernel.sh 2>"$res/debug-kernel.log" | tail -n 1) &&
		[ -n "$kernels" ]; then
		result pass "host: the debug kernel $kernels builds (KASAN, lockdep, kmemleak, UBSAN, ...)"
	else
		tail -n 30 "$res/debug-kernel.log"
		result fail "host: the debug kernel builds"
		echo "$pass passed, $fail failed, $skip skipped"
		exit 1
	fi
	kdir=$top/build/debug/linux-source-6.12
	guest=selftests/vm/guest-debug.sh
	TESTS=$(echo "$TESTS" | sed 's/ install_guest_test.sh//')
	# acpi=noirq: the ACPI interpreter of this kernel under TCG is too
	# slow for QEMU's PCI routing method (AE_AML_LOOP_TIMEOUT, no IRQ).
	export SOCKSTAT_VM_APPEND="panic_on_warn=1 acpi=noirq"
	export SOCKSTAT_VM_TIMEOUT=${SOCKSTAT_VM_TIMEOUT:-5400}
fi
# A guest's time limit (run-vm.sh's default is 1200 s): with five guests
# on two cores (make check-all) a whole suite took a guest 1340 to 1560 s
# before graph_test, metrics_test and the lab's pictures (dot under TCG)
# were added; a test that hangs shows up sooner in its kernel log (the
# hung task detector) and in the harness's own timeouts.
[ -n "$debug" ] || export SOCKSTAT_VM_TIMEOUT=${SOCKSTAT_VM_TIMEOUT:-2700}
# tsc=unstable: 6.12 otherwise marks sched_clock stable late in boot by
# patching a static branch while both vCPUs run, which multi-threaded TCG
# (QEMU 7.2) occasionally gets wrong ("Oops: int3", testing.rst); 6.1
# marks its TSC unstable by itself.
export SOCKSTAT_VM_APPEND="${SOCKSTAT_VM_APPEND:+$SOCKSTAT_VM_APPEND }tsc=unstable"

# Build for every kernel, then boot them all at once: a good part of the
# suite is wall-clock bound (the 60-second stress test).  Multi-threaded
# TCG, a host thread per vCPU, so that the two vCPUs of a guest run at the
# same time and the race tests race (smp_test.sh checks that they do);
# -cpu max as measured in Documentation/testing.rst.  The other users of
# run-vm.sh (make demo, vm, bench) keep single-threaded TCG.
# SOCKSTAT_VM_JOBS=N: at most N guests at once (1: one after another, on
# a machine shared with other guests); default: all of them.
jobs=${SOCKSTAT_VM_JOBS:-0}
booted="" units="" running=0 vm_systemd=''
# start_guest UNIT LABEL ACCEL TEST...: boot $rel's guest in the
# background with these tests, its results under build/vm/UNIT, named
# LABEL in the results; vm_systemd=1: systemd its PID 1 (run-vm.sh).
start_guest() {
	unit=$1 label=$2 accel=$3
	shift 3
	out=$top/build/vm/$unit
	rm -rf "$out"
	echo "$label" >"$res/$unit-label"
	echo "$*" >"$res/$unit-tests"
	echo "booting $label in QEMU..."
	( t0=$(date +%s)
	  SOCKSTAT_VM_ACCEL=$accel SOCKSTAT_VM_CPU=${SOCKSTAT_VM_CPU-max} SOCKSTAT_VM_SYSTEMD=$vm_systemd \
	  selftests/vm/run-vm.sh "$rel" "$out" $guest "$@" \
		>"$res/$unit-console.log" 2>&1
	  echo $? >"$res/$unit-status"
	  echo $(($(date +%s) - t0)) >"$res/$unit-secs" ) &
	units="$units $unit"
	running=$((running + 1))
	if [ "$jobs" -gt 0 ] && [ $running -ge "$jobs" ]; then
		wait
		running=0
	fi
}
for rel in $kernels; do
	log=$res/$rel-build.log
	t0=$(date +%s)
	make -s module KVER="$rel" ${kdir:+KDIR="$kdir"} W=1 >"$log" 2>&1
	rc=$?
	echo "# $rel: module build $(($(date +%s) - t0)) s ($(selftests/vm/kernels.sh where "$rel" 2>/dev/null || echo '?'))"
	if [ $rc = 0 ] && ! grep -q 'warning:' "$log"; then
		result pass "$rel: module builds with W=1 and no warnings"
	else
		# The warnings, or why the build (or a probe) failed.
		if [ $rc = 0 ]; then grep -E 'warning:' "$log"; else tail -n 30 "$log"; fi
		result fail "$rel: module builds with W=1 and no warnings"
		result fail "$rel: selftests" "not run: the module did not build"
		continue
	fi
	# make install into the kernel's image tree (after the W=1 build,
	# which install would otherwise do quietly): the guest then finds
	# the module with modprobe (install_guest_test.sh).
	if [ -z "$debug" ]; then
		selftests/install_test.sh "$rel" >"$res/$rel-install.tap" 2>&1
		rc=$?
		count_tap "$res/$rel-install.tap" "host"
		exit_status "host: $rel: selftests/install_test.sh" $rc
	fi
	[ -z "$mt_tests" ] || start_guest "$rel" "$rel" "${SOCKSTAT_VM_ACCEL:-tcg,thread=multi}" $mt_tests
	[ -z "$st_tests" ] || start_guest "$rel-st" "$rel (single-threaded TCG)" tcg,thread=single $st_tests
	booted="$booted $rel"
done
wait

# report UNIT: a guest's results (its tests' TAP, exit statuses, kernel
# logs).  Sets rel to the guest's label.
report() {
	unit=$1
	out=$top/build/vm/$unit
	rel=$(cat "$res/$unit-label")
	echo "# $rel: guest $(cat "$res/$unit-secs" 2>/dev/null || echo '?') s"
	st=$(cat "$res/$unit-status")
	if [ "$st" = 125 ]; then
		tail -n 40 "$res/$unit-console.log"
		result fail "$rel: guest ran to the end" "no exit status (crash or timeout)"
	elif [ "$st" != 0 ]; then
		tail -n 20 "$res/$unit-console.log"
		result fail "$rel: guest ran to the end" "$guest exit status $st"
	else
		result pass "$rel: guest ran to the end"
	fi

	count_tap "$out/guest.tap" "$rel: module"
	for t in $(cat "$res/$unit-tests"); do
		grep -E '^# .*(:[0-9]+:|ms,|cycles|rows|messages|dumps)' "$out/$t.tap" 2>/dev/null |
			grep -vE '^# +(RUN|OK) ' | sed "s/^/  [$rel $t] /"
		count_tap "$out/$t.tap" "$rel: $t"
		[ -s "$out/$t.tap" ] || continue	# never ran: counted above
		exit_status "$rel: $t" "$(cat "$out/$t.rc" 2>/dev/null || echo none)"
		[ -f "$out/$t.rc" ] || continue		# never finished: no log of its own
		# The kernel log written while this test ran (guest-tests.sh).
		if [ ! -f "$out/$t.dmesg" ]; then
			result fail "$rel: $t: its kernel log has no BUG, WARNING, Oops, hung task, RCU stall, ..." \
				"no kernel log came back for it"
		elif bad=$(grep -E "$kpat" "$out/$t.dmesg"); then
			echo "$bad" | head -n 30 | sed "s/^/  [$rel $t] /"
			result fail "$rel: $t: its kernel log has no BUG, WARNING, Oops, hung task, RCU stall, ..." \
				"$(echo "$bad" | head -n 1 | sed 's/^\[ *[0-9.]*\] //')"
		fi
	done

	# The whole log: boot, insmod and rmmod, and what the tests' own logs
	# may have missed (the console, when no log came back).
	bad=$(grep -hE "$kpat" "$out/dmesg" "$out/console.log" 2>/dev/null)
	name="$rel: kernel log has no BUG, WARNING, Oops, hung task, RCU stall, ... (the whole log)"
	if [ -n "$bad" ]; then
		echo "$bad" | head -n 60
		result fail "$name"
	elif [ ! -s "$out/dmesg" ]; then
		result fail "$name" "no kernel log came back"
	else
		result pass "$name"
	fi
}

for unit in $units; do
	report "$unit"
done

if [ -n "$debug" ]; then
	for unit in $units; do
		out=$top/build/vm/$unit
		rel=$(cat "$res/$unit-label")
		if [ ! -f "$out/kmemleak" ]; then
			result fail "$rel: kmemleak scanned after the suite" "no report came back"
		elif [ -s "$out/kmemleak" ]; then
			head -n 60 "$out/kmemleak"
			result fail "$rel: kmemleak finds no leak after the suite"
		else
			result pass "$rel: kmemleak finds no leak after the suite"
		fi
	done
else
	# The guests are done with the image trees: make uninstall, then
	# dkms for each kernel, where its headers are: this machine's, or
	# those in a chroot of the kernel's suite (as on a trixie machine).
	selftests/install_test.sh --uninstall $booted >"$res/uninstall.tap" 2>&1
	rc=$?
	count_tap "$res/uninstall.tap" "host"
	exit_status "host: selftests/install_test.sh --uninstall" $rc
	for s in $(for rel in $kernels; do selftests/vm/kernels.sh where "$rel"; done | sort -u); do
		rels=$(for rel in $kernels; do
			[ "$(selftests/vm/kernels.sh where "$rel")" = "$s" ] && echo "$rel"
		done)
		if [ "$s" = host ]; then
			name="host: dkms"
			selftests/install_test.sh --dkms $rels >"$res/dkms.tap" 2>&1
		else
			name="host: dkms in the $s chroot"
			scripts/suite.sh run "$s" selftests/install_test.sh --dkms $rels \
				>"$res/dkms-$s.tap" 2>&1
		fi
		rc=$?
		tap=$res/dkms.tap
		[ "$s" = host ] || tap=$res/dkms-$s.tap
		grep '^# ' "$tap"
		count_tap "$tap" "$name"
		exit_status "$name: selftests/install_test.sh --dkms" $rc
	done
	# The Debian packages: make deb (lintian), then install, DKMS
	# build, upgrade and purge in a throwaway overlay of the bookworm
	# chroot, and of the trixie one where there is one.
	suites=bookworm
	scripts/suite.sh has trixie && suites="$suites trixie"
	selftests/deb_test.sh $suites >"$res/deb.tap" 2>&1
	rc=$?
	grep -E '^# [a-z]+: (not )?ok ' "$res/deb.tap"
	count_tap "$res/deb.tap" "host: packages"
	exit_status "host: packages: selftests/deb_test.sh" $rc
	# The module DKMS built in a chroot, loaded by the package's
	# sockstat-nl in its own kernel (deb_guest_test.sh), and the
	# package's systemd timer (metrics_timer_test.sh): a short guest per
	# kernel that booted above, systemd its PID 1, all at once.  Single-
	# threaded TCG: nothing here races.
	units='' running=0
	for rel in $booted; do
		if ls -d build/deb-test/*/"$rel"/purged >/dev/null 2>&1; then
			vm_systemd=1
			start_guest "$rel-deb" "$rel (the packages, systemd)" \
				tcg,thread=single deb_guest_test.sh metrics_timer_test.sh
			vm_systemd=''
		elif ls -d build/deb-test/*/"$rel" >/dev/null 2>&1; then
			result fail "$rel: deb_guest_test.sh" "deb_test.sh exported no module tree of DKMS's for $rel"
		else
			# The chroots have the headers of some kernels only
			# (bookworm's: 6.1; trixie's: 7.x): DKMS built none for it.
			result skip "$rel: deb_guest_test.sh and metrics_timer_test.sh" \
				"no chroot of the packages' test has its headers, so DKMS built no module for it (built for: $(ls -d build/deb-test/*/*/ 2>/dev/null | awk -F/ '{ printf "%s ", $(NF-1) }'))"
		fi
	done
	wait
	for unit in $units; do
		report "$unit"
	done
fi

# make vm on a pseudo-terminal, once the guests are done: commands typed
# into the guest's shell, exit powers it off.
if [ -z "$debug" ]; then
	selftests/vm_shell_test.py >"$res/vm-shell.tap" 2>&1
	rc=$?
	grep '^# [a-z]' "$res/vm-shell.tap"
	count_tap "$res/vm-shell.tap" "host: make vm"
	exit_status "host: make vm: selftests/vm_shell_test.py" $rc
fi

echo "suite wall time: $(($(date +%s) - start)) s"
echo "$pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
