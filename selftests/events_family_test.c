// SPDX-License-Identifier: GPL-2.0
/*
 * Live events, family by family (events_test has TCP's connect, accept
 * and close, AF_UNIX streams, socketpair() and UDP's connect): a
 * listener's overflow, shutdown() in each direction and state, UDP over
 * IPv6, AF_UNIX datagrams, netlink, packet and vsock sockets.  Each
 * expected list is what the kernel's code does (the functions are named
 * at each test), checked where it can be against what the kernel says
 * without the module (TCP_INFO, /proc/net/netstat).
 *
 * As in events_test, each test runs in a network namespace of its own
 * and compares each socket's own list of events.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/vm_sockets.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/sockstat.h>
#include <linux/net.h>

#include "kselftest_harness.h"
#include "evq.h"
#include "nl.h"

FIXTURE(evf) {
	struct evq q;
};

FIXTURE_SETUP(evf)
{
	ASSERT_EQ(0, netns_with_lo());
	ASSERT_EQ(0, evq_open(&self->q));
	ASSERT_EQ(0, evq_subscribe(&self->q, 0, 0));
}

FIXTURE_TEARDOWN(evf)
{
	evq_close(&self->q);
}

static int tcp_state(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len))
		return -1;
	return ti.tcpi_state;
}

/* A listener's accept queue, as the kernel counts it (tcp_get_info()). */
static int accept_queue(int l)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	if (getsockopt(l, IPPROTO_TCP, TCP_INFO, &ti, &len))
		return -1;
	return ti.tcpi_unacked;
}

/* TcpExt ListenOverflows of this network namespace (/proc/net/netstat). */
static long listen_overflows(void)
{
	char names[4096], values[4096], *n, *v, *sn, *sv;
	long r = -1;
	FILE *f = fopen("/proc/net/netstat", "r");

	if (!f)
		return -1;
	while (fgets(names, sizeof(names), f) && fgets(values, sizeof(values), f)) {
		if (strncmp(names, "TcpExt:", 7))
			continue;
		for (n = strtok_r(names, " \n", &sn), v = strtok_r(values, " \n", &sv); n && v;
		     n = strtok_r(NULL, " \n", &sn), v = strtok_r(NULL, " \n", &sv))
			if (!strcmp(n, "ListenOverflows"))
				r = atol(v);
	}
	fclose(f);
	return r;
}

static int tcp_listener(struct sockaddr_in *a, int backlog)
{
	socklen_t alen = sizeof(*a);
	int l = socket(AF_INET, SOCK_STREAM, 0);

	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a->sin_port = 0;
	if (l < 0 || bind(l, (struct sockaddr *)a, sizeof(*a)) ||
	    getsockname(l, (struct sockaddr *)a, &alen) || listen(l, backlog))
		return -1;
	return l;
}

/* How many connections were born (LISTEN -> SYN_RECV, before their identity). */
static int births(const struct evq *q)
{
	int i, n = 0;

	for (i = 0; i < q->n; i++)
		n += q->e[i].kind == SOCKSTAT_EVENT_KIND_SK_STATE &&
		     q->e[i].old == TCP_LISTEN && q->e[i].new == TCP_SYN_RECV &&
		     !q->e[i].ino && !q->e[i].cookie;
	return n;
}

static int lost_events(const struct evq *q)
{
	int i, n = 0;

	for (i = 0; i < q->n; i++)
		n += q->e[i].kind == SOCKSTAT_EVENT_KIND_LOST;
	return n;
}

/*
 * listen(fd, 1): the kernel queues backlog + 1 connections
 * (sk_acceptq_is_full() is sk_ack_backlog > sk_max_ack_backlog), and drops
 * the SYN of any further one (tcp_conn_request(): ListenOverflows), which
 * makes no struct sock: so the two queued ones are born (LISTEN ->
 * SYN_RECV -> ESTABLISHED), the others stay in SYN_SENT with no event on
 * the server's side, however often they retransmit.  One of them is then
 * closed, the other shut down: shutdown() in SYN_SENT disconnects
 * (inet_shutdown(): SYN_SENT -> CLOSE, SS_CONNECTING -> SS_UNCONNECTED).
 */
