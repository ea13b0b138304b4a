// SPDX-License-Identifier: GPL-2.0
/*
 * Live events when they cannot all be delivered, and when the module
 * goes: nothing is lost silently (a small ring in the kernel: a LOST
 * event and gaps in the numbers that match it exactly; a small receive
 * buffer: ENOBUFS and gaps), sockstat-nl monitor says so and prints the
 * sockets again, rmmod with subscribers succeeds and leaves no probe,
 * and several subscribers under churn each see every socket's end.
 *
 * Needs root; the tests that reload the module need SOCKSTAT_KO (the
 * module file) and leave it loaded with its defaults.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/sockstat.h>

#include "kselftest_harness.h"
#include "evq.h"
#include "modload.h"
#include "nl.h"

#ifndef SO_MEMINFO
#define SO_MEMINFO 55
#endif

/* What a subscriber's numbers say (its events in q->e). */
struct gaps {
	uint64_t span;		/* numbers from the subscription to the last event */
	uint64_t received;	/* events (not LOST) received */
	uint64_t missing;	/* numbers never received */
	uint64_t dropped;	/* the last LOST's DROPPED, less the subscription's */
	uint64_t missed;	/* the same for MISSED */
	int lost;		/* LOST events */
	int silent;		/* events after a gap no LOST had announced */
	int disorder;		/* numbers not increasing */
};

/*
 * The events of namespace @inum in @q (0: of any), their numbers counted
 * from @base: gaps, and how many came after a gap no LOST had announced.
 */
static void gaps_in(const struct evq *q, uint32_t inum, uint64_t base, struct gaps *g)
{
	uint64_t prev = base;
	int i;

	memset(g, 0, sizeof(*g));
	for (i = 0; i < q->n; i++) {
		const struct ev *e = &q->e[i];

		if (e->kind == SOCKSTAT_EVENT_KIND_LOST) {
			g->lost++;
			g->dropped = e->dropped - q->sub_dropped;
			g->missed = e->missed - q->sub_missed;
			continue;
		}
		if (inum && e->netns != inum)
			continue;
		if (e->seq <= prev) {
			g->disorder++;
			continue;
		}
		g->missing += e->seq - prev - 1;
		prev = e->seq;
		g->received++;
		if (g->missing > g->dropped)
			g->silent++;
	}
	g->span = prev - base;
}

static void gaps_of(const struct evq *q, struct gaps *g)
{
	gaps_in(q, 0, q->sub_seq, g);
}

/* One socket() and close(): its inode. */
static uint64_t socket_and_close(void)
{
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	uint64_t ino = ss_inode(fd);

	close(fd);
	return ino;
}

/*
 * @n socket()/close() pairs in one child per CPU, each pinned to its CPU
 * and SCHED_FIFO, so that the kernel's worker (SCHED_OTHER) cannot send
 * while they run: the ring fills.  Returns the number of events they
 * made (2 per pair), or -1.
 */
static long fifo_burst(int n)
{
	struct sched_param sp = { .sched_priority = 10 };
	int go[2], cpus = 0, cpu, i, st, bad = 0;
	pid_t kids[64];
	cpu_set_t all;

	if (pipe(go) || sched_getaffinity(0, sizeof(all), &all))
		return -1;
	for (cpu = 0; cpu < CPU_SETSIZE && cpus < 64; cpu++) {
		cpu_set_t one;

		if (!CPU_ISSET(cpu, &all))
			continue;
		kids[cpus] = fork();
		if (kids[cpus] < 0)
			return -1;
		if (!kids[cpus]) {
			char c;

			CPU_ZERO(&one);
			CPU_SET(cpu, &one);
			if (sched_setaffinity(0, sizeof(one), &one) ||
			    sched_setscheduler(0, SCHED_FIFO, &sp))
				_exit(2);
			close(go[1]);
			if (read(go[0], &c, 1) != 0)
				_exit(3);
			for (i = 0; i < n; i++)
				socket_and_close();
			_exit(0);
		}
		cpus++;
	}
	close(go[0]);
	close(go[1]);	/* go: each child's read() sees the end */
	for (i = 0; i < cpus; i++) {
		if (waitpid(kids[i], &st, 0) != kids[i] || !WIFEXITED(st) || WEXITSTATUS(st))
			bad++;
	}
	return bad ? -1 : 2L * n * cpus;
}

static void big_rcvbuf(int fd)
{
	int size = 32 << 20;

	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
}

