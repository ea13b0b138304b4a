// SPDX-License-Identifier: GPL-2.0
/*
 * The GET command against sockets the test creates: each kind is found by
 * inode with the family, type, protocol, SS_* state and sk_state the
 * kernel gave it, queue bytes are exact, and bad requests are refused
 * with an error and a message.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sched.h>
#include <signal.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/net.h>

#include "kselftest_harness.h"
#include "nl.h"

static struct sockaddr_in loopback_any(void)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	return a;
}

/* A listener, a client connected to it and the accepted end. */
struct tcp_trio {
	int lfd, cfd, afd;
};

static int tcp_trio_open(struct tcp_trio *t)
{
	struct sockaddr_in a = loopback_any();
	socklen_t len = sizeof(a);

	t->lfd = socket(AF_INET, SOCK_STREAM, 0);
	t->cfd = socket(AF_INET, SOCK_STREAM, 0);
	if (t->lfd < 0 || t->cfd < 0 ||
	    bind(t->lfd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(t->lfd, 8) ||
	    getsockname(t->lfd, (struct sockaddr *)&a, &len) ||
	    connect(t->cfd, (struct sockaddr *)&a, sizeof(a)))
		return -1;
	t->afd = accept(t->lfd, NULL, NULL);
	return t->afd < 0 ? -1 : 0;
}

static void tcp_trio_close(struct tcp_trio *t)
{
	close(t->afd);
	close(t->cfd);
	close(t->lfd);
}

/* Poll GET until @pred holds, for up to two seconds (loopback delivery). */
static int get_until(struct ssnl *nl, int fd, struct ss_sock *s,
		     int (*pred)(const struct ss_sock *s, long arg), long arg)
{
	int err, i;

	for (i = 0; i < 200; i++) {
		err = ssnl_get(nl, ss_inode(fd), s);
		if (err || pred(s, arg))
			return err;
		usleep(10000);
	}
	return 0;
}

static int recv_q_is(const struct ss_sock *s, long k)
{
	return s->recv_q == (uint32_t)k;
}

static int send_q_is(const struct ss_sock *s, long k)
{
	return s->send_q == (uint32_t)k;
}

struct find {
	uint64_t ino;
	struct ss_sock s;
	int hits;
	int others_bad;		/* a socket that does not match the filter */
	uint16_t want_family, want_type;
};

static int find_cb(const struct ss_sock *s, void *arg)
{
	struct find *f = arg;

	if (s->ino == f->ino) {
		f->s = *s;
		f->hits++;
	}
	if ((f->want_family && s->family != f->want_family) ||
	    (f->want_type && s->type != f->want_type))
		f->others_bad++;
	return 0;
}

FIXTURE(nl) {
	struct ssnl nl;
};

FIXTURE_SETUP(nl)
{
	int err = ssnl_open(&self->nl);

	ASSERT_EQ(0, err) TH_LOG("cannot resolve the sockstat family: %s", strerror(-err));
}

FIXTURE_TEARDOWN(nl)
{
	ssnl_close(&self->nl);
}

#define EXPECT_SOCK(s, fam, typ, proto, ss, sk) do {		\
	EXPECT_EQ(fam, (s).family);				\
	EXPECT_EQ(typ, (s).type);				\
	EXPECT_EQ(proto, (s).protocol);				\
	EXPECT_EQ(ss, (s).ss_state);				\
	EXPECT_EQ(sk, (s).sk_state);				\
} while (0)

TEST_F(nl, tcp_listener_client_accepted)
{
	struct tcp_trio t;
	struct ss_sock s;

	ASSERT_EQ(0, tcp_trio_open(&t));

	ASSERT_EQ(0, ssnl_get(&self->nl, ss_inode(t.lfd), &s));
	EXPECT_EQ(ss_inode(t.lfd), s.ino);
	/* A listener never leaves SS_UNCONNECTED: listen() only moves sk_state. */
	EXPECT_SOCK(s, AF_INET, SOCK_STREAM, IPPROTO_TCP, SS_UNCONNECTED, TCP_LISTEN);

	ASSERT_EQ(0, ssnl_get(&self->nl, ss_inode(t.cfd), &s));
	EXPECT_SOCK(s, AF_INET, SOCK_STREAM, IPPROTO_TCP, SS_CONNECTED, TCP_ESTABLISHED);

	ASSERT_EQ(0, ssnl_get(&self->nl, ss_inode(t.afd), &s));
	EXPECT_EQ(ss_inode(t.afd), s.ino);
	EXPECT_SOCK(s, AF_INET, SOCK_STREAM, IPPROTO_TCP, SS_CONNECTED, TCP_ESTABLISHED);
	EXPECT_EQ(0, s.recv_q);

	tcp_trio_close(&t);
}

