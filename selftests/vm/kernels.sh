#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The Debian kernels sockstat is tested on, and their images for QEMU.
#
#   kernels.sh list [--check]  the releases, one per line: bookworm's 6.1,
#                            bookworm-security's 6.12 and its PREEMPT_RT
#                            flavour, trixie-backports' newest 7.x and its
#                            PREEMPT_RT flavour; --check: the ones make check
#                            runs (the oldest, the newest and the newest's
#                            PREEMPT_RT).  A kernel whose headers are
#                            missing is named on stderr instead, and the
#                            exit status is 1
#   kernels.sh where REL     the suite whose chroot has REL's headers
#                            (build/chroot/SUITE), or "host"
#   kernels.sh fetch REL     unpack linux-image-REL (and the packages of the
#                            same release it depends on) into
#                            build/kernels/REL: vmlinuz, root/lib/modules/REL
#                            with modules.dep
#
# Releases are resolved from the installed header packages, never
# hard-coded: Debian bumps them with each security update.  The host's
# suite (bookworm: 6.1, 6.12) from the host's dpkg database; trixie-
# backports' 7.x from the trixie chroot's (build/chroot/trixie), where
# scripts/install-deps.sh installs the newest the archive has.  The image
# is the Debian package of the same release, fetched with apt-get download
# (the host's apt, or scripts/suite.sh's private apt state for another
# suite).
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
suite=$top/scripts/suite.sh

installed() { # PACKAGE [ADMINDIR]
	dpkg-query ${2:+--admindir="$2"} -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
}

# The newest installed package whose name matches the extended regular
# expression ERE, without the "linux-headers-" prefix.
newest() { # ERE [ADMINDIR]
	dpkg-query ${2:+--admindir="$2"} -W -f='${Package} ${Status}\n' 'linux-headers-*' 2>/dev/null |
		awk -v re="$1" '/ ok installed$/ && $1 ~ re {sub("^linux-headers-", "", $1); print $1}' |
		sort -V | tail -n 1
}

# Each kernel line prints its release, or says on stderr what is missing
# and sets missing=1.
k61() {
	# 6.1: what the linux-headers-amd64 meta package points at.
	r=$(dpkg-query -W -f='${Depends}\n' linux-headers-amd64 2>/dev/null |
		tr ',' '\n' | sed -n 's/^ *linux-headers-\([^ ]*\).*/\1/p' | head -n 1)
	if [ -z "$r" ]; then
		echo "kernels.sh: 6.1: linux-headers-amd64 is not installed (scripts/install-deps.sh installs it)" >&2
		missing=1
	elif installed "linux-headers-$r"; then
		echo "$r"
	else
		echo "kernels.sh: 6.1: linux-headers-amd64 points at linux-headers-$r, which is not installed" >&2
		missing=1
	fi
}

k612() { # [rt]
	# 6.12: the newest installed 6.12 header package from bookworm-security.
	r=$(newest '^linux-headers-6\.12\.[0-9]+\+deb[0-9]+-amd64$')
	if [ -z "$r" ]; then
		echo "kernels.sh: 6.12${1:+ PREEMPT_RT}: no linux-headers-6.12.*+deb12-amd64 is installed (scripts/install-deps.sh installs the newest)" >&2
		missing=1
		return
	fi
	[ -z "${1:-}" ] && { echo "$r"; return; }
	# Its PREEMPT_RT flavour, where sleeping in atomic context shows.
	rt=$(echo "$r" | sed 's/-amd64$/-rt-amd64/')
	if installed "linux-headers-$rt"; then
		echo "$rt"
	else
		echo "kernels.sh: 6.12 PREEMPT_RT: linux-headers-$rt is not installed (scripts/install-deps.sh installs it)" >&2
		missing=1
	fi
}

k7() { # [rt]
	# 7.x: the newest trixie-backports header package in the trixie chroot.
	root=$top/build/chroot/trixie
	if ! "$suite" has trixie; then
		echo "kernels.sh: 7.x${1:+ PREEMPT_RT}: no trixie chroot at build/chroot/trixie, where its headers build (scripts/install-deps.sh makes it)" >&2
		missing=1
		return
	fi
	r=$(newest '^linux-headers-7\.[0-9]+\.[0-9]+\+deb[0-9]+-amd64$' "$root/var/lib/dpkg")
	if [ -z "$r" ]; then
		echo "kernels.sh: 7.x${1:+ PREEMPT_RT}: no linux-headers-7.*-amd64 is installed in build/chroot/trixie (scripts/install-deps.sh installs trixie-backports' newest)" >&2
		missing=1
		return
	fi
	[ -z "${1:-}" ] && { echo "$r"; return; }
	rt=$(echo "$r" | sed 's/-amd64$/-rt-amd64/')
	if installed "linux-headers-$rt" "$root/var/lib/dpkg"; then
		echo "$rt"
	else
		echo "kernels.sh: 7.x PREEMPT_RT: linux-headers-$rt is not installed in build/chroot/trixie (scripts/install-deps.sh installs it)" >&2
		missing=1
	fi
}

