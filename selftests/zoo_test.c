// SPDX-License-Identifier: GPL-2.0
/*
 * The socket zoo: one socket of each kind in a known state, and exact
 * checks of what the module reports about it: addresses, ports, names,
 * peers, owners (after fork(), dup() and SCM_RIGHTS), backlogs, socket
 * options, file flags, waiters, epoll watchers, every SS_* state a live
 * socket can be in, the selectors and the summary.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/if_alg.h>
#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include <linux/net_tstamp.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <linux/userfaultfd.h>

#include "kselftest_harness.h"
#include "inet.h"
#include "nl.h"
#include "run_cmd.h"

static struct ssnl nl;
static struct ss_sock s;

static int get(int fd)
{
	return ssnl_get(&nl, ss_inode(fd), &s);
}

/* GET @fd until attribute @attr equals @want, for up to two seconds. */
static int get_until(int fd, int attr, uint64_t want)
{
	int i, err = 0;

	for (i = 0; i < 200; i++) {
		err = get(fd);
		if (err || s.v[attr] == want)
			return err;
		usleep(10000);
	}
	return err;
}

static struct sockaddr_in lo4(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	return a;
}

static int port_of(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return -1;
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static int tcp_listener(int backlog)
{
	struct sockaddr_in a = lo4(0);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, backlog))
		return -1;
	return fd;
}

static int tcp_connect(int port, int flags)
{
	struct sockaddr_in a = lo4(port);
	int fd = socket(AF_INET, SOCK_STREAM | flags, 0);

	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) && errno != EINPROGRESS)
		return -1;
	return fd;
}

/* A listener, a client connected to it and the accepted end; 0 or -1. */
static int tcp_pair(int *l, int *c, int *a)
{
	*l = tcp_listener(1);
	*c = *l < 0 ? -1 : tcp_connect(port_of(*l), 0);
	*a = *c < 0 ? -1 : accept(*l, NULL, NULL);
	return *a < 0 ? -1 : 0;
}

FIXTURE(zoo) {
};

FIXTURE_SETUP(zoo)
{
	ASSERT_EQ(0, ssnl_open(&nl));
}

FIXTURE_TEARDOWN(zoo)
{
	ssnl_close(&nl);
}

TEST_F(zoo, tcp_addresses_ports_and_counters)
{
	int l, c, a;
	char buf[1000] = { 0 };
	uint8_t lo[4] = { 127, 0, 0, 1 };

	ASSERT_EQ(0, tcp_pair(&l, &c, &a));
	ASSERT_EQ(sizeof(buf), send(c, buf, sizeof(buf), 0));

	ASSERT_EQ(0, get_until(c, SOCKSTAT_A_SOCK_SEND_Q, 0));
	EXPECT_STREQ("inet_stream_ops", s.ops);
	EXPECT_STREQ("TCP", s.proto);
	EXPECT_EQ(4, s.local_addr_len);
	EXPECT_EQ(0, memcmp(lo, s.local_addr, 4));
	EXPECT_EQ(0, memcmp(lo, s.peer_addr, 4));
	EXPECT_EQ(port_of(c), s.v[SOCKSTAT_A_SOCK_LOCAL_PORT]);
	EXPECT_EQ(port_of(l), s.v[SOCKSTAT_A_SOCK_PEER_PORT]);
	ASSERT_TRUE(s.present[SOCKSTAT_A_SOCK_TCP]);
	/* The SYN takes one byte of sequence space, and was acknowledged. */
	EXPECT_EQ(sizeof(buf) + 1, s.tcp[SOCKSTAT_A_TCP_BYTES_ACKED]);
	EXPECT_EQ(0, s.tcp[SOCKSTAT_A_TCP_UNACKED]);
	EXPECT_LT(0, s.tcp[SOCKSTAT_A_TCP_CWND]);
	EXPECT_LT(0, s.tcp[SOCKSTAT_A_TCP_MSS]);
	EXPECT_LT(0, s.tcp[SOCKSTAT_A_TCP_RTO_US]);
	EXPECT_TRUE(s.tcp_present[SOCKSTAT_A_TCP_RTT_US]);
	EXPECT_LT(0, s.tcp[SOCKSTAT_A_TCP_SEGS_OUT]);

	ASSERT_EQ(0, get(a));
	EXPECT_EQ(port_of(l), s.v[SOCKSTAT_A_SOCK_LOCAL_PORT]);
	EXPECT_EQ(port_of(c), s.v[SOCKSTAT_A_SOCK_PEER_PORT]);
	EXPECT_EQ(sizeof(buf), s.tcp[SOCKSTAT_A_TCP_BYTES_RECEIVED]);
	EXPECT_EQ(sizeof(buf), s.recv_q);

	/* A listener has no TCP connection state, and no peer. */
	ASSERT_EQ(0, get(l));
	EXPECT_FALSE(s.present[SOCKSTAT_A_SOCK_TCP]);
	EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_PEER_PORT]);
	close(a);
	close(c);
	close(l);
}

/* Connections that completed the handshake and wait for accept(). */
TEST_F(zoo, tcp_listener_backlog)
{
	int l = tcp_listener(4), c1, c2;

	ASSERT_LE(0, l);
	c1 = tcp_connect(port_of(l), 0);
	c2 = tcp_connect(port_of(l), 0);
	ASSERT_LE(0, c1);
	ASSERT_LE(0, c2);
	ASSERT_EQ(0, get_until(l, SOCKSTAT_A_SOCK_ACCEPT_QUEUE, 2));
	EXPECT_EQ(2, s.v[SOCKSTAT_A_SOCK_ACCEPT_QUEUE]);
	EXPECT_EQ(4, s.v[SOCKSTAT_A_SOCK_ACCEPT_MAX]);
	EXPECT_EQ(SS_UNCONNECTED, s.ss_state);
	EXPECT_EQ(TCP_LISTEN, s.sk_state);
	close(c1);
	close(c2);
	close(l);
}

/* A process asleep in accept() is a waiter on the socket's wait queue. */
TEST_F(zoo, blocked_accept_is_a_waiter)
{
	int l = tcp_listener(4);
	pid_t child;

	ASSERT_LE(0, l);
	ASSERT_EQ(0, get(l));
	EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_WAITERS]);
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		accept(l, NULL, NULL);
		_exit(0);
	}
	ASSERT_EQ(0, get_until(l, SOCKSTAT_A_SOCK_WAITERS, 1));
	EXPECT_EQ(1, s.v[SOCKSTAT_A_SOCK_WAITERS]);
	EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_POLLERS]);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	ASSERT_EQ(0, get_until(l, SOCKSTAT_A_SOCK_WAITERS, 0));
	EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_WAITERS]);
	close(l);
}

TEST_F(zoo, epoll_watchers)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	int l = tcp_listener(4), ep1 = epoll_create1(0), ep2 = epoll_create1(0);

	ASSERT_LE(0, l);
	ASSERT_EQ(0, get(l));
	EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_EPOLL]);
	ASSERT_EQ(0, epoll_ctl(ep1, EPOLL_CTL_ADD, l, &ev));
	ASSERT_EQ(0, get(l));
	EXPECT_EQ(1, s.v[SOCKSTAT_A_SOCK_EPOLL]);
	/* epoll hooks its own entry into the socket's wait queue. */
	EXPECT_EQ(1, s.v[SOCKSTAT_A_SOCK_POLLERS]);
	EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_WAITERS]);
	ASSERT_EQ(0, epoll_ctl(ep2, EPOLL_CTL_ADD, l, &ev));
	ASSERT_EQ(0, get(l));
	EXPECT_EQ(2, s.v[SOCKSTAT_A_SOCK_EPOLL]);
	EXPECT_EQ(2, s.v[SOCKSTAT_A_SOCK_POLLERS]);
	close(ep1);
	close(ep2);
	ASSERT_EQ(0, get(l));
	EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_EPOLL]);
	close(l);
}

TEST_F(zoo, file_flags_fasync_and_refs)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0), d;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, get(fd));
	EXPECT_EQ(O_RDWR | O_NONBLOCK, s.v[SOCKSTAT_A_SOCK_FILE_FLAGS]);
	EXPECT_EQ(1, s.v[SOCKSTAT_A_SOCK_FILE_REFS]);
	EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_FASYNC]);

	ASSERT_EQ(0, fcntl(fd, F_SETOWN, getpid()));
	ASSERT_EQ(0, fcntl(fd, F_SETFL, O_NONBLOCK | O_ASYNC));
	d = dup(fd);
	ASSERT_EQ(0, get(fd));
	EXPECT_EQ(O_RDWR | O_NONBLOCK | O_ASYNC, s.v[SOCKSTAT_A_SOCK_FILE_FLAGS]);
	EXPECT_EQ(1, s.v[SOCKSTAT_A_SOCK_FASYNC]);
	EXPECT_TRUE(s.v[SOCKSTAT_A_SOCK_SOCKOPTS] & SOCKSTAT_SO_FASYNC);
	EXPECT_EQ(2, s.v[SOCKSTAT_A_SOCK_FILE_REFS]);
	close(d);
	close(fd);
}

