// SPDX-License-Identifier: GPL-2.0
/*
 * The teaching lab's key observations (Documentation/lab.rst), on the lab
 * programs themselves (build/lab/, sources in user/lab/): each program is
 * started with -p, stopped at its pauses (it prints "[NAME PID] PAUSE
 * STEP" and waits for SIGUSR1), and at each pause the module is asked,
 * over netlink, what the kernel holds: SS_* and sk_state, owners (pid and
 * descriptor), queue sizes, the listener's accept queue and backlog.
 * The programs get ports 5100-5109 and /tmp/lab-test-* paths of their own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "kselftest_harness.h"
#include "nl.h"

#define LAB_DIR		"build/lab/"
#define MAX_SOCKS	16
#define MAX_PROGS	6

/* A lab program running with -p, its output read through a pipe. */
struct prog {
	pid_t pid;
	int out;
	size_t len;
	char buf[65536];
};

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Start LAB_DIR/argv[0] -p argv[1]...; stdin /dev/null (pauses wait for SIGUSR1). */
static int prog_start(struct prog *p, const char *const *argv)
{
	char *args[16], path[256];
	int pipefd[2], i;

	memset(p, 0, sizeof(*p));
	snprintf(path, sizeof(path), LAB_DIR "%s", argv[0]);
	args[0] = path;
	args[1] = "-p";
	for (i = 1; argv[i] && i < 14; i++)
		args[i + 1] = (char *)argv[i];
	args[i + 1] = NULL;
	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	p->pid = fork();
	if (p->pid < 0)
		return -errno;
	if (!p->pid) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close_range(3, ~0U, 0);
		execv(path, args);
		_exit(127);
	}
	close(pipefd[1]);
	p->out = pipefd[0];
	return 0;
}

/* Read what is there, waiting up to @ms; 0 at end of file. */
static int prog_read(struct prog *p, int ms)
{
	struct pollfd pf = { .fd = p->out, .events = POLLIN };
	ssize_t n;

	if (p->out < 0 || p->len + 1 >= sizeof(p->buf))
		return 0;
	if (poll(&pf, 1, ms) <= 0)
		return 1;
	n = read(p->out, p->buf + p->len, sizeof(p->buf) - 1 - p->len);
	if (n <= 0) {
		close(p->out);
		p->out = -1;
		return 0;
	}
	p->len += n;
	p->buf[p->len] = 0;
	return 1;
}

/*
 * The pid of the process of @p (the program, or a child it forked) that
 * paused at @step, once it has: the first such pause not resumed yet
 * (@resume marks it resumed, as "pAUSE").  -1 after 20 s, or when the
 * program has ended without pausing there.
 */
static pid_t prog_find(struct prog *p, const char *step, int resume)
{
	long deadline = now_ms() + 20000;
	char pat[64];

	snprintf(pat, sizeof(pat), "] PAUSE %s ", step);
	for (;;) {
		char *hit = strstr(p->buf, pat), *line;

		if (hit) {
			if (resume)
				hit[3] = 'a';
			for (line = hit; line > p->buf && line[-1] != '\n'; line--)
				;
			line = strchr(line, ' ');
			return line ? atoi(line + 1) : -1;
		}
		if (now_ms() > deadline || !prog_read(p, 100))
			return -1;
	}
}

static pid_t prog_await(struct prog *p, const char *step)
{
	return prog_find(p, step, 0);
}

/* Await @step and let the process go on from it. */
static int prog_resume(struct prog *p, const char *step)
{
	pid_t pid = prog_find(p, step, 1);

	return pid > 0 ? kill(pid, SIGUSR1) : -1;
}

