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
# SOCKSTAT_VM_SYSTEMD=1 (run-vm.sh leaves /tmp/out/systemd): systemd
# becomes PID 1 instead, the host's own units on a read-only root with a
# fresh /var, and runs the command as a service of its own target
# (sockstat-guest.target, below), then powers off: for what needs a
# service manager (selftests/metrics_timer_test.sh).
if [ -f /tmp/out/systemd ]; then
	mount -t tmpfs -o mode=755 var /var
	mkdir -p /var/lib /var/log /var/cache /var/spool /var/tmp
	chmod 1777 /var/tmp
	ln -s /run /var/run
	ln -s /run/lock /var/lock
	mkdir -p /run/systemd/system
	cat >/run/systemd/system/sockstat-guest.target <<-EOT
	[Unit]
	Description=sockstat: this run's command, then power off
	Requires=sockstat-guest.service
	After=sockstat-guest.service
	AllowIsolate=yes
	EOT
	cat >/run/systemd/system/sockstat-guest.service <<-'EOT'
	[Unit]
	Description=sockstat: this run's command (/tmp/out/cmd)
	After=basic.target
	SuccessAction=poweroff-immediate
	FailureAction=poweroff-immediate
	[Service]
	Type=oneshot
	TimeoutStartSec=infinity
	StandardInput=tty-force
	StandardOutput=tty
	StandardError=tty
	TTYPath=/dev/console
	ExecStart=/bin/sh -c '/bin/sh /tmp/out/cmd; echo $? >/tmp/out/status; dmesg >/tmp/out/dmesg; sync'
	EOT
	exec /lib/systemd/systemd --unit=sockstat-guest.target --log-target=console
fi
/bin/sh /tmp/out/cmd </dev/console >/dev/console 2>&1
echo $? >/tmp/out/status
dmesg >/tmp/out/dmesg
sync
umount /tmp/out
exec /bin/busybox poweroff -f
