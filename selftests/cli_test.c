// SPDX-License-Identifier: GPL-2.0
/*
 * sockstat-nl against sockets the test creates: every option of the
 * table, -e, -j (validated against its JSON schema), -s, the filters,
 * show, watch (a non-blocking connect completing), --source proc (the
 * same rows as netlink), colour, and every error's message and exit code.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <poll.h>
#include <pty.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <sched.h>
#include <net/if.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/net.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <netinet/tcp.h>

#include "kselftest_harness.h"
#include "nl.h"
#include "run_cmd.h"

static struct cmd_result res;

/*
 * Each test runs sockstat-nl (and python3) several times: seconds on
 * Debian's kernels, minutes on the debug kernel of make check-debug under
 * TCG, hence 300 s per test instead of the harness's 30.
 */

#define MAXF 24
/* Columns of the table. */
enum { C_USER, C_COMM, C_PID, C_FD, C_INODE, C_FAMILY, C_TYPE, C_STATE,
       C_SKSTATE, C_RECVQ, C_SENDQ, C_LOCAL, C_PEER, NCOLS };

static const char *const header[NCOLS] = {
	"USER", "COMMAND", "PID", "FD", "INODE", "FAMILY", "TYPE", "STATE",
	"SK-STATE", "RECV-Q", "SEND-Q", "LOCAL", "PEER",
};

static int fields(char *line, char **f, int max)
{
	int n = 0;
	char *save, *t;

	for (t = strtok_r(line, " ", &save); t && n < max; t = strtok_r(NULL, " ", &save))
		f[n++] = t;
	return n;
}

/*
 * The row of @text for socket @ino held by descriptor @fd (-1: any), its
 * fields in @f (pointing into @line); the number of fields, 0 if none.
 */
static int find_row(const char *text, unsigned long long ino, int fd, char *line,
		    size_t len, char **f)
{
	const char *p = text;

	while (*p) {
		const char *e = strchrnul(p, '\n');
		int n;

		snprintf(line, len, "%.*s", (int)(e - p), p);
		n = fields(line, f, MAXF);
		if (n > C_INODE && strtoull(f[C_INODE], NULL, 10) == ino &&
		    (fd < 0 || atoi(f[C_FD]) == fd))
			return n;
		p = *e ? e + 1 : e;
	}
	return 0;
}

/* How many rows of @text are about socket @ino. */
static int count_rows(const char *text, unsigned long long ino)
{
	char *copy = strdup(text), *save, *l, *f[MAXF];
	int n = 0;

	for (l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		if (fields(l, f, MAXF) > C_INODE && strtoull(f[C_INODE], NULL, 10) == ino)
			n++;
	free(copy);
	return n;
}

static unsigned short port_of(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	if (getsockname(fd, (struct sockaddr *)&a, &len))
		return 0;
	return ntohs(a.sin_port);
}

static int tcp_listener(int backlog)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, backlog))
		return -1;
	return fd;
}

static int tcp_connect(unsigned short port, int nonblock)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM | (nonblock ? SOCK_NONBLOCK : 0), 0);

	if (fd < 0 || (connect(fd, (struct sockaddr *)&a, sizeof(a)) && errno != EINPROGRESS))
		return -1;
	return fd;
}

FIXTURE(cli) {
	int lfd, cfd, afd;	/* listener, client, accepted */
	int sv[2];		/* unix pair, 3000 bytes unread in sv[1] */
	int named;		/* unix, bound to an abstract name with a blank */
	unsigned short port;
	unsigned long long lino, cino, aino, uino, uino0, nino;
	char user[64];
};

FIXTURE_SETUP(cli)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct passwd *pw = getpwuid(getuid());
	char msg[3000];
	int len;

	self->lfd = tcp_listener(7);
	ASSERT_LE(0, self->lfd);
	self->port = port_of(self->lfd);
	self->cfd = tcp_connect(self->port, 0);
	ASSERT_LE(0, self->cfd);
	self->afd = accept(self->lfd, NULL, NULL);
	ASSERT_LE(0, self->afd);
	memset(msg, 'z', sizeof(msg));
	ASSERT_EQ(1300, write(self->cfd, msg, 1300));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, self->sv));
	ASSERT_EQ(sizeof(msg), write(self->sv[0], msg, sizeof(msg)));
	self->named = socket(AF_UNIX, SOCK_DGRAM, 0);
	len = snprintf(sun.sun_path + 1, sizeof(sun.sun_path) - 1, "sockstat cli %d", getpid());
	ASSERT_EQ(0, bind(self->named, (struct sockaddr *)&sun,
			  offsetof(struct sockaddr_un, sun_path) + 1 + len));
	self->lino = ss_inode(self->lfd);
	self->cino = ss_inode(self->cfd);
	self->aino = ss_inode(self->afd);
	self->uino = ss_inode(self->sv[1]);
	self->uino0 = ss_inode(self->sv[0]);
	self->nino = ss_inode(self->named);
	snprintf(self->user, sizeof(self->user), "%s", pw ? pw->pw_name : "?");
	usleep(100000);		/* let the 1300 bytes reach the accepted socket */
}

FIXTURE_TEARDOWN(cli)
{
	close(self->lfd);
	close(self->cfd);
	close(self->afd);
	close(self->sv[0]);
	close(self->sv[1]);
	close(self->named);
}

TEST_F_TIMEOUT(cli, table_header_and_rows_hold_the_kernel_values, 300)
{
	char *argv[] = { "sockstat-nl", "-n", NULL };
	char line[1024], *f[MAXF], want[64];
	int i;

	ASSERT_EQ(0, run_cmd(&res, argv));
	ASSERT_EQ(0, res.status) TH_LOG("stderr: %s", res.err);
	EXPECT_EQ(NULL, strchr(res.out, '\033'));	/* a pipe: no colour */
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(res.out, "\n"), res.out);
	ASSERT_EQ(NCOLS, fields(line, f, MAXF));
	for (i = 0; i < NCOLS; i++)
		EXPECT_STREQ(header[i], f[i]);

	/* The listener: this process, its descriptor, LISTEN, bound address. */
	ASSERT_EQ(NCOLS, find_row(res.out, self->lino, self->lfd, line, sizeof(line), f));
	snprintf(want, sizeof(want), "%u", getuid());
	EXPECT_STREQ(want, f[C_USER]);		/* -n: numeric uid */
	EXPECT_STREQ("cli_test", f[C_COMM]);
	EXPECT_EQ(getpid(), atoi(f[C_PID]));
	EXPECT_STREQ("2", f[C_FAMILY]);
	EXPECT_STREQ("1", f[C_TYPE]);
	EXPECT_STREQ("1", f[C_STATE]);		/* SS_UNCONNECTED */
	EXPECT_STREQ("10", f[C_SKSTATE]);	/* TCP_LISTEN */
	snprintf(want, sizeof(want), "127.0.0.1:%u", self->port);
	EXPECT_STREQ(want, f[C_LOCAL]);
	EXPECT_STREQ("0.0.0.0:*", f[C_PEER]);

	/* The accepted socket holds the 1300 bytes; its peer is the client. */
	ASSERT_EQ(NCOLS, find_row(res.out, self->aino, self->afd, line, sizeof(line), f));
	EXPECT_STREQ("3", f[C_STATE]);
	EXPECT_STREQ("1", f[C_SKSTATE]);
	EXPECT_STREQ("1300", f[C_RECVQ]);
	snprintf(want, sizeof(want), "127.0.0.1:%u", port_of(self->cfd));
	EXPECT_STREQ(want, f[C_PEER]);

	/* AF_UNIX: the peer column is the peer's inode. */
	ASSERT_EQ(NCOLS, find_row(res.out, self->uino, self->sv[1], line, sizeof(line), f));
	EXPECT_STREQ("1", f[C_FAMILY]);
	EXPECT_STREQ("3000", f[C_RECVQ]);
	snprintf(want, sizeof(want), "%llu", self->uino0);
	EXPECT_STREQ(want, f[C_PEER]);

	/* An abstract name with a blank: '@', the blank as \040. */
	ASSERT_EQ(NCOLS, find_row(res.out, self->nino, self->named, line, sizeof(line), f));
	snprintf(want, sizeof(want), "@sockstat\\040cli\\040%d", getpid());
	EXPECT_STREQ(want, f[C_LOCAL]);
}

