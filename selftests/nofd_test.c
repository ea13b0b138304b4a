// SPDX-License-Identifier: GPL-2.0
/*
 * Sockets no file descriptor reaches (SOCKSTAT_A_SOCK_NOFD_KINDS): each
 * case made on purpose in a network namespace of its own, found in the
 * dump with what the kernel holds for it, counted by SUMMARY, checked
 * against /proc/net/tcp and "ss -tan", and shown by sockstat-nl.
 *
 *   accept     a TCP listener with backlog 0 and a client not accepted
 *              (a second client's SYN is dropped: it stays SYN_SENT); an
 *              AF_UNIX listener with two connections not accepted
 *   syn-recv   a listener with TCP_DEFER_ACCEPT keeps a handshake that
 *              carried no data in its SYN queue
 *   in-flight  a UDP socket sent over an AF_UNIX socketpair and closed by
 *              the sender, not yet received
 *   orphan     a connection closed while its peer had not read what it
 *              sent: FIN_WAIT1 with the data still queued
 *   time-wait  an actively closed connection
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/net.h>
#include <linux/sockstat.h>

#include "kselftest_harness.h"
#include "inet.h"
#include "nl.h"
#include "run_cmd.h"

#define A(x) SOCKSTAT_A_SOCK_##x
#define NOFD_ALL ((1u << (SOCKSTAT_NOFD_TIME_WAIT + 1)) - 2)
#define MAX_FOUND 256
/* include/net/tcp_states.h: a request sock in a SYN queue. */
#define TCP_NEW_SYN_RECV 12

/* Every socket of a dump with nofd kinds. */
struct found {
	int n;
	struct ss_sock s[MAX_FOUND];
};

static int collect_cb(const struct ss_sock *s, void *arg)
{
	struct found *f = arg;

	if (f->n < MAX_FOUND)
		f->s[f->n++] = *s;
	return 0;
}

static int dump(struct ssnl *nl, uint32_t kinds, struct found *f)
{
	struct ssnl_req r;

	f->n = 0;
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	if (kinds)
		ssnl_put(&r, A(NOFD_KINDS), &kinds, sizeof(kinds));
	return ssnl_request(nl, &r, NLM_F_DUMP, 32768, collect_cb, f);
}

static unsigned int nofd_of(const struct ss_sock *s)
{
	return s->present[A(NOFD)] ? s->v[A(NOFD)] : 0;
}

/* The sockets of kind @kind (0: held by a descriptor) with local port @lport (0: any). */
static int count_kind(const struct found *f, unsigned int kind, int lport,
		      const struct ss_sock **last)
{
	int i, n = 0;

	for (i = 0; i < f->n; i++) {
		if (nofd_of(&f->s[i]) != kind ||
		    (lport && f->s[i].v[A(LOCAL_PORT)] != (uint64_t)lport))
			continue;
		n++;
		if (last)
			*last = &f->s[i];
	}
	return n;
}

static const struct ss_sock *by_inode(const struct found *f, uint64_t ino,
				      unsigned int kind)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (f->s[i].ino == ino && nofd_of(&f->s[i]) == kind)
			return &f->s[i];
	return NULL;
}

static int port_of(int fd)
{
	struct sockaddr_storage a;
	socklen_t len = sizeof(a);

	if (getsockname(fd, (struct sockaddr *)&a, &len))
		return -1;
	/* sin_port and sin6_port are at the same place. */
	return ntohs(((struct sockaddr_in *)&a)->sin_port);
}

/* @addr, IPv4 or IPv6, and @port into @a; its length. */
static socklen_t sockaddr_of(const char *addr, int port, struct sockaddr_storage *a)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)a;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)a;

	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, addr, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		return sizeof(*a4);
	}
	if (inet_pton(AF_INET6, addr, &a6->sin6_addr) != 1)
		abort();
	a6->sin6_family = AF_INET6;
	a6->sin6_port = htons(port);
	return sizeof(*a6);
}

/* A listener on @addr ("::" takes IPv4 too); with TCP_DEFER_ACCEPT if @defer. */
static int tcp_listener_on(const char *addr, int backlog, int defer)
{
	struct sockaddr_storage a;
	socklen_t len = sockaddr_of(addr, 0, &a);
	int fd = socket(a.ss_family, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, len) ||
	    (defer && setsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer, sizeof(defer))) ||
	    listen(fd, backlog))
		abort();
	return fd;
}

static int tcp_listener(int backlog, int defer)
{
	return tcp_listener_on("127.0.0.1", backlog, defer);
}

/* A client of @addr:@port; non-blocking if @nb (connect may not be done). */
static int tcp_client_to(const char *addr, int port, int nb)
{
	struct sockaddr_storage a;
	socklen_t len = sockaddr_of(addr, port, &a);
	int fd = socket(a.ss_family, SOCK_STREAM | (nb ? SOCK_NONBLOCK : 0), 0);

	if (fd < 0 || (connect(fd, (struct sockaddr *)&a, len) && !(nb && errno == EINPROGRESS)))
		abort();
	return fd;
}

/* A client of the listener on 127.0.0.1:@port. */
static int tcp_client(int port, int nb)
{
	return tcp_client_to("127.0.0.1", port, nb);
}

/* A client of listener @lfd, at the address it is bound to. */
static int client_of(int lfd)
{
	struct sockaddr_storage a;
	socklen_t len = sizeof(a);
	int fd;

	if (getsockname(lfd, (struct sockaddr *)&a, &len))
		abort();
	fd = socket(a.ss_family, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, len))
		abort();
	return fd;
}

/* Let loopback traffic and the TCP state machine settle. */
static void settle(void)
{
	usleep(200 * 1000);
}

/* Each test runs in a process of its own, in a network namespace of its own. */
FIXTURE(nofd) {
	struct ssnl nl;
	struct found f;
};

FIXTURE_SETUP(nofd)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, ss_lo_up());
	ASSERT_EQ(0, ssnl_open(&self->nl));
}

FIXTURE_TEARDOWN(nofd)
{
	ssnl_close(&self->nl);
}

/*
 * listen(fd, 0): the accept queue takes one connection (backlog + 1);
 * the next client's SYN is dropped and it stays in SYN_SENT.  The
 * connection exists before accept(), established, holding what the
 * client sent; accept() gives it a descriptor, the same socket (cookie).
 */
