// SPDX-License-Identifier: GPL-2.0
/*
 * Races: for SOCKSTAT_STRESS_SECONDS (default 60) threads create and
 * close sockets, processes fork and exit holding sockets, descriptors
 * travel over AF_UNIX, TCP connections are opened, carry data and close
 * (some with a reset, some into TIME_WAIT), and network namespaces come
 * and go with sockets in them, while other threads dump in a loop (also
 * with the sockets no descriptor reaches), look sockets up by inode, ask
 * for SUMMARY, read /proc at odd offsets and sizes, and fuzz the family
 * (as root and as an unprivileged user).  Every dump must report each of
 * a set of sockets held for the whole test exactly once.  Then the module is unloaded and
 * reloaded 100 times with dumps in flight (needs SOCKSTAT_KO).  The QEMU
 * runner fails the run on any kernel warning.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "modload.h"
#include "nl.h"

#define NSTABLE	500

static int stable_fd[NSTABLE];
static uint64_t stable_ino[NSTABLE];
static atomic_int stop;
static atomic_long dumps, bad_dumps, lookups, churned, passed, forks;
static atomic_long conns, netns_made, summaries, proc_reads, fuzzed, reader_errors;

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct dump_seen {
	int seen[NSTABLE];
};

static int seen_cb(const struct ss_sock *s, void *arg)
{
	struct dump_seen *d = arg;
	uint64_t *p = bsearch(&s->ino, stable_ino, NSTABLE, sizeof(s->ino), cmp_u64);

	if (p)
		d->seen[p - stable_ino]++;
	return 0;
}

/*
 * Dump in a loop; each dump must hold every stable socket once.  With
 * @reopen (the module comes and goes), a failed dump resolves the family
 * again instead of counting as wrong.
 */
static void *dump_loop(size_t bufsize, int reopen)
{
	struct dump_seen *d = malloc(sizeof(*d));
	struct ssnl nl = { .fd = -1 };
	int i;

	if (!d)
		return (void *)1;
	while (!stop) {
		struct ssnl_req r;
		int bad = 0;

		if (nl.fd < 0 && ssnl_open(&nl)) {
			if (!reopen)
				return (void *)1;
			usleep(1000);
			continue;
		}
		memset(d, 0, sizeof(*d));
		ssnl_req_init(&r, SOCKSTAT_CMD_GET);
		/* Every third dump also has the sockets no descriptor reaches. */
		if (!reopen && dumps % 3 == 2) {
			uint32_t all = 0x3e;

			ssnl_put(&r, SOCKSTAT_A_SOCK_NOFD_KINDS, &all, sizeof(all));
		}
		if (ssnl_request(&nl, &r, NLM_F_DUMP, bufsize, seen_cb, d)) {
			if (reopen)
				ssnl_close(&nl);
			else
				bad_dumps++;
			continue;
		}
		for (i = 0; i < NSTABLE; i++)
			bad += d->seen[i] != 1;
		if (bad)
			bad_dumps++;
		dumps++;
	}
	ssnl_close(&nl);
	free(d);
	return NULL;
}

static void *dumper(void *arg)
{
	return dump_loop(arg ? 4096 : 32768, 0);
}

static void *reopening_dumper(void *arg)
{
	return dump_loop(arg ? 4096 : 32768, 1);
}

/* Look sockets up by inode: stable ones must be found. */
static void *looker(void *arg)
{
	struct ss_sock *s = malloc(sizeof(*s));
	struct ssnl nl;
	unsigned int i = 0;

	(void)arg;
	if (!s || ssnl_open(&nl))
		return (void *)1;
	while (!stop) {
		if (ssnl_get(&nl, stable_ino[i++ % NSTABLE], s))
			bad_dumps++;
		lookups++;
	}
	ssnl_close(&nl);
	free(s);
	return NULL;
}

