#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In the guest, after selftests/deb_test.sh installed the packages in the
# bookworm chroot: the module DKMS built and installed there for this
# kernel (build/deb-test/bookworm/RELEASE/, exported while the package was
# installed) and the installed sockstat-nl, in this kernel.  The module
# goes where DKMS put it, /lib/modules/RELEASE/updates/dkms, in a
# writable overlay of this kernel's module tree, and depmod runs, as DKMS
# does after its install; then the package's sockstat-nl must load it by
# itself (the family requested by name), modprobe -r must unload it, and
# once the module is removed again (with depmod: what the purge does) a
# request for the family must find none.  Leaves the module loaded from
# $SOCKSTAT_KO, as the other tests expect.  TAP on stdout.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
rel=$(uname -r)
exp=$top/build/deb-test/${SOCKSTAT_DEB_SUITE:-bookworm}
cli=$exp/sockstat-nl
ko=$(ls "$exp/$rel"/sockstat.ko* 2>/dev/null | head -n 1)
bl=/run/modprobe.d/sockstat-tests.conf

if [ -z "$ko" ] || [ ! -x "$cli" ]; then
	echo "1..1"
	echo "ok 1 the packaged module loads itself # SKIP no module DKMS built for $rel in $exp (selftests/deb_test.sh)"
	exit 0
fi
version=$(cat "$exp/VERSION")

n=0
result() { # STATUS NAME
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; fi
}
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
loaded() { [ -d /sys/module/sockstat ]; }

echo "1..7"

st=0
if loaded; then rmmod sockstat || st=1; fi
! loaded || st=1
result $st "rmmod sockstat (the module insmod loaded)"

# A writable layer over the kernel's module tree, for DKMS's files.
st=0
mu=/tmp/deb_guest_test.modules
mkdir -p "$mu/upper" "$mu/work"
modprobe overlay 2>/dev/null
mount -t overlay overlay -o "lowerdir=/lib/modules,upperdir=$mu/upper,workdir=$mu/work" /lib/modules || st=1
dest=/lib/modules/$rel/updates/dkms
if [ $st = 0 ]; then
	mkdir -p "$dest" && cp "$ko" "$dest/" && depmod "$rel" || st=1
fi
result $st "the DKMS-built module in $dest, depmod $rel (what DKMS does)"

# The package's sockstat-nl, with the tests' blacklist of the alias lifted.
st=0
[ ! -f $bl ] || mv $bl $bl.off
out=$("$cli" -H 2>&1) || st=1
loaded || st=1
[ $st = 0 ] || diag "$cli -H:" "$out"
result $st "the package's sockstat-nl loads the module by itself (family requested by name) and lists sockets"

st=0
got=$(modinfo -n sockstat 2>&1)
mod=$(cat /sys/module/sockstat/version 2>&1)
case $got in
"$dest"/sockstat.ko*) ;;
*) st=1 ;;
esac
[ "$mod" = "$version" ] || st=1
[ $st = 0 ] || diag "modinfo -n sockstat: $got" "/sys/module/sockstat/version: $mod"
result $st "the module loaded is DKMS's, version $version"

st=0
modprobe -r sockstat || st=1
! loaded || st=1
result $st "modprobe -r sockstat unloads it"

# The purge: dkms remove deletes the module and runs depmod.
st=0
rm -f "$dest"/sockstat.ko* && depmod "$rel" || st=1
out=$("$cli" -H 2>&1)
rc=$?
[ $rc = 3 ] || st=1
! loaded || st=1
[ $st = 0 ] || diag "$cli -H exited $rc:" "$out"
result $st "with the module removed and depmod run again, sockstat-nl finds no module (exit 3)"
[ ! -f $bl.off ] || mv $bl.off $bl
umount /lib/modules

st=0
insmod "$SOCKSTAT_KO" || st=1
loaded || st=1
result $st "insmod \$SOCKSTAT_KO again, for the tests after this one"