TEST_F(cli, names_unless_numeric_and_no_header_with_H)
{
	char *argv[] = { "sockstat-nl", "-H", NULL };
	char line[1024], *f[MAXF];

	ASSERT_EQ(0, run_cmd(&res, argv));
	ASSERT_EQ(0, res.status);
	EXPECT_EQ(NULL, strstr(res.out, "SK-STATE"));
	ASSERT_EQ(NCOLS, find_row(res.out, self->lino, self->lfd, line, sizeof(line), f));
	EXPECT_STREQ(self->user, f[C_USER]);
	EXPECT_STREQ("inet", f[C_FAMILY]);
	EXPECT_STREQ("stream", f[C_TYPE]);
	EXPECT_STREQ("SS_UNCONNECTED", f[C_STATE]);
	EXPECT_STREQ("LISTEN", f[C_SKSTATE]);
	ASSERT_EQ(NCOLS, find_row(res.out, self->aino, self->afd, line, sizeof(line), f));
	EXPECT_STREQ("SS_CONNECTED", f[C_STATE]);
	EXPECT_STREQ("ESTABLISHED", f[C_SKSTATE]);
}

TEST_F_TIMEOUT(cli, one_row_per_descriptor, 300)
{
	int dup_fd = dup(self->lfd);
	char *argv[] = { "sockstat-nl", "-n", "-H", NULL };
	char line[1024], *f[MAXF];

	ASSERT_LE(0, dup_fd);
	ASSERT_EQ(0, run_cmd(&res, argv));
	close(dup_fd);
	EXPECT_EQ(2, count_rows(res.out, self->lino));
	EXPECT_EQ(NCOLS, find_row(res.out, self->lino, self->lfd, line, sizeof(line), f));
	EXPECT_EQ(NCOLS, find_row(res.out, self->lino, dup_fd, line, sizeof(line), f));
}

TEST_F_TIMEOUT(cli, extended_line_has_every_other_field, 300)
{
	char *argv[] = { "sockstat-nl", "-e", "-n", "-H", "-l", NULL };
	const char *row, *ext;
	char ino[32];

	ASSERT_EQ(0, run_cmd(&res, argv));
	ASSERT_EQ(0, res.status);
	snprintf(ino, sizeof(ino), " %llu ", self->lino);
	row = strstr(res.out, ino);
	ASSERT_NE(NULL, row);
	ext = strchr(row, '\n');
	ASSERT_NE(NULL, ext);
	ASSERT_EQ('\t', ext[1]);
	EXPECT_NE(NULL, strstr(ext, " ops=inet_stream_ops "));
	EXPECT_NE(NULL, strstr(ext, " accept_max=7 "));
	EXPECT_NE(NULL, strstr(ext, " proto=TCP "));
	EXPECT_NE(NULL, strstr(ext, " cookie="));
}

/* Validate @json against Documentation/sockstat-nl.schema.json with python3-jsonschema. */
static int validate(struct __test_metadata *_metadata, const char *json, const char *extra)
{
	char path[] = "/tmp/cli_test_json_XXXXXX", script[1024];
	int fd = mkstemp(path);
	char *argv[] = { "python3", "-c", script, path, NULL };

	if (fd < 0 || write(fd, json, strlen(json)) != (ssize_t)strlen(json))
		return -1;
	close(fd);
	snprintf(script, sizeof(script),
		 "import json, sys, jsonschema\n"
		 "schema = json.load(open('Documentation/sockstat-nl.schema.json'))\n"
		 "doc = json.load(open(sys.argv[1]))\n"
		 "jsonschema.validate(doc, schema)\n"
		 "%s\n", extra);
	if (run_cmd(&res, argv))
		return -1;
	unlink(path);
	if (res.status)
		TH_LOG("python3: %s", res.err);
	return res.status;
}

TEST_F_TIMEOUT(cli, json_validates_against_schema_and_has_the_sockets, 300)
{
	char *argv[] = { "sockstat-nl", "-j", NULL };
	char check[512], *json;

	ASSERT_EQ(0, run_cmd(&res, argv));
	ASSERT_EQ(0, res.status);
	json = strdup(res.out);
	snprintf(check, sizeof(check),
		 "s = {x['inode']: x for x in doc['sockets']}\n"
		 "assert s[%llu]['sk_state'] == 10 and s[%llu]['accept_max'] == 7\n"
		 "assert s[%llu]['recv_q'] == 1300 and s[%llu]['owners'][0]['pid'] == %d\n"
		 "assert s[%llu]['unix_name'] == '@sockstat cli %d'\n",
		 self->lino, self->lino, self->aino, self->aino, getpid(),
		 self->nino, getpid());
	EXPECT_EQ(0, validate(_metadata, json, check));
	free(json);
}

/* show -j: the same document with the one socket; nothing for a missing one. */
TEST_F_TIMEOUT(cli, show_json_is_one_socket, 300)
{
	char ino[32], check[256], *json;
	char *argv[] = { "sockstat-nl", "-j", "show", ino, NULL };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	snprintf(ino, sizeof(ino), "%llu", self->lino);
	ASSERT_EQ(0, run_cmd(&res, argv));
	ASSERT_EQ(0, res.status) TH_LOG("stderr: %s", res.err);
	snprintf(check, sizeof(check),
		 "assert len(doc['sockets']) == 1 and doc['sockets'][0]['inode'] == %llu",
		 self->lino);
	json = strdup(res.out);
	EXPECT_EQ(0, validate(_metadata, json, check));
	free(json);

	snprintf(ino, sizeof(ino), "%llu", (unsigned long long)ss_inode(fd));
	close(fd);
	ASSERT_EQ(0, run_cmd(&res, argv));
	EXPECT_EQ(1, res.status);
	EXPECT_EQ(0, res.out[0]);
	EXPECT_NE(NULL, strstr(res.err, "no socket with this inode"));
}

TEST_F_TIMEOUT(cli, json_is_valid_with_no_socket, 300)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	char ino[32];
	char *argv[] = { "sockstat-nl", "-j", "--inode", ino, NULL };

	snprintf(ino, sizeof(ino), "%llu", (unsigned long long)ss_inode(fd));
	close(fd);
	ASSERT_EQ(0, run_cmd(&res, argv));
	ASSERT_EQ(0, res.status) TH_LOG("stderr: %s", res.err);
	EXPECT_STREQ("{\"schema\":1,\"sockets\":[]}\n", res.out);
	EXPECT_EQ(0, validate(_metadata, res.out, "assert doc['sockets'] == []"));
}

TEST_F_TIMEOUT(cli, summary_counts_match_the_table, 300)
{
	char *sum[] = { "sockstat-nl", "-s", "-n", "-H", NULL };
	char *tab[] = { "sockstat-nl", "-n", "-H", NULL };
	char *js[] = { "sockstat-nl", "-s", "-j", NULL };
	char *copy, *save, *l, *f[MAXF];
	unsigned long long seen[4096];
	int nseen = 0, i, listen_inet = 0, total = -1, sum_listen = -1;

	/* The table, counted by inode (a socket may have several rows). */
	ASSERT_EQ(0, run_cmd(&res, tab));
	copy = strdup(res.out);
	for (l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		unsigned long long ino;

		ASSERT_EQ(NCOLS, fields(l, f, MAXF));
		ino = strtoull(f[C_INODE], NULL, 10);
		for (i = 0; i < nseen && seen[i] != ino; i++)
			;
		if (i < nseen || nseen == 4096)
			continue;
		seen[nseen++] = ino;
		listen_inet += !strcmp(f[C_FAMILY], "2") && !strcmp(f[C_SKSTATE], "10");
	}
	free(copy);

	ASSERT_EQ(0, run_cmd(&res, sum));
	ASSERT_EQ(0, res.status) TH_LOG("stderr: %s", res.err);
	copy = strdup(res.out);
	for (l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		int n = fields(l, f, MAXF);

		if (n == 2 && !strcmp(f[1], "sockets"))
			total = atoi(f[0]);
		else if (n == 4 && !strcmp(f[0], "2") && !strcmp(f[2], "10"))
			sum_listen = atoi(f[3]);
	}
	free(copy);
	/* Each run has one socket of its own (its netlink socket): same total. */
	EXPECT_EQ(nseen, total);
	EXPECT_EQ(listen_inet, sum_listen);

	ASSERT_EQ(0, run_cmd(&res, js));
	ASSERT_EQ(0, res.status);
	copy = strdup(res.out);
	EXPECT_EQ(0, validate(_metadata, copy,
			      "assert doc['total'] == sum(c['count'] for c in doc['counts'])"));
	free(copy);
}

