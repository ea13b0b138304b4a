// SPDX-License-Identifier: GPL-2.0
/*
 * "sockstat-nl watch" with the module's events: what lasts shorter than
 * its interval is printed as it happens (a non-blocking connect's
 * SS_CONNECTING, a socket created and closed between two dumps), each
 * change once, and the dumps still find what has no event (a bound
 * address).  With --poll the same sequence between two dumps prints
 * nothing: the reason for the events.
 *
 * watch subscribes, which arms kprobes: this runs in the single-threaded
 * TCG guest (selftests/run.sh), like events_test.  Each test has a
 * network namespace of its own, so only its sockets are watched.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "inet.h"
#include "nl.h"
#include "run_cmd.h"

/* Long enough that no dump falls within a test's sequence of calls. */
#define INTERVAL	"6"

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

FIXTURE(watch) {
	char pid[16];
	char buf[65536];
	int got, out;
	pid_t w;
	int l, port;
	uint64_t cino, sino, uino, bino;
	unsigned short bport;
	double started;
};

FIXTURE_SETUP(watch)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, ss_lo_up());
	snprintf(self->pid, sizeof(self->pid), "%d", getpid());
	self->w = -1;
}

FIXTURE_TEARDOWN(watch)
{
	if (self->w > 0) {
		kill(self->w, SIGKILL);
		waitpid(self->w, NULL, 0);
	}
}

/* Start watch -i INTERVAL -n -p (this process), with @extra (or NULL). */
static int start(FIXTURE_DATA(watch) *self, const char *extra)
{
	char *argv[] = { "sockstat-nl", "watch", "-n", "-i", INTERVAL, "-p", self->pid,
			 (char *)extra, NULL };

	self->w = cmd_start(argv, &self->out, NULL);
	if (self->w < 0)
		return -1;
	if (!cmd_wait_for(self->out, self->buf, sizeof(self->buf), &self->got, " watching ", 30000))
		return -1;
	/* The whole first line. */
	cmd_wait_for(self->out, self->buf, sizeof(self->buf), &self->got, "\n", 5000);
	self->started = now_ms();
	return 0;
}

/*
 * The calls: a listener; a non-blocking connect to it (SS_CONNECTING
 * until the second connect() returns 0), accepted; all three closed; a
 * UDP socket made and closed; a UDP socket made and bound, kept open.
 */
