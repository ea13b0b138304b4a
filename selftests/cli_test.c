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
 * socket->state only when the program calls connect() again.
 */
TEST_F_TIMEOUT(cli, watch_sees_a_connect_complete, 300)
{
	int out[2], l, first, acc, second = -1, status, got = 0;
	char buf[65536], want[128], *sk, *ss;
	unsigned long long ino;
	struct pollfd p;
	pid_t w;

	ASSERT_EQ(0, pipe(out));
	w = fork();
	ASSERT_LE(0, w);
	if (!w) {
		dup2(out[1], 1);
		close(out[0]);
		execlp("sockstat-nl", "sockstat-nl", "watch", "-n", "-i", "0.2", "-f", "inet", NULL);
		_exit(127);
	}
	close(out[1]);
	p.fd = out[0];
	p.events = POLLIN;
	ASSERT_EQ(1, poll(&p, 1, 10000));	/* "watching N sockets" */
	got = read(out[0], buf, sizeof(buf) - 1);
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
	kill(w, SIGINT);
	while (got < (int)sizeof(buf) - 1) {
		int n = read(out[0], buf + got, sizeof(buf) - 1 - got);

		if (n <= 0)
			break;
		got += n;
	}
	buf[got] = 0;
	ASSERT_EQ(w, waitpid(w, &status, 0));
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
	close(out[0]);
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

/* Another namespace needs CAP_NET_ADMIN: exit 4 and the kernel's reason. */
TEST_F_TIMEOUT(cli, permission_denied_exits_4, 300)
{
	int out[2], status, n;
	char buf[1024] = "";
	pid_t pid;

	ASSERT_EQ(0, pipe(out));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		dup2(out[1], 2);
		close(out[0]);
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(126);
		execlp("sockstat-nl", "sockstat-nl", "-s", "-N", "all", NULL);
		_exit(127);
	}
	close(out[1]);
	n = read(out[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	close(out[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(4, WEXITSTATUS(status)) TH_LOG("stderr: %s", buf);
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

TEST_HARNESS_MAIN
