#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the guest once the host's root file system is its root (see
# init.sh): run the command of this run, /tmp/out/cmd, on the console;
# leave its exit status and the kernel log in /tmp/out; power off.
/bin/sh /tmp/out/cmd </dev/console >/dev/console 2>&1
echo $? >/tmp/out/status
dmesg >/tmp/out/dmesg
sync
umount /tmp/out
exec /bin/busybox poweroff -f