/* The number in sysfs file @path, or -1. */
static int sysfs_int(const char *path)
{
	FILE *f = fopen(path, "r");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static int param_event_ring(void)
{
	return sysfs_int("/sys/module/sockstat/parameters/event_ring");
}

/* The module reloaded with a ring of 16 events (the smallest it takes). */
FIXTURE(small_ring) {
	struct evq q;
	int reloaded;
};

FIXTURE_SETUP(small_ring)
{
	self->reloaded = 0;
	if (!getenv("SOCKSTAT_KO"))
		SKIP(return, "SOCKSTAT_KO does not name the module file");
	ASSERT_EQ(0, netns_with_lo());
	ASSERT_EQ(0, ss_module_unload());
	self->reloaded = 1;
	ASSERT_EQ(0, ss_module_load_args("event_ring=16"));
	ASSERT_EQ(16, param_event_ring());
	ASSERT_EQ(0, evq_open(&self->q));
	big_rcvbuf(self->q.nl.fd);
}

FIXTURE_TEARDOWN(small_ring)
{
	if (!self->reloaded)
		return;
	evq_close(&self->q);
	ss_module_unload();
	ss_module_load();
}

/*
 * A burst the worker cannot follow: the ring keeps 16, the others still
 * take their numbers (evring.c) and count in DROPPED.  The subscriber gets
 * LOST before any event that follows a gap, and the gaps add up to DROPPED
 * exactly; every event the burst made has a number.
 */
TEST_F(small_ring, ring_overflow_lost_and_exact_gaps)
{
	struct ev got[8];
	struct gaps g;
	uint64_t marker;
	long made;
	int n;

	ASSERT_EQ(0, evq_subscribe(&self->q, 0, 0));
	made = fifo_burst(300);
	ASSERT_LT(0, made);
	/* The ring emptied first: an event while it is full still is dropped. */
	evq_read(&self->q, 500);
	marker = socket_and_close();
	evq_read(&self->q, 1000);
	gaps_of(&self->q, &g);
	ksft_print_msg("%ld events made, %llu received, %llu missing, DROPPED %llu, %d LOST\n",
		       made, (unsigned long long)g.received, (unsigned long long)g.missing,
		       (unsigned long long)g.dropped, g.lost);
	EXPECT_EQ(0, self->q.enobufs);
	EXPECT_EQ(0, g.disorder);
	EXPECT_EQ((uint64_t)made + 2, g.span);
	EXPECT_LT(0, g.missing);
	EXPECT_LE(1, g.lost);
	EXPECT_EQ(g.missing, g.dropped);
	EXPECT_EQ(0, g.missed);
	EXPECT_EQ(0, g.silent);
	/* And the events after it, in full. */
	n = evq_of(&self->q, marker, 0, got, 8);
	EXPECT_EVENTS(got, n, CREATED, RELEASED);
}

/*
 * sockstat-nl monitor, through the same burst: it prints the LOST event,
 * says that events were lost, prints the sockets as a dump finds them
 * (a socket held throughout among them), and goes on with the events.
 */
TEST_F(small_ring, monitor_says_lost_and_syncs)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	static char out[1 << 20];
	char want[64], *p, *lost_line = NULL, *said = NULL, *sync = NULL, *after = NULL;
	unsigned long long dropped = 0, missed = 0;
	int pfd[2], keep, st, len = 0, i;
	uint64_t kino, marker;
	struct gaps g;
	pid_t mon;

	keep = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_EQ(0, bind(keep, (struct sockaddr *)&a, sizeof(a)));
	kino = ss_inode(keep);
	ASSERT_EQ(0, evq_subscribe(&self->q, 0, 0));
	ASSERT_EQ(0, pipe(pfd));
	mon = fork();
	ASSERT_LE(0, mon);
	if (!mon) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		execlp("sockstat-nl", "sockstat-nl", "monitor", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	/* Its first line says it has subscribed. */
	for (i = 0; i < 300 && !strstr(out, "# monitoring from event"); i++) {
		struct pollfd pp = { pfd[0], POLLIN, 0 };
		ssize_t r;

		if (poll(&pp, 1, 100) == 1) {
			r = read(pfd[0], out + len, sizeof(out) - 1 - len);
			if (r <= 0)
				break;
			len += r;
			out[len] = 0;
		}
	}
	ASSERT_NE(NULL, strstr(out, "# monitoring from event")) TH_LOG("monitor said: %s", out);
	ASSERT_LT(0, fifo_burst(300));
	evq_read(&self->q, 500);	/* the ring empty again */
	marker = socket_and_close();
	evq_read(&self->q, 1000);
	usleep(500000);
	kill(mon, SIGTERM);
	for (;;) {
		ssize_t r = read(pfd[0], out + len, sizeof(out) - 1 - len);

		if (r <= 0)
			break;
		len += r;
	}
	out[len] = 0;
	close(pfd[0]);
	ASSERT_EQ(mon, waitpid(mon, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) TH_LOG("status %d", st);
	close(keep);
	gaps_of(&self->q, &g);
	ASSERT_LT(0, g.dropped) TH_LOG("the burst dropped nothing: nothing to see");

	/* The last "lost" line: the counters as the kernel had them last. */
	for (p = out; (p = strstr(p, " lost     dropped ")); p++) {
		lost_line = p;
		sscanf(p, " lost dropped %llu missed %llu", &dropped, &missed);
	}
	ASSERT_NE(NULL, lost_line) TH_LOG("no lost line in: %.2000s", out);
	/* One notice (and one re-read) for each loss: the gaps are the ones announced. */
	for (p = out, i = 0; (p = strstr(p, " lost     dropped ")); p++)
		i++;
	for (p = out; (p = strstr(p, "# events were lost (")); p++)
		i--;
	EXPECT_EQ(0, i) TH_LOG("%.3000s", out);
	EXPECT_EQ(g.dropped + self->q.sub_dropped, dropped);
	EXPECT_EQ(0, missed);
	/* The first one is followed by the notice, the sync lines, and the events after. */
	p = strstr(out, " lost     dropped ");
	said = strstr(p, "# events were lost (the kernel dropped some)");
	ASSERT_NE(NULL, said) TH_LOG("%.2000s", p);
	snprintf(want, sizeof(want), " sync     %-10llu ", (unsigned long long)kino);
	sync = strstr(said, want);
	EXPECT_NE(NULL, sync) TH_LOG("no sync line for inode %llu after the notice", (unsigned long long)kino);
	snprintf(want, sizeof(want), " created  %-10llu ", (unsigned long long)marker);
	after = strstr(said, want);
	EXPECT_NE(NULL, after) TH_LOG("no created line for the socket made after the burst");
	if (sync && after) {
		EXPECT_LT(sync, after);
	}
}

/*
 * A child in a network namespace of its own: it sends that namespace's
 * inode number on @tell, waits for a byte on @go, then makes
 * fifo_burst(@n) there, and half a second later one more socket (an event
 * after the burst's last gap).  Returns its pid (the burst's status is its exit
 * status), or -1.
 */
static pid_t burst_in_new_netns(int n, int tell, int go)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	{
		uint32_t inum;
		struct stat st;
		char c;

		if (unshare(CLONE_NEWNET) || stat("/proc/self/ns/net", &st))
			_exit(2);
		inum = (uint32_t)st.st_ino;
		if (write(tell, &inum, sizeof(inum)) != sizeof(inum) || read(go, &c, 1) != 1)
			_exit(3);
		if (fifo_burst(n) <= 0)
			_exit(4);
		/* The ring empty again, one more socket: the last gap is seen. */
		usleep(500000);
		socket_and_close();
		_exit(0);
	}
}

/*
 * Subscribers of another namespace, and of every one (@all), are told of
 * what the ring dropped there: LOST with that namespace's number (0 for
 * all) and its DROPPED (every namespace's for all), which grows by exactly
 * the gaps in the burst's namespace (made after the subscription for all,
 * so that its numbers start at 1).
 */
static void other_netns_lost(struct __test_metadata *_metadata, struct evq *q, int all)
{
	int tell[2], go[2], st, lost_ok = 0, i;
	uint32_t inum = 0;
	struct gaps g;
	pid_t kid;

	ASSERT_EQ(0, pipe(tell));
	ASSERT_EQ(0, pipe(go));
	if (all)
		ASSERT_EQ(0, evq_subscribe(q, 1, 0));
	kid = burst_in_new_netns(300, tell[1], go[0]);
	ASSERT_LT(0, kid);
	ASSERT_EQ(sizeof(inum), read(tell[0], &inum, sizeof(inum)));
	if (!all) {
		ASSERT_EQ(0, evq_subscribe(q, 1, inum));
		EXPECT_EQ(inum, q->sub_netns);
	} else {
		EXPECT_EQ(0, q->sub_netns);
	}
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(kid, waitpid(kid, &st, 0));
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) TH_LOG("burst: status %d", st);
	evq_read(q, 1500);
	gaps_in(q, inum, all ? 0 : q->sub_seq, &g);
	for (i = 0; i < q->n; i++) {
		const struct ev *e = &q->e[i];

		if (e->kind == SOCKSTAT_EVENT_KIND_LOST &&
		    e->netns == (all ? 0 : inum) && (!all || e->seq == 0))
			lost_ok++;
	}
	ksft_print_msg("%s: %llu of namespace %u received, %llu missing, DROPPED +%llu, %d LOST (%d naming %u)\n",
		       all ? "all namespaces" : "one other namespace",
		       (unsigned long long)g.received, inum, (unsigned long long)g.missing,
		       (unsigned long long)g.dropped, g.lost, lost_ok, all ? 0 : inum);
	EXPECT_EQ(0, q->enobufs);
	EXPECT_EQ(0, g.disorder);
	EXPECT_LT(0, g.missing);
	EXPECT_LE(1, g.lost);
	EXPECT_EQ(g.lost, lost_ok);
	EXPECT_EQ(g.missing, g.dropped);
	EXPECT_EQ(0, g.missed);
	close(tell[0]);
	close(tell[1]);
	close(go[0]);
	close(go[1]);
}

