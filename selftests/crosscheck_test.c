// SPDX-License-Identifier: GPL-2.0
/*
 * The module against the kernel's own views: every socket:[N] link under
 * /proc/PID/fd is in the dump with that owner, and every socket a process
 * holds in /proc/net/{tcp,tcp6,udp,udp6,raw,unix,netlink,packet} has the
 * same inode, state, addresses and queue sizes in the dump.  And the other
 * way: nothing in the dump is invented, every owner it reports is a
 * socket:[N] link of that process (or thread) and every socket of those
 * families that the kernel's tables list is in them.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <netinet/tcp.h>
#include <linux/if_ether.h>
#include <linux/net.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "kselftest_harness.h"
#include "inet.h"
#include "nl.h"
#include "run_cmd.h"

/* The dump, indexed by inode. */
#define MAXSOCK 4096
static struct ss_sock *dump;
static int ndump;
static uint64_t dump_self;	/* the socket that asked, closed since */

static int dump_cb(const struct ss_sock *s, void *arg)
{
	if (ndump < MAXSOCK)
		dump[ndump++] = *s;
	return 0;
}

static const struct ss_sock *by_ino(uint64_t ino)
{
	int i;

	for (i = 0; i < ndump; i++)
		if (dump[i].ino == ino)
			return &dump[i];
	return NULL;
}

static int take_dump(void)
{
	struct ssnl nl;
	struct ssnl_req r;
	int err;

	if (!dump)
		dump = calloc(MAXSOCK, sizeof(*dump));
	ndump = 0;
	err = ssnl_open(&nl);
	if (err)
		return err;
	dump_self = ss_inode(nl.fd);
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	err = ssnl_request(&nl, &r, NLM_F_DUMP, 32768, dump_cb, NULL);
	ssnl_close(&nl);
	return err;
}

/* Every socket:[N] link of every process. */
struct link {
	int pid, fd;
	uint64_t ino;
};
static struct link links[MAXSOCK];
static int nlinks;

static void read_fd_links(void)
{
	DIR *proc = opendir("/proc");
	struct dirent *p;

	nlinks = 0;
	while (proc && (p = readdir(proc))) {
		char path[300], target[64];
		struct dirent *f;
		DIR *fds;
		int pid = atoi(p->d_name);

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fd", pid);
		fds = opendir(path);
		while (fds && (f = readdir(fds))) {
			unsigned long long ino;
			char lp[600];
			ssize_t n;

			snprintf(lp, sizeof(lp), "%s/%s", path, f->d_name);
			n = readlink(lp, target, sizeof(target) - 1);
			if (n <= 0)
				continue;
			target[n] = 0;
			if (sscanf(target, "socket:[%llu]", &ino) == 1 && nlinks < MAXSOCK)
				links[nlinks++] = (struct link){ pid, atoi(f->d_name), ino };
		}
		if (fds)
			closedir(fds);
	}
	if (proc)
		closedir(proc);
}

static int held(uint64_t ino)
{
	int i;

	for (i = 0; i < nlinks; i++)
		if (links[i].ino == ino)
			return 1;
	return 0;
}

/*
 * The dump's entry for a /proc/net row's inode, when a process holds the
 * socket (rows of sockets without a descriptor are issue #9's); a held
 * socket missing from the dump is a failure.
 */
#define held_sock(ino) ({						\
	const struct ss_sock *_s = NULL;				\
	if ((ino) && held(ino)) {					\
		_s = by_ino(ino);					\
		EXPECT_NE(NULL, _s)					\
			TH_LOG("inode %llu of a process is not in the dump", \
			       (unsigned long long)(ino));		\
	}								\
	_s;								\
})

/* A zoo of quiescent sockets in this process. */
static int zoo[32], nzoo;

static void zoo_add(int fd)
{
	if (fd >= 0 && nzoo < 32)
		zoo[nzoo++] = fd;
}

