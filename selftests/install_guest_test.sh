#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In the guest, after selftests/vm/guest-tests.sh loaded the module with
# insmod: the module that selftests/install_test.sh installed (make install)
# into this kernel's tree, which the guest has on /lib/modules, loads with
# modprobe, the installed sockstat-nl talks to it, and loads it on demand.  Leaves the module
# loaded from $SOCKSTAT_KO, as the rest of the suite expects.  TAP on stdout.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
rel=$(uname -r)
ko=/lib/modules/$rel/updates/sockstat.ko
cli=$top/build/kernels/$rel/root/usr/local/sbin/sockstat-nl
version=$(cat "$top/VERSION")

if [ ! -f "$ko" ]; then
	echo "1..1"
	echo "ok 1 modprobe sockstat loads updates/sockstat.ko # SKIP make install did not run for this kernel"
	exit 0
fi

n=0
result() { # STATUS NAME
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; fi
}
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
loaded() { [ -d /sys/module/sockstat ]; }

echo "1..8"

st=0
if loaded; then
	rmmod sockstat || st=1
	! loaded || st=1
else
	diag "sockstat was not loaded"
fi
result $st "rmmod sockstat (the module insmod loaded)"

st=0
modprobe sockstat || st=1
loaded || st=1
result $st "modprobe sockstat loads it"

got=$(modinfo -n sockstat 2>&1) || true
st=0
[ "$got" = "$ko" ] || { st=1; diag "modinfo -n sockstat: $got"; }
result $st "modinfo -n sockstat is $ko"

st=0
mod=$(cat /sys/module/sockstat/version 2>&1) || st=1
out=$("$cli" -V 2>&1) || st=1
[ "$mod" = "$version" ] || st=1
[ "$out" = "sockstat-nl $version
sockstat module $mod" ] || st=1
[ $st = 0 ] || diag "/sys/module/sockstat/version: $mod" "$cli -V:" "$out"
result $st "build/kernels/$rel/root/usr/local/sbin/sockstat-nl -V shows module $version"

st=0
out=$("$cli" -H 2>&1) || st=1
[ -n "$out" ] || st=1
[ $st = 0 ] || diag "$cli -H:" "$out"
result $st "the installed sockstat-nl lists sockets"

st=0
modprobe -r sockstat || st=1
! loaded || st=1
result $st "modprobe -r sockstat unloads it"

# Installed, the module is loaded on demand: asking for its Generic
# Netlink family makes the kernel run modprobe for the family's alias.
# guest-tests.sh blacklists that alias for the other tests; lift it here.
st=0
bl=/run/modprobe.d/sockstat-tests.conf
[ ! -f $bl ] || mv $bl $bl.off
"$cli" -H >/dev/null 2>&1 || st=1
loaded || st=1
[ ! -f $bl.off ] || mv $bl.off $bl
result $st "the installed sockstat-nl loads the module on demand (its family's alias)"

st=0
if loaded; then
	rmmod sockstat || st=1
fi
insmod "$SOCKSTAT_KO" || st=1
loaded || st=1
result $st "insmod \$SOCKSTAT_KO again, for the tests after this one"