/* The exit status of a program that ends by itself (10 s at most). */
static int prog_exit(struct prog *p)
{
	long deadline = now_ms() + 10000;
	int status;

	while (waitpid(p->pid, &status, WNOHANG) == 0) {
		if (now_ms() > deadline)
			return -1;
		prog_read(p, 20);
	}
	p->pid = 0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/*
 * Kill the program, and the children it forked: every pid of a "[NAME PID]"
 * line in its output.
 */
static void prog_stop(struct prog *p)
{
	char *l = p->buf;

	while (p->out >= 0 && p->len + 1 < sizeof(p->buf) && prog_read(p, 0) &&
	       poll(&(struct pollfd){ .fd = p->out, .events = POLLIN }, 1, 0) > 0)
		;
	for (; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		char *sp = strchr(l, ' ');
		pid_t pid = *l == '[' && sp ? atoi(sp + 1) : 0;

		if (pid > 1 && pid != getpid() && pid != p->pid)
			kill(pid, SIGKILL);
	}
	if (p->pid > 0) {
		kill(p->pid, SIGKILL);
		waitpid(p->pid, NULL, 0);
	}
	if (p->out >= 0)
		close(p->out);
	p->pid = 0;
	p->out = -1;
}

/* The sockets a process holds, as a dump with the PID selector returns them. */
struct sockset {
	int n;
	struct ss_sock s[MAX_SOCKS];
};

static int collect_cb(const struct ss_sock *s, void *arg)
{
	struct sockset *set = arg;

	if (set->n < MAX_SOCKS)
		set->s[set->n++] = *s;
	return 0;
}

static int socks_of(struct ssnl *nl, pid_t pid, struct sockset *set)
{
	struct ssnl_req r;
	uint32_t v = pid;

	set->n = 0;
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ssnl_put(&r, SOCKSTAT_A_SOCK_PID, &v, sizeof(v));
	return ssnl_request(nl, &r, NLM_F_DUMP, 65536, collect_cb, set);
}

/* The socket @pid holds in descriptor @fd, into @out; 0, or -1 if none. */
static int sock_at(struct ssnl *nl, pid_t pid, int fd, struct ss_sock *out)
{
	static struct sockset set;
	int i;

	if (socks_of(nl, pid, &set))
		return -1;
	for (i = 0; i < set.n; i++)
		if (ss_find_owner(&set.s[i], pid, fd)) {
			*out = set.s[i];
			return 0;
		}
	return -1;
}

/*
 * Look at (@pid, @fd) into @s until @cond holds, for 5 s (loopback
 * delivery, a task going to sleep): true if it did.
 */
#define SOCK_UNTIL(nl, pid, fd, s, cond) ({				\
	long __end = now_ms() + 5000;					\
	int __ok;							\
	while (!(__ok = !sock_at(nl, pid, fd, &(s)) && (cond)) &&	\
	       now_ms() < __end)					\
		usleep(10000);						\
	__ok;								\
})

#define V(s, attr)	((s).v[SOCKSTAT_A_SOCK_##attr])
#define HAS(s, attr)	((s).present[SOCKSTAT_A_SOCK_##attr])

FIXTURE(lab) {
	struct ssnl nl;
	struct prog p[MAX_PROGS];
	struct ss_sock s, t;
	struct sockset set;
};

FIXTURE_SETUP(lab)
{
	int err = ssnl_open(&self->nl), i;

	ASSERT_EQ(0, err) TH_LOG("cannot resolve the sockstat family: %s", strerror(-err));
	for (i = 0; i < MAX_PROGS; i++)
		self->p[i].out = -1;
	ASSERT_EQ(0, access(LAB_DIR "epoll-server", X_OK))
		TH_LOG("no lab programs in " LAB_DIR " (make lab)");
}

FIXTURE_TEARDOWN(lab)
{
	int i;

	for (i = 0; i < MAX_PROGS; i++) {
		if (!__test_passed(_metadata) && self->p[i].len)
			TH_LOG("program %d said:\n%s", i, self->p[i].buf);
		prog_stop(&self->p[i]);
	}
	ssnl_close(&self->nl);
}

#define START(i, ...) do {						\
	const char *const __argv[] = { __VA_ARGS__, NULL };		\
	ASSERT_EQ(0, prog_start(&self->p[i], __argv));			\
} while (0)

/* Await a pause; its pid. */
#define AWAIT(i, step) ({						\
	pid_t __pid = prog_await(&self->p[i], step);			\
	ASSERT_LT(0, __pid) TH_LOG("no pause \"%s\":\n%s", step, self->p[i].buf); \
	__pid;								\
})
#define RESUME(i, step)	\
	ASSERT_EQ(0, prog_resume(&self->p[i], step)) TH_LOG("no pause \"%s\":\n%s", step, self->p[i].buf)
