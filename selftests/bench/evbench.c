// SPDX-License-Identifier: GPL-2.0
/*
 * evbench: what the live events (SOCKSTAT_CMD_SUBSCRIBE) cost the
 * processes that make sockets, and how many a subscriber keeps up with.
 * Raw netlink, no library.  Run as root in a guest: it loads and unloads
 * the module itself (finit_module(), delete_module()), so that every
 * condition is measured in the same run.
 *
 * evbench loops -k KO [-K KO_B] [-r ROUNDS] [-n TCP_N] [-m PAIR_N]
 *	Two loops, each timed over N iterations: "tcp" (socket(), a blocking
 *	connect() to a listener on 127.0.0.1, accept(), close() of both) and
 *	"pair" (socketpair(AF_UNIX, SOCK_STREAM), close() of both).  Each
 *	round runs them in these conditions, in this order:
 *	  nomod   the module not loaded
 *	  spin    not loaded, a process spinning on CPU 1 (a control: what
 *	          a busy second CPU alone does to the loop; under TCG both
 *	          vCPUs share host time)
 *	  floor   loaded with event_probes_only=1, one subscriber (on CPU 1):
 *	          every probe installed, each handler returning at once and
 *	          no event made (what the probes alone cost: no handler can
 *	          cost less; its subscriber must receive nothing)
 *	  idle    loaded, nobody subscribed
 *	  armed   loaded, one subscriber in another network namespace (on
 *	          CPU 1): the probes and the ring work, no message is built
 *	  sub     loaded, one subscriber on CPU 1 reading as fast as it can
 *	  sub1    the same, the subscriber on the loop's CPU 0 (the whole
 *	          cost on one CPU)
 *	With -K, idle.b, sub.b and sub1.b follow: the same with the module
 *	KO_B (another build, to compare a change in the same run).
 *	The loop runs on CPU 0.  Prints one "run" line per round and
 *	condition, then per loop the medians (us per iteration), the ratios
 *	to nomod, and what the subscriber received per iteration.
 *
 * evbench burst -k KO [-p PARAMS] [-b RCVBUF] [-s SLOW_US] [-t SECONDS]
 *		[-P PROCS] RATE...
 *	Loads the module with PARAMS (e.g. "event_ring=16"), subscribes one
 *	reader (unpinned; SO_RCVBUFFORCE RCVBUF if given; sleeping SLOW_US
 *	after each recv() if given), then for each RATE (events per second,
 *	0: as fast as PROCS processes go) runs PROCS processes of paced
 *	socketpair()/close() (4 events each) for SECONDS.  Prints per rate
 *	the events made (per second of the burst) and received (per second
 *	from the first to the last that came), and what was lost: made but
 *	not received, of which the ring dropped (the LOST events' counter),
 *	the probes missed, and the ENOBUFS errors the reader got (each a
 *	receive buffer's worth lost).
 *
 * evbench one tcp|pair N [sub]
 *	One loop of N iterations on CPU 0 as things are (the module loaded
 *	or not), with a subscriber on CPU 1 if "sub": for profiles.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sockstat.h>

#include "rawnl.h"

#define MAX_ROUNDS	32

static const char *ko_path, *ko_b_path;

static void die(const char *what)
{
	fprintf(stderr, "evbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

static void unpin(void)
{
	cpu_set_t set;
	int i;

	CPU_ZERO(&set);
	for (i = 0; i < CPU_SETSIZE; i++)
		CPU_SET(i, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* --- the module --------------------------------------------------------- */

static void mod_load(const char *path, const char *params)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		die(path);
	if (syscall(SYS_finit_module, fd, params ? params : "", 0))
		die("finit_module");
	close(fd);
}

static void mod_unload(void)
{
	int i;

	/* The last subscriber's leaving disarms in a work item: it may be busy. */
	for (i = 0; i < 200; i++) {
		if (!syscall(SYS_delete_module, "sockstat", O_NONBLOCK))
			return;
		if (errno == ENOENT)
			return;
		if (errno != EAGAIN && errno != EBUSY && errno != EWOULDBLOCK)
			die("delete_module");
		usleep(50000);
	}
	die("delete_module (still busy after 10 s)");
}