TEST_F(small_ring, other_netns_lost_and_dropped)
{
	other_netns_lost(_metadata, &self->q, 0);
}

TEST_F(small_ring, all_netns_lost_and_dropped)
{
	other_netns_lost(_metadata, &self->q, 1);
}

static int module_refcnt(void)
{
	return sysfs_int("/sys/module/sockstat/refcnt");
}

/* The module as the suite loads it: no reload. */
FIXTURE(evl) {
	struct evq q;
};

FIXTURE_SETUP(evl)
{
	ASSERT_EQ(0, netns_with_lo());
	ASSERT_EQ(0, evq_open(&self->q));
}

FIXTURE_TEARDOWN(evl)
{
	evq_close(&self->q);
}

/* Read @fd into @out (of @size) until @needle is in it or @ms pass. */
static int read_until(int fd, char *out, size_t size, int *len, const char *needle, int ms)
{
	int i;

	for (i = 0; i < ms / 100 && !strstr(out, needle); i++) {
		struct pollfd pp = { fd, POLLIN, 0 };
		ssize_t r;

		if (poll(&pp, 1, 100) != 1)
			continue;
		r = read(fd, out + *len, size - 1 - *len);
		if (r <= 0)
			break;
		*len += r;
		out[*len] = 0;
	}
	return strstr(out, needle) ? 0 : -1;
}

