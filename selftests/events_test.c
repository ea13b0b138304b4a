// SPDX-License-Identifier: GPL-2.0
/*
 * Live events (SOCKSTAT_CMD_SUBSCRIBE, SOCKSTAT_CMD_EVENT): each scripted
 * sequence of socket calls yields exactly its events, in order, for each
 * of its sockets; other namespaces' events and other users' tasks are
 * filtered; the probes exist only while somebody subscribes.
 *
 * Each test runs in a network namespace of its own, so that no other
 * socket's events interleave, and compares each socket's own list of
 * events (matched by inode, or by cookie for a connection's events before
 * accept()): the order between sockets depends on the CPUs.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sockstat.h>
#include <linux/net.h>

#include "kselftest_harness.h"
#include "evq.h"
#include "nl.h"

FIXTURE(ev) {
	struct evq q;
};

FIXTURE_SETUP(ev)
{
	ASSERT_EQ(0, netns_with_lo());
	ASSERT_EQ(0, evq_open(&self->q));
}

FIXTURE_TEARDOWN(ev)
{
	evq_close(&self->q);
}

TEST_F(ev, tcp_blocking_connect_accept_close)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	int l, c, s, i, n, before, births;
	uint64_t lino, cino, sino, scookie;
	struct ev got[64];

	ASSERT_EQ(0, evq_subscribe(&self->q, 0, 0));
	l = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, l);
	ASSERT_EQ(0, bind(l, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, getsockname(l, (struct sockaddr *)&a, &alen));
	ASSERT_EQ(0, listen(l, 4));
	c = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, connect(c, (struct sockaddr *)&a, sizeof(a)));
	s = accept(l, NULL, NULL);
	ASSERT_LE(0, s);
	lino = ss_inode(l);
	cino = ss_inode(c);
	sino = ss_inode(s);
	scookie = sock_cookie(s);
	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	/* Let the FIN arrive: the server's side goes to CLOSE_WAIT. */
	usleep(100000);
	close(s);
	close(c);
	close(l);
	evq_read(&self->q, 500);

	n = evq_of(&self->q, lino, 0, got, 64);
	EXPECT_EVENTS(got, n, CREATED, SK(TCP_CLOSE, TCP_LISTEN), SK(TCP_LISTEN, TCP_CLOSE), RELEASED);

	/*
	 * The client: SYN sent before SS_CONNECTING (the kernel's order), the
	 * handshake, shutdown's FIN, the peer's FIN (the server closes
	 * first): from FIN_WAIT2 the struct sock goes to TIME_WAIT, which no
	 * tracepoint reports (tcp_time_wait() ends in tcp_done(): FIN_WAIT2
	 * -> CLOSE); then close() releases the socket.
	 */
	n = evq_of(&self->q, cino, 0, got, 64);
	EXPECT_TRUE(n > 0 && got[0].has_task);
	if (n > 0) {
		EXPECT_EQ((uint32_t)getpid(), got[0].pid);
		EXPECT_EQ(getuid(), got[0].uid);
		EXPECT_EQ(SOCKSTAT_CREATED_SOCKET, got[0].how);
	}
	for (i = 0; i < n; i++) {
		EXPECT_EQ(AF_INET, got[i].family);
		if (got[i].kind == SOCKSTAT_EVENT_KIND_SHUTDOWN)
			EXPECT_EQ(SHUT_WR, got[i].how);
	}
	n = strip_released(got, n, &before);
	EXPECT_LE(7, before);
	/* shutdown() returns after its FIN, maybe after the peer's ACK too. */
	n = strip_kind(got, n, SOCKSTAT_EVENT_KIND_SHUTDOWN, &before);
	EXPECT_LE(6, before);
	EXPECT_EVENTS(got, n, CREATED, SK(TCP_CLOSE, TCP_SYN_SENT),
		      SS(SS_UNCONNECTED, SS_CONNECTING), SK(TCP_SYN_SENT, TCP_ESTABLISHED),
		      SS(SS_CONNECTING, SS_CONNECTED), SK(TCP_ESTABLISHED, TCP_FIN_WAIT1),
		      SK(TCP_FIN_WAIT1, TCP_FIN_WAIT2), SK(TCP_FIN_WAIT2, TCP_CLOSE));

	/*
	 * The server's connection: born in softirq from the listener before
	 * it has an identity (cookie 0, no inode, no task), then by its
	 * cookie: ESTABLISHED, accept()ed, the client's FIN, and close() in
	 * CLOSE_WAIT: LAST_ACK, and CLOSE when the client's ACK comes.
	 */
	for (i = 0, births = 0; i < self->q.n; i++)
		births += self->q.e[i].kind == SOCKSTAT_EVENT_KIND_SK_STATE &&
			  self->q.e[i].old == TCP_LISTEN && self->q.e[i].new == TCP_SYN_RECV &&
			  !self->q.e[i].ino && !self->q.e[i].cookie && !self->q.e[i].has_task;
	EXPECT_EQ(1, births);
	n = evq_of(&self->q, sino, scookie, got, 64);
	if (n >= 2) {
		EXPECT_EQ(0, got[0].ino);
		EXPECT_FALSE(got[0].has_task);
		EXPECT_EQ(SOCKSTAT_CREATED_ACCEPT, got[1].how);
		EXPECT_EQ(lino, got[1].listener);
		EXPECT_EQ(sino, got[1].ino);
	}
	n = strip_released(got, n, &before);
	EXPECT_EVENTS(got, n, SK(TCP_SYN_RECV, TCP_ESTABLISHED), CREATED,
		      SK(TCP_ESTABLISHED, TCP_CLOSE_WAIT), SK(TCP_CLOSE_WAIT, TCP_LAST_ACK),
		      SK(TCP_LAST_ACK, TCP_CLOSE));
	EXPECT_LE(4, before);
	/* Numbers without a gap, after the subscription's. */
	for (i = 0; i < self->q.n; i++)
		EXPECT_EQ(self->q.sub_seq + 1 + i, self->q.e[i].seq);
}