static int make_zoo(void)
{
	struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	struct sockaddr_nl snl = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
				  .sll_ifindex = if_nametoindex("lo") };
	socklen_t len = sizeof(a4);
	int l, c, s, u1, u2, sv[2];
	char data[777] = { 0 };

	l = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(l, (struct sockaddr *)&a4, sizeof(a4)) || listen(l, 4) ||
	    getsockname(l, (struct sockaddr *)&a4, &len))
		return -1;
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(c, (struct sockaddr *)&a4, sizeof(a4)))
		return -1;
	s = accept(l, NULL, NULL);
	/* Unread data both ways, and one connection left in the accept queue. */
	if (send(c, data, 777, 0) != 777 || send(s, data, 123, 0) != 123)
		return -1;
	zoo_add(socket(AF_INET, SOCK_STREAM, 0));
	if (connect(zoo[nzoo - 1], (struct sockaddr *)&a4, sizeof(a4)))
		return -1;
	zoo_add(l);
	zoo_add(c);
	zoo_add(s);

	l = socket(AF_INET6, SOCK_STREAM, 0);
	if (bind(l, (struct sockaddr *)&a6, sizeof(a6)) || listen(l, 4))
		return -1;
	zoo_add(l);

	a4.sin_port = 0;
	u1 = socket(AF_INET, SOCK_DGRAM, 0);
	u2 = socket(AF_INET, SOCK_DGRAM, 0);
	len = sizeof(a4);
	if (bind(u1, (struct sockaddr *)&a4, sizeof(a4)) ||
	    getsockname(u1, (struct sockaddr *)&a4, &len) ||
	    connect(u2, (struct sockaddr *)&a4, sizeof(a4)) ||
	    send(u2, data, 300, 0) != 300)
		return -1;
	zoo_add(u1);
	zoo_add(u2);
	u1 = socket(AF_INET6, SOCK_DGRAM, 0);
	if (bind(u1, (struct sockaddr *)&a6, sizeof(a6)))
		return -1;
	zoo_add(u1);
	zoo_add(socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));

	snprintf(un.sun_path, sizeof(un.sun_path), "/tmp/sockstat-cross-%d", getpid());
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	if (bind(l, (struct sockaddr *)&un, sizeof(un)) || listen(l, 2))
		return -1;
	zoo_add(l);
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		return -1;
	zoo_add(sv[0]);
	zoo_add(sv[1]);

	l = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	if (bind(l, (struct sockaddr *)&snl, sizeof(snl)))
		return -1;
	zoo_add(l);
	l = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
	if (bind(l, (struct sockaddr *)&ll, sizeof(ll)))
		return -1;
	zoo_add(l);
	usleep(200000);		/* let loopback deliver and acknowledge */
	return 0;
}

static void drop_zoo(void)
{
	char path[108];

	snprintf(path, sizeof(path), "/tmp/sockstat-cross-%d", getpid());
	unlink(path);
	while (nzoo)
		close(zoo[--nzoo]);
}

TEST(proc_fd_links_are_owners)
{
	int i, missing = 0, wrong_owner = 0;

	ASSERT_EQ(0, make_zoo());
	read_fd_links();
	ASSERT_EQ(0, take_dump());
	ASSERT_LE(nzoo, nlinks);
	for (i = 0; i < nlinks; i++) {
		const struct ss_sock *s = by_ino(links[i].ino);

		if (!s) {
			missing++;
			TH_LOG("socket:[%llu] of pid %d fd %d is not in the dump",
			       (unsigned long long)links[i].ino, links[i].pid, links[i].fd);
		} else if (!ss_find_owner(s, links[i].pid, links[i].fd)) {
			wrong_owner++;
			TH_LOG("socket:[%llu] lacks owner pid %d fd %d",
			       (unsigned long long)links[i].ino, links[i].pid, links[i].fd);
		}
	}
	EXPECT_EQ(0, missing);
	EXPECT_EQ(0, wrong_owner);
	ksft_print_msg("%d socket links under /proc/*/fd, all in the dump with their owner\n",
		       nlinks);
	drop_zoo();
}

/* Compare one /proc/net table with the dump; returns rows compared. */
typedef int (*row_fn)(struct __test_metadata *_metadata, const char *line,
		      uint64_t *ino);