TEST_F(nl, tcp6_unconnected)
{
	int fd = socket(AF_INET6, SOCK_STREAM, 0);
	struct ss_sock s;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ssnl_get(&self->nl, ss_inode(fd), &s));
	EXPECT_SOCK(s, AF_INET6, SOCK_STREAM, IPPROTO_TCP, SS_UNCONNECTED, TCP_CLOSE);
	close(fd);
}

TEST_F(nl, udp_unconnected_and_connected)
{
	struct sockaddr_in a = loopback_any();
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	int c = socket(AF_INET, SOCK_DGRAM, 0);
	socklen_t len = sizeof(a);
	struct ss_sock s;

	ASSERT_LE(0, u);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, bind(u, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, getsockname(u, (struct sockaddr *)&a, &len));
	ASSERT_EQ(0, connect(c, (struct sockaddr *)&a, sizeof(a)));

	ASSERT_EQ(0, ssnl_get(&self->nl, ss_inode(u), &s));
	EXPECT_SOCK(s, AF_INET, SOCK_DGRAM, IPPROTO_UDP, SS_UNCONNECTED, TCP_CLOSE);
	/*
	 * connect() on UDP only records the peer: sk_state says ESTABLISHED,
	 * but inet_dgram_connect() never touches socket->state.
	 */
	ASSERT_EQ(0, ssnl_get(&self->nl, ss_inode(c), &s));
	EXPECT_SOCK(s, AF_INET, SOCK_DGRAM, IPPROTO_UDP, SS_UNCONNECTED, TCP_ESTABLISHED);
	close(u);
	close(c);
}

TEST_F(nl, unix_socketpair)
{
	struct ss_sock s;
	int sv[2];

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ASSERT_EQ(0, ssnl_get(&self->nl, ss_inode(sv[0]), &s));
	EXPECT_SOCK(s, AF_UNIX, SOCK_STREAM, 0, ss_unix_connected_state(), TCP_ESTABLISHED);
	ASSERT_EQ(0, ssnl_get(&self->nl, ss_inode(sv[1]), &s));
	EXPECT_SOCK(s, AF_UNIX, SOCK_STREAM, 0, ss_unix_connected_state(), TCP_ESTABLISHED);
	close(sv[0]);
	close(sv[1]);
}

TEST_F(nl, unix_dgram_and_seqpacket)
{
	struct ss_sock s;
	int d = socket(AF_UNIX, SOCK_DGRAM, 0);
	int sv[2];

	ASSERT_LE(0, d);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
	ASSERT_EQ(0, ssnl_get(&self->nl, ss_inode(d), &s));
	EXPECT_SOCK(s, AF_UNIX, SOCK_DGRAM, 0, SS_UNCONNECTED, TCP_CLOSE);
	ASSERT_EQ(0, ssnl_get(&self->nl, ss_inode(sv[0]), &s));
	EXPECT_SOCK(s, AF_UNIX, SOCK_SEQPACKET, 0, ss_unix_connected_state(), TCP_ESTABLISHED);
	close(d);
	close(sv[0]);
	close(sv[1]);
}

/* K bytes written and not read are K bytes on the reader's receive queue. */
TEST_F(nl, tcp_recv_q_exact)
{
	static char data[70001];
	const long k = sizeof(data);
	struct tcp_trio t;
	struct ss_sock s;
	long sent = 0;

	ASSERT_EQ(0, tcp_trio_open(&t));
	memset(data, 'x', sizeof(data));
	while (sent < k) {
		ssize_t n = send(t.cfd, data + sent, k - sent, 0);

		ASSERT_LT(0, n);
		sent += n;
	}
	ASSERT_EQ(0, get_until(&self->nl, t.afd, &s, recv_q_is, k));
	EXPECT_EQ(k, s.recv_q);
	/* Once acknowledged, nothing remains on the sender's side. */
	ASSERT_EQ(0, get_until(&self->nl, t.cfd, &s, send_q_is, 0));
	EXPECT_EQ(0, s.send_q);

	/* Reading part of it leaves exactly the rest. */
	ASSERT_EQ(1000, recv(t.afd, data, 1000, 0));
	ASSERT_EQ(0, ssnl_get(&self->nl, ss_inode(t.afd), &s));
	EXPECT_EQ(k - 1000, s.recv_q);
	tcp_trio_close(&t);
}

