// SPDX-License-Identifier: GPL-2.0
/*
 * sockstat-nl against sockets the test creates: the table shows them with
 * the kernel's values, filters work, errors are one line with the
 * kernel's message and a documented exit code.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nl.h"
#include "run_cmd.h"

static struct cmd_result res;

static int listener(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 5))
		return -1;
	return fd;
}

static char *ino_str(int fd, char *buf)
{
	sprintf(buf, "%llu", (unsigned long long)ss_inode(fd));
	return buf;
}

/* The fields of @line, split on blanks. */
static int fields(char *line, char **f, int max)
{
	int n = 0;
	char *save, *t;

	for (t = strtok_r(line, " ", &save); t && n < max; t = strtok_r(NULL, " ", &save))
		f[n++] = t;
	return n;
}

FIXTURE(cli) {
	int lfd;
	int sv[2];
	char lino[32], uino[32];
};

FIXTURE_SETUP(cli)
{
	char msg[3000];

	self->lfd = listener();
	ASSERT_LE(0, self->lfd);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, self->sv));
	memset(msg, 'z', sizeof(msg));
	ASSERT_EQ(sizeof(msg), write(self->sv[0], msg, sizeof(msg)));
	ino_str(self->lfd, self->lino);
	ino_str(self->sv[1], self->uino);
}

FIXTURE_TEARDOWN(cli)
{
	close(self->lfd);
	close(self->sv[0]);
	close(self->sv[1]);
}

TEST_F(cli, table_shows_created_sockets)
{
	char *argv[] = { "sockstat-nl", NULL };
	char line[512], *f[16];

	ASSERT_EQ(0, run_cmd(&res, argv));
	ASSERT_EQ(0, res.status) TH_LOG("stderr: %s", res.err);
	EXPECT_EQ(0, strncmp(res.out, "INODE", 5));
	EXPECT_EQ(0, strstr(res.out, "SK-STATE") == NULL);

	ASSERT_TRUE(find_line(res.out, self->lino, line, sizeof(line)));
	ASSERT_EQ(8, fields(line, f, 16));
	EXPECT_STREQ("inet", f[1]);
	EXPECT_STREQ("stream", f[2]);
	EXPECT_STREQ("tcp", f[3]);
	EXPECT_STREQ("SS_UNCONNECTED", f[4]);
	EXPECT_STREQ("LISTEN", f[5]);

	ASSERT_TRUE(find_line(res.out, self->uino, line, sizeof(line)));
	ASSERT_EQ(8, fields(line, f, 16));
	EXPECT_STREQ("unix", f[1]);
	EXPECT_STREQ("SS_CONNECTED", f[4]);
	EXPECT_STREQ("ESTABLISHED", f[5]);
	EXPECT_STREQ("3000", f[6]);	/* RECV-Q: the bytes written, unread */
}

TEST_F(cli, numeric_without_header)
{
	char *argv[] = { "sockstat-nl", "-n", "-H", NULL };
	char line[512], *f[16];

	ASSERT_EQ(0, run_cmd(&res, argv));
	ASSERT_EQ(0, res.status);
	EXPECT_NE(0, strncmp(res.out, "INODE", 5));
	ASSERT_TRUE(find_line(res.out, self->lino, line, sizeof(line)));
	ASSERT_EQ(8, fields(line, f, 16));
	EXPECT_STREQ("2", f[1]);	/* AF_INET */
	EXPECT_STREQ("1", f[2]);	/* SOCK_STREAM */
	EXPECT_STREQ("6", f[3]);	/* IPPROTO_TCP */
	EXPECT_STREQ("1", f[4]);	/* SS_UNCONNECTED */
	EXPECT_STREQ("10", f[5]);	/* TCP_LISTEN */
}

TEST_F(cli, family_filter)
{
	char *argv[] = { "sockstat-nl", "-H", "-f", "unix", NULL };
	char line[512], *f[16];
	char *p;

	ASSERT_EQ(0, run_cmd(&res, argv));
	ASSERT_EQ(0, res.status);
	EXPECT_TRUE(find_line(res.out, self->uino, line, sizeof(line)));
	EXPECT_FALSE(find_line(res.out, self->lino, line, sizeof(line)));
	for (p = strtok(res.out, "\n"); p; p = strtok(NULL, "\n")) {
		snprintf(line, sizeof(line), "%s", p);
		ASSERT_LE(2, fields(line, f, 16));
		EXPECT_STREQ("unix", f[1]);
	}
}

TEST_F(cli, show_one_inode)
{
	char *argv[] = { "sockstat-nl", "show", self->lino, NULL };
	char line[512];

	ASSERT_EQ(0, run_cmd(&res, argv));
	ASSERT_EQ(0, res.status);
	EXPECT_EQ(2, count_lines(res.out));
	EXPECT_TRUE(find_line(res.out, self->lino, line, sizeof(line)));
}

TEST_F(cli, show_missing_inode_prints_kernel_message)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	char ino[32];
	char *argv[] = { "sockstat-nl", "show", ino_str(fd, ino), NULL };

	close(fd);
	ASSERT_EQ(0, run_cmd(&res, argv));
	EXPECT_EQ(1, res.status);
	EXPECT_EQ(0, res.out[0]);
	EXPECT_EQ(1, count_lines(res.err));
	EXPECT_NE(NULL, strstr(res.err, "no socket with this inode")) TH_LOG("stderr: %s", res.err);
}

TEST_F(cli, usage_errors)
{
	char *bad_family[] = { "sockstat-nl", "-f", "nosuch", NULL };
	char *bad_inode[] = { "sockstat-nl", "show", "12x", NULL };
	char *bad_opt[] = { "sockstat-nl", "--nosuch", NULL };

	ASSERT_EQ(0, run_cmd(&res, bad_family));
	EXPECT_EQ(2, res.status);
	EXPECT_EQ(1, count_lines(res.err));
	ASSERT_EQ(0, run_cmd(&res, bad_inode));
	EXPECT_EQ(2, res.status);
	ASSERT_EQ(0, run_cmd(&res, bad_opt));
	EXPECT_EQ(2, res.status);
}

TEST_F(cli, version_names_module)
{
	char *argv[] = { "sockstat-nl", "--version", NULL };

	ASSERT_EQ(0, run_cmd(&res, argv));
	EXPECT_EQ(0, res.status);
	EXPECT_NE(NULL, strstr(res.out, "sockstat module "));
	EXPECT_EQ(NULL, strstr(res.out, "not loaded"));
}

TEST_HARNESS_MAIN