static int mod_loaded(void)
{
	return access("/sys/module/sockstat", F_OK) == 0;
}

/* --- netlink ------------------------------------------------------------ */

struct nl {
	int fd;
	uint16_t family;
	uint32_t seq;
};

static void nl_request(struct nl *nl, uint16_t type, uint8_t cmd, uint16_t flags,
		       uint16_t atype, const void *data, uint16_t len)
{
	if (rawnl_request(nl->fd, ++nl->seq, type, cmd, flags, atype, data, len) < 0)
		die("send");
}

#define nl_attr rawnl_attr

static uint64_t nl_u64(const struct nlmsghdr *n, uint16_t type)
{
	const struct nlattr *a = nl_attr(n, type);
	uint64_t v = 0;

	if (a && a->nla_len >= NLA_HDRLEN + 8)
		memcpy(&v, (const char *)a + NLA_HDRLEN, 8);
	return v;
}

static uint8_t nl_u8(const struct nlmsghdr *n, uint16_t type)
{
	const struct nlattr *a = nl_attr(n, type);

	return a ? *((const uint8_t *)a + NLA_HDRLEN) : 0;
}

static void nl_open(struct nl *nl, int rcvbuf)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	static char reply[4096];

	memset(nl, 0, sizeof(*nl));
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl->fd < 0)
		die("socket(AF_NETLINK)");
	if (rcvbuf && setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		die("SO_RCVBUFFORCE");
	if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("bind(AF_NETLINK)");
	nl->family = rawnl_family(nl->fd, ++nl->seq, reply, sizeof(reply));
	if (!nl->family)
		die("the sockstat family (is the module loaded?)");
}

/* --- the subscriber ----------------------------------------------------- */

struct counts {
	uint64_t events;	/* events received (not LOST) */
	uint64_t lost_msgs;	/* LOST events received */
	uint64_t gaps;		/* numbers missing between the subscription and the last event */
	uint64_t enobufs;	/* recv() failed with ENOBUFS */
	uint64_t first_seq, last_seq;
	uint64_t dropped0, missed0;	/* the counters at SUBSCRIBE */
	uint64_t dropped, missed;	/* the last LOST's */
	double t_first, t_last;	/* when the first and last event came */
	uint64_t kinds[SOCKSTAT_EVENT_KIND_LOST];	/* events by kind */
	int subscribed;		/* the SUBSCRIBE reply came */
};

struct reader {
	pid_t pid;
	int stop_w;		/* write a byte: finish when idle */
	int result_r;		/* struct counts */
};

/*
 * Count the events in @buf, and take the SUBSCRIBE reply (request @seq)
 * when it comes: events may come before it (the module sends to a
 * subscriber as soon as it is on the list, the reply right after).
 */
static void count_msgs(struct counts *c, const char *buf, ssize_t len, uint32_t seq)
{
	const struct nlmsghdr *n;

	for (n = (const struct nlmsghdr *)buf; NLMSG_OK(n, len); n = NLMSG_NEXT(n, len)) {
		const struct genlmsghdr *g = NLMSG_DATA(n);
		uint8_t kind;

		if (n->nlmsg_type == NLMSG_ERROR && n->nlmsg_seq == seq) {
			const struct nlmsgerr *e = NLMSG_DATA(n);

			if (e->error) {
				errno = -e->error;
				die("SUBSCRIBE");
			}
			continue;
		}
		if (n->nlmsg_type < NLMSG_MIN_TYPE)
			continue;
		if (g->cmd == SOCKSTAT_CMD_SUBSCRIBE && n->nlmsg_seq == seq) {
			c->first_seq = nl_u64(n, SOCKSTAT_A_EVENT_SEQ);
			c->dropped0 = nl_u64(n, SOCKSTAT_A_EVENT_DROPPED);
			c->missed0 = nl_u64(n, SOCKSTAT_A_EVENT_MISSED);
			if (!c->lost_msgs) {
				c->dropped = c->dropped0;
				c->missed = c->missed0;
			}
			if (c->last_seq < c->first_seq)
				c->last_seq = c->first_seq;
			c->subscribed = 1;
			continue;
		}
		if (g->cmd != SOCKSTAT_CMD_EVENT)
			continue;
		kind = nl_u8(n, SOCKSTAT_A_EVENT_KIND);
		if (kind == SOCKSTAT_EVENT_KIND_LOST) {
			/* Its SEQ is the namespace's count then, not an event's. */
			c->lost_msgs++;
			c->dropped = nl_u64(n, SOCKSTAT_A_EVENT_DROPPED);
			c->missed = nl_u64(n, SOCKSTAT_A_EVENT_MISSED);
			continue;
		}
		if (kind < SOCKSTAT_EVENT_KIND_LOST)
			c->kinds[kind]++;
		if (nl_u64(n, SOCKSTAT_A_EVENT_SEQ) > c->last_seq)
			c->last_seq = nl_u64(n, SOCKSTAT_A_EVENT_SEQ);
		c->events++;
	}
}

