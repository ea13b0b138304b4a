#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lab-demo [-c DIR] [SCENARIO...]: the course's lab scenarios, one step at
# a time (Documentation/lab.rst walks through them).
#
# Each scenario starts lab programs with -p, lets them go from one pause to
# the next (kill -USR1), and at each step shows the sockets concerned with
# sockstat-nl and says in one sentence what changed.  The sockstat module
# must be loaded; run as root.
#
# Scenarios, in order: epoll fork unix-dgram unix-stream socketpair
# connect backlog udp unread (default: all).
# -c DIR: also write each step's command and output to DIR/SCENARIO.STEP.txt
#         (make lab-doc; selftests/lab_doc_test.sh compares them with
#         Documentation/lab/), and its picture: the scenario's sockets
#         drawn by sockstat-nl graph (SCENARIO.STEP.dot), the same with
#         what changed since the previous step highlighted (.hl.dot, by
#         lab-graph-diff.awk), the changes it found (.found), those the
#         step says it makes (.changes), its sentence (.say); DIR/index
#         lists the scenarios and steps in order (scripts/lab-html.sh).
set -eu

all="epoll fork unix-dgram unix-stream socketpair connect backlog udp unread"
usage() {
	echo "usage: lab-demo [-c DIR] [SCENARIO...]   scenarios: $all" >&2
	exit 2
}
capdir=
while getopts c:h opt; do
	case $opt in
	c) capdir=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- $all
for s; do
	case " $all " in
	*" $s "*) ;;
	*) echo "lab-demo: no scenario \"$s\"" >&2; usage ;;
	esac
done

# The lab programs are next to this script (build/lab).
here=$(cd "$(dirname "$0")" && pwd)
PATH=$here:$PATH
command -v sockstat-nl >/dev/null || { echo "lab-demo: sockstat-nl is not on PATH (make cli; build/bin)" >&2; exit 1; }
sockstat-nl -s >/dev/null || exit 1	# it says why (module not loaded?)
[ -z "$capdir" ] || { mkdir -p "$capdir" && : >"$capdir/index"; }

# Everything on one CPU: each CPU hands out socket inode numbers from a
# batch of its own, so only then do inode numbers (the order sockstat-nl
# lists sockets in) follow the order the sockets were made.
taskset -p 1 $$ >/dev/null 2>&1 || true

tmp=$(mktemp -d /tmp/lab-demo.XXXXXX)
log=$tmp/log		# the lines of every program of a scenario, as they come
used=$tmp/used		# line numbers (in $log) of the pauses already resumed
scenario= shown=0 started=
gf= prevdot=		# the scenario's graph filter; the last picture drawn with it
if [ -t 1 ]; then
	bold=$(printf '\033[1m') dim=$(printf '\033[2m') off=$(printf '\033[0m')
else
	bold= dim= off=
fi

# The program lines not shown yet, indented.
flush_log() {
	_total=$(wc -l <"$log")
	[ "$_total" -gt "$shown" ] || return 0
	printf '%s' "$dim"
	sed -n "$((shown + 1)),${_total}p" "$log" | sed 's/^/  /'
	printf '%s' "$off"
	shown=$_total
}

# finish: stop the scenario's programs (children too: every pid in the log).
finish() {
	_pids="$started $(awk '{sub(/]$/, "", $2); if ($2 ~ /^[0-9]+$/) print $2}' "$log" 2>/dev/null)"
	for _p in $_pids; do
		kill "$_p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	flush_log
	: >"$log"
	echo 0 >"$used"
	shown=0 started=
}
trap 'finish; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# begin NAME TITLE GRAPH-FILTER
begin() {
	finish
	scenario=$1 gf=$3 prevdot=
	printf '\n%s==== %s%s\n' "$bold" "$2" "$off"
	[ -z "$capdir" ] || printf 'scenario %s %s\n' "$1" "$2" >>"$capdir/index"
}

# graph_filter ARGS: the sockstat-nl filter the next pictures are drawn with.
graph_filter() {
	gf=$1 prevdot=
}

# run VAR PROGRAM [ARG...]: start PROGRAM -p in the background, its pid in $VAR.
run() {
	_var=$1 _prog=$2
	shift 2
	"$_prog" -p "$@" </dev/null >>"$log" 2>&1 &
	eval "$_var=\$!"
	started="$started $!"
}

