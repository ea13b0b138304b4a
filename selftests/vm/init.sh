#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the guest's initramfs (busybox).  Mounts the host's root file
# system (virtio-9p, read-only) with fresh /tmp, /run, /proc, /sys and
# /dev on top and the kernel's own modules on /lib/modules, and makes it
# the root; selftests/vm/guest-init.sh goes on from there.  /tmp/out is
# the run's output directory on the host (virtio-9p, read-write); the
# repository is mounted (read-only) at the path it has on the host.
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev
for m in /lib/mod/*.ko; do
	[ -e "$m" ] || continue		# a kernel with virtio and 9p built in
	insmod "$m" || echo "init: insmod $m failed"
done

r=/newroot
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,cache=loose,ro hostroot $r || {
	echo "init: cannot mount the host root over 9p"
	poweroff -f
}
mount -t tmpfs -o mode=1777 tmp $r/tmp
mkdir $r/tmp/out
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 out $r/tmp/out
# The repository, at the path it has on the host (which may be under
# /tmp, now hidden): sockstat_repo= comes from the kernel command line.
mkdir -p "$r$sockstat_repo"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,cache=loose,ro repo "$r$sockstat_repo"
mount -t proc proc $r/proc
mount -t sysfs sysfs $r/sys
mount -t devtmpfs dev $r/dev
mkdir -p $r/dev/pts $r/dev/shm
mount -t devpts devpts $r/dev/pts
mount -t tmpfs shm $r/dev/shm
mount -t tmpfs run $r/run
mount -t tmpfs vartmp $r/var/tmp

# The kernel's own modules, from its Debian package, where modprobe (and
# the kernel's request_module()) look for them.
mods=$r$sockstat_repo/build/kernels/$(uname -r)/root/lib/modules
[ -d "$mods" ] && mount -o bind "$mods" $r/lib/modules

exec switch_root $r /bin/sh "$sockstat_repo/selftests/vm/guest-init.sh"
