// SPDX-License-Identifier: GPL-2.0
/*
 * What a busy server does while the module looks: the module must never
 * crash, stall or change what it observes (Documentation/index.rst, "Do
 * no harm").
 *
 * - tcp_traffic_while_reading: bulk TCP traffic on loopback connections,
 *   read in small pieces, while every view (full and brief dumps, dumps
 *   with the sockets no descriptor reaches, GET by inode, SUMMARY and
 *   /proc/net/sockstat_sockets) is read in a loop.  TCP changes its
 *   queues under the socket lock only; a reader that followed them
 *   would crash here (the runner fails the run on any kernel warning).
 *   The data must arrive intact, and the counts the module reports must
 *   stay within what was written.
 *
 * SOCKSTAT_STRESS_SECONDS (default 60) sets how long the traffic runs.
 * The guests run with two vCPUs in parallel (multi-threaded TCG), so
 * the readers and the traffic really race.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nl.h"

#define NCONN		4
#define CHUNK		(64 * 1024)

static atomic_int stop;

static int seconds(void)
{
	const char *s = getenv("SOCKSTAT_STRESS_SECONDS");

	return s ? atoi(s) : 60;
}

/* A connected pair on loopback: @fds[0] the client, @fds[1] the accepted. */
static int tcp_pair(int fds[2])
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0);

	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&a, &len))
		return -1;
	fds[0] = socket(AF_INET, SOCK_STREAM, 0);
	if (fds[0] < 0 || connect(fds[0], (struct sockaddr *)&a, sizeof(a)))
		return -1;
	fds[1] = accept(l, NULL, NULL);
	close(l);
	return fds[1] < 0 ? -1 : 0;
}

struct conn {
	int fds[2];
	uint64_t ino[2];
	atomic_llong sent, received;
	atomic_int bad_data;
};

static struct conn conns[NCONN];

/* Each byte is its offset in the stream, mod 251: a reordering shows. */
static void *writer(void *arg)
{
	struct conn *c = arg;
	unsigned char *buf = malloc(CHUNK);
	long long off = 0;

	if (!buf)
		return (void *)1;
	while (!stop) {
		ssize_t n;
		int i;

		for (i = 0; i < CHUNK; i++)
			buf[i] = (off + i) % 251;
		n = write(c->fds[0], buf, CHUNK);
		if (n <= 0)
			break;
		/* A short write: the rest is sent again, from its offset. */
		off += n;
		c->sent += n;
	}
	shutdown(c->fds[0], SHUT_WR);
	free(buf);
	return NULL;
}

/* Small reads of various sizes: many partial skbs, many unlinks. */
static void *reader(void *arg)
{
	struct conn *c = arg;
	unsigned char buf[977];
	long long off = 0;
	unsigned int k = 0;

	for (;;) {
		size_t want = 1 + (k++ * 131) % sizeof(buf);
		ssize_t n = read(c->fds[1], buf, want), i;

		if (n <= 0)
			break;
		for (i = 0; i < n; i++)
			if (buf[i] != (off + i) % 251)
				c->bad_data = 1;
		off += n;
		c->received += n;
	}
	return NULL;
}

static atomic_long views[6], view_errors[6], bad_counts;
static const char *const view_names[] = {
	"full dump", "brief dump", "dump -a", "GET do", "SUMMARY", "/proc",
};

/* The queue counts of the traffic's sockets stay within the socket buffers. */
static int check_counts(const struct ss_sock *s, void *arg)
{
	int i, j;

	(void)arg;
	for (i = 0; i < NCONN; i++)
		for (j = 0; j < 2; j++)
			if (s->ino == conns[i].ino[j] &&
			    (s->recv_q > 64u << 20 || s->send_q > 64u << 20))
				bad_counts++;
	return 0;
}

static void *dump_view(void *arg)
{
	long kind = (long)arg;
	struct ssnl nl;
	uint32_t zero = 0, all = 0x3e;

	if (ssnl_open(&nl))
		return (void *)1;
	while (!stop) {
		struct ssnl_req r;

		ssnl_req_init(&r, SOCKSTAT_CMD_GET);
		if (kind == 1)
			ssnl_put(&r, SOCKSTAT_A_SOCK_DETAILS, &zero, sizeof(zero));
		if (kind == 2)
			ssnl_put(&r, SOCKSTAT_A_SOCK_NOFD_KINDS, &all, sizeof(all));
		if (ssnl_request(&nl, &r, NLM_F_DUMP, 4096, check_counts, NULL))
			view_errors[kind]++;
		views[kind]++;
	}
	ssnl_close(&nl);
	return NULL;
}