TEST_F(evf, listen_overflow_backlog_1)
{
	struct sockaddr_in a;
	int l, c[4], s[2], i, n, fl;
	uint64_t lino, cino[4], sino[2], scookie[2];
	long overflows;
	struct ev got[64];

	l = tcp_listener(&a, 1);
	ASSERT_LE(0, l);
	for (i = 0; i < 2; i++) {
		c[i] = socket(AF_INET, SOCK_STREAM, 0);
		ASSERT_EQ(0, connect(c[i], (struct sockaddr *)&a, sizeof(a)));
	}
	/* Both in the queue before the next SYN comes (the final ACK is softirq's). */
	for (i = 0; i < 100 && accept_queue(l) < 2; i++)
		usleep(10000);
	ASSERT_EQ(2, accept_queue(l));
	overflows = listen_overflows();
	ASSERT_LE(0, overflows);
	for (i = 2; i < 4; i++) {
		c[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		EXPECT_EQ(-1, connect(c[i], (struct sockaddr *)&a, sizeof(a)));
		EXPECT_EQ(EINPROGRESS, errno);
	}
	usleep(300000);
	/* The kernel's own account: both SYNs dropped, nobody more queued. */
	EXPECT_LE(overflows + 2, listen_overflows());
	EXPECT_EQ(2, accept_queue(l));
	EXPECT_EQ(TCP_SYN_SENT, tcp_state(c[2]));
	EXPECT_EQ(TCP_SYN_SENT, tcp_state(c[3]));
	for (i = 0; i < 4; i++)
		cino[i] = ss_inode(c[i]);
	EXPECT_EQ(0, shutdown(c[3], SHUT_RDWR));
	EXPECT_EQ(TCP_CLOSE, tcp_state(c[3]));
	close(c[2]);
	close(c[3]);
	for (i = 0; i < 2; i++) {
		s[i] = accept(l, NULL, NULL);
		ASSERT_LE(0, s[i]);
		sino[i] = ss_inode(s[i]);
		scookie[i] = sock_cookie(s[i]);
	}
	fl = fcntl(l, F_GETFL);
	fcntl(l, F_SETFL, fl | O_NONBLOCK);
	EXPECT_EQ(-1, accept(l, NULL, NULL));
	EXPECT_EQ(EAGAIN, errno);
	lino = ss_inode(l);
	evq_read(&self->q, 500);

	EXPECT_EQ(2, births(&self->q));
	EXPECT_EQ(0, lost_events(&self->q));
	n = evq_of(&self->q, lino, 0, got, 64);
	EXPECT_EVENTS(got, n, CREATED, SK(TCP_CLOSE, TCP_LISTEN));
	/* The queued two: the handshake (their close is events_test's). */
	for (i = 0; i < 2; i++) {
		n = evq_of(&self->q, cino[i], 0, got, 64);
		EXPECT_EVENTS(got, n, CREATED, SK(TCP_CLOSE, TCP_SYN_SENT),
			      SS(SS_UNCONNECTED, SS_CONNECTING), SK(TCP_SYN_SENT, TCP_ESTABLISHED),
			      SS(SS_CONNECTING, SS_CONNECTED));
		n = evq_of(&self->q, sino[i], scookie[i], got, 64);
		EXPECT_EVENTS(got, n, SK(TCP_SYN_RECV, TCP_ESTABLISHED), CREATED);
		if (n == 2) {
			EXPECT_EQ(lino, got[1].listener);
		}
	}
	/* The dropped ones: their SYN and nothing else until they end. */
	n = evq_of(&self->q, cino[2], 0, got, 64);
	EXPECT_EVENTS(got, n, CREATED, SK(TCP_CLOSE, TCP_SYN_SENT),
		      SS(SS_UNCONNECTED, SS_CONNECTING), SK(TCP_SYN_SENT, TCP_CLOSE), RELEASED);
	n = evq_of(&self->q, cino[3], 0, got, 64);
	EXPECT_EVENTS(got, n, CREATED, SK(TCP_CLOSE, TCP_SYN_SENT),
		      SS(SS_UNCONNECTED, SS_CONNECTING), SK(TCP_SYN_SENT, TCP_CLOSE),
		      SS(SS_CONNECTING, SS_UNCONNECTED), SHUTDOWN, RELEASED);
	if (n == 7) {
		EXPECT_EQ(SHUT_RDWR, got[5].how);
	}
	for (i = 0; i < 2; i++) {
		close(s[i]);
		close(c[i]);
	}
	close(l);
}

/* The events of @ino (and @cookie) since event @from of the queue. */
static int events_since(const struct evq *q, int from, uint64_t ino, uint64_t cookie,
			struct ev *out, int max)
{
	struct evq tail = *q;

	tail.e = q->e + from;
	tail.n = q->n - from;
	return evq_of(&tail, ino, cookie, out, max);
}

/*
 * shutdown(SHUT_RD) of an established TCP socket only marks it
 * (inet_shutdown(): tcp_shutdown() acts on SEND_SHUTDOWN alone), then
 * SHUT_RDWR sends the FIN: ESTABLISHED -> FIN_WAIT1, FIN_WAIT2 at the
 * peer's ACK, the peer CLOSE_WAIT.  A listener: SHUT_WR does nothing,
 * SHUT_RD disconnects it (LISTEN -> CLOSE; SS_UNCONNECTED stays).
 */
TEST_F(evf, tcp_shutdown_rd_rdwr_and_listener)
{
	struct sockaddr_in a;
	int l, c, s, n, mark, before;
	uint64_t lino, cino, sino, scookie;
	struct ev got[64];

	l = tcp_listener(&a, 4);
	ASSERT_LE(0, l);
	c = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_EQ(0, connect(c, (struct sockaddr *)&a, sizeof(a)));
	s = accept(l, NULL, NULL);
	ASSERT_LE(0, s);
	lino = ss_inode(l);
	cino = ss_inode(c);
	sino = ss_inode(s);
	scookie = sock_cookie(s);

	ASSERT_EQ(0, shutdown(c, SHUT_RD));
	evq_read(&self->q, 300);
	EXPECT_EQ(TCP_ESTABLISHED, tcp_state(c));
	n = evq_of(&self->q, cino, 0, got, 64);
	EXPECT_EVENTS(got, n, CREATED, SK(TCP_CLOSE, TCP_SYN_SENT),
		      SS(SS_UNCONNECTED, SS_CONNECTING), SK(TCP_SYN_SENT, TCP_ESTABLISHED),
		      SS(SS_CONNECTING, SS_CONNECTED), SHUTDOWN);
	if (n == 6) {
		EXPECT_EQ(SHUT_RD, got[5].how);
	}

	mark = self->q.n;
	ASSERT_EQ(0, shutdown(c, SHUT_RDWR));
	usleep(100000);
	ASSERT_EQ(0, shutdown(l, SHUT_WR));
	EXPECT_EQ(TCP_LISTEN, tcp_state(l));
	ASSERT_EQ(0, shutdown(l, SHUT_RD));
	EXPECT_EQ(TCP_CLOSE, tcp_state(l));
	evq_read(&self->q, 300);
	/* The FIN, then (before or after shutdown() returns) the peer's ACK. */
	n = events_since(&self->q, mark, cino, 0, got, 64);
	if (n > 0 && got[n - 1].kind == SOCKSTAT_EVENT_KIND_SHUTDOWN) {
		EXPECT_EQ(SHUT_RDWR, got[n - 1].how);
	}
	n = strip_kind(got, n, SOCKSTAT_EVENT_KIND_SHUTDOWN, &before);
	EXPECT_LE(1, before);
	EXPECT_EVENTS(got, n, SK(TCP_ESTABLISHED, TCP_FIN_WAIT1), SK(TCP_FIN_WAIT1, TCP_FIN_WAIT2));
	n = evq_of(&self->q, sino, scookie, got, 64);
	EXPECT_EVENTS(got, n, SK(TCP_SYN_RECV, TCP_ESTABLISHED), CREATED,
		      SK(TCP_ESTABLISHED, TCP_CLOSE_WAIT));
	n = evq_of(&self->q, lino, 0, got, 64);
	EXPECT_EVENTS(got, n, CREATED, SK(TCP_CLOSE, TCP_LISTEN), SHUTDOWN,
		      SK(TCP_LISTEN, TCP_CLOSE), SHUTDOWN);
	if (n == 5) {
		EXPECT_EQ(SHUT_WR, got[2].how);
		EXPECT_EQ(SHUT_RD, got[4].how);
	}
	close(s);
	close(c);
	close(l);
}

/*
 * A non-blocking connect() leaves SS_CONNECTING; shutdown() then finds
 * the connection made and says so (inet_shutdown(): SS_CONNECTED), before
 * it sends the FIN.
 */
TEST_F(evf, tcp_shutdown_while_connecting)
{
	struct sockaddr_in a;
	struct pollfd p;
	int l, c, n, i, fw2 = -1, fw1 = -1, m;
	uint64_t cino;
	struct ev got[64];

	l = tcp_listener(&a, 4);
	ASSERT_LE(0, l);
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	cino = ss_inode(c);
	EXPECT_EQ(-1, connect(c, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_EQ(EINPROGRESS, errno);
	p = (struct pollfd){ c, POLLOUT, 0 };
	ASSERT_EQ(1, poll(&p, 1, 5000));
	ASSERT_EQ(TCP_ESTABLISHED, tcp_state(c));
	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	usleep(100000);
	evq_read(&self->q, 300);
	n = evq_of(&self->q, cino, 0, got, 64);
	/* FIN_WAIT2 comes with the peer's ACK: before shutdown() returns, or after. */
	for (i = 0; i < n; i++) {
		if (got[i].kind == SOCKSTAT_EVENT_KIND_SK_STATE && got[i].new == TCP_FIN_WAIT1)
			fw1 = i;
		if (got[i].kind == SOCKSTAT_EVENT_KIND_SK_STATE && got[i].new == TCP_FIN_WAIT2)
			fw2 = i;
	}
	EXPECT_LT(fw1, fw2);
	EXPECT_LE(0, fw1);
	for (i = 0, m = 0; i < n; i++)
		if (i != fw2)
			got[m++] = got[i];
	n = m;
	EXPECT_EVENTS(got, n, CREATED, SK(TCP_CLOSE, TCP_SYN_SENT),
		      SS(SS_UNCONNECTED, SS_CONNECTING), SK(TCP_SYN_SENT, TCP_ESTABLISHED),
		      SK(TCP_ESTABLISHED, TCP_FIN_WAIT1), SS(SS_CONNECTING, SS_CONNECTED), SHUTDOWN);
	close(c);
	close(l);
}

/*
 * UDP over IPv6: connect() sets sk_state (ip6_datagram_connect()), never
 * socket->state; AF_UNSPEC disconnects (__udp_disconnect()).  shutdown()
 * of a connected one marks it (no state changes); of an unconnected one
 * it fails with ENOTCONN (and the kernel marks it all the same:
 * inet_shutdown()'s "hack"), and a failed shutdown() is no event.
 */
TEST_F(evf, udp6_connect_disconnect_shutdown)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT,
				  .sin6_port = htons(7) };
	struct sockaddr un = { .sa_family = AF_UNSPEC };
	struct ev got[32];
	uint64_t ino, ino2;
	int d, d2, n;

	d = socket(AF_INET6, SOCK_DGRAM, 0);
	if (d < 0)
		SKIP(return, "no IPv6 in this kernel: %s", strerror(errno));
	ino = ss_inode(d);
	ASSERT_EQ(0, connect(d, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, shutdown(d, SHUT_RDWR));
	ASSERT_EQ(0, connect(d, &un, sizeof(un)));
	close(d);
	d2 = socket(AF_INET6, SOCK_DGRAM, 0);
	ino2 = ss_inode(d2);
	EXPECT_EQ(-1, shutdown(d2, SHUT_RD));
	EXPECT_EQ(ENOTCONN, errno);
	close(d2);
	evq_read(&self->q, 300);

	n = evq_of(&self->q, ino, 0, got, 32);
	EXPECT_EVENTS(got, n, CREATED, SK(TCP_CLOSE, TCP_ESTABLISHED), SHUTDOWN,
		      SK(TCP_ESTABLISHED, TCP_CLOSE), RELEASED);
	if (n == 5) {
		EXPECT_EQ(AF_INET6, got[0].family);
		EXPECT_EQ(IPPROTO_UDP, got[0].protocol);
		EXPECT_EQ(SS_UNCONNECTED, got[0].new);
		EXPECT_EQ(SHUT_RDWR, got[2].how);
	}
	n = evq_of(&self->q, ino2, 0, got, 32);
	EXPECT_EVENTS(got, n, CREATED, RELEASED);
}

/*
 * AF_UNIX datagrams (unix_dgram_connect()): connect() sets the sk_state
 * of both ends to ESTABLISHED, AF_UNSPEC sets the connecting one's back to
 * CLOSE (and the other's, which has no peer of its own); socket->state
 * never changes.  The other end's changes happen in a system call on the
 * connecting socket: no event reports them (netlink.rst, "Not
 * covered"), while the dump shows them.
 */
TEST_F(evf, unix_dgram_connect_disconnect_close)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	socklen_t alen = offsetof(struct sockaddr_un, sun_path) + 1 +
			 sprintf(a.sun_path + 1, "sockstat-evf-%d", getpid());
	struct sockaddr un = { .sa_family = AF_UNSPEC };
	struct ev got[32];
	struct ss_sock *ss = malloc(sizeof(*ss));
	struct ssnl dump;	/* not the subscriber's: events come there */
	uint64_t sino, cino;
	int srv, cl, n;

	ASSERT_NE(NULL, ss);
	ASSERT_EQ(0, ssnl_open(&dump));
	srv = socket(AF_UNIX, SOCK_DGRAM, 0);
	ASSERT_EQ(0, bind(srv, (struct sockaddr *)&a, alen));
	cl = socket(AF_UNIX, SOCK_DGRAM, 0);
	sino = ss_inode(srv);
	cino = ss_inode(cl);
	ASSERT_EQ(0, connect(cl, (struct sockaddr *)&a, alen));
	ASSERT_EQ(0, ssnl_get(&dump, sino, ss));
	EXPECT_EQ(TCP_ESTABLISHED, ss->sk_state);
	ASSERT_EQ(0, connect(cl, &un, sizeof(un)));
	ASSERT_EQ(0, ssnl_get(&dump, sino, ss));
	EXPECT_EQ(TCP_CLOSE, ss->sk_state);
	ASSERT_EQ(0, connect(cl, (struct sockaddr *)&a, alen));
	close(cl);
	close(srv);
	ssnl_close(&dump);
	free(ss);
	evq_read(&self->q, 300);

	n = evq_of(&self->q, cino, 0, got, 32);
	EXPECT_EVENTS(got, n, CREATED, SK(TCP_CLOSE, TCP_ESTABLISHED),
		      SK(TCP_ESTABLISHED, TCP_CLOSE), SK(TCP_CLOSE, TCP_ESTABLISHED), RELEASED);
	if (n > 0) {
		EXPECT_EQ(AF_UNIX, got[0].family);
		EXPECT_EQ(SOCK_DGRAM, got[0].type);
		EXPECT_EQ(SS_UNCONNECTED, got[0].new);
	}
	n = evq_of(&self->q, sino, 0, got, 32);
	EXPECT_EVENTS(got, n, CREATED, RELEASED);
}

/*
 * Netlink (netlink_connect()): connect() sets sk_state NETLINK_CONNECTED
 * (1), AF_UNSPEC NETLINK_UNCONNECTED (0); bind() changes no state.  A new
 * netlink socket has the sk_state every struct sock starts with,
 * sock_init_data()'s TCP_CLOSE (7): netlink never sets 0 before a
 * disconnect.
 */
TEST_F(evf, netlink_connect_disconnect)
{
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	struct sockaddr un = { .sa_family = AF_UNSPEC };
	struct ev got[32];
	uint64_t ino;
	int fd, n;

	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	ASSERT_LE(0, fd);
	ino = ss_inode(fd);
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&k, sizeof(k)));
	ASSERT_EQ(0, connect(fd, (struct sockaddr *)&k, sizeof(k)));
	ASSERT_EQ(0, connect(fd, &un, sizeof(un)));
	close(fd);
	evq_read(&self->q, 300);
	n = evq_of(&self->q, ino, 0, got, 32);
	EXPECT_EVENTS(got, n, CREATED, SK(TCP_CLOSE, 1), SK(1, 0), RELEASED);
	if (n > 0) {
		EXPECT_EQ(AF_NETLINK, got[0].family);
		EXPECT_EQ(SOCK_RAW, got[0].type);
		EXPECT_EQ(NETLINK_ROUTE, got[0].protocol);
	}
}