/*
 * sockstat-nl -N all monitor: each namespace numbers its own events, and
 * they interleave; no loss, so monitor must not say one (it follows the
 * numbers per namespace).  Sockets made in turn here and in a namespace
 * of a child's; every one of them printed, and no resync.
 */
TEST_F_TIMEOUT(evl, monitor_all_netns_numbers_per_namespace, 120)
{
	static char out[1 << 20];
	int pfd[2], go[2], ack[2], len = 0, i, st, ours = 0, theirs = 0;
	char needle[64], c, *p;
	uint32_t here, there = 0;
	pid_t mon, kid;
	struct stat sb;

	ASSERT_EQ(0, stat("/proc/self/ns/net", &sb));
	here = (uint32_t)sb.st_ino;
	ASSERT_EQ(0, pipe(pfd));
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(ack));
	kid = fork();
	ASSERT_LE(0, kid);
	if (!kid) {
		uint32_t inum;

		if (unshare(CLONE_NEWNET) || stat("/proc/self/ns/net", &sb))
			_exit(2);
		inum = (uint32_t)sb.st_ino;
		if (write(ack[1], &inum, sizeof(inum)) != sizeof(inum))
			_exit(3);
		while (read(go[0], &c, 1) == 1 && c == 'g') {
			socket_and_close();
			if (write(ack[1], "a", 1) != 1)
				_exit(4);
		}
		_exit(0);
	}
	close(go[0]);
	close(ack[1]);
	ASSERT_EQ(sizeof(there), read(ack[0], &there, sizeof(there)));
	mon = fork();
	ASSERT_LE(0, mon);
	if (!mon) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		execlp("sockstat-nl", "sockstat-nl", "-N", "all", "-j", "monitor", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	/* Subscribed once a socket made now shows. */
	for (i = 0; i < 50; i++) {
		snprintf(needle, sizeof(needle), "\"inode\":%llu,",
			 (unsigned long long)socket_and_close());
		if (!read_until(pfd[0], out, sizeof(out), &len, needle, 200))
			break;
	}
	ASSERT_GT(50, i) TH_LOG("monitor printed: %.2000s", out);
	ksft_print_msg("monitor's first event after %d tries\n", i + 1);
	for (i = 0; i < 40; i++) {
		socket_and_close();
		ASSERT_EQ(1, write(go[1], "g", 1));
		ASSERT_EQ(1, read(ack[0], &c, 1));
	}
	ASSERT_EQ(1, write(go[1], "q", 1));
	close(go[1]);
	ASSERT_EQ(kid, waitpid(kid, &st, 0));
	snprintf(needle, sizeof(needle), "\"inode\":%llu,", (unsigned long long)socket_and_close());
	EXPECT_EQ(0, read_until(pfd[0], out, sizeof(out), &len, needle, 10000));
	kill(mon, SIGTERM);
	read_until(pfd[0], out, sizeof(out), &len, "never printed", 500);
	close(pfd[0]);
	close(ack[0]);
	ASSERT_EQ(mon, waitpid(mon, &st, 0));
	for (p = out; (p = strstr(p, "\"event\":\"created\"")); p++) {
		unsigned int ns;

		if (sscanf(p, "\"event\":\"created\",\"netns\":%u", &ns) != 1)
			continue;
		ours += ns == here;
		theirs += ns == there;
	}
	ksft_print_msg("created: %d here (%u), %d in the child's namespace (%u)\n",
		       ours, here, theirs, there);
	EXPECT_LE(41, ours);
	EXPECT_EQ(40, theirs);
	EXPECT_EQ(NULL, strstr(out, "resync")) TH_LOG("%.3000s", strstr(out, "resync"));
}

static uint64_t sk_drops(int fd)
{
	uint32_t mem[SK_MEMINFO_VARS] = { 0 };
	socklen_t len = sizeof(mem);

	if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &len))
		return 0;
	return mem[SK_MEMINFO_DROPS];
}

/*
 * A subscriber that reads too late with the smallest receive buffer: the
 * kernel drops the messages that do not fit (netlink_attachskb():
 * netlink_overrun(), sk_drops), the next recv() says ENOBUFS (and then
 * returns what was queued), the numbers jump; the module's ring lost
 * nothing, so no LOST event.  The subscription goes on.  With
 * NETLINK_NO_ENOBUFS the same without the error.
 */