# find_pause WHO STEP: "LINE PID" of the first pause at STEP not resumed yet
# of WHO (a pid, or a program name).
find_pause() {
	awk -v who="$1" -v step="$2" '
		FNR == NR { used[$1] = 1; next }
		$3 == "PAUSE" && $4 == step && !used[FNR] {
			name = substr($1, 2); pid = $2; sub(/]$/, "", pid)
			if (who == pid || who == name) { print FNR, pid; exit }
		}' "$used" "$log"
}

# await WHO STEP: until WHO pauses at STEP (30 s at most).
await() {
	_tries=0
	while [ -z "$(find_pause "$1" "$2")" ]; do
		_tries=$((_tries + 1))
		if [ $_tries -gt 600 ]; then
			flush_log
			echo "lab-demo: $scenario: $1 did not pause at \"$2\" within 30 s" >&2
			exit 1
		fi
		sleep 0.05
	done
}

# resume WHO STEP: let WHO go on from its pause at STEP.
resume() {
	await "$1" "$2"
	set -- $(find_pause "$1" "$2")
	echo "$1" >>"$used"
	kill -USR1 "$2"
}

# until_lines N CMD...: until CMD prints N lines (20 s at most).
until_lines() {
	_want=$1 _tries=0
	shift
	while [ "$("$@" 2>/dev/null | wc -l)" -ne "$_want" ]; do
		_tries=$((_tries + 1))
		[ $_tries -le 400 ] || { echo "lab-demo: $scenario: \"$*\" never printed $_want lines" >&2; exit 1; }
		sleep 0.05
	done
}

# until_seen TEXT CMD...: until the output of CMD has TEXT (20 s at most).
until_seen() {
	_text=$1 _tries=0
	shift
	until "$@" 2>/dev/null | grep -q -- "$_text"; do
		_tries=$((_tries + 1))
		[ $_tries -le 400 ] || { echo "lab-demo: $scenario: \"$*\" never showed \"$_text\"" >&2; exit 1; }
		sleep 0.05
	done
}

# inode_of FILTER...: the inode of the first socket sockstat-nl lists.
inode_of() {
	sockstat-nl -H "$@" | awk '{print $5; exit}'
}

# step NAME COMMAND SENTENCE CHANGES: the programs' new lines, COMMAND
# and its output, then what changed.  -c: COMMAND and its output go to
# $capdir/SCENARIO.NAME.txt, and the step's picture is drawn (see -c);
# CHANGES is what the picture changes since the previous step, in
# lab-graph-diff.awk's words, ", " between two ("first picture": the scenario's
# first picture; "": nothing).
step() {
	_name=$1
	shift
	# Let what the last resume set off finish (a delayed ACK, a wake-up).
	sleep 0.2
	flush_log
	_out=$(eval "$1" 2>&1) || true
	printf '%s$ %s%s\n%s\n' "$bold" "$1" "$off" "$_out"
	printf '%s-> %s%s\n\n' "$bold" "$2" "$off"
	[ -n "$capdir" ] || return 0
	printf '$ %s\n%s\n' "$1" "$_out" >"$capdir/$scenario.$_name.txt"
	_base=$capdir/$scenario.$_name
	printf 'step %s %s\n' "$scenario" "$_name" >>"$capdir/index"
	printf '%s\n' "$2" >"$_base.say"
	printf '%s\n' "$3" | sed 's/, /\n/g' | sed '/^$/d' | sort >"$_base.changes"
	# shellcheck disable=SC2086 # the filter is words
	sockstat-nl graph $gf >"$_base.dot" 2>"$_base.err" || { cat "$_base.err" >&2; exit 1; }
	rm -f "$_base.err"
	if [ -n "$prevdot" ]; then
		awk -v changes="$_base.found" -f "$here/lab-graph-diff.awk" "$prevdot" "$_base.dot" >"$_base.hl.dot"
	else
		cp "$_base.dot" "$_base.hl.dot"
		echo "first picture" >"$_base.found"
	fi
	prevdot=$_base.dot
}