/*
 * Fork a subscriber (on @cpu, or any with -1) that reads until told to
 * stop and then until nothing came for @idle_ms; returns once it has
 * subscribed.
 */
static int reader_netns;

static void reader_start(struct reader *r, int cpu, int rcvbuf, int slow_us, int idle_ms)
{
	int ready[2], stop[2], result[2];
	char b;

	if (pipe(ready) || pipe(stop) || pipe(result))
		die("pipe");
	r->pid = fork();
	if (r->pid < 0)
		die("fork");
	if (!r->pid) {
		static char buf[65536];
		struct counts c = { 0 };
		struct nl nl;
		int stopping = 0;

		close(ready[0]);
		close(stop[1]);
		close(result[0]);
		/* In a namespace of its own: the probes armed, no event its. */
		if (reader_netns && unshare(CLONE_NEWNET))
			die("unshare(CLONE_NEWNET)");
		if (cpu >= 0)
			pin(cpu);
		else
			unpin();
		nl_open(&nl, rcvbuf);
		nl_request(&nl, nl.family, SOCKSTAT_CMD_SUBSCRIBE, 0, 0, NULL, 0);
		while (!c.subscribed) {
			ssize_t len = recv(nl.fd, buf, sizeof(buf), 0);

			if (len < 0 && errno == ENOBUFS)
				c.enobufs++;
			else if (len < 0 && errno != EINTR)
				die("recv (SUBSCRIBE)");
			else if (len > 0)
				count_msgs(&c, buf, len, nl.seq);
		}
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		for (;;) {
			struct pollfd p[2] = {
				{ .fd = nl.fd, .events = POLLIN },
				{ .fd = stop[0], .events = POLLIN },
			};
			int k = poll(p, stopping ? 1 : 2, stopping ? idle_ms : -1);
			ssize_t len;

			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0)
				_exit(1);
			if (stopping && !k)
				break;
			if (!stopping && (p[1].revents & (POLLIN | POLLHUP))) {
				stopping = 1;
				continue;
			}
			if (!(p[0].revents & (POLLIN | POLLERR)))
				continue;
			len = recv(nl.fd, buf, sizeof(buf), MSG_DONTWAIT);
			if (len < 0) {
				if (errno == ENOBUFS)
					c.enobufs++;
				else if (errno != EAGAIN && errno != EINTR)
					_exit(1);
				continue;
			}
			if (!c.events)
				c.t_first = now_s();
			count_msgs(&c, buf, len, nl.seq);
			c.t_last = now_s();
			if (slow_us)
				usleep(slow_us);
		}
		/* Every number after the subscription that did not come. */
		if (c.last_seq > c.first_seq + c.events)
			c.gaps = c.last_seq - c.first_seq - c.events;
		if (write(result[1], &c, sizeof(c)) != sizeof(c))
			_exit(1);
		_exit(0);
	}
	close(ready[1]);
	close(stop[0]);
	close(result[1]);
	if (read(ready[0], &b, 1) != 1) {
		fprintf(stderr, "evbench: the subscriber failed\n");
		exit(1);
	}
	close(ready[0]);
	r->stop_w = stop[1];
	r->result_r = result[0];
}