TEST_F(nl, unix_stream_recv_q_exact)
{
	char data[4321], buf[100];
	struct ss_sock s;
	int sv[2];

	memset(data, 'y', sizeof(data));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ASSERT_EQ(sizeof(data), send(sv[0], data, sizeof(data), 0));
	ASSERT_EQ(sizeof(data), send(sv[0], data, sizeof(data), 0));
	ASSERT_EQ(0, ssnl_get(&self->nl, ss_inode(sv[1]), &s));
	EXPECT_EQ(2 * sizeof(data), s.recv_q);
	/* The sender's own queues stay empty: its data sits on the peer. */
	ASSERT_EQ(0, ssnl_get(&self->nl, ss_inode(sv[0]), &s));
	EXPECT_EQ(0, s.recv_q);
	EXPECT_EQ(0, s.send_q);
	/* A partial read of the first packet is subtracted. */
	ASSERT_EQ(sizeof(buf), recv(sv[1], buf, sizeof(buf), 0));
	ASSERT_EQ(0, ssnl_get(&self->nl, ss_inode(sv[1]), &s));
	EXPECT_EQ(2 * sizeof(data) - sizeof(buf), s.recv_q);
	close(sv[0]);
	close(sv[1]);
}

TEST_F(nl, udp_recv_q_exact)
{
	struct sockaddr_in a = loopback_any();
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	int c = socket(AF_INET, SOCK_DGRAM, 0);
	socklen_t len = sizeof(a);
	char data[1000] = { 0 };
	struct ss_sock s;

	ASSERT_EQ(0, bind(u, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, getsockname(u, (struct sockaddr *)&a, &len));
	ASSERT_EQ(0, connect(c, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(100, send(c, data, 100, 0));
	ASSERT_EQ(1000, send(c, data, 1000, 0));
	ASSERT_EQ(1, send(c, data, 1, 0));
	ASSERT_EQ(0, get_until(&self->nl, u, &s, recv_q_is, 1101));
	EXPECT_EQ(1101, s.recv_q);
	close(u);
	close(c);
}

TEST_F(nl, dump_finds_each_once)
{
	struct find f = { 0 };
	struct ssnl_req r;
	struct tcp_trio t;
	int sv[2];

	ASSERT_EQ(0, tcp_trio_open(&t));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	/* Two more descriptors and a second process: still one socket. */
	int dup1 = dup(t.afd);
	pid_t child = fork();

	ASSERT_LE(0, child);
	if (!child) {
		pause();
		_exit(0);
	}

	f.ino = ss_inode(t.afd);
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ASSERT_EQ(0, ssnl_request(&self->nl, &r, NLM_F_DUMP, 32768, find_cb, &f));
	EXPECT_EQ(1, f.hits);
	EXPECT_SOCK(f.s, AF_INET, SOCK_STREAM, IPPROTO_TCP, SS_CONNECTED, TCP_ESTABLISHED);

	f = (struct find){ .ino = ss_inode(sv[1]) };
	ASSERT_EQ(0, ssnl_request(&self->nl, &r, NLM_F_DUMP, 32768, find_cb, &f));
	EXPECT_EQ(1, f.hits);
	EXPECT_SOCK(f.s, AF_UNIX, SOCK_DGRAM, 0, ss_unix_connected_state(), TCP_ESTABLISHED);

	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	close(dup1);
	close(sv[0]);
	close(sv[1]);
	tcp_trio_close(&t);
}

TEST_F(nl, dump_filters)
{
	struct ssnl_req r;
	struct tcp_trio t;
	struct find f;
	int sv[2];

	ASSERT_EQ(0, tcp_trio_open(&t));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));

	f = (struct find){ .ino = ss_inode(sv[0]), .want_family = AF_UNIX };
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ssnl_put_u16(&r, SOCKSTAT_A_SOCK_FAMILY, AF_UNIX);
	ASSERT_EQ(0, ssnl_request(&self->nl, &r, NLM_F_DUMP, 32768, find_cb, &f));
	EXPECT_EQ(1, f.hits);
	EXPECT_EQ(0, f.others_bad);

	f = (struct find){ .ino = ss_inode(t.lfd), .want_family = AF_UNIX };
	ASSERT_EQ(0, ssnl_request(&self->nl, &r, NLM_F_DUMP, 32768, find_cb, &f));
	EXPECT_EQ(0, f.hits);

	f = (struct find){ .ino = ss_inode(t.lfd), .want_family = AF_INET,
			   .want_type = SOCK_STREAM };
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ssnl_put_u16(&r, SOCKSTAT_A_SOCK_FAMILY, AF_INET);
	ssnl_put_u16(&r, SOCKSTAT_A_SOCK_TYPE, SOCK_STREAM);
	ASSERT_EQ(0, ssnl_request(&self->nl, &r, NLM_F_DUMP, 32768, find_cb, &f));
	EXPECT_EQ(1, f.hits);
	EXPECT_EQ(0, f.others_bad);

	/* The inode selects on a dump too. */
	f = (struct find){ .ino = ss_inode(t.cfd) };
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ssnl_put_u64(&r, SOCKSTAT_A_SOCK_INODE, f.ino);
	ASSERT_EQ(0, ssnl_request(&self->nl, &r, NLM_F_DUMP, 32768, find_cb, &f));
	EXPECT_EQ(1, f.hits);

	close(sv[0]);
	close(sv[1]);
	tcp_trio_close(&t);
}

TEST_F(nl, get_missing_inode_is_enoent)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	uint64_t ino = ss_inode(fd);
	struct ss_sock s;

	close(fd);
	EXPECT_EQ(-ENOENT, ssnl_get(&self->nl, ino, &s));
	EXPECT_NE(NULL, strstr(self->nl.extack, "no socket with this inode"))
		TH_LOG("extack: \"%s\"", self->nl.extack);
}