scenario_epoll() {
	begin epoll "1. The epoll server: a non-blocking listener and its connections in one epoll set" "-P 5000"
	run srv epoll-server
	await "$srv" listening
	step listener "sockstat-nl -P 5000" \
		"The listener: sk_state LISTEN, but socket->state still SS_UNCONNECTED: listen() changes only the struct sock." \
		"first picture"
	lino=$(inode_of -l -P 5000)
	step listener-file "sockstat-nl show $lino | grep -E 'f_flags|sock->state|ack_backlog|f_ep'" \
		"Its file is O_NONBLOCK, its backlog 5 with no connection waiting, and one epoll instance watches it." \
		""
	resume "$srv" listening

	run a tcp-client
	await "$a" connected
	await "$srv" pending
	step before-accept "sockstat-nl -P 5000" \
		"Client A is connected (ESTABLISHED, SS_CONNECTED) before the server called accept(): the server's end has no struct socket and no descriptor yet, so no line." \
		"+ process tcp-client, + fd tcp-client 3, + file, + socket, + sock, + sock, + accept-queue, + peer, ~ sock accept-queue 0/5 -> 1/5"
	step accept-queue "sockstat-nl show $lino | grep ack_backlog" \
		"The server's end waits in the listener's accept queue: sk_ack_backlog is 1." \
		""
	step proc-tcp "awk '/:1388 / {print \$2, \$3, \$4, \$10}' /proc/net/tcp | sort" \
		"/proc/net/tcp reads TCP's own tables and does list the server's end (local port 1388 hex = 5000, st 01 ESTABLISHED): with inode 0, as it has no socket file yet." \
		""
	resume "$srv" pending
	await "$srv" accepted
	step accepted "sockstat-nl -P 5000" \
		"accept() gave the connection a struct socket (a new inode) and descriptor 5 in the server; it starts SS_CONNECTED." \
		"+ fd epoll-server 5, + file, + socket, - accept-queue, ~ sock accept-queue 1/5 -> 0/5"
	cino=$(inode_of -c -C epoll-server -P 5000)
	step accepted-file "sockstat-nl show $cino | grep -E 'f_flags|f_ep'" \
		"The accepted socket is non-blocking too, and in the server's epoll set (EPOLLIN | EPOLLET)." \
		""
	resume "$srv" accepted

	run b tcp-client
	await "$b" connected
	resume "$srv" pending
	await "$srv" accepted
	step two-clients "sockstat-nl -P 5000" \
		"A second client: one listener, two accepted sockets, two clients; five sockets held by three processes." \
		"+ process tcp-client, + fd tcp-client 3, + fd epoll-server 6, + file, + file, + socket, + socket, + sock, + sock, + peer"
	step proc-module "grep -E '^inode|:5000 ' /proc/net/sockstat_sockets" \
		"The module's /proc file has the same sockets as text: numbers for family, type, protocol and both states, owners as pid:fd:flags:uid:command." \
		""
	resume "$srv" accepted

	resume "$a" connected
	await "$srv" request
	step request "sockstat-nl -P 5000" \
		"Client A sent its pid: the 4 bytes wait unread in the receive queue of the server's socket, and A sleeps in read() for the answer." \
		"~ sock recv-q 0 -> 4"
	resume "$srv" request
	resume "$a" answered
	await "$srv" closing
	step close-wait "sockstat-nl -P 5000" \
		"A closed its socket and exited: no descriptor holds it, so it is gone from the table. The server's end is CLOSE_WAIT and still SS_CONNECTED (socket->state does not follow the peer's close); its RECV-Q of 1 is A's FIN, which takes a sequence number until read() returns 0." \
		"- process tcp-client, - fd tcp-client 3, - file, - socket, - sock, - peer, ~ sock sk_state ESTABLISHED -> CLOSE_WAIT, ~ sock recv-q 4 -> 1, ~ sock sk_shutdown - -> 1"
	resume "$srv" closing

	resume "$b" connected
	resume "$srv" request
	resume "$b" answered
	resume "$srv" closing
	until_lines 1 sockstat-nl -H -P 5000
	step served "sockstat-nl -P 5000" \
		"Both clients are served and gone; the listener waits for the next." \
		"- fd epoll-server 5, - fd epoll-server 6, - fd tcp-client 3, - process tcp-client, - file, - file, - file, - socket, - socket, - socket, - sock, - sock, - sock, - peer"
}