TEST_F(nofd, tcp_accept_queue)
{
	const struct ss_sock *e = NULL, *l, *c2;
	int lfd = tcp_listener(0, 0), port = port_of(lfd);
	int c1 = tcp_client(port, 0), c2fd, afd;
	uint64_t cookie;
	char buf[100] = "before accept()";

	ASSERT_EQ(100, write(c1, buf, sizeof(buf)));
	c2fd = tcp_client(port, 1);
	settle();

	ASSERT_EQ(0, dump(&self->nl, 1u << SOCKSTAT_NOFD_ACCEPT, &self->f));
	ASSERT_EQ(1, count_kind(&self->f, SOCKSTAT_NOFD_ACCEPT, 0, &e));
	EXPECT_EQ(ss_inode(lfd), e->v[A(HOLDER_INODE)]);
	EXPECT_EQ(0, e->present[A(INODE)]);
	EXPECT_EQ(0, e->present[A(SS_STATE)]);
	EXPECT_EQ(0, e->nowners);
	EXPECT_EQ(AF_INET, e->family);
	EXPECT_EQ(TCP_ESTABLISHED, e->sk_state);
	EXPECT_EQ(port, e->v[A(LOCAL_PORT)]);
	EXPECT_EQ(port_of(c1), e->v[A(PEER_PORT)]);
	EXPECT_EQ(100, e->recv_q);
	cookie = e->v[A(COOKIE)];

	l = by_inode(&self->f, ss_inode(lfd), 0);
	ASSERT_NE(NULL, l);
	EXPECT_EQ(1, l->v[A(ACCEPT_QUEUE)]);
	EXPECT_EQ(0, l->v[A(ACCEPT_MAX)]);
	EXPECT_EQ(0, l->v[A(SYN_QUEUE)]);
	/* The listener itself: SS_UNCONNECTED, sk_state LISTEN. */
	EXPECT_EQ(SS_UNCONNECTED, l->ss_state);
	c2 = by_inode(&self->f, ss_inode(c2fd), 0);
	ASSERT_NE(NULL, c2);
	EXPECT_EQ(TCP_SYN_SENT, c2->sk_state);
	EXPECT_EQ(SS_CONNECTING, c2->ss_state);

	/* Without the selector, none of them. */
	ASSERT_EQ(0, dump(&self->nl, 0, &self->f));
	EXPECT_EQ(0, count_kind(&self->f, SOCKSTAT_NOFD_ACCEPT, 0, NULL));

	afd = accept(lfd, NULL, NULL);
	ASSERT_LE(0, afd);
	ASSERT_EQ(0, dump(&self->nl, NOFD_ALL, &self->f));
	EXPECT_EQ(0, count_kind(&self->f, SOCKSTAT_NOFD_ACCEPT, port, NULL));
	e = by_inode(&self->f, ss_inode(afd), 0);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(cookie, e->v[A(COOKIE)]);
	EXPECT_EQ(100, e->recv_q);
	EXPECT_EQ(SS_CONNECTED, e->ss_state);
	close(afd);
	close(c2fd);
	close(c1);
	close(lfd);
}

/*
 * TCP_DEFER_ACCEPT: the final ACK of a handshake that carries no data
 * leaves the request in the SYN queue (state NEW_SYN_RECV, SYN-ACK timer
 * running) although the client sees ESTABLISHED; data moves it to the
 * accept queue.
 */
TEST_F(nofd, tcp_syn_queue)
{
	const struct ss_sock *e = NULL, *l;
	int lfd = tcp_listener(8, 30), port = port_of(lfd);
	int c = tcp_client(port, 0);

	settle();
	ASSERT_EQ(0, dump(&self->nl, 1u << SOCKSTAT_NOFD_SYN_RECV, &self->f));
	ASSERT_EQ(1, count_kind(&self->f, SOCKSTAT_NOFD_SYN_RECV, 0, &e));
	EXPECT_EQ(ss_inode(lfd), e->v[A(HOLDER_INODE)]);
	EXPECT_EQ(TCP_NEW_SYN_RECV, e->sk_state);
	EXPECT_EQ(port, e->v[A(LOCAL_PORT)]);
	EXPECT_EQ(port_of(c), e->v[A(PEER_PORT)]);
	EXPECT_EQ(SOCKSTAT_TIMER_SYN_ACK, e->v[A(TIMER)]);
	EXPECT_EQ(1, e->present[A(COOKIE)]);
	EXPECT_EQ(0, e->present[A(INODE)]);
	l = by_inode(&self->f, ss_inode(lfd), 0);
	ASSERT_NE(NULL, l);
	EXPECT_EQ(1, l->v[A(SYN_QUEUE)]);
	EXPECT_EQ(0, l->v[A(ACCEPT_QUEUE)]);

	ASSERT_EQ(5, write(c, "hello", 5));
	settle();
	ASSERT_EQ(0, dump(&self->nl, NOFD_ALL, &self->f));
	EXPECT_EQ(0, count_kind(&self->f, SOCKSTAT_NOFD_SYN_RECV, port, NULL));
	ASSERT_EQ(1, count_kind(&self->f, SOCKSTAT_NOFD_ACCEPT, port, &e));
	EXPECT_EQ(5, e->recv_q);
	close(c);
	close(lfd);
}

/* Send @fd over @via with SCM_RIGHTS. */
static int send_fd(int via, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 }, byte = 'x';
	struct iovec iov = { &byte, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(via, &mh, 0) == 1 ? 0 : -1;
}

static int recv_fd(int via)
{
	char cbuf[CMSG_SPACE(sizeof(int))], byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(via, &mh, 0) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&mh);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/*
 * A socket sent over AF_UNIX and closed by the sender: only the message
 * in the receiver's queue holds it.  Reported with its inode and struct
 * socket, no owner, tied to the socket whose queue holds the message.
 */
