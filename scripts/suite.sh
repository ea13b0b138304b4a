#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Other Debian suites than the host's, for the kernels that need their own
# toolchain (trixie-backports' 7.x needs trixie's gcc-14 and libc), without
# touching the host's apt configuration.
#
#   suite.sh uri [security]          the archive URI the host's apt sources
#                                    use (the one for -security with
#                                    "security")
#   suite.sh apt-get SUITE ARG...    apt-get on SUITE, with a private state
#   suite.sh apt-cache SUITE ARG...  under build/apt/SUITE (its sources: SUITE,
#                                    -updates, -backports, -security, on the
#                                    host's archive URIs); "update" once first
#   suite.sh chroot SUITE [PKG...]   make build/chroot/SUITE with mmdebstrap
#                                    (once), then install PKGs in it
#   suite.sh run SUITE CMD [ARG...]  run CMD in build/chroot/SUITE, in the
#                                    current directory, with the repository
#                                    bind-mounted at the path it has here
#   suite.sh try SUITE CMD [ARG...]  the same in a writable overlay of
#                                    build/chroot/SUITE, thrown away when CMD
#                                    ends (nothing it installs stays)
#   suite.sh has SUITE               exit 0 if build/chroot/SUITE is complete
#
# SUITE is a Debian code name: bookworm (the host's own, for tests that
# install packages: selftests/deb_test.sh), trixie, bullseye.  Only Debian's archive is
# used, through the URIs of the host's /etc/apt/sources.list.d/*.sources
# (or sources.list).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
over=		# run: the overlay's directory (try), or none

die() { echo "suite.sh: $*" >&2; exit 1; }

# The URI of the host's Debian archive (or its security archive): the first
# source whose suites include the host's code name (or its -security).
uri() { # [security]
	host=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[ -n "$host" ] || die "no VERSION_CODENAME in /etc/os-release"
	want=$host
	[ "${1:-}" = security ] && want=$host-security
	u=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk -v want="$want" '
		function flush() {
			if (uris != "" && (" " suites " ") ~ (" " want " ") && found == "") {
				split(uris, a, " "); found = a[1]
			}
			uris = ""; suites = ""
		}
		/^[ \t]*$/ { flush(); next }
		/^URIs:/ { sub(/^URIs:[ \t]*/, ""); uris = $0 }
		/^Suites:/ { sub(/^Suites:[ \t]*/, ""); suites = $0 }
		END { flush(); print found }')
	if [ -z "$u" ]; then
		u=$(cat /etc/apt/sources.list 2>/dev/null | awk -v want="$want" '
			$1 == "deb" {
				i = 2
				if ($i ~ /^\[/) while ($i !~ /\]$/) i++
				if ($i ~ /^\[/ || $i ~ /\]$/) i++
				if ($(i + 1) == want) { print $i; exit }
			}')
	fi
	[ -n "$u" ] || die "no apt source for $want in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list"
	echo "$u"
}

# The sources.list of SUITE, on the host's archive URIs.
sources() { # SUITE
	main=$(uri)
	sec=$(uri security)
	case $1 in
	bookworm) echo "deb $main bookworm main"
		echo "deb $main bookworm-updates main"
		echo "deb $sec bookworm-security main" ;;
	trixie) echo "deb $main trixie main"
		echo "deb $main trixie-updates main"
		echo "deb $main trixie-backports main"
		echo "deb $sec trixie-security main" ;;
	bullseye) echo "deb $main bullseye main"
		echo "deb $main bullseye-updates main"
		echo "deb $sec bullseye-security main" ;;
	*) die "unknown suite '$1' (bookworm, trixie, bullseye)" ;;
	esac
}

# apt with a private state directory: the host's apt configuration,
# lists and package status are not touched (nor read: no package counts
# as installed).
aptdir() { # SUITE
	d=$top/build/apt/$1
	if [ ! -f "$d/sources.list" ]; then
		mkdir -p "$d/lists/partial" "$d/cache/archives/partial"
		sources "$1" >"$d/sources.list.tmp"
		mv "$d/sources.list.tmp" "$d/sources.list"
	fi
	echo "$d"
}

private_apt() { # apt-get|apt-cache SUITE ARG...
	tool=$1 suite=$2
	shift 2
	d=$(aptdir "$suite")
	"$tool" -o Dir::Etc::sourcelist="$d/sources.list" -o Dir::Etc::sourceparts=- \
		-o Dir::State::Lists="$d/lists" -o Dir::Cache="$d/cache" \
		-o Dir::State::status=/dev/null -o APT::Get::List-Cleanup=false "$@"
}