TEST_F(nl, get_without_inode_is_einval)
{
	struct ssnl_req r;

	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	EXPECT_EQ(-EINVAL, ssnl_request(&self->nl, &r, 0, 8192, NULL, NULL));
}

/* A socket by inode, by a do or a dump, with DETAILS @details (-1: none sent). */
static int get_details(struct ssnl *nl, uint64_t ino, int64_t details, int dump,
		       struct ss_sock *out)
{
	uint32_t d = (uint32_t)details;
	struct find f = { .ino = ino };
	struct ssnl_req r;
	int err;

	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	if (details >= 0)
		ssnl_put(&r, SOCKSTAT_A_SOCK_DETAILS, &d, sizeof(d));
	if (!dump)
		ssnl_put_u64(&r, SOCKSTAT_A_SOCK_INODE, ino);
	err = ssnl_request(nl, &r, dump ? NLM_F_DUMP : 0, 32768, find_cb, &f);
	if (!err && f.hits != 1)
		err = -ENOENT;
	*out = f.s;
	return err;
}

/*
 * DETAILS: the basic attributes always, with the same values as in a full
 * reply; each group's attributes exactly when asked for; nothing sent
 * means everything.
 */
TEST_F(nl, details_choose_the_groups)
{
	static const int file_attrs[] = {
		SOCKSTAT_A_SOCK_FLAGS, SOCKSTAT_A_SOCK_OPS, SOCKSTAT_A_SOCK_FILE_FLAGS,
		SOCKSTAT_A_SOCK_FILE_REFS, SOCKSTAT_A_SOCK_WAITERS,
		SOCKSTAT_A_SOCK_POLLERS, SOCKSTAT_A_SOCK_EPOLL, SOCKSTAT_A_SOCK_FASYNC,
	};
	static const int sock_attrs[] = {
		SOCKSTAT_A_SOCK_COOKIE, SOCKSTAT_A_SOCK_PROTO, SOCKSTAT_A_SOCK_RCVBUF,
		SOCKSTAT_A_SOCK_SNDBUF, SOCKSTAT_A_SOCK_REFCNT, SOCKSTAT_A_SOCK_UID,
		SOCKSTAT_A_SOCK_NETNS, SOCKSTAT_A_SOCK_SOCKOPTS,
	};
	static const int basic_attrs[] = {
		SOCKSTAT_A_SOCK_INODE, SOCKSTAT_A_SOCK_FAMILY, SOCKSTAT_A_SOCK_TYPE,
		SOCKSTAT_A_SOCK_PROTOCOL, SOCKSTAT_A_SOCK_SS_STATE,
		SOCKSTAT_A_SOCK_SK_STATE, SOCKSTAT_A_SOCK_RECV_Q,
		SOCKSTAT_A_SOCK_SEND_Q, SOCKSTAT_A_SOCK_LOCAL_ADDR,
		SOCKSTAT_A_SOCK_LOCAL_PORT, SOCKSTAT_A_SOCK_PEER_ADDR,
		SOCKSTAT_A_SOCK_PEER_PORT, SOCKSTAT_A_SOCK_OWNER,
	};
	static const int64_t cases[] = {
		-1, 0,
		1 << SOCKSTAT_DETAIL_FILE, 1 << SOCKSTAT_DETAIL_SOCK,
		1 << SOCKSTAT_DETAIL_TCP,
		(1 << SOCKSTAT_DETAIL_FILE) | (1 << SOCKSTAT_DETAIL_SOCK) |
		(1 << SOCKSTAT_DETAIL_TCP),
	};
	struct ss_sock full, s, u;
	struct tcp_trio t;
	unsigned int c, i;
	int dump, sv[2];

	ASSERT_EQ(0, tcp_trio_open(&t));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ASSERT_EQ(5, write(sv[0], "hello", 5));
	ASSERT_EQ(0, get_details(&self->nl, ss_inode(t.cfd), -1, 0, &full));

	for (dump = 0; dump < 2; dump++) {
		for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
			int64_t d = cases[c];
			int want_file = d < 0 || (d & (1 << SOCKSTAT_DETAIL_FILE));
			int want_sock = d < 0 || (d & (1 << SOCKSTAT_DETAIL_SOCK));
			int want_tcp = d < 0 || (d & (1 << SOCKSTAT_DETAIL_TCP));

			ASSERT_EQ(0, get_details(&self->nl, ss_inode(t.cfd), d, dump, &s))
				TH_LOG("details %lld, %s", (long long)d, dump ? "dump" : "do");
			for (i = 0; i < sizeof(basic_attrs) / sizeof(basic_attrs[0]); i++)
				EXPECT_TRUE(s.present[basic_attrs[i]])
					TH_LOG("details %lld: basic attribute %d missing",
					       (long long)d, basic_attrs[i]);
			for (i = 0; i < sizeof(file_attrs) / sizeof(file_attrs[0]); i++)
				EXPECT_EQ(want_file, s.present[file_attrs[i]])
					TH_LOG("details %lld: file attribute %d",
					       (long long)d, file_attrs[i]);
			for (i = 0; i < sizeof(sock_attrs) / sizeof(sock_attrs[0]); i++)
				EXPECT_EQ(want_sock, s.present[sock_attrs[i]])
					TH_LOG("details %lld: sock attribute %d",
					       (long long)d, sock_attrs[i]);
			EXPECT_EQ(want_tcp, s.present[SOCKSTAT_A_SOCK_TCP]);

			/* The basic values are those of the full reply. */
			EXPECT_EQ(full.ino, s.ino);
			EXPECT_SOCK(s, AF_INET, SOCK_STREAM, IPPROTO_TCP, SS_CONNECTED,
				    TCP_ESTABLISHED);
			EXPECT_EQ(full.v[SOCKSTAT_A_SOCK_LOCAL_PORT],
				  s.v[SOCKSTAT_A_SOCK_LOCAL_PORT]);
			EXPECT_EQ(full.v[SOCKSTAT_A_SOCK_PEER_PORT],
				  s.v[SOCKSTAT_A_SOCK_PEER_PORT]);
			EXPECT_EQ(0, memcmp(full.peer_addr, s.peer_addr, 4));
			ASSERT_EQ(1, s.nowners);
			EXPECT_EQ(getpid(), (pid_t)s.owners[0].pid);
			EXPECT_EQ(t.cfd, (int)s.owners[0].fd);
			EXPECT_STREQ(full.owners[0].comm, s.owners[0].comm);
			EXPECT_EQ(full.owners[0].uid, s.owners[0].uid);
		}
	}

	/* AF_UNIX, nothing but the basics: the peer and the unread bytes. */
	ASSERT_EQ(0, get_details(&self->nl, ss_inode(sv[1]), 0, 1, &u));
	EXPECT_SOCK(u, AF_UNIX, SOCK_STREAM, 0, ss_unix_connected_state(), TCP_ESTABLISHED);
	EXPECT_EQ(5, u.recv_q);
	EXPECT_EQ(ss_inode(sv[0]), u.v[SOCKSTAT_A_SOCK_PEER_INODE]);
	EXPECT_FALSE(u.present[SOCKSTAT_A_SOCK_COOKIE]);
	EXPECT_FALSE(u.present[SOCKSTAT_A_SOCK_OPS]);

	close(sv[0]);
	close(sv[1]);
	tcp_trio_close(&t);
}