scenario_fork() {
	begin fork "2. The fork-per-client server: one socket, two owners" "-P 5001"
	run srv fork-server
	resume "$srv" listening
	lino=$(inode_of -l -P 5001)
	until_seen "sleeping tasks) *1$" sockstat-nl show "$lino"
	step in-accept "sockstat-nl show $lino | grep -E 'sk_state|sleeping'" \
		"The server sleeps in accept(): one task on the listener's wait queue." \
		"first picture"
	run c tcp-client 5001
	await "$c" connected
	await "$srv" accepted
	step accepted "sockstat-nl -P 5001" \
		"accept() returned descriptor 4: the parent holds the listener and the connection." \
		"+ process tcp-client, + fd tcp-client 3, + fd fork-server 4, + file, + file, + socket, + socket, + sock, + sock, + peer"
	resume "$srv" accepted
	await "$srv" forked
	step forked "sockstat-nl -P 5001" \
		"After fork() the child's descriptor table is a copy of the parent's: each socket has two owners, one struct socket and two processes (the same inode on two lines)." \
		"+ process fork-server, + fd fork-server 3, + fd fork-server 4, ~ file f_count 1 -> 2, ~ file f_count 1 -> 2"
	resume "$srv" forked
	await "$srv" parent-closed
	step parent-closed "sockstat-nl -P 5001" \
		"The parent closed its copy of the connection: the socket stays open, the child's descriptor holds it." \
		"- fd fork-server 4, ~ file f_count 2 -> 1"
	resume "$srv" parent-closed
	await fork-server child-closed
	step child-closed "sockstat-nl -P 5001" \
		"The child closed its copy of the listener: each process now holds what it needs, and the parent is back in accept()." \
		"- fd fork-server 3, ~ file f_count 2 -> 1"
	resume fork-server child-closed
	resume "$c" connected
	resume fork-server answered
	resume "$c" answered
}

scenario_unix_dgram() {
	begin unix-dgram "3. AF_UNIX datagram echo: addresses, no connection" "-f unix"
	run srv unix-dgram-srv
	await "$srv" bound
	run c unix-dgram-cli
	await "$c" bound
	step bound "sockstat-nl -f unix" \
		"Two datagram sockets bound to paths, neither connected: SS_UNCONNECTED, sk_state CLOSE, no peer." \
		"first picture"
	resume "$c" bound
	await "$c" sent
	step queued "sockstat-nl -f unix" \
		"The client's datagram (its pid, 4 bytes) waits in the server's receive queue; the sender's SEND-Q stays 0: AF_UNIX puts the data straight on the receiver's queue." \
		"~ sock recv-q 0 -> 4"
	resume "$srv" bound
	resume "$c" sent
	resume "$c" answered
	resume "$srv" echoed
	until_lines 1 sockstat-nl -H -f unix

	run d unix-dgram-cli -c
	resume "$d" bound
	await "$d" connected
	step connected "sockstat-nl -f unix" \
		"A client that called connect(): the peer is recorded, sk_state is ESTABLISHED on both ends (the server's too), and socket->state is still SS_UNCONNECTED on both." \
		"- process unix-dgram-cli, - fd unix-dgram-cli 3, - file, - socket, - sock, + process unix-dgram-cli, + fd unix-dgram-cli 3, + file, + socket, + sock, + peer, ~ sock sk_state CLOSE -> ESTABLISHED, ~ sock recv-q 4 -> 0"
	step proc-unix "awk 'NR == 1 || /lab-dgram/ {print \$5, \$6, \$7, \$8}' /proc/net/unix | sort -k3n" \
		"/proc/net/unix says St 03 (SS_CONNECTED) for both: unix_seq_show() derives St from sk_state; it never reads socket->state." \
		""
	resume "$d" connected
	resume "$srv" echoed
	resume "$d" sent
	resume "$d" answered
}