TEST_F_TIMEOUT(cli, filters, 300)
{
	char port[16], pid[16], ino[32], line[1024], *f[MAXF];
	char *fam[] = { "sockstat-nl", "-n", "-H", "-f", "unix", NULL };
	char *typ[] = { "sockstat-nl", "-n", "-H", "-t", "dgram", NULL };
	char *ss[] = { "sockstat-nl", "-n", "-H", "--ss-state", "connected", NULL };
	char *sk[] = { "sockstat-nl", "-n", "-H", "--sk-state", "listen,syn-sent", NULL };
	char *lst[] = { "sockstat-nl", "-n", "-H", "-l", NULL };
	char *con[] = { "sockstat-nl", "-n", "-H", "-c", NULL };
	char *prt[] = { "sockstat-nl", "-n", "-H", "-P", port, NULL };
	char *cmd[] = { "sockstat-nl", "-n", "-H", "-C", "cli_test", NULL };
	char *nocmd[] = { "sockstat-nl", "-n", "-H", "-C", "nosuchcommand", NULL };
	char *pidf[] = { "sockstat-nl", "-n", "-H", "-p", pid, NULL };
	char *inof[] = { "sockstat-nl", "-n", "-H", "--inode", ino, NULL };
	struct { char **argv; int col; const char *want; unsigned long long has, hasnt; } c[] = {
		{ fam, C_FAMILY, "1", self->uino, self->lino },
		{ typ, C_TYPE, "2", self->nino, self->lino },
		{ ss, C_STATE, "3", self->aino, self->lino },
		{ sk, C_SKSTATE, "10", self->lino, self->aino },
		{ lst, C_SKSTATE, "10", self->lino, self->cino },
		{ con, C_SKSTATE, "1", self->cino, self->lino },
		{ prt, -1, NULL, self->lino, self->uino },
		{ cmd, C_COMM, "cli_test", self->lino, 0 },
		{ pidf, C_PID, pid, self->aino, 0 },
		{ inof, C_INODE, ino, self->lino, self->aino },
	};
	unsigned int i;

	snprintf(port, sizeof(port), "%u", self->port);
	snprintf(pid, sizeof(pid), "%d", getpid());
	snprintf(ino, sizeof(ino), "%llu", self->lino);
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char *copy, *save, *l;

		ASSERT_EQ(0, run_cmd(&res, c[i].argv));
		ASSERT_EQ(0, res.status) TH_LOG("%s: %s", c[i].argv[4], res.err);
		EXPECT_NE(0, find_row(res.out, c[i].has, -1, line, sizeof(line), f))
			TH_LOG("%s %s: %llu missing", c[i].argv[3], c[i].argv[4], c[i].has);
		if (c[i].hasnt) {
			EXPECT_EQ(0, find_row(res.out, c[i].hasnt, -1, line, sizeof(line), f))
				TH_LOG("%s %s: %llu shown", c[i].argv[3], c[i].argv[4], c[i].hasnt);
		}
		copy = strdup(res.out);
		for (l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			ASSERT_EQ(NCOLS, fields(l, f, MAXF));
			if (c[i].col >= 0) {
				EXPECT_STREQ(c[i].want, f[c[i].col]);
			} else {	/* the port: local or peer */
				EXPECT_TRUE(strstr(f[C_LOCAL], port) || strstr(f[C_PEER], port));
			}
		}
		free(copy);
	}
	ASSERT_EQ(0, run_cmd(&res, nocmd));
	EXPECT_EQ(0, res.status);
	EXPECT_EQ(0, res.out[0]);
}

/* -p selects a process's sockets and shows that process's descriptors only. */
TEST_F_TIMEOUT(cli, pid_filter_shows_the_child, 300)
{
	char pid[16], line[1024], *f[MAXF];
	char *argv[] = { "sockstat-nl", "-n", "-H", "-p", pid, NULL };
	int ready[2];
	pid_t child;
	char c;

	ASSERT_EQ(0, pipe(ready));
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		close(ready[0]);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	snprintf(pid, sizeof(pid), "%d", child);
	ASSERT_EQ(0, run_cmd(&res, argv));
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	close(ready[0]);
	/* The child inherited every socket: the rows are the child's, not ours. */
	ASSERT_NE(0, find_row(res.out, self->lino, self->lfd, line, sizeof(line), f));
	EXPECT_EQ(child, atoi(f[C_PID]));
	EXPECT_EQ(1, count_rows(res.out, self->lino));
}

TEST_F_TIMEOUT(cli, show_lays_out_file_socket_sock_family_owners, 300)
{
	char ino[32], want[128];
	char *argv[] = { "sockstat-nl", "show", ino, NULL };
	const char *order[] = { "struct file", "file->f_flags", "struct socket",
				"sock->state", "sock->ops", "struct sock",
				"sk->sk_state", "sk->sk_max_ack_backlog", "inet part",
				"inet->inet_sport", "descriptors", "waiters" };
	const char *p;
	unsigned int i;

	snprintf(ino, sizeof(ino), "%llu", self->lino);
	ASSERT_EQ(0, run_cmd(&res, argv));
	ASSERT_EQ(0, res.status) TH_LOG("stderr: %s", res.err);
	p = res.out;
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const char *q = strstr(p, order[i]);

		EXPECT_NE(NULL, q) TH_LOG("'%s' missing or out of order", order[i]);
		if (q)
			p = q;
	}
	EXPECT_NE(NULL, strstr(res.out, "SS_UNCONNECTED (1)"));
	EXPECT_NE(NULL, strstr(res.out, "LISTEN (10)"));
	EXPECT_NE(NULL, strstr(res.out, "inet_stream_ops"));
	snprintf(want, sizeof(want), "pid %d fd %d", getpid(), self->lfd);
	EXPECT_NE(NULL, strstr(res.out, want));
	snprintf(want, sizeof(want), "%u\n", self->port);
	EXPECT_NE(NULL, strstr(res.out, want));
}

TEST_F_TIMEOUT(cli, show_missing_inode_prints_kernel_message, 300)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	char ino[32];
	char *argv[] = { "sockstat-nl", "show", ino, NULL };

	snprintf(ino, sizeof(ino), "%llu", (unsigned long long)ss_inode(fd));
	close(fd);
	ASSERT_EQ(0, run_cmd(&res, argv));
	EXPECT_EQ(1, res.status);
	EXPECT_EQ(0, res.out[0]);
	EXPECT_EQ(1, count_lines(res.err));
	EXPECT_NE(NULL, strstr(res.err, "no socket with this inode")) TH_LOG("stderr: %s", res.err);
}

/*
 * watch sees a non-blocking connect complete: the listener's accept queue
 * (backlog 0) is full, so the kernel drops the second client's SYN and it
 * stays SYN_SENT / SS_CONNECTING until we accept the first and its SYN is
 * sent again (after about a second).  sk_state turns ESTABLISHED then;
 * socket->state only when the program calls connect() again.  With
 * --poll (dumps only): the events arm kprobes, which this guest's
 * multi-threaded TCG cannot take; watch_test checks watch with events.
 */
