#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make install, make uninstall and DKMS, on the host (TAP on stdout).
#
#   install_test.sh [REL...]              make install into the unpacked
#       image of each kernel, build/kernels/REL/root (selftests/vm/kernels.sh
#       fetch), and check the result.  The install stays: the guest
#       bind-mounts that tree's lib/modules onto /lib/modules, and
#       selftests/install_guest_test.sh runs modprobe against it there.
#   install_test.sh --uninstall [REL...]  make uninstall from those trees,
#       and check that nothing of ours is left.
#   install_test.sh --dkms [REL...]       make dkms-add, dkms build and
#       dkms install for each REL into this machine's /lib/modules/REL
#       (never loaded: none is the running kernel), make dkms-remove.
#       Needs root and Debian's dkms package; writes /usr/src/sockstat-*,
#       /var/lib/dkms/sockstat and /lib/modules/REL/updates/dkms, and
#       removes them (dkms's own signing key, /var/lib/dkms/mok.key, which
#       its first build makes, stays).
#
# Without REL: every kernel of selftests/vm/kernels.sh list.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

mode=install
case ${1:-} in
--uninstall) mode=uninstall; shift ;;
--dkms) mode=dkms; shift ;;
-*) echo "usage: $0 [--uninstall | --dkms] [RELEASE...]" >&2; exit 2 ;;
esac
# shellcheck disable=SC2046 # one release a line, no blanks in them
[ $# -gt 0 ] || set -- $(selftests/vm/kernels.sh list)
version=$(cat VERSION)
log=$(mktemp)
trap 'rm -f "$log"' EXIT

n=0
pass() { n=$((n + 1)); echo "ok $n $1"; }
fail() { n=$((n + 1)); echo "not ok $n $1"; }
skip() { n=$((n + 1)); echo "ok $n $1 # SKIP $2"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
# check NAME COMMAND...: one result, COMMAND's status.
check() {
	name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}
# quiet COMMAND...: run it with its output in $log; show the log (as TAP
# comments) only when it fails.
quiet() {
	if "$@" >"$log" 2>&1; then
		return 0
	fi
	diag "$* failed:"
	tail -n 30 "$log" | sed 's/^/#   /'
	return 1
}
now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }
mode_of() { stat -c %a "$1" 2>/dev/null; }

# --- make install into build/kernels/REL/root --------------------------
installed_ko() { # REL ROOT
	f=$2/lib/modules/$1/updates/sockstat.ko
	cmp -s "$f" "build/mod/$1/sockstat.ko" && [ "$(mode_of "$f")" = 644 ]
}

# field_is FIELD EXPECTED MODINFO-ARGS...: modinfo's FIELD is EXPECTED
# (vermagic: begins with EXPECTED and a blank).
field_is() {
	field=$1 want=$2
	shift 2
	got=$(modinfo -F "$field" "$@" 2>&1) || got="modinfo failed: $got"
	case $field:$got in
	"vermagic:$want "*) return 0 ;;
	vermagic:*) ;;
	"$field:$want") return 0 ;;
	esac
	diag "modinfo $*: $field is '$got', not '$want'"
	return 1
}

modinfo_ok() { # REL ROOT
	field_is filename "$2/lib/modules/$1/updates/sockstat.ko" -b "$2" -k "$1" sockstat &&
		field_is version "$version" -b "$2" -k "$1" sockstat &&
		field_is vermagic "$1" -b "$2" -k "$1" sockstat
}

installed_cli() { # ROOT
	f=$1/usr/local/sbin/sockstat-nl
	[ "$(mode_of "$f")" = 755 ] || { diag "$f: missing or mode $(mode_of "$f")"; return 1; }
	got=$("$f" -V 2>&1 | head -n 1) || true
	[ "$got" = "sockstat-nl $version" ] || { diag "$f -V: $got"; return 1; }
}