static void *get_view(void *arg)
{
	struct ss_sock *s = malloc(sizeof(*s));
	unsigned int i = 0;
	struct ssnl nl;

	(void)arg;
	if (!s || ssnl_open(&nl))
		return (void *)1;
	while (!stop) {
		struct conn *c = &conns[i % NCONN];

		if (ssnl_get(&nl, c->ino[i++ / NCONN % 2], s))
			view_errors[3]++;
		else
			check_counts(s, NULL);
		views[3]++;
	}
	ssnl_close(&nl);
	free(s);
	return NULL;
}

static void *summary_view(void *arg)
{
	struct ss_summary *sum = malloc(sizeof(*sum));
	uint32_t all = 0x3e;
	struct ssnl nl;

	(void)arg;
	if (!sum || ssnl_open(&nl))
		return (void *)1;
	while (!stop) {
		struct ssnl_req r;

		ssnl_req_init(&r, SOCKSTAT_CMD_SUMMARY);
		if (views[4] % 2)
			ssnl_put(&r, SOCKSTAT_A_SOCK_NOFD_KINDS, &all, sizeof(all));
		if (ssnl_summary(&nl, &r, sum))
			view_errors[4]++;
		views[4]++;
	}
	ssnl_close(&nl);
	free(sum);
	return NULL;
}

/* The /proc file, read with small and odd-sized read() calls. */
static void *proc_view(void *arg)
{
	char buf[4096];
	unsigned int k = 0;

	(void)arg;
	while (!stop) {
		int fd = open("/proc/net/sockstat_sockets", O_RDONLY);
		ssize_t n;

		if (fd < 0) {
			view_errors[5]++;
			break;
		}
		do
			n = read(fd, buf, 1 + (k++ * 523) % sizeof(buf));
		while (n > 0);
		if (n < 0)
			view_errors[5]++;
		close(fd);
		views[5]++;
	}
	return NULL;
}

FIXTURE(busy) {
};

FIXTURE_SETUP(busy)
{
}

FIXTURE_TEARDOWN(busy)
{
}

TEST_F_TIMEOUT(busy, tcp_traffic_while_reading, 600)
{
	void *(*viewers[])(void *) = { dump_view, dump_view, dump_view, get_view,
				       summary_view, proc_view };
	pthread_t w[NCONN], r[NCONN], v[ARRAY_SIZE(viewers)];
	int i, secs = seconds();
	void *ret;

	for (i = 0; i < NCONN; i++) {
		struct conn *c = &conns[i];
		int small = 4096;

		ASSERT_EQ(0, tcp_pair(c->fds));
		/* Small buffers on some: more skbs, and a full window. */
		if (i % 2) {
			setsockopt(c->fds[1], SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
			setsockopt(c->fds[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
		}
		c->ino[0] = ss_inode(c->fds[0]);
		c->ino[1] = ss_inode(c->fds[1]);
		ASSERT_EQ(0, pthread_create(&w[i], NULL, writer, c));
		ASSERT_EQ(0, pthread_create(&r[i], NULL, reader, c));
	}
	for (i = 0; i < (int)ARRAY_SIZE(viewers); i++)
		ASSERT_EQ(0, pthread_create(&v[i], NULL, viewers[i], (void *)(long)i));

	sleep(secs);
	stop = 1;
	for (i = 0; i < (int)ARRAY_SIZE(viewers); i++) {
		ASSERT_EQ(0, pthread_join(v[i], &ret));
		EXPECT_EQ(NULL, ret);
	}
	for (i = 0; i < NCONN; i++) {
		struct conn *c = &conns[i];

		ASSERT_EQ(0, pthread_join(w[i], NULL));
		ASSERT_EQ(0, pthread_join(r[i], NULL));
		ksft_print_msg("connection %d: %lld bytes sent, %lld received\n",
			       i, (long long)c->sent, (long long)c->received);
		/* Observed, the traffic is what it would be unobserved. */
		EXPECT_EQ(c->sent, c->received);
		EXPECT_EQ(0, c->bad_data);
		EXPECT_LT(CHUNK, c->received);
		close(c->fds[0]);
		close(c->fds[1]);
	}
	for (i = 0; i < (int)ARRAY_SIZE(viewers); i++) {
		ksft_print_msg("%s: %ld reads, %ld failed\n", view_names[i],
			       (long)views[i], (long)view_errors[i]);
		EXPECT_LT(2, views[i]);
		EXPECT_EQ(0, view_errors[i]);
	}
	EXPECT_EQ(0, bad_counts);
}

TEST_HARNESS_MAIN
