#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lab-events [-c DIR]: faster than a poll (Documentation/lab.rst, "Faster
# than a poll").  A non-blocking tcp-client connects to the epoll-server,
# sends its pid, reads the answer and closes: a few milliseconds.  Three
# observers run meanwhile: "sockstat-nl monitor" (the module's events),
# "sockstat-nl watch" (the events, and a dump every 5 s) and
# "sockstat-nl watch --poll" (a dump every 5 s, nothing else).  Their
# outputs are printed one after the other; the first two have the client's
# whole life, SS_CONNECTING included, the third has nothing of it.
#
# Runs in a network namespace of its own (unshare -n), so that only the
# lab's sockets are there.  The sockstat module must be loaded; as root.
# -c DIR: also write each observer's output to DIR/events.monitor.txt,
# events.watch.txt and events.poll.txt (selftests/lab_events_test.sh).
# -i SECONDS: the watchers' interval (5); a slow or busy machine needs
# more, for the scenario to fit between two dumps (the test takes 15).
set -eu

capdir='' iv=5
while getopts c:i:h opt; do
	case $opt in
	c) capdir=$OPTARG ;;
	i) iv=$OPTARG ;;
	*) echo "usage: lab-events [-c DIR] [-i SECONDS]" >&2; exit 2 ;;
	esac
done
case $iv in
''|*[!0-9]*|0) echo "lab-events: -i takes whole seconds, 1 or more" >&2; exit 2 ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
PATH=$here:$PATH
if [ -z "${LAB_EVENTS_NETNS:-}" ]; then
	LAB_EVENTS_NETNS=1 exec unshare -n "$0" "$@"
fi
command -v sockstat-nl >/dev/null || { echo "lab-events: sockstat-nl is not on PATH (make cli; build/bin)" >&2; exit 1; }
sockstat-nl -s >/dev/null || exit 1	# it says why (module not loaded?)
ip link set lo up
# One CPU: inode numbers then follow the order the sockets were made.
taskset -p 1 $$ >/dev/null 2>&1 || true

tmp=$(mktemp -d /tmp/lab-events.XXXXXX)
pids=
cleanup() {
	# shellcheck disable=SC2086
	[ -z "$pids" ] || kill $pids 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# until FILE TEXT: wait (10 s at most) for TEXT in FILE.
until_in() {
	_i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		_i=$((_i + 1))
		[ $_i -le 100 ] || { echo "lab-events: no \"$2\" in $1" >&2; exit 1; }
		sleep 0.1
	done
}

# ms_of_day [HH:MM:SS.mmm]: milliseconds since midnight of the time given
# (a watch line's stamp), or of now.
ms_of_day() {
	if [ $# -gt 0 ]; then
		echo "$1" | awk -F '[:.]' '{ print (($1 * 60 + $2) * 60 + $3) * 1000 + $4 }'
	else
		date +'%H %M %S %N' | awk '{ print (($1 * 60 + $2) * 60 + $3) * 1000 + int($4 / 1000000) }'
	fi
}

# One run of the scenario; false if it did not end half a second before
# the earlier watcher's next dump (then a dump may have caught it, and the
# run proves nothing).
attempt() {
	rm -f "$tmp/monitor" "$tmp/watch" "$tmp/poll" "$tmp/server" "$tmp/client"
	sockstat-nl -f inet monitor >"$tmp/monitor" 2>&1 &
	pids="$pids $!"
	sockstat-nl -f inet -i "$iv" watch >"$tmp/watch" 2>&1 &
	pids="$pids $!"
	sockstat-nl -f inet -i "$iv" --poll watch >"$tmp/poll" 2>&1 &
	pids="$pids $!"
	until_in "$tmp/monitor" "monitoring"
	until_in "$tmp/watch" "watching"
	until_in "$tmp/poll" "watching"
	# Each watcher's next dump comes $iv s after the stamp of its first
	# line: the scenario must be over before the earlier of the two.
	t0=$(ms_of_day "$(awk '{ print $1; exit }' "$tmp/watch")")
	t1=$(ms_of_day "$(awk '{ print $1; exit }' "$tmp/poll")")
	[ "$t1" -ge "$t0" ] || t0=$t1

	epoll-server >"$tmp/server" 2>&1 &
	srv=$!
	pids="$pids $srv"
	until_in "$tmp/server" "listening"
	tcp-client -n >"$tmp/client" 2>&1
	kill "$srv"
	wait "$srv" 2>/dev/null || true
	took=$(( $(ms_of_day) - t0 ))
	[ "$took" -ge 0 ] || took=$((took + 86400000))
	# The watchers' next dump (at most $iv s away), then a moment to print.
	sleep $((iv + 1))
	# shellcheck disable=SC2086
	kill $pids 2>/dev/null || true
	wait 2>/dev/null || true
	pids=
	[ "$took" -lt $((iv * 1000 - 500)) ]
}

# A machine too busy for that gets two more tries; then the capture is
# printed anyway, with a warning.
try=1
while ! attempt; do
	echo "lab-events: server and client were done $took ms after a watcher's first dump, too close to its next one ($iv s)" >&2
	[ $try -lt 3 ] || { echo "lab-events: the watchers' dumps may show them: this machine is too slow or too busy just now" >&2; break; }
	try=$((try + 1))
	echo "lab-events: again (try $try of 3)" >&2
done

for o in monitor watch poll; do
	case $o in
	monitor) echo "\$ sockstat-nl -f inet monitor" ;;
	watch) echo "\$ sockstat-nl -f inet -i $iv watch" ;;
	poll) echo "\$ sockstat-nl -f inet -i $iv --poll watch" ;;
	esac
	cat "$tmp/$o"
	echo
	[ -z "$capdir" ] || cp "$tmp/$o" "$capdir/events.$o.txt"
done
echo "The programs said:"
sed 's/^/  /' "$tmp/server" "$tmp/client"