TEST_F(ev, tcp_refused_connect)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				 .sin_port = htons(9) };
	struct ev got[32];
	uint64_t ino;
	int c, n;

	ASSERT_EQ(0, evq_subscribe(&self->q, 0, 0));
	c = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, c);
	ino = ss_inode(c);
	EXPECT_EQ(-1, connect(c, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_EQ(ECONNREFUSED, errno);
	close(c);
	evq_read(&self->q, 500);
	n = evq_of(&self->q, ino, 0, got, 32);
	EXPECT_EVENTS(got, n, CREATED, SK(TCP_CLOSE, TCP_SYN_SENT),
		      SS(SS_UNCONNECTED, SS_CONNECTING), SK(TCP_SYN_SENT, TCP_CLOSE),
		      SS(SS_CONNECTING, SS_UNCONNECTED), RELEASED);
}

TEST_F(ev, tcp_nonblocking_connect)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	struct ev got[32];
	uint64_t ino;
	int l, c, n;

	ASSERT_EQ(0, evq_subscribe(&self->q, 0, 0));
	l = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_EQ(0, bind(l, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, getsockname(l, (struct sockaddr *)&a, &alen));
	ASSERT_EQ(0, listen(l, 4));
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ino = ss_inode(c);
	EXPECT_EQ(-1, connect(c, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_EQ(EINPROGRESS, errno);
	usleep(100000);
	/*
	 * SS_CONNECTING stays until the next connect(), which finds the
	 * connection made, returns 0 and sets SS_CONNECTED.
	 */
	EXPECT_EQ(0, connect(c, (struct sockaddr *)&a, sizeof(a)));
	evq_read(&self->q, 300);
	n = evq_of(&self->q, ino, 0, got, 32);
	EXPECT_EVENTS(got, n, CREATED, SK(TCP_CLOSE, TCP_SYN_SENT),
		      SS(SS_UNCONNECTED, SS_CONNECTING), SK(TCP_SYN_SENT, TCP_ESTABLISHED),
		      SS(SS_CONNECTING, SS_CONNECTED));
	close(c);
	close(l);
}

TEST_F(ev, unix_stream_listen_connect_accept)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	socklen_t alen = offsetof(struct sockaddr_un, sun_path) + 1 +
			 sprintf(a.sun_path + 1, "sockstat-ev-%d", getpid());
	struct ev got[32];
	uint64_t lino, cino, sino;
	int l, c, s, n, connected = ss_unix_connected_state();

	ASSERT_EQ(0, evq_subscribe(&self->q, 0, 0));
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_EQ(0, bind(l, (struct sockaddr *)&a, alen));
	ASSERT_EQ(0, listen(l, 4));
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_EQ(0, connect(c, (struct sockaddr *)&a, alen));
	s = accept(l, NULL, NULL);
	ASSERT_LE(0, s);
	lino = ss_inode(l);
	cino = ss_inode(c);
	sino = ss_inode(s);
	close(s);
	close(c);
	close(l);
	evq_read(&self->q, 300);

	n = evq_of(&self->q, lino, 0, got, 32);
	EXPECT_EVENTS(got, n, CREATED, SK(TCP_CLOSE, TCP_LISTEN), RELEASED);
	n = evq_of(&self->q, cino, 0, got, 32);
	if (connected == SS_CONNECTED)
		EXPECT_EVENTS(got, n, CREATED, SK(TCP_CLOSE, TCP_ESTABLISHED),
			      SS(SS_UNCONNECTED, SS_CONNECTED), RELEASED);
	else
		EXPECT_EVENTS(got, n, CREATED, SK(TCP_CLOSE, TCP_ESTABLISHED), RELEASED);
	n = evq_of(&self->q, sino, 0, got, 32);
	EXPECT_EVENTS(got, n, CREATED, RELEASED);
	if (n)
		EXPECT_EQ(lino, got[0].listener);
}

TEST_F(ev, socketpair_and_udp_connect)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				 .sin_port = htons(7) };
	struct sockaddr un = { .sa_family = AF_UNSPEC };
	struct ev got[32];
	uint64_t i0, i1, u;
	int sv[2], d, n;

	ASSERT_EQ(0, evq_subscribe(&self->q, 0, 0));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	i0 = ss_inode(sv[0]);
	i1 = ss_inode(sv[1]);
	close(sv[0]);
	close(sv[1]);
	d = socket(AF_INET, SOCK_DGRAM, 0);
	u = ss_inode(d);
	ASSERT_EQ(0, connect(d, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, connect(d, &un, sizeof(un)));
	close(d);
	evq_read(&self->q, 300);

	n = evq_of(&self->q, i0, 0, got, 32);
	EXPECT_EVENTS(got, n, CREATED, RELEASED);
	n = evq_of(&self->q, i1, 0, got, 32);
	EXPECT_EVENTS(got, n, CREATED, RELEASED);
	/* UDP keeps socket->state SS_UNCONNECTED; sk_state says connected. */
	n = evq_of(&self->q, u, 0, got, 32);
	EXPECT_EVENTS(got, n, CREATED, SK(TCP_CLOSE, TCP_ESTABLISHED),
		      SK(TCP_ESTABLISHED, TCP_CLOSE), RELEASED);
}

/* Other namespaces' events are not a subscriber's, unless asked with CAP_NET_ADMIN. */
TEST_F(ev, other_namespaces)
{
	int p[2], st;
	uint64_t ino;
	pid_t child;
	int i;

	ASSERT_EQ(0, evq_subscribe(&self->q, 0, 0));
	ASSERT_EQ(0, pipe(p));
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		int fd;

		if (unshare(CLONE_NEWNET))
			_exit(1);
		fd = socket(AF_INET, SOCK_STREAM, 0);
		ino = ss_inode(fd);
		close(fd);
		write(p[1], &ino, sizeof(ino));
		_exit(0);
	}
	ASSERT_EQ(sizeof(ino), read(p[0], &ino, sizeof(ino)));
	ASSERT_EQ(child, waitpid(child, &st, 0));
	evq_read(&self->q, 300);
	for (i = 0; i < self->q.n; i++)
		EXPECT_NE(ino, self->q.e[i].ino);

	/* Another namespace without CAP_NET_ADMIN: refused. */
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		struct evq q;

		if (evq_open(&q) || setgid(65534) || setuid(65534))
			_exit(2);
		_exit(evq_subscribe(&q, 1, 1) == -EPERM ? 0 : 3);
	}
	ASSERT_EQ(child, waitpid(child, &st, 0));
	EXPECT_EQ(0, WEXITSTATUS(st));
	close(p[0]);
	close(p[1]);
}

