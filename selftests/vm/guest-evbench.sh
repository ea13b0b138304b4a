#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench-events, inside the guest (selftests/vm/evbench.sh boots it):
# what the live events cost (build/bench/evbench loops: the module not
# loaded, loaded with nobody subscribed, loaded with one subscriber, in
# the same run, round after round), how many events a subscriber keeps up
# with and what is lost beyond (evbench burst), how often the probed
# functions run per iteration (ftrace's function profiler), and where the
# time goes (perf; SOCKSTAT_BENCH_PERF=0: not).  Everything
# goes to the console and /tmp/out/evbench.txt.
#
# SOCKSTAT_BENCH_ROUNDS (default 5), SOCKSTAT_BENCH_TCP_N (1000),
# SOCKSTAT_BENCH_PAIR_N (5000), SOCKSTAT_BENCH_RATES (events/s; 0: as
# fast as the generators go), SOCKSTAT_BENCH_SECONDS (2, per rate);
# SOCKSTAT_BENCH_KO_B: a second build of the module (a path in the
# repository) whose conditions follow the first's in each round;
# SOCKSTAT_BENCH_LOOPS_ONLY=1: the loops' table only;
# SOCKSTAT_BENCH_BURSTS=0: everything but the bursts.
set -eu
bin=build/bench/evbench
out=/tmp/out/evbench.txt
rounds=${SOCKSTAT_BENCH_ROUNDS:-5}
tcp_n=${SOCKSTAT_BENCH_TCP_N:-1000}
pair_n=${SOCKSTAT_BENCH_PAIR_N:-5000}
rates=${SOCKSTAT_BENCH_RATES:-2000 5000 10000 20000 40000 0}
secs=${SOCKSTAT_BENCH_SECONDS:-2}
: >"$out"

say() {
	echo "$*" | tee -a "$out"
}

# debugfs: the loops count the probes listed in each armed condition.
mount -t debugfs none /sys/kernel/debug 2>/dev/null || true
mount -t tracefs none /sys/kernel/tracing 2>/dev/null || true

# Enough ports for the TIME_WAITs the TCP loop leaves behind.
sysctl -qw net.ipv4.ip_local_port_range="1024 65535"
sysctl -qw net.ipv4.tcp_tw_reuse=1

say "=== $(uname -r): evbench, $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
say "    clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"

"$bin" loops -k "$SOCKSTAT_KO" ${SOCKSTAT_BENCH_KO_B:+-K "$SOCKSTAT_BENCH_KO_B"} \
	-r "$rounds" -n "$tcp_n" -m "$pair_n" | tee -a "$out"

[ "${SOCKSTAT_BENCH_LOOPS_ONLY:-0}" = 0 ] || exit 0

# The probes as the kernel lists them while somebody subscribes
# ([FTRACE]: an ftrace call, not an int3 trap), and how often each probed
# function runs in an iteration of each loop (the tracepoint's count is
# the sk events' in the table above).
tr=/sys/kernel/tracing
insmod "$SOCKSTAT_KO"
say
say "=== $(uname -r): the probes while one subscriber listens"
"$bin" one pair 1 sub >/dev/null &
sub=$!
sleep 1
grep -E 'security_socket_post_create|do_accept|__sys_connect_file|__sys_listen|__sys_shutdown|sock_release|tcp_v[46]_connect' \
	/sys/kernel/debug/kprobes/list 2>/dev/null | tee -a "$out" || say "    (no kprobes list)"
wait $sub || true
if [ -w $tr/function_profile_enabled ]; then
	fns="security_socket_post_create do_accept __sys_connect_file __sys_listen __sys_shutdown sock_release __sock_release tcp_v4_connect tcp_v6_connect"
	say
	say "=== $(uname -r): calls of the probed functions per iteration (ftrace function profile, nobody subscribed)"
	for loop in tcp pair; do
		n=$tcp_n
		[ $loop = tcp ] || n=$pair_n
		# One at a time: a name the kernel has not (inlined) fails alone.
		echo >$tr/set_ftrace_filter
		for f in $fns; do
			echo "$f" >>$tr/set_ftrace_filter 2>/dev/null || true
		done
		grep -qv '^#' $tr/set_ftrace_filter || { say "    (none of them can be traced)"; break; }
		echo 0 >$tr/function_profile_enabled
		echo 1 >$tr/function_profile_enabled
		"$bin" one $loop "$n" >/dev/null
		echo 0 >$tr/function_profile_enabled
		cat $tr/trace_stat/function* 2>/dev/null |
			awk -v loop=$loop -v n="$n" '$2 ~ /^[0-9]+$/ && $1 != "Function" { hits[$1] += $2 }
				END { line = loop ":"; for (f in hits) line = line sprintf(" %s=%.2f", f, hits[f] / n); print line }' |
			tee -a "$out"
	done
	echo >$tr/set_ftrace_filter
else
	say "    (no function profiler in this kernel)"
fi
# Where the time goes: every CPU, sampled (cpu-clock), during the TCP
# loop with nobody subscribed, armed (the probes installed by a monitor
# in a namespace of its own, started before the recording so that the
# profile shows the steady state, not ftrace patching the probes in), and
# with one subscriber besides.
perf=$(command -v perf || true)
if [ -n "$perf" ] && [ "${SOCKSTAT_BENCH_PERF:-1}" = 1 ]; then
	holder=
	for what in idle armed sub; do
		arg=
		[ $what != sub ] || arg=sub
		if [ $what = armed ]; then
			unshare -n build/bin/sockstat-nl monitor >/dev/null 2>&1 &
			holder=$!
			sleep 2
			say
			say "=== $(uname -r): kprobes listed with the monitor of another namespace: $(grep -c . /sys/kernel/debug/kprobes/list 2>/dev/null)"
		fi
		say
		say "=== $(uname -r): perf (cpu-clock, all CPUs), the tcp loop, $what: the top symbols"
		# shellcheck disable=SC2086 # arg: nothing or one word
		"$perf" record -q -a -o /tmp/perf.data -- "$bin" one tcp "$tcp_n" $arg 2>/dev/null | tee -a "$out"
		"$perf" report -i /tmp/perf.data --stdio --sort dso,sym 2>/dev/null |
			grep -v '^#' | grep -v '^$' | head -n 45 | tee -a "$out"
		cp /tmp/perf.data "/tmp/out/perf-tcp-$what.data" 2>/dev/null || true
	done
	[ -z "$holder" ] || { kill "$holder"; wait "$holder" 2>/dev/null || true; }
fi
rmmod sockstat
[ "${SOCKSTAT_BENCH_BURSTS:-1}" = 1 ] || exit 0

say
say "=== $(uname -r): bursts of socketpair()/close(), 4 events each; rates in events/s (0: unpaced)"
# shellcheck disable=SC2086 # one word per rate
{
	"$bin" burst -k "$SOCKSTAT_KO" -t "$secs" $rates
	"$bin" burst -k "$SOCKSTAT_KO" -t "$secs" -P 2 0
	"$bin" burst -k "$SOCKSTAT_KO" -t "$secs" -b 8388608 $rates
	"$bin" burst -k "$SOCKSTAT_KO" -t "$secs" -s 1000 2000 5000 0
	"$bin" burst -k "$SOCKSTAT_KO" -t "$secs" -p event_ring=16 5000 0
	"$bin" burst -k "$SOCKSTAT_KO" -t "$secs" -p event_ring=65536 -b 8388608 0
} 2>&1 | tee -a "$out"