TEST_F_TIMEOUT(cli, watch_sees_a_connect_complete, 300)
{
	char *argv[] = { "sockstat-nl", "watch", "--poll", "-n", "-i", "0.2", "-f", "inet", NULL };
	int out, l, first, acc, second = -1, status, got = 0;
	char buf[65536], want[128], *sk, *ss;
	unsigned long long ino;
	struct pollfd p;
	pid_t w;

	w = cmd_start(argv, &out, NULL);
	ASSERT_LE(0, w);
	p.fd = out;
	p.events = POLLIN;
	ASSERT_EQ(1, poll(&p, 1, 10000));	/* "watching N sockets" */
	got = read(out, buf, sizeof(buf) - 1);
	ASSERT_LT(0, got);

	l = tcp_listener(0);
	ASSERT_LE(0, l);
	first = tcp_connect(port_of(l), 0);
	ASSERT_LE(0, first);
	second = tcp_connect(port_of(l), 1);
	ASSERT_LE(0, second);
	ino = ss_inode(second);
	usleep(600000);
	acc = accept(l, NULL, NULL);
	ASSERT_LE(0, acc);
	/* Until the handshake completes (the SYN is sent again at ~1 s, ~3 s). */
	p.fd = second;
	p.events = POLLOUT;
	ASSERT_EQ(1, poll(&p, 1, 10000));
	usleep(600000);
	/*
	 * The kernel finished the handshake (sk_state ESTABLISHED) without
	 * touching socket->state: it stays SS_CONNECTING until the program
	 * calls connect() again, which then returns 0 and sets SS_CONNECTED.
	 */
	ASSERT_EQ(0, connect(second, (struct sockaddr *)&(struct sockaddr_in){
		.sin_family = AF_INET, .sin_port = htons(port_of(l)),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK) }, sizeof(struct sockaddr_in)));
	usleep(600000);
	status = cmd_end(w, SIGINT, out, buf, sizeof(buf), &got);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("watch did not quit cleanly on SIGINT: status %d", status);

	snprintf(want, sizeof(want), " new    %-10llu 2 1 2 2 ", ino);
	EXPECT_NE(NULL, strstr(buf, want)) TH_LOG("no '%s' in:\n%s", want, buf);
	snprintf(want, sizeof(want), " state  %-10llu 2 -> 1\n", ino);	/* SYN_SENT -> ESTABLISHED */
	sk = strstr(buf, want);
	EXPECT_NE(NULL, sk) TH_LOG("no '%s' in:\n%s", want, buf);
	snprintf(want, sizeof(want), " state  %-10llu 2 -> 3\n", ino);	/* SS_CONNECTING -> SS_CONNECTED */
	ss = strstr(buf, want);
	EXPECT_NE(NULL, ss) TH_LOG("no '%s' in:\n%s", want, buf);
	EXPECT_LT(sk, ss) TH_LOG("socket->state changed before sk_state:\n%s", buf);
	close(first);
	close(second);
	close(acc);
	close(l);
}

/* Rows of @text not printed about sockstat-nl's own sockets. */
static char *without_self(const char *text)
{
	char *copy = strdup(text), *keep = calloc(1, strlen(text) + 1), *save, *l;

	for (l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (strstr(l, " sockstat-nl "))
			continue;
		strcat(keep, l);
		strcat(keep, "\n");
	}
	free(copy);
	return keep;
}

TEST_F_TIMEOUT(cli, proc_source_prints_the_same_rows, 300)
{
	char *nl[] = { "sockstat-nl", NULL, NULL };
	char *pr[] = { "sockstat-nl", "--source", "proc", NULL, NULL };
	const char *modes[] = { "-n", "-H" };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		char *a, *b;

		nl[1] = (char *)modes[i];
		pr[3] = (char *)modes[i];
		ASSERT_EQ(0, run_cmd(&res, nl));
		ASSERT_EQ(0, res.status);
		a = without_self(res.out);
		ASSERT_EQ(0, run_cmd(&res, pr));
		ASSERT_EQ(0, res.status) TH_LOG("stderr: %s", res.err);
		b = without_self(res.out);
		EXPECT_STREQ(a, b);
		EXPECT_LE(5, count_lines(b));
		free(a);
		free(b);
	}
}

/*
 * "sockstat-nl -l" on a pseudo-terminal of @cols columns (0: the default),
 * with NO_COLOR set or not; its output in @buf.  The exit status, or -1.
 */