static int compare_table(struct __test_metadata *_metadata, const char *file,
			 row_fn fn)
{
	FILE *f = fopen(file, "r");
	char line[1024];
	int rows = 0;

	if (!f)
		return 0;	/* e.g. no IPv6 */
	if (!fgets(line, sizeof(line), f)) {	/* header */
		fclose(f);
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		uint64_t ino = 0;

		if (fn(_metadata, line, &ino))
			rows++;
	}
	fclose(f);
	return rows;
}

static const struct ss_sock *inet_row(struct __test_metadata *_metadata,
				      const char *line, uint64_t *ino, int alen,
				      unsigned int *st, unsigned int *tx, unsigned int *rx)
{
	char local[64], peer[64];
	uint8_t la[16], pa[16];
	unsigned int lp, pp;
	unsigned long long i;
	const struct ss_sock *s;

	if (sscanf(line, "%*d: %63s %63s %x %x:%x %*x:%*x %*x %*u %*d %llu",
		   local, peer, st, tx, rx, &i) != 6)
		return NULL;
	*ino = i;
	s = held_sock(i);
	if (!s)
		return NULL;
	EXPECT_EQ(0, proc_net_addr(local, la, alen, &lp));
	EXPECT_EQ(0, proc_net_addr(peer, pa, alen, &pp));
	EXPECT_EQ(alen, s->local_addr_len);
	EXPECT_EQ(0, memcmp(la, s->local_addr, alen));
	EXPECT_EQ(0, memcmp(pa, s->peer_addr, alen));
	EXPECT_EQ(lp, s->v[SOCKSTAT_A_SOCK_LOCAL_PORT]);
	EXPECT_EQ(pp, s->v[SOCKSTAT_A_SOCK_PEER_PORT]);
	EXPECT_EQ(*st, s->sk_state);
	return s;
}

static int tcp_row(struct __test_metadata *_metadata, const char *line,
		   uint64_t *ino, int alen)
{
	unsigned int st, tx, rx;
	const struct ss_sock *s = inet_row(_metadata, line, ino, alen, &st, &tx, &rx);

	if (!s)
		return 0;
	if (st == TCP_LISTEN) {
		EXPECT_EQ(rx, s->v[SOCKSTAT_A_SOCK_ACCEPT_QUEUE]);
	} else {
		EXPECT_EQ(rx, s->recv_q);
		EXPECT_EQ(tx, s->send_q);
	}
	return 1;
}

static int tcp4_row(struct __test_metadata *m, const char *l, uint64_t *i)
{
	return tcp_row(m, l, i, 4);
}

static int tcp6_row(struct __test_metadata *m, const char *l, uint64_t *i)
{
	return tcp_row(m, l, i, 16);
}

/* UDP and raw print the memory charged to the queues. */
static int dgram_row(struct __test_metadata *_metadata, const char *line,
		     uint64_t *ino, int alen)
{
	unsigned int st, tx, rx;
	const struct ss_sock *s = inet_row(_metadata, line, ino, alen, &st, &tx, &rx);

	if (!s)
		return 0;
	EXPECT_EQ(rx, s->v[SOCKSTAT_A_SOCK_RMEM_ALLOC]);
	EXPECT_EQ(tx, s->v[SOCKSTAT_A_SOCK_WMEM_ALLOC]);
	return 1;
}

static int dgram4_row(struct __test_metadata *m, const char *l, uint64_t *i)
{
	return dgram_row(m, l, i, 4);
}

static int dgram6_row(struct __test_metadata *m, const char *l, uint64_t *i)
{
	return dgram_row(m, l, i, 16);
}

/*
 * /proc/net/unix: "Num RefCount Protocol Flags Type St Inode Path".  Its
 * St column is not socket->state: unix_seq_show() derives it from
 * sk_state (SS_CONNECTED when ESTABLISHED, else SS_UNCONNECTED).
 */