static void reader_stop(struct reader *r, struct counts *c)
{
	int st;

	close(r->stop_w);
	if (read(r->result_r, c, sizeof(*c)) != sizeof(*c)) {
		fprintf(stderr, "evbench: no counts from the subscriber\n");
		exit(1);
	}
	close(r->result_r);
	waitpid(r->pid, &st, 0);
}

/* --- the loops ---------------------------------------------------------- */

static int tcp_listener(struct sockaddr_in *sa)
{
	socklen_t len = sizeof(*sa);
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket(listener)");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)sa, sizeof(*sa)) || listen(fd, 128) ||
	    getsockname(fd, (struct sockaddr *)sa, &len))
		die("listener");
	return fd;
}

/* Seconds per iteration of socket(), connect(), accept(), close() x 2. */
static double tcp_loop(long n)
{
	struct sockaddr_in sa;
	int lfd = tcp_listener(&sa);
	double t0, t;
	long i;

	t0 = now_s();
	for (i = 0; i < n; i++) {
		int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int a;

		if (c < 0)
			die("socket");
		if (connect(c, (struct sockaddr *)&sa, sizeof(sa)))
			die("connect");
		a = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (a < 0)
			die("accept");
		close(c);
		close(a);
	}
	t = now_s() - t0;
	close(lfd);
	return t / n;
}

static void pair_once(void)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		die("socketpair");
	close(sv[0]);
	close(sv[1]);
}