TEST_F(nofd, in_flight)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	const struct ss_sock *e;
	int sv[2], u = socket(AF_INET, SOCK_DGRAM, 0), port, got;
	uint64_t ino;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ASSERT_EQ(0, bind(u, (struct sockaddr *)&a, sizeof(a)));
	port = port_of(u);
	ino = ss_inode(u);

	/* Still held by a descriptor too: both rows. */
	ASSERT_EQ(0, send_fd(sv[0], u));
	ASSERT_EQ(0, dump(&self->nl, 1u << SOCKSTAT_NOFD_IN_FLIGHT, &self->f));
	EXPECT_NE(NULL, by_inode(&self->f, ino, 0));
	e = by_inode(&self->f, ino, SOCKSTAT_NOFD_IN_FLIGHT);
	if (ss_not_reported("in-flight")) {
		/* Absent, as the module says (modinfo), not something else. */
		EXPECT_EQ(NULL, e);
		EXPECT_EQ(0, count_kind(&self->f, SOCKSTAT_NOFD_IN_FLIGHT, 0, NULL));
		close(u);
		close(sv[0]);
		close(sv[1]);
		SKIP(return, "this build cannot read messages in flight (modinfo not_reported: in-flight)");
	}
	ASSERT_NE(NULL, e);

	close(u);
	ASSERT_EQ(0, dump(&self->nl, 1u << SOCKSTAT_NOFD_IN_FLIGHT, &self->f));
	EXPECT_EQ(NULL, by_inode(&self->f, ino, 0));
	e = by_inode(&self->f, ino, SOCKSTAT_NOFD_IN_FLIGHT);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(ss_inode(sv[1]), e->v[A(HOLDER_INODE)]);
	EXPECT_EQ(SS_UNCONNECTED, e->ss_state);
	EXPECT_EQ(AF_INET, e->family);
	EXPECT_EQ(SOCK_DGRAM, e->type);
	EXPECT_EQ(port, e->v[A(LOCAL_PORT)]);
	EXPECT_EQ(0, e->nowners);
	/* The message's reference is the only one. */
	EXPECT_EQ(1, e->v[A(FILE_REFS)]);
	EXPECT_EQ(1, count_kind(&self->f, SOCKSTAT_NOFD_IN_FLIGHT, 0, NULL));

	/* A GET do finds no descriptor; received, it has one again. */
	EXPECT_EQ(-ENOENT, ssnl_get(&self->nl, ino, &self->f.s[0]));
	got = recv_fd(sv[1]);
	ASSERT_LE(0, got);
	EXPECT_EQ(ino, ss_inode(got));
	ASSERT_EQ(0, dump(&self->nl, NOFD_ALL, &self->f));
	EXPECT_EQ(NULL, by_inode(&self->f, ino, SOCKSTAT_NOFD_IN_FLIGHT));
	EXPECT_NE(NULL, by_inode(&self->f, ino, 0));
	close(got);
	close(sv[0]);
	close(sv[1]);
}

/* AF_UNIX: connections not accepted are "embryo" sockets on the listener's queue. */
TEST_F(nofd, unix_accept_queue)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	socklen_t len = offsetof(struct sockaddr_un, sun_path) + 1 +
			snprintf(a.sun_path + 1, sizeof(a.sun_path) - 1, "nofd-%d", getpid());
	int l = socket(AF_UNIX, SOCK_STREAM, 0), c[2], i, seen = 0;
	const struct ss_sock *ls;

	ASSERT_EQ(0, bind(l, (struct sockaddr *)&a, len));
	ASSERT_EQ(0, listen(l, 4));
	for (i = 0; i < 2; i++) {
		c[i] = socket(AF_UNIX, SOCK_STREAM, 0);
		ASSERT_EQ(0, connect(c[i], (struct sockaddr *)&a, len));
	}
	ASSERT_EQ(7, write(c[1], "waiting", 7));

	ASSERT_EQ(0, dump(&self->nl, 1u << SOCKSTAT_NOFD_ACCEPT, &self->f));
	for (i = 0; i < self->f.n; i++) {
		const struct ss_sock *e = &self->f.s[i];

		if (nofd_of(e) != SOCKSTAT_NOFD_ACCEPT)
			continue;
		seen++;
		EXPECT_EQ(ss_inode(l), e->v[A(HOLDER_INODE)]);
		EXPECT_EQ(AF_UNIX, e->family);
		EXPECT_EQ(SOCK_STREAM, e->type);
		EXPECT_EQ(TCP_ESTABLISHED, e->sk_state);
		EXPECT_EQ(0, e->present[A(INODE)]);
		if (e->v[A(PEER_INODE)] == ss_inode(c[1])) {
			EXPECT_EQ(7, e->recv_q);
		} else {
			EXPECT_EQ(ss_inode(c[0]), e->v[A(PEER_INODE)]);
		}
	}
	EXPECT_EQ(2, seen);
	ls = by_inode(&self->f, ss_inode(l), 0);
	ASSERT_NE(NULL, ls);
	EXPECT_EQ(2, ls->v[A(ACCEPT_QUEUE)]);
	for (i = 0; i < 2; i++)
		close(c[i]);
	close(l);
}

/*
 * Fill the path from @w to @r (who never reads) until @w's send queue
 * holds data the peer has no room for.
 */
static void fill(int w)
{
	static char buf[65536];
	int fl = fcntl(w, F_GETFL);

	fcntl(w, F_SETFL, fl | O_NONBLOCK);
	while (write(w, buf, sizeof(buf)) > 0)
		;
	fcntl(w, F_SETFL, fl);
}