/*
 * Packet sockets: made and released; binding changes no state.
 * packet_create() keeps the protocol in po->num, not sk_protocol (0).
 */
TEST_F(evf, packet_socket)
{
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				  .sll_ifindex = 1 };
	struct ev got[32];
	uint64_t ino[2];
	int fd[2], n, i;

	fd[0] = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (fd[0] < 0)
		SKIP(return, "no AF_PACKET: %s", strerror(errno));
	fd[1] = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
	ASSERT_LE(0, fd[1]);
	EXPECT_EQ(0, bind(fd[0], (struct sockaddr *)&ll, sizeof(ll)));
	for (i = 0; i < 2; i++) {
		ino[i] = ss_inode(fd[i]);
		close(fd[i]);
	}
	evq_read(&self->q, 300);
	for (i = 0; i < 2; i++) {
		n = evq_of(&self->q, ino[i], 0, got, 32);
		EXPECT_EVENTS(got, n, CREATED, RELEASED);
		if (n > 0) {
			EXPECT_EQ(AF_PACKET, got[0].family);
			EXPECT_EQ(i ? SOCK_DGRAM : SOCK_RAW, got[0].type);
			EXPECT_EQ(0, got[0].protocol);
		}
	}
}

/*
 * vsock over the loopback transport (vsock_loopback, a module on every
 * kernel of the suite).  The transport's worker completes a connection
 * (virtio_transport_recv_connecting(): ESTABLISHED and SS_CONNECTED) while
 * connect() waits; connect() returns then, so its return sees both, as
 * CLOSE -> ESTABLISHED and SS_UNCONNECTED -> SS_CONNECTED (SYN_SENT and
 * SS_CONNECTING last only while it waits).  listen() sets LISTEN, accept()
 * gives an SS_CONNECTED socket (vsock_accept()), shutdown()
 * SS_DISCONNECTING (vsock_shutdown()).  What the peer's worker does
 * later, outside any system call of its own, has no event.
 */