/*
 * An unprivileged subscriber sees its own task in its events, and no
 * task in events root's process caused (the dump's rule for owners).
 */
TEST_F(ev, task_only_where_the_dump_shows_owners)
{
	int go[2], done[2], st, fd;
	uint64_t mine = 0, roots;
	pid_t child;

	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(done));
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		struct evq q;
		struct ev got[16];
		int n, m, bad = 0;
		char c;

		if (setgid(65534) || setuid(65534) || evq_open(&q) || evq_subscribe(&q, 0, 0))
			_exit(2);
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		mine = ss_inode(fd);
		close(fd);
		write(done[1], "x", 1);
		if (read(go[0], &roots, sizeof(roots)) != sizeof(roots))
			_exit(4);
		evq_read(&q, 300);
		n = evq_of(&q, mine, 0, got, 16);
		bad |= n != 2 || !got[0].has_task || got[0].pid != (uint32_t)getpid() ||
		       got[0].uid != 65534;
		m = evq_of(&q, roots, 0, got, 16);
		bad |= (m != 2 || got[0].has_task || got[1].has_task) << 1;
		read(go[0], &c, 0);
		_exit(bad ? 10 + bad : 0);
	}
	ASSERT_EQ(1, read(done[0], (char[1]){}, 1));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	roots = ss_inode(fd);
	close(fd);
	ASSERT_EQ(sizeof(roots), write(go[1], &roots, sizeof(roots)));
	ASSERT_EQ(child, waitpid(child, &st, 0));
	EXPECT_EQ(0, WEXITSTATUS(st)) TH_LOG("11: own task missing, 12: root's task shown");
}