/* The orphan: FIN_WAIT1, its data and FIN waiting for a window the peer never opens. */
static int make_orphan(int lfd, int *peer)
{
	int c = client_of(lfd), rcv = 4096, port;

	*peer = accept(lfd, NULL, NULL);
	setsockopt(*peer, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	fill(c);
	port = port_of(c);
	close(c);
	return port;
}

/*
 * Actively closed: TIME_WAIT.  The client connects to @addr (NULL: the
 * listener's own address).  Returns the closer's port.
 */
static int make_time_wait_to(int lfd, const char *addr)
{
	int c = addr ? tcp_client_to(addr, port_of(lfd), 0) : client_of(lfd);
	int s = accept(lfd, NULL, NULL), port = port_of(c);
	char b;

	close(c);
	if (read(s, &b, 1) != 0)
		abort();
	close(s);
	return port;
}

static int make_time_wait(int lfd)
{
	return make_time_wait_to(lfd, NULL);
}

TEST_F(nofd, orphan)
{
	const struct ss_sock *e = NULL;
	int lfd = tcp_listener(8, 0), peer, port;

	port = make_orphan(lfd, &peer);
	settle();
	ASSERT_EQ(0, dump(&self->nl, 1u << SOCKSTAT_NOFD_ORPHAN, &self->f));
	ASSERT_EQ(1, count_kind(&self->f, SOCKSTAT_NOFD_ORPHAN, port, &e));
	EXPECT_EQ(TCP_FIN_WAIT1, e->sk_state);
	EXPECT_LT(0, e->send_q);
	EXPECT_EQ(0, e->present[A(INODE)]);
	EXPECT_EQ(0, e->present[A(HOLDER_INODE)]);
	EXPECT_EQ(1, e->present[A(TIMER)]);
	EXPECT_EQ(port_of(lfd), e->v[A(PEER_PORT)]);
	EXPECT_EQ(1, e->tcp_present[SOCKSTAT_A_TCP_RTO_US]);
	TH_LOG("orphan: FIN_WAIT1, send-q %u, timer %s in %llu ms", e->send_q,
	       e->v[A(TIMER)] == SOCKSTAT_TIMER_ZERO_WINDOW_PROBE ? "zero-window-probe" :
	       e->v[A(TIMER)] == SOCKSTAT_TIMER_RETRANSMIT ? "retransmit" : "other",
	       (unsigned long long)e->v[A(TIMER_MS)]);
	close(peer);
	close(lfd);
}

/*
 * An orphan in FIN_WAIT2 whose TCP_LINGER2 outlasts TIME_WAIT keeps its
 * full socket, on TCP's keepalive timer for the difference (tcp_close()
 * or the FIN's ACK: 120 s - 60 s): SOCKSTAT_TIMER_SK_TIMER, which is
 * icsk_keepalive_timer on every kernel built for (sk->sk_timer is not
 * TCP's on 6.x, and aliases the retransmission timer on 7.x).
 */
TEST_F(nofd, orphan_fin_wait2_keepalive_timer)
{
	const struct ss_sock *e = NULL;
	int lfd = tcp_listener(8, 0), c, s, port, linger2 = 120;

	ASSERT_LE(0, lfd);
	c = tcp_client(port_of(lfd), 0);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, setsockopt(c, IPPROTO_TCP, TCP_LINGER2, &linger2, sizeof(linger2)));
	s = accept(lfd, NULL, NULL);
	ASSERT_LE(0, s);
	port = port_of(c);
	close(c);
	settle();
	ASSERT_EQ(0, dump(&self->nl, 1u << SOCKSTAT_NOFD_ORPHAN, &self->f));
	ASSERT_EQ(1, count_kind(&self->f, SOCKSTAT_NOFD_ORPHAN, port, &e));
	EXPECT_EQ(TCP_FIN_WAIT2, e->sk_state);
	EXPECT_EQ(1, e->present[A(TIMER)]);
	EXPECT_EQ(SOCKSTAT_TIMER_SK_TIMER, e->v[A(TIMER)]);
	EXPECT_LT(50000, e->v[A(TIMER_MS)]);
	EXPECT_GE(60000, e->v[A(TIMER_MS)]);
	close(s);
	close(lfd);
}

TEST_F(nofd, time_wait)
{
	const struct ss_sock *e = NULL;
	int lfd = tcp_listener(8, 0), port = make_time_wait(lfd), c, s;
	char b;

	settle();
	ASSERT_EQ(0, dump(&self->nl, 1u << SOCKSTAT_NOFD_TIME_WAIT, &self->f));
	ASSERT_EQ(1, count_kind(&self->f, SOCKSTAT_NOFD_TIME_WAIT, port, &e));
	EXPECT_EQ(TCP_TIME_WAIT, e->sk_state);
	EXPECT_EQ(port_of(lfd), e->v[A(PEER_PORT)]);
	EXPECT_EQ(SOCKSTAT_TIMER_TIME_WAIT, e->v[A(TIMER)]);
	EXPECT_LT(50000, e->v[A(TIMER_MS)]);
	EXPECT_GE(60000, e->v[A(TIMER_MS)]);
	EXPECT_EQ(AF_INET, e->family);
	EXPECT_EQ(SOCK_STREAM, e->type);
	EXPECT_EQ(IPPROTO_TCP, e->protocol);
	EXPECT_EQ(0, e->present[A(INODE)]);
	EXPECT_EQ(0, e->present[A(SS_STATE)]);

	/*
	 * Closed first while the peer stays open: FIN_WAIT2.  With the
	 * default tcp_fin_timeout (60 s, no longer than TIME_WAIT) the kernel
	 * either keeps the full socket as an orphan or, when it can, swaps
	 * it for a TIME_WAIT entry whose substate is FIN_WAIT2.
	 */
	c = tcp_client(port_of(lfd), 0);
	s = accept(lfd, NULL, NULL);
	port = port_of(c);
	close(c);
	settle();
	ASSERT_EQ(0, dump(&self->nl, NOFD_ALL, &self->f));
	ASSERT_EQ(1, count_kind(&self->f, SOCKSTAT_NOFD_TIME_WAIT, port, &e) +
		     count_kind(&self->f, SOCKSTAT_NOFD_ORPHAN, port, &e));
	EXPECT_EQ(TCP_FIN_WAIT2, e->sk_state);
	TH_LOG("FIN_WAIT2 after close(): reported as %s",
	       nofd_of(e) == SOCKSTAT_NOFD_TIME_WAIT ? "a TIME_WAIT entry" : "an orphan");
	ASSERT_EQ(0, read(s, &b, 1));
	close(s);
	close(lfd);
}

/* Every case at once, as the tests above make them. */
struct zoo {
	int lfd, c1, c2, dfd, dc, sv[2], peer, lfd2;
	int accept_port, defer_port, orphan_port, tw_port;
};

static void make_zoo(struct zoo *z)
{
	int u = socket(AF_INET6, SOCK_DGRAM, 0);

	z->lfd = tcp_listener(0, 0);
	z->accept_port = port_of(z->lfd);
	z->c1 = tcp_client(z->accept_port, 0);
	z->c2 = tcp_client(z->accept_port, 1);
	z->dfd = tcp_listener(8, 30);
	z->defer_port = port_of(z->dfd);
	z->dc = tcp_client(z->defer_port, 0);
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, z->sv) || send_fd(z->sv[0], u))
		abort();
	close(u);
	z->lfd2 = tcp_listener(8, 0);
	z->orphan_port = make_orphan(z->lfd2, &z->peer);
	z->tw_port = make_time_wait(z->lfd2);
	settle();
}

