// SPDX-License-Identifier: GPL-2.0
/*
 * What an unprivileged caller may see: every socket of its network
 * namespace, but owners only of processes whose descriptors it could
 * read in /proc/PID/fd; other namespaces need CAP_NET_ADMIN.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <grp.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/netlink.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nl.h"

#define NOBODY	65534

/* What the unprivileged child saw, sent back to the test. */
struct seen {
	int err_root, root_owners;	/* GET of root's socket */
	int root_mark_shown;		/* its SO_MARK came with it */
	int err_mine, mine_owners, mine_pid_ok;
	int err_peer, peer_owners;	/* GET of another nobody's socket */
	int err_all_netns, err_all_netns_summary;
	char extack[512];
};

static void drop_to_nobody(void)
{
	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		_exit(99);
	/* A change of uid makes a process non-dumpable; a plain user is. */
	prctl(PR_SET_DUMPABLE, 1);
}

TEST(unprivileged_sees_owners_it_may_see)
{
	int root_fd = socket(AF_INET, SOCK_DGRAM, 0), report[2], ready[2], peer_fd;
	uint64_t peer_ino, root_ino = ss_inode(root_fd);
	int mark = 0x5eed;
	pid_t peer, child;
	struct ss_sock rs;
	struct ssnl rnl;
	struct seen r;
	char c;

	ASSERT_LE(0, root_fd);
	ASSERT_EQ(0, pipe(report));
	ASSERT_EQ(0, pipe(ready));

	/* A mark, which only CAP_NET_ADMIN may read (inet_diag's rule). */
	ASSERT_EQ(0, setsockopt(root_fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)));
	ASSERT_EQ(0, ssnl_open(&rnl));
	ASSERT_EQ(0, ssnl_get(&rnl, root_ino, &rs));
	EXPECT_TRUE(rs.present[SOCKSTAT_A_SOCK_MARK]);
	EXPECT_EQ(0x5eed, rs.v[SOCKSTAT_A_SOCK_MARK]);
	ssnl_close(&rnl);

	/* Another unprivileged process holding a socket. */
	peer_fd = socket(AF_INET, SOCK_DGRAM, 0);
	peer_ino = ss_inode(peer_fd);
	peer = fork();
	ASSERT_LE(0, peer);
	if (!peer) {
		close(root_fd);
		drop_to_nobody();
		write(ready[1], "x", 1);
		pause();
		_exit(0);
	}
	close(peer_fd);
	ASSERT_EQ(1, read(ready[0], &c, 1));

	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		uint32_t all = 0;
		struct ssnl nl;
		struct ssnl_req q;
		struct ss_sock s;
		int mine;

		close(root_fd);
		drop_to_nobody();
		memset(&r, 0, sizeof(r));
		mine = socket(AF_INET, SOCK_DGRAM, 0);
		if (ssnl_open(&nl))
			_exit(98);
		r.err_root = ssnl_get(&nl, root_ino, &s);
		r.root_owners = s.nowners;
		r.root_mark_shown = s.present[SOCKSTAT_A_SOCK_MARK];
		r.err_mine = ssnl_get(&nl, ss_inode(mine), &s);
		r.mine_owners = s.nowners;
		r.mine_pid_ok = s.nowners == 1 && s.owners[0].pid == (uint32_t)getpid() &&
				s.owners[0].fd == (uint32_t)mine;
		r.err_peer = ssnl_get(&nl, peer_ino, &s);
		r.peer_owners = s.nowners;
		ssnl_req_init(&q, SOCKSTAT_CMD_GET);
		ssnl_put(&q, SOCKSTAT_A_SOCK_NETNS, &all, sizeof(all));
		r.err_all_netns = ssnl_request(&nl, &q, NLM_F_DUMP, 32768, NULL, NULL);
		/*
		 * 6.1's netlink core gives a dump's start callback no extended
		 * ACK: the message is checked on a do, which has one everywhere.
		 */
		ssnl_req_init(&q, SOCKSTAT_CMD_SUMMARY);
		ssnl_put(&q, SOCKSTAT_A_SOCK_NETNS, &all, sizeof(all));
		r.err_all_netns_summary = ssnl_request(&nl, &q, 0, 32768, NULL, NULL);
		memcpy(r.extack, nl.extack, sizeof(r.extack));
		write(report[1], &r, sizeof(r));
		_exit(0);
	}
	ASSERT_EQ(sizeof(r), read(report[0], &r, sizeof(r)));
	waitpid(child, NULL, 0);
	kill(peer, SIGKILL);
	waitpid(peer, NULL, 0);

	/* root's socket: there, but whose it is stays hidden, and its mark. */
	EXPECT_EQ(0, r.err_root);
	EXPECT_EQ(0, r.root_owners);
	EXPECT_FALSE(r.root_mark_shown);
	/* its own socket, with itself as the owner */
	EXPECT_EQ(0, r.err_mine);
	EXPECT_TRUE(r.mine_pid_ok);
	/* another process of the same user: visible, as in /proc/PID/fd */
	EXPECT_EQ(0, r.err_peer);
	EXPECT_EQ(1, r.peer_owners);
	/* every namespace: refused, with the reason */
	EXPECT_EQ(-EPERM, r.err_all_netns);
	EXPECT_EQ(-EPERM, r.err_all_netns_summary);
	EXPECT_NE(NULL, strstr(r.extack, "CAP_NET_ADMIN")) TH_LOG("extack: %s", r.extack);
	close(root_fd);
}

