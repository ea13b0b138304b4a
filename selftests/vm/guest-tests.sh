#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the guest (selftests/run.sh boots it): loads the module,
# runs each selftest binary named on the command line, unloads the module.
# For each test NAME, the host finds in /tmp/out:
#   NAME.tap    its TAP stream (stdout and stderr), also on the console;
#   NAME.rc     its exit status (128 + N when signal N ended it), as the
#               shell saw it; no file: the test never finished;
#   NAME.dmesg  the kernel log lines written while it ran: everything
#               after the marker line "sockstat-selftests: N start NAME"
#               that this script writes to /dev/kmsg before starting it.
set -u
out=/tmp/out

step() { # N STATUS NAME
	if [ "$2" = 0 ]; then echo "ok $1 $3"; else echo "not ok $1 $3"; fi >>"$out/guest.tap"
	tail -n 1 "$out/guest.tap"
}

echo "1..3" >"$out/guest.tap"
# A task stuck in D state (a dump that never ends, a lock never released)
# is reported by the hung task detector after hung_task_timeout_secs
# (Debian: 120 s, often longer than the test that hangs): 20 s here, so
# it shows in the kernel log of that test.  Kernels without
# CONFIG_DETECT_HUNG_TASK (the debug kernel) have no such file.
hung=/proc/sys/kernel/hung_task_timeout_secs
if [ -f $hung ]; then
	echo 20 >$hung
	[ "$(cat $hung)" = 20 ]
	step 1 $? "hung task detector: hung_task_timeout_secs set to 20"
else
	echo "ok 1 hung task detector: hung_task_timeout_secs set to 20 # SKIP no $hung (CONFIG_DETECT_HUNG_TASK off)" >>"$out/guest.tap"
	tail -n 1 "$out/guest.tap"
fi

# make install (selftests/install_test.sh) may have put the module into
# this kernel's tree, the guest's /lib/modules: its Generic Netlink family
# alias would let the kernel load it (request_module) whenever a test asks
# for the family while the module is unloaded.  The tests load and unload
# it themselves; "modprobe sockstat" by name still works.
mkdir -p /run/modprobe.d
echo "blacklist sockstat" >/run/modprobe.d/sockstat-tests.conf
insmod "$SOCKSTAT_KO"
rc=$?
step 2 $rc insmod
[ $rc = 0 ] || exit 1

n=0
for t in "$@"; do
	echo "== $t"
	case $t in
	*.py|*.sh) bin=selftests/$t ;;	# scripts run from the tree
	*) bin=build/selftests/$t ;;
	esac
	n=$((n + 1))
	mark="sockstat-selftests: $n start $t"
	echo "$mark" >/dev/kmsg
	rm -f "$out/$t.rc" "$out/$t.dmesg"
	# The status of the test, not of tee: recorded inside the pipeline.
	{ "$bin" 2>&1; echo $? >"$out/$t.rc"; } | tee "$out/$t.tap"
	# Its kernel log: the lines after its marker.  Marker lost (the ring
	# buffer, 128 KiB in Debian's kernels, wrapped; a whole run writes
	# about 30 KiB): the whole log, said so on its first line.
	dmesg >"$out/$t.dmesg.all"
	awk -v m="] $mark" '
		found { print }
		{ i = index($0, m) }
		i && i + length(m) - 1 == length($0) { found = 1 }
		END { exit !found }
	' "$out/$t.dmesg.all" >"$out/$t.dmesg" ||
		{ echo "guest-tests: the marker \"$mark\" is no longer in the kernel log: the whole log follows"
		  cat "$out/$t.dmesg.all"; } >"$out/$t.dmesg"
	rm -f "$out/$t.dmesg.all"
done

rmmod sockstat
step 3 $? rmmod