/* The inode of descriptor @fd in the table of thread @tid. */
static uint64_t ss_inode_of_task(pid_t tid, int fd)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/fd/%d", getpid(), tid, fd);
	return stat(path, &st) ? 0 : st.st_ino;
}

struct unshared {
	int before;		/* the leader's socket, in both tables after unshare */
	int own;		/* made after unshare: in the thread's table only */
	pid_t tid;
	int ready[2], done[2];
};

static void *unsharing_thread(void *arg)
{
	struct unshared *u = arg;
	char c;

	u->tid = syscall(SYS_gettid);
	if (unshare(CLONE_FILES))
		u->own = -errno;
	else
		u->own = socket(AF_INET, SOCK_DGRAM, 0);
	write(u->ready[1], "x", 1);
	read(u->done[0], &c, 1);
	return NULL;
}

/*
 * A thread with a descriptor table of its own (unshare(CLONE_FILES)) has
 * its descriptors reported: owned by its process, with its thread id.  A
 * socket in both tables has an owner in each.
 */
TEST_F(nl, unshared_thread_table_is_scanned)
{
	struct unshared u = { .before = socket(AF_INET, SOCK_DGRAM, 0) };
	struct find f;
	pthread_t t;
	char c;
	int i, in_leader = 0, in_thread = 0;

	ASSERT_LE(0, u.before);
	ASSERT_EQ(0, pipe(u.ready));
	ASSERT_EQ(0, pipe(u.done));
	ASSERT_EQ(0, pthread_create(&t, NULL, unsharing_thread, &u));
	ASSERT_EQ(1, read(u.ready[0], &c, 1));
	ASSERT_LE(0, u.own);

	/* Not in the leader's table at all: only the thread's table has it. */
	f = (struct find){ .ino = ss_inode_of_task(u.tid, u.own) };
	ASSERT_NE(0, f.ino);
	ASSERT_EQ(0, ssnl_get(&self->nl, f.ino, &f.s));
	ASSERT_EQ(1, f.s.nowners);
	EXPECT_EQ(getpid(), f.s.owners[0].pid);
	EXPECT_EQ(u.own, f.s.owners[0].fd);
	EXPECT_EQ(u.tid, f.s.owners[0].tid);

	f = (struct find){ .ino = ss_inode(u.before) };
	ASSERT_EQ(0, ssnl_get(&self->nl, f.ino, &f.s));
	ASSERT_EQ(2, f.s.nowners);
	for (i = 0; i < f.s.nowners; i++) {
		EXPECT_EQ(getpid(), f.s.owners[i].pid);
		EXPECT_EQ(u.before, f.s.owners[i].fd);
		in_leader += f.s.owners[i].tid == 0;
		in_thread += f.s.owners[i].tid == (uint32_t)u.tid;
	}
	EXPECT_EQ(1, in_leader);
	EXPECT_EQ(1, in_thread);

	write(u.done[1], "x", 1);
	pthread_join(t, NULL);
	close(u.before);
}