TEST_F(zoo, socket_options)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 5 };
	struct timeval rt = { 1, 500000 }, st = { 2, 500000 };
	int fd = socket(AF_INET, SOCK_STREAM, 0), u = socket(AF_INET, SOCK_DGRAM, 0);
	int one = 1, zero = 0, got = -1, buf = 65536, mark = 42, prio = 5, lowat = 100;
	socklen_t len = sizeof(got);
	uint64_t want = SOCKSTAT_SO_REUSEADDR | SOCKSTAT_SO_REUSEPORT |
			SOCKSTAT_SO_KEEPALIVE | SOCKSTAT_SO_LINGER |
			SOCKSTAT_SO_OOBINLINE | SOCKSTAT_SO_DONTROUTE |
			SOCKSTAT_SO_TIMESTAMP | SOCKSTAT_SO_RCVBUF_LOCK |
			SOCKSTAT_SO_SNDBUF_LOCK;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, get(fd));
	EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_SOCKOPTS]);
	EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_RCVTIMEO_US]);

	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)));
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)));
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_OOBINLINE, &one, sizeof(one)));
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_DONTROUTE, &one, sizeof(one)));
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_TIMESTAMP, &one, sizeof(one)));
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf)));
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf)));
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)));
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_PRIORITY, &prio, sizeof(prio)));
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof(lowat)));
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &rt, sizeof(rt)));
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &st, sizeof(st)));
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3));

	ASSERT_EQ(0, get(fd));
	EXPECT_EQ(want, s.v[SOCKSTAT_A_SOCK_SOCKOPTS]);
	EXPECT_EQ(5, s.v[SOCKSTAT_A_SOCK_LINGER_SEC]);
	/* The kernel doubles SO_RCVBUF and SO_SNDBUF for its bookkeeping. */
	EXPECT_EQ(2 * buf, s.v[SOCKSTAT_A_SOCK_RCVBUF]);
	EXPECT_EQ(2 * buf, s.v[SOCKSTAT_A_SOCK_SNDBUF]);
	EXPECT_EQ(mark, s.v[SOCKSTAT_A_SOCK_MARK]);
	EXPECT_EQ(prio, s.v[SOCKSTAT_A_SOCK_PRIORITY]);
	EXPECT_EQ(lowat, s.v[SOCKSTAT_A_SOCK_RCVLOWAT]);
	EXPECT_EQ(1500000, s.v[SOCKSTAT_A_SOCK_RCVTIMEO_US]);
	EXPECT_EQ(2500000, s.v[SOCKSTAT_A_SOCK_SNDTIMEO_US]);
	EXPECT_EQ(if_nametoindex("lo"), s.v[SOCKSTAT_A_SOCK_BOUND_IFINDEX]);

	ASSERT_EQ(0, setsockopt(u, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)));
	ASSERT_EQ(0, get(u));
	EXPECT_EQ(SOCKSTAT_SO_BROADCAST, s.v[SOCKSTAT_A_SOCK_SOCKOPTS]);

	/*
	 * SO_TIMESTAMPNS, set while fd's SO_TIMESTAMP keeps receive
	 * timestamps on (so the kernel patches no static key for it): the
	 * kernel keeps it as SOCK_RCVTSTAMPNS on top of SOCK_RCVTSTAMP
	 * (sock_set_timestamp()), and getsockopt(SO_TIMESTAMP) then says 0,
	 * as it does for the nanosecond kind.  The module reports both flags.
	 */
	ASSERT_EQ(0, setsockopt(u, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)));
	ASSERT_EQ(0, getsockopt(u, SOL_SOCKET, SO_TIMESTAMPNS, &got, &len));
	EXPECT_EQ(1, got);
	ASSERT_EQ(0, getsockopt(u, SOL_SOCKET, SO_TIMESTAMP, &got, &len));
	EXPECT_EQ(0, got);
	ASSERT_EQ(0, get(u));
	EXPECT_EQ(SOCKSTAT_SO_BROADCAST | SOCKSTAT_SO_TIMESTAMP | SOCKSTAT_SO_TIMESTAMPNS,
		  s.v[SOCKSTAT_A_SOCK_SOCKOPTS]);
	ASSERT_EQ(0, setsockopt(u, SOL_SOCKET, SO_TIMESTAMPNS, &zero, sizeof(zero)));
	ASSERT_EQ(0, get(u));
	EXPECT_EQ(SOCKSTAT_SO_BROADCAST, s.v[SOCKSTAT_A_SOCK_SOCKOPTS]);
	close(u);
	close(fd);
}

#ifndef SO_PASSPIDFD
#define SO_PASSPIDFD 76		/* 6.5 and later; 6.1 refuses it */
#endif

/* The SOCKOPTS bits getsockopt() has on for @fd, of @n options in @opts. */
struct sockopt_bit {
	int level, opt;
	uint32_t bit;
	const char *name;
};

static uint32_t sockopts_on(int fd, const struct sockopt_bit *opts, int n)
{
	uint32_t on = 0;
	int i;

	for (i = 0; i < n; i++) {
		int v = 0;
		socklen_t len = sizeof(v);

		if (!getsockopt(fd, opts[i].level, opts[i].opt, &v, &len) && v)
			on |= opts[i].bit;
	}
	return on;
}

/*
 * The options socket_options leaves alone, each turned on and then off
 * again: after every step the module's SOCKOPTS is exactly the set that
 * getsockopt() says is on, nothing more.  SO_LOCK_FILTER cannot be
 * turned off (EPERM) and stays on; SO_TXTIME cannot either, and its
 * getsockopt() gives the clock and flags it was set with.
 */
TEST_F(zoo, more_socket_options_as_getsockopt_has_them)
{
	static const struct sockopt_bit opts[] = {
		{ SOL_SOCKET, SO_DEBUG, SOCKSTAT_SO_DEBUG, "SO_DEBUG" },
		{ SOL_SOCKET, SO_RXQ_OVFL, SOCKSTAT_SO_RXQ_OVFL, "SO_RXQ_OVFL" },
		{ SOL_SOCKET, SO_ZEROCOPY, SOCKSTAT_SO_ZEROCOPY, "SO_ZEROCOPY" },
		{ SOL_SOCKET, SO_WIFI_STATUS, SOCKSTAT_SO_WIFI_STATUS, "SO_WIFI_STATUS" },
		{ SOL_SOCKET, SO_NOFCS, SOCKSTAT_SO_NOFCS, "SO_NOFCS" },
		{ SOL_SOCKET, SO_SELECT_ERR_QUEUE, SOCKSTAT_SO_SELECT_ERR_QUEUE, "SO_SELECT_ERR_QUEUE" },
		{ SOL_SOCKET, SO_RCVMARK, SOCKSTAT_SO_RCVMARK, "SO_RCVMARK" },
		{ SOL_SOCKET, SO_LOCK_FILTER, SOCKSTAT_SO_LOCK_FILTER, "SO_LOCK_FILTER" },
	};
	const int n = sizeof(opts) / sizeof(opts[0]);
	struct sock_txtime tt = { .clockid = CLOCK_MONOTONIC, .flags = SOF_TXTIME_REPORT_ERRORS };
	struct sock_txtime got_tt = { 0 };
	socklen_t len = sizeof(got_tt);
	int u = socket(AF_INET, SOCK_DGRAM, 0), i, v;
	uint32_t on;

	ASSERT_LE(0, u);
	ASSERT_EQ(0, get(u));
	EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_SOCKOPTS]);
	for (v = 1; v >= 0; v--) {
		for (i = 0; i < n; i++) {
			int rc = setsockopt(u, opts[i].level, opts[i].opt, &v, sizeof(v));

			on = sockopts_on(u, opts, n);
			/* On: it must have taken, or the check below proves nothing. */
			if (v) {
				EXPECT_EQ(0, rc) TH_LOG("%s: %s", opts[i].name, strerror(errno));
				EXPECT_TRUE(on & opts[i].bit) TH_LOG("%s", opts[i].name);
			}
			ASSERT_EQ(0, get(u));
			EXPECT_EQ(on, s.v[SOCKSTAT_A_SOCK_SOCKOPTS])
				TH_LOG("after %s = %d: getsockopt() has 0x%x on", opts[i].name, v, on);
		}
	}
	/* Only SO_LOCK_FILTER is left on. */
	EXPECT_EQ(SOCKSTAT_SO_LOCK_FILTER, on);

	ASSERT_EQ(0, getsockopt(u, SOL_SOCKET, SO_TXTIME, &got_tt, &len));
	EXPECT_EQ(0, got_tt.flags);
	ASSERT_EQ(0, setsockopt(u, SOL_SOCKET, SO_TXTIME, &tt, sizeof(tt)));
	ASSERT_EQ(0, getsockopt(u, SOL_SOCKET, SO_TXTIME, &got_tt, &len));
	EXPECT_EQ(CLOCK_MONOTONIC, got_tt.clockid);
	EXPECT_EQ(SOF_TXTIME_REPORT_ERRORS, got_tt.flags);
	ASSERT_EQ(0, get(u));
	EXPECT_EQ(SOCKSTAT_SO_LOCK_FILTER | SOCKSTAT_SO_TXTIME, s.v[SOCKSTAT_A_SOCK_SOCKOPTS]);
	close(u);
}

/*
 * The options kept in socket->flags, on an AF_UNIX socket: FLAGS and
 * SOCKOPTS both say what getsockopt() says, on and off.  SO_PASSPIDFD
 * exists from 6.5: where setsockopt() refuses it, FLAGS has no such bit.
 */