static int kind_total(const struct found *f, unsigned int kind, int state)
{
	int i, n = 0;

	for (i = 0; i < f->n; i++)
		n += nofd_of(&f->s[i]) == kind && (state < 0 || f->s[i].sk_state == state);
	return n;
}

/* SUMMARY counts what the dump lists, kind by kind. */
TEST_F(nofd, summary_counts_them)
{
	struct ss_summary *sum = malloc(sizeof(*sum));
	uint32_t kinds = NOFD_ALL;
	unsigned int k, per[SOCKSTAT_NOFD_TIME_WAIT + 1] = { 0 };
	struct ssnl_req r;
	struct zoo z;
	int i;

	ASSERT_NE(NULL, sum);
	make_zoo(&z);
	ASSERT_EQ(0, dump(&self->nl, NOFD_ALL, &self->f));
	ssnl_req_init(&r, SOCKSTAT_CMD_SUMMARY);
	ssnl_put(&r, A(NOFD_KINDS), &kinds, sizeof(kinds));
	ASSERT_EQ(0, ssnl_summary(&self->nl, &r, sum));
	for (i = 0; i < sum->n; i++)
		per[sum->e[i].nofd] += sum->e[i].count;
	EXPECT_EQ((uint32_t)self->f.n, sum->total);
	for (k = 0; k <= SOCKSTAT_NOFD_TIME_WAIT; k++) {
		EXPECT_EQ(kind_total(&self->f, k, -1), per[k]) TH_LOG("kind %u", k);
		if (k == SOCKSTAT_NOFD_IN_FLIGHT && ss_not_reported("in-flight")) {
			EXPECT_EQ(0, per[k]) TH_LOG("kind %u: not reported", k);
		} else if (k) {
			EXPECT_EQ(1, per[k]) TH_LOG("kind %u", k);
		}
	}
	/* Without the selector, SUMMARY counts what descriptors hold only. */
	ssnl_req_init(&r, SOCKSTAT_CMD_SUMMARY);
	ASSERT_EQ(0, ssnl_summary(&self->nl, &r, sum));
	EXPECT_EQ(per[0], sum->total);
	free(sum);
}

/* /proc/net/tcp lines with state @st (hex) and inode 0: no descriptor. */
static int proc_tcp_count(int st, int *port_out, int want_port)
{
	const char *files[] = { "/proc/net/tcp", "/proc/net/tcp6" };
	char line[512];
	int i, n = 0;

	for (i = 0; i < 2; i++) {
		FILE *f = fopen(files[i], "r");

		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			unsigned int lport, s, tx, rx;
			unsigned long ino;
			char laddr[64];

			if (sscanf(line, " %*d: %63[0-9A-Fa-f]:%x %*s %x %x:%x %*s %*s %*s %*s %lu",
				   laddr, &lport, &s, &tx, &rx, &ino) != 6)
				continue;
			if ((int)s != st || ino)
				continue;
			if (want_port && (int)lport == want_port && port_out)
				*port_out = tx;
			n++;
		}
		fclose(f);
	}
	return n;
}