/* Create and close sockets of several kinds. */
static void *churner(void *arg)
{
	(void)arg;
	while (!stop) {
		int sv[2], t = socket(AF_INET, SOCK_STREAM, 0), u = socket(AF_INET6, SOCK_DGRAM, 0);

		if (!socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
			close(sv[0]);
			close(sv[1]);
		}
		close(t);
		close(u);
		churned += 4;
	}
	return NULL;
}

/* Pass descriptors back and forth over AF_UNIX, closing the originals. */
static void *passer(void *arg)
{
	int sv[2];

	(void)arg;
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		return (void *)1;
	while (!stop) {
		char cbuf[CMSG_SPACE(sizeof(int))] = { 0 }, c = 'x';
		struct iovec iov = { &c, 1 };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
				    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
		struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
		int fd = socket(AF_UNIX, SOCK_DGRAM, 0), got;

		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(fd));
		if (sendmsg(sv[0], &m, 0) == 1) {
			close(fd);
			m.msg_controllen = sizeof(cbuf);
			if (recvmsg(sv[1], &m, 0) == 1 && (cm = CMSG_FIRSTHDR(&m))) {
				memcpy(&got, CMSG_DATA(cm), sizeof(got));
				close(got);
				passed++;
			}
		} else {
			close(fd);
		}
	}
	close(sv[0]);
	close(sv[1]);
	return NULL;
}

/* Fork children that hold sockets for a moment and exit. */
static void *forker(void *arg)
{
	(void)arg;
	while (!stop) {
		int fd = socket(AF_INET, SOCK_DGRAM, 0);
		pid_t p = fork();

		if (!p) {
			int more = socket(AF_UNIX, SOCK_STREAM, 0);

			usleep(2000);
			close(more);
			_exit(0);
		}
		close(fd);
		if (p > 0) {
			waitpid(p, NULL, 0);
			forks++;
		}
	}
	return NULL;
}

/* TCP connections opened, carrying data, closed: a server's life. */
static void *tcp_churner(void *arg)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0);
	char buf[4096];

	(void)arg;
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 64) ||
	    getsockname(l, (struct sockaddr *)&a, &len))
		return (void *)1;
	memset(buf, 'x', sizeof(buf));
	while (!stop) {
		int c = socket(AF_INET, SOCK_STREAM, 0), s;
		struct linger lg = { 1, 0 };

		if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a))) {
			close(c);
			continue;
		}
		s = accept(l, NULL, NULL);
		if (s >= 0) {
			if (write(c, buf, sizeof(buf)) > 0)
				read(s, buf, sizeof(buf));
			write(s, buf, 100);
			/* Half of them reset, half go through FIN into TIME_WAIT. */
			if (conns % 2)
				setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
			close(s);
		}
		close(c);
		conns++;
	}
	close(l);
	return NULL;
}

/* Network namespaces made and destroyed, sockets in them. */
static void *netns_churner(void *arg)
{
	(void)arg;
	while (!stop) {
		pid_t p = fork();

		if (!p) {
			int sv[2], l;

			if (unshare(CLONE_NEWNET))
				_exit(1);
			l = socket(AF_INET, SOCK_STREAM, 0);
			listen(l, 1);
			socket(AF_INET6, SOCK_DGRAM, 0);
			socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
			socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
			usleep(5000);
			_exit(0);
		}
		if (p > 0) {
			waitpid(p, NULL, 0);
			netns_made++;
		}
	}
	return NULL;
}

/* SUMMARY, as a do and as a dump. */
static void *summarizer(void *arg)
{
	struct ss_summary *sum = malloc(sizeof(*sum));
	struct ssnl nl;

	(void)arg;
	if (!sum || ssnl_open(&nl))
		return (void *)1;
	while (!stop) {
		struct ssnl_req r;
		uint32_t all = 0x3e;

		ssnl_req_init(&r, SOCKSTAT_CMD_SUMMARY);
		if (summaries % 2)
			ssnl_put(&r, SOCKSTAT_A_SOCK_NOFD_KINDS, &all, sizeof(all));
		if (summaries % 3 ? ssnl_summary(&nl, &r, sum) :
				    ssnl_summary_dump(&nl, &r, 4096, sum))
			reader_errors++;
		else if (sum->total < NSTABLE)
			reader_errors++;
		summaries++;
	}
	ssnl_close(&nl);
	free(sum);
	return NULL;
}