static int sequence(FIXTURE_DATA(watch) *self)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	struct pollfd p;
	int c, s, u;

	self->l = socket(AF_INET, SOCK_STREAM, 0);
	if (self->l < 0 || bind(self->l, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(self->l, (struct sockaddr *)&a, &alen) || listen(self->l, 4))
		return -1;
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (c < 0)
		return -1;
	self->cino = ss_inode(c);
	if (connect(c, (struct sockaddr *)&a, sizeof(a)) != -1 || errno != EINPROGRESS)
		return -1;
	p.fd = c;
	p.events = POLLOUT;
	if (poll(&p, 1, 5000) != 1 || connect(c, (struct sockaddr *)&a, sizeof(a)))
		return -1;
	s = accept(self->l, NULL, NULL);
	if (s < 0)
		return -1;
	self->sino = ss_inode(s);
	close(c);
	close(s);
	close(self->l);
	u = socket(AF_INET, SOCK_DGRAM, 0);
	if (u < 0)
		return -1;
	self->uino = ss_inode(u);
	close(u);
	u = socket(AF_INET, SOCK_DGRAM, 0);
	a.sin_port = 0;
	alen = sizeof(a);
	if (u < 0 || bind(u, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(u, (struct sockaddr *)&a, &alen))
		return -1;
	self->bino = ss_inode(u);
	self->bport = ntohs(a.sin_port);
	return 0;	/* u stays open */
}

/* The lines of @buf about @ino, each cut after the time, joined by '|'. */
static void lines_of(const char *buf, uint64_t ino, char *out, size_t len)
{
	char key[32];
	const char *p;
	size_t off = 0;

	snprintf(key, sizeof(key), " %-10llu ", (unsigned long long)ino);
	out[0] = 0;
	for (p = buf; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
		const char *nl = strchr(p, '\n'), *k = strstr(p, key);
		const char *ev = strchr(p, ' ');

		if (!nl || !k || k > nl || !ev)
			continue;
		off += snprintf(out + off, len - off, "%s%.*s", off ? "|" : "",
				(int)(nl - ev - 1), ev + 1);
		if (off >= len)
			break;
	}
}

static int count(const char *s, const char *needle)
{
	int n = 0;

	for (; (s = strstr(s, needle)); s += strlen(needle))
		n++;
	return n;
}

TEST_F_TIMEOUT(watch, events_show_what_a_poll_cannot, 120)
{
	char got[2048], want[256];
	double took;

	ASSERT_EQ(0, start(self, NULL));
	EXPECT_NE(NULL, strstr(self->buf, "the kernel's events as they happen"))
		TH_LOG("first line: %s", self->buf);
	ASSERT_EQ(0, sequence(self));
	snprintf(want, sizeof(want), "close  %-10llu ", (unsigned long long)self->uino);
	EXPECT_NE(NULL, cmd_wait_for(self->out, self->buf, sizeof(self->buf), &self->got, want,
				     4000)) TH_LOG("no '%s' in:\n%s", want, self->buf);
	took = now_ms() - self->started;
	/* Before the first dump (INTERVAL after the first line): from the events. */
	EXPECT_GT(atoi(INTERVAL) * 1000.0, took) TH_LOG("%.0f ms", took);

	/*
	 * The client, -n: SS_UNCONNECTED 1, SS_CONNECTING 2, SS_CONNECTED 3;
	 * TCP_CLOSE 7, TCP_SYN_SENT 2, TCP_ESTABLISHED 1.  A created event
	 * knows no sk_state or ends ("-").  Then close() and its FIN_WAIT1,
	 * in an order the CPUs decide: compared up to the connection.
	 */
	lines_of(self->buf, self->cino, got, sizeof(got));
	snprintf(want, sizeof(want),
		 "new    %-10llu 2 1 1 - - -> - watch_test/%s|state  %-10llu 7 -> 2|"
		 "state  %-10llu 1 -> 2|state  %-10llu 2 -> 1|state  %-10llu 2 -> 3|",
		 (unsigned long long)self->cino, self->pid, (unsigned long long)self->cino,
		 (unsigned long long)self->cino, (unsigned long long)self->cino,
		 (unsigned long long)self->cino);
	EXPECT_EQ(0, strncmp(got, want, strlen(want))) TH_LOG("client:\n got %s\nwant %s...", got, want);
	snprintf(want, sizeof(want), "close  %-10llu ", (unsigned long long)self->cino);
	EXPECT_EQ(1, count(got, want)) TH_LOG("client: %s", got);
	/* The accepted one: born connected, with its listener's inode. */
	lines_of(self->buf, self->sino, got, sizeof(got));
	snprintf(want, sizeof(want), "new    %-10llu 2 1 3 - - -> - watch_test/%s|",
		 (unsigned long long)self->sino, self->pid);
	EXPECT_EQ(0, strncmp(got, want, strlen(want))) TH_LOG("accepted:\n got %s\nwant %s...", got, want);
	/* The short-lived UDP socket: made and closed, nothing between. */
	lines_of(self->buf, self->uino, got, sizeof(got));
	snprintf(want, sizeof(want), "new    %-10llu 2 2 1 - - -> - watch_test/%s|close  %-10llu 2 2 1 - - -> - watch_test/%s",
		 (unsigned long long)self->uino, self->pid, (unsigned long long)self->uino, self->pid);
	EXPECT_STREQ(want, got);

	/*
	 * The first dump: the bound socket's address (bind() has no event),
	 * once; no second word about the sockets the events already closed.
	 */
	snprintf(want, sizeof(want), "addr   %-10llu - - -> 127.0.0.1:%u ",
		 (unsigned long long)self->bino, self->bport);
	EXPECT_NE(NULL, cmd_wait_for(self->out, self->buf, sizeof(self->buf), &self->got, want,
				     atoi(INTERVAL) * 1000 + 10000)) TH_LOG("no '%s' in:\n%s", want, self->buf);
	usleep(500000);
	cmd_end(self->w, SIGTERM, self->out, self->buf, sizeof(self->buf), &self->got);
	self->w = -1;
	lines_of(self->buf, self->cino, got, sizeof(got));
	snprintf(want, sizeof(want), "close  %-10llu ", (unsigned long long)self->cino);
	EXPECT_EQ(1, count(got, want)) TH_LOG("client: %s", got);
	lines_of(self->buf, self->uino, got, sizeof(got));
	EXPECT_EQ(2, count(got, "|") + 1) TH_LOG("short-lived: %s", got);
}

TEST_F_TIMEOUT(watch, poll_misses_what_lasts_less_than_its_interval, 120)
{
	char got[2048], want[256];

	ASSERT_EQ(0, start(self, "--poll"));
	EXPECT_NE(NULL, strstr(self->buf, "by polling")) TH_LOG("first line: %s", self->buf);
	EXPECT_NE(NULL, strstr(self->buf, "(--poll;")) TH_LOG("first line: %s", self->buf);
	ASSERT_EQ(0, sequence(self));
	/* The first dump finds the bound socket, and nothing of the others. */
	snprintf(want, sizeof(want), "new    %-10llu ", (unsigned long long)self->bino);
	EXPECT_NE(NULL, cmd_wait_for(self->out, self->buf, sizeof(self->buf), &self->got, want,
				     atoi(INTERVAL) * 1000 + 10000)) TH_LOG("no '%s' in:\n%s", want, self->buf);
	usleep(500000);
	cmd_end(self->w, SIGTERM, self->out, self->buf, sizeof(self->buf), &self->got);
	self->w = -1;
	lines_of(self->buf, self->cino, got, sizeof(got));
	EXPECT_STREQ("", got);
	lines_of(self->buf, self->uino, got, sizeof(got));
	EXPECT_STREQ("", got);
}

TEST_HARNESS_MAIN
