#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the guest once the host's root file system is its root (see
# init.sh): run the command of this run, /tmp/out/cmd, on the console;
# leave its exit status and the kernel log in /tmp/out; power off.
# init.sh binds the kernel's own modules on /lib/modules, but cannot
# when build/kernels is an absolute symlink (a worktree's, to the shared
# images): the initramfs does not see the target.  Here, in the full root,
# the link resolves.  (The host's /lib/modules/RELEASE, which the guest
# sees otherwise, may hold a modules.dep and no module.)
mods=$sockstat_repo/build/kernels/$(uname -r)/root/lib/modules
if [ -d "$mods/$(uname -r)/kernel" ]; then
	mount -o bind "$mods" /lib/modules
fi
/bin/sh /tmp/out/cmd </dev/console >/dev/console 2>&1
echo $? >/tmp/out/status
dmesg >/tmp/out/dmesg
sync
umount /tmp/out
exec /bin/busybox poweroff -f
