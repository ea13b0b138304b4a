// SPDX-License-Identifier: GPL-2.0
/*
 * SOCKSTAT_CMD_SUMMARY: sockets counted by family, SS_* state and
 * sk_state, like "ss -s" at the level of struct socket.
 */
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/tcp_states.h>
#include <uapi/linux/sockstat.h>

#include "sockstat.h"

#define SOCKSTAT_SS_STATES	(SS_DISCONNECTING + 1)

struct sockstat_counts {
	u32 total;
	u32 n[AF_MAX][SOCKSTAT_SS_STATES][TCP_MAX_STATES];
};

static void sockstat_count(struct sockstat_counts *c, struct sockstat_walk *w)
{
	struct sockstat_core core;

	while (sockstat_walk_next(w)) {
		sockstat_read_core(w->cur, &core);
		if (core.family < AF_MAX && core.ss_state < SOCKSTAT_SS_STATES &&
		    core.skstate < TCP_MAX_STATES)
			c->n[core.family][core.ss_state][core.skstate]++;
		c->total++;
	}
}

static int sockstat_put_counts(struct sk_buff *msg, const struct sockstat_counts *c)
{
	u16 fam;
	u8 ss, sk;

	if (nla_put_u32(msg, SOCKSTAT_A_SUMMARY_TOTAL, c->total))
		return -EMSGSIZE;
	for (fam = 0; fam < AF_MAX; fam++)
		for (ss = 0; ss < SOCKSTAT_SS_STATES; ss++)
			for (sk = 0; sk < TCP_MAX_STATES; sk++) {
				struct nlattr *nest;

				if (!c->n[fam][ss][sk])
					continue;
				nest = nla_nest_start(msg, SOCKSTAT_A_SUMMARY_ENTRY);
				if (!nest ||
				    nla_put_u16(msg, SOCKSTAT_A_SUMMARY_ENTRY_FAMILY, fam) ||
				    nla_put_u8(msg, SOCKSTAT_A_SUMMARY_ENTRY_SS_STATE, ss) ||
				    nla_put_u8(msg, SOCKSTAT_A_SUMMARY_ENTRY_SK_STATE, sk) ||
				    nla_put_u32(msg, SOCKSTAT_A_SUMMARY_ENTRY_COUNT,
						c->n[fam][ss][sk]))
					return -EMSGSIZE;
				nla_nest_end(msg, nest);
			}
	return 0;
}

/* The reply's size: one entry per combination that has sockets. */
static size_t sockstat_counts_size(const struct sockstat_counts *c)
{
	size_t entry = nla_total_size(0) + 4 * nla_total_size(sizeof(u32));
	size_t size = nla_total_size(sizeof(u32));
	const u32 *p = &c->n[0][0][0];
	size_t i;

	for (i = 0; i < sizeof(c->n) / sizeof(*p); i++)
		if (p[i])
			size += entry;
	return size;
}

int sockstat_nl_summary_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sockstat_counts *c;
	struct sockstat_filter f;
	struct sockstat_walk w;
	struct sk_buff *msg;
	void *hdr;
	int err;

	err = sockstat_nl_filter(&f, skb, info->attrs, info->extack);
	if (err)
		return err;
	c = kzalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);
	if (!c)
		return -ENOMEM;
	err = sockstat_walk_init(&w, &f, SOCKSTAT_WINDOW_DUMP);
	if (err)
		goto out_free;
	sockstat_count(c, &w);
	sockstat_walk_exit(&w);

	err = -ENOMEM;
	msg = genlmsg_new(sockstat_counts_size(c), GFP_KERNEL);
	if (!msg)
		goto out_free;
	hdr = genlmsg_put_reply(msg, info, &sockstat_nl_family, 0,
				SOCKSTAT_CMD_SUMMARY);
	if (!hdr || sockstat_put_counts(msg, c)) {
		nlmsg_free(msg);
		err = -EMSGSIZE;
		goto out_free;
	}
	genlmsg_end(msg, hdr);
	kfree(c);
	return genlmsg_reply(msg, info);

out_free:
	kfree(c);
	return err;
}