#define AT(pid, fd)	\
	ASSERT_EQ(0, sock_at(&self->nl, pid, fd, &self->s)) TH_LOG("pid %d holds no socket in fd %d", (int)(pid), fd)

/*
 * The lecture's epoll server: a non-blocking listener in an epoll set;
 * connections that exist before accept(); accepted sockets non-blocking,
 * in the set; a request waiting unread; CLOSE_WAIT after the client
 * closes, with socket->state still SS_CONNECTED.
 */
TEST_F_TIMEOUT(lab, epoll_server, 120)
{
	pid_t srv, a;

	START(0, "epoll-server", "5100");
	srv = AWAIT(0, "listening");
	ASSERT_EQ(0, socks_of(&self->nl, srv, &self->set));
	ASSERT_EQ(1, self->set.n);
	self->s = self->set.s[0];
	EXPECT_NE(NULL, ss_find_owner(&self->s, srv, 3));
	EXPECT_EQ(AF_INET, self->s.family);
	EXPECT_EQ(SOCK_STREAM, self->s.type);
	EXPECT_EQ(SS_UNCONNECTED, self->s.ss_state);
	EXPECT_EQ(TCP_LISTEN, self->s.sk_state);
	EXPECT_EQ(5, V(self->s, ACCEPT_MAX));
	EXPECT_EQ(0, V(self->s, ACCEPT_QUEUE));
	EXPECT_EQ(O_NONBLOCK, V(self->s, FILE_FLAGS) & O_NONBLOCK);
	EXPECT_EQ(1, V(self->s, EPOLL));
	EXPECT_EQ(5100, V(self->s, LOCAL_PORT));
	RESUME(0, "listening");

	/* Client A connects; the server has not accepted yet. */
	START(1, "tcp-client", "5100");
	a = AWAIT(1, "connected");
	AWAIT(0, "pending");
	AT(a, 3);
	EXPECT_EQ(SS_CONNECTED, self->s.ss_state);
	EXPECT_EQ(TCP_ESTABLISHED, self->s.sk_state);
	EXPECT_EQ(5100, V(self->s, PEER_PORT));
	ASSERT_EQ(0, socks_of(&self->nl, srv, &self->set));
	EXPECT_EQ(1, self->set.n);	/* no socket for the connection yet */
	EXPECT_EQ(1, V(self->set.s[0], ACCEPT_QUEUE));
	EXPECT_EQ(0, self->set.s[0].recv_q);	/* RECV-Q of a listener: 0, not its queue */
	RESUME(0, "pending");

	AWAIT(0, "accepted");
	AT(srv, 5);
	EXPECT_EQ(SS_CONNECTED, self->s.ss_state);
	EXPECT_EQ(TCP_ESTABLISHED, self->s.sk_state);
	EXPECT_EQ(O_NONBLOCK, V(self->s, FILE_FLAGS) & O_NONBLOCK);
	EXPECT_EQ(1, V(self->s, EPOLL));
	EXPECT_EQ(5100, V(self->s, LOCAL_PORT));
	AT(a, 3);
	self->t = self->s;
	AT(srv, 5);
	EXPECT_EQ(V(self->t, LOCAL_PORT), V(self->s, PEER_PORT));
	AT(srv, 3);
	EXPECT_EQ(0, V(self->s, ACCEPT_QUEUE));
	RESUME(0, "accepted");

	/* Client B: two accepted sockets, one listener. */
	START(2, "tcp-client", "5100");
	AWAIT(2, "connected");
	RESUME(0, "pending");
	AWAIT(0, "accepted");
	ASSERT_EQ(0, socks_of(&self->nl, srv, &self->set));
	EXPECT_EQ(3, self->set.n);
	AT(srv, 6);
	EXPECT_EQ(SS_CONNECTED, self->s.ss_state);
	EXPECT_EQ(1, V(self->s, EPOLL));
	RESUME(0, "accepted");

	/* A's pid, 4 bytes, waits unread; A sleeps in read(). */
	RESUME(1, "connected");
	AWAIT(0, "request");
	AT(srv, 5);
	EXPECT_EQ(4, self->s.recv_q);
	EXPECT_TRUE(SOCK_UNTIL(&self->nl, a, 3, self->s, V(self->s, WAITERS) == 1));
	RESUME(0, "request");
	AWAIT(1, "answered");
	AT(a, 3);
	EXPECT_EQ(0, self->s.recv_q);
	RESUME(1, "answered");
	EXPECT_EQ(0, prog_exit(&self->p[1]));

	/* A closed: the server's end is CLOSE_WAIT, still SS_CONNECTED. */
	AWAIT(0, "closing");
	AT(srv, 5);
	EXPECT_EQ(TCP_CLOSE_WAIT, self->s.sk_state);
	EXPECT_EQ(SS_CONNECTED, self->s.ss_state);
	EXPECT_EQ(1, self->s.recv_q);	/* the FIN's sequence number, until read() returns 0 */
	RESUME(0, "closing");
	EXPECT_TRUE(SOCK_UNTIL(&self->nl, srv, 6, self->s,
			       !socks_of(&self->nl, srv, &self->set) && self->set.n == 2));

	RESUME(2, "connected");
	RESUME(0, "request");
	RESUME(2, "answered");
	EXPECT_EQ(0, prog_exit(&self->p[2]));
	RESUME(0, "closing");
	EXPECT_TRUE(SOCK_UNTIL(&self->nl, srv, 3, self->s,
			       !socks_of(&self->nl, srv, &self->set) && self->set.n == 1));
}