/* "ss -tan" lines in state @name. */
static int ss_count(const struct cmd_result *r, const char *name)
{
	const char *p = r->out;
	int n = 0;

	while (p && *p) {
		n += !strncmp(p, name, strlen(name)) && p[strlen(name)] == ' ';
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return n;
}

TEST_F(nofd, crosscheck_proc_net_tcp_and_ss)
{
	char *const ss[] = { "ss", "-tan", NULL };
	struct cmd_result *r = malloc(sizeof(*r));
	const struct ss_sock *o = NULL;
	int txq = -1;
	struct zoo z;

	ASSERT_NE(NULL, r);
	make_zoo(&z);
	ASSERT_EQ(0, dump(&self->nl, NOFD_ALL, &self->f));
	ASSERT_EQ(0, run_cmd(r, ss));
	ASSERT_EQ(0, r->status);

	/* TIME_WAIT entries: /proc state 06, ss TIME-WAIT. */
	EXPECT_EQ(kind_total(&self->f, SOCKSTAT_NOFD_TIME_WAIT, TCP_TIME_WAIT),
		  proc_tcp_count(TCP_TIME_WAIT, NULL, 0));
	EXPECT_EQ(kind_total(&self->f, SOCKSTAT_NOFD_TIME_WAIT, TCP_TIME_WAIT),
		  ss_count(r, "TIME-WAIT"));
	EXPECT_EQ(1, ss_count(r, "TIME-WAIT"));
	/* The orphan: FIN_WAIT1 with no inode; its send queue as /proc has it. */
	EXPECT_EQ(kind_total(&self->f, SOCKSTAT_NOFD_ORPHAN, TCP_FIN_WAIT1),
		  proc_tcp_count(TCP_FIN_WAIT1, &txq, z.orphan_port));
	EXPECT_EQ(1, ss_count(r, "FIN-WAIT-1"));
	ASSERT_EQ(1, count_kind(&self->f, SOCKSTAT_NOFD_ORPHAN, z.orphan_port, &o));
	EXPECT_EQ(txq, (int)o->send_q);
	/* The request of the SYN queue: /proc SYN_RECV (03), ss SYN-RECV. */
	EXPECT_EQ(kind_total(&self->f, SOCKSTAT_NOFD_SYN_RECV, -1),
		  proc_tcp_count(TCP_SYN_RECV, NULL, 0));
	EXPECT_EQ(1, ss_count(r, "SYN-RECV"));
	/*
	 * The connection in the accept queue is ESTABLISHED with no inode;
	 * ss -tan lists it with the others: two client ends (one of them the
	 * deferred client) and the orphan's peer, plus it.
	 */
	EXPECT_EQ(kind_total(&self->f, SOCKSTAT_NOFD_ACCEPT, TCP_ESTABLISHED),
		  proc_tcp_count(TCP_ESTABLISHED, NULL, 0));
	EXPECT_EQ(1, kind_total(&self->f, SOCKSTAT_NOFD_ACCEPT, TCP_ESTABLISHED));
	EXPECT_EQ(4, ss_count(r, "ESTAB"));
	EXPECT_EQ(1, ss_count(r, "SYN-SENT"));
	free(r);
}

/* Run sockstat-nl with the arguments that follow, NULL-terminated; its exit status. */
static int cli(struct cmd_result *r, ...)
{
	char *argv[16] = { "sockstat-nl" };
	va_list ap;
	int i = 1;

	va_start(ap, r);
	while (i < 15 && (argv[i] = va_arg(ap, char *)))
		i++;
	va_end(ap);
	argv[i] = NULL;
	if (run_cmd(r, argv))
		return -1;
	return r->status;
}

/*
 * sockstat-nl -a: the table, JSON and show.  Six runs of the CLI under
 * TCG can take more than the harness's 30 s when the host is busy.
 */
TEST_F_TIMEOUT(nofd, cli_shows_them, 300)
{
	struct cmd_result *r = malloc(sizeof(*r));
	char line[512], ino[32], cookie[48];
	const struct ss_sock *tw = NULL;
	struct zoo z;

	ASSERT_NE(NULL, r);
	make_zoo(&z);
	ASSERT_EQ(0, cli(r, "-a", "-n", "-H", NULL)) TH_LOG("%s", r->err);
	/* One line per kind, COMMAND saying why; no owner, no inode but in flight. */
	EXPECT_TRUE(find_line(r->out, "-", line, sizeof(line)));
	EXPECT_NE(NULL, strstr(r->out, "[accept]"));
	EXPECT_NE(NULL, strstr(r->out, "[syn-recv]"));
	if (ss_not_reported("in-flight")) {
		EXPECT_EQ(NULL, strstr(r->out, "[in-flight]"));
	} else {
		EXPECT_NE(NULL, strstr(r->out, "[in-flight]"));
	}
	EXPECT_NE(NULL, strstr(r->out, "[orphan]"));
	EXPECT_NE(NULL, strstr(r->out, "[time-wait]"));
	snprintf(line, sizeof(line), "127.0.0.1:%d", z.tw_port);
	EXPECT_NE(NULL, strstr(r->out, line));
	ASSERT_EQ(0, cli(r, "--nofd", "time-wait", "-j", NULL)) TH_LOG("%s", r->err);
	EXPECT_NE(NULL, strstr(r->out, "\"nofd_name\":\"time-wait\""));
	EXPECT_NE(NULL, strstr(r->out, "\"timer_name\":\"time-wait\""));
	EXPECT_EQ(NULL, strstr(r->out, "\"nofd_name\":\"orphan\""));

	ASSERT_EQ(0, dump(&self->nl, 1u << SOCKSTAT_NOFD_TIME_WAIT, &self->f));
	ASSERT_EQ(1, count_kind(&self->f, SOCKSTAT_NOFD_TIME_WAIT, z.tw_port, &tw));
	snprintf(cookie, sizeof(cookie), "cookie:%llu", (unsigned long long)tw->v[A(COOKIE)]);
	ASSERT_EQ(0, cli(r, "show", cookie, NULL)) TH_LOG("%s", r->err);
	EXPECT_NE(NULL, strstr(r->out, "no descriptor reaches it"));
	EXPECT_NE(NULL, strstr(r->out, "time-wait"));
	EXPECT_NE(NULL, strstr(r->out, "inet_timewait_sock"));
	EXPECT_NE(NULL, strstr(r->out, "TIME_WAIT"));

	/* show INODE of the socket in flight: found in the dump, not by a do. */
	ASSERT_EQ(0, dump(&self->nl, 1u << SOCKSTAT_NOFD_IN_FLIGHT, &self->f));
	if (!ss_not_reported("in-flight")) {
		ASSERT_EQ(1, count_kind(&self->f, SOCKSTAT_NOFD_IN_FLIGHT, 0, &tw));
		snprintf(ino, sizeof(ino), "%llu", (unsigned long long)tw->ino);
		ASSERT_EQ(0, cli(r, "-j", "show", ino, NULL)) TH_LOG("%s", r->err);
		EXPECT_NE(NULL, strstr(r->out, "\"nofd_name\":\"in-flight\""));
		snprintf(line, sizeof(line), "\"holder_inode\":%llu",
			 (unsigned long long)ss_inode(z.sv[1]));
		EXPECT_NE(NULL, strstr(r->out, line));
	} else {
		EXPECT_EQ(0, count_kind(&self->f, SOCKSTAT_NOFD_IN_FLIGHT, 0, NULL));
	}
	ASSERT_EQ(0, cli(r, "-s", "-a", NULL)) TH_LOG("%s", r->err);
	EXPECT_NE(NULL, strstr(r->out, "[time-wait]"));
	EXPECT_NE(NULL, strstr(r->out, "[syn-recv]"));
	free(r);
}

/*
 * The IPv6 cases, one of each: an orphan (FIN_WAIT1, data the peer has no
 * room for), a TIME_WAIT entry, a v4-mapped one (an AF_INET6 client of
 * ::ffff:127.0.0.1, whose TIME_WAIT entry stays AF_INET6), and a request
 * in a SYN queue: a listener whose socket filter drops every segment but
 * the SYN, so the handshake's last ACK never reaches it (SYN cookies off:
 * the request is the kernel's, not a cookie), the client established.
 */
struct zoo6 {
	int lfd, peer, dual, syn, client;
	int orphan_port, tw_port, mapped_port;
};

static void make_zoo6(struct zoo6 *z)
{
	int fd = open("/proc/sys/net/ipv4/tcp_syncookies", O_WRONLY);

	/* Without CONFIG_SYN_COOKIES (the debug kernel) there is none to turn off. */
	if (fd < 0 ? errno != ENOENT : write(fd, "0\n", 2) != 2)
		abort();
	if (fd >= 0)
		close(fd);
	z->lfd = tcp_listener_on("::1", 8, 0);
	z->orphan_port = make_orphan(z->lfd, &z->peer);
	z->tw_port = make_time_wait(z->lfd);
	z->dual = tcp_listener_on("::", 8, 0);
	z->mapped_port = make_time_wait_to(z->dual, "::ffff:127.0.0.1");
	z->syn = tcp_listener_on("::1", 8, 0);
	if (ss_drop_segments(z->syn, 1))
		abort();
	z->client = client_of(z->syn);
	settle();
}

/* What an entry of the zoo must be. */
struct want6 {
	const char *what, *addr;	/* both ends' address */
	unsigned int kind;
	int lport, pport;
};

static void wants_of(const struct zoo6 *z, struct want6 w[4])
{
	w[0] = (struct want6){ "orphan", "::1", SOCKSTAT_NOFD_ORPHAN, z->orphan_port,
			       port_of(z->lfd) };
	w[1] = (struct want6){ "TIME_WAIT", "::1", SOCKSTAT_NOFD_TIME_WAIT, z->tw_port,
			       port_of(z->lfd) };
	w[2] = (struct want6){ "v4-mapped TIME_WAIT", "::ffff:127.0.0.1", SOCKSTAT_NOFD_TIME_WAIT,
			       z->mapped_port, port_of(z->dual) };
	/* A request's local end is its listener's. */
	w[3] = (struct want6){ "SYN_RECV", "::1", SOCKSTAT_NOFD_SYN_RECV, port_of(z->syn),
			       port_of(z->client) };
}

/* The entry of @f of kind @kind between @lport and @pport, if just one. */
static const struct ss_sock *entry(const struct found *f, unsigned int kind, int lport,
				   int pport)
{
	const struct ss_sock *e = NULL;
	int i, n = 0;

	for (i = 0; i < f->n; i++)
		if (nofd_of(&f->s[i]) == kind && f->s[i].v[A(LOCAL_PORT)] == (uint64_t)lport &&
		    f->s[i].v[A(PEER_PORT)] == (uint64_t)pport) {
			e = &f->s[i];
			n++;
		}
	return n == 1 ? e : NULL;
}

/* /proc/net/tcp's "tr" for each SOCKSTAT_TIMER_*, and ss's name for it. */
static const unsigned int proc_timer[] = {
	[SOCKSTAT_TIMER_RETRANSMIT] = 1, [SOCKSTAT_TIMER_ZERO_WINDOW_PROBE] = 4,
	[SOCKSTAT_TIMER_SK_TIMER] = 2, [SOCKSTAT_TIMER_TIME_WAIT] = 3,
	[SOCKSTAT_TIMER_SYN_ACK] = 1,
};
static const char *const ss_timer[] = { "", "on", "keepalive", "timewait", "persist" };
/* The line of "ss -Htano" output @out between "[@addr]:@lport" and "[@addr]:@pport". */
static int ss_line(const char *out, const char *addr, int lport, int pport, char *line, size_t len)
{
	char ends[128];

	snprintf(ends, sizeof(ends), " [%s]:%d [%s]:%d ", addr, lport, addr, pport);
	return ss_find_line(out, ends, line, len);
}

/*
 * The IPv6 entries no descriptor reaches, against /proc/net/tcp6 and "ss
 * -tano": addresses and ports (16 bytes, as getsockname() gave them),
 * the state (/proc numbers a request SYN_RECV, the module
 * TCP_NEW_SYN_RECV), the send queue, the timer and its time left (read
 * between two reads of /proc that agree), the orphan's retransmissions.
 */
TEST_F_TIMEOUT(nofd, ipv6_entries_as_proc_net_tcp6_and_ss_have_them, 120)
{
	char *const ss[] = { "ss", "-Htano6", NULL };
	struct cmd_result *r = malloc(sizeof(*r));
	struct want6 w[4];
	struct zoo6 z;
	int i, try;

	ASSERT_NE(NULL, r);
	make_zoo6(&z);
	wants_of(&z, w);
	for (i = 0; i < 4; i++) {
		struct proc_tcp p1, p2;
		const struct ss_sock *e = NULL;
		uint8_t addr[16];
		unsigned int st;
		char line[512], want[64];

		ASSERT_EQ(1, inet_pton(AF_INET6, w[i].addr, addr));
		for (try = 0; try < 5; try++) {
			ASSERT_EQ(1, proc_tcp_find(1, w[i].lport, w[i].pport, 0, &p1)) TH_LOG("%s", w[i].what);
			ASSERT_EQ(0, run_cmd(r, ss));
			ASSERT_EQ(0, dump(&self->nl, NOFD_ALL, &self->f));
			ASSERT_EQ(1, proc_tcp_find(1, w[i].lport, w[i].pport, 0, &p2));
			/* The same timer, not re-armed in between. */
			if (p1.timer == p2.timer && p2.when <= p1.when && p1.retrnsmt == p2.retrnsmt)
				break;
		}
		ASSERT_GT(5, try) TH_LOG("%s: /proc/net/tcp6 never held still", w[i].what);
		e = entry(&self->f, w[i].kind, w[i].lport, w[i].pport);
		ASSERT_NE(NULL, e) TH_LOG("%s: not in the dump once", w[i].what);
		EXPECT_EQ(AF_INET6, e->family);
		EXPECT_EQ(16, e->local_addr_len);
		EXPECT_EQ(0, memcmp(addr, e->local_addr, 16)) TH_LOG("%s", w[i].what);
		EXPECT_EQ(0, memcmp(addr, e->peer_addr, 16)) TH_LOG("%s", w[i].what);
		EXPECT_EQ(0, memcmp(p1.laddr, e->local_addr, 16)) TH_LOG("%s", w[i].what);
		EXPECT_EQ(0, memcmp(p1.paddr, e->peer_addr, 16)) TH_LOG("%s", w[i].what);
		st = e->sk_state == TCP_NEW_SYN_RECV ? TCP_SYN_RECV : e->sk_state;
		EXPECT_EQ(p1.state, st) TH_LOG("%s", w[i].what);
		EXPECT_EQ(p1.tx_queue, e->send_q) TH_LOG("%s", w[i].what);
		EXPECT_EQ(p1.rx_queue, e->recv_q) TH_LOG("%s", w[i].what);
		ASSERT_TRUE(e->present[A(TIMER)]) TH_LOG("%s: no timer", w[i].what);
		ASSERT_GE(SOCKSTAT_TIMER_SYN_ACK, e->v[A(TIMER)]);
		EXPECT_EQ(p1.timer, proc_timer[e->v[A(TIMER)]]) TH_LOG("%s", w[i].what);
		/* /proc counts 10 ms ticks, rounded down. */
		EXPECT_LE(p2.when * 10, e->v[A(TIMER_MS)] + 10) TH_LOG("%s", w[i].what);
		EXPECT_GE(p1.when * 10 + 20, e->v[A(TIMER_MS)]) TH_LOG("%s", w[i].what);
		if (w[i].kind == SOCKSTAT_NOFD_ORPHAN) {
			EXPECT_LT(0, e->send_q);
			EXPECT_EQ(TCP_FIN_WAIT1, e->sk_state);
			EXPECT_EQ(p1.retrnsmt, e->tcp[SOCKSTAT_A_TCP_RETRANSMITS]);
		}
		ASSERT_TRUE(ss_line(r->out, w[i].addr, w[i].lport, w[i].pport, line, sizeof(line)))
			TH_LOG("%s: not in ss -tano:\n%s", w[i].what, r->out);
		ASSERT_NE(NULL, ss_state_name(st));
		EXPECT_EQ(0, strncmp(line, ss_state_name(st), strlen(ss_state_name(st))))
			TH_LOG("%s: '%s'", w[i].what, line);
		snprintf(want, sizeof(want), " timer:(%s,", ss_timer[p1.timer]);
		EXPECT_NE(NULL, strstr(line, want)) TH_LOG("%s: no '%s' in '%s'", w[i].what, want, line);
		ksft_print_msg("%s: state %u, timer %llu in %llu ms (/proc: %lu0 ms), send-q %u\n",
			       w[i].what, e->sk_state, (unsigned long long)e->v[A(TIMER)],
			       (unsigned long long)e->v[A(TIMER_MS)], p1.when, e->send_q);
	}
	free(r);
}

/*
 * "show cookie:N" of the IPv6 orphan and of the request in the SYN
 * queue: no inode, why no descriptor reaches it, the parts each has (a
 * full struct sock and its tcp_sock for the orphan, only sock_common for
 * the request), with the values the kernel gives elsewhere: family,
 * state (/proc/net/tcp6's), addresses and ports (getsockname()), the
 * request's listener (its inode), the timer the dump reports.
 */
TEST_F_TIMEOUT(nofd, cli_shows_an_ipv6_orphan_and_a_request, 300)
{
	struct cmd_result *r = malloc(sizeof(*r));
	struct want6 w[4];
	struct zoo6 z;
	int k;

	ASSERT_NE(NULL, r);
	make_zoo6(&z);
	wants_of(&z, w);
	ASSERT_EQ(0, dump(&self->nl, NOFD_ALL, &self->f));
	for (k = 0; k < 4; k += 3) {	/* the orphan, the request */
		const char *head = "no socket:[N], no struct socket\nno descriptor reaches it\n";
		const struct ss_sock *e = entry(&self->f, w[k].kind, w[k].lport, w[k].pport);
		char cookie[48], val[256], timer[32] = "";
		long long st;
		struct cmd_result *j = malloc(sizeof(*j));
		struct proc_tcp p, p0;
		long long rto;

		ASSERT_NE(NULL, e) TH_LOG("%s", w[k].what);
		ASSERT_NE(NULL, j);
		snprintf(cookie, sizeof(cookie), "cookie:%llu", (unsigned long long)e->v[A(COOKIE)]);
		/* /proc before and after: the orphan's RTO grows as it retransmits. */
		ASSERT_EQ(1, proc_tcp_find(1, w[k].lport, w[k].pport, 0, &p0));
		ASSERT_EQ(0, cli(r, "show", cookie, NULL)) TH_LOG("%s", r->err);
		ASSERT_EQ(1, proc_tcp_find(1, w[k].lport, w[k].pport, 0, &p));

		EXPECT_EQ(0, strncmp(r->out, head, strlen(head))) TH_LOG("%s", r->out);
		EXPECT_SHOWN_STR(r->out, "no descriptor: why", k ? "syn-recv" : "orphan");
		EXPECT_SHOWN(r->out, "sk->sk_family", AF_INET6);
		ASSERT_TRUE(show_field(r->out, "sk->sk_state", val, sizeof(val)));
		st = show_number(val);
		EXPECT_EQ(p.state, st == TCP_NEW_SYN_RECV ? TCP_SYN_RECV : st) TH_LOG("%s: %s", w[k].what, val);
		EXPECT_SHOWN_STR(r->out, "inet->inet_rcv_saddr / sk_v6_rcv_saddr", w[k].addr);
		EXPECT_SHOWN_STR(r->out, "inet->inet_daddr / sk_v6_daddr", w[k].addr);
		EXPECT_SHOWN(r->out, "inet->inet_sport", w[k].lport);
		EXPECT_SHOWN(r->out, "inet->inet_dport", w[k].pport);
		/* The timer by name, as -j names the dump's. */
		ASSERT_EQ(0, cli(j, "-j", "show", cookie, NULL));
		ASSERT_NE(NULL, strstr(j->out, "\"timer_name\":\""));
		sscanf(strstr(j->out, "\"timer_name\":\"") + 14, "%31[^\"]", timer);
		EXPECT_SHOWN_STR(r->out, "the pending timer", timer);
		if (k) {
			EXPECT_NE(NULL, strstr(r->out, "struct sock_common (a request_sock entry"));
			EXPECT_SHOWN(r->out, "the queue's socket, its inode", ss_inode(z.syn));
			EXPECT_EQ(NULL, strstr(r->out, "struct tcp_sock"));
		} else {
			EXPECT_NE(NULL, strstr(r->out, "struct sock (sk->sk_socket is NULL)"));
			EXPECT_NE(NULL, strstr(r->out, "-> struct tcp_sock (tcp_sk(sk))"));
			/* /proc/net/tcp6 has the RTO in 10 ms ticks. */
			ASSERT_TRUE(p.full);
			ASSERT_TRUE(show_field(r->out, "icsk->icsk_rto", val, sizeof(val)));
			rto = show_number(val) / 10000;
			EXPECT_TRUE((long long)p0.rto <= rto + 1 && rto <= (long long)p.rto + 1)
				TH_LOG("/proc: %lu then %lu ticks; show: %s", p0.rto, p.rto, val);
			EXPECT_FALSE(show_field(r->out, "the queue's socket, its inode", val, sizeof(val)));
		}
		/* Nobody holds either: no descriptors, no waiters. */
		EXPECT_EQ(NULL, strstr(r->out, "descriptors ("));
		free(j);
	}
	free(r);
}

TEST_HARNESS_MAIN