static int unix_row(struct __test_metadata *_metadata, const char *line, uint64_t *ino)
{
	unsigned int flags, type, st;
	unsigned long long i;
	char path[200] = "";
	const struct ss_sock *s;

	if (sscanf(line, "%*s %*x %*x %x %x %x %llu %199s", &flags, &type, &st, &i, path) < 4)
		return 0;
	*ino = i;
	s = held_sock(i);
	if (!s)
		return 0;
	EXPECT_EQ(type, s->type);
	EXPECT_EQ(!!(flags & 0x10000), s->sk_state == TCP_LISTEN);	/* __SO_ACCEPTCON */
	EXPECT_EQ(st, s->sk_state == TCP_ESTABLISHED ? SS_CONNECTED : SS_UNCONNECTED);
	if (path[0] == '@') {
		EXPECT_EQ(0, s->unix_name[0]);
	} else if (path[0]) {
		EXPECT_STREQ(path, s->unix_name);
	} else {
		EXPECT_FALSE(s->present[SOCKSTAT_A_SOCK_UNIX_NAME]);
	}
	return 1;
}

/* /proc/net/netlink: "sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode". */
static int netlink_row(struct __test_metadata *_metadata, const char *line, uint64_t *ino)
{
	unsigned int proto, pid, groups, rmem, wmem, drops;
	unsigned long long i;
	const struct ss_sock *s;

	if (sscanf(line, "%*s %u %u %x %u %u %*d %*d %u %llu", &proto, &pid, &groups,
		   &rmem, &wmem, &drops, &i) != 7)
		return 0;
	*ino = i;
	s = held_sock(i);
	if (!s)
		return 0;
	EXPECT_EQ(proto, s->protocol);
	EXPECT_EQ(pid, s->v[SOCKSTAT_A_SOCK_NETLINK_PORTID]);
	EXPECT_EQ(groups, s->v[SOCKSTAT_A_SOCK_NETLINK_GROUPS]);
	EXPECT_EQ(rmem, s->v[SOCKSTAT_A_SOCK_RMEM_ALLOC]);
	EXPECT_EQ(wmem, s->v[SOCKSTAT_A_SOCK_WMEM_ALLOC]);
	EXPECT_EQ(drops, s->v[SOCKSTAT_A_SOCK_DROPS]);
	return 1;
}

/* /proc/net/packet: "sk RefCnt Type Proto Iface R Rmem User Inode". */
static int packet_row(struct __test_metadata *_metadata, const char *line, uint64_t *ino)
{
	unsigned int type, proto, iface, rmem, user;
	unsigned long long i;
	const struct ss_sock *s;

	if (sscanf(line, "%*s %*d %u %x %u %*d %u %u %llu", &type, &proto, &iface,
		   &rmem, &user, &i) != 6)
		return 0;
	*ino = i;
	s = held_sock(i);
	if (!s)
		return 0;
	EXPECT_EQ(type, s->type);
	EXPECT_EQ(proto, s->v[SOCKSTAT_A_SOCK_PACKET_PROTOCOL]);
	EXPECT_EQ(iface, s->v[SOCKSTAT_A_SOCK_PACKET_IFINDEX]);
	EXPECT_EQ(rmem, s->v[SOCKSTAT_A_SOCK_RMEM_ALLOC]);
	EXPECT_EQ(user, s->v[SOCKSTAT_A_SOCK_UID]);
	return 1;
}

TEST(proc_net_tables_agree)
{
	static const struct {
		const char *file;
		row_fn fn;
		int min;	/* rows of our zoo at least */
	} tables[] = {
		{ "/proc/net/tcp", tcp4_row, 4 },
		{ "/proc/net/tcp6", tcp6_row, 1 },
		{ "/proc/net/udp", dgram4_row, 2 },
		{ "/proc/net/udp6", dgram6_row, 1 },
		{ "/proc/net/raw", dgram4_row, 1 },
		{ "/proc/net/unix", unix_row, 3 },
		{ "/proc/net/netlink", netlink_row, 1 },
		{ "/proc/net/packet", packet_row, 1 },
	};
	int i, rows;

	ASSERT_EQ(0, make_zoo());
	read_fd_links();
	ASSERT_EQ(0, take_dump());
	for (i = 0; i < (int)(sizeof(tables) / sizeof(tables[0])); i++) {
		rows = compare_table(_metadata, tables[i].file, tables[i].fn);
		EXPECT_LE(tables[i].min, rows) TH_LOG("%s", tables[i].file);
		ksft_print_msg("%s: %d sockets held by processes compared\n",
			       tables[i].file, rows);
	}
	drop_zoo();
}

