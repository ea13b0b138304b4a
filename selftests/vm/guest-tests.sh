#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the guest (selftests/run.sh boots it): loads the module,
# runs each selftest binary named on the command line, unloads the module.
# For each test NAME, the host finds in /tmp/out:
#   NAME.tap    its TAP stream (stdout and stderr), also on the console;
#   NAME.rc     its exit status (128 + N when signal N ended it), as the
#               shell saw it; no file: the test never finished.
set -u
out=/tmp/out

step() { # N STATUS NAME
	if [ "$2" = 0 ]; then echo "ok $1 $3"; else echo "not ok $1 $3"; fi >>"$out/guest.tap"
	tail -n 1 "$out/guest.tap"
}

echo "1..2" >"$out/guest.tap"
# make install (selftests/install_test.sh) may have put the module into
# this kernel's tree, the guest's /lib/modules: its Generic Netlink family
# alias would let the kernel load it (request_module) whenever a test asks
# for the family while the module is unloaded.  The tests load and unload
# it themselves; "modprobe sockstat" by name still works.
mkdir -p /run/modprobe.d
echo "blacklist sockstat" >/run/modprobe.d/sockstat-tests.conf
insmod "$SOCKSTAT_KO"
rc=$?
step 1 $rc insmod
[ $rc = 0 ] || exit 1

for t in "$@"; do
	echo "== $t"
	case $t in
	*.py|*.sh) bin=selftests/$t ;;	# scripts run from the tree
	*) bin=build/selftests/$t ;;
	esac
	rm -f "$out/$t.rc"
	# The status of the test, not of tee: recorded inside the pipeline.
	{ "$bin" 2>&1; echo $? >"$out/$t.rc"; } | tee "$out/$t.tap"
done

rmmod sockstat
step 2 $? rmmod
