#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages as a user installs them (TAP on stdout):
#
#   deb_test.sh [SUITE...]   (default bookworm) make deb, and the same
#       packages at a higher version (VERSION+debtest1, built from a copy
#       of the tree); then in a throwaway overlay of each SUITE's chroot
#       (scripts/suite.sh try; build/chroot/SUITE has dkms and a kernel's
#       headers, scripts/install-deps.sh makes it): apt-get install of
#       both .deb files, DKMS's build for every kernel there, the files,
#       the upgrade, the purge, and nothing of ours left.  No kernel runs
#       the module here (a chroot runs the host's kernel): that is
#       selftests/deb_guest_test.sh's part, in QEMU.
#   deb_test.sh --inside DEB_DIR UP_DIR VERSION UP_VERSION [EXPORT]
#       the part in the chroot, as root.  EXPORT: a directory that gets,
#       while VERSION is installed, the installed sockstat-nl and each
#       kernel's DKMS-built module (EXPORT/RELEASE/), for
#       selftests/deb_guest_test.sh to load in that kernel.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
alias=net-pf-16-proto-16-family-sockstat

n=0
check() { # NAME COMMAND...
	name=$1
	shift
	n=$((n + 1))
	if "$@"; then echo "ok $n $name"; else echo "not ok $n $name"; fi
}
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
log=${TMPDIR:-/tmp}/deb_test.$$.log
quiet() {
	if "$@" >"$log" 2>&1; then
		return 0
	fi
	diag "$* failed:"
	tail -n 30 "$log" | sed 's/^/#   /'
	return 1
}