/* fork-per-client: one socket with two owners until each closes its copy. */
TEST_F_TIMEOUT(lab, fork_server, 120)
{
	pid_t srv, child;

	START(0, "fork-server", "5101");
	srv = AWAIT(0, "listening");
	RESUME(0, "listening");
	/* The parent asleep in accept(): a waiter on the listener. */
	EXPECT_TRUE(SOCK_UNTIL(&self->nl, srv, 3, self->s, V(self->s, WAITERS) == 1));

	START(1, "tcp-client", "5101");
	AWAIT(1, "connected");
	AWAIT(0, "accepted");
	AT(srv, 4);
	EXPECT_EQ(SS_CONNECTED, self->s.ss_state);
	EXPECT_EQ(1, self->s.nowners);
	EXPECT_EQ(1, V(self->s, FILE_REFS));
	RESUME(0, "accepted");

	/* After fork(): both sockets, both processes. */
	AWAIT(0, "forked");
	AT(srv, 3);
	ASSERT_EQ(2, self->s.nowners);
	EXPECT_EQ(srv, self->s.owners[0].pid);
	child = self->s.owners[1].pid;
	EXPECT_NE(srv, child);
	EXPECT_NE(NULL, ss_find_owner(&self->s, child, 3));
	EXPECT_EQ(2, V(self->s, FILE_REFS));	/* one file, two descriptor tables */
	AT(srv, 4);
	EXPECT_EQ(2, self->s.nowners);
	EXPECT_NE(NULL, ss_find_owner(&self->s, child, 4));
	EXPECT_EQ(2, V(self->s, FILE_REFS));
	RESUME(0, "forked");

	AWAIT(0, "parent-closed");
	AT(child, 4);
	EXPECT_EQ(1, self->s.nowners);
	EXPECT_EQ(child, self->s.owners[0].pid);
	EXPECT_EQ(SS_CONNECTED, self->s.ss_state);
	AT(srv, 3);
	EXPECT_EQ(2, self->s.nowners);
	RESUME(0, "parent-closed");

	EXPECT_EQ(child, AWAIT(0, "child-closed"));
	AT(srv, 3);
	EXPECT_EQ(1, self->s.nowners);
	EXPECT_EQ(srv, self->s.owners[0].pid);
	AT(child, 4);
	EXPECT_EQ(1, self->s.nowners);
	EXPECT_EQ(-1, sock_at(&self->nl, srv, 4, &self->t));
	RESUME(0, "child-closed");

	RESUME(1, "connected");
	RESUME(0, "answered");
	RESUME(1, "answered");
	EXPECT_EQ(0, prog_exit(&self->p[1]));
}