/* Whether the /proc file has a row for @ino, and its sk_state column. */
static int proc_sk_state(uint64_t ino)
{
	char line[4096];
	int state = -1;
	FILE *f = fopen("/proc/net/sockstat_sockets", "r");

	if (!f)
		return -2;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long i;
		unsigned int fam, typ, proto, ss, sk;

		if (sscanf(line, "%llu %u %u %u %u %u", &i, &fam, &typ, &proto, &ss, &sk) == 6 &&
		    i == ino)
			state = sk;
	}
	fclose(f);
	return state;
}

/*
 * Every socket is reported whatever its family numbers its states: a
 * netlink socket connected and then disconnected (connect(AF_UNSPEC))
 * has sk_state 0, NETLINK_UNCONNECTED, which no TCP state is.  It is in
 * the dump, the GET do, SUMMARY and /proc; a mask with bit 0 selects it,
 * one without leaves it out.
 */
TEST_F(nl, every_sk_state_is_reported)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE), i, in_summary = 0;
	struct ss_summary *sum = malloc(sizeof(*sum));
	uint32_t mask;
	struct ssnl_req r;
	struct find f;

	ASSERT_LE(0, fd);
	ASSERT_NE(NULL, sum);
	ASSERT_EQ(0, connect(fd, (struct sockaddr *)&kernel, sizeof(kernel)));
	f = (struct find){ .ino = ss_inode(fd) };
	ASSERT_EQ(0, ssnl_get(&self->nl, f.ino, &f.s));
	EXPECT_EQ(1, f.s.sk_state);		/* NETLINK_CONNECTED */
	ASSERT_EQ(0, connect(fd, &unspec, sizeof(unspec)));

	ASSERT_EQ(0, ssnl_get(&self->nl, f.ino, &f.s));
	EXPECT_EQ(AF_NETLINK, f.s.family);
	EXPECT_EQ(0, f.s.sk_state);		/* NETLINK_UNCONNECTED */

	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ASSERT_EQ(0, ssnl_request(&self->nl, &r, NLM_F_DUMP, 32768, find_cb, &f));
	EXPECT_EQ(1, f.hits);
	EXPECT_EQ(0, f.s.sk_state);

	mask = 1u << 0;
	f.hits = 0;
	ssnl_put(&r, SOCKSTAT_A_SOCK_SK_STATES, &mask, sizeof(mask));
	ASSERT_EQ(0, ssnl_request(&self->nl, &r, NLM_F_DUMP, 32768, find_cb, &f));
	EXPECT_EQ(1, f.hits);
	mask = ~1u;	/* every other bit, those no family uses too */
	f.hits = 0;
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ssnl_put(&r, SOCKSTAT_A_SOCK_SK_STATES, &mask, sizeof(mask));
	ASSERT_EQ(0, ssnl_request(&self->nl, &r, NLM_F_DUMP, 32768, find_cb, &f));
	EXPECT_EQ(0, f.hits);

	ssnl_req_init(&r, SOCKSTAT_CMD_SUMMARY);
	ASSERT_EQ(0, ssnl_summary(&self->nl, &r, sum));
	for (i = 0; i < sum->n; i++)
		if (sum->e[i].family == AF_NETLINK && sum->e[i].sk_state == 0)
			in_summary += sum->e[i].count;
	EXPECT_LE(1, in_summary);

	EXPECT_EQ(0, proc_sk_state(f.ino));
	close(fd);
	free(sum);
}

