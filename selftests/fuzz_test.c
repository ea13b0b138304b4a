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

/* What came back for one message. */
struct answer {
	int errors, replies;
	int err;		/* the last error's errno (negative) */
	int extack;		/* that error carried a message */
};

/* Read whatever came back, without waiting for more, for message @seq. */
static void drain(int fd, uint32_t seq, struct answer *a, long *errors, long *replies)
{
	static char buf[65536];

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		struct nlmsghdr *h;

		if (n <= 0)
			return;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			struct nlmsgerr *e = NLMSG_DATA(h);
			int mine = h->nlmsg_seq == seq;

			if (h->nlmsg_type == NLMSG_ERROR && e->error) {
				(*errors)++;
				if (mine) {
					a->errors++;
					a->err = e->error;
					a->extack = !!(h->nlmsg_flags & NLM_F_ACK_TLVS);
				}
			} else {
				(*replies)++;
				a->replies += mine;
			}
		}
	}
}

/* The request attributes each operation's policy has (netlink.c). */
static int in_policy(int cmd, int dump, int type)
{
	if (cmd == SOCKSTAT_CMD_UNSUBSCRIBE)
		return 0;	/* it takes no attribute */
	switch (type) {
	case SOCKSTAT_A_SOCK_INODE: case SOCKSTAT_A_SOCK_FAMILY:
	case SOCKSTAT_A_SOCK_TYPE: case SOCKSTAT_A_SOCK_NETNS:
	case SOCKSTAT_A_SOCK_SS_STATES: case SOCKSTAT_A_SOCK_SK_STATES:
	case SOCKSTAT_A_SOCK_PID:
		return 1;
	case SOCKSTAT_A_SOCK_NOFD_KINDS:
		return cmd == SOCKSTAT_CMD_SUMMARY || dump;
	case SOCKSTAT_A_SOCK_DETAILS:
		return cmd == SOCKSTAT_CMD_GET;
	}
	return 0;
}

static int policy_len(int type)
{
	switch (type) {
	case SOCKSTAT_A_SOCK_INODE:
		return 8;
	case SOCKSTAT_A_SOCK_FAMILY: case SOCKSTAT_A_SOCK_TYPE:
		return 2;
	}
	return 4;
}

/*
 * Whether the genetlink core refuses the headers themselves
 * (genl_header_check(), for every command of a family that validates
 * from the start): a reserved field not 0, or flags beyond REQUEST, ACK,
 * ECHO and the two bits of DUMP together.
 */
static int header_refused(const char *msg)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)msg;
	const struct genlmsghdr *g = NLMSG_DATA(h);
	uint16_t flags = h->nlmsg_flags;

	if ((flags & NLM_F_DUMP) == NLM_F_DUMP)
		flags &= ~NLM_F_DUMP;
	return g->reserved || (flags & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO));
}

/*
 * Whether a message whose headers are as sent must be refused by the
 * operation's strict policy: an attribute stream that does not end where
 * the message does (a lying length), an attribute of type 0, of a type
 * the operation does not take, marked nested, or of the wrong length.
 */