TEST_F(evf, vsock_loopback_stream)
{
	struct sockaddr_vm la = { .svm_family = AF_VSOCK, .svm_cid = VMADDR_CID_ANY,
				  .svm_port = 0x5300 + getpid() % 0x1000 };
	struct sockaddr_vm ca = la;
	struct ev got[32];
	uint64_t lino, cino, sino;
	int l, c, s, n;

	if (system("modprobe vsock_loopback 2>/dev/null"))
		ksft_print_msg("modprobe vsock_loopback failed\n");
	l = socket(AF_VSOCK, SOCK_STREAM, 0);
	if (l < 0)
		SKIP(return, "no AF_VSOCK in this kernel: %s", strerror(errno));
	ASSERT_EQ(0, bind(l, (struct sockaddr *)&la, sizeof(la)));
	ASSERT_EQ(0, listen(l, 4));
	c = socket(AF_VSOCK, SOCK_STREAM, 0);
	ASSERT_LE(0, c);
	ca.svm_cid = VMADDR_CID_LOCAL;
	if (connect(c, (struct sockaddr *)&ca, sizeof(ca))) {
		int e = errno;

		close(c);
		close(l);
		SKIP(return, "no vsock loopback transport (connect to CID 1: %s)", strerror(e));
	}
	s = accept(l, NULL, NULL);
	ASSERT_LE(0, s);
	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	lino = ss_inode(l);
	cino = ss_inode(c);
	sino = ss_inode(s);
	close(c);
	close(s);
	close(l);
	evq_read(&self->q, 500);

	n = evq_of(&self->q, lino, 0, got, 32);
	EXPECT_EVENTS(got, n, CREATED, SK(TCP_CLOSE, TCP_LISTEN), RELEASED);
	n = evq_of(&self->q, cino, 0, got, 32);
	EXPECT_EVENTS(got, n, CREATED, SK(TCP_CLOSE, TCP_ESTABLISHED),
		      SS(SS_UNCONNECTED, SS_CONNECTED), SS(SS_CONNECTED, SS_DISCONNECTING),
		      SHUTDOWN, RELEASED);
	n = evq_of(&self->q, sino, 0, got, 32);
	EXPECT_EVENTS(got, n, CREATED, RELEASED);
	if (n > 0) {
		EXPECT_EQ(AF_VSOCK, got[0].family);
		EXPECT_EQ(SOCKSTAT_CREATED_ACCEPT, got[0].how);
		EXPECT_EQ(SS_CONNECTED, got[0].new);
		EXPECT_EQ(lino, got[0].listener);
	}
}

TEST_HARNESS_MAIN