# The bash completion (mode 644, defines the function it registers) and
# the lab programs (755, lab-graph-diff.awk 644).
installed_extras() { # ROOT
	f=$1/usr/local/share/bash-completion/completions/sockstat-nl
	[ "$(mode_of "$f")" = 644 ] && grep -q '^complete -F _sockstat_nl sockstat-nl$' "$f" ||
		{ diag "$f: missing, mode $(mode_of "$f"), or no complete line"; return 1; }
	for p in epoll-server tcp-client lab-demo; do
		f=$1/usr/local/lib/sockstat/lab/$p
		[ "$(mode_of "$f")" = 755 ] || { diag "$f: missing or mode $(mode_of "$f")"; return 1; }
	done
	# Read by awk -f: data, not a program (lintian wants it so).
	f=$1/usr/local/lib/sockstat/lab/lab-graph-diff.awk
	[ "$(mode_of "$f")" = 644 ] || { diag "$f: missing or mode $(mode_of "$f")"; return 1; }
}

installed_man() { # ROOT
	f=$1/usr/local/share/man/man8/sockstat-nl.8
	[ "$(mode_of "$f")" = 644 ] && grep -q '^\.TH "SOCKSTAT-NL" 8' "$f"
}

make_install() { # REL ROOT
	quiet selftests/vm/kernels.sh fetch "$1" &&
		quiet make -s install DESTDIR="$2" KVER="$1"
}

do_install() {
	echo "1..$(($# * 7))"
	for rel in "$@"; do
		root=$top/build/kernels/$rel/root
		check "$rel: make install DESTDIR=build/kernels/$rel/root KVER=$rel" \
			make_install "$rel" "$root"
		check "$rel: lib/modules/$rel/updates/sockstat.ko is the module built for $rel, mode 644" \
			installed_ko "$rel" "$root"
		check "$rel: modules.dep lists updates/sockstat.ko" \
			grep -q '^updates/sockstat\.ko:' "$root/lib/modules/$rel/modules.dep"
		check "$rel: modinfo finds sockstat $version for $rel in updates/" \
			modinfo_ok "$rel" "$root"
		check "$rel: usr/local/sbin/sockstat-nl, mode 755, is version $version" \
			installed_cli "$root"
		check "$rel: usr/local/share/man/man8/sockstat-nl.8, mode 644, is a man page" \
			installed_man "$root"
		check "$rel: usr/local/share/bash-completion/completions/sockstat-nl (644), usr/local/lib/sockstat/lab (755; its awk script 644)" \
			installed_extras "$root"
	done
}

# --- make uninstall ------------------------------------------------------
none_left() { # REL ROOT
	left=""
	for f in "$2/lib/modules/$1/updates/sockstat.ko" "$2/usr/local/sbin/sockstat-nl" \
		"$2/usr/local/share/man/man8/sockstat-nl.8" \
		"$2/usr/local/share/bash-completion/completions/sockstat-nl" \
		"$2/usr/local/lib/sockstat"; do
		[ ! -e "$f" ] || left="$left $f"
	done
	[ -z "$left" ] || { diag "still there:$left"; return 1; }
}

not_in_depmod() { # REL ROOT
	! grep -q sockstat "$2/lib/modules/$1/modules.dep" &&
		! modinfo -b "$2" -k "$1" sockstat >/dev/null 2>&1
}

do_uninstall() {
	echo "1..$(($# * 3))"
	for rel in "$@"; do
		root=$top/build/kernels/$rel/root
		check "$rel: make uninstall DESTDIR=build/kernels/$rel/root KVER=$rel" \
			quiet make -s uninstall DESTDIR="$root" KVER="$rel"
		check "$rel: the module, sockstat-nl, the man page, the completion and the lab are gone" \
			none_left "$rel" "$root"
		check "$rel: modules.dep no longer lists sockstat" \
			not_in_depmod "$rel" "$root"
	done
}

# --- DKMS, on this machine's /lib/modules --------------------------------
# The module dkms installed for REL: sockstat.ko, compressed (.ko.xz, ...)
# when the kernel's own modules in /lib/modules/REL are.
dkms_ko() { # REL
	for f in /lib/modules/"$1"/updates/dkms/sockstat.ko*; do
		[ -e "$f" ] && echo "$f" && return 0
	done
	return 1
}