static double pair_loop(long n)
{
	double t0 = now_s();
	long i;

	for (i = 0; i < n; i++)
		pair_once();
	return (now_s() - t0) / n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
	double s[MAX_ROUNDS];

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

enum {
	C_NOMOD, C_SPIN, C_FLOOR, C_IDLE, C_ARMED, C_SUB, C_SUB1,
	C_IDLE_B, C_ARMED_B, C_SUB_B, C_SUB1_B, NCOND
};
static const char *const cond_name[NCOND] = {
	"nomod", "spin", "floor", "idle", "armed", "sub", "sub1",
	"idle.b", "armed.b", "sub.b", "sub1.b"
};
enum { L_TCP, L_PAIR, NLOOP };
static const char *const loop_name[NLOOP] = { "tcp", "pair" };

struct cell {
	double us[MAX_ROUNDS];	/* per iteration */
	double ev[MAX_ROUNDS];	/* events received per iteration */
	uint64_t lost[MAX_ROUNDS];	/* gaps + missed */
};

static struct cell cells[NLOOP][NCOND];

static const char *const kind_name[SOCKSTAT_EVENT_KIND_LOST] = {
	[SOCKSTAT_EVENT_KIND_CREATED] = "created",
	[SOCKSTAT_EVENT_KIND_SS_STATE] = "ss",
	[SOCKSTAT_EVENT_KIND_SK_STATE] = "sk",
	[SOCKSTAT_EVENT_KIND_SHUTDOWN] = "shutdown",
	[SOCKSTAT_EVENT_KIND_RELEASED] = "released",
};

/* The rest of a "run" line: what the subscriber got, per iteration by kind. */
static void print_counts(const struct counts *k, long n)
{
	int i;

	printf(" events=%llu gaps=%llu dropped=%llu missed=%llu enobufs=%llu",
	       (unsigned long long)k->events, (unsigned long long)k->gaps,
	       (unsigned long long)(k->dropped - k->dropped0),
	       (unsigned long long)(k->missed - k->missed0), (unsigned long long)k->enobufs);
	for (i = 1; i < SOCKSTAT_EVENT_KIND_LOST; i++)
		printf(" %s/iter=%.2f", kind_name[i], (double)k->kinds[i] / n);
	printf("\n");
}

/* Probes in /sys/kernel/debug/kprobes/list (-1: not readable). */
static int kprobes_listed(void)
{
	FILE *f = fopen("/sys/kernel/debug/kprobes/list", "r");
	int c, n = 0;

	if (!f)
		return -1;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static void run_cond(int cond, int round, long tcp_n, long pair_n)
{
	long ns[NLOOP] = { tcp_n, pair_n };
	int armed = cond == C_ARMED || cond == C_ARMED_B;
	/* floor's subscriber in this namespace: no event may reach it. */
	int sub = armed || cond == C_FLOOR || cond == C_SUB || cond == C_SUB1 || cond == C_SUB_B || cond == C_SUB1_B;
	struct reader r;
	pid_t spinner = 0;
	int l, probes = -1;

	for (l = 0; l < NLOOP; l++) {
		struct cell *c = &cells[l][cond];
		struct counts k = { 0 };
		double t;

		if (cond == C_SPIN) {
			spinner = fork();
			if (spinner < 0)
				die("fork");
			if (!spinner) {
				pin(1);
				for (;;)
					;
			}
		}
		reader_netns = armed;
		if (sub) {
			reader_start(&r, cond == C_SUB1 || cond == C_SUB1_B ? 0 : 1, 0, 0, 500);
			probes = kprobes_listed();
		}
		/*
		 * A tenth first, untimed: under TCG the code the probes
		 * patched is translated again on its first runs.
		 */
		if (l == L_TCP)
			tcp_loop(ns[l] / 10 + 1);
		else
			pair_loop(ns[l] / 10 + 1);
		t = l == L_TCP ? tcp_loop(ns[l]) : pair_loop(ns[l]);
		if (sub)
			reader_stop(&r, &k);
		if (spinner) {
			kill(spinner, SIGKILL);
			waitpid(spinner, NULL, 0);
			spinner = 0;
		}
		c->us[round] = t * 1e6;
		/* The subscriber saw the untimed tenth's too. */
		c->ev[round] = (double)k.events / (ns[l] + ns[l] / 10 + 1);
		/* Dropped events are gaps; missed ones never got a number. */
		c->lost[round] = k.gaps + (k.missed - k.missed0);
		printf("run %s %s round=%d us=%.3f kprobes=%d", loop_name[l], cond_name[cond],
		       round + 1, c->us[round], probes);
		print_counts(&k, ns[l] + ns[l] / 10 + 1);
	}
}

static int cmd_loops(int rounds, long tcp_n, long pair_n)
{
	int ncond = ko_b_path ? NCOND : C_SUB1 + 1;
	int round, l, c;

	if (mod_loaded())
		mod_unload();
	pin(0);
	/* A warm-up of each loop: page cache, slabs, the first TIME_WAITs. */
	tcp_loop(tcp_n / 4 + 1);
	pair_loop(pair_n / 4 + 1);
	for (round = 0; round < rounds; round++) {
		run_cond(C_NOMOD, round, tcp_n, pair_n);
		run_cond(C_SPIN, round, tcp_n, pair_n);
		mod_load(ko_path, "event_probes_only=1");
		run_cond(C_FLOOR, round, tcp_n, pair_n);
		mod_unload();
		mod_load(ko_path, NULL);
		run_cond(C_IDLE, round, tcp_n, pair_n);
		run_cond(C_ARMED, round, tcp_n, pair_n);
		run_cond(C_SUB, round, tcp_n, pair_n);
		run_cond(C_SUB1, round, tcp_n, pair_n);
		mod_unload();
		if (!ko_b_path)
			continue;
		mod_load(ko_b_path, NULL);
		run_cond(C_IDLE_B, round, tcp_n, pair_n);
		run_cond(C_ARMED_B, round, tcp_n, pair_n);
		run_cond(C_SUB_B, round, tcp_n, pair_n);
		run_cond(C_SUB1_B, round, tcp_n, pair_n);
		mod_unload();
	}
	if (ko_b_path)
		printf("\n(.b: the conditions with %s)\n", ko_b_path);
	printf("\n=== loops: us per iteration, median of %d rounds (min-max); tcp N=%ld, pair N=%ld\n",
	       rounds, tcp_n, pair_n);
	printf("%-5s", "loop");
	for (c = 0; c < ncond; c++)
		printf(" %24s", cond_name[c]);
	printf("\n");
	for (l = 0; l < NLOOP; l++) {
		printf("%-5s", loop_name[l]);
		for (c = 0; c < ncond; c++) {
			double s[MAX_ROUNDS];

			memcpy(s, cells[l][c].us, rounds * sizeof(double));
			qsort(s, rounds, sizeof(double), cmp_double);
			printf(" %8.2f (%6.1f-%6.1f)", median(s, rounds), s[0], s[rounds - 1]);
		}
		printf("\n");
	}
	printf("\n=== loops: ratio to nomod (medians)\n%-5s", "loop");
	for (c = 1; c < ncond; c++)
		printf(" %8s", cond_name[c]);
	printf("\n");
	for (l = 0; l < NLOOP; l++) {
		double base = median(cells[l][C_NOMOD].us, rounds);

		printf("%-5s", loop_name[l]);
		for (c = 1; c < ncond; c++)
			printf(" %8.3f", median(cells[l][c].us, rounds) / base);
		printf("\n");
	}
	printf("\n=== loops: the subscriber's events per iteration (median), lost in all rounds\n");
	for (l = 0; l < NLOOP; l++)
		for (c = C_FLOOR; c < ncond; c++) {
			uint64_t lost = 0;
			int i;

			/* floor: must be 0, no handler made an event. */
			if (c == C_IDLE || c == C_ARMED || c == C_IDLE_B || c == C_ARMED_B)
				continue;
			for (i = 0; i < rounds; i++)
				lost += cells[l][c].lost[i];
			printf("%-5s %-5s events/iter %.2f lost %llu\n", loop_name[l], cond_name[c],
			       median(cells[l][c].ev, rounds), (unsigned long long)lost);
		}
	return 0;
}

/* --- the burst ---------------------------------------------------------- */

/* The number of the last event of this namespace (SUBSCRIBE's reply). */
static uint64_t query_seq(void)
{
	static char buf[65536];
	struct counts c = { 0 };
	struct nl nl;

	nl_open(&nl, 0);
	nl_request(&nl, nl.family, SOCKSTAT_CMD_SUBSCRIBE, 0, 0, NULL, 0);
	while (!c.subscribed) {
		ssize_t len = recv(nl.fd, buf, sizeof(buf), 0);

		if (len < 0 && errno != ENOBUFS && errno != EINTR)
			die("recv (SUBSCRIBE)");
		if (len > 0)
			count_msgs(&c, buf, len, nl.seq);
	}
	close(nl.fd);
	return c.first_seq;
}

/* @procs processes of socketpair()/close() for @secs, @rate events/s in all. */
static void burst(int procs, double rate, double secs)
{
	pid_t pids[64];
	int i;

	for (i = 0; i < procs; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (!pids[i]) {
			/* 4 events an iteration: CREATED x 2, RELEASED x 2. */
			double per = rate > 0 ? 4.0 * procs / rate : 0;
			double t0 = now_s(), t;
			long n = 0;

			unpin();
			while ((t = now_s() - t0) < secs) {
				if (per > 0 && n * per > t) {
					double wait = n * per - t;
					struct timespec ts = { (time_t)wait, (long)((wait - (time_t)wait) * 1e9) };

					nanosleep(&ts, NULL);
					continue;
				}
				pair_once();
				n++;
			}
			_exit(0);
		}
	}
	for (i = 0; i < procs; i++)
		waitpid(pids[i], NULL, 0);
}

static int cmd_burst(const char *params, int rcvbuf, int slow_us, double secs, int procs,
		     char **rates, int nrates)
{
	int i;

	if (procs < 1 || procs > 64)
		procs = 1;
	if (mod_loaded())
		mod_unload();
	mod_load(ko_path, params);
	printf("=== burst: module \"%s\", subscriber rcvbuf %s, %s, %d process(es), %.1f s a rate\n",
	       params ? params : "", rcvbuf ? "forced" : "default",
	       slow_us ? "slow reader" : "fast reader", procs, secs);
	if (rcvbuf)
		printf("    rcvbuf %d bytes; slow reader sleeps %d us after each recv()\n", rcvbuf, slow_us);
	else if (slow_us)
		printf("    slow reader sleeps %d us after each recv()\n", slow_us);
	printf("%10s %10s %10s %10s %10s %10s %10s %10s %9s\n", "rate", "made", "made/s", "recv",
	       "recv/s", "lost", "dropped", "missed", "enobufs");
	for (i = 0; i < nrates; i++) {
		double rate = atof(rates[i]), t0, t;
		struct reader r;
		struct counts k;
		uint64_t made, lost;

		reader_start(&r, -1, rcvbuf, slow_us, 1000);
		t0 = now_s();
		burst(procs, rate, secs);
		t = now_s() - t0;
		/*
		 * What was made: the number of the namespace's last event,
		 * from a second subscription's reply (its own socket() is
		 * one more event), so that events dropped after the last
		 * one received count too.
		 */
		made = query_seq() - 1;
		reader_stop(&r, &k);
		made = made > k.first_seq ? made - k.first_seq : 0;
		lost = made > k.events ? made - k.events : 0;
		printf("%10s %10llu %10.0f %10llu %10.0f %10llu %10llu %10llu %9llu\n",
		       rates[i], (unsigned long long)made, made / t, (unsigned long long)k.events,
		       k.t_last > k.t_first ? k.events / (k.t_last - k.t_first) : 0,
		       (unsigned long long)lost, (unsigned long long)(k.dropped - k.dropped0),
		       (unsigned long long)(k.missed - k.missed0), (unsigned long long)k.enobufs);
		fflush(stdout);
	}
	mod_unload();
	return 0;
}

/* One loop, as it is: no module loading (for profiles). */
static int cmd_one(const char *loop, long n, int sub)
{
	struct counts k = { 0 };
	struct reader r;
	double t;

	pin(0);
	if (sub)
		reader_start(&r, 1, 0, 0, 500);
	t = !strcmp(loop, "tcp") ? tcp_loop(n) : pair_loop(n);
	if (sub)
		reader_stop(&r, &k);
	printf("one %s n=%ld us=%.3f", loop, n, t * 1e6);
	print_counts(&k, n);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: evbench loops -k KO [-K KO_B] [-r ROUNDS] [-n TCP_N] [-m PAIR_N]\n"
		"       evbench burst -k KO [-p PARAMS] [-b RCVBUF] [-s SLOW_US] [-t SECONDS] [-P PROCS] RATE...\n"
		"       evbench one tcp|pair N [sub]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *params = NULL;
	long tcp_n = 2000, pair_n = 10000;
	int rounds = 5, rcvbuf = 0, slow_us = 0, procs = 1, opt;
	double secs = 2;
	const char *cmd;

	if (argc < 2)
		usage();
	cmd = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "k:K:r:n:m:p:b:s:t:P:")) != -1) {
		switch (opt) {
		case 'k': ko_path = optarg; break;
		case 'K': ko_b_path = optarg; break;
		case 'r': rounds = atoi(optarg); break;
		case 'n': tcp_n = atol(optarg); break;
		case 'm': pair_n = atol(optarg); break;
		case 'p': params = optarg; break;
		case 'b': rcvbuf = atoi(optarg); break;
		case 's': slow_us = atoi(optarg); break;
		case 't': secs = atof(optarg); break;
		case 'P': procs = atoi(optarg); break;
		default: usage();
		}
	}
	if (!strcmp(cmd, "one") && optind + 2 <= argc)
		return cmd_one(argv[optind], atol(argv[optind + 1]),
			       optind + 2 < argc && !strcmp(argv[optind + 2], "sub"));
	if (!ko_path || rounds < 1 || rounds > MAX_ROUNDS || tcp_n < 1 || pair_n < 1)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(cmd, "loops"))
		return cmd_loops(rounds, tcp_n, pair_n);
	if (!strcmp(cmd, "burst") && optind < argc)
		return cmd_burst(params, rcvbuf, slow_us, secs, procs, argv + optind, argc - optind);
	usage();
	return 2;
}