TEST_F(zoo, passcred_passsec_passpidfd_in_flags_and_sockopts)
{
	static const struct {
		int opt;
		uint32_t flag, sockopt;
		const char *name;
	} opts[] = {
		{ SO_PASSCRED, SOCKSTAT_SOCK_F_PASSCRED, SOCKSTAT_SO_PASSCRED, "SO_PASSCRED" },
		{ SO_PASSSEC, SOCKSTAT_SOCK_F_PASSSEC, SOCKSTAT_SO_PASSSEC, "SO_PASSSEC" },
		{ SO_PASSPIDFD, SOCKSTAT_SOCK_F_PASSPIDFD, 0, "SO_PASSPIDFD" },
	};
	int sv[2], i, v, set = 0, pass_moved = ss_not_reported("pass-flags");

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	for (v = 1; v >= 0; v--) {
		for (i = 0; i < 3; i++) {
			int rc = setsockopt(sv[0], SOL_SOCKET, opts[i].opt, &v, sizeof(v)), got = 0;
			socklen_t len = sizeof(got);
			uint32_t flags;

			if (rc) {
				/* Only a kernel without SO_PASSPIDFD may refuse. */
				ASSERT_EQ(SO_PASSPIDFD, opts[i].opt) TH_LOG("%s: %s", opts[i].name,
									   strerror(errno));
				ASSERT_EQ(ENOPROTOOPT, errno);
			} else {
				ASSERT_EQ(0, getsockopt(sv[0], SOL_SOCKET, opts[i].opt, &got, &len));
				EXPECT_EQ(v, !!got) TH_LOG("%s", opts[i].name);
				set++;
			}
			ASSERT_EQ(0, get(sv[0]));
			flags = s.v[SOCKSTAT_A_SOCK_FLAGS];
			/* Where they moved to struct sock, never FLAGS bits. */
			EXPECT_EQ(!!got && !pass_moved, !!(flags & opts[i].flag))
				TH_LOG("%s = %d: FLAGS 0x%x", opts[i].name, v, flags);
			if (opts[i].sockopt) {
				EXPECT_EQ(!!got, !!(s.v[SOCKSTAT_A_SOCK_SOCKOPTS] & opts[i].sockopt))
					TH_LOG("%s = %d", opts[i].name, v);
			}
		}
	}
	EXPECT_LE(4, set);
	/* The peer was never touched. */
	ASSERT_EQ(0, get(sv[1]));
	EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_FLAGS] & (SOCKSTAT_SOCK_F_PASSCRED | SOCKSTAT_SOCK_F_PASSSEC |
						   SOCKSTAT_SOCK_F_PASSPIDFD));
	close(sv[0]);
	close(sv[1]);
}

#define F_WAIT (SOCKSTAT_SOCK_F_NOSPACE | SOCKSTAT_SOCK_F_ASYNC_NOSPACE | SOCKSTAT_SOCK_F_ASYNC_WAITDATA)

/* Read what @fd holds without blocking. */
static void drain(int fd)
{
	static char buf[65536];

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

static int blocked_fd;

static void *blocked_recv(void *arg)
{
	char c;

	(void)arg;
	return (void *)(long)recv(blocked_fd, &c, 1, 0);
}

/* A thread asleep in recv() on @fd: FLAGS while it sleeps, and after. */
static uint32_t flags_of_a_sleeping_reader(struct __test_metadata *_metadata, int fd, int peer,
					   uint32_t *after)
{
	pthread_t t;
	uint32_t during;
	void *ret;

	blocked_fd = fd;
	drain(fd);
	if (pthread_create(&t, NULL, blocked_recv, NULL))
		return ~0u;
	EXPECT_EQ(0, get_until(fd, SOCKSTAT_A_SOCK_WAITERS, 1));
	EXPECT_EQ(1, s.v[SOCKSTAT_A_SOCK_WAITERS]);
	during = s.v[SOCKSTAT_A_SOCK_FLAGS];
	EXPECT_EQ(1, write(peer, "x", 1));
	pthread_join(t, &ret);
	EXPECT_EQ(1, (long)ret);
	EXPECT_EQ(0, get(fd));
	*after = s.v[SOCKSTAT_A_SOCK_FLAGS];
	return during;
}

/*
 * socket->flags and sock->wq.flags as a writer and a reader live them.  A
 * non-blocking write that finds the send buffer full fails with EAGAIN,
 * poll() has no POLLOUT: SOCK_NOSPACE is set, and on an O_ASYNC socket
 * SOCKWQ_ASYNC_NOSPACE, the promise of a SIGIO once there is room.  When
 * the peer reads, the kernel keeps it (the SIGIO arrives), POLLOUT is
 * back and both flags are clear.  A reader asleep in recv() has
 * SOCKWQ_ASYNC_WAITDATA while it sleeps, on an O_ASYNC socket only
 * (sk_set_bit() sets the two SOCKWQ_ASYNC_* bits for those alone).
 */
TEST_F(zoo, socket_flags_follow_a_full_buffer_and_a_sleeping_reader)
{
	int l, c, a, small = 4096, i, q = -1, sigio = 0, full;
	struct timespec tick = { 0, 50 * 1000 * 1000 }, none = { 0, 0 };
	struct pollfd p = { .events = POLLOUT };
	static char buf[65536];
	uint32_t during, after;
	sigset_t io;

	ASSERT_EQ(0, tcp_pair(&l, &c, &a));
	p.fd = c;
	/* Small buffers, so that filling and draining them takes little. */
	ASSERT_EQ(0, setsockopt(a, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)));
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)));
	sigemptyset(&io);
	sigaddset(&io, SIGIO);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &io, NULL));
	ASSERT_EQ(0, fcntl(c, F_SETOWN, getpid()));
	ASSERT_EQ(0, fcntl(c, F_SETFL, O_NONBLOCK | O_ASYNC));
	ASSERT_EQ(0, get(c));
	EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_FLAGS] & F_WAIT);

	/*
	 * Fill, let the last segments land, fill again, until a write after
	 * a pause finds no room at all: the window is shut and stays so (the
	 * peer does not read), and the last write found the buffer full.
	 */
	for (i = 0, full = 0; i < 20 && !full; i++) {
		while (sigtimedwait(&io, NULL, &none) == SIGIO)
			;
		full = write(c, buf, sizeof(buf)) < 0;
		while (write(c, buf, sizeof(buf)) > 0)
			;
		ASSERT_EQ(EAGAIN, errno);
		if (!full)
			usleep(200000);
	}
	ASSERT_TRUE(full) TH_LOG("the peer's window never shut");
	EXPECT_EQ(0, poll(&p, 1, 0));
	ASSERT_EQ(0, get(c));
	EXPECT_EQ(SOCKSTAT_SOCK_F_NOSPACE | SOCKSTAT_SOCK_F_ASYNC_NOSPACE,
		  s.v[SOCKSTAT_A_SOCK_FLAGS] & F_WAIT) TH_LOG("FLAGS 0x%llx",
							       (unsigned long long)s.v[SOCKSTAT_A_SOCK_FLAGS]);

	/* The peer reads everything: room, the SIGIO, POLLOUT. */
	for (i = 0; i < 200 && !sigio; i++) {
		drain(a);
		sigio = sigtimedwait(&io, NULL, &tick) == SIGIO;
	}
	EXPECT_TRUE(sigio) TH_LOG("no SIGIO after the peer read everything");
	EXPECT_EQ(1, poll(&p, 1, 5000));
	ASSERT_EQ(0, get(c));
	EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_FLAGS] & F_WAIT) TH_LOG("FLAGS 0x%llx",
								  (unsigned long long)s.v[SOCKSTAT_A_SOCK_FLAGS]);

	/* Nothing left in flight, so that the reader below finds nothing. */
	for (i = 0; i < 500 && (drain(a), !ioctl(c, SIOCOUTQ, &q) && q); i++)
		usleep(10000);
	ASSERT_EQ(0, q);
	drain(a);

	/* A reader asleep in recv(): without O_ASYNC, then with it. */
	ASSERT_EQ(0, fcntl(c, F_SETFL, 0));
	during = flags_of_a_sleeping_reader(_metadata, a, c, &after);
	EXPECT_EQ(0, during & F_WAIT);
	EXPECT_EQ(0, after & F_WAIT);
	ASSERT_EQ(0, fcntl(a, F_SETOWN, getpid()));
	ASSERT_EQ(0, fcntl(a, F_SETFL, O_ASYNC));
	during = flags_of_a_sleeping_reader(_metadata, a, c, &after);
	EXPECT_EQ(SOCKSTAT_SOCK_F_ASYNC_WAITDATA, during & F_WAIT) TH_LOG("FLAGS 0x%x", during);
	EXPECT_EQ(0, after & F_WAIT) TH_LOG("FLAGS 0x%x", after);
	close(a);
	close(c);
	close(l);
}

/*
 * "ss -Htmn" (skmem's bl, sk->sk_backlog.len) of the connection from
 * 127.0.0.1:@lport to 127.0.0.1:@pport; -1 if not found.
 */
static long ss_backlog(int lport, int pport)
{
	static struct cmd_result r;
	char *const argv[] = { "ss", "-Htmn", NULL };
	char ends[64], line[1024], *m;
	long bl;

	if (run_cmd(&r, argv) || r.status)
		return -1;
	snprintf(ends, sizeof(ends), " 127.0.0.1:%d 127.0.0.1:%d ", lport, pport);
	if (!ss_find_line(r.out, ends, line, sizeof(line)))
		return -1;
	m = strstr(line, "skmem:(");
	m = m ? strstr(m, ",bl") : NULL;
	if (!m || sscanf(m, ",bl%ld", &bl) != 1)
		return -1;
	return bl;
}

static int uffd;
static char *uffd_page;

static void *recv_into_the_missing_page(void *arg)
{
	(void)arg;
	return (void *)(long)recv(blocked_fd, uffd_page, 4096, 0);
}

/*
 * BACKLOG: segments that arrive while a task owns the socket wait on
 * sk_backlog until it lets go.  recv() owns it while it copies to the
 * caller's buffer; a buffer whose page is missing under userfaultfd keeps
 * that copy, and the ownership, waiting until the test supplies the page.
 * What the peer sends meanwhile is in the backlog: BACKLOG is what "ss
 * -tm" says (its bl), not 0, and the bytes are not in the receive queue
 * yet (RECV_Q as /proc/net/tcp's rx_queue has it).  With the page
 * supplied, recv() takes them in and returns them too: BACKLOG 0.
 */
