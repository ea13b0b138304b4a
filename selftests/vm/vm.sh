#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make vm: a shell in Debian's 6.12 kernel under QEMU, on this terminal,
# with the sockstat module loaded and sockstat-nl, the lab programs,
# lab-demo and the manual page sockstat-nl(8) at hand (see
# Documentation/lab.rst).  Exiting the shell powers the guest off; Ctrl-A X
# stops QEMU at once.  SOCKSTAT_VM_KERNEL=6.1 boots the 6.1 kernel instead.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

case ${SOCKSTAT_VM_KERNEL:-6.12} in
6.1) rel=$(selftests/vm/kernels.sh list | head -n 1) ;;
*) rel=$(selftests/vm/kernels.sh list | sed -n 2p) ;;
esac
echo "vm: building sockstat.ko for $rel, sockstat-nl, the lab programs and the manual page"
make -s module KVER="$rel" >/dev/null
make -s cli lab man >/dev/null
# man looks for section 8 in DIR/man8.
mkdir -p build/lab/man/man8
cp build/man/sockstat-nl.8 build/lab/man/man8/

# The serial console has no size of its own: the guest's shell takes this
# terminal's.
size=$(stty size 2>/dev/null || echo "24 80")
echo "vm: booting Debian's $rel kernel under QEMU (TCG, about 15 s)"
echo "vm: exit the guest's shell to power it off (Ctrl-A X stops QEMU at once)"
exec selftests/vm/run-vm.sh -i "$rel" "$top/build/vm/shell" selftests/vm/guest-shell.sh $size