/* The St column of /proc/net/unix for inode @ino, or -1. */
static int proc_unix_st(uint64_t ino)
{
	unsigned long long i;
	unsigned int st;
	char line[512];
	int ret = -1;
	FILE *f = fopen("/proc/net/unix", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %*x %*x %*x %*x %x %llu", &st, &i) == 2 && i == ino)
			ret = st;
	fclose(f);
	return ret;
}

/* AF_UNIX datagram echo: bound, unconnected; a connected client. */
TEST_F_TIMEOUT(lab, unix_dgram, 120)
{
	const char *path = "/tmp/lab-test-dgram.sock";
	char cpath[64];
	pid_t srv, c, d;
	uint64_t srv_ino;

	START(0, "unix-dgram-srv", path);
	srv = AWAIT(0, "bound");
	AT(srv, 3);
	srv_ino = self->s.ino;
	EXPECT_EQ(AF_UNIX, self->s.family);
	EXPECT_EQ(SOCK_DGRAM, self->s.type);
	EXPECT_EQ(SS_UNCONNECTED, self->s.ss_state);
	EXPECT_EQ(TCP_CLOSE, self->s.sk_state);
	EXPECT_STREQ(path, self->s.unix_name);

	START(1, "unix-dgram-cli", path);
	c = AWAIT(1, "bound");
	AT(c, 3);
	snprintf(cpath, sizeof(cpath), "/tmp/lab-dgram-cli-%d.sock", c);
	EXPECT_STREQ(cpath, self->s.unix_name);
	EXPECT_EQ(SS_UNCONNECTED, self->s.ss_state);
	EXPECT_EQ(TCP_CLOSE, self->s.sk_state);
	EXPECT_FALSE(HAS(self->s, PEER_INODE));
	RESUME(1, "bound");

	/* The datagram waits in the server's queue; the sender's stays empty. */
	AWAIT(1, "sent");
	AT(srv, 3);
	EXPECT_EQ(4, self->s.recv_q);
	EXPECT_EQ(1, V(self->s, RECV_QUEUE_PKTS));
	AT(c, 3);
	EXPECT_EQ(0, self->s.send_q);
	EXPECT_EQ(0, self->s.recv_q);
	RESUME(0, "bound");
	AWAIT(0, "echoed");
	AT(srv, 3);
	EXPECT_EQ(0, self->s.recv_q);
	RESUME(1, "sent");
	RESUME(1, "answered");
	EXPECT_EQ(0, prog_exit(&self->p[1]));
	EXPECT_NE(0, access(cpath, F_OK));
	RESUME(0, "echoed");

	/* connect(): a peer, sk_state ESTABLISHED on both ends, SS_* unchanged. */
	START(2, "unix-dgram-cli", "-c", path);
	d = AWAIT(2, "bound");
	RESUME(2, "bound");
	AWAIT(2, "connected");
	AT(d, 3);
	EXPECT_EQ(SS_UNCONNECTED, self->s.ss_state);
	EXPECT_EQ(TCP_ESTABLISHED, self->s.sk_state);
	EXPECT_EQ(srv_ino, V(self->s, PEER_INODE));
	EXPECT_EQ(SS_CONNECTED, proc_unix_st(self->s.ino));	/* derived from sk_state */
	AT(srv, 3);
	EXPECT_EQ(SS_UNCONNECTED, self->s.ss_state);
	EXPECT_EQ(TCP_ESTABLISHED, self->s.sk_state);
	EXPECT_EQ(SS_CONNECTED, proc_unix_st(srv_ino));
	RESUME(2, "connected");
	RESUME(0, "echoed");
	RESUME(2, "sent");
	RESUME(2, "answered");
	EXPECT_EQ(0, prog_exit(&self->p[2]));
}

/* AF_UNIX stream: connected before accept(); peers; the peer's close. */
TEST_F_TIMEOUT(lab, unix_stream, 120)
{
	const char *path = "/tmp/lab-test-stream.sock";
	pid_t srv, c;
	uint64_t cino;

	START(0, "unix-stream-srv", path);
	srv = AWAIT(0, "listening");
	AT(srv, 3);
	EXPECT_EQ(SS_UNCONNECTED, self->s.ss_state);
	EXPECT_EQ(TCP_LISTEN, self->s.sk_state);
	EXPECT_STREQ(path, self->s.unix_name);

	START(1, "unix-stream-cli", path);
	c = AWAIT(1, "connected");
	AT(c, 3);
	cino = self->s.ino;
	EXPECT_EQ(ss_unix_connected_state(), self->s.ss_state);
	EXPECT_EQ(TCP_ESTABLISHED, self->s.sk_state);
	EXPECT_FALSE(HAS(self->s, PEER_INODE));	/* the server's end has no socket yet */
	ASSERT_EQ(0, socks_of(&self->nl, srv, &self->set));
	EXPECT_EQ(1, self->set.n);
	EXPECT_EQ(1, V(self->set.s[0], ACCEPT_QUEUE));
	RESUME(0, "listening");

	AWAIT(0, "accepted");
	AT(srv, 4);
	EXPECT_EQ(ss_unix_connected_state(), self->s.ss_state);
	EXPECT_EQ(TCP_ESTABLISHED, self->s.sk_state);
	EXPECT_EQ(cino, V(self->s, PEER_INODE));
	EXPECT_STREQ(path, self->s.unix_name);
	self->t = self->s;
	AT(c, 3);
	EXPECT_EQ(self->t.ino, V(self->s, PEER_INODE));
	AT(srv, 3);
	EXPECT_EQ(0, V(self->s, ACCEPT_QUEUE));
	RESUME(0, "accepted");

	RESUME(1, "connected");
	RESUME(1, "answered");
	EXPECT_EQ(0, prog_exit(&self->p[1]));
	/* No FIN, no CLOSE_WAIT: still ESTABLISHED, both directions shut. */
	AWAIT(0, "closing");
	AT(srv, 4);
	EXPECT_EQ(ss_unix_connected_state(), self->s.ss_state);
	EXPECT_EQ(TCP_ESTABLISHED, self->s.sk_state);
	EXPECT_EQ(3, V(self->s, SHUTDOWN));
	EXPECT_FALSE(HAS(self->s, PEER_INODE));
	RESUME(0, "closing");
}

/* socketpair(): connected from birth, peers, full duplex across fork(). */
TEST_F_TIMEOUT(lab, socketpair, 60)
{
	pid_t p;

	START(0, "socketpair");
	p = AWAIT(0, "created");
	AT(p, 3);
	self->t = self->s;
	AT(p, 4);
	EXPECT_EQ(ss_unix_connected_state(), self->s.ss_state);
	EXPECT_EQ(TCP_ESTABLISHED, self->s.sk_state);
	EXPECT_EQ(ss_unix_connected_state(), self->t.ss_state);
	EXPECT_EQ(self->t.ino, V(self->s, PEER_INODE));
	EXPECT_EQ(self->s.ino, V(self->t, PEER_INODE));
	RESUME(0, "created");

	AWAIT(0, "both-wrote");
	ASSERT_EQ(0, socks_of(&self->nl, p, &self->set));
	ASSERT_EQ(1, self->set.n);
	self->t = self->set.s[0];
	EXPECT_NE(NULL, ss_find_owner(&self->t, p, 3));
	EXPECT_EQ(4, self->t.recv_q);
	/* The other end, in the child, holds the parent's 4 bytes. */
	ASSERT_EQ(0, ssnl_get(&self->nl, V(self->t, PEER_INODE), &self->s));
	ASSERT_EQ(1, self->s.nowners);
	EXPECT_NE(p, self->s.owners[0].pid);
	EXPECT_EQ(4, self->s.owners[0].fd);
	EXPECT_EQ(4, self->s.recv_q);
	RESUME(0, "both-wrote");
	EXPECT_EQ(0, prog_exit(&self->p[0]));
}

/* connect() refused, blocking and not. */
TEST_F_TIMEOUT(lab, connect_refused, 60)
{
	pid_t c;

	START(0, "tcp-client", "5109");
	c = AWAIT(0, "refused");
	AT(c, 3);
	EXPECT_EQ(SS_UNCONNECTED, self->s.ss_state);
	EXPECT_EQ(TCP_CLOSE, self->s.sk_state);
	EXPECT_EQ(0, V(self->s, ERR));
	EXPECT_NE(NULL, strstr(self->p[0].buf, strerror(ECONNREFUSED)));
	RESUME(0, "refused");
	EXPECT_EQ(1, prog_exit(&self->p[0]));

	/* Non-blocking: SS_CONNECTING until connect() is called again. */
	START(1, "tcp-client", "-n", "5109");
	c = AWAIT(1, "handshake-done");
	AT(c, 3);
	EXPECT_EQ(SS_CONNECTING, self->s.ss_state);
	EXPECT_EQ(TCP_CLOSE, self->s.sk_state);
	EXPECT_EQ(ECONNREFUSED, V(self->s, ERR));
	RESUME(1, "handshake-done");
	AWAIT(1, "so-error");
	AT(c, 3);
	EXPECT_EQ(SS_CONNECTING, self->s.ss_state);	/* SO_ERROR moves nothing */
	EXPECT_EQ(0, V(self->s, ERR));			/* ... but takes the error */
	RESUME(1, "so-error");
	AWAIT(1, "refused");
	AT(c, 3);
	EXPECT_EQ(SS_UNCONNECTED, self->s.ss_state);
	EXPECT_EQ(TCP_CLOSE, self->s.sk_state);
	EXPECT_NE(NULL, strstr(self->p[1].buf, strerror(ECONNABORTED)));
	RESUME(1, "refused");
}

/* A non-blocking connect() that succeeds: SS_CONNECTED only at the second connect(). */
TEST_F_TIMEOUT(lab, nonblocking_connect, 60)
{
	pid_t c;

	START(0, "backlog-server", "-b", "5", "5107");
	AWAIT(0, "listening");
	START(1, "tcp-client", "-n", "5107");
	c = AWAIT(1, "handshake-done");
	AT(c, 3);
	EXPECT_EQ(SS_CONNECTING, self->s.ss_state);
	EXPECT_EQ(TCP_ESTABLISHED, self->s.sk_state);
	RESUME(1, "handshake-done");
	AWAIT(1, "so-error");
	AT(c, 3);
	EXPECT_EQ(SS_CONNECTING, self->s.ss_state);
	EXPECT_EQ(TCP_ESTABLISHED, self->s.sk_state);
	RESUME(1, "so-error");
	AWAIT(1, "connected");
	AT(c, 3);
	EXPECT_EQ(SS_CONNECTED, self->s.ss_state);
	EXPECT_EQ(TCP_ESTABLISHED, self->s.sk_state);
}

/*
 * listen(fd, @backlog) and no accept(): the accept queue takes backlog + 1
 * connections; the next client's SYNs are dropped and it stays in
 * SYN_SENT, asleep in connect().
 */
static void full_backlog(struct __test_metadata *_metadata, FIXTURE_DATA(lab) *self,
			 int backlog, const char *port)
{
	char b[8];
	pid_t srv, w;
	int i, drops;

	snprintf(b, sizeof(b), "%d", backlog);
	START(0, "backlog-server", "-b", b, port);
	srv = AWAIT(0, "listening");
	AT(srv, 3);
	EXPECT_EQ(backlog, V(self->s, ACCEPT_MAX));
	/* backlog + 1 clients get in, each a program of its own from p[1]. */
	ASSERT_GT(MAX_PROGS - 1, backlog + 1);
	for (i = 1; i <= backlog + 1; i++) {
		START(i, "tcp-client", port);
		AWAIT(i, "connected");
	}
	AT(srv, 3);
	EXPECT_EQ(backlog + 1, V(self->s, ACCEPT_QUEUE));

	START(backlog + 2, "tcp-client", port);
	w = self->p[backlog + 2].pid;
	EXPECT_TRUE(SOCK_UNTIL(&self->nl, w, 3, self->s, self->s.sk_state == TCP_SYN_SENT &&
			       V(self->s, WAITERS) == 1));
	EXPECT_EQ(SS_CONNECTING, self->s.ss_state);
	EXPECT_EQ(1, self->s.send_q);	/* the SYN */
	AT(srv, 3);
	EXPECT_EQ(backlog + 1, V(self->s, ACCEPT_QUEUE));
	EXPECT_LE(1, V(self->s, DROPS));
	drops = V(self->s, DROPS);
	/* Its SYN goes again after a second, and is dropped again. */
	EXPECT_TRUE(SOCK_UNTIL(&self->nl, srv, 3, self->s, V(self->s, DROPS) > (uint64_t)drops));
	AT(w, 3);
	EXPECT_EQ(TCP_SYN_SENT, self->s.sk_state);
	EXPECT_EQ(SS_CONNECTING, self->s.ss_state);
	AT(srv, 3);
	EXPECT_EQ(backlog + 1, V(self->s, ACCEPT_QUEUE));
}

TEST_F_TIMEOUT(lab, full_backlog_0, 60)
{
	full_backlog(_metadata, self, 0, "5102");
}

TEST_F_TIMEOUT(lab, full_backlog_2, 60)
{
	full_backlog(_metadata, self, 2, "5106");
}

/* A connected UDP socket: a peer and ESTABLISHED, SS_UNCONNECTED, no packet. */
TEST_F_TIMEOUT(lab, udp_connected, 60)
{
	pid_t u;

	START(0, "udp-connected", "5103");
	u = AWAIT(0, "created");
	AT(u, 3);
	EXPECT_EQ(SOCK_DGRAM, self->s.type);
	EXPECT_EQ(IPPROTO_UDP, self->s.protocol);
	EXPECT_EQ(SS_UNCONNECTED, self->s.ss_state);
	EXPECT_EQ(TCP_CLOSE, self->s.sk_state);
	EXPECT_EQ(5103, V(self->s, LOCAL_PORT));
	AT(u, 4);
	EXPECT_EQ(TCP_CLOSE, self->s.sk_state);
	EXPECT_EQ(0, V(self->s, LOCAL_PORT));
	RESUME(0, "created");

	AWAIT(0, "connected");
	AT(u, 4);
	EXPECT_EQ(SS_UNCONNECTED, self->s.ss_state);
	EXPECT_EQ(TCP_ESTABLISHED, self->s.sk_state);
	EXPECT_NE(0, V(self->s, LOCAL_PORT));
	EXPECT_EQ(5103, V(self->s, PEER_PORT));
	AT(u, 3);
	EXPECT_EQ(0, self->s.recv_q);
	EXPECT_EQ(TCP_CLOSE, self->s.sk_state);
	RESUME(0, "connected");

	AWAIT(0, "sent");
	EXPECT_TRUE(SOCK_UNTIL(&self->nl, u, 3, self->s, self->s.recv_q == 4));
	RESUME(0, "sent");
	RESUME(0, "answered");
	EXPECT_EQ(0, prog_exit(&self->p[0]));
}

/* The receive queue grows byte by byte; MSG_PEEK leaves it; read() drains it. */
TEST_F_TIMEOUT(lab, unread, 60)
{
	static const struct { const char *step; int unread; } steps[] = {
		{ "connected", 0 }, { "wrote-1", 1 }, { "wrote-2", 2 }, { "wrote-3", 3 },
		{ "peeked", 3 }, { "read-1", 2 }, { "drained", 0 },
	};
	unsigned int i;
	pid_t r;

	START(0, "unread", "5104");
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		r = AWAIT(0, steps[i].step);
		AT(r, 5);	/* the reader */
		EXPECT_EQ(steps[i].unread, self->s.recv_q) TH_LOG("at %s", steps[i].step);
		EXPECT_EQ(SS_CONNECTED, self->s.ss_state);
		AT(r, 4);	/* the writer: everything acknowledged */
		EXPECT_EQ(0, self->s.send_q) TH_LOG("at %s", steps[i].step);
		RESUME(0, steps[i].step);
	}
	EXPECT_EQ(0, prog_exit(&self->p[0]));
}

TEST_HARNESS_MAIN