TEST_F(zoo, backlog_holds_what_arrives_while_recv_owns_the_socket)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct uffdio_zeropage zp;
	struct pollfd up = { .events = POLLIN };
	int l, c, a, i, q, lport, pport, same = 0;
	static char buf[1000];
	struct uffd_msg msg;
	struct proc_tcp pt;
	long bl = -1, b1, b2;
	pthread_t t;
	void *ret;

	uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0)
		SKIP(return, "userfaultfd: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_API, &api));
	uffd_page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, uffd_page);
	reg.range.start = (unsigned long)uffd_page;
	reg.range.len = 4096;
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_REGISTER, &reg));

	ASSERT_EQ(0, tcp_pair(&l, &c, &a));
	lport = port_of(a);
	pport = port_of(c);
	ASSERT_EQ(100, write(c, buf, 100));
	ASSERT_EQ(0, get_until(a, SOCKSTAT_A_SOCK_RECV_Q, 100));
	ASSERT_EQ(0, s.v[SOCKSTAT_A_SOCK_BACKLOG]);

	/* The reader faults on the page while it copies the 100 bytes. */
	blocked_fd = a;
	ASSERT_EQ(0, pthread_create(&t, NULL, recv_into_the_missing_page, NULL));
	up.fd = uffd;
	ASSERT_EQ(1, poll(&up, 1, 10000));
	ASSERT_EQ(sizeof(msg), read(uffd, &msg, sizeof(msg)));
	ASSERT_EQ(UFFD_EVENT_PAGEFAULT, msg.event);

	ASSERT_EQ(sizeof(buf), write(c, buf, sizeof(buf)));
	for (i = 0; i < 200 && (get(a) || !s.v[SOCKSTAT_A_SOCK_BACKLOG]); i++)
		usleep(10000);
	/*
	 * The sender gets no ACK and retransmits into the backlog too (after
	 * 200 ms, 400 ms, ...): compare when the module says the same before
	 * and after ss.
	 */
	for (i = 0; i < 5 && !same; i++) {
		ASSERT_EQ(0, get(a));
		b1 = s.v[SOCKSTAT_A_SOCK_BACKLOG];
		bl = ss_backlog(lport, pport);
		ASSERT_EQ(0, get(a));
		b2 = s.v[SOCKSTAT_A_SOCK_BACKLOG];
		same = b1 == b2;
	}
	ASSERT_TRUE(same);
	EXPECT_LT(0, b2);
	EXPECT_EQ(bl, b2);
	EXPECT_EQ(100, s.recv_q);
	ASSERT_EQ(1, proc_tcp_find(0, lport, pport, ss_inode(a), &pt));
	EXPECT_EQ(pt.rx_queue, s.recv_q);
	ksft_print_msg("backlog %ld bytes (skb truesize) for %zu bytes sent while recv() owned the socket\n",
		       b2, sizeof(buf));

	zp.range = reg.range;
	zp.mode = 0;
	/*
	 * recv() has its 100 bytes; before it returns, it takes in the
	 * backlog (__sk_flush_backlog()) and copies that too.
	 */
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_ZEROPAGE, &zp));
	pthread_join(t, &ret);
	EXPECT_EQ(100 + sizeof(buf), (long)ret);
	ASSERT_EQ(0, get(a));
	EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_BACKLOG]);
	ASSERT_EQ(0, ioctl(a, SIOCINQ, &q));
	EXPECT_EQ(0, q);
	EXPECT_EQ(0, s.recv_q);
	close(a);
	close(c);
	close(l);
	close(uffd);
	munmap(uffd_page, 4096);
}

/*
 * TCP_INFO with the fields of <linux/tcp.h> that glibc's struct tcp_info
 * (which ends at tcpi_total_retrans) lacks, in the kernel's layout.
 */
struct tcp_info_more {
	struct tcp_info i;
	uint64_t tcpi_pacing_rate, tcpi_max_pacing_rate;
	uint64_t tcpi_bytes_acked, tcpi_bytes_received;
	uint32_t tcpi_segs_out, tcpi_segs_in;
	uint32_t tcpi_notsent_bytes;
};

static int tcp_info_of(int fd, struct tcp_info_more *ti)
{
	socklen_t len = sizeof(*ti);

	memset(ti, 0, sizeof(*ti));
	return getsockopt(fd, IPPROTO_TCP, TCP_INFO, ti, &len) || len < sizeof(*ti) ? -1 : 0;
}

/*
 * WRITE_QUEUE_PKTS and _BYTES against the kernel's other answers.  TCP:
 * what a peer's shut window keeps unsent is SIOCOUTQNSD (and
 * tcpi_notsent_bytes), SEND_Q is SIOCOUTQ; with nothing unsent the write
 * queue has no packet.  A corked UDP datagram (IPv4 and IPv6): its bytes
 * are what the peer receives once it is uncorked, and the 8 bytes of the
 * UDP header the cork counts, SEND_Q the same; once sent, nothing is
 * queued and SEND_Q is 0.  A raw ICMP socket after a send: nothing queued.
 */
TEST_F(zoo, write_queue_counts_as_the_kernel_has_them)
{
	int l, c, a, small = 4096, sndbuf = 32768, nsd, oq, nsd2, oq2, i, fam;
	struct tcp_info_more ti;
	static char buf[65536];

	ASSERT_EQ(0, tcp_pair(&l, &c, &a));
	ASSERT_EQ(0, setsockopt(a, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)));
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)));
	ASSERT_EQ(0, get(c));
	EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_WRITE_QUEUE_PKTS]);
	EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_WRITE_QUEUE_BYTES]);
	ASSERT_EQ(0, fcntl(c, F_SETFL, O_NONBLOCK));
	while (write(c, buf, sizeof(buf)) > 0)
		;
	usleep(200000);		/* the last segments in flight land */
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(0, ioctl(c, SIOCOUTQNSD, &nsd));
		ASSERT_EQ(0, ioctl(c, SIOCOUTQ, &oq));
		ASSERT_EQ(0, get(c));
		ASSERT_EQ(0, ioctl(c, SIOCOUTQNSD, &nsd2));
		ASSERT_EQ(0, ioctl(c, SIOCOUTQ, &oq2));
		if (nsd == nsd2 && oq == oq2)
			break;
	}
	ASSERT_EQ(nsd, nsd2);
	EXPECT_LT(0, nsd);
	EXPECT_EQ(nsd, s.v[SOCKSTAT_A_SOCK_WRITE_QUEUE_BYTES]);
	EXPECT_EQ(oq, s.send_q);
	EXPECT_LE(1, s.v[SOCKSTAT_A_SOCK_WRITE_QUEUE_PKTS]);
	EXPECT_GE(s.v[SOCKSTAT_A_SOCK_WRITE_QUEUE_BYTES], s.v[SOCKSTAT_A_SOCK_WRITE_QUEUE_PKTS]);
	ASSERT_EQ(0, tcp_info_of(c, &ti));
	EXPECT_EQ(ti.tcpi_notsent_bytes, s.v[SOCKSTAT_A_SOCK_WRITE_QUEUE_BYTES]);
	ksft_print_msg("TCP: %d bytes unsent in %llu packets, %d not acknowledged\n", nsd,
		       (unsigned long long)s.v[SOCKSTAT_A_SOCK_WRITE_QUEUE_PKTS], oq);

	for (i = 0; i < 500; i++) {
		drain(a);
		ASSERT_EQ(0, ioctl(c, SIOCOUTQ, &oq));
		if (!oq)
			break;
		usleep(10000);
	}
	ASSERT_EQ(0, oq);
	ASSERT_EQ(0, ioctl(c, SIOCOUTQNSD, &nsd));
	ASSERT_EQ(0, get(c));
	EXPECT_EQ(0, nsd);
	EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_WRITE_QUEUE_BYTES]);
	EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_WRITE_QUEUE_PKTS]);
	EXPECT_EQ(0, s.send_q);
	close(a);
	close(c);
	close(l);

	for (fam = 0; fam < 2; fam++) {
		struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
		struct sockaddr_in a4 = lo4(0);
		struct sockaddr *sa = fam ? (struct sockaddr *)&a6 : (struct sockaddr *)&a4;
		socklen_t salen = fam ? sizeof(a6) : sizeof(a4);
		int r = socket(sa->sa_family, SOCK_DGRAM, 0), u = socket(sa->sa_family, SOCK_DGRAM, 0);
		int one = 1, zero = 0;
		ssize_t got;

		ASSERT_LE(0, r);
		ASSERT_LE(0, u);
		ASSERT_EQ(0, bind(r, sa, salen));
		ASSERT_EQ(0, getsockname(r, sa, &salen));
		ASSERT_EQ(0, connect(u, sa, salen));
		ASSERT_EQ(0, setsockopt(u, IPPROTO_UDP, UDP_CORK, &one, sizeof(one)));
		ASSERT_EQ(100, send(u, buf, 100, 0));
		ASSERT_EQ(2000, send(u, buf, 2000, 0));
		ASSERT_EQ(50, send(u, buf, 50, MSG_MORE));
		ASSERT_EQ(0, get(u));
		EXPECT_LE(1, s.v[SOCKSTAT_A_SOCK_WRITE_QUEUE_PKTS]);
		ASSERT_EQ(0, setsockopt(u, IPPROTO_UDP, UDP_CORK, &zero, sizeof(zero)));
		got = recv(r, buf, sizeof(buf), 0);
		EXPECT_EQ(2150, got);
		EXPECT_EQ(got + sizeof(struct udphdr), s.v[SOCKSTAT_A_SOCK_WRITE_QUEUE_BYTES])
			TH_LOG("family %d", sa->sa_family);
		EXPECT_EQ(got + sizeof(struct udphdr), s.send_q);
		ASSERT_EQ(0, get(u));
		EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_WRITE_QUEUE_PKTS]);
		EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_WRITE_QUEUE_BYTES]) TH_LOG("family %d: sent, still counted",
									 sa->sa_family);
		EXPECT_EQ(0, s.send_q);
		close(r);
		close(u);
	}

	{
		struct sockaddr_in to = lo4(0);
		struct { uint8_t type, code; uint16_t sum, id, seq; char data[56]; } echo = { .type = 8 };
		int raw = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
		uint32_t sum = 0;
		uint16_t *w = (uint16_t *)&echo;

		ASSERT_LE(0, raw);
		for (i = 0; i < (int)sizeof(echo) / 2; i++)
			sum += w[i];
		echo.sum = ~((sum & 0xffff) + (sum >> 16));
		ASSERT_EQ(sizeof(echo), sendto(raw, &echo, sizeof(echo), 0, (struct sockaddr *)&to, sizeof(to)));
		ASSERT_EQ(0, get(raw));
		EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_WRITE_QUEUE_PKTS]);
		EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_WRITE_QUEUE_BYTES]) TH_LOG("raw: a sent datagram still counted");
		EXPECT_EQ(0, s.send_q);
		close(raw);
	}
}