/*
 * No kernel address anywhere: every number of every socket in a dump (all
 * attributes, TCP's too) and every field of /proc/net/sockstat_sockets is
 * far below the kernel's half of the address space, and no string holds a
 * hexadecimal word.  A few kinds of socket are open so that every family's
 * attributes are there.
 */
#define KERNEL_HALF	0xffff000000000000ULL

static int hexword(const char *s)
{
	int run = 0;

	for (; *s; s++) {
		run = isxdigit((unsigned char)*s) ? run + 1 : 0;
		if (run >= 12)
			return 1;
	}
	return 0;
}

static int check_no_address(const struct ss_sock *s, void *arg)
{
	int *bad = arg, i;

	for (i = 0; i <= SOCKSTAT_A_SOCK_MAX; i++)
		if (s->present[i] && s->v[i] >= KERNEL_HALF) {
			fprintf(stderr, "# socket %llu: attribute %d = %#llx\n",
				(unsigned long long)s->ino, i, (unsigned long long)s->v[i]);
			(*bad)++;
		}
	for (i = 0; i <= SOCKSTAT_A_TCP_MAX; i++)
		if (s->tcp_present[i] && s->tcp[i] >= KERNEL_HALF)
			(*bad)++;
	if (hexword(s->ops) || hexword(s->ops_module) || hexword(s->proto))
		(*bad)++;
	for (i = 0; i < s->nowners; i++)
		if (hexword(s->owners[i].comm))
			(*bad)++;
	return 0;
}

