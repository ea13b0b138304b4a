// SPDX-License-Identifier: GPL-2.0
/*
 * The family as the generic netlink controller describes it: its
 * operations and their flags (CTRL_CMD_GETFAMILY, and libnl's
 * genl-ctrl-list -d), and the attribute policy of each operation
 * (CTRL_CMD_GETPOLICY): exactly the types and ranges the module enforces.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "kselftest_harness.h"
#include "nl.h"
#include "run_cmd.h"

#define for_each_nested(a, nest, rem) \
	for (rem = (nest)->nla_len - NLA_HDRLEN, a = NLA_DATA(nest); NLA_OK(a, rem); \
	     a = NLA_NEXT(a, rem))

static uint64_t uint_of(const struct nlattr *a)
{
	uint64_t v = 0;

	memcpy(&v, NLA_DATA(a), a->nla_len - NLA_HDRLEN > 8 ? 8 : a->nla_len - NLA_HDRLEN);
	return v;
}

/* One attribute of a policy, as CTRL_CMD_GETPOLICY reports it. */
struct pol {
	int present;
	uint32_t type;
	uint64_t min, max, mask;
	int has_min, has_max, has_mask;
};

struct ctrl {
	int fd;
	uint32_t seq;
	/* GETFAMILY */
	uint32_t op_flags[8];
	int mcast_groups;	/* how many */
	char mcast_name[32];	/* the first one's name */
	/* GETPOLICY: the policy each op uses, and policy 0's attributes */
	int do_policy[8], dump_policy[8];
	struct pol pol[4][SOCKSTAT_A_SOCK_MAX + 1];
};

static int ctrl_send(struct ctrl *c, uint8_t cmd, uint16_t flags, int op)
{
	return ssnl_ctrl_send(c->fd, ++c->seq, cmd, flags, op);
}

static void parse_family(struct ctrl *c, struct nlattr *a, int rem)
{
	for (; NLA_OK(a, rem); a = NLA_NEXT(a, rem)) {
		struct nlattr *op, *f;
		int r1, r2;

		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GROUPS) {
			struct nlattr *g, *ga;
			int r1, r2;

			for_each_nested(g, a, r1) {
				if (!c->mcast_groups++)
					for_each_nested(ga, g, r2)
						if (ga->nla_type == CTRL_ATTR_MCAST_GRP_NAME)
							snprintf(c->mcast_name, sizeof(c->mcast_name),
								 "%s", (char *)NLA_DATA(ga));
			}
		}
		if ((a->nla_type & NLA_TYPE_MASK) != CTRL_ATTR_OPS)
			continue;
		for_each_nested(op, a, r1) {
			uint32_t id = 0, flags = 0;

			for_each_nested(f, op, r2) {
				if (f->nla_type == CTRL_ATTR_OP_ID)
					id = uint_of(f);
				if (f->nla_type == CTRL_ATTR_OP_FLAGS)
					flags = uint_of(f);
			}
			if (id < 8)
				c->op_flags[id] = flags;
		}
	}
}

static void parse_policy(struct ctrl *c, struct nlattr *a, int rem)
{
	for (; NLA_OK(a, rem); a = NLA_NEXT(a, rem)) {
		struct nlattr *x, *y, *z;
		int r1, r2, r3;

		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_OP_POLICY) {
			for_each_nested(x, a, r1) {
				int op = x->nla_type & NLA_TYPE_MASK;

				for_each_nested(y, x, r2) {
					if (op >= 8)
						continue;
					if (y->nla_type == CTRL_ATTR_POLICY_DO)
						c->do_policy[op] = uint_of(y);
					if (y->nla_type == CTRL_ATTR_POLICY_DUMP)
						c->dump_policy[op] = uint_of(y);
				}
			}
		}
		if ((a->nla_type & NLA_TYPE_MASK) != CTRL_ATTR_POLICY)
			continue;
		for_each_nested(x, a, r1) {		/* policy index */
			int idx = x->nla_type & NLA_TYPE_MASK;

			for_each_nested(y, x, r2) {	/* attribute type */
				int t = y->nla_type & NLA_TYPE_MASK;
				struct pol *p;

				if (idx >= 4 || t > SOCKSTAT_A_SOCK_MAX)
					continue;
				p = &c->pol[idx][t];
				p->present = 1;
				for_each_nested(z, y, r3) {
					switch (z->nla_type) {
					case NL_POLICY_TYPE_ATTR_TYPE:
						p->type = uint_of(z);
						break;
					case NL_POLICY_TYPE_ATTR_MIN_VALUE_U:
					case NL_POLICY_TYPE_ATTR_MIN_VALUE_S:
						p->min = uint_of(z);
						p->has_min = 1;
						break;
					case NL_POLICY_TYPE_ATTR_MAX_VALUE_U:
					case NL_POLICY_TYPE_ATTR_MAX_VALUE_S:
						p->max = uint_of(z);
						p->has_max = 1;
						break;
					case NL_POLICY_TYPE_ATTR_MASK:
						p->mask = uint_of(z);
						p->has_mask = 1;
						break;
					}
				}
			}
		}
	}
}

