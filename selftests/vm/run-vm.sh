#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run-vm.sh [-i] RELEASE OUTDIR COMMAND [ARG...]
#
# Boot Debian's kernel RELEASE under QEMU (TCG; KVM hangs on our
# machines) with the host's root file system shared read-only, and run
# COMMAND in the guest as root, in the repository's top directory, with
# the loopback interface up and SOCKSTAT_KO naming the module built for
# RELEASE (the module is not loaded).  The guest's output goes to stdout
# (and OUTDIR/console.log); its kernel log to OUTDIR/dmesg.  -i: an
# interactive run, the guest's console on this terminal.
#
# Exits with COMMAND's status, or 125 when the guest never reported one
# (it crashed or hung: see OUTDIR/console.log).  SOCKSTAT_VM_APPEND: more
# kernel parameters; SOCKSTAT_VM_TIMEOUT: seconds (default 1200);
# SOCKSTAT_VM_MEM: the guest's memory in MiB (default 2048);
# SOCKSTAT_VM_ACCEL: QEMU's -accel (default tcg,thread=single: one host
# thread runs both vCPUs in turn; selftests/run.sh boots its guests with
# tcg,thread=multi, a host thread per vCPU, see Documentation/testing.rst);
# SOCKSTAT_VM_CPU: QEMU's -cpu (default: QEMU's, qemu64);
# SOCKSTAT_VM_ICOUNT: QEMU's -icount (e.g. shift=0: the guest's clock
# counts instructions, 1 ns each, whatever the host's load; single-
# threaded TCG only); SOCKSTAT_VM_SYSTEMD=1: systemd as the guest's PID 1,
# running COMMAND as a service (selftests/vm/guest-init.sh).
set -eu

interactive=
[ "${1:-}" = -i ] && { interactive=1; shift; }
[ $# -ge 3 ] || { echo "usage: $0 [-i] RELEASE OUTDIR COMMAND [ARG...]" >&2; exit 2; }
rel=$1 out=$2
shift 2

top=$(cd "$(dirname "$0")/../.." && pwd)
kdir=$top/build/kernels/$rel
# QEMU's -fsdev takes paths in a comma-separated list, the kernel command
# line splits on blanks.
case "$top$out" in
*[,[:space:]]*) echo "run-vm: the repository and output paths may not contain commas or blanks: $top, $out" >&2; exit 2 ;;
esac
timeout=${SOCKSTAT_VM_TIMEOUT:-1200}
"$top/selftests/vm/kernels.sh" fetch "$rel"

# The initramfs: busybox, our /init, and the modules needed to reach the
# host root (virtio-pci and the 9p stack), in dependency order.  Made
# under a lock: two guests of one kernel (selftests/run.sh boots a
# single-threaded one beside the other) may start at once.
initrd=$kdir/initramfs.cpio.gz
exec 9>"$kdir/initramfs.lock"
flock 9
if [ ! -f "$initrd" ] || [ "$top/selftests/vm/init.sh" -nt "$initrd" ]; then
	stage=$kdir/initramfs
	rm -rf "$stage"
	mkdir -p "$stage/bin" "$stage/lib/mod" "$stage/proc" "$stage/sys" \
		"$stage/dev" "$stage/newroot"
	cp /bin/busybox "$stage/bin/busybox"
	for app in $("$stage/bin/busybox" --list); do
		[ "$app" = busybox ] || ln -s busybox "$stage/bin/$app"
	done
	cp "$top/selftests/vm/init.sh" "$stage/init"
	chmod 755 "$stage/init"
	i=10
	for ko in $(for m in virtio_pci 9pnet_virtio 9p; do
			modprobe -d "$kdir/root" -S "$rel" --show-depends "$m"
		done | awk '$1 == "insmod" && !seen[$2]++ {print $2}'); do
		name=$(basename "$ko")
		case $name in
		*.xz) xz -dc "$ko" >"$stage/lib/mod/$i-${name%.xz}" ;;
		*.zst) zstd -qdc "$ko" >"$stage/lib/mod/$i-${name%.zst}" ;;
		*) cp "$ko" "$stage/lib/mod/$i-$name" ;;
		esac
		i=$((i + 1))
	done
	(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) >"$initrd.tmp"
	mv "$initrd.tmp" "$initrd"
	rm -rf "$stage"
fi
flock -u 9
exec 9>&-

mkdir -p "$out"
rm -f "$out/status" "$out/dmesg" "$out/console.log" "$out/systemd"
# SOCKSTAT_VM_SYSTEMD=1: systemd as the guest's PID 1 (guest-init.sh).
[ -z "${SOCKSTAT_VM_SYSTEMD:-}" ] || : >"$out/systemd"
{
	echo "cd '$top' || exit 126"
	echo "export PATH='$top/build/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'"
	echo "export HOME=/tmp TERM='${TERM:-dumb}' SOCKSTAT_KO='$top/build/mod/$rel/sockstat.ko'"
	echo "ip link set lo up"
	printf 'exec'
	for a in "$@"; do
		printf " '%s'" "$(printf '%s' "$a" | sed "s/'/'\\\\''/g")"
	done
	echo
} >"$out/cmd"

set -- qemu-system-x86_64 -accel "${SOCKSTAT_VM_ACCEL:-tcg,thread=single}" ${SOCKSTAT_VM_CPU:+-cpu "$SOCKSTAT_VM_CPU"} \
	${SOCKSTAT_VM_ICOUNT:+-icount "$SOCKSTAT_VM_ICOUNT"} \
	-smp 2 -m "${SOCKSTAT_VM_MEM:-2048}" \
	-nodefaults -no-reboot -display none \
	-kernel "$kdir/vmlinuz" -initrd "$initrd" \
	-append "console=ttyS0 loglevel=5 panic=-1 sockstat_repo=$top ${SOCKSTAT_VM_APPEND:-}" \
	-fsdev "local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap" \
	-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
	-fsdev "local,id=repo,path=$top,security_model=none,readonly=on,multidevs=remap" \
	-device virtio-9p-pci,fsdev=repo,mount_tag=repo \
	-fsdev "local,id=out,path=$out,security_model=none,multidevs=remap" \
	-device virtio-9p-pci,fsdev=out,mount_tag=out

if [ -n "$interactive" ]; then
	"$@" -serial mon:stdio
else
	# The console as text: no carriage returns, no escape sequences.
	timeout "$timeout" "$@" -serial stdio </dev/null |
		sed -u 's/\r//g; s/\x1b\[[0-9;?]*[a-zA-Z]//g' | tee "$out/console.log" || true
fi

[ -f "$out/status" ] || { echo "run-vm: the guest on $rel reported no exit status (crash or timeout; see $out/console.log)" >&2; exit 125; }
exit "$(cat "$out/status")"