static int must_refuse(const char *msg, size_t len)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)msg;
	const struct genlmsghdr *g = NLMSG_DATA(h);
	const struct nlattr *a = (const struct nlattr *)(msg + NLMSG_HDRLEN + GENL_HDRLEN);
	int rem = len - NLMSG_HDRLEN - GENL_HDRLEN;
	int dump = (h->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;

	for (; NLA_OK(a, rem); a = NLA_NEXT(a, rem)) {
		int type = a->nla_type & NLA_TYPE_MASK;

		if (!type || !in_policy(g->cmd, dump, type) || (a->nla_type & NLA_F_NESTED) ||
		    a->nla_len - NLA_HDRLEN != policy_len(type))
			return 1;
	}
	return rem != 0;
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
	long unknown_cmd = 0, accepted_bad = 0, odd_errno = 0, no_extack = 0, intact_bad = 0;
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
		struct answer ans = { 0 };
		int n = pick(7), intact = 1, known;

		memset(msg, 0, 512);
		h->nlmsg_type = nl.family_id;
		h->nlmsg_flags = NLM_F_REQUEST;
		if (pick(2))
			h->nlmsg_flags |= NLM_F_DUMP;
		if (!pick(4))
			h->nlmsg_flags |= pick(0x10000);
		h->nlmsg_seq = i;
		g->cmd = pick(8) ? 1 + pick(3) : pick(256);
		/*
		 * Never SUBSCRIBE: it arms kprobes, which this guest's
		 * multi-threaded TCG cannot take (testing.rst); events_test
		 * sends it bad attributes in the single-threaded guest.
		 */
		if (g->cmd == SOCKSTAT_CMD_SUBSCRIBE)
			g->cmd = SOCKSTAT_CMD_UNSUBSCRIBE;
		g->version = pick(4) ? 1 : pick(256);
		g->reserved = pick(8) ? 0 : pick(0x10000);
		while (n--)
			len += put_attr(msg + len, sizeof(msg) - len, 0);
		h->nlmsg_len = len;
		switch (pick(10)) {
		case 0:		/* header says less than was sent */
			h->nlmsg_len = pick(len + 1);
			intact = 0;
			break;
		case 1:		/* header says more than was sent */
			h->nlmsg_len = len + 1 + pick(64);
			intact = 0;
			break;
		case 2:		/* cut in the middle of the headers */
			len = pick(NLMSG_HDRLEN + GENL_HDRLEN);
			intact = 0;
			break;
		}
		if (send(nl.fd, msg, len, MSG_DONTWAIT) < 0) {
			send_failed++;
			continue;
		}
		drain(nl.fd, i, &ans, &errors, &replies);

		/* Every refusal is one the documentation lists. */
		switch (ans.err) {
		case 0: case -EINVAL: case -ERANGE: case -EPERM: case -ENOENT:
		case -EOPNOTSUPP: case -EFBIG: case -EMSGSIZE:
			break;
		default:
			if (odd_errno++ < 5)
				ksft_print_msg("message %ld: errno %d\n", i, -ans.err);
		}
		if (!intact)
			continue;
		/* UNSUBSCRIBE has a do and no dump. */
		known = g->cmd == SOCKSTAT_CMD_GET || g->cmd == SOCKSTAT_CMD_SUMMARY ||
			(g->cmd == SOCKSTAT_CMD_UNSUBSCRIBE &&
			 (h->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP);
		/* An intact message gets an answer: an error, or replies. */
		if (!ans.errors && !ans.replies)
			intact_bad++;
		if (header_refused(msg)) {
			/* The genetlink core's own check, before the command's. */
			if (ans.err != -EINVAL && unknown_cmd++ < 5)
				ksft_print_msg("message %ld: reserved %#x, flags %#x answered errno %d\n",
					       i, g->reserved, h->nlmsg_flags, -ans.err);
		} else if (!known) {
			if (ans.err != -EOPNOTSUPP && unknown_cmd++ < 5)
				ksft_print_msg("message %ld: command %u answered errno %d, %d replies\n",
					       i, g->cmd, -ans.err, ans.replies);
		} else if (must_refuse(msg, len)) {
			if (ans.err != -EINVAL && ans.err != -ERANGE) {
				if (accepted_bad++ < 5)
					ksft_print_msg("message %ld (seed above) was not refused: errno %d\n",
						       i, -ans.err);
			} else if (!ans.extack) {
				no_extack++;
			}
		} else if (g->cmd == SOCKSTAT_CMD_UNSUBSCRIBE && ans.err != -ENOENT) {
			/* This socket never subscribed. */
			if (unknown_cmd++ < 5)
				ksft_print_msg("message %ld: UNSUBSCRIBE answered errno %d, not ENOENT\n",
					       i, -ans.err);
		}
	}
	ksft_print_msg("%ld messages: %ld error replies, %ld other replies, %ld refused by send()\n",
		       count, errors, replies, send_failed);
	ksft_print_msg("intact messages: %ld unanswered, %ld bad headers or unknown commands answered otherwise, %ld invalid ones accepted, %ld refused without a message; %ld odd errnos\n",
		       intact_bad, unknown_cmd, accepted_bad, no_extack, odd_errno);
	EXPECT_LT(count / 2, errors);
	EXPECT_EQ(0, intact_bad);
	EXPECT_EQ(0, unknown_cmd);
	EXPECT_EQ(0, accepted_bad);
	EXPECT_EQ(0, no_extack);
	EXPECT_EQ(0, odd_errno);
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