/* The fields of TCP_INFO the nest has, the same in two reads. */
static int tcp_info_same(const struct tcp_info_more *a, const struct tcp_info_more *b)
{
	return a->i.tcpi_state == b->i.tcpi_state &&
	       a->i.tcpi_retransmits == b->i.tcpi_retransmits &&
	       a->i.tcpi_total_retrans == b->i.tcpi_total_retrans &&
	       a->i.tcpi_rtt == b->i.tcpi_rtt && a->i.tcpi_rttvar == b->i.tcpi_rttvar &&
	       a->i.tcpi_rto == b->i.tcpi_rto && a->i.tcpi_snd_cwnd == b->i.tcpi_snd_cwnd &&
	       a->i.tcpi_snd_ssthresh == b->i.tcpi_snd_ssthresh &&
	       a->i.tcpi_snd_mss == b->i.tcpi_snd_mss && a->i.tcpi_unacked == b->i.tcpi_unacked &&
	       a->tcpi_bytes_acked == b->tcpi_bytes_acked &&
	       a->tcpi_bytes_received == b->tcpi_bytes_received &&
	       a->tcpi_segs_out == b->tcpi_segs_out && a->tcpi_segs_in == b->tcpi_segs_in;
}

/*
 * Every value of the TCP nest as TCP_INFO has it, read when TCP_INFO
 * before and after the module's read agree (a retransmission or an ACK
 * in between changes them), and /proc/net/tcp's retransmit count, RTO,
 * cwnd and ssthresh.  0 when compared, -1 when it never held still.
 */
static int tcp_nest_is_tcp_info(struct __test_metadata *_metadata, int fd)
{
	struct tcp_info_more t1, t2;
	struct proc_tcp pt;
	const uint64_t *x = s.tcp;
	int i;

	for (i = 0; i < 10; i++) {
		if (tcp_info_of(fd, &t1) || get(fd) ||
		    proc_tcp_find(0, port_of(fd), 0, ss_inode(fd), &pt) != 1 ||
		    tcp_info_of(fd, &t2))
			return -1;
		if (tcp_info_same(&t1, &t2))
			break;
	}
	if (i == 10)
		return -1;
	EXPECT_EQ(t1.i.tcpi_retransmits, x[SOCKSTAT_A_TCP_RETRANSMITS]);
	EXPECT_EQ(t1.i.tcpi_total_retrans, x[SOCKSTAT_A_TCP_TOTAL_RETRANS]);
	EXPECT_EQ(t1.i.tcpi_rtt, x[SOCKSTAT_A_TCP_RTT_US]);
	EXPECT_EQ(t1.i.tcpi_rttvar, x[SOCKSTAT_A_TCP_RTTVAR_US]);
	EXPECT_EQ(t1.i.tcpi_rto, x[SOCKSTAT_A_TCP_RTO_US]);
	EXPECT_EQ(t1.i.tcpi_snd_cwnd, x[SOCKSTAT_A_TCP_CWND]);
	EXPECT_EQ(t1.i.tcpi_snd_ssthresh, x[SOCKSTAT_A_TCP_SSTHRESH]);
	EXPECT_EQ(t1.i.tcpi_snd_mss, x[SOCKSTAT_A_TCP_MSS]);
	EXPECT_EQ(t1.i.tcpi_unacked, x[SOCKSTAT_A_TCP_UNACKED]);
	EXPECT_EQ(t1.tcpi_bytes_acked, x[SOCKSTAT_A_TCP_BYTES_ACKED]);
	EXPECT_EQ(t1.tcpi_bytes_received, x[SOCKSTAT_A_TCP_BYTES_RECEIVED]);
	EXPECT_EQ(t1.tcpi_segs_out, x[SOCKSTAT_A_TCP_SEGS_OUT]);
	EXPECT_EQ(t1.tcpi_segs_in, x[SOCKSTAT_A_TCP_SEGS_IN]);
	EXPECT_EQ(t1.i.tcpi_state, s.sk_state);
	/* /proc/net/tcp: clock ticks of 10 ms, -1 for the initial ssthresh. */
	EXPECT_TRUE(pt.full);
	EXPECT_EQ(pt.retrnsmt, x[SOCKSTAT_A_TCP_RETRANSMITS]);
	EXPECT_EQ(pt.rto, x[SOCKSTAT_A_TCP_RTO_US] / 10000);
	EXPECT_EQ(pt.cwnd, x[SOCKSTAT_A_TCP_CWND]);
	EXPECT_EQ(pt.ssthresh, x[SOCKSTAT_A_TCP_SSTHRESH] >= 0x7fffffff ? -1 :
			       (int)x[SOCKSTAT_A_TCP_SSTHRESH]);
	EXPECT_EQ(pt.tx_queue, s.send_q);
	return 0;
}

/*
 * The TCP nest of a connection whose peer drops every segment (a socket
 * filter): the sender retransmits and backs off, its window shrinks to
 * one segment.  Then the filter goes and the data is acknowledged.  At
 * each stage the nest is TCP_INFO and /proc/net/tcp's view.
 */
TEST_F(zoo, tcp_retransmits_as_tcp_info_and_proc_net_tcp_count_them)
{
	int l, c, a, i, oq = -1;
	struct tcp_info_more ti;
	static char buf[3000];

	ASSERT_EQ(0, tcp_pair(&l, &c, &a));
	ASSERT_EQ(0, tcp_nest_is_tcp_info(_metadata, c));
	EXPECT_EQ(0, s.tcp[SOCKSTAT_A_TCP_RETRANSMITS]);

	ASSERT_EQ(0, ss_drop_segments(a, 0));
	ASSERT_EQ(sizeof(buf), write(c, buf, sizeof(buf)));
	for (i = 0; i < 100; i++) {
		ASSERT_EQ(0, tcp_info_of(c, &ti));
		if (ti.i.tcpi_retransmits >= 2)
			break;
		usleep(50000);
	}
	ASSERT_LE(2, ti.i.tcpi_retransmits) TH_LOG("the segments were never retransmitted");
	ASSERT_EQ(0, tcp_nest_is_tcp_info(_metadata, c));
	EXPECT_LE(2, s.tcp[SOCKSTAT_A_TCP_RETRANSMITS]);
	EXPECT_LE(2, s.tcp[SOCKSTAT_A_TCP_TOTAL_RETRANS]);
	EXPECT_EQ(sizeof(buf), s.send_q);
	ksft_print_msg("peer drops: %llu retransmissions of the head, %llu in all, rto %llu us, cwnd %llu\n",
		       (unsigned long long)s.tcp[SOCKSTAT_A_TCP_RETRANSMITS],
		       (unsigned long long)s.tcp[SOCKSTAT_A_TCP_TOTAL_RETRANS],
		       (unsigned long long)s.tcp[SOCKSTAT_A_TCP_RTO_US],
		       (unsigned long long)s.tcp[SOCKSTAT_A_TCP_CWND]);

	ASSERT_EQ(0, setsockopt(a, SOL_SOCKET, SO_DETACH_FILTER, &i, sizeof(i)));
	for (i = 0; i < 300; i++) {
		ASSERT_EQ(0, ioctl(c, SIOCOUTQ, &oq));
		if (!oq)
			break;
		usleep(50000);
	}
	ASSERT_EQ(0, oq) TH_LOG("not acknowledged 15 s after the filter went");
	ASSERT_EQ(0, tcp_nest_is_tcp_info(_metadata, c));
	EXPECT_EQ(0, s.tcp[SOCKSTAT_A_TCP_RETRANSMITS]);
	EXPECT_EQ(0, s.tcp[SOCKSTAT_A_TCP_UNACKED]);
	EXPECT_LE(3, s.tcp[SOCKSTAT_A_TCP_TOTAL_RETRANS]);
	EXPECT_EQ(sizeof(buf) + 1, s.tcp[SOCKSTAT_A_TCP_BYTES_ACKED]);
	close(a);
	close(c);
	close(l);
}