/* The inode column (1-based field @col) of every row of a /proc/net table. */
static int table_inodes(const char *file, int col, uint64_t *out, int max)
{
	FILE *f = fopen(file, "r");
	char line[1024];
	int n = 0;

	if (!f)
		return 0;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return 0;
	}
	while (fgets(line, sizeof(line), f) && n < max) {
		char *save, *t = strtok_r(line, " \t\n", &save);
		int i;

		for (i = 1; t && i < col; i++)
			t = strtok_r(NULL, " \t\n", &save);
		if (t)
			out[n++] = strtoull(t, NULL, 10);
	}
	fclose(f);
	return n;
}

static int listed(const uint64_t *inos, int n, uint64_t ino)
{
	while (n--)
		if (inos[n] == ino)
			return 1;
	return 0;
}

/* Whether descriptor @fd of @pid (thread @tid, 0: the process) is socket:[@ino]. */
static int link_is(int pid, int tid, int fd, uint64_t ino)
{
	char path[128], target[64], want[64];
	ssize_t n;

	if (tid)
		snprintf(path, sizeof(path), "/proc/%d/task/%d/fd/%d", pid, tid, fd);
	else
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, fd);
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return 0;
	target[n] = 0;
	snprintf(want, sizeof(want), "socket:[%llu]", (unsigned long long)ino);
	return !strcmp(target, want);
}

TEST(nothing_is_invented)
{
	static uint64_t unix_inos[MAXSOCK], packet_inos[MAXSOCK], nl_inos[MAXSOCK];
	static uint64_t tcp_inos[MAXSOCK], udp_inos[MAXSOCK];
	int nunix, npacket, nnl, ntcp = 0, nudp = 0, i, j, owners = 0, bad_owner = 0;
	int checked = 0, invented = 0;

	ASSERT_EQ(0, make_zoo());
	ASSERT_EQ(0, take_dump());
	nunix = table_inodes("/proc/net/unix", 7, unix_inos, MAXSOCK);
	npacket = table_inodes("/proc/net/packet", 9, packet_inos, MAXSOCK);
	nnl = table_inodes("/proc/net/netlink", 10, nl_inos, MAXSOCK);
	ntcp += table_inodes("/proc/net/tcp", 10, tcp_inos, MAXSOCK);
	ntcp += table_inodes("/proc/net/tcp6", 10, tcp_inos + ntcp, MAXSOCK - ntcp);
	nudp += table_inodes("/proc/net/udp", 10, udp_inos, MAXSOCK);
	nudp += table_inodes("/proc/net/udp6", 10, udp_inos + nudp, MAXSOCK - nudp);

	for (i = 0; i < ndump; i++) {
		const struct ss_sock *s = &dump[i];
		int in_table = -1;	/* -1: no table lists this kind */

		if (s->ino == dump_self)
			continue;

		for (j = 0; j < s->nowners; j++) {
			const struct ss_owner *o = &s->owners[j];

			owners++;
			/* Only the test's own processes come and go: none here. */
			if (!link_is(o->pid, o->tid, o->fd, s->ino)) {
				bad_owner++;
				TH_LOG("socket %llu: owner pid %u fd %u (tid %u) is not socket:[%llu]",
				       (unsigned long long)s->ino, o->pid, o->fd, o->tid,
				       (unsigned long long)s->ino);
			}
		}
		switch (s->family) {
		case AF_UNIX:
			in_table = listed(unix_inos, nunix, s->ino);
			break;
		case AF_PACKET:
			in_table = listed(packet_inos, npacket, s->ino);
			break;
		case AF_NETLINK:
			if (s->v[SOCKSTAT_A_SOCK_NETLINK_PORTID])	/* bound */
				in_table = listed(nl_inos, nnl, s->ino);
			break;
		case AF_INET:
		case AF_INET6:
			/* Hashed: listening or connected TCP, bound UDP. */
			if (s->protocol == IPPROTO_TCP && s->sk_state != TCP_CLOSE)
				in_table = listed(tcp_inos, ntcp, s->ino);
			else if (s->protocol == IPPROTO_UDP && s->v[SOCKSTAT_A_SOCK_LOCAL_PORT])
				in_table = listed(udp_inos, nudp, s->ino);
			break;
		}
		if (in_table < 0)
			continue;
		checked++;
		if (!in_table) {
			invented++;
			TH_LOG("socket %llu (family %u, state %u) is in no /proc/net table",
			       (unsigned long long)s->ino, s->family, s->sk_state);
		}
	}
	ksft_print_msg("%d sockets, %d owners: %d owners not a socket:[N] link; %d sockets looked for in /proc/net, %d not there\n",
		       ndump, owners, bad_owner, checked, invented);
	EXPECT_LE(nzoo, owners);
	EXPECT_LE(8, checked);
	EXPECT_EQ(0, bad_owner);
	EXPECT_EQ(0, invented);
	drop_zoo();
}