list() { # [--check]
	missing=0
	if [ "${1:-}" = --check ]; then
		k61
		k7
		k7 rt
	else
		k61
		k612
		k612 rt
		k7
		k7 rt
	fi
	return $missing
}

where() { # REL
	if [ -d "/lib/modules/$1/build/include" ]; then
		echo host
		return
	fi
	for d in "$top"/build/chroot/*/; do
		# The link may be absolute (bullseye's): it points into the chroot.
		[ -L "${d}lib/modules/$1/build" ] || continue
		basename "$d"
		return
	done
	echo "kernels.sh: no headers of $1 here or in build/chroot/*" >&2
	return 1
}

# apt-get download PACKAGE... into the current directory, from the host's
# apt or the private one of the suite whose chroot builds REL.
download() { # REL PACKAGE...
	rel=$1
	shift
	s=$(where "$rel" 2>/dev/null || echo host)
	if [ "$s" = host ]; then
		apt-get download -q "$@" >/dev/null 2>&1 || {
			apt-get update -q >/dev/null
			apt-get download -q "$@" >/dev/null
		}
	else
		"$suite" apt-get "$s" download -q "$@" >/dev/null 2>&1 || {
			"$suite" apt-get "$s" update -q >/dev/null
			"$suite" apt-get "$s" download -q "$@" >/dev/null
		}
	fi
}

fetch() {
	rel=$1
	dir=$top/build/kernels/$rel
	[ -f "$dir/.done" ] && return 0
	rm -rf "$dir"
	mkdir -p "$dir/deb"
	chmod 755 "$dir" "$dir/deb"
	cd "$dir/deb"
	# The signed image reaches the archive after the unsigned one of the
	# same build (a security update's headers and unsigned image can be
	# out for days before it): the same kernel, unsigned, is as good for
	# QEMU, which checks no signature.
	pkg=linux-image-$rel
	if ! (download "$rel" "$pkg"); then
		echo "kernels.sh: no $pkg in the archive yet: fetching $pkg-unsigned" >&2
		pkg=$pkg-unsigned
		download "$rel" "$pkg"
	fi
	# The image package may be only a meta package (7.x: linux-binary-REL
	# holds the kernel, linux-modules-REL the modules): fetch what it
	# depends on of the same release, as its metadata says.
	deps=$(dpkg-deb -f "$pkg"_*.deb Depends | tr ',|' '\n\n' |
		sed -n 's/^ *\(linux-[^ (]*\).*/\1/p' | grep -F -- "-$rel" | grep -vx "$pkg" || true)
	# shellcheck disable=SC2086 # package names have no blanks
	[ -z "$deps" ] || download "$rel" $deps
	for deb in ./*.deb; do
		dpkg -x "$deb" "$dir/root"
	done
	cd "$dir"
	# Modules where the host's kmod (and the guest's /lib/modules bind
	# mount, selftests/vm/init.sh) looks: merged-/usr packages ship them
	# under usr/lib/modules.
	if [ ! -d "root/lib/modules/$rel" ] && [ -d "root/usr/lib/modules/$rel" ]; then
		mkdir -p root/lib/modules
		mv "root/usr/lib/modules/$rel" "root/lib/modules/$rel"
	fi
	img=""
	for f in "root/boot/vmlinuz-$rel" "root/lib/modules/$rel/vmlinuz"; do
		[ -f "$f" ] && { img=$f; break; }
	done
	[ -n "$img" ] || { echo "kernels.sh: no vmlinuz in $pkg${deps:+ or }$(echo $deps)" >&2; exit 1; }
	cp "$img" vmlinuz
	[ -d "root/lib/modules/$rel/kernel" ] || { echo "kernels.sh: no modules of $rel in $pkg${deps:+ or }$(echo $deps)" >&2; exit 1; }
	depmod -b root "$rel"
	rm -rf deb
	touch .done
}

case "${1:-}" in
list) list "${2:-}" ;;
where) where "$2" ;;
fetch) fetch "$2" ;;
*) echo "usage: $0 list [--check] | where RELEASE | fetch RELEASE" >&2; exit 2 ;;
esac