/* Read replies to the last request until DONE or a single answer. */
static int ctrl_recv(struct ctrl *c, int policy)
{
	static char buf[65536];

	for (;;) {
		ssize_t n = recv(c->fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (n < 0)
			return -errno;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
			int rem = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
			if (policy)
				parse_policy(c, a, rem);
			else
				parse_family(c, a, rem);
			if (!(h->nlmsg_flags & NLM_F_MULTI))
				return 0;
		}
	}
}

static struct ctrl c;

FIXTURE(ctrl) {
};

FIXTURE_SETUP(ctrl)
{
	memset(&c, 0, sizeof(c));
	c.fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	ASSERT_LE(0, c.fd);
}

FIXTURE_TEARDOWN(ctrl)
{
	close(c.fd);
}

TEST_F(ctrl, operations_and_flags)
{
	uint32_t caps = GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP | GENL_CMD_CAP_HASPOL;

	ASSERT_EQ(0, ctrl_send(&c, CTRL_CMD_GETFAMILY, 0, 0));
	ASSERT_EQ(0, ctrl_recv(&c, 0));
	EXPECT_EQ(caps, c.op_flags[SOCKSTAT_CMD_GET]);
	/* SUMMARY: a do for a window of sockets, a dump for any number. */
	EXPECT_EQ(caps, c.op_flags[SOCKSTAT_CMD_SUMMARY]);
	/* SUBSCRIBE and UNSUBSCRIBE: a do each; EVENT is a notification only. */
	EXPECT_EQ(GENL_CMD_CAP_DO | GENL_CMD_CAP_HASPOL, c.op_flags[SOCKSTAT_CMD_SUBSCRIBE]);
	EXPECT_EQ(GENL_CMD_CAP_DO | GENL_CMD_CAP_HASPOL, c.op_flags[SOCKSTAT_CMD_UNSUBSCRIBE]);
	EXPECT_EQ(0, c.op_flags[SOCKSTAT_CMD_EVENT]);
	EXPECT_EQ(0, c.op_flags[SOCKSTAT_CMD_MAX + 1]);
	/* One multicast group: the events'. */
	EXPECT_EQ(1, c.mcast_groups);
	EXPECT_STREQ(SOCKSTAT_MCGRP_EVENTS, c.mcast_name);
}

/* libnl's genl-ctrl-list lists the family and both operations. */
TEST_F(ctrl, genl_ctrl_list)
{
	static struct cmd_result r;
	char *argv[] = { "genl-ctrl-list", "-d", NULL };
	const char *fam = NULL;

	ASSERT_EQ(0, run_cmd(&r, argv));
	ASSERT_EQ(0, r.status);
	fam = strstr(r.out, " sockstat version 1");
	ASSERT_NE(NULL, fam);
	EXPECT_NE(NULL, strstr(fam, "(0x01) <has_doit,has_dump,has_policy>"));
	EXPECT_NE(NULL, strstr(fam, "(0x02) <has_doit,has_dump,has_policy>"));
}

#define EXPECT_POL(p, t) do {					\
	EXPECT_TRUE((p).present);				\
	EXPECT_EQ(t, (p).type);					\
} while (0)

/* The attributes a policy may have besides the selectors. */
#define WITH_NOFD	1
#define WITH_DETAILS	2