static int run_on_pty(char *buf, size_t len, unsigned short cols, int no_color)
{
	struct winsize ws = { .ws_row = 50, .ws_col = cols };
	int master, status, got = 0, n;
	pid_t pid = forkpty(&master, NULL, NULL, cols ? &ws : NULL);

	if (pid < 0)
		return -1;
	if (!pid) {
		if (no_color)
			setenv("NO_COLOR", "1", 1);
		else
			unsetenv("NO_COLOR");
		execlp("sockstat-nl", "sockstat-nl", "-l", NULL);
		_exit(127);
	}
	while (got < (int)len - 1 && (n = read(master, buf + got, len - 1 - got)) > 0)
		got += n;
	buf[got] = 0;
	close(master);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Colour on a terminal only, never with NO_COLOR. */
TEST_F_TIMEOUT(cli, colour_only_on_a_terminal, 300)
{
	char buf[65536];
	int i;

	for (i = 0; i < 2; i++) {
		EXPECT_EQ(0, run_on_pty(buf, sizeof(buf), 0, i));
		EXPECT_NE(NULL, strstr(buf, "LISTEN"));
		if (i) {
			EXPECT_EQ(NULL, strchr(buf, '\033'));
		} else {
			EXPECT_NE(NULL, strstr(buf, "\033[32mLISTEN"));
		}
	}
}

/* On a terminal, LOCAL and PEER share the width the other columns leave. */
TEST_F_TIMEOUT(cli, columns_sized_to_the_terminal, 300)
{
	int cols[2] = { 80, 200 }, gap[2], i;

	for (i = 0; i < 2; i++) {
		char buf[65536], *local, *peer, *eol;

		EXPECT_EQ(0, run_on_pty(buf, sizeof(buf), cols[i], 1));
		local = strstr(buf, "LOCAL");
		peer = strstr(buf, "PEER");
		eol = strchr(buf, '\r');
		ASSERT_TRUE(local && peer && eol);
		gap[i] = peer - local;
		if (i) {
			EXPECT_GE(cols[i], eol - buf) TH_LOG("header longer than the terminal");
		}
	}
	EXPECT_EQ(22, gap[0]);		/* too narrow: LOCAL keeps its minimum */
	EXPECT_LT(gap[0], gap[1]);	/* wide: LOCAL grows */
}

TEST_F_TIMEOUT(cli, usage_errors_are_one_line_and_exit_2, 300)
{
	char *bad[][6] = {
		{ "sockstat-nl", "-f", "nosuch" },
		{ "sockstat-nl", "-t", "nosuch" },
		{ "sockstat-nl", "--ss-state", "listen" },
		{ "sockstat-nl", "--sk-state", "connected" },
		{ "sockstat-nl", "-P", "0" },
		{ "sockstat-nl", "-P", "65536" },
		{ "sockstat-nl", "-p", "-3" },
		{ "sockstat-nl", "--inode", "12x" },
		{ "sockstat-nl", "-N", "nosuch" },
		{ "sockstat-nl", "-i", "0" },
		{ "sockstat-nl", "-C", "a-command-name-too-long" },
		{ "sockstat-nl", "--source", "nosuch" },
		{ "sockstat-nl", "show", "12x" },
		{ "sockstat-nl", "nosuch" },
		{ "sockstat-nl", "--sk-state", "established", "-l" },
		{ "sockstat-nl", "-s", "-P", "80" },
		{ "sockstat-nl", "-j", "--source", "proc" },
		{ "sockstat-nl", "--nofd", "nosuch" },
		{ "sockstat-nl", "-a", "watch" },
		{ "sockstat-nl", "-a", "--source", "proc" },
		{ "sockstat-nl", "-a", "-p", "1" },
		{ "sockstat-nl", "show", "cookie:x" },
		{ "sockstat-nl", "--nosuch" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ASSERT_EQ(0, run_cmd(&res, bad[i]));
		EXPECT_EQ(2, res.status) TH_LOG("%s %s", bad[i][1], bad[i][2]);
		EXPECT_EQ(0, res.out[0]);
		if (strcmp(bad[i][1], "--nosuch")) {	/* getopt's own line, then usage */
			EXPECT_EQ(1, count_lines(res.err)) TH_LOG("%s", res.err);
		}
		EXPECT_EQ(0, strncmp(res.err, "sockstat-nl: ", 13)) TH_LOG("%s", res.err);
	}
}

/*
 * Fork a child that is nobody (uid and gid 65534, no groups), with a pipe
 * from it: its write end @p[1] in the child, the read end @p[0] in the
 * parent.  0 in the child, its pid in the parent, -1.
 */
static pid_t fork_nobody(int p[2])
{
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (!pid) {
		close(p[0]);
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(126);
		return 0;
	}
	close(p[1]);
	return pid;
}

/* Run sockstat-nl with @argv as nobody; its stderr in @err.  The exit status, or -1. */
static int run_as_nobody(char *const argv[], char *err, size_t len)
{
	int p[2], status, n;
	pid_t pid = fork_nobody(p);

	if (pid < 0)
		return -1;
	if (!pid) {
		dup2(p[1], 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	n = read(p[0], err, len - 1);
	err[n > 0 ? n : 0] = 0;
	close(p[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Another namespace needs CAP_NET_ADMIN: exit 4 and the kernel's reason. */
TEST_F_TIMEOUT(cli, permission_denied_exits_4, 300)
{
	char *argv[] = { "sockstat-nl", "-s", "-N", "all", NULL };
	char buf[1024];

	EXPECT_EQ(4, run_as_nobody(argv, buf, sizeof(buf))) TH_LOG("stderr: %s", buf);
	EXPECT_EQ(1, count_lines(buf));
	EXPECT_NE(NULL, strstr(buf, "CAP_NET_ADMIN")) TH_LOG("stderr: %s", buf);
}

TEST_F_TIMEOUT(cli, version_names_module, 300)
{
	char *argv[] = { "sockstat-nl", "--version", NULL };
	char ver[64] = "", want[96];
	FILE *f = fopen("/sys/module/sockstat/version", "r");

	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(ver, sizeof(ver), f));
	fclose(f);
	ver[strcspn(ver, "\n")] = 0;
	ASSERT_EQ(0, run_cmd(&res, argv));
	EXPECT_EQ(0, res.status);
	snprintf(want, sizeof(want), "sockstat module %s\n", ver);
	EXPECT_NE(NULL, strstr(res.out, want));
}

/* Every long option of --help is in the manual page. */
TEST_F_TIMEOUT(cli, man_page_documents_every_option, 300)
{
	char *argv[] = { "sockstat-nl", "--help", NULL };
	char man[65536], *p;
	FILE *f = fopen("Documentation/man/sockstat-nl.8.rst", "r");
	size_t n;
	int options = 0;

	ASSERT_NE(NULL, f);
	n = fread(man, 1, sizeof(man) - 1, f);
	man[n] = 0;
	fclose(f);
	ASSERT_EQ(0, run_cmd(&res, argv));
	ASSERT_EQ(0, res.status);
	for (p = strstr(res.out, "--"); p; p = strstr(p + 2, "--")) {
		char opt[32];

		if (sscanf(p, "%31[-a-z]", opt) != 1 || strlen(opt) < 4)
			continue;
		options++;
		EXPECT_NE(NULL, strstr(man, opt)) TH_LOG("the man page lacks %s", opt);
	}
	EXPECT_LE(19, options);
	EXPECT_NE(NULL, strstr(man, "EXAMPLES"));
	EXPECT_NE(NULL, strstr(man, "show"));
	EXPECT_NE(NULL, strstr(man, "watch"));
}

static void inet_str(char *buf, size_t len, int fd, int peer)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	char ip[INET_ADDRSTRLEN];

	if ((peer ? getpeername : getsockname)(fd, (struct sockaddr *)&a, &alen))
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%s:%u", inet_ntop(AF_INET, &a.sin_addr, ip, sizeof(ip)),
			 ntohs(a.sin_port));
}

/*
 * watch's other events, and SIGTERM.  A UDP socket is made (new), bound
 * and then connected (addr, twice: the ends getsockname() and
 * getpeername() give, from those the event before had); the accepted
 * socket's receive queue grows and shrinks by what SIOCINQ says (queue);
 * the UDP socket is closed (close, with the ends it had).  SIGTERM ends
 * watch with status 0, nothing on stderr, its output ending with a
 * complete line: every event was flushed as it was found.  --poll, as
 * above.
 */
TEST_F_TIMEOUT(cli, watch_reports_addr_queue_and_close_and_ends_on_sigterm, 300)
{
	struct sockaddr_in lo = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int out, err, status, got = 0, u, r, inq, inq2, outq;
	static char buf[65536], errbuf[4096];
	char want[512], pid[16], local[64], peer[64], old_local[64], old_peer[64], *f[MAXF], line[512];
	char *argv[] = { "sockstat-nl", "watch", "--poll", "-n", "-i", "0.2", "-p", pid, NULL };
	unsigned long long ino;
	const char *ev;
	pid_t w;

/* The watch's output has this line, within 10 s. */
#define EXPECT_EVENT(...) do {							\
	snprintf(want, sizeof(want), __VA_ARGS__);				\
	EXPECT_NE(NULL, cmd_wait_for(out, buf, sizeof(buf), &got, want, 10000))	\
		TH_LOG("no '%s' in:\n%s", want, buf);				\
} while (0)

	r = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_EQ(0, bind(r, (struct sockaddr *)&lo, sizeof(lo)));
	snprintf(pid, sizeof(pid), "%d", getpid());
	w = cmd_start(argv, &out, &err);
	ASSERT_LE(0, w);
	ASSERT_NE(NULL, cmd_wait_for(out, buf, sizeof(buf), &got, " watching ", 20000));

	u = socket(AF_INET, SOCK_DGRAM, 0);
	ino = ss_inode(u);
	snprintf(want, sizeof(want), " new    %-10llu ", ino);
	ev = cmd_wait_for(out, buf, sizeof(buf), &got, want, 10000);
	ASSERT_NE(NULL, ev) TH_LOG("no '%s' in:\n%s", want, buf);
	/* "TIME new INODE FAMILY TYPE STATE SK-STATE LOCAL -> PEER WHO" */
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(ev + 1, "\n"), ev + 1);
	ASSERT_EQ(10, fields(line, f, MAXF));
	snprintf(old_local, sizeof(old_local), "%s", f[6]);
	snprintf(old_peer, sizeof(old_peer), "%s", f[8]);
	snprintf(want, sizeof(want), "cli_test/%d", getpid());
	EXPECT_STREQ(want, f[9]);

	ASSERT_EQ(0, bind(u, (struct sockaddr *)&lo, sizeof(lo)));
	inet_str(local, sizeof(local), u, 0);
	EXPECT_EVENT(" addr   %-10llu %s %s -> %s %s\n", ino, old_local, old_peer,
		 local, old_peer);

	{
		struct sockaddr_in to;
		socklen_t len = sizeof(to);

		ASSERT_EQ(0, getsockname(r, (struct sockaddr *)&to, &len));
		ASSERT_EQ(0, connect(u, (struct sockaddr *)&to, sizeof(to)));
	}
	inet_str(peer, sizeof(peer), u, 1);
	EXPECT_EVENT(" addr   %-10llu %s %s -> %s %s\n", ino, local, old_peer,
		 local, peer);

	/* The accepted socket's queue: 700 more bytes, then 500 read. */
	ASSERT_EQ(0, ioctl(self->afd, SIOCINQ, &inq));
	ASSERT_EQ(0, ioctl(self->afd, SIOCOUTQ, &outq));
	ASSERT_EQ(700, write(self->cfd, buf, 700));
	usleep(100000);
	ASSERT_EQ(0, ioctl(self->afd, SIOCINQ, &inq2));
	EXPECT_EQ(inq + 700, inq2);
	EXPECT_EVENT(" queue  %-10llu recv-q %d -> %d, send-q %d -> %d\n",
		 self->aino, inq, inq2, outq, outq);
	ASSERT_EQ(500, read(self->afd, errbuf, 500));
	ASSERT_EQ(0, ioctl(self->afd, SIOCINQ, &inq));
	EXPECT_EVENT(" queue  %-10llu recv-q %d -> %d, send-q %d -> %d\n",
		 self->aino, inq2, inq, outq, outq);

	close(u);
	snprintf(want, sizeof(want), " close  %-10llu ", ino);
	ev = cmd_wait_for(out, buf, sizeof(buf), &got, want, 10000);
	ASSERT_NE(NULL, ev) TH_LOG("no '%s' in:\n%s", want, buf);
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(ev + 1, "\n"), ev + 1);
	ASSERT_EQ(10, fields(line, f, MAXF));
	EXPECT_STREQ(local, f[6]);
	EXPECT_STREQ(peer, f[8]);

	/* SIGTERM: the end of the output, then the status. */
	status = cmd_end(w, SIGTERM, out, buf, sizeof(buf), &got);
	inq = read(err, errbuf, sizeof(errbuf) - 1);
	errbuf[inq > 0 ? inq : 0] = 0;
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("watch did not end cleanly on SIGTERM: status 0x%x", status);
	EXPECT_STREQ("", errbuf);
	ASSERT_LT(0, got);
	EXPECT_EQ('\n', buf[got - 1]);
	close(err);
	close(r);
#undef EXPECT_EVENT
}

/* The extended ACK message of a GET dump of every namespace, asked as nobody ("" none). */
static int kernel_refusal_as_nobody(char *msg, size_t len)
{
	int p[2];
	pid_t pid = fork_nobody(p);
	struct {
		int err;
		char extack[512];
	} r = { 0 };

	if (pid < 0)
		return -1;
	if (!pid) {
		struct ssnl nl;
		struct ssnl_req req;
		uint32_t all = 0;

		if (ssnl_open(&nl))
			_exit(126);
		ssnl_req_init(&req, SOCKSTAT_CMD_GET);
		ssnl_put(&req, SOCKSTAT_A_SOCK_NETNS, &all, sizeof(all));
		r.err = ssnl_request(&nl, &req, NLM_F_DUMP, 32768, NULL, NULL);
		memcpy(r.extack, nl.extack, sizeof(r.extack));
		_exit(write(p[1], &r, sizeof(r)) == sizeof(r) ? 0 : 1);
	}
	if (read(p[0], &r, sizeof(r)) != sizeof(r))
		r.err = 1;
	close(p[0]);
	waitpid(pid, NULL, 0);
	snprintf(msg, len, "%s", r.extack);
	return r.err;
}

/* The number after every "key": in JSON @text, distinct, into @v; how many. */
static int json_numbers(const char *text, const char *key, unsigned long long *v, int max)
{
	size_t kl = strlen(key);
	const char *p;
	int n = 0, i;

	for (p = strstr(text, key); p; p = strstr(p + kl, key)) {
		unsigned long long x = strtoull(p + kl, NULL, 10);

		for (i = 0; i < n && v[i] != x; i++)
			;
		if (i == n && n < max)
			v[n++] = x;
	}
	return n;
}

/* The total of "sockstat-nl -s" output @text ("N sockets"), or -1. */
static long summary_total(const char *text)
{
	const char *p = strstr(text, " sockets\n");

	while (p && p > text && p[-1] >= '0' && p[-1] <= '9')
		p--;
	return p ? strtol(p, NULL, 10) : -1;
}

/*
 * -N all: the sockets of every network namespace.  A child in a new one
 * holds a UDP and a TCP socket: without -N only this namespace's are
 * shown, with -N all both, the child's with the child as owner, with -N
 * and the child's namespace (stat -L /proc/CHILD/ns/net) only the
 * child's.  -s -N all counts the sum of -s -N NS over the namespaces
 * -N all -j names.  As nobody, -N all is refused: exit 4, one line, with
 * the kernel's own message when it gives one (a GET dump the test sends
 * itself as nobody tells; 6.1 gives none for a dump) or else the errno's.
 */
TEST_F_TIMEOUT(cli, netns_all_shows_and_counts_every_namespace, 300)
{
	static struct cmd_result js;
	char ns[32], line[1024], *f[MAXF], msg[512], err[1024], want[1024];
	char *plain[] = { "sockstat-nl", "-n", "-H", NULL };
	char *all[] = { "sockstat-nl", "-N", "all", "-n", "-H", NULL };
	char *only[] = { "sockstat-nl", "-N", ns, "-n", "-H", NULL };
	char *alljs[] = { "sockstat-nl", "-N", "all", "-j", NULL };
	char *sall[] = { "sockstat-nl", "-s", "-N", "all", "-n", "-H", NULL };
	char *sone[] = { "sockstat-nl", "-s", "-N", ns, "-n", "-H", NULL };
	char *nobody[] = { "sockstat-nl", "-N", "all", NULL };
	unsigned long long inos[2], nets[16];
	long total, sum = 0;
	int report[2], i, n, rc;
	struct stat st;
	pid_t child;
	char path[64];

	ASSERT_EQ(0, pipe(report));
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		int u, t;

		/* Gone with the test, whatever way it ends (it shares tee's pipe). */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (unshare(CLONE_NEWNET))
			_exit(1);
		u = socket(AF_INET, SOCK_DGRAM, 0);
		t = socket(AF_INET6, SOCK_STREAM, 0);
		inos[0] = ss_inode(u);
		inos[1] = ss_inode(t);
		if (write(report[1], inos, sizeof(inos)) != sizeof(inos))
			_exit(1);
		pause();
		_exit(0);
	}
	close(report[1]);
	ASSERT_EQ(sizeof(inos), read(report[0], inos, sizeof(inos)));
	close(report[0]);
	snprintf(path, sizeof(path), "/proc/%d/ns/net", child);
	ASSERT_EQ(0, stat(path, &st));
	snprintf(ns, sizeof(ns), "%llu", (unsigned long long)st.st_ino);

	ASSERT_EQ(0, run_cmd(&res, plain));
	ASSERT_EQ(0, res.status);
	EXPECT_NE(0, find_row(res.out, self->lino, self->lfd, line, sizeof(line), f));
	for (i = 0; i < 2; i++)
		EXPECT_EQ(0, count_rows(res.out, inos[i]));

	ASSERT_EQ(0, run_cmd(&res, all));
	ASSERT_EQ(0, res.status) TH_LOG("%s", res.err);
	EXPECT_NE(0, find_row(res.out, self->lino, self->lfd, line, sizeof(line), f));
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(1, count_rows(res.out, inos[i]));
		ASSERT_EQ(NCOLS, find_row(res.out, inos[i], -1, line, sizeof(line), f));
		EXPECT_EQ(child, atoi(f[C_PID]));
	}

	ASSERT_EQ(0, run_cmd(&res, only));
	ASSERT_EQ(0, res.status) TH_LOG("%s", res.err);
	EXPECT_EQ(0, count_rows(res.out, self->lino));
	for (i = 0; i < 2; i++)
		EXPECT_EQ(1, count_rows(res.out, inos[i]));
	EXPECT_EQ(2, count_lines(res.out));

	/* The counts of all, and of each namespace. */
	ASSERT_EQ(0, run_cmd(&js, alljs));
	ASSERT_EQ(0, js.status);
	n = json_numbers(js.out, "\"netns\":", nets, 16);
	EXPECT_LE(2, n);
	ASSERT_EQ(0, run_cmd(&res, sall));
	ASSERT_EQ(0, res.status) TH_LOG("%s", res.err);
	total = summary_total(res.out);
	for (i = 0; i < n; i++) {
		snprintf(ns, sizeof(ns), "%llu", nets[i]);
		ASSERT_EQ(0, run_cmd(&res, sone));
		ASSERT_EQ(0, res.status) TH_LOG("%s", res.err);
		sum += summary_total(res.out);
	}
	EXPECT_LT(0, total);
	EXPECT_EQ(total, sum) TH_LOG("%d namespaces", n);

	rc = kernel_refusal_as_nobody(msg, sizeof(msg));
	EXPECT_EQ(-EPERM, rc);
	EXPECT_EQ(4, run_as_nobody(nobody, err, sizeof(err)));
	snprintf(want, sizeof(want), "sockstat-nl: dump: %s\n", msg[0] ? msg : strerror(EPERM));
	EXPECT_STREQ(want, err);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