static void small_rcvbuf(struct __test_metadata *_metadata, struct evq *q, int no_enobufs)
{
	int zero = 0, one = 1, rcvbuf = 0, i;
	socklen_t len = sizeof(rcvbuf);
	struct ev got[8];
	uint64_t marker, drops;
	struct gaps g;
	int n;

	/* After the subscription, so that its reply and ack fit. */
	ASSERT_EQ(0, evq_subscribe(q, 0, 0));
	ASSERT_EQ(0, setsockopt(q->nl.fd, SOL_SOCKET, SO_RCVBUF, &zero, sizeof(zero)));
	getsockopt(q->nl.fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &len);
	if (no_enobufs) {
		ASSERT_EQ(0, setsockopt(q->nl.fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof(one)));
	}
	for (i = 0; i < 300; i++)
		socket_and_close();
	usleep(500000);
	drops = sk_drops(q->nl.fd);
	evq_read(q, 300);
	/* Read to the end: the subscription is there still. */
	marker = socket_and_close();
	evq_read(q, 500);
	gaps_of(q, &g);
	ksft_print_msg("SO_RCVBUF %d: %llu received, %llu missing, sk_drops %llu, ENOBUFS %d\n",
		       rcvbuf, (unsigned long long)g.received, (unsigned long long)g.missing,
		       (unsigned long long)drops, q->enobufs);
	EXPECT_EQ(no_enobufs ? 0 : 1, q->enobufs);
	EXPECT_LT(0, drops);
	EXPECT_EQ(0, g.lost);
	EXPECT_EQ(0, g.dropped);
	EXPECT_EQ(0, g.disorder);
	EXPECT_EQ(602, g.span);
	EXPECT_LT(0, g.missing);
	n = evq_of(q, marker, 0, got, 8);
	EXPECT_EVENTS(got, n, CREATED, RELEASED);
}

TEST_F(evl, small_rcvbuf_enobufs_and_gaps)
{
	small_rcvbuf(_metadata, &self->q, 0);
}

TEST_F(evl, small_rcvbuf_no_enobufs_gaps)
{
	small_rcvbuf(_metadata, &self->q, 1);
}

/*
 * A socket in the generic netlink controller's notify group (nlctrl's
 * id), bound: an unbound one has port id 0, the kernel's own, and a
 * broadcast from the kernel skips it as its sender.
 */