TEST_F(nl, bad_requests_are_refused)
{
	uint32_t u32 = 1;
	struct ssnl_req r;

	/* An attribute the family does not have. */
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ssnl_put(&r, SOCKSTAT_A_SOCK_MAX + 5, &u32, sizeof(u32));
	EXPECT_EQ(-EINVAL, ssnl_request(&self->nl, &r, NLM_F_DUMP, 8192, NULL, NULL));
	EXPECT_NE(0, self->nl.extack[0]);

	/* An attribute a reply carries but a request may not. */
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ssnl_put(&r, SOCKSTAT_A_SOCK_RECV_Q, &u32, sizeof(u32));
	EXPECT_EQ(-EINVAL, ssnl_request(&self->nl, &r, NLM_F_DUMP, 8192, NULL, NULL));
	EXPECT_NE(0, self->nl.extack[0]);

	/* The inode as a u32 instead of a u64. */
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ssnl_put(&r, SOCKSTAT_A_SOCK_INODE, &u32, sizeof(u32));
	EXPECT_EQ(-EINVAL, ssnl_request(&self->nl, &r, 0, 8192, NULL, NULL));
	EXPECT_NE(0, self->nl.extack[0]);

	/* Inode 0 names no socket. */
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ssnl_put_u64(&r, SOCKSTAT_A_SOCK_INODE, 0);
	EXPECT_EQ(-ERANGE, ssnl_request(&self->nl, &r, 0, 8192, NULL, NULL));

	/* A family out of range: the policy's range check answers ERANGE. */
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ssnl_put_u16(&r, SOCKSTAT_A_SOCK_FAMILY, 4000);
	EXPECT_EQ(-ERANGE, ssnl_request(&self->nl, &r, NLM_F_DUMP, 8192, NULL, NULL));
	EXPECT_NE(0, self->nl.extack[0]);

	/* A kind of fd-less socket that does not exist (bit 0, bit 6). */
	u32 = 1;
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ssnl_put(&r, SOCKSTAT_A_SOCK_NOFD_KINDS, &u32, sizeof(u32));
	EXPECT_EQ(-EINVAL, ssnl_request(&self->nl, &r, NLM_F_DUMP, 8192, NULL, NULL));
	EXPECT_NE(0, self->nl.extack[0]);
	u32 = 1u << (SOCKSTAT_NOFD_TIME_WAIT + 1);
	ssnl_req_init(&r, SOCKSTAT_CMD_SUMMARY);
	ssnl_put(&r, SOCKSTAT_A_SOCK_NOFD_KINDS, &u32, sizeof(u32));
	EXPECT_EQ(-EINVAL, ssnl_request(&self->nl, &r, 0, 8192, NULL, NULL));
	EXPECT_NE(0, self->nl.extack[0]);

	/* A group of details that does not exist (bit 0, bit 4). */
	u32 = 1;
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ssnl_put(&r, SOCKSTAT_A_SOCK_DETAILS, &u32, sizeof(u32));
	EXPECT_EQ(-EINVAL, ssnl_request(&self->nl, &r, NLM_F_DUMP, 8192, NULL, NULL));
	EXPECT_NE(0, self->nl.extack[0]);
	u32 = 1u << (SOCKSTAT_DETAIL_TCP + 1);
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ssnl_put(&r, SOCKSTAT_A_SOCK_DETAILS, &u32, sizeof(u32));
	ssnl_put_u64(&r, SOCKSTAT_A_SOCK_INODE, 1);
	EXPECT_EQ(-EINVAL, ssnl_request(&self->nl, &r, 0, 8192, NULL, NULL));
	EXPECT_NE(0, self->nl.extack[0]);

	/*
	 * Each operation takes only what it reads: kinds of fd-less sockets
	 * on a GET do (which reports the one socket), details on SUMMARY
	 * (which reports counts), in a do and in a dump.
	 */
	u32 = 1u << SOCKSTAT_NOFD_ACCEPT;
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ssnl_put_u64(&r, SOCKSTAT_A_SOCK_INODE, 1);
	ssnl_put(&r, SOCKSTAT_A_SOCK_NOFD_KINDS, &u32, sizeof(u32));
	EXPECT_EQ(-EINVAL, ssnl_request(&self->nl, &r, 0, 8192, NULL, NULL));
	EXPECT_NE(NULL, strstr(self->nl.extack, "Unsupported attribute"))
		TH_LOG("extack: %s", self->nl.extack);
	u32 = 0;
	ssnl_req_init(&r, SOCKSTAT_CMD_SUMMARY);
	ssnl_put(&r, SOCKSTAT_A_SOCK_DETAILS, &u32, sizeof(u32));
	EXPECT_EQ(-EINVAL, ssnl_request(&self->nl, &r, 0, 8192, NULL, NULL));
	EXPECT_NE(0, self->nl.extack[0]);
	EXPECT_EQ(-EINVAL, ssnl_request(&self->nl, &r, NLM_F_DUMP, 8192, NULL, NULL));

	/* A command the family does not have. */
	ssnl_req_init(&r, SOCKSTAT_CMD_MAX + 1);
	EXPECT_EQ(-EOPNOTSUPP, ssnl_request(&self->nl, &r, 0, 8192, NULL, NULL));
}