TEST_F(zoo, generic_fields)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	uint64_t cookie = 0;
	socklen_t len = sizeof(cookie);
	struct stat ns;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, stat("/proc/self/ns/net", &ns));
	ASSERT_EQ(0, get(fd));
	ASSERT_EQ(0, getsockopt(fd, SOL_SOCKET, SO_COOKIE, &cookie, &len));
	EXPECT_NE(0, cookie);
	EXPECT_EQ(cookie, s.v[SOCKSTAT_A_SOCK_COOKIE]);
	EXPECT_EQ(ns.st_ino, s.v[SOCKSTAT_A_SOCK_NETNS]);
	EXPECT_EQ(getuid(), s.v[SOCKSTAT_A_SOCK_UID]);
	EXPECT_STREQ("inet_dgram_ops", s.ops);
	EXPECT_STREQ("UDP", s.proto);
	EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_SHUTDOWN]);
	EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_ERR]);
	EXPECT_LE(1, s.v[SOCKSTAT_A_SOCK_REFCNT]);
	EXPECT_LT(0, s.v[SOCKSTAT_A_SOCK_RCVBUF]);
	EXPECT_FALSE(s.present[SOCKSTAT_A_SOCK_OPS_MODULE]);
	EXPECT_FALSE(s.present[SOCKSTAT_A_SOCK_ACCEPT_QUEUE]);
	close(fd);
}

TEST_F(zoo, udp_peer_and_raw)
{
	struct sockaddr_in a = lo4(9);
	int u = socket(AF_INET, SOCK_DGRAM, 0), r = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);

	ASSERT_LE(0, u);
	ASSERT_LE(0, r);
	ASSERT_EQ(0, connect(u, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, get(u));
	EXPECT_EQ(9, s.v[SOCKSTAT_A_SOCK_PEER_PORT]);
	EXPECT_EQ(port_of(u), s.v[SOCKSTAT_A_SOCK_LOCAL_PORT]);
	EXPECT_EQ(htonl(INADDR_LOOPBACK), *(uint32_t *)s.peer_addr);

	ASSERT_EQ(0, get(r));
	EXPECT_EQ(SOCK_RAW, s.type);
	EXPECT_EQ(IPPROTO_ICMP, s.protocol);
	EXPECT_STREQ("RAW", s.proto);
	EXPECT_STREQ("inet_sockraw_ops", s.ops);
	close(u);
	close(r);
}

TEST_F(zoo, tcp6_v6only)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	int fd = socket(AF_INET6, SOCK_STREAM, 0), one = 1;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)));
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, listen(fd, 1));
	ASSERT_EQ(0, get(fd));
	EXPECT_EQ(AF_INET6, s.family);
	EXPECT_STREQ("inet6_stream_ops", s.ops);
	EXPECT_STREQ("TCPv6", s.proto);
	EXPECT_TRUE(s.present[SOCKSTAT_A_SOCK_V6ONLY]);
	EXPECT_EQ(16, s.local_addr_len);
	EXPECT_EQ(0, memcmp(&in6addr_loopback, s.local_addr, 16));
	EXPECT_EQ(port_of(fd), s.v[SOCKSTAT_A_SOCK_LOCAL_PORT]);
	close(fd);
}

TEST_F(zoo, unix_names_and_peers)
{
	struct sockaddr_un path = { .sun_family = AF_UNIX }, abs = { .sun_family = AF_UNIX };
	int p = socket(AF_UNIX, SOCK_DGRAM, 0), a = socket(AF_UNIX, SOCK_DGRAM, 0), sv[2];
	socklen_t alen;

	snprintf(path.sun_path, sizeof(path.sun_path), "/tmp/sockstat-zoo-%d", getpid());
	strcpy(abs.sun_path + 1, "sockstat-zoo-abstract");
	alen = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(abs.sun_path + 1);
	ASSERT_EQ(0, bind(p, (struct sockaddr *)&path, sizeof(path)));
	ASSERT_EQ(0, bind(a, (struct sockaddr *)&abs, alen));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));

	ASSERT_EQ(0, get(p));
	EXPECT_STREQ("unix_dgram_ops", s.ops);
	EXPECT_STREQ("UNIX", s.proto);
	/* A path name keeps its terminating zero byte. */
	EXPECT_EQ(strlen(path.sun_path) + 1, s.unix_name_len);
	EXPECT_STREQ(path.sun_path, s.unix_name);

	ASSERT_EQ(0, get(a));
	EXPECT_EQ(1 + strlen(abs.sun_path + 1), s.unix_name_len);
	EXPECT_EQ(0, s.unix_name[0]);
	EXPECT_STREQ(abs.sun_path + 1, s.unix_name + 1);

	ASSERT_EQ(0, get(sv[0]));
	EXPECT_STREQ("unix_stream_ops", s.ops);
	EXPECT_STREQ("UNIX-STREAM", s.proto);
	EXPECT_FALSE(s.present[SOCKSTAT_A_SOCK_UNIX_NAME]);
	EXPECT_EQ(ss_inode(sv[1]), s.v[SOCKSTAT_A_SOCK_PEER_INODE]);
	ASSERT_EQ(0, get(sv[1]));
	EXPECT_EQ(ss_inode(sv[0]), s.v[SOCKSTAT_A_SOCK_PEER_INODE]);

	unlink(path.sun_path);
	close(p);
	close(a);
	close(sv[0]);
	close(sv[1]);
}

/* An AF_UNIX connection exists before accept(): its peer has no inode. */
TEST_F(zoo, unix_listener_pending)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int l = socket(AF_UNIX, SOCK_STREAM, 0), c = socket(AF_UNIX, SOCK_STREAM, 0), x;

	snprintf(a.sun_path, sizeof(a.sun_path), "/tmp/sockstat-zoo-l-%d", getpid());
	ASSERT_EQ(0, bind(l, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, listen(l, 3));
	ASSERT_EQ(0, connect(c, (struct sockaddr *)&a, sizeof(a)));

	ASSERT_EQ(0, get(l));
	EXPECT_EQ(TCP_LISTEN, s.sk_state);
	EXPECT_EQ(SS_UNCONNECTED, s.ss_state);
	EXPECT_EQ(1, s.v[SOCKSTAT_A_SOCK_ACCEPT_QUEUE]);
	EXPECT_EQ(3, s.v[SOCKSTAT_A_SOCK_ACCEPT_MAX]);
	ASSERT_EQ(0, get(c));
	EXPECT_EQ(ss_unix_connected_state(), s.ss_state);
	EXPECT_FALSE(s.present[SOCKSTAT_A_SOCK_PEER_INODE]);

	x = accept(l, NULL, NULL);
	ASSERT_LE(0, x);
	ASSERT_EQ(0, get(c));
	EXPECT_EQ(ss_inode(x), s.v[SOCKSTAT_A_SOCK_PEER_INODE]);
	ASSERT_EQ(0, get(l));
	EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_ACCEPT_QUEUE]);
	unlink(a.sun_path);
	close(x);
	close(c);
	close(l);
}

TEST_F(zoo, netlink_socket)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };
	socklen_t len = sizeof(a);
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&a, &len));
	ASSERT_EQ(0, get(fd));
	EXPECT_EQ(AF_NETLINK, s.family);
	EXPECT_EQ(NETLINK_ROUTE, s.protocol);
	EXPECT_STREQ("netlink_ops", s.ops);
	EXPECT_STREQ("NETLINK", s.proto);
	EXPECT_EQ(a.nl_pid, s.v[SOCKSTAT_A_SOCK_NETLINK_PORTID]);
	EXPECT_EQ(RTMGRP_LINK, s.v[SOCKSTAT_A_SOCK_NETLINK_GROUPS]);
	EXPECT_EQ(0, s.v[SOCKSTAT_A_SOCK_NETLINK_DST_PORTID]);
	close(fd);
}

TEST_F(zoo, packet_socket_and_ring)
{
	struct sockaddr_ll a = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				 .sll_ifindex = if_nametoindex("lo") };
	struct tpacket_req req = { .tp_block_size = 4096, .tp_block_nr = 1,
				   .tp_frame_size = 2048, .tp_frame_nr = 2 };
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	void *ring;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, get(fd));
	EXPECT_EQ(AF_PACKET, s.family);
	/* packet_create() keeps the protocol in its own struct, not sk. */
	EXPECT_EQ(0, s.protocol);
	EXPECT_STREQ("packet_ops", s.ops);
	EXPECT_EQ(a.sll_ifindex, s.v[SOCKSTAT_A_SOCK_PACKET_IFINDEX]);
	EXPECT_EQ(ETH_P_ALL, s.v[SOCKSTAT_A_SOCK_PACKET_PROTOCOL]);
	EXPECT_FALSE(s.present[SOCKSTAT_A_SOCK_MMAPPED]);

	ASSERT_EQ(0, setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)));
	ring = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, ring);
	ASSERT_EQ(0, get(fd));
	EXPECT_TRUE(s.present[SOCKSTAT_A_SOCK_MMAPPED]);
	munmap(ring, 4096);
	close(fd);
}

/*
 * Families the module knows nothing special about still appear, with
 * every generic field: AF_XDP (built into Debian's kernels), AF_ALG and
 * AF_KEY (modules, loaded by socket() itself).
 */
