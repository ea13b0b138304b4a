#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install every Debian package sockstat needs to build, test and demo:
# the target kernels' headers, the kernel sources (kselftest harness,
# checkpatch, YNL), QEMU, busybox, libnl, rst2man (the man page), dkms,
# man and less for the manual page in make vm's guest, lsof and perf
# for make bench, debhelper, dh-dkms and lintian for make deb,
# bash-completion and prometheus (promtool) for the tests of the
# completion and the metrics, Graphviz (sockstat-nl graph -T, make
# lab-doc's pictures) and Chromium with python3-pil (the lab page's
# screenshot test), and mmdebstrap; then the trixie chroot
# (build/chroot/trixie, scripts/suite.sh) with trixie-backports' newest
# 7.x headers and their PREEMPT_RT flavour, which need trixie's gcc-14
# and libc; and a bookworm chroot (build/chroot/bookworm) with dkms and
# the 6.1 headers, for the test of the Debian packages.  Idempotent:
# when everything is present it only checks and returns.  Run as root
# on Debian 12.
set -eu

need_update=1
apt_update() {
	[ "$need_update" = 1 ] || return 0
	apt-get update -q >/dev/null
	need_update=0
}

# The newest 6.12 header package in bookworm-security, by name.
newest_612() {
	apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
		awk '{print $1}' | sort -V | tail -n 1
}

pkgs="build-essential kmod xz-utils zstd cpio busybox-static qemu-system-x86
qemu-utils pkg-config libnl-3-dev libnl-genl-3-dev libnl-utils iproute2 python3
python3-yaml python3-jsonschema linux-headers-amd64 linux-source-6.12
python3-docutils dkms man-db less lsof linux-perf mmdebstrap
flex bison bc libelf-dev libssl-dev
debhelper dh-dkms dpkg-dev lintian bash-completion prometheus \
graphviz chromium fonts-dejavu-core python3-pil systemd
clang libbpf-dev bpftool"	# lsof, linux-perf, clang ... bpftool: make bench (clang, libbpf-dev, bpftool: its BPF peer); flex ... libssl-dev: make check-debug's kernel build; debhelper ... prometheus: make deb, the completion test, promtool (bookworm's prometheus package ships it); graphviz ... python3-pil: graph pictures and their test; systemd: the packages' guests boot it as PID 1 (metrics_timer_test.sh; a container image may lack it)

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done

# A 6.12 header package counts if any is installed; we pick the newest
# installed one at build time (scripts/kernels.sh).
if ! dpkg-query -W -f='${Package} ${Status}\n' 'linux-headers-6.12.*+deb12-amd64' 2>/dev/null |
	grep -q 'ok installed'; then
	apt_update
	h=$(newest_612)
	[ -n "$h" ] || { echo "install-deps: no linux-headers-6.12.*+deb12-amd64 in the apt sources (bookworm-security missing?)" >&2; exit 1; }
	missing="$missing $h"
fi

# The PREEMPT_RT flavour of the same 6.12 release (the suite runs there too).
rel612=$(dpkg-query -W -f='${Package} ${Status}\n' 'linux-headers-6.12.*+deb12-amd64' 2>/dev/null |
	awk '/ok installed/ {print $1}' | sort -V | tail -n 1)
[ -n "$rel612" ] || rel612=$(echo "$missing" | tr ' ' '\n' | grep '^linux-headers-6\.12\.' || true)
if [ -n "$rel612" ]; then
	rt=$(echo "$rel612" | sed 's/-amd64$/-rt-amd64/')
	dpkg-query -W -f='${Status}' "$rt" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $rt"
fi

if [ -n "$missing" ]; then
	[ "$(id -u)" = 0 ] || { echo "install-deps: missing packages:$missing (run as root)" >&2; exit 1; }
	apt_update
	echo "install-deps: installing$missing"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null
fi

# --- trixie-backports' 7.x, built in a trixie chroot ----------------------
# The newest linux-headers-7.*-amd64 of trixie-backports, found with a
# private apt state (scripts/suite.sh: the host's apt is not touched), and
# its PREEMPT_RT flavour; the chroot gets both, and dkms for the test of
# a trixie user's DKMS install.  A chroot that has a 7.x already keeps it
# (as the host keeps its 6.12): delete build/chroot/trixie to move on.
top=$(cd "$(dirname "$0")/.." && pwd)
suite=$top/scripts/suite.sh
chroot_pkgs="dkms"
if "$suite" has trixie; then
	h7=$(dpkg-query --admindir="$top/build/chroot/trixie/var/lib/dpkg" \
		-W -f='${Package} ${Status}\n' 'linux-headers-7.*' 2>/dev/null |
		awk '/ ok installed$/ && $1 ~ /^linux-headers-7\.[0-9]+\.[0-9]+\+deb[0-9]+-amd64$/ {print $1}' |
		sort -V | tail -n 1)
else
	h7=""
fi
if [ -z "$h7" ]; then
	[ "$(id -u)" = 0 ] || { echo "install-deps: the trixie chroot and its 7.x headers need root" >&2; exit 1; }
	"$suite" apt-get trixie update -q >/dev/null
	h7=$("$suite" apt-cache trixie search --names-only '^linux-headers-7\.[0-9]+\.[0-9]+\+deb[0-9]+-amd64$' |
		awk '{print $1}' | sort -V | tail -n 1)
	[ -n "$h7" ] || { echo "install-deps: no linux-headers-7.*-amd64 in trixie-backports ($("$suite" uri))" >&2; exit 1; }
fi
rt7=$(echo "$h7" | sed 's/-amd64$/-rt-amd64/')
if ! "$suite" has trixie; then
	echo "install-deps: making the trixie chroot (build/chroot/trixie, mmdebstrap)"
fi
"$suite" chroot trixie "$h7" "$rt7" $chroot_pkgs

# --- the bookworm chroot: where selftests/deb_test.sh installs our .deb
# files (in a throwaway overlay of it), as a bookworm user would, with
# dkms and the headers of bookworm's kernel for DKMS to build against.
if ! "$suite" has bookworm; then
	echo "install-deps: making the bookworm chroot (build/chroot/bookworm, mmdebstrap)"
fi
"$suite" chroot bookworm dkms linux-headers-amd64