/*
 * A dump and the /proc file show the sockets of the caller's network
 * namespace only, even those of its own descriptors that belong to
 * another namespace.  (The harness runs each test in a process of its
 * own, so unsharing here touches no other test.)
 */
TEST(netns_sees_only_its_own_sockets)
{
	int outside = socket(AF_INET, SOCK_DGRAM, 0);
	struct find f = { 0 };
	struct ssnl nl;
	struct ssnl_req r;
	char line[256];
	int inside, sv[2], rows = 0, found_inside = 0, found_outside = 0;
	FILE *proc;

	ASSERT_LE(0, outside);
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	inside = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, inside);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));

	ASSERT_EQ(0, ssnl_open(&nl));
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	f.ino = ss_inode(inside);
	ASSERT_EQ(0, ssnl_request(&nl, &r, NLM_F_DUMP, 32768, find_cb, &f));
	EXPECT_EQ(1, f.hits);
	f = (struct find){ .ino = ss_inode(outside) };
	ASSERT_EQ(0, ssnl_request(&nl, &r, NLM_F_DUMP, 32768, find_cb, &f));
	EXPECT_EQ(0, f.hits);
	/* AF_UNIX sockets belong to a namespace too. */
	f = (struct find){ .ino = ss_inode(sv[0]) };
	ASSERT_EQ(0, ssnl_request(&nl, &r, NLM_F_DUMP, 32768, find_cb, &f));
	EXPECT_EQ(1, f.hits);
	EXPECT_EQ(-ENOENT, ssnl_get(&nl, ss_inode(outside), &f.s));

	/* /proc/self/net is the file of the namespace we are in now. */
	proc = fopen("/proc/self/net/sockstat_sockets", "r");
	ASSERT_NE(NULL, proc);
	while (fgets(line, sizeof(line), proc)) {
		unsigned long long ino;

		if (sscanf(line, "%llu", &ino) != 1)
			continue;
		rows++;
		found_inside += ino == ss_inode(inside);
		found_outside += ino == ss_inode(outside);
	}
	fclose(proc);
	EXPECT_EQ(1, found_inside);
	EXPECT_EQ(0, found_outside);
	/* Ours: the UDP socket, the pair and the netlink socket. */
	EXPECT_EQ(4, rows);

	ssnl_close(&nl);
	close(sv[0]);
	close(sv[1]);
	close(inside);
	close(outside);
}

TEST_HARNESS_MAIN