TEST_F(zoo, other_families)
{
	static const struct {
		int family, type, protocol;
		const char *ops, *module, *proto;
	} kinds[] = {
		{ AF_XDP, SOCK_RAW, 0, "xsk_proto_ops", NULL, "XDP" },
		{ AF_ALG, SOCK_SEQPACKET, 0, "alg_proto_ops", "af_alg", "ALG" },
		{ AF_KEY, SOCK_RAW, 2 /* PF_KEY_V2 */, "pfkey_ops", "af_key", "KEY" },
	};
	int i;

	for (i = 0; i < (int)(sizeof(kinds) / sizeof(kinds[0])); i++) {
		int fd = socket(kinds[i].family, kinds[i].type, kinds[i].protocol);

		ASSERT_LE(0, fd) TH_LOG("socket(%d): %s", kinds[i].family, strerror(errno));
		ASSERT_EQ(0, get(fd));
		EXPECT_EQ(kinds[i].family, s.family);
		EXPECT_EQ(kinds[i].type, s.type);
		EXPECT_EQ(SS_UNCONNECTED, s.ss_state);
		EXPECT_STREQ(kinds[i].ops, s.ops);
		EXPECT_STREQ(kinds[i].proto, s.proto);
		if (kinds[i].module) {
			EXPECT_STREQ(kinds[i].module, s.ops_module);
		} else {
			EXPECT_FALSE(s.present[SOCKSTAT_A_SOCK_OPS_MODULE]);
		}
		EXPECT_TRUE(s.present[SOCKSTAT_A_SOCK_RCVBUF]);
		EXPECT_TRUE(s.present[SOCKSTAT_A_SOCK_COOKIE]);
		EXPECT_TRUE(s.present[SOCKSTAT_A_SOCK_NETNS]);
		EXPECT_EQ(1, s.nowners);
		EXPECT_NE(NULL, ss_find_owner(&s, getpid(), fd));
		EXPECT_FALSE(s.present[SOCKSTAT_A_SOCK_LOCAL_PORT]);
		close(fd);
	}
}

/* One socket, two processes: the parent's and the forked child's fd. */
TEST_F(zoo, owners_after_fork_and_dup)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), d, ready[2];
	const struct ss_owner *o;
	pid_t child;
	char c;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pipe(ready));
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		prctl(PR_SET_NAME, "zoo-child");
		write(ready[1], "x", 1);
		pause();
		_exit(0);
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	d = dup(fd);

	ASSERT_EQ(0, get(fd));
	EXPECT_EQ(3, s.nowners);
	o = ss_find_owner(&s, getpid(), fd);
	ASSERT_NE(NULL, o);
	EXPECT_TRUE(o->cloexec);
	EXPECT_EQ(getuid(), o->uid);
	o = ss_find_owner(&s, getpid(), d);
	ASSERT_NE(NULL, o);
	EXPECT_FALSE(o->cloexec);	/* dup() clears close-on-exec */
	o = ss_find_owner(&s, child, fd);
	ASSERT_NE(NULL, o);
	EXPECT_STREQ("zoo-child", o->comm);
	EXPECT_TRUE(o->cloexec);
	EXPECT_FALSE(s.present[SOCKSTAT_A_SOCK_OWNERS_MISSING]);

	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	ASSERT_EQ(0, get(fd));
	EXPECT_EQ(2, s.nowners);
	EXPECT_EQ(NULL, ss_find_owner(&s, child, fd));
	close(d);
	close(fd);
}

struct found {
	uint64_t ino;
	int hits, total, bad;
	uint32_t ss_mask, sk_mask;
	pid_t pid;
};

static int found_cb(const struct ss_sock *x, void *arg)
{
	struct found *f = arg;

	f->total++;
	f->hits += x->ino == f->ino;
	if ((f->ss_mask && !(f->ss_mask & (1u << x->ss_state))) ||
	    (f->sk_mask && !(f->sk_mask & (1u << x->sk_state))))
		f->bad++;
	if (f->pid) {
		int i, mine = 0;

		for (i = 0; i < x->nowners; i++)
			mine |= (pid_t)x->owners[i].pid == f->pid;
		f->bad += !mine;
	}
	return 0;
}

static void *sleeper(void *arg)
{
	pause();
	return arg;
}

/* Threads share one descriptor table: the process is one owner. */
TEST_F(zoo, threads_are_one_owner)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	pthread_t t[3];
	int i;

	ASSERT_LE(0, fd);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, sleeper, NULL));
	ASSERT_EQ(0, get(fd));
	EXPECT_EQ(1, s.nowners);
	EXPECT_NE(NULL, ss_find_owner(&s, getpid(), fd));
	close(fd);
}

/* The peer's owners are in the peer's own reply, found by PEER_INODE. */
TEST_F(zoo, unix_peer_owners)
{
	int sv[2], ready[2];
	pid_t child;
	char c;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ASSERT_EQ(0, pipe(ready));
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		close(sv[0]);
		write(ready[1], "x", 1);
		pause();
		_exit(0);
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	close(sv[1]);

	ASSERT_EQ(0, get(sv[0]));
	ASSERT_TRUE(s.present[SOCKSTAT_A_SOCK_PEER_INODE]);
	ASSERT_EQ(0, ssnl_get(&nl, s.v[SOCKSTAT_A_SOCK_PEER_INODE], &s));
	EXPECT_EQ(1, s.nowners);
	EXPECT_NE(NULL, ss_find_owner(&s, child, sv[1]));
	EXPECT_EQ(ss_inode(sv[0]), s.v[SOCKSTAT_A_SOCK_PEER_INODE]);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	close(sv[0]);
}

/*
 * The netns selector: our own namespace by number, another one, and all
 * of them (root has CAP_NET_ADMIN; issue #5 tests the refusal).
 */
TEST_F(zoo, netns_selector)
{
	int report[2], here = socket(AF_INET, SOCK_DGRAM, 0);
	struct stat own;
	struct found f;
	struct ssnl_req r;
	uint32_t inum, zero = 0;
	uint64_t there;
	pid_t child;

	ASSERT_EQ(0, stat("/proc/self/ns/net", &own));
	ASSERT_EQ(0, pipe(report));
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		int fd;
		struct stat ns;
		uint64_t msg[2];

		unshare(CLONE_NEWNET);
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		stat("/proc/self/ns/net", &ns);
		msg[0] = ss_inode(fd);
		msg[1] = ns.st_ino;
		write(report[1], msg, sizeof(msg));
		pause();
		_exit(0);
	}
	{
		uint64_t msg[2];

		ASSERT_EQ(sizeof(msg), read(report[0], msg, sizeof(msg)));
		there = msg[0];
		inum = msg[1];
	}
	ASSERT_NE(own.st_ino, inum);

	/* Default: only our namespace. */
	f = (struct found){ .ino = there };
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ASSERT_EQ(0, ssnl_request(&nl, &r, NLM_F_DUMP, 32768, found_cb, &f));
	EXPECT_EQ(0, f.hits);

	/* The child's namespace by number: its socket, not ours. */
	f = (struct found){ .ino = there };
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ssnl_put(&r, SOCKSTAT_A_SOCK_NETNS, &inum, 4);
	ASSERT_EQ(0, ssnl_request(&nl, &r, NLM_F_DUMP, 32768, found_cb, &f));
	EXPECT_EQ(1, f.hits);
	f.ino = ss_inode(here);
	f.hits = 0;
	ASSERT_EQ(0, ssnl_request(&nl, &r, NLM_F_DUMP, 32768, found_cb, &f));
	EXPECT_EQ(0, f.hits);

	/* All namespaces: both. */
	f = (struct found){ .ino = there };
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ssnl_put(&r, SOCKSTAT_A_SOCK_NETNS, &zero, 4);
	ASSERT_EQ(0, ssnl_request(&nl, &r, NLM_F_DUMP, 32768, found_cb, &f));
	EXPECT_EQ(1, f.hits);
	f.ino = ss_inode(here);
	f.hits = 0;
	ASSERT_EQ(0, ssnl_request(&nl, &r, NLM_F_DUMP, 32768, found_cb, &f));
	EXPECT_EQ(1, f.hits);

	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	close(here);
}

/* A descriptor passed with SCM_RIGHTS belongs to its receiver. */
TEST_F(zoo, owner_after_scm_rights)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 }, c = 'x';
	struct iovec iov = { &c, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
	int sv[2], fd = socket(AF_INET, SOCK_DGRAM, 0), got = -1, report[2];
	uint64_t ino = ss_inode(fd);
	pid_t child;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	ASSERT_EQ(0, pipe(report));
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		close(fd);
		if (recvmsg(sv[1], &m, 0) == 1 && (cm = CMSG_FIRSTHDR(&m)))
			memcpy(&got, CMSG_DATA(cm), sizeof(got));
		write(report[1], &got, sizeof(got));
		pause();
		_exit(0);
	}
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(fd));
	ASSERT_EQ(1, sendmsg(sv[0], &m, 0));
	close(fd);
	ASSERT_EQ(sizeof(got), read(report[0], &got, sizeof(got)));
	ASSERT_LE(0, got);

	ASSERT_EQ(0, ssnl_get(&nl, ino, &s));
	EXPECT_EQ(1, s.nowners);
	EXPECT_NE(NULL, ss_find_owner(&s, child, got));
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	close(sv[0]);
	close(sv[1]);
}

/* Owners are numbered in the caller's pid namespace. */
TEST_F(zoo, owner_pid_in_callers_namespace)
{
	int report[2];
	uint64_t ino;
	pid_t child;
	struct {
		uint64_t ino;
		int err;
		uint32_t pid;
	} r;

	ASSERT_EQ(0, pipe(report));
	ASSERT_EQ(0, unshare(CLONE_NEWPID));
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		/* pid 1 of a new pid namespace, same network namespace */
		int fd = socket(AF_INET, SOCK_DGRAM, 0);
		struct ssnl n2;

		r.ino = ss_inode(fd);
		r.err = ssnl_open(&n2) ?: ssnl_get(&n2, r.ino, &s);
		r.pid = s.nowners == 1 ? s.owners[0].pid : 0;
		write(report[1], &r, sizeof(r));
		pause();
		_exit(0);
	}
	ASSERT_EQ(sizeof(r), read(report[0], &r, sizeof(r)));
	ASSERT_EQ(0, r.err);
	EXPECT_EQ(1, r.pid);
	ino = r.ino;
	ASSERT_EQ(0, ssnl_get(&nl, ino, &s));
	EXPECT_EQ(1, s.nowners);
	EXPECT_EQ(child, s.owners[0].pid);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