scenario_unix_stream() {
	begin unix-stream "4a. AF_UNIX stream: connected before accept()" "-f unix"
	run srv unix-stream-srv
	await "$srv" listening
	run c unix-stream-cli
	await "$c" connected
	step before-accept "sockstat-nl -f unix" \
		"The client is connected (SS_CONNECTED) while the server has not called accept(): the server's end waits on the listener's queue without a struct socket, so the client has no peer inode to show yet." \
		"first picture"
	resume "$srv" listening
	await "$srv" accepted
	step accepted "sockstat-nl -f unix" \
		"accept() gave the server's end its socket and inode: now the two ends name each other as PEER. The accepted socket shows the listener's path; the client's own socket is unnamed (*)." \
		"+ fd unix-stream-srv 4, + file, + socket, - accept-queue, ~ sock accept-queue 1/5 -> 0/5, ~ peer mutual no -> yes"
	resume "$srv" accepted
	resume "$c" connected
	resume "$c" answered
	await "$srv" closing
	step peer-closed "sockstat-nl -f unix" \
		"The client has closed: AF_UNIX has no FIN and no CLOSE_WAIT, the server's end stays ESTABLISHED and SS_CONNECTED, with no peer inode left to show." \
		"- process unix-stream-cli, - fd unix-stream-cli 3, - file, - socket, - sock, - peer, ~ sock sk_shutdown - -> 3"
	cino=$(inode_of -c -f unix)
	step shutdown "sockstat-nl show $cino | grep -E 'sk_state|sk_shutdown'" \
		"What changed is sk_shutdown: 3, both directions shut, set by the client's close(); read() returns 0 from now on." \
		""
	resume "$srv" closing
}

scenario_socketpair() {
	begin socketpair "4b. socketpair(): connected from birth, full duplex" "-f unix"
	run p socketpair
	await "$p" created
	step created "sockstat-nl -f unix" \
		"socketpair() made two sockets, SS_CONNECTED from the start, each the other's peer, both in one process." \
		"first picture"
	resume "$p" created
	await "$p" both-wrote
	step both-wrote "sockstat-nl -f unix" \
		"After fork() each process kept one end and wrote its pid to the other: both ends hold 4 unread bytes at once, two queues, one per direction. The child's end has f_count 2 for one descriptor: the child sleeps in poll() on it, and poll() holds a reference to each file it waits on." \
		"+ process socketpair, + fd socketpair 4, - fd socketpair 4, ~ sock recv-q 0 -> 4, ~ sock recv-q 0 -> 4, ~ file f_count 1 -> 2"
	resume "$p" both-wrote
}

scenario_connect() {
	begin connect "5a. connect() to a port with no listener" ""
	run c tcp-client 5009
	graph_filter "-p $c"
	await "$c" refused
	step refused "sockstat-nl -p $c" \
		"The SYN to port 5009 was answered with a RST at once: connect() failed with ECONNREFUSED, and the socket is back to SS_UNCONNECTED and CLOSE, ready for another connect(). tcp_disconnect() cleared its address and the peer's port, and moved write_seq on by 2, which the derived SEND-Q shows as 3 with the SYN." \
		"first picture"
	resume "$c" refused

	run n tcp-client -n 5009
	graph_filter "-p $n"
	await "$n" handshake-done
	ino=$(inode_of -p "$n")
	step nb-refused "sockstat-nl show $ino | grep -E 'sock->state|sk_state|sk_err'" \
		"Without blocking: the RST has come (sk_state CLOSE, sk_err 111 = ECONNREFUSED, waiting to be reported), and socket->state is still SS_CONNECTING." \
		"first picture"
	resume "$n" handshake-done
	await "$n" so-error
	step so-error "sockstat-nl show $ino | grep -E 'sock->state|sk_state|sk_err'" \
		"getsockopt(SO_ERROR) reported ECONNREFUSED and cleared sk_err; socket->state did not move." \
		"~ sock sk_err 111 -> -"
	resume "$n" so-error
	await "$n" refused
	step again "sockstat-nl show $ino | grep -E 'sock->state|sk_state|sk_err'" \
		"connect() again finds the connection closed and no error left: it fails with ECONNABORTED, and only now is socket->state SS_UNCONNECTED. On the way tcp_disconnect() cleared sk_shutdown and moved write_seq on by 2, as in 5a's first step: SEND-Q 3." \
		"~ socket state SS_CONNECTING -> SS_UNCONNECTED, ~ sock send-q 1 -> 3, ~ sock sk_shutdown 3 -> -"
	resume "$n" refused
}

