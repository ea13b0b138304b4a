// SPDX-License-Identifier: GPL-2.0
/*
 * Races: for SOCKSTAT_STRESS_SECONDS (default 60) threads create and
 * close sockets, processes fork and exit holding sockets, and descriptors
 * travel over AF_UNIX, while other threads dump in a loop and look
 * sockets up by inode.  Every dump must report each of a set of sockets
 * held for the whole test exactly once.  Then the module is unloaded and
 * reloaded 100 times with dumps in flight (needs SOCKSTAT_KO).  The QEMU
 * runner fails the run on any kernel warning.
 */
#include <errno.h>
#include <fcntl.h>
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
	void *(*workers[])(void *) = { churner, churner, passer, forker };
	pthread_t t[8];
	int i, n = 0;
	void *ret;

	for (i = 0; i < NSTABLE; i++) {
		stable_fd[i] = socket(i % 2 ? AF_UNIX : AF_INET, SOCK_DGRAM, 0);
		ASSERT_LE(0, stable_fd[i]);
		stable_ino[i] = ss_inode(stable_fd[i]);
	}
	qsort(stable_ino, NSTABLE, sizeof(stable_ino[0]), cmp_u64);

	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_create(&t[n++], NULL, workers[i], NULL));
	ASSERT_EQ(0, pthread_create(&t[n++], NULL, dumper, NULL));
	ASSERT_EQ(0, pthread_create(&t[n++], NULL, dumper, (void *)1));
	ASSERT_EQ(0, pthread_create(&t[n++], NULL, looker, NULL));
	sleep(seconds);
	stop = 1;
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, pthread_join(t[i], &ret));
		EXPECT_EQ(NULL, ret);
	}
	ksft_print_msg("%d s: %ld dumps (%ld wrong), %ld lookups, %ld sockets churned, %ld passed over AF_UNIX, %ld forks\n",
		       seconds, (long)dumps, (long)bad_dumps, (long)lookups, (long)churned,
		       (long)passed, (long)forks);
	EXPECT_LT(10, dumps);
	EXPECT_EQ(0, bad_dumps);
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