/* /proc/net/sockstat_sockets at odd offsets, in odd sizes. */
static void *proc_reader(void *arg)
{
	unsigned int k = 1;
	char buf[8192];

	(void)arg;
	while (!stop) {
		int fd = open("/proc/net/sockstat_sockets", O_RDONLY);
		ssize_t n;

		if (fd < 0) {
			reader_errors++;
			return NULL;
		}
		k = k * 1103515245 + 12345;
		if (k % 3 == 0 && lseek(fd, (k >> 8) % 200000, SEEK_SET) < 0)
			reader_errors++;
		do {
			k = k * 1103515245 + 12345;
			n = read(fd, buf, 1 + (k >> 8) % sizeof(buf));
			/* A seek back now and then: the walk starts over. */
			if (n > 0 && (k >> 4) % 97 == 0)
				lseek(fd, (k >> 8) % 100000, SEEK_SET);
		} while (n > 0);
		if (n < 0)
			reader_errors++;
		close(fd);
		proc_reads++;
	}
	return NULL;
}

/* Random messages to the family: the module must answer or refuse each. */
static void fuzz_loop(void)
{
	uint64_t x = (uint64_t)getpid() * 2654435761u | 1;
	struct ssnl nl;
	char msg[512], buf[65536];

	if (ssnl_open(&nl))
		return;
	while (!stop) {
		struct nlmsghdr *h = (struct nlmsghdr *)msg;
		size_t len = 20 + (x >> 5) % 200, i;

		for (i = 0; i < len; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			msg[i] = x;
		}
		h->nlmsg_len = len;
		h->nlmsg_type = nl.family_id;
		h->nlmsg_flags = NLM_F_REQUEST | (x & 1 ? NLM_F_DUMP : 0);
		msg[16] = 1 + (x >> 9) % 2;	/* the command: GET or SUMMARY */
		send(nl.fd, msg, len, MSG_DONTWAIT);
		while (recv(nl.fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
			;
		fuzzed++;
	}
	ssnl_close(&nl);
}

static void *fuzzer(void *arg)
{
	pid_t p;

	if (!arg) {
		fuzz_loop();
		return NULL;
	}
	/* The same as an unprivileged user. */
	p = fork();
	if (!p) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(1);
		fuzz_loop();
		_exit(0);
	}
	while (!stop)
		usleep(100000);
	kill(p, SIGTERM);
	waitpid(p, NULL, 0);
	return NULL;
}

FIXTURE(stress) {
};

FIXTURE_SETUP(stress)
{
}

FIXTURE_TEARDOWN(stress)
{
}

TEST_F_TIMEOUT(stress, churn_while_dumping, 600)
{
	int seconds = getenv("SOCKSTAT_STRESS_SECONDS") ? atoi(getenv("SOCKSTAT_STRESS_SECONDS")) : 60;
	void *(*workers[])(void *) = { churner, churner, passer, forker, tcp_churner,
				       netns_churner, summarizer, proc_reader };
	pthread_t t[16];
	int i, n = 0;
	void *ret;

	for (i = 0; i < NSTABLE; i++) {
		stable_fd[i] = socket(i % 2 ? AF_UNIX : AF_INET, SOCK_DGRAM, 0);
		ASSERT_LE(0, stable_fd[i]);
		stable_ino[i] = ss_inode(stable_fd[i]);
	}
	qsort(stable_ino, NSTABLE, sizeof(stable_ino[0]), cmp_u64);

	for (i = 0; i < (int)(sizeof(workers) / sizeof(workers[0])); i++)
		ASSERT_EQ(0, pthread_create(&t[n++], NULL, workers[i], NULL));
	ASSERT_EQ(0, pthread_create(&t[n++], NULL, dumper, NULL));
	ASSERT_EQ(0, pthread_create(&t[n++], NULL, dumper, (void *)1));
	ASSERT_EQ(0, pthread_create(&t[n++], NULL, looker, NULL));
	ASSERT_EQ(0, pthread_create(&t[n++], NULL, fuzzer, NULL));
	ASSERT_EQ(0, pthread_create(&t[n++], NULL, fuzzer, (void *)1));
	sleep(seconds);
	stop = 1;
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, pthread_join(t[i], &ret));
		EXPECT_EQ(NULL, ret);
	}
	ksft_print_msg("%d s: %ld dumps (%ld wrong), %ld lookups, %ld sockets churned, %ld passed over AF_UNIX, %ld forks\n",
		       seconds, (long)dumps, (long)bad_dumps, (long)lookups, (long)churned,
		       (long)passed, (long)forks);
	ksft_print_msg("%ld TCP connections, %ld network namespaces, %ld SUMMARY, %ld /proc reads, %ld fuzz messages; %ld reader errors\n",
		       (long)conns, (long)netns_made, (long)summaries, (long)proc_reads,
		       (long)fuzzed, (long)reader_errors);
	EXPECT_LT(10, dumps);
	EXPECT_EQ(0, bad_dumps);
	EXPECT_LT(100, conns);
	EXPECT_LT(10, netns_made);
	EXPECT_LT(10, summaries);
	EXPECT_LT(10, proc_reads);
	EXPECT_LT(1000, fuzzed);
	EXPECT_EQ(0, reader_errors);
	for (i = 0; i < NSTABLE; i++)
		close(stable_fd[i]);
}

