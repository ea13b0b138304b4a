// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile input: 100,000 random and mutated messages to the family (do
 * and dump, random flags and commands, truncated and overlong headers,
 * random attribute trees with nested garbage), then a normal dump must
 * still find a socket correctly.  The kernel log is checked by the QEMU
 * runner: any BUG, WARNING or Oops fails the run.  The seed is printed;
 * SOCKSTAT_FUZZ_SEED and SOCKSTAT_FUZZ_COUNT repeat or resize a run.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "kselftest_harness.h"
#include "nl.h"

static uint64_t rng;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng >> 11;
}

static uint32_t pick(uint32_t n)
{
	return rnd() % n;
}

/* A random attribute, sometimes a nest of random attributes. */
static size_t put_attr(char *buf, size_t room, int depth)
{
	struct nlattr *a = (struct nlattr *)buf;
	size_t len, i;

	if (room < NLA_HDRLEN + 16)
		return 0;
	switch (pick(8)) {
	case 0:		/* a known attribute with a wrong length */
		a->nla_type = 1 + pick(SOCKSTAT_A_SOCK_MAX);
		len = pick(12);
		break;
	case 1:		/* a known selector with a right length, random value */
		a->nla_type = SOCKSTAT_A_SOCK_INODE + pick(3);
		len = a->nla_type == SOCKSTAT_A_SOCK_INODE ? 8 : 2;
		break;
	case 2:		/* nested garbage */
		a->nla_type = pick(SOCKSTAT_A_SOCK_MAX + 4) | NLA_F_NESTED;
		len = 0;
		if (depth < 3)
			for (i = pick(4); i; i--)
				len += put_attr(buf + NLA_HDRLEN + len,
						room - NLA_HDRLEN - len, depth + 1);
		a->nla_len = NLA_HDRLEN + len;
		return NLA_ALIGN(a->nla_len);
	default:	/* anything */
		a->nla_type = pick(0x10000);
		len = pick(40);
		break;
	}
	if (len > room - NLA_HDRLEN)
		len = room - NLA_HDRLEN;
	for (i = 0; i < len; i++)
		buf[NLA_HDRLEN + i] = pick(4) ? pick(256) : 0;
	a->nla_len = NLA_HDRLEN + len;
	/* Sometimes lie about the length. */
	if (!pick(16))
		a->nla_len = pick(0x10000);
	return NLA_ALIGN(NLA_HDRLEN + len);
}

/* Read whatever came back, without waiting for more. */
static void drain(int fd, long *errors, long *replies)
{
	static char buf[65536];

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		struct nlmsghdr *h;

		if (n <= 0)
			return;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR &&
			    ((struct nlmsgerr *)NLMSG_DATA(h))->error)
				(*errors)++;
			else
				(*replies)++;
		}
	}
}

static uint64_t want;

static int count_cb(const struct ss_sock *x, void *arg)
{
	*(int *)arg += x->ino == want;
	return 0;
}

FIXTURE(fuzz) {
};

FIXTURE_SETUP(fuzz)
{
}

FIXTURE_TEARDOWN(fuzz)
{
}

/* Ten minutes at most: 100,000 round trips under TCG take a while. */
TEST_F_TIMEOUT(fuzz, random_messages_then_a_normal_dump, 600)
{
	long count = getenv("SOCKSTAT_FUZZ_COUNT") ? atol(getenv("SOCKSTAT_FUZZ_COUNT")) : 100000;
	long i, errors = 0, replies = 0, send_failed = 0;
	static char msg[4096];
	struct ssnl nl;
	int sv[2], found = 0;
	struct ssnl_req r;
	struct ss_sock s;

	rng = getenv("SOCKSTAT_FUZZ_SEED") ? strtoull(getenv("SOCKSTAT_FUZZ_SEED"), NULL, 0)
					   : (uint64_t)time(NULL) * 2654435761u | 1;
	ksft_print_msg("seed 0x%llx, %ld messages\n", (unsigned long long)rng, count);
	ASSERT_EQ(0, ssnl_open(&nl));

	for (i = 0; i < count; i++) {
		struct nlmsghdr *h = (struct nlmsghdr *)msg;
		struct genlmsghdr *g = NLMSG_DATA(h);
		size_t len = NLMSG_HDRLEN + GENL_HDRLEN;
		int n = pick(7);

		memset(msg, 0, 512);
		h->nlmsg_type = nl.family_id;
		h->nlmsg_flags = NLM_F_REQUEST;
		if (pick(2))
			h->nlmsg_flags |= NLM_F_DUMP;
		if (!pick(4))
			h->nlmsg_flags |= pick(0x10000);
		h->nlmsg_seq = i;
		g->cmd = pick(8) ? 1 + pick(2) : pick(256);
		g->version = pick(4) ? 1 : pick(256);
		g->reserved = pick(8) ? 0 : pick(0x10000);
		while (n--)
			len += put_attr(msg + len, sizeof(msg) - len, 0);
		h->nlmsg_len = len;
		switch (pick(10)) {
		case 0:		/* header says less than was sent */
			h->nlmsg_len = pick(len + 1);
			break;
		case 1:		/* header says more than was sent */
			h->nlmsg_len = len + 1 + pick(64);
			break;
		case 2:		/* cut in the middle of the headers */
			len = pick(NLMSG_HDRLEN + GENL_HDRLEN);
			break;
		}
		if (send(nl.fd, msg, len, MSG_DONTWAIT) < 0)
			send_failed++;
		drain(nl.fd, &errors, &replies);
	}
	ksft_print_msg("%ld messages: %ld error replies, %ld other replies, %ld refused by send()\n",
		       count, errors, replies, send_failed);
	EXPECT_LT(count / 2, errors);
	ssnl_close(&nl);

	/* The module still answers, and right. */
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ASSERT_EQ(0, ssnl_open(&nl));
	ASSERT_EQ(0, ssnl_get(&nl, ss_inode(sv[0]), &s));
	EXPECT_EQ(AF_UNIX, s.family);
	EXPECT_EQ(ss_inode(sv[1]), s.v[SOCKSTAT_A_SOCK_PEER_INODE]);
	want = ss_inode(sv[1]);
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ASSERT_EQ(0, ssnl_request(&nl, &r, NLM_F_DUMP, 4096, count_cb, &found));
	EXPECT_EQ(1, found);
	ssnl_close(&nl);
	close(sv[0]);
	close(sv[1]);
}

TEST_HARNESS_MAIN