/* Every socket of a dump of this namespace, taken by the test itself. */
struct dumped {
	int n;
	struct ss_sock s[1024];
};

static int dumped_cb(const struct ss_sock *s, void *arg)
{
	struct dumped *d = arg;

	if (d->n < (int)(sizeof(d->s) / sizeof(d->s[0])))
		d->s[d->n++] = *s;
	return 0;
}

static int dump_all(struct ssnl *nl, struct dumped *d)
{
	struct ssnl_req r;

	d->n = 0;
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	return ssnl_request(nl, &r, NLM_F_DUMP, 32768, dumped_cb, d);
}

/* A filter of the command line, as the test applies it to its dump. */
struct sel {
	char *args[6];
	int family, type;
	uint32_t ss, sk;
	int pid, port;
	uint64_t ino;
	const char *comm;
};

static int sel_match(const struct sel *c, const struct ss_sock *s)
{
	int i, own = 0;

	if ((c->family && s->family != c->family) || (c->type && s->type != c->type) ||
	    (c->ss && !(c->ss & (1u << s->ss_state))) ||
	    (c->sk && (s->sk_state > 31 || !(c->sk & (1u << s->sk_state)))) ||
	    (c->ino && s->ino != c->ino))
		return 0;
	if (c->port && !((s->family == AF_INET || s->family == AF_INET6) &&
			 (s->v[SOCKSTAT_A_SOCK_LOCAL_PORT] == (uint64_t)c->port ||
			  s->v[SOCKSTAT_A_SOCK_PEER_PORT] == (uint64_t)c->port)))
		return 0;
	if (!c->pid && !c->comm)
		return 1;
	for (i = 0; i < s->nowners; i++)
		own |= (!c->pid || (int)s->owners[i].pid == c->pid) &&
		       (!c->comm || !strcmp(s->owners[i].comm, c->comm));
	return own;
}