/* Unload and reload while dumps are in flight. */
TEST_F_TIMEOUT(stress, reload_with_dumps_in_flight, 600)
{
	int cycles = 0, busy = 0;
	pthread_t t[2];

	if (!getenv("SOCKSTAT_KO"))
		SKIP(return, "SOCKSTAT_KO does not name the module file");
	/* Every dump that completes must hold each of them exactly once. */
	for (int i = 0; i < NSTABLE; i++) {
		stable_fd[i] = socket(AF_UNIX, SOCK_DGRAM, 0);
		ASSERT_LE(0, stable_fd[i]);
		stable_ino[i] = ss_inode(stable_fd[i]);
	}
	qsort(stable_ino, NSTABLE, sizeof(stable_ino[0]), cmp_u64);
	stop = 0;
	ASSERT_EQ(0, pthread_create(&t[0], NULL, reopening_dumper, (void *)1));
	ASSERT_EQ(0, pthread_create(&t[1], NULL, reopening_dumper, NULL));
	while (dumps < 2)
		usleep(1000);
	/* The dumpers' requests fail while the module is away: fine. */
	while (cycles < 100) {
		int err = ss_module_unload();

		if (err) {
			ASSERT_EQ(-EWOULDBLOCK, err);
			busy++;
			usleep(500);
			continue;
		}
		usleep(5000);
		ASSERT_EQ(0, ss_module_load());
		cycles++;
		usleep(5000);
	}
	stop = 1;
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	ksft_print_msg("%d unload/reload cycles with dumps in flight (%d times busy), %ld dumps (%ld wrong)\n",
		       cycles, busy, (long)dumps, (long)bad_dumps);
	EXPECT_EQ(100, cycles);
	EXPECT_LT(2, dumps);	/* dumps went on between the reloads */
	EXPECT_EQ(0, bad_dumps);	/* and each that completed was right */
	for (int i = 0; i < NSTABLE; i++)
		close(stable_fd[i]);
}

TEST_HARNESS_MAIN