# --- on the host -----------------------------------------------------------
host() {
	[ $# -gt 0 ] || set -- bookworm
	version=$(cat VERSION)
	up=$version+debtest1
	arch=$(dpkg-architecture -qDEB_HOST_ARCH)
	copy=$top/build/deb-upgrade
	echo "1..$((2 + $#))"
	check "make deb: sockstat-dkms and sockstat-nl $version, lintian clean" \
		quiet make -s deb
	# The upgrade: the same tree at a higher version, as a new release
	# would be (VERSION and a changelog entry).
	build_up() {
		rm -rf "$copy"
		mkdir -p "$copy"
		tar -c --exclude=./build --exclude=./.git . | tar -x -C "$copy"
		echo "$up" >"$copy/VERSION"
		{ printf 'sockstat (%s) unstable; urgency=medium\n\n  * A test of the upgrade (selftests/deb_test.sh).\n\n' "$up"
		  printf ' -- %s  %s\n\n' "$(dpkg-parsechangelog -S Maintainer)" "$(date -R)"
		  cat debian/changelog; } >"$copy/debian/changelog"
		make -s -C "$copy" deb
	}
	check "the same packages at $up (a copy of the tree, VERSION and debian/changelog bumped)" \
		quiet build_up
	for suite in "$@"; do
		in_suite "$suite"
	done
	rm -f "$log"
}

in_suite() { # SUITE
	suite=$1
	if ! scripts/suite.sh has "$suite"; then
		n=$((n + 1))
		echo "not ok $n the packages in a $suite chroot # no build/chroot/$suite (scripts/install-deps.sh makes it)"
		return 0
	fi
	# The chroot's own TAP becomes comments, and one result here.
	out=$(scripts/suite.sh try "$suite" selftests/deb_test.sh --inside "$top/build/deb" \
		"$copy/build/deb" "$version" "$up" "$top/build/deb-test/$suite" 2>&1) || true
	total=$(echo "$out" | grep -c '^\(not \)\{0,1\}ok ' || true)
	bad=$(echo "$out" | grep -c '^not ok ' || true)
	plan=$(echo "$out" | sed -n 's/^1\.\.\([0-9]*\)$/\1/p' | head -n 1)
	echo "$out" | grep -v '^1\.\.' | sed "s/^/# $suite: /"
	n=$((n + 1))
	if [ "$bad" = 0 ] && [ -n "$plan" ] && [ "$total" = "$plan" ]; then
		echo "ok $n the packages in a $suite chroot: install, DKMS build, upgrade, purge ($total checks)"
	else
		echo "not ok $n the packages in a $suite chroot: install, DKMS build, upgrade, purge ($total of ${plan:-?} checks ran, $bad failed)"
	fi
}

# --- in the chroot -----------------------------------------------------------
apt_install() {
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

# Every file, outside what apt, dpkg and the kernel's interfaces keep.
files() {
	find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /tmp -o -path "$top" \
		-o -path /var/cache -o -path /var/lib/apt -o -path /var/lib/dpkg -o -path /var/log \) -prune \
		-o -print | sort
}

# The kernels with headers: those DKMS builds for.
kernels() {
	for d in /lib/modules/*/build; do
		[ -e "$d" ] && basename "$(dirname "$d")"
	done
}

installed_for() { # VERSION: dkms status says installed, the module is VERSION, modprobe finds it by the alias
	for k in $(kernels); do
		st=$(dkms status -m sockstat -v "$1" -k "$k" 2>&1)
		case $st in
		*": installed"*) ;;
		*) diag "dkms status for $k: ${st:-(nothing)}"; return 1 ;;
		esac
		ko=$(ls /lib/modules/"$k"/updates/dkms/sockstat.ko* 2>/dev/null | head -n 1)
		[ -n "$ko" ] || { diag "no /lib/modules/$k/updates/dkms/sockstat.ko*"; return 1; }
		v=$(modinfo -F version "$ko")
		vm=$(modinfo -F vermagic "$ko")
		case "$v:$vm" in
		"$1:$k "*) ;;
		*) diag "$ko: version $v, vermagic $vm"; return 1 ;;
		esac
		# What request_module() runs: modprobe by the family's alias,
		# which depmod put in modules.alias.  trixie's dkms (3.2) runs
		# no depmod for a kernel whose modules are not installed (a
		# chroot with its headers only): there, the alias in the module.
		if [ -e "/lib/modules/$k/modules.dep" ] || [ -d "/lib/modules/$k/kernel" ]; then
			got=$(modprobe -S "$k" --show-depends "$alias" 2>&1)
			case $got in
			"insmod $ko"*) ;;
			*) diag "modprobe -S $k --show-depends $alias: $got"; return 1 ;;
			esac
		else
			diag "$k: headers only, no modules.dep (dkms ran no depmod): the module's own alias"
			modinfo -F alias "$ko" | grep -qx "$alias" ||
				{ diag "modinfo -F alias $ko: $(modinfo -F alias "$ko")"; return 1; }
		fi
	done
}

cli_is() { # VERSION
	got=$(sockstat-nl -V | head -n 1)
	[ "$got" = "sockstat-nl $1" ] || { diag "sockstat-nl -V: $got"; return 1; }
}

nl_files() {
	for f in /usr/sbin/sockstat-nl /usr/share/man/man8/sockstat-nl.8.gz \
		/usr/share/bash-completion/completions/sockstat-nl /usr/lib/sockstat/lab/lab-demo \
		/usr/lib/sockstat/lab/epoll-server /lib/systemd/system/sockstat-metrics.service \
		/lib/systemd/system/sockstat-metrics.timer; do
		[ -f "$f" ] || { diag "$f is missing"; return 1; }
	done
	[ -x /usr/lib/sockstat/lab/lab-demo ] || { diag "lab-demo is not executable"; return 1; }
	# Installed, not enabled: no timer starts by itself.
	! ls /etc/systemd/system/*.wants/sockstat-metrics.* >/dev/null 2>&1 ||
		{ diag "enabled: $(ls /etc/systemd/system/*.wants/sockstat-metrics.*)"; return 1; }
}

only_source_of() { # VERSION
	left=$(ls -d /usr/src/sockstat-* 2>/dev/null | tr '\n' ' ')
	[ "$left" = "/usr/src/sockstat-$1 " ] || { diag "/usr/src: $left"; return 1; }
	st=$(dkms status -m sockstat 2>&1 | grep -v "^sockstat/$1," || true)
	[ -z "$st" ] || { diag "dkms status: $st"; return 1; }
}

purged() {
	st=$(dpkg-query -W -f='${Package} ${Status}\n' 'sockstat*' 2>/dev/null | grep -v 'not-installed$' || true)
	[ -z "$st" ] || { diag "dpkg: $st"; return 1; }
	[ -z "$(dkms status -m sockstat 2>&1)" ] || { diag "dkms status: $(dkms status -m sockstat)"; return 1; }
	files >"$after"
	# New since before the install: only dkms's own signing key (its
	# first build makes it) and the depmod output of a kernel that had
	# none (this chroot has the headers only, not the kernel's modules).
	new=$(comm -13 "$before" "$after")
	bad=$(echo "$new" | grep -v -e '^/var/lib/dkms/mok\.\(key\|pub\)$' -e '^/var/lib/dkms$' \
		-e '^\(/usr\)\{0,1\}/lib/modules/[^/]*/modules\.[a-z.]*$' \
		-e '^\(/usr\)\{0,1\}/lib/modules/[^/]*/updates\(/dkms\)\{0,1\}$' | grep . || true)
	[ -n "$new" ] && diag "new since the install, allowed:" $(echo "$new" | grep -vxF -e "$bad" || true)
	[ -z "$bad" ] || { diag "left behind:" $bad; return 1; }
	# And none of those speaks of sockstat.
	if grep -l sockstat $(echo "$new" | grep '/modules\.' || true) /dev/null 2>/dev/null | grep -v '^/dev/null$'; then
		diag "depmod's files still name sockstat"
		return 1
	fi
	gone=$(comm -23 "$before" "$after")
	[ -z "$gone" ] || { diag "gone since before the install:" $gone; return 1; }
}

# guest_tree DIR REL [MODULE]: DIR/lib/modules/REL, the module tree the
# guest of REL boots with (build/kernels/REL/root, hard links: no copy of
# its 4,000 modules), without the module make install put in updates/
# (selftests/install_test.sh), with MODULE in updates/dkms as DKMS
# installs it, and this suite's depmod run over all of it, as DKMS runs
# it after an install or a removal.  Here and not in the guest: the same
# depmod over the same files takes 30 to 40 s there on 6.1 and 100 to
# 115 s on 7.3 under TCG (xz-compressed modules), twice per run.
guest_tree() {
	src=$top/build/kernels/$2/root/lib/modules/$2
	[ -f "$src/modules.order" ] || return 0	# no guest of that kernel here
	t=$1/lib/modules/$2
	mkdir -p "$1/lib/modules"
	cp -al "$src" "$t"
	rm -f "$t"/updates/sockstat.ko*
	# depmod's outputs go, its inputs stay: the new files are written
	# anew, never through a link into build/kernels.
	find "$t" -maxdepth 1 -name 'modules.*' ! -name modules.order \
		! -name modules.builtin ! -name modules.builtin.modinfo -delete
	if [ $# -gt 2 ]; then
		mkdir -p "$t/updates/dkms"
		cp "$3" "$t/updates/dkms/"
	fi
	depmod -b "$1" "$2"
}

# What a kernel needs to run the installed packages (deb_guest_test.sh):
# sockstat-nl, the module DKMS installed for each kernel (DIR/REL/), and
# for each kernel that has a guest here its module tree with DKMS's module
# installed (DIR/REL/installed) and with it removed again (DIR/REL/purged).
export_installed() { # DIR VERSION
	rm -rf "$1"
	mkdir -p "$1"
	cp /usr/sbin/sockstat-nl "$1/"
	echo "$2" >"$1/VERSION"
	for k in $(kernels); do
		mkdir -p "$1/$k"
		cp /lib/modules/"$k"/updates/dkms/sockstat.ko* "$1/$k/" 2>/dev/null || continue
		guest_tree "$1/$k/installed" "$k" "$(ls "$1/$k"/sockstat.ko* | head -n 1)" &&
			guest_tree "$1/$k/purged" "$k" || echo "# $k: the guest's module trees could not be made"
	done
}

inside() {
	deb=$1 updeb=$2 version=$3 up=$4
	arch=$(dpkg --print-architecture)
	before=/tmp/files.before after=/tmp/files.after
	ks=$(echo $(kernels))
	echo "1..10"
	files >"$before"
	check "$(. /etc/os-release && echo "$PRETTY_NAME"), kernels with headers: ${ks:-none}" [ -n "$ks" ]
	check "apt-get install ./sockstat-dkms_${version}_all.deb ./sockstat-nl_${version}_$arch.deb" \
		quiet apt_install "$deb/sockstat-dkms_${version}_all.deb" "$deb/sockstat-nl_${version}_$arch.deb"
	check "DKMS built and installed sockstat $version for $ks; modprobe finds it by $alias (or it has the alias)" \
		installed_for "$version"
	check "sockstat-nl -V is $version; man page, completion, lab programs, systemd units (not enabled)" \
		eval 'cli_is "$version" && nl_files'
	[ -z "${5:-}" ] || export_installed "$5" "$version"
	check "apt-get install of $up (the upgrade)" \
		quiet apt_install "$updeb/sockstat-dkms_${up}_all.deb" "$updeb/sockstat-nl_${up}_$arch.deb"
	check "DKMS built and installed sockstat $up for $ks; modprobe finds it by $alias (or it has the alias)" \
		installed_for "$up"
	check "only /usr/src/sockstat-$up and DKMS's sockstat/$up are left of the two versions" \
		only_source_of "$up"
	check "sockstat-nl -V is $up" cli_is "$up"
	# --autoremove: also the libraries apt installed for sockstat-nl.
	check "apt-get purge --autoremove sockstat-nl sockstat-dkms" \
		quiet env DEBIAN_FRONTEND=noninteractive apt-get purge --autoremove -y -q sockstat-nl sockstat-dkms
	check "after the purge: no package, no DKMS state, no file of ours, nothing naming sockstat" purged
}

if [ "${1:-}" = --inside ]; then
	shift
	inside "$@"
else
	host "$@"
fi