scenario_backlog() {
	begin backlog "5b. A full backlog: listen(fd, 0) and nobody calls accept()" "-P 5002"
	run srv backlog-server
	await "$srv" listening
	run n tcp-client -n 5002
	await "$n" handshake-done
	step handshake-done "sockstat-nl -P 5002" \
		"A non-blocking connect(): the handshake is over (sk_state ESTABLISHED), yet socket->state is still SS_CONNECTING, until the program calls connect() again." \
		"first picture"
	resume "$n" handshake-done
	await "$n" so-error
	step so-error "sockstat-nl -p $n" \
		"getsockopt(SO_ERROR) returned 0 and changed nothing." \
		""
	resume "$n" so-error
	await "$n" connected
	step connected "sockstat-nl -p $n" \
		"connect() again returned 0, and set SS_CONNECTED; the client made its file blocking again (O_NONBLOCK off in f_flags)." \
		"~ socket state SS_CONNECTING -> SS_CONNECTED, ~ file f_flags O_RDWR|O_NONBLOCK -> O_RDWR"
	lino=$(inode_of -l -P 5002)
	run w tcp-client 5002
	until_seen SYN_SENT sockstat-nl -p "$w"
	step syn-sent "sockstat-nl -P 5002" \
		"The next client's SYN was dropped: the listener's queue is full. It waits in SYN_SENT and SS_CONNECTING, asleep in connect(); its SEND-Q of 1 is the SYN, which it sends again after 1, 2, 4... s." \
		"+ process tcp-client, + fd tcp-client 3, + file, + socket, + sock"
	step accept-queue "sockstat-nl show $lino | grep ack_backlog" \
		"listen(fd, 0) still took one connection: the accept queue holds backlog + 1 before it is full." \
		""
}

scenario_udp() {
	begin udp "6. UDP: connect() gives a datagram socket a peer, with no handshake" ""
	run u udp-connected
	graph_filter "-p $u"
	await "$u" created
	step created "sockstat-nl -p $u" \
		"Two UDP sockets: the server bound to 127.0.0.1:5003, the client not bound at all." \
		"first picture"
	resume "$u" created
	await "$u" connected
	step connected "sockstat-nl -p $u" \
		"connect() picked a local port for the client and recorded the peer: sk_state ESTABLISHED, socket->state still SS_UNCONNECTED, and no packet was sent (the server's queue is empty)." \
		"~ sock sk_state CLOSE -> ESTABLISHED, + peer"
	resume "$u" connected
	await "$u" sent
	step sent "sockstat-nl -p $u" \
		"send() needed no address: the datagram, 4 bytes, waits in the server's receive queue." \
		"~ sock recv-q 0 -> 4"
	resume "$u" sent
	resume "$u" answered
}

scenario_unread() {
	begin unread "7. Unread data piles up in the receive queue" ""
	run r unread
	graph_filter "-p $r"
	await "$r" connected
	step connected "sockstat-nl -p $r" \
		"A writer and a reader, the two ends of one TCP connection in one process; nothing written yet." \
		"first picture"
	resume "$r" connected
	for k in 1 2 3; do
		await "$r" wrote-$k
		step wrote-$k "sockstat-nl -p $r" \
			"Byte $k written and not read: the reader's RECV-Q is $k." \
			"~ sock recv-q $((k - 1)) -> $k"
		resume "$r" wrote-$k
	done
	await "$r" peeked
	step peeked "sockstat-nl -p $r" \
		"recv(MSG_PEEK) copied the bytes out and left them queued: still 3." \
		""
	resume "$r" peeked
	await "$r" read-1
	step read-1 "sockstat-nl -p $r" \
		"read() of one byte took it off the queue: 2 left." \
		"~ sock recv-q 3 -> 2"
	resume "$r" read-1
	await "$r" drained
	step drained "sockstat-nl -p $r" \
		"read() took the rest: the queue is empty." \
		"~ sock recv-q 2 -> 0"
	resume "$r" drained
}

: >"$log"
echo 0 >"$used"
for s; do
	case $s in
	epoll) scenario_epoll ;;
	fork) scenario_fork ;;
	unix-dgram) scenario_unix_dgram ;;
	unix-stream) scenario_unix_stream ;;
	socketpair) scenario_socketpair ;;
	connect) scenario_connect ;;
	backlog) scenario_backlog ;;
	udp) scenario_udp ;;
	unread) scenario_unread ;;
	esac
done
finish