root_of() { echo "$top/build/chroot/$1"; }

has() { [ -f "$(root_of "$1")/.done" ]; }

chroot_make() { # SUITE [PKG...]
	suite=$1
	shift
	root=$(root_of "$suite")
	if ! has "$suite"; then
		[ "$(id -u)" = 0 ] || die "making the $suite chroot needs root"
		command -v mmdebstrap >/dev/null || die "mmdebstrap not found: apt-get install mmdebstrap (scripts/install-deps.sh installs it)"
		rm -rf "$root"
		mkdir -p "$(dirname "$root")"
		d=$(aptdir "$suite")
		# --variant=apt: apt and its dependencies; the compiler, make and
		# kmod (depmod, for make install) are what a module build needs.
		mmdebstrap --quiet --variant=apt --include=build-essential,make,kmod,ca-certificates \
			"$suite" "$root" "$d/sources.list"
		touch "$root/.done"
	fi
	[ $# = 0 ] && return 0
	# Packages already there cost a dpkg-query each, not an apt run.
	missing=
	for p in "$@"; do
		dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'ok installed' || missing="$missing $p"
	done
	[ -n "$missing" ] || return 0
	run "$suite" sh -c 'apt-get update -q >/dev/null &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null' \
		sh $missing
}

# CMD in the chroot, in a mount namespace of its own (nothing stays
# mounted when it ends): the repository at the path it has here, /proc,
# /dev, and the host's resolv.conf for apt.
run() { # SUITE CMD [ARG...]
	suite=$1
	shift
	root=$(root_of "$suite")
	has "$suite" || die "no $suite chroot at $root (scripts/install-deps.sh makes it)"
	[ "$(id -u)" = 0 ] || die "running in the $suite chroot needs root"
	dir=$(pwd)
	case $dir in
	"$top"|"$top"/*) ;;
	*) dir=$top ;;
	esac
	mkdir -p "$root$top"
	unshare --mount --propagation private sh -c '
		root=$1 top=$2 dir=$3 over=$4
		shift 4
		if [ -n "$over" ]; then
			mkdir -p "$over/upper" "$over/work" "$over/root" &&
			mount -t overlay overlay -o "lowerdir=$root,upperdir=$over/upper,workdir=$over/work" \
				"$over/root" || exit 125
			root=$over/root
		fi
		mount --bind "$top" "$root$top" &&
		mount -t proc proc "$root/proc" &&
		mount --rbind /dev "$root/dev" &&
		mount -t tmpfs tmp "$root/tmp" || exit 125
		[ -f /etc/resolv.conf ] && cp /etc/resolv.conf "$root/etc/resolv.conf"
		cd "$root$dir" || exit 125
		exec chroot "$root" sh -c "cd \"\$0\" && exec \"\$@\"" "$dir" "$@"
	' sh "$root" "$top" "$dir" "$over" "$@"
}

# run, in an overlay whose upper layer is a directory under build/ that
# is removed afterwards.
try() { # SUITE CMD [ARG...]
	has "$1" || die "no $1 chroot at $(root_of "$1") (scripts/install-deps.sh makes it)"
	mkdir -p "$top/build/try"
	t=$(mktemp -d "$top/build/try/$1.XXXXXX")
	st=0
	over=$t
	run "$@" || st=$?
	rm -rf "$t"
	return $st
}

case "${1:-}" in
uri) uri "${2:-}" ;;
apt-get|apt-cache) [ $# -ge 2 ] || die "usage: $0 $1 SUITE ARG..."; private_apt "$@" ;;
chroot) [ $# -ge 2 ] || die "usage: $0 chroot SUITE [PACKAGE...]"; shift; chroot_make "$@" ;;
run) [ $# -ge 3 ] || die "usage: $0 run SUITE COMMAND [ARG...]"; shift; run "$@" ;;
try) [ $# -ge 3 ] || die "usage: $0 try SUITE COMMAND [ARG...]"; shift; try "$@" ;;
has) [ $# = 2 ] || die "usage: $0 has SUITE"; has "$2" ;;
*) echo "usage: $0 uri [security] | apt-get SUITE ARG... | apt-cache SUITE ARG... |" >&2
   echo "       chroot SUITE [PACKAGE...] | run SUITE COMMAND [ARG...] | try SUITE COMMAND [ARG...] | has SUITE" >&2
   exit 2 ;;
esac