TEST(no_kernel_address_in_netlink_or_proc)
{
	int fds[8], sv[2], n = 0, bad = 0, i;
	struct ssnl_req r;
	struct ssnl nl;
	char line[4096];
	FILE *f;

	fds[n++] = socket(AF_INET, SOCK_STREAM, 0);
	fds[n++] = socket(AF_INET6, SOCK_DGRAM, 0);
	fds[n++] = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	fds[n++] = socket(AF_PACKET, SOCK_DGRAM, 0);
	ASSERT_EQ(0, listen(fds[0], 3));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	for (i = 0; i < n; i++)
		ASSERT_LE(0, fds[i]);

	/* A connection left in the listener's accept queue: no descriptor. */
	{
		struct sockaddr_in a;
		socklen_t len = sizeof(a);
		uint32_t kinds = (1u << (SOCKSTAT_NOFD_TIME_WAIT + 1)) - 2;

		ASSERT_EQ(0, getsockname(fds[0], (struct sockaddr *)&a, &len));
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		fds[n] = socket(AF_INET, SOCK_STREAM, 0);
		ASSERT_EQ(0, connect(fds[n], (struct sockaddr *)&a, len));
		n++;

		ASSERT_EQ(0, ssnl_open(&nl));
		ssnl_req_init(&r, SOCKSTAT_CMD_GET);
		ASSERT_EQ(0, ssnl_request(&nl, &r, NLM_F_DUMP, 32768, check_no_address, &bad));
		EXPECT_EQ(0, bad);
		/* And every attribute of the sockets no descriptor reaches. */
		ssnl_put(&r, SOCKSTAT_A_SOCK_NOFD_KINDS, &kinds, sizeof(kinds));
		ASSERT_EQ(0, ssnl_request(&nl, &r, NLM_F_DUMP, 32768, check_no_address, &bad));
		EXPECT_EQ(0, bad);
		ssnl_close(&nl);
	}

	f = fopen("/proc/net/sockstat_sockets", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		char *save, *t;

		for (t = strtok_r(line, " \n,:[]", &save); t; t = strtok_r(NULL, " \n,:[]", &save))
			if (strtoull(t, NULL, 10) >= KERNEL_HALF || strstr(t, "ffff8") ||
			    strstr(t, "0xffff")) {
				fprintf(stderr, "# /proc: %s\n", t);
				bad++;
			}
	}
	fclose(f);
	EXPECT_EQ(0, bad);
	for (i = 0; i < n; i++)
		close(fds[i]);
	close(sv[0]);
	close(sv[1]);
}

/*
 * The credentials that decide what owners a reader sees are the
 * opener's: the /proc file's f_cred, and the requester's when a dump
 * starts.  An unprivileged process opens the /proc file and starts a dump
 * of many parts and windows (root holds 20,000 sockets, more than one
 * window of 16,384 descriptors), then hands both descriptors to root,
 * which reads the rest.  Root's processes are not the opener's to see:
 * no owner but the opener itself may appear.
 */
#define HANDOVER_PAIRS	10000