/*
 * No probe while nobody subscribes: the kernel's kprobe list has none of
 * ours before, all of them (each ftrace-based, so never in NMI context)
 * while one socket subscribes, and none once it has closed.
 */
TEST_F(ev, probes_only_while_subscribed)
{
	int ftrace = 0, i, n = -2;

	if (our_kprobes(NULL) < 0)
		SKIP(return, "no /sys/kernel/debug/kprobes/list (debugfs)");
	EXPECT_EQ(0, our_kprobes(NULL));
	ASSERT_EQ(0, evq_subscribe(&self->q, 0, 0));
	EXPECT_EQ(6, our_kprobes(&ftrace));
	EXPECT_TRUE(ftrace);
	/* Subscribing twice on one socket is refused. */
	EXPECT_EQ(-EBUSY, evq_subscribe(&self->q, 0, 0));
	ssnl_close(&self->q.nl);
	for (i = 0; i < 50 && n; i++) {
		usleep(100000);
		n = our_kprobes(NULL);
	}
	EXPECT_EQ(0, n);
	/* And armed again by the next one. */
	ASSERT_EQ(0, ssnl_open(&self->q.nl));
	ASSERT_EQ(0, evq_subscribe(&self->q, 0, 0));
	EXPECT_EQ(6, our_kprobes(NULL));
}

/*
 * Arming and disarming while sockets come and go on both vCPUs: each
 * round subscribes (the probes go in), reads events, closes (they go
 * out), and waits until the kernel's list says so.  A probe that patched
 * the kernel's text badly would crash a churning close() or connect().
 */
TEST_F_TIMEOUT(ev, arm_disarm_cycles_under_churn, 600)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	int round, i, n, st, l, events = 0;
	pid_t churn;

	l = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_EQ(0, bind(l, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, getsockname(l, (struct sockaddr *)&a, &alen));
	ASSERT_EQ(0, listen(l, 128));
	churn = fork();
	ASSERT_LE(0, churn);
	if (!churn) {
		for (;;) {
			int c = socket(AF_INET, SOCK_STREAM, 0), s, sv[2];

			if (c >= 0 && !connect(c, (struct sockaddr *)&a, sizeof(a))) {
				s = accept(l, NULL, NULL);
				if (s >= 0)
					close(s);
			}
			close(c);
			if (!socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
				close(sv[0]);
				close(sv[1]);
			}
		}
	}
	for (round = 0; round < 20; round++) {
		ASSERT_EQ(0, ssnl_open(&self->q.nl));
		self->q.n = 0;
		ASSERT_EQ(0, evq_subscribe(&self->q, 0, 0));
		evq_read(&self->q, 100);
		events += self->q.n;
		ssnl_close(&self->q.nl);
		for (i = 0, n = -2; i < 100 && n; i++) {
			usleep(50000);
			n = our_kprobes(NULL);
		}
		if (n > 0)
			break;
	}
	kill(churn, SIGKILL);
	ASSERT_EQ(churn, waitpid(churn, &st, 0));
	close(l);
	EXPECT_EQ(20, round) TH_LOG("round %d: the probes stayed after the last subscriber left", round);
	EXPECT_LT(0, events);
	ksft_print_msg("%d rounds, %d events read\n", round, events);
	/* The fixture's teardown closes a socket it no longer has. */
	ASSERT_EQ(0, ssnl_open(&self->q.nl));
}

TEST_HARNESS_MAIN
