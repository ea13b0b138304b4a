#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In the guest, after selftests/deb_test.sh installed the packages in the
# chroot of this kernel's suite: the module DKMS built there for this
# kernel and the installed sockstat-nl, in this kernel.  deb_test.sh
# exported them (build/deb-test/SUITE/RELEASE/) with two module trees of
# this kernel: "installed", with DKMS's module in updates/dkms and the
# suite's depmod run over it (what DKMS does after its install), and
# "purged", the module gone and depmod run again (what the purge does);
# depmod ran there, not here, where it takes 30 to 115 s a run under TCG.
# Each is bind-mounted on /lib/modules in turn: with the first the
# package's sockstat-nl must load the module by itself (the family
# requested by name, the kernel's modprobe finding it by its alias), and
# modprobe -r must unload it; with the second a request for the family
# must find none.  Leaves the module loaded from $SOCKSTAT_KO, as the
# other tests expect.  TAP on stdout.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
rel=$(uname -r)
exp=$(ls -d "$top"/build/deb-test/*/"$rel" 2>/dev/null | head -n 1)
exp=${exp%/*}
cli=$exp/sockstat-nl
ko=$(ls "$exp/$rel"/sockstat.ko* 2>/dev/null | head -n 1)
bl=/run/modprobe.d/sockstat-tests.conf

if [ -z "$ko" ] || [ ! -x "$cli" ] || [ ! -d "$exp/$rel/purged/lib/modules/$rel" ]; then
	echo "1..1"
	echo "ok 1 the packaged module loads itself # SKIP no module DKMS built for $rel, or no module trees, in build/deb-test/*/ (selftests/deb_test.sh)"
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

# This kernel's module tree as DKMS leaves it after its install.
st=0
dest=/lib/modules/$rel/updates/dkms
mount -o bind "$exp/$rel/installed/lib/modules" /lib/modules || st=1
[ $st != 0 ] || ls "$dest"/sockstat.ko* >/dev/null || st=1
[ $st != 0 ] || grep -q "^updates/dkms/sockstat.ko.*:" "/lib/modules/$rel/modules.dep" || st=1
result $st "the DKMS-built module in $dest, in depmod's modules.dep (the tree DKMS leaves)"

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
umount /lib/modules && mount -o bind "$exp/$rel/purged/lib/modules" /lib/modules || st=1
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
