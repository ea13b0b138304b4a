#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make demo: build everything, boot Debian's 6.12 kernel in QEMU, load
# the module and run the lab's scenarios one after another
# (user/lab/lab-demo.sh, Documentation/lab.rst), showing the sockets of
# each step with sockstat-nl.  SOCKSTAT_DEMO_KERNEL=6.1 boots the 6.1
# kernel instead.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

case ${SOCKSTAT_DEMO_KERNEL:-6.12} in
6.1) rel=$(selftests/vm/kernels.sh list | head -n 1) ;;
*) rel=$(selftests/vm/kernels.sh list | sed -n 2p) ;;
esac
echo "demo: building sockstat.ko for $rel, sockstat-nl and the lab programs"
make -s module KVER="$rel" >/dev/null
make -s cli lab >/dev/null
echo "demo: booting Debian's $rel kernel under QEMU (TCG, about 10 s)"
SOCKSTAT_VM_TIMEOUT=${SOCKSTAT_VM_TIMEOUT:-600} exec selftests/vm/run-vm.sh "$rel" "$top/build/vm/demo" selftests/vm/guest-demo.sh