/* The filters both tests below try, on the fixture's sockets and a child's. */
static int make_sels(struct sel *c, int max, pid_t child, const char *pid, const char *port,
		     const char *ino, const FIXTURE_DATA(cli) *self)
{
	struct sel all[] = {
		{ { "-f", "unix" }, .family = AF_UNIX },
		{ { "-t", "dgram" }, .type = SOCK_DGRAM },
		{ { "--ss-state", "connected" }, .ss = 1u << SS_CONNECTED },
		{ { "--sk-state", "listen,established" }, .sk = 1u << TCP_LISTEN | 1u << TCP_ESTABLISHED },
		{ { "-p", (char *)pid }, .pid = child },
		{ { "-f", "inet", "-t", "stream", "-c" }, .family = AF_INET, .type = SOCK_STREAM,
		  .sk = 1u << TCP_ESTABLISHED },
		{ { "-f", "inet6", "-l", "-p", (char *)pid }, .family = AF_INET6,
		  .sk = 1u << TCP_LISTEN, .pid = child },
		{ { "--inode", (char *)ino }, .ino = self->lino },
		/* Not the kernel's: --source proc only. */
		{ { "-P", (char *)port }, .port = self->port },
		{ { "-C", "cli_test" }, .comm = "cli_test" },
	};
	int n = sizeof(all) / sizeof(all[0]);

	memcpy(c, all, (n < max ? n : max) * sizeof(*c));
	return n < max ? n : max;
}