static void check_policy(struct __test_metadata *_metadata, struct pol *p, int with)
{
	int t;

	EXPECT_POL(p[SOCKSTAT_A_SOCK_INODE], NL_ATTR_TYPE_U64);
	EXPECT_EQ(1, p[SOCKSTAT_A_SOCK_INODE].min);
	EXPECT_POL(p[SOCKSTAT_A_SOCK_FAMILY], NL_ATTR_TYPE_U16);
	EXPECT_EQ(1, p[SOCKSTAT_A_SOCK_FAMILY].min);
	EXPECT_EQ(45, p[SOCKSTAT_A_SOCK_FAMILY].max);	/* AF_MAX - 1 */
	EXPECT_POL(p[SOCKSTAT_A_SOCK_TYPE], NL_ATTR_TYPE_U16);
	EXPECT_EQ(1, p[SOCKSTAT_A_SOCK_TYPE].min);
	EXPECT_EQ(10, p[SOCKSTAT_A_SOCK_TYPE].max);	/* SOCK_PACKET */
	EXPECT_POL(p[SOCKSTAT_A_SOCK_NETNS], NL_ATTR_TYPE_U32);
	EXPECT_POL(p[SOCKSTAT_A_SOCK_SS_STATES], NL_ATTR_TYPE_U32);
	EXPECT_TRUE(p[SOCKSTAT_A_SOCK_SS_STATES].has_mask);
	EXPECT_EQ(0x1f, p[SOCKSTAT_A_SOCK_SS_STATES].mask);
	/* Any state number of any family: no mask, no range. */
	EXPECT_POL(p[SOCKSTAT_A_SOCK_SK_STATES], NL_ATTR_TYPE_U32);
	EXPECT_FALSE(p[SOCKSTAT_A_SOCK_SK_STATES].has_mask);
	if (p[SOCKSTAT_A_SOCK_SK_STATES].has_max)	/* the type's own range */
		EXPECT_EQ(0xffffffffULL, p[SOCKSTAT_A_SOCK_SK_STATES].max);
	EXPECT_POL(p[SOCKSTAT_A_SOCK_PID], NL_ATTR_TYPE_U32);
	EXPECT_EQ(1, p[SOCKSTAT_A_SOCK_PID].min);
	if (with & WITH_NOFD) {
		EXPECT_POL(p[SOCKSTAT_A_SOCK_NOFD_KINDS], NL_ATTR_TYPE_U32);
		EXPECT_TRUE(p[SOCKSTAT_A_SOCK_NOFD_KINDS].has_mask);
		EXPECT_EQ(0x3e, p[SOCKSTAT_A_SOCK_NOFD_KINDS].mask);	/* kinds 1 .. 5 */
	}
	if (with & WITH_DETAILS) {
		EXPECT_POL(p[SOCKSTAT_A_SOCK_DETAILS], NL_ATTR_TYPE_U32);
		EXPECT_TRUE(p[SOCKSTAT_A_SOCK_DETAILS].has_mask);
		EXPECT_EQ(0xe, p[SOCKSTAT_A_SOCK_DETAILS].mask);	/* groups 1 .. 3 */
	}

	/* Nothing else may be sent. */
	for (t = 1; t <= SOCKSTAT_A_SOCK_MAX; t++) {
		switch (t) {
		case SOCKSTAT_A_SOCK_INODE: case SOCKSTAT_A_SOCK_FAMILY:
		case SOCKSTAT_A_SOCK_TYPE: case SOCKSTAT_A_SOCK_NETNS:
		case SOCKSTAT_A_SOCK_SS_STATES: case SOCKSTAT_A_SOCK_SK_STATES:
		case SOCKSTAT_A_SOCK_PID:
			continue;
		case SOCKSTAT_A_SOCK_NOFD_KINDS:
			if (with & WITH_NOFD)
				continue;
			break;
		case SOCKSTAT_A_SOCK_DETAILS:
			if (with & WITH_DETAILS)
				continue;
			break;
		}
		EXPECT_FALSE(p[t].present) TH_LOG("attribute %d has a policy", t);
	}
}

/*
 * Each operation its own policy: GET's dump takes the selectors, the
 * kinds of sockets no descriptor reaches and the details; GET's do no
 * kinds (where the kernel has split do and dump policies, 6.2 on; 6.1
 * shares the dump's and the module refuses the kinds itself, see
 * sockstat_test's bad requests); SUMMARY takes no details.
 */
TEST_F(ctrl, policies)
{
	int op;

	for (op = SOCKSTAT_CMD_GET; op <= SOCKSTAT_CMD_SUMMARY; op++) {
		int do_with, dump_with;

		memset(c.pol, 0, sizeof(c.pol));
		memset(c.do_policy, 0xff, sizeof(c.do_policy));
		memset(c.dump_policy, 0xff, sizeof(c.dump_policy));
		ASSERT_EQ(0, ctrl_send(&c, CTRL_CMD_GETPOLICY, NLM_F_DUMP, op));
		ASSERT_EQ(0, ctrl_recv(&c, 1));
		ASSERT_LE(0, c.do_policy[op]);
		ASSERT_GT(4, c.do_policy[op]);
		ASSERT_LE(0, c.dump_policy[op]);
		ASSERT_GT(4, c.dump_policy[op]);
		dump_with = op == SOCKSTAT_CMD_GET ? WITH_NOFD | WITH_DETAILS : WITH_NOFD;
		do_with = op == SOCKSTAT_CMD_GET ? WITH_DETAILS : WITH_NOFD;
		if (c.do_policy[op] == c.dump_policy[op]) {
			TH_LOG("op %d: one policy for the do and the dump (no split ops)", op);
			do_with = dump_with;
		}
		check_policy(_metadata, c.pol[c.do_policy[op]], do_with);
		check_policy(_metadata, c.pol[c.dump_policy[op]], dump_with);
	}
}

TEST_HARNESS_MAIN