static int ctrl_notify_socket(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	int grp = GENL_ID_CTRL;	/* nlctrl's one group has the family's id */
	struct sockaddr_nl self = { .nl_family = AF_NETLINK };

	if (fd >= 0 && (bind(fd, (struct sockaddr *)&self, sizeof(self)) ||
			setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Whether @fd got CTRL_CMD_DELFAMILY for "sockstat" within @ms. */
static int saw_delfamily(int fd, int ms)
{
	static char buf[16384];
	double end = now_ms() + ms;

	while (now_ms() < end) {
		struct pollfd p = { fd, POLLIN, 0 };
		struct nlmsghdr *h;
		ssize_t n;

		if (poll(&p, 1, 100) != 1)
			continue;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n <= 0)
			return 0;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			struct genlmsghdr *g = NLMSG_DATA(h);
			struct nlattr *a = (struct nlattr *)((char *)g + GENL_HDRLEN);
			int rem = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

			if (h->nlmsg_type != GENL_ID_CTRL || g->cmd != CTRL_CMD_DELFAMILY)
				continue;
			for (; NLA_OK(a, rem); a = NLA_NEXT(a, rem))
				if (a->nla_type == CTRL_ATTR_FAMILY_NAME &&
				    !strcmp(NLA_DATA(a), SOCKSTAT_FAMILY_NAME))
					return 1;
		}
	}
	return 0;
}

/* sockstat-nl --inode 1 monitor, its output on *fd, once it has subscribed; -1 on failure. */
static pid_t monitor_start(int *fd)
{
	static char first[4096];
	int p[2], i, len = 0;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		execlp("sockstat-nl", "sockstat-nl", "--inode", "1", "monitor", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	first[0] = 0;
	for (i = 0; i < 300 && !strstr(first, "# monitoring from event"); i++) {
		struct pollfd pp = { p[0], POLLIN, 0 };
		ssize_t r;

		if (poll(&pp, 1, 100) != 1)
			continue;
		r = read(p[0], first + len, sizeof(first) - 1 - len);
		if (r <= 0)
			break;
		len += r;
		first[len] = 0;
	}
	*fd = p[0];
	return strstr(first, "# monitoring from event") ? pid : -1;
}

/*
 * Whether monitor @pid ended within 5 s with status 3 and said that the
 * module was unloaded (on @fd); 0 if so, else what was wrong.
 */
static int monitor_ended(pid_t pid, int fd)
{
	static char out[1 << 16];
	int i, st = 0, len = 0;

	for (i = 0; i < 100 && waitpid(pid, &st, WNOHANG) == 0; i++)
		usleep(50000);
	if (i == 100) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	for (;;) {
		ssize_t r = read(fd, out + len, sizeof(out) - 1 - len);

		if (r <= 0)
			break;
		len += r;
	}
	out[len] = 0;
	close(fd);
	if (i == 100 || !WIFEXITED(st) || WEXITSTATUS(st) != 3 ||
	    !strstr(out, "monitor: the sockstat module was unloaded")) {
		ksft_print_msg("monitor %d: %s, status %d, said: %.1500s\n", pid,
			       i == 100 ? "still running 5 s after rmmod" : "ended", st, out);
		return -1;
	}
	return 0;
}

/*
 * The drops of process @pid's generic netlink sockets (/proc/net/netlink:
 * libnl's port ids are the pid in the low 22 bits), or -1.
 */
static long netlink_drops(pid_t pid)
{
	char line[512];
	unsigned int eth, portid;
	long drops, r = -1;
	FILE *f = fopen("/proc/net/netlink", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %u %u %*s %*s %*s %*s %*s %ld", &eth, &portid, &drops) == 3 &&
		    eth == NETLINK_GENERIC && (portid & 0x3fffff) == (unsigned int)pid && drops > r)
			r = drops;
	fclose(f);
	return r;
}

/*
 * rmmod while two sockets subscribe and sockets churn: a subscription
 * holds no reference on the module, so the unload succeeds at once; the
 * probes are gone when it returns (module exit disarms them); the
 * subscribers get nothing more, no error, and the controller announces
 * the family's end (CTRL_CMD_DELFAMILY), which is how a client learns
 * it: sockstat-nl monitor ends with status 3, and so does one that was
 * stopped meanwhile with its receive buffer overflowing (the
 * controller's message lost in it, it finds the family gone when it
 * re-reads after ENOBUFS).  TCP traffic after it crosses where the tracepoint was; the module
 * loaded again takes a subscription on the same old socket.
 */
TEST_F(evl, unload_with_subscribers)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	static char buf[65536];
	struct evq q2;
	int ctl, l, c, s, st, i, mfd, mfd2, err;
	struct ev got[8];
	uint64_t ino;
	pid_t churn, mon, mon2;
	int n;

	if (!getenv("SOCKSTAT_KO"))
		SKIP(return, "SOCKSTAT_KO does not name the module file");
	buf[0] = 0;
	ASSERT_EQ(0, evq_open(&q2));
	ASSERT_EQ(0, evq_subscribe(&self->q, 0, 0));
	ASSERT_EQ(0, evq_subscribe(&q2, 0, 0));
	ASSERT_EQ(6, our_kprobes(NULL));
	ctl = ctrl_notify_socket();
	ASSERT_LE(0, ctl);
	/*
	 * Two sockstat-nl monitors (of no socket: their output stays
	 * small); the second stopped, its receive buffer left to overflow.
	 */
	mon = monitor_start(&mfd);
	ASSERT_LT(0, mon);
	mon2 = monitor_start(&mfd2);
	ASSERT_LT(0, mon2);
	kill(mon2, SIGSTOP);
	churn = fork();
	ASSERT_LE(0, churn);
	if (!churn)
		for (;;)
			socket_and_close();
	usleep(200000);
	for (i = 0; i < 200 && netlink_drops(mon2) <= 0; i++)
		usleep(50000);
	ASSERT_LT(0, netlink_drops(mon2)) TH_LOG("the stopped monitor's buffer never overflowed");
	/* q2 reads; self->q does not (its buffer fills up meanwhile). */
	evq_read(&q2, 100);
	/*
	 * The subscriptions hold nothing; a dump in flight holds the module
	 * while it runs (netlink_dump_start()), as for any family, and the
	 * monitor dumps whenever its buffer overflows: try for 5 s.
	 */
	for (i = 0; (err = ss_module_unload()) == -EWOULDBLOCK && i < 500; i++) {
		if (!i)
			ksft_print_msg("rmmod: module in use (refcnt %d): again\n", module_refcnt());
		usleep(10000);
	}
	ASSERT_EQ(0, err);
	if (i)
		ksft_print_msg("rmmod succeeded at the %d. attempt\n", i + 1);
	EXPECT_FALSE(ss_module_loaded());
	EXPECT_EQ(0, our_kprobes(NULL));
	kill(churn, SIGKILL);
	ASSERT_EQ(churn, waitpid(churn, &st, 0));
	EXPECT_TRUE(saw_delfamily(ctl, 2000));
	close(ctl);
	/* The monitor learns it from the controller: it says so and ends, status 3. */
	EXPECT_EQ(0, monitor_ended(mon, mfd));
	/*
	 * The stopped one lost that message in its full buffer: it reads
	 * ENOBUFS, finds no family when it re-reads, and ends the same.
	 */
	kill(mon2, SIGCONT);
	EXPECT_EQ(0, monitor_ended(mon2, mfd2));

	/* The probes' places, crossed: TCP states, connect, accept, shutdown, close. */
	l = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_EQ(0, bind(l, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, getsockname(l, (struct sockaddr *)&a, &alen));
	ASSERT_EQ(0, listen(l, 4));
	c = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_EQ(0, connect(c, (struct sockaddr *)&a, sizeof(a)));
	s = accept(l, NULL, NULL);
	ASSERT_LE(0, s);
	EXPECT_EQ(0, shutdown(c, SHUT_WR));
	close(s);
	close(c);
	close(l);

	/* Each subscriber's socket: what was queued, then nothing, and no error but ENOBUFS. */
	usleep(200000);
	for (i = 0; i < 2; i++) {
		int fd = i ? q2.nl.fd : self->q.nl.fd;
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t r;

		while ((r = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) >= 0 || errno == ENOBUFS)
			;
		EXPECT_EQ(EAGAIN, errno);
		EXPECT_EQ(0, poll(&p, 1, 300));
	}

	/* Loaded again: the old socket subscribes anew (nothing left of its old subscription). */
	ASSERT_EQ(0, ss_module_load());
	ASSERT_EQ(0, ssnl_resolve(&self->q.nl));
	self->q.n = 0;
	ASSERT_EQ(0, evq_subscribe(&self->q, 0, 0));
	ino = socket_and_close();
	evq_read(&self->q, 300);
	n = evq_of(&self->q, ino, 0, got, 8);
	EXPECT_EVENTS(got, n, CREATED, RELEASED);
	evq_close(&q2);
}

/* A set of inodes (open addressing; 0 is "empty"). */
struct inoset {
	uint64_t *slot;
	size_t size, n;
};

static size_t inoset_find(const struct inoset *s, uint64_t ino)
{
	size_t i = (ino * 0x9e3779b97f4a7c15ULL) >> 40;

	for (i &= s->size - 1; s->slot[i] && s->slot[i] != ino; i = (i + 1) & (s->size - 1))
		;
	return i;
}

static int inoset_add(struct inoset *s, uint64_t ino)
{
	size_t i = inoset_find(s, ino);

	if (s->slot[i])
		return 0;
	if (s->n * 2 >= s->size)
		return -1;
	s->slot[i] = ino;
	s->n++;
	return 1;
}

static int inoset_del(struct inoset *s, uint64_t ino)
{
	size_t i = inoset_find(s, ino), j;

	if (!s->slot[i])
		return 0;
	/* Backward-shift deletion keeps every probe chain whole. */
	s->slot[i] = 0;
	s->n--;
	for (j = (i + 1) & (s->size - 1); s->slot[j]; j = (j + 1) & (s->size - 1)) {
		uint64_t v = s->slot[j];

		s->slot[j] = 0;
		s->n--;
		inoset_add(s, v);
	}
	return 1;
}

/* One of the churn test's subscribers: what it saw. */
struct churn_sub {
	pthread_t thread;
	struct evq q;
	uint64_t events, created, released, dup_created, unknown_released;
	uint64_t missing, last_seq, dropped, missed;
	int disorder, enobufs, full, err;
	struct inoset live;
};

static atomic_int churn_stop;

static void *churn_reader(void *arg)
{
	struct churn_sub *cs = arg;
	static __thread char buf[1 << 16];
	uint64_t prev = cs->q.sub_seq, d0 = cs->q.sub_dropped, m0 = cs->q.sub_missed;
	double quiet_since = 0;

	cs->dropped = cs->missed = 0;
	for (;;) {
		struct pollfd p = { cs->q.nl.fd, POLLIN, 0 };
		struct nlmsghdr *h;
		ssize_t n;

		if (poll(&p, 1, 100) != 1) {
			if (!churn_stop)
				continue;
			if (!quiet_since)
				quiet_since = now_ms();
			if (now_ms() - quiet_since > 1500)
				break;
			continue;
		}
		quiet_since = 0;
		n = recv(cs->q.nl.fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == ENOBUFS)
				cs->enobufs++;
			else
				cs->err = errno;
			continue;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			struct genlmsghdr *g = NLMSG_DATA(h);
			struct ev e;

			if (h->nlmsg_type != cs->q.nl.family_id || g->cmd != SOCKSTAT_CMD_EVENT)
				continue;
			ev_parse(&e, (struct nlattr *)((char *)g + GENL_HDRLEN),
				 h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN);
			if (e.kind == SOCKSTAT_EVENT_KIND_LOST) {
				cs->dropped = e.dropped - d0;
				cs->missed = e.missed - m0;
				continue;
			}
			cs->events++;
			if (e.seq <= prev)
				cs->disorder++;
			else
				cs->missing += e.seq - prev - 1;
			prev = e.seq > prev ? e.seq : prev;
			if (e.kind == SOCKSTAT_EVENT_KIND_CREATED && e.ino) {
				int r = inoset_add(&cs->live, e.ino);

				/* Read by the test's thread while it waits. */
				__atomic_fetch_add(&cs->created, 1, __ATOMIC_RELAXED);
				cs->dup_created += r == 0;
				cs->full += r < 0;
			} else if (e.kind == SOCKSTAT_EVENT_KIND_RELEASED && e.ino) {
				cs->released++;
				cs->unknown_released += !inoset_del(&cs->live, e.ino);
			}
		}
	}
	cs->last_seq = prev;
	return NULL;
}

/* One churning process: TCP, AF_UNIX, UDP and netlink sockets come and go. */
static void churn_loop(const struct sockaddr_in *a, int l)
{
	struct sockaddr_in u = *a;

	for (;;) {
		int c = socket(AF_INET, SOCK_STREAM, 0), s, sv[2], d;

		if (c >= 0 && !connect(c, (const struct sockaddr *)a, sizeof(*a))) {
			s = accept(l, NULL, NULL);
			if (s >= 0)
				close(s);
		}
		close(c);
		if (!socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
			close(sv[0]);
			close(sv[1]);
		}
		d = socket(AF_INET, SOCK_DGRAM, 0);
		u.sin_port = htons(9);
		connect(d, (struct sockaddr *)&u, sizeof(u));
		close(d);
		close(socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE));
	}
}