dkms_status() { # REL
	dkms status -m sockstat -v "$version" -k "$1" 2>/dev/null
}

dkms_built() { # REL
	t0=$(now)
	quiet dkms build -m sockstat -v "$version" -k "$1" || {
		[ -f "/var/lib/dkms/sockstat/$version/build/make.log" ] &&
			tail -n 30 "/var/lib/dkms/sockstat/$version/build/make.log" | sed 's/^/#   /'
		return 1
	}
	diag "dkms build sockstat/$version for $1: $(secs "$t0" "$(now)") s"
}

dkms_installed() { # REL
	st=$(dkms_status "$1")
	case $st in
	*": installed"*) ;;
	*) diag "dkms status: ${st:-(nothing)}"; return 1 ;;
	esac
}

dkms_file_ok() { # REL
	f=$(dkms_ko "$1") || { diag "no /lib/modules/$1/updates/dkms/sockstat.ko*"; return 1; }
	diag "dkms installed $f"
	field_is version "$version" "$f" && field_is vermagic "$1" "$f" || return 1
	# Only the headers of REL here (a chroot of its suite): its modules are
	# not installed, there is no modules.dep, and dkms runs no depmod.
	if [ ! -d "/lib/modules/$1/kernel" ] && [ ! -e "/lib/modules/$1/modules.dep" ]; then
		diag "/lib/modules/$1 has no modules (headers only): no modules.dep to look at"
		return 0
	fi
	grep -q '^updates/dkms/sockstat\.ko[^:]*:' "/lib/modules/$1/modules.dep" ||
		{ diag "/lib/modules/$1/modules.dep does not list updates/dkms/sockstat.ko*"; return 1; }
}

dkms_gone() { # REL
	! dkms_ko "$1" >/dev/null &&
		! grep -qs sockstat "/lib/modules/$1/modules.dep" &&
		[ -z "$(dkms_status "$1")" ]
}

dkms_removed() {
	quiet make -s dkms-remove &&
		[ -z "$(dkms status sockstat/"$version" 2>/dev/null)" ] &&
		[ ! -e "/usr/src/sockstat-$version" ]
}

do_dkms() {
	why=""
	if [ "$(id -u)" != 0 ]; then
		why="not root"
	elif ! command -v dkms >/dev/null; then
		why="dkms is not installed (apt-get install dkms)"
	elif [ -n "$(dkms status sockstat/"$version" 2>/dev/null)" ]; then
		why="sockstat/$version is in dkms already (yours?): not touching it"
	fi
	if [ -n "$why" ]; then
		echo "1..1"
		skip "dkms" "$why"
		return 0
	fi

	echo "1..$(($# * 5 + 2))"
	check "make dkms-add (/usr/src/sockstat-$version, dkms add)" quiet make -s dkms-add
	for rel in "$@"; do
		if [ ! -e "/lib/modules/$rel/build/include" ]; then
			for t in build install status file; do
				skip "$rel: dkms $t" "no headers for $rel in /lib/modules/$rel/build"
			done
			continue
		fi
		check "$rel: dkms build sockstat/$version" dkms_built "$rel"
		check "$rel: dkms install sockstat/$version" \
			quiet dkms install -m sockstat -v "$version" -k "$rel"
		check "$rel: dkms status says installed" dkms_installed "$rel"
		check "$rel: /lib/modules/$rel/updates/dkms/sockstat.ko* is $version for $rel, in modules.dep" \
			dkms_file_ok "$rel"
	done
	check "make dkms-remove (dkms remove --all, /usr/src/sockstat-$version)" dkms_removed
	for rel in "$@"; do
		check "$rel: after dkms-remove no sockstat in /lib/modules/$rel or dkms status" \
			dkms_gone "$rel"
	done
}

"do_$mode" "$@"
