#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the debug kernel's guest (make check-debug): the suite as
# selftests/vm/guest-tests.sh runs it, between a kmemleak "clear" (boot
# leftovers are not ours) and two kmemleak scans at the end, whose report
# goes to /tmp/out/kmemleak for the host to check.
set -u
kml=/sys/kernel/debug/kmemleak
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug
[ -w $kml ] || { echo "guest-debug: no $kml (a kernel without CONFIG_DEBUG_KMEMLEAK?)"; exit 1; }
echo clear >$kml
# Tests that measure memory skip themselves here (see dump_test).
export SOCKSTAT_DEBUG_KERNEL=1

"$(dirname "$0")/guest-tests.sh" "$@"
rc=$?

# An object is reported once it is older than 5 s and no longer
# referenced: scan, give the last objects time to age, scan again.
echo scan >$kml
sleep 6
echo scan >$kml
cat $kml >/tmp/out/kmemleak
exit $rc