static int send_fds(int sock, const int *fds, int n, const void *data, size_t len)
{
	char cbuf[CMSG_SPACE(2 * sizeof(int))] = { 0 };
	struct iovec iov = { (void *)data, len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = CMSG_SPACE(n * sizeof(int)) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(n * sizeof(int));
	memcpy(CMSG_DATA(cm), fds, n * sizeof(int));
	return sendmsg(sock, &m, 0) == (ssize_t)len ? 0 : -1;
}

static int recv_fds(int sock, int *fds, int n, void *data, size_t len)
{
	char cbuf[CMSG_SPACE(2 * sizeof(int))] = { 0 };
	struct iovec iov = { data, len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;

	if (recvmsg(sock, &m, 0) != (ssize_t)len)
		return -1;
	cm = CMSG_FIRSTHDR(&m);
	if (!cm || cm->cmsg_len != CMSG_LEN(n * sizeof(int)))
		return -1;
	memcpy(fds, CMSG_DATA(cm), n * sizeof(int));
	return 0;
}

struct handover {
	pid_t opener;
	long sockets, owners, foreign;
};

static int count_foreign(const struct ss_sock *s, void *arg)
{
	struct handover *h = arg;
	int i;

	h->sockets++;
	for (i = 0; i < s->nowners; i++) {
		h->owners++;
		if (s->owners[i].pid != (uint32_t)h->opener)
			h->foreign++;
	}
	return 0;
}

/* Thousands of sockets: minutes on a debug kernel under TCG, not 30 s. */
FIXTURE(big) {
};

FIXTURE_SETUP(big)
{
}

FIXTURE_TEARDOWN(big)
{
}

TEST_F_TIMEOUT(big, handed_over_descriptors_keep_the_openers_view, 600)
{
	struct rlimit rl = { 2 * HANDOVER_PAIRS + 256, 2 * HANDOVER_PAIRS + 256 };
	struct handover nlh = { 0 }, prh = { 0 };
	int *pairs, sv[2], fds[2], i;
	struct ssnl nl = { .fd = -1 };
	char line[8192];
	pid_t child;
	FILE *f;

	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	pairs = malloc(2 * HANDOVER_PAIRS * sizeof(*pairs));
	ASSERT_NE(NULL, pairs);
	for (i = 0; i < HANDOVER_PAIRS; i++)
		ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, pairs + 2 * i));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));

	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		struct ssnl cnl;
		struct ssnl_req r;
		char c;

		close(sv[0]);
		for (i = 0; i < 2 * HANDOVER_PAIRS; i++)
			close(pairs[i]);
		drop_to_nobody();
		fds[0] = open("/proc/net/sockstat_sockets", O_RDONLY);
		if (fds[0] < 0 || ssnl_open(&cnl))
			_exit(98);
		/* The dump starts here: its first part is made now, as nobody. */
		ssnl_req_init(&r, SOCKSTAT_CMD_GET);
		if (ssnl_send(&cnl, &r, NLM_F_DUMP))
			_exit(97);
		fds[1] = cnl.fd;
		if (send_fds(sv[1], fds, 2, &cnl, sizeof(cnl)))
			_exit(96);
		/* Stay, so that the opener's own sockets are there to be seen. */
		read(sv[1], &c, 1);
		_exit(0);
	}
	close(sv[1]);
	ASSERT_EQ(0, recv_fds(sv[0], fds, 2, &nl, sizeof(nl)));
	nl.fd = fds[1];
	nlh.opener = prh.opener = child;

	/* Root reads the rest of the dump, window after window. */
	ASSERT_EQ(0, ssnl_recv(&nl, NLM_F_DUMP, 4096, count_foreign, &nlh, 0));

	/* And the whole /proc file, which nobody opened and never read. */
	f = fdopen(fds[0], "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		char *owners = strrchr(line, ' '), *save, *o;

		if (!strncmp(line, "inode", 5) || !owners)
			continue;
		prh.sockets++;
		for (o = strtok_r(owners + 1, ",\n", &save); o; o = strtok_r(NULL, ",\n", &save)) {
			if (!strcmp(o, "-"))
				continue;
			prh.owners++;
			if (atoi(o) != child)
				prh.foreign++;
		}
	}
	fclose(f);
	write(sv[0], "x", 1);
	waitpid(child, NULL, 0);
	close(sv[0]);
	ssnl_close(&nl);

	ksft_print_msg("netlink: %ld sockets, %ld owners shown, %ld not the opener's\n",
		       nlh.sockets, nlh.owners, nlh.foreign);
	ksft_print_msg("/proc: %ld sockets, %ld owners shown, %ld not the opener's\n",
		       prh.sockets, prh.owners, prh.foreign);
	/* Root's sockets were all there, in more than one window... */
	EXPECT_LE(2 * HANDOVER_PAIRS, nlh.sockets);
	EXPECT_LE(2 * HANDOVER_PAIRS, prh.sockets);
	/* ...the opener's own owners were shown, nobody else's. */
	EXPECT_LE(1, nlh.owners);
	EXPECT_LE(1, prh.owners);
	EXPECT_EQ(0, nlh.foreign);
	EXPECT_EQ(0, prh.foreign);
	for (i = 0; i < 2 * HANDOVER_PAIRS; i++)
		close(pairs[i]);
	free(pairs);
}

struct ns_seen {
	int err;
	int outside_found, inside_found, inside_owner_pid;
	uint32_t root_uid, nobody_uid, own_pid;
};

/*
 * Only the tasks of the caller's pid namespace are looked at: a socket
 * that only processes outside it hold is not reported to it; its own are,
 * with its pids.
 */
