#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The Debian kernels sockstat is tested on, and their images for QEMU.
#
#   kernels.sh list          the releases: 6.1, 6.12, 6.12 PREEMPT_RT (one per line)
#   kernels.sh fetch REL     unpack linux-image-REL into build/kernels/REL
#                            (vmlinuz, lib/modules/REL with modules.dep)
#
# Releases are resolved from the installed header packages (installed by
# scripts/install-deps.sh), never hard-coded: Debian bumps them with each
# security update.  The image is the Debian package of the same release,
# fetched with apt-get download.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)

list() {
	# 6.1: what the linux-headers-amd64 meta package points at.
	dpkg-query -W -f='${Depends}\n' linux-headers-amd64 |
		tr ',' '\n' | sed -n 's/^ *linux-headers-\([^ ]*\).*/\1/p' | head -n 1
	# 6.12: the newest installed 6.12 header package from bookworm-security.
	r612=$(dpkg-query -W -f='${Package} ${Status}\n' 'linux-headers-6.12.*+deb12-amd64' 2>/dev/null |
		awk '/ok installed/ {sub("^linux-headers-", "", $1); print $1}' | sort -V | tail -n 1)
	echo "$r612"
	# Its PREEMPT_RT flavour, where sleeping in atomic context shows.
	rt=$(echo "$r612" | sed 's/-amd64$/-rt-amd64/')
	dpkg-query -W -f='${Status}' "linux-headers-$rt" 2>/dev/null | grep -q 'ok installed' &&
		echo "$rt"
}

fetch() {
	rel=$1
	dir=$top/build/kernels/$rel
	[ -f "$dir/.done" ] && return 0
	rm -rf "$dir"
	mkdir -p "$dir/deb"
	chmod 755 "$dir" "$dir/deb"
	(cd "$dir/deb" && apt-get download -q "linux-image-$rel" >/dev/null 2>&1) || {
		apt-get update -q >/dev/null
		(cd "$dir/deb" && apt-get download -q "linux-image-$rel" >/dev/null)
	}
	dpkg -x "$dir"/deb/*.deb "$dir/root"
	cp "$dir/root/boot/vmlinuz-$rel" "$dir/vmlinuz"
	depmod -b "$dir/root" "$rel"
	rm -rf "$dir/deb"
	touch "$dir/.done"
}

case "${1:-}" in
list) list ;;
fetch) fetch "$2" ;;
*) echo "usage: $0 list | fetch RELEASE" >&2; exit 2 ;;
esac
