#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# build-kernel.sh: build the debug kernel of `make check-debug` from
# Debian's linux-source-6.12 (tinyconfig + selftests/debug/debug.config)
# and lay it out like a fetched Debian kernel, build/kernels/RELEASE/
# {vmlinuz,root/lib/modules/RELEASE}, so selftests/vm/run-vm.sh boots it.
# Prints RELEASE as its last line.  Rebuilds only when the fragment or
# this script changed; make picks up where an interrupted build stopped.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
tar=${KSRC_TAR:-/usr/src/linux-source-6.12.tar.xz}
frag=$top/selftests/debug/debug.config
src=$top/build/debug/linux-source-6.12
jobs=$(nproc)

log() { echo "build-kernel: $*" >&2; }

[ -f "$tar" ] || { log "$tar not found: apt-get install linux-source-6.12 (or run scripts/install-deps.sh)"; exit 1; }
if [ ! -f "$src/.unpacked" ]; then
	log "unpacking $tar"
	rm -rf "$src"
	mkdir -p "$top/build/debug"
	tar -C "$top/build/debug" -xJf "$tar"
	touch "$src/.unpacked"
fi

cd "$src"
if [ ! -f .config ] || [ "$frag" -nt .config ] || [ "$0" -nt .config ]; then
	log "configuring: tinyconfig + $(basename "$frag")"
	make -s tinyconfig >/dev/null
	scripts/kconfig/merge_config.sh -m .config "$frag" >/dev/null
	make -s olddefconfig >/dev/null
fi

# Every line of the fragment must have survived olddefconfig: a missing
# dependency silently drops an option (and with it a checker).
bad=0
grep -E '^CONFIG_' "$frag" | while IFS= read -r line; do
	opt=${line%%=*}
	case $line in
	*=n) grep -qx "# $opt is not set" .config || grep -qx "$opt=n" .config ;;
	*) grep -qxF "$line" .config ;;
	esac || { log "option not taken: $line (now: $(grep -E "^$opt=|^# $opt is not set" .config || echo absent))"; echo bad; }
done | grep -q bad && bad=1
[ $bad = 0 ] || { log "the configuration lost options of $frag"; exit 1; }

log "make -j$jobs bzImage modules (first build: about 25 minutes on 2 cores)"
make -s -j"$jobs" LOCALVERSION= bzImage modules >&2
rel=$(make -s LOCALVERSION= kernelrelease)

dir=$top/build/kernels/$rel
if [ ! -f "$dir/.done" ] || [ arch/x86/boot/bzImage -nt "$dir/.done" ]; then
	rm -rf "$dir"
	mkdir -p "$dir/root"
	make -s LOCALVERSION= INSTALL_MOD_PATH="$dir/root" modules_install >&2
	cp arch/x86/boot/bzImage "$dir/vmlinuz"
	depmod -b "$dir/root" "$rel"
	touch "$dir/.done"
fi
echo "$rel"