#define CHURN_SUBS	3
#define CHURN_PROCS	3
/* Sockets made that a churn must have shown each subscriber. */
#define CHURN_LEAST	1000

/*
 * Several subscribers while processes make and close sockets as fast as
 * they can for SOCKSTAT_EVENTS_CHURN_SECONDS (default 20; longer, up to
 * ten times as long, until every subscriber has seen CHURN_LEAST sockets
 * made: a guest on a loaded host churns slowly), then are
 * killed (their sockets closed at exit).  Each subscriber, once all is
 * quiet: numbers increasing, no socket created twice, and every socket
 * created released, but for as many as events went missing; the gaps are
 * the kernel's DROPPED exactly when the receive buffer never overflowed.
 * All subscribers end at the same number.  The runner fails the run on
 * any kernel warning.
 */
TEST_F_TIMEOUT(evl, churn_with_subscribers, 600)
{
	const char *env = getenv("SOCKSTAT_EVENTS_CHURN_SECONDS");
	int secs = env ? atoi(env) : 20, i, j, st, l;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	static struct churn_sub subs[CHURN_SUBS];
	pid_t kids[CHURN_PROCS];

	l = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_EQ(0, bind(l, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, getsockname(l, (struct sockaddr *)&a, &alen));
	ASSERT_EQ(0, listen(l, 128));
	churn_stop = 0;
	for (i = 0; i < CHURN_SUBS; i++) {
		struct churn_sub *cs = &subs[i];

		memset(cs, 0, sizeof(*cs));
		cs->live.size = 1 << 21;
		cs->live.slot = calloc(cs->live.size, sizeof(uint64_t));
		ASSERT_NE(NULL, cs->live.slot);
		ASSERT_EQ(0, evq_open(&cs->q));
		big_rcvbuf(cs->q.nl.fd);
		ASSERT_EQ(0, evq_subscribe(&cs->q, 0, 0));
		ASSERT_EQ(0, pthread_create(&cs->thread, NULL, churn_reader, cs));
	}
	for (i = 0; i < CHURN_PROCS; i++) {
		kids[i] = fork();
		ASSERT_LE(0, kids[i]);
		if (!kids[i])
			churn_loop(&a, l);
	}
	sleep(secs);
	/*
	 * A guest on a loaded host may churn slowly: go on until every
	 * subscriber has seen enough sockets made, up to ten times as long.
	 */
	for (j = 0; j < 9 * secs; j++) {
		int enough = 0;

		for (i = 0; i < CHURN_SUBS; i++)
			enough += __atomic_load_n(&subs[i].created, __ATOMIC_RELAXED) > CHURN_LEAST;
		if (enough == CHURN_SUBS)
			break;
		sleep(1);
	}
	for (i = 0; i < CHURN_PROCS; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], &st, 0);
	}
	churn_stop = 1;
	for (i = 0; i < CHURN_SUBS; i++)
		pthread_join(subs[i].thread, NULL);
	close(l);
	/* The later subscribers' sockets are open still. */
	for (i = 0; i < CHURN_SUBS; i++)
		for (j = 0; j < CHURN_SUBS; j++)
			inoset_del(&subs[i].live, ss_inode(subs[j].q.nl.fd));

	for (i = 0; i < CHURN_SUBS; i++) {
		struct churn_sub *cs = &subs[i];

		ksft_print_msg("subscriber %d: %llu events, %llu created, %llu released, %zu never released, %llu missing, DROPPED %llu, MISSED %llu, ENOBUFS %d\n",
			       i, (unsigned long long)cs->events, (unsigned long long)cs->created,
			       (unsigned long long)cs->released, cs->live.n,
			       (unsigned long long)cs->missing, (unsigned long long)cs->dropped,
			       (unsigned long long)cs->missed, cs->enobufs);
		EXPECT_EQ(0, cs->err);
		EXPECT_EQ(0, cs->full);
		EXPECT_EQ(0, cs->disorder);
		EXPECT_LT(CHURN_LEAST, cs->created);
		/* Each lost event can hide at most one socket's end (or birth). */
		EXPECT_LE(cs->live.n, cs->missing + cs->missed);
		EXPECT_LE(cs->dup_created, cs->missing + cs->missed);
		EXPECT_LE(cs->unknown_released, cs->missing + cs->missed);
		if (!cs->enobufs) {
			EXPECT_EQ(cs->missing, cs->dropped);
		}
		/* The last event came to each (unless its receive buffer overflowed). */
		if (!cs->enobufs && !subs[0].enobufs) {
			EXPECT_EQ(subs[0].last_seq, cs->last_seq);
		}
		evq_close(&cs->q);
		free(cs->live.slot);
	}
}

TEST_HARNESS_MAIN