/* @addr (IPv6, "%lo" for the scope of lo) and @port into @a. */
static void in6_of(const char *addr, int port, struct sockaddr_in6 *a)
{
	char buf[64];
	char *pct;

	snprintf(buf, sizeof(buf), "%s", addr);
	pct = strchr(buf, '%');
	*a = (struct sockaddr_in6){ .sin6_family = AF_INET6, .sin6_port = htons(port) };
	if (pct) {
		*pct = 0;
		a->sin6_scope_id = if_nametoindex(pct + 1);
	}
	if (inet_pton(AF_INET6, buf, &a->sin6_addr) != 1)
		abort();
}

static int in6_port(int fd)
{
	struct sockaddr_in6 a;
	socklen_t len = sizeof(a);

	return getsockname(fd, (struct sockaddr *)&a, &len) ? -1 : ntohs(a.sin6_port);
}

static int in6_socket(int type, const char *bind_to, const char *connect_to, int port)
{
	struct sockaddr_in6 a;
	int fd = socket(AF_INET6, type, 0);

	if (fd < 0)
		abort();
	if (bind_to) {
		in6_of(bind_to, 0, &a);
		if (bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
		    (type == SOCK_STREAM && listen(fd, 4)))
			abort();
	}
	if (connect_to) {
		in6_of(connect_to, port, &a);
		if (connect(fd, (struct sockaddr *)&a, sizeof(a)))
			abort();
	}
	return fd;
}

/* "[addr]%if:port" as ss writes an end, from the module's attributes. */
static void ss_end(char *buf, size_t len, const uint8_t *addr, unsigned int port, unsigned int ifindex)
{
	char a[INET6_ADDRSTRLEN] = "?", ifname[IF_NAMESIZE] = "?";

	inet_ntop(AF_INET6, addr, a, sizeof(a));
	if (ifindex)
		if_indextoname(ifindex, ifname);
	snprintf(buf, len, "[%s]%s%s:%u", a, ifindex ? "%" : "", ifindex ? ifname : "", port);
}

/*
 * Connected IPv6 sockets, TCP and UDP, in a network namespace of their
 * own, against the kernel's other views of them.  getsockname() and
 * getpeername(): addresses and ports, and the scope a link-local address
 * needs (the kernel binds such a socket to the interface, and gives it
 * back as sin6_scope_id: the module's BOUND_IFINDEX); IPV6_V6ONLY;
 * TCP_INFO's state; "ss -tuae" (each end as ss writes it, with
 * %interface, the state, TCP's queues); /proc/net/tcp6 and udp6, compared
 * row by row as proc_net_tables_agree does.  The cases: ::1 with unread
 * data both ways, fe80::1%lo, a v4-mapped connection both ways (an IPv4
 * client of a dual-stack listener, an AF_INET6 client of
 * ::ffff:127.0.0.1), connected UDP on ::1 and on fe80::1%lo.  The flow
 * label (sin6_flowinfo) has no attribute and is not compared.
 */
