#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The Debian kernels sockstat is tested on, and their images for QEMU.
#
#   kernels.sh list          the releases: 6.1, 6.12, 6.12 PREEMPT_RT (one per line);
#                            a kernel whose headers are missing is named on
#                            stderr instead, and the exit status is 1
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
	# A kernel whose headers are missing is left out of the list, said so
	# on stderr, and makes the exit status 1 (run.sh counts it a failure).
	missing=0
	# 6.1: what the linux-headers-amd64 meta package points at.
	r61=$(dpkg-query -W -f='${Depends}\n' linux-headers-amd64 2>/dev/null |
		tr ',' '\n' | sed -n 's/^ *linux-headers-\([^ ]*\).*/\1/p' | head -n 1)
	if [ -z "$r61" ]; then
		echo "kernels.sh: 6.1: linux-headers-amd64 is not installed (scripts/install-deps.sh installs it)" >&2
		missing=1
	elif installed "linux-headers-$r61"; then
		echo "$r61"
	else
		echo "kernels.sh: 6.1: linux-headers-amd64 points at linux-headers-$r61, which is not installed" >&2
		missing=1
	fi
	# 6.12: the newest installed 6.12 header package from bookworm-security.
	r612=$(dpkg-query -W -f='${Package} ${Status}\n' 'linux-headers-6.12.*+deb12-amd64' 2>/dev/null |
		awk '/ok installed/ {sub("^linux-headers-", "", $1); print $1}' | sort -V | tail -n 1)
	if [ -n "$r612" ]; then
		echo "$r612"
	else
		echo "kernels.sh: 6.12: no linux-headers-6.12.*+deb12-amd64 is installed (scripts/install-deps.sh installs the newest)" >&2
		echo "kernels.sh: 6.12 PREEMPT_RT: no 6.12 release to take the flavour of" >&2
		missing=1
	fi
	# Its PREEMPT_RT flavour, where sleeping in atomic context shows.
	if [ -n "$r612" ]; then
		rt=$(echo "$r612" | sed 's/-amd64$/-rt-amd64/')
		if installed "linux-headers-$rt"; then
			echo "$rt"
		else
			echo "kernels.sh: 6.12 PREEMPT_RT: linux-headers-$rt is not installed (scripts/install-deps.sh installs it)" >&2
			missing=1
		fi
	fi
	return $missing
}

installed() { # PACKAGE
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
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