/* A child that holds a UDP, an AF_UNIX and a TCPv6 listening socket, paused; its pid. */
static pid_t holder_child(void)
{
	int ready[2];
	pid_t child;
	char c;

	if (pipe(ready))
		return -1;
	child = fork();
	if (!child) {
		int keep[3] = { socket(AF_INET, SOCK_DGRAM, 0), socket(AF_UNIX, SOCK_DGRAM, 0),
				socket(AF_INET6, SOCK_STREAM, 0) };

		prctl(PR_SET_NAME, "cli-holder");
		prctl(PR_SET_PDEATHSIG, SIGKILL);	/* gone with the test */
		if (listen(keep[2], 1) || write(ready[1], keep, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	if (child < 0 || read(ready[0], &c, 1) != 1)
		child = -1;
	close(ready[0]);
	return child;
}

/* What the two tests below start from: a child's sockets, the test's dump, the filters. */
struct sel_run {
	struct dumped d;
	struct sel c[16];
	int n;
	pid_t child;
	char pid[16], port[16], ino[32];
	struct ssnl nl;
};

static int sel_run_start(struct sel_run *r, const FIXTURE_DATA(cli) *self)
{
	r->child = holder_child();
	if (r->child < 0)
		return -1;
	snprintf(r->pid, sizeof(r->pid), "%d", r->child);
	snprintf(r->port, sizeof(r->port), "%u", self->port);
	snprintf(r->ino, sizeof(r->ino), "%llu", self->lino);
	r->n = make_sels(r->c, 16, r->child, r->pid, r->port, r->ino, self);
	/* The test's netlink socket stays open while sockstat-nl runs. */
	return ssnl_open(&r->nl) ?: dump_all(&r->nl, &r->d);
}

static void sel_run_end(struct sel_run *r)
{
	ssnl_close(&r->nl);
	kill(r->child, SIGKILL);
	waitpid(r->child, NULL, 0);
}

/* sockstat-nl with @nbase arguments, then those of filter @c, into res. */
static int run_sel(const struct sel *c, char *const *base, int nbase)
{
	char *argv[16];
	int a, k;

	for (a = 0; a < nbase; a++)
		argv[a] = base[a];
	for (k = 0; k < 6 && c->args[k]; k++)
		argv[a++] = c->args[k];
	argv[a] = NULL;
	return run_cmd(&res, argv);
}

/*
 * -s with each kernel filter (and the combination -f inet -t stream -c)
 * counts what the test's own dump holds once the test applies the filter:
 * the same count for each (family, SS_* state, sk_state), the same total.
 * The dump is taken with the test's netlink socket open, as it stays
 * while sockstat-nl runs; sockstat-nl's own netlink socket (AF_NETLINK,
 * SOCK_RAW, unconnected, CLOSE, held by sockstat-nl) is counted by -s
 * where the filter lets it through, and by the test the same way.
 */
TEST_F_TIMEOUT(cli, summary_with_each_filter_counts_what_the_dump_holds, 300)
{
	char *const base[] = { "sockstat-nl", "-s", "-n", "-H" };
	struct sel_run *r = malloc(sizeof(*r));
	struct dumped *d;
	int n, i, j;

	ASSERT_NE(NULL, r);
	ASSERT_EQ(0, sel_run_start(r, self));
	d = &r->d;
	/* -C and -P are not the kernel's: -s refuses them. */
	n = r->n - 2;
	/* sockstat-nl's own socket, as the kernel will see it. */
	ASSERT_GT(1024, d->n);
	d->s[d->n] = (struct ss_sock){ .family = AF_NETLINK, .type = SOCK_RAW,
				       .ss_state = SS_UNCONNECTED, .sk_state = TCP_CLOSE };
	d->n++;
	for (i = 0; i < n; i++) {
		const struct sel *c = &r->c[i];
		char *copy, *save, *l, *f[MAXF];
		int want_total = 0, entries = 0;

		ASSERT_EQ(0, run_sel(c, base, 4));
		ASSERT_EQ(0, res.status) TH_LOG("-s %s: %s", c->args[0], res.err);
		for (j = 0; j < d->n; j++)
			want_total += sel_match(c, &d->s[j]);
		EXPECT_EQ(want_total, summary_total(res.out)) TH_LOG("-s %s %s", c->args[0],
								       c->args[1] ?: "");
		/* Each line: the count of its combination in the dump. */
		copy = strdup(res.out);
		for (l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			int want = 0;

			if (fields(l, f, MAXF) != 4)
				continue;
			entries++;
			for (j = 0; j < d->n; j++)
				want += sel_match(c, &d->s[j]) && d->s[j].family == atoi(f[0]) &&
					d->s[j].ss_state == atoi(f[1]) && d->s[j].sk_state == atoi(f[2]);
			EXPECT_EQ(want, atoi(f[3])) TH_LOG("-s %s %s: %s", c->args[0],
							   c->args[1] ?: "", l);
		}
		free(copy);
		EXPECT_EQ(!!want_total, !!entries);
	}
	sel_run_end(r);
	free(r);
}

/*
 * --source proc with each filter (and a combination) shows the sockets of
 * the test's own dump that the filter lets through (the test applies it
 * itself): the same inodes, and one row per descriptor of the process
 * the filter names (every descriptor without -p and -C), each one the
 * dump lists.  sockstat-nl opens no socket with --source proc.  -N with
 * it is refused (exit 2, one line): the file lists this namespace only.
 */
TEST_F_TIMEOUT(cli, proc_source_with_each_filter_shows_what_the_dump_holds, 300)
{
	char *const base[] = { "sockstat-nl", "--source", "proc", "-n", "-H" };
	char *withns[] = { "sockstat-nl", "--source", "proc", "-N", "all", NULL };
	struct sel_run *r = malloc(sizeof(*r));
	struct dumped *d;
	int i, j;

	ASSERT_NE(NULL, r);
	ASSERT_EQ(0, sel_run_start(r, self));
	d = &r->d;
	for (i = 0; i < r->n; i++) {
		const struct sel *c = &r->c[i];
		char *copy, *save, *l;
		int want_rows = 0, rows = 0;

		ASSERT_EQ(0, run_sel(c, base, 5));
		ASSERT_EQ(0, res.status) TH_LOG("%s: %s", c->args[0], res.err);
		for (j = 0; j < d->n; j++) {
			const struct ss_sock *s = &d->s[j];
			int o, mine = 0;

			if (!sel_match(c, s))
				continue;
			for (o = 0; o < s->nowners; o++)
				mine += (!c->pid || (int)s->owners[o].pid == c->pid) &&
					(!c->comm || !strcmp(s->owners[o].comm, c->comm));
			want_rows += mine ? mine : 1;
			EXPECT_EQ(mine ? mine : 1, count_rows(res.out, s->ino))
				TH_LOG("%s %s: socket %llu", c->args[0], c->args[1] ?: "",
				       (unsigned long long)s->ino);
		}
		/* Every row: a socket the filter lets through, a descriptor the dump lists. */
		copy = strdup(res.out);
		for (l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			char *f[MAXF];
			const struct ss_sock *s = NULL;

			rows++;
			ASSERT_EQ(NCOLS, fields(l, f, MAXF));
			for (j = 0; j < d->n && !s; j++)
				if (d->s[j].ino == strtoull(f[C_INODE], NULL, 10))
					s = &d->s[j];
			EXPECT_NE(NULL, s) TH_LOG("%s: a row of no socket of the dump: %s", c->args[0], l);
			if (!s)
				continue;
			EXPECT_TRUE(sel_match(c, s)) TH_LOG("%s: %s", c->args[0], l);
			EXPECT_NE(NULL, ss_find_owner(s, atoi(f[C_PID]), atoi(f[C_FD])))
				TH_LOG("%s: %s", c->args[0], l);
		}
		free(copy);
		EXPECT_EQ(want_rows, rows) TH_LOG("%s %s", c->args[0], c->args[1] ?: "");
		EXPECT_LT(0, rows) TH_LOG("%s %s: the filter let nothing through", c->args[0],
					  c->args[1] ?: "");
	}
	sel_run_end(r);

	ASSERT_EQ(0, run_cmd(&res, withns));
	EXPECT_EQ(2, res.status);
	EXPECT_EQ(0, res.out[0]);
	EXPECT_EQ(1, count_lines(res.err)) TH_LOG("%s", res.err);
	EXPECT_EQ(0, strncmp(res.err, "sockstat-nl: ", 13)) TH_LOG("%s", res.err);
	free(r);
}

/*
 * show of an AF_UNIX listener (a path, a connection waiting) and a
 * socketpair end with unread data, a netlink and a packet socket: each
 * line the test looks at has the value the kernel gives by another
 * route: getsockname() and getpeername() (names, port ids, groups, the
 * interface and protocol), fstat() (the peer's inode), SIOCINQ, the
 * backlog listen() was given, the connect() made; and the descriptor.
 */
static int show_of(uint64_t ino)
{
	char num[32];
	char *argv[] = { "sockstat-nl", "show", num, NULL };

	snprintf(num, sizeof(num), "%llu", (unsigned long long)ino);
	return run_cmd(&res, argv) ?: res.status;
}

TEST_F_TIMEOUT(cli, show_unix_netlink_and_packet_sockets, 300)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX }, got_un;
	struct sockaddr_nl snl = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK }, me_nl, to_nl;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
				   .sll_ifindex = if_nametoindex("lo") }, got_ll;
	int l = socket(AF_UNIX, SOCK_STREAM, 0), c = socket(AF_UNIX, SOCK_STREAM, 0);
	int nlfd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	int pk = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP)), inq;
	char val[256], want[256];
	socklen_t len;

	snprintf(un.sun_path, sizeof(un.sun_path), "/tmp/sockstat-cli-show-%d", getpid());
	ASSERT_EQ(0, bind(l, (struct sockaddr *)&un, sizeof(un)));
	ASSERT_EQ(0, listen(l, 5));
	ASSERT_EQ(0, connect(c, (struct sockaddr *)&un, sizeof(un)));
	len = sizeof(got_un);
	ASSERT_EQ(0, getsockname(l, (struct sockaddr *)&got_un, &len));

	ASSERT_EQ(0, show_of(ss_inode(l))) TH_LOG("%s", res.err);
	snprintf(want, sizeof(want), "socket:[%llu]\n", (unsigned long long)ss_inode(l));
	EXPECT_EQ(0, strncmp(res.out, want, strlen(want)));
	EXPECT_SHOWN(res.out, "sk->sk_family", AF_UNIX);
	EXPECT_SHOWN(res.out, "sk->sk_state", TCP_LISTEN);
	EXPECT_SHOWN_STR(res.out, "unix_sk(sk)->addr->name", got_un.sun_path);
	EXPECT_SHOWN(res.out, "sk->sk_max_ack_backlog", 5);
	EXPECT_SHOWN(res.out, "sk->sk_ack_backlog", 1);
	EXPECT_SHOWN_STR(res.out, "sock->ops", "unix_stream_ops");
	snprintf(want, sizeof(want), "pid %d fd %d", getpid(), l);
	EXPECT_TRUE(show_field(res.out, want, val, sizeof(val))) TH_LOG("%s", res.out);

	/* The socketpair end: no name, its peer, the 3000 bytes. */
	ASSERT_EQ(0, show_of(self->uino)) TH_LOG("%s", res.err);
	EXPECT_FALSE(show_field(res.out, "unix_sk(sk)->addr->name", val, sizeof(val)));
	EXPECT_SHOWN(res.out, "unix_peer(sk), its inode", ss_inode(self->sv[0]));
	ASSERT_EQ(0, ioctl(self->sv[1], SIOCINQ, &inq));
	EXPECT_SHOWN(res.out, "recv-q: bytes not yet read", inq);
	EXPECT_LT(0, inq);

	/* Netlink: its port id and groups, the kernel as its peer. */
	ASSERT_EQ(0, bind(nlfd, (struct sockaddr *)&snl, sizeof(snl)));
	len = sizeof(me_nl);
	ASSERT_EQ(0, getsockname(nlfd, (struct sockaddr *)&me_nl, &len));
	len = sizeof(to_nl);
	ASSERT_EQ(0, getpeername(nlfd, (struct sockaddr *)&to_nl, &len));
	ASSERT_EQ(0, show_of(ss_inode(nlfd))) TH_LOG("%s", res.err);
	EXPECT_SHOWN(res.out, "nlk->portid", me_nl.nl_pid);
	EXPECT_SHOWN(res.out, "nlk->groups[0]", me_nl.nl_groups);
	EXPECT_SHOWN(res.out, "nlk->dst_portid", to_nl.nl_pid);
	EXPECT_SHOWN(res.out, "sk->sk_protocol", NETLINK_ROUTE);
	EXPECT_SHOWN_STR(res.out, "sock->ops", "netlink_ops");

	/* Packet: the interface and protocol it is bound to. */
	ASSERT_EQ(0, bind(pk, (struct sockaddr *)&sll, sizeof(sll)));
	len = sizeof(got_ll);
	ASSERT_EQ(0, getsockname(pk, (struct sockaddr *)&got_ll, &len));
	ASSERT_EQ(0, show_of(ss_inode(pk))) TH_LOG("%s", res.err);
	EXPECT_SHOWN(res.out, "po->ifindex", got_ll.sll_ifindex);
	EXPECT_SHOWN(res.out, "po->num", ntohs(got_ll.sll_protocol));
	EXPECT_SHOWN(res.out, "sock->type", SOCK_DGRAM);
	snprintf(want, sizeof(want), "pid %d fd %d", getpid(), pk);
	EXPECT_TRUE(show_field(res.out, want, val, sizeof(val)));

	unlink(un.sun_path);
	close(l);
	close(c);
	close(nlfd);
	close(pk);
}

TEST_HARNESS_MAIN