TEST(outside_the_pid_namespace_is_not_seen)
{
	int outside = socket(AF_INET, SOCK_DGRAM, 0), report[2];
	uint64_t outside_ino = ss_inode(outside);
	struct ns_seen r = { 0 };
	pid_t init;

	ASSERT_EQ(0, pipe(report));
	ASSERT_EQ(0, unshare(CLONE_NEWPID));
	init = fork();
	ASSERT_LE(0, init);
	if (!init) {
		int inside = socket(AF_INET, SOCK_DGRAM, 0);
		struct ssnl nl;
		struct ss_sock s;

		/* The outside socket stays open outside only. */
		close(outside);
		r.own_pid = getpid();
		r.err = ssnl_open(&nl);
		if (!r.err) {
			r.outside_found = !ssnl_get(&nl, outside_ino, &s);
			r.inside_found = !ssnl_get(&nl, ss_inode(inside), &s);
			r.inside_owner_pid = s.nowners ? s.owners[0].pid : -1;
		}
		write(report[1], &r, sizeof(r));
		_exit(0);
	}
	ASSERT_EQ(sizeof(r), read(report[0], &r, sizeof(r)));
	waitpid(init, NULL, 0);
	ASSERT_EQ(0, r.err);
	EXPECT_EQ(1, r.own_pid);		/* init of its namespace */
	EXPECT_EQ(0, r.outside_found);
	EXPECT_EQ(1, r.inside_found);
	EXPECT_EQ(1, r.inside_owner_pid);
	close(outside);
}

/*
 * uids are given in the requester's user namespace: in one that maps
 * its uid 1000 to root, root's socket is 1000's, and an unmapped uid is
 * the overflow uid (65534).
 */
TEST(uids_in_the_requesters_user_namespace)
{
	int root_fd = socket(AF_INET, SOCK_DGRAM, 0), report[2], go[2], ready[2];
	uint64_t root_ino = ss_inode(root_fd), nobody_ino;
	struct ns_seen r = { 0 };
	int nobody_fd[2];
	pid_t nobody, child;
	char path[64], c;
	int fd;

	ASSERT_EQ(0, pipe(report));
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, nobody_fd));
	/* A socket whose owner uid (sock_i_uid) is an unmapped one: 4242. */
	nobody = fork();
	ASSERT_LE(0, nobody);
	if (!nobody) {
		int s;

		if (setgid(4242) || setuid(4242))
			_exit(1);
		s = socket(AF_INET, SOCK_DGRAM, 0);
		write(nobody_fd[1], &s, sizeof(s));
		pause();
		_exit(0);
	}
	ASSERT_EQ(sizeof(fd), read(nobody_fd[0], &fd, sizeof(fd)));
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", nobody, fd);
	{
		struct stat st;

		ASSERT_EQ(0, stat(path, &st));
		nobody_ino = st.st_ino;
	}

	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		struct ssnl nl;
		struct ss_sock s;

		if (unshare(CLONE_NEWUSER))
			_exit(1);
		write(ready[1], "x", 1);
		read(go[0], &c, 1);	/* the parent has written the maps */
		r.err = ssnl_open(&nl);
		if (!r.err && !(r.err = ssnl_get(&nl, root_ino, &s)))
			r.root_uid = s.v[SOCKSTAT_A_SOCK_UID];
		if (!r.err && !(r.err = ssnl_get(&nl, nobody_ino, &s)))
			r.nobody_uid = s.v[SOCKSTAT_A_SOCK_UID];
		write(report[1], &r, sizeof(r));
		_exit(0);
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));	/* the child has unshared */
	snprintf(path, sizeof(path), "/proc/%d/uid_map", child);
	fd = open(path, O_WRONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(8, write(fd, "1000 0 1", 8));
	close(fd);
	ASSERT_EQ(1, write(go[1], "x", 1));
	ASSERT_EQ(sizeof(r), read(report[0], &r, sizeof(r)));
	waitpid(child, NULL, 0);
	kill(nobody, SIGKILL);
	waitpid(nobody, NULL, 0);
	ASSERT_EQ(0, r.err);
	EXPECT_EQ(1000, r.root_uid);
	EXPECT_EQ(65534, r.nobody_uid);
	close(root_fd);
}

TEST_HARNESS_MAIN