TEST(inet6_connected_agree_with_getname_tcp_info_ss_and_proc_net)
{
	char *const addr[] = { "ip", "-6", "addr", "add", "fe80::1/64", "dev", "lo", "nodad", NULL };
	char *const ss[] = { "ss", "-Htuane6", NULL };
	static struct cmd_result r;
	struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int l6, ll, dual, u1, ul1, c4, fds[9], n = 0, i, rows;
	struct ssnl nl;
	struct ss_sock *s = malloc(sizeof(*s));
	char data[300] = { 0 };

	ASSERT_NE(NULL, s);
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, ss_lo_up());
	ASSERT_EQ(0, run_cmd(&r, addr));
	ASSERT_EQ(0, r.status) TH_LOG("ip: %s", r.err);

	l6 = in6_socket(SOCK_STREAM, "::1", NULL, 0);
	fds[n++] = in6_socket(SOCK_STREAM, NULL, "::1", in6_port(l6));
	fds[n++] = accept(l6, NULL, NULL);
	ASSERT_EQ(100, send(fds[0], data, 100, 0));
	ASSERT_EQ(50, send(fds[1], data, 50, 0));
	ll = in6_socket(SOCK_STREAM, "fe80::1%lo", NULL, 0);
	fds[n++] = in6_socket(SOCK_STREAM, NULL, "fe80::1%lo", in6_port(ll));
	fds[n++] = accept(ll, NULL, NULL);
	dual = in6_socket(SOCK_STREAM, "::", NULL, 0);
	c4 = socket(AF_INET, SOCK_STREAM, 0);
	a4.sin_port = htons(in6_port(dual));
	ASSERT_EQ(0, connect(c4, (struct sockaddr *)&a4, sizeof(a4)));
	fds[n++] = accept(dual, NULL, NULL);
	fds[n++] = in6_socket(SOCK_STREAM, NULL, "::ffff:127.0.0.1", in6_port(dual));
	fds[n++] = accept(dual, NULL, NULL);
	u1 = in6_socket(SOCK_DGRAM, "::1", NULL, 0);
	fds[n++] = in6_socket(SOCK_DGRAM, NULL, "::1", in6_port(u1));
	ASSERT_EQ(300, send(fds[n - 1], data, 300, 0));
	ul1 = in6_socket(SOCK_DGRAM, "fe80::1%lo", NULL, 0);
	fds[n++] = in6_socket(SOCK_DGRAM, NULL, "fe80::1%lo", in6_port(ul1));
	for (i = 0; i < n; i++)
		ASSERT_LE(0, fds[i]);
	usleep(200000);		/* let loopback deliver and acknowledge */

	ASSERT_EQ(0, ssnl_open(&nl));
	ASSERT_EQ(0, run_cmd(&r, ss));
	ASSERT_EQ(0, r.status) TH_LOG("ss: %s", r.err);
	for (i = 0; i < n; i++) {
		struct sockaddr_in6 me, peer;
		socklen_t len = sizeof(me);
		char line[2048], want[160], *f[8], *save, *t;
		int v6only = -1, nf = 0, type;
		struct tcp_info ti;

		ASSERT_EQ(0, ssnl_get(&nl, ss_inode(fds[i]), s));
		ASSERT_EQ(0, getsockname(fds[i], (struct sockaddr *)&me, &len));
		len = sizeof(peer);
		ASSERT_EQ(0, getpeername(fds[i], (struct sockaddr *)&peer, &len));
		EXPECT_EQ(AF_INET6, s->family);
		ASSERT_EQ(16, s->local_addr_len);
		ASSERT_EQ(16, s->peer_addr_len);
		EXPECT_EQ(0, memcmp(&me.sin6_addr, s->local_addr, 16)) TH_LOG("socket %d", i);
		EXPECT_EQ(ntohs(me.sin6_port), s->v[SOCKSTAT_A_SOCK_LOCAL_PORT]);
		EXPECT_EQ(me.sin6_scope_id, s->v[SOCKSTAT_A_SOCK_BOUND_IFINDEX]) TH_LOG("socket %d", i);
		EXPECT_EQ(0, memcmp(&peer.sin6_addr, s->peer_addr, 16)) TH_LOG("socket %d", i);
		EXPECT_EQ(ntohs(peer.sin6_port), s->v[SOCKSTAT_A_SOCK_PEER_PORT]);
		len = sizeof(v6only);
		ASSERT_EQ(0, getsockopt(fds[i], IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &len));
		EXPECT_EQ(v6only, s->present[SOCKSTAT_A_SOCK_V6ONLY]) TH_LOG("socket %d", i);
		EXPECT_EQ(TCP_ESTABLISHED, s->sk_state);
		len = sizeof(type);
		ASSERT_EQ(0, getsockopt(fds[i], SOL_SOCKET, SO_TYPE, &type, &len));
		EXPECT_EQ(type, s->type);
		if (type == SOCK_STREAM) {
			len = sizeof(ti);
			ASSERT_EQ(0, getsockopt(fds[i], IPPROTO_TCP, TCP_INFO, &ti, &len));
			EXPECT_EQ(ti.tcpi_state, s->sk_state);
		}

		/* ss: Netid State Recv-Q Send-Q Local Peer ... ino:N */
		snprintf(want, sizeof(want), " ino:%llu ", (unsigned long long)s->ino);
		ASSERT_TRUE(ss_find_line(r.out, want, line, sizeof(line))) TH_LOG("socket %d not in ss", i);
		for (t = strtok_r(line, " ", &save); t && nf < 8; t = strtok_r(NULL, " ", &save))
			f[nf++] = t;
		ASSERT_LE(6, nf);
		EXPECT_STREQ(type == SOCK_STREAM ? "tcp" : "udp", f[0]);
		EXPECT_STREQ(ss_state_name(s->sk_state), f[1]);
		if (type == SOCK_STREAM) {
			EXPECT_EQ(s->recv_q, strtoul(f[2], NULL, 10)) TH_LOG("socket %d", i);
			EXPECT_EQ(s->send_q, strtoul(f[3], NULL, 10)) TH_LOG("socket %d", i);
		}
		ss_end(want, sizeof(want), s->local_addr, s->v[SOCKSTAT_A_SOCK_LOCAL_PORT],
		       s->v[SOCKSTAT_A_SOCK_BOUND_IFINDEX]);
		EXPECT_STREQ(want, f[4]);
		ss_end(want, sizeof(want), s->peer_addr, s->v[SOCKSTAT_A_SOCK_PEER_PORT], 0);
		EXPECT_STREQ(want, f[5]);
	}
	ssnl_close(&nl);
	/* The fe80::1 sockets have the scope; the v4-mapped ones their prefix. */
	ASSERT_EQ(0, ssnl_open(&nl));
	ASSERT_EQ(0, ssnl_get(&nl, ss_inode(fds[2]), s));
	EXPECT_EQ(if_nametoindex("lo"), s->v[SOCKSTAT_A_SOCK_BOUND_IFINDEX]);
	ASSERT_EQ(0, ssnl_get(&nl, ss_inode(fds[4]), s));
	EXPECT_EQ(0, memcmp("\0\0\0\0\0\0\0\0\0\0\xff\xff\x7f\0\0\1", s->local_addr, 16));
	ssnl_close(&nl);

	/* /proc/net/tcp6 and udp6, row by row. */
	read_fd_links();
	ASSERT_EQ(0, take_dump());
	rows = compare_table(_metadata, "/proc/net/tcp6", tcp6_row);
	EXPECT_LE(10, rows);	/* 7 connected, 3 listeners */
	rows = compare_table(_metadata, "/proc/net/udp6", dgram6_row);
	EXPECT_LE(4, rows);
	for (i = 0; i < n; i++)
		close(fds[i]);
	close(c4);
	close(l6);
	close(ll);
	close(dual);
	close(u1);
	close(ul1);
	free(s);
}

TEST_HARNESS_MAIN
