// SPDX-License-Identifier: GPL-2.0
/*
 * Loading and unloading the module: sockstat-nl says when it is not
 * loaded, and unloading while clients talk to it neither crashes nor
 * leaves anything behind.  Needs SOCKSTAT_KO (the module file) and root;
 * leaves the module loaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "modload.h"
#include "nl.h"
#include "run_cmd.h"

static struct cmd_result res;

FIXTURE(mod) {
};

FIXTURE_SETUP(mod)
{
	if (!getenv("SOCKSTAT_KO"))
		SKIP(return, "SOCKSTAT_KO does not name the module file");
	ASSERT_EQ(0, ss_module_load());
}

FIXTURE_TEARDOWN(mod)
{
	ss_module_load();
}

TEST_F(mod, cli_says_module_not_loaded)
{
	char *argv[][5] = {
		{ "sockstat-nl" },
		{ "sockstat-nl", "-s" },
		{ "sockstat-nl", "show", "1" },
		{ "sockstat-nl", "--source", "proc" },
	};
	unsigned int i;

	ASSERT_EQ(0, ss_module_unload());
	ASSERT_FALSE(ss_module_loaded());
	for (i = 0; i < sizeof(argv) / sizeof(argv[0]); i++) {
		ASSERT_EQ(0, run_cmd(&res, argv[i]));
		EXPECT_EQ(3, res.status) TH_LOG("%s %s", argv[i][1], res.err);
		EXPECT_EQ(0, res.out[0]);
		EXPECT_EQ(1, count_lines(res.err));
		EXPECT_NE(NULL, strstr(res.err, "module is not loaded")) TH_LOG("stderr: %s", res.err);
	}
	ASSERT_EQ(0, ss_module_load());
}

/* A paused dump holds the module; closing its socket lets it go. */
TEST_F(mod, paused_dump_holds_module)
{
	struct ssnl nl;
	struct ssnl_req r;
	struct nlmsghdr *h = (struct nlmsghdr *)r.buf;
	char buf[4096];
	int sv[300][2], i;

	/* More sockets than one 4 KiB reply holds: the dump must pause. */
	for (i = 0; i < 300; i++)
		ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv[i]));
	ASSERT_EQ(0, ssnl_open(&nl));
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	h->nlmsg_len = r.len;
	h->nlmsg_type = nl.family_id;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	ASSERT_EQ(r.len, send(nl.fd, r.buf, r.len, 0));
	ASSERT_LT(0, recv(nl.fd, buf, sizeof(buf), 0));
	EXPECT_EQ(-EWOULDBLOCK, ss_module_unload());
	ssnl_close(&nl);
	EXPECT_EQ(0, ss_module_unload());
	EXPECT_FALSE(ss_module_loaded());
	for (i = 0; i < 300; i++) {
		close(sv[i][0]);
		close(sv[i][1]);
	}
}

/* An open /proc file does not hold the module; reading it after fails. */
TEST_F(mod, unload_with_proc_file_open)
{
	char buf[256];
	int fd = open("/proc/net/sockstat_sockets", O_RDONLY);

	ASSERT_LE(0, fd);
	ASSERT_LT(0, read(fd, buf, sizeof(buf)));
	ASSERT_EQ(0, ss_module_unload());
	EXPECT_GT(0, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, close(fd));
	EXPECT_EQ(-1, access("/proc/net/sockstat_sockets", F_OK));
}

/*
 * Unload and reload while sockstat-nl runs in a loop: a fixed number of
 * cycles, not as many as a fixed time allows: on a loaded host one cycle
 * can take a second or more (rmmod is refused while a dump holds the
 * module), and a time budget then measured the host rather than the module.
 * RELOAD_SECONDS only bounds a test that cannot get there.
 */
#define RELOAD_CYCLES	10
#define RELOAD_SECONDS	240

TEST_F_TIMEOUT(mod, unload_while_cli_runs, 300)
{
	int cycles = 0, busy = 0, status, bad = 0;
	pid_t child = fork();
	time_t end;

	ASSERT_LE(0, child);
	if (!child) {
		char *argv[] = { "sockstat-nl", NULL };

		/*
		 * 0: a dump; 3: not loaded, or unloaded between looking the
		 * family up and asking it.  Anything else is a failure: say it.
		 */
		for (;;) {
			if (run_cmd(&res, argv) || (res.status != 0 && res.status != 3)) {
				fprintf(stderr, "# sockstat-nl exited %d: %s\n", res.status, res.err);
				_exit(1);
			}
		}
	}
	end = time(NULL) + RELOAD_SECONDS;
	while (time(NULL) < end && cycles < RELOAD_CYCLES) {
		int err = ss_module_unload();

		if (err == -EWOULDBLOCK) {
			busy++;
			usleep(1000);
			continue;
		}
		if (err) {
			bad++;
			break;
		}
		usleep(20000);
		if (ss_module_load()) {
			bad++;
			break;
		}
		cycles++;
		usleep(20000);
	}
	kill(child, SIGKILL);
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status)) TH_LOG("sockstat-nl failed in a way it must not");
	EXPECT_EQ(0, bad);
	EXPECT_EQ(RELOAD_CYCLES, cycles) TH_LOG("only %d cycles in %d s", cycles, RELOAD_SECONDS);
	ksft_print_msg("%d unload/load cycles under a running sockstat-nl (%d times busy)\n",
		       cycles, busy);
}

TEST_HARNESS_MAIN