/*
 * Every SS_* state a live socket can be in.  (SS_FREE is never seen: it
 * means "no socket", and sock_alloc() starts every socket at
 * SS_UNCONNECTED.)
 */
TEST_F(zoo, ss_states)
{
	int l = tcp_listener(0), c1, c2, c3, c4, a, sv[2];
	struct sockaddr_in any = lo4(0);

	ASSERT_LE(0, l);
	ASSERT_EQ(0, get(l));
	EXPECT_EQ(SS_UNCONNECTED, s.ss_state);

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ASSERT_EQ(0, get(sv[0]));
	EXPECT_EQ(ss_unix_connected_state(), s.ss_state);

	/*
	 * listen(fd, 0): the accept queue holds one connection; the SYN of
	 * a second client is dropped and it stays connecting.
	 */
	c1 = tcp_connect(port_of(l), 0);
	ASSERT_LE(0, c1);
	ASSERT_EQ(0, get_until(l, SOCKSTAT_A_SOCK_ACCEPT_QUEUE, 1));
	c2 = tcp_connect(port_of(l), SOCK_NONBLOCK);
	ASSERT_LE(0, c2);
	ASSERT_EQ(0, get(c2));
	EXPECT_EQ(SS_CONNECTING, s.ss_state);
	EXPECT_EQ(TCP_SYN_SENT, s.sk_state);
	EXPECT_EQ(1, s.send_q);		/* the SYN */

	/* shutdown() of a connected socket leaves it SS_CONNECTED. */
	a = accept(l, NULL, NULL);
	ASSERT_LE(0, a);
	ASSERT_EQ(0, shutdown(c1, SHUT_WR));
	ASSERT_EQ(0, get(c1));
	EXPECT_EQ(SS_CONNECTED, s.ss_state);
	EXPECT_EQ(2, s.v[SOCKSTAT_A_SOCK_SHUTDOWN]);	/* SEND_SHUTDOWN */
	EXPECT_TRUE(s.sk_state == TCP_FIN_WAIT1 || s.sk_state == TCP_FIN_WAIT2);

	/*
	 * A non-blocking connect() refused by an RST: sk_state is CLOSE with
	 * the error pending, but socket->state stays SS_CONNECTING until the
	 * program asks.  shutdown() of such a socket is what inet_shutdown()
	 * turns into SS_DISCONNECTING.
	 */
	c3 = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, c3);
	ASSERT_EQ(0, bind(c3, (struct sockaddr *)&any, sizeof(any)));	/* a port, no listener */
	c4 = tcp_connect(port_of(c3), SOCK_NONBLOCK);
	ASSERT_LE(0, c4);
	ASSERT_EQ(0, get_until(c4, SOCKSTAT_A_SOCK_SK_STATE, TCP_CLOSE));
	EXPECT_EQ(TCP_CLOSE, s.sk_state);
	EXPECT_EQ(SS_CONNECTING, s.ss_state);
	EXPECT_EQ(ECONNREFUSED, s.v[SOCKSTAT_A_SOCK_ERR]);
	EXPECT_EQ(-1, shutdown(c4, SHUT_RDWR));
	ASSERT_EQ(0, get(c4));
	EXPECT_EQ(SS_DISCONNECTING, s.ss_state);
	EXPECT_EQ(TCP_CLOSE, s.sk_state);

	close(c3);
	close(c4);
	close(a);
	close(c1);
	close(c2);
	close(l);
	close(sv[0]);
	close(sv[1]);
}

/*
 * connect() of an AF_UNIX datagram socket sets sk_state of both ends to
 * ESTABLISHED and leaves socket->state alone; /proc/net/unix's St column,
 * derived from sk_state, says "connected" all the same.
 */
TEST_F(zoo, unix_dgram_connect_leaves_ss_state)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int srv = socket(AF_UNIX, SOCK_DGRAM, 0), cli = socket(AF_UNIX, SOCK_DGRAM, 0);
	char line[512];
	unsigned int st = 0;
	unsigned long long ino;
	int found = 0;
	FILE *f;

	snprintf(a.sun_path, sizeof(a.sun_path), "/tmp/sockstat-zoo-d-%d", getpid());
	ASSERT_EQ(0, bind(srv, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, connect(cli, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, get(cli));
	EXPECT_EQ(SS_UNCONNECTED, s.ss_state);
	EXPECT_EQ(TCP_ESTABLISHED, s.sk_state);
	ASSERT_EQ(0, get(srv));
	EXPECT_EQ(SS_UNCONNECTED, s.ss_state);
	EXPECT_EQ(TCP_ESTABLISHED, s.sk_state);

	f = fopen("/proc/net/unix", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		unsigned int lst;

		if (sscanf(line, "%*s %*x %*x %*x %*x %x %llu", &lst, &ino) == 2 &&
		    ino == ss_inode(cli)) {
			st = lst;
			found++;
		}
	}
	fclose(f);
	/* The client's own line, once: not the state of whatever came last. */
	EXPECT_EQ(1, found);
	EXPECT_EQ(SS_CONNECTED, st);
	unlink(a.sun_path);
	close(cli);
	close(srv);
}

TEST_F(zoo, selectors)
{
	int l = tcp_listener(1), c, sv[2];
	struct ssnl_req r;
	struct found f;
	pid_t child;

	ASSERT_LE(0, l);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	/* A TCP client is SS_CONNECTED on every kernel (the pair not on 7.x). */
	c = tcp_connect(port_of(l), 0);
	ASSERT_LE(0, c);

	f = (struct found){ .ino = ss_inode(l), .ss_mask = 1u << SS_CONNECTED };
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ssnl_put(&r, SOCKSTAT_A_SOCK_SS_STATES, &f.ss_mask, 4);
	ASSERT_EQ(0, ssnl_request(&nl, &r, NLM_F_DUMP, 32768, found_cb, &f));
	EXPECT_EQ(0, f.hits);
	EXPECT_EQ(0, f.bad);
	EXPECT_LT(0, f.total);

	f = (struct found){ .ino = ss_inode(l), .sk_mask = 1u << TCP_LISTEN };
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ssnl_put(&r, SOCKSTAT_A_SOCK_SK_STATES, &f.sk_mask, 4);
	ASSERT_EQ(0, ssnl_request(&nl, &r, NLM_F_DUMP, 32768, found_cb, &f));
	EXPECT_EQ(1, f.hits);
	EXPECT_EQ(0, f.bad);

	/* Only the child's sockets: the pair it inherited, not the listener. */
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		close(l);
		pause();
		_exit(0);
	}
	usleep(100000);
	f = (struct found){ .ino = ss_inode(sv[0]), .pid = child };
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ssnl_put(&r, SOCKSTAT_A_SOCK_PID, &child, 4);
	ASSERT_EQ(0, ssnl_request(&nl, &r, NLM_F_DUMP, 32768, found_cb, &f));
	EXPECT_EQ(1, f.hits);
	EXPECT_EQ(0, f.bad);
	f.ino = ss_inode(l);
	f.hits = 0;
	ASSERT_EQ(0, ssnl_request(&nl, &r, NLM_F_DUMP, 32768, found_cb, &f));
	EXPECT_EQ(0, f.hits);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);

	/* A state mask with bits that are no state is refused. */
	f.ss_mask = 1u << 20;
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ssnl_put(&r, SOCKSTAT_A_SOCK_SS_STATES, &f.ss_mask, 4);
	EXPECT_EQ(-EINVAL, ssnl_request(&nl, &r, NLM_F_DUMP, 32768, found_cb, &f));
	EXPECT_NE(0, nl.extack[0]);
	close(c);
	close(l);
	close(sv[0]);
	close(sv[1]);
}

TEST_F(zoo, summary_matches_dump)
{
	uint32_t family = AF_UNIX, unix_connected = 0;
	struct ss_summary sum;
	struct ssnl_req r;
	struct found f = { 0 };
	int sv[10][2], i;

	for (i = 0; i < 10; i++)
		ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv[i]));

	ssnl_req_init(&r, SOCKSTAT_CMD_SUMMARY);
	ASSERT_EQ(0, ssnl_summary(&nl, &r, &sum));
	for (i = 0; i < sum.n; i++)
		if (sum.e[i].family == AF_UNIX &&
		    sum.e[i].ss_state == ss_unix_connected_state() &&
		    sum.e[i].sk_state == TCP_ESTABLISHED)
			unix_connected = sum.e[i].count;
	EXPECT_LE(20, unix_connected);
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ASSERT_EQ(0, ssnl_request(&nl, &r, NLM_F_DUMP, 32768, found_cb, &f));
	EXPECT_EQ(f.total, sum.total);

	/* With a selector, only that family is counted. */
	ssnl_req_init(&r, SOCKSTAT_CMD_SUMMARY);
	ssnl_put_u16(&r, SOCKSTAT_A_SOCK_FAMILY, family);
	ASSERT_EQ(0, ssnl_summary(&nl, &r, &sum));
	for (i = 0; i < sum.n; i++)
		EXPECT_EQ(AF_UNIX, sum.e[i].family);
	f = (struct found){ 0 };
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ssnl_put_u16(&r, SOCKSTAT_A_SOCK_FAMILY, family);
	ASSERT_EQ(0, ssnl_request(&nl, &r, NLM_F_DUMP, 32768, found_cb, &f));
	EXPECT_EQ(f.total, sum.total);

	for (i = 0; i < 10; i++) {
		close(sv[i][0]);
		close(sv[i][1]);
	}
}

TEST_HARNESS_MAIN
