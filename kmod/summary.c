// SPDX-License-Identifier: GPL-2.0
/*
 * SOCKSTAT_CMD_SUMMARY: sockets counted by family, SS_* state and
 * sk_state, like "ss -s" at the level of struct socket; and, when asked,
 * the sockets no descriptor reaches, by why, family and state.
 */
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/tcp_states.h>
#include <uapi/linux/sockstat.h>

#include "sockstat.h"

/* SS_FREE .. SS_DISCONNECTING, and one for "no struct socket". */
#define SOCKSTAT_SS_STATES	(SS_DISCONNECTING + 2)
#define SOCKSTAT_SS_NONE	(SS_DISCONNECTING + 1)
/* 0: held by a descriptor; else enum sockstat_nofd. */
#define SOCKSTAT_NOFD_SLOTS	(SOCKSTAT_NOFD_TIME_WAIT + 1)

struct sockstat_counts {
	const struct sockstat_filter *match;
	u32 total;
	u32 n[SOCKSTAT_NOFD_SLOTS][AF_MAX][SOCKSTAT_SS_STATES][TCP_MAX_STATES];
};

static void sockstat_count_one(struct sockstat_counts *c, u8 nofd, u16 family,
			       u8 ss_state, u8 skstate)
{
	if (family < AF_MAX && ss_state < SOCKSTAT_SS_STATES &&
	    skstate < TCP_MAX_STATES)
		c->n[nofd][family][ss_state][skstate]++;
	c->total++;
}

static int sockstat_count_nofd(void *arg, const struct sockstat_nofd_sock *e)
{
	struct sockstat_counts *c = arg;
	struct socket *sock = e->file ? sock_from_file(e->file) : NULL;
	struct sock *sk = sock ? READ_ONCE(sock->sk) : e->sk;

	if (sk)
		sockstat_count_one(c, e->kind, READ_ONCE(sk->sk_family),
				   sock ? READ_ONCE(sock->state) : SOCKSTAT_SS_NONE,
				   sockstat_nofd_state(e));
	return 0;
}

static void sockstat_count(struct sockstat_counts *c, struct sockstat_walk *w)
{
	struct sockstat_table_pos tpos = {};
	struct sockstat_core core;
	struct socket *sock;
	u32 qpos;

	while ((sock = sockstat_walk_next(w))) {
		if (sockstat_match(c->match, sock)) {
			sockstat_read_core(sock, &core);
			sockstat_count_one(c, 0, core.family, core.ss_state,
					   core.skstate);
		}
		qpos = 0;
		sockstat_nofd_queued(sock, c->match, &qpos, sockstat_count_nofd, c);
	}
	sockstat_nofd_table(c->match, &tpos, sockstat_count_nofd, c);
}

static int sockstat_put_entry(struct sk_buff *msg, u8 nofd, u16 fam, u8 ss,
			      u8 sk, u32 count)
{
	struct nlattr *nest;

	nest = nla_nest_start(msg, SOCKSTAT_A_SUMMARY_ENTRY);
	if (!nest ||
	    nla_put_u16(msg, SOCKSTAT_A_SUMMARY_ENTRY_FAMILY, fam) ||
	    (ss != SOCKSTAT_SS_NONE &&
	     nla_put_u8(msg, SOCKSTAT_A_SUMMARY_ENTRY_SS_STATE, ss)) ||
	    nla_put_u8(msg, SOCKSTAT_A_SUMMARY_ENTRY_SK_STATE, sk) ||
	    nla_put_u32(msg, SOCKSTAT_A_SUMMARY_ENTRY_COUNT, count) ||
	    (nofd && nla_put_u8(msg, SOCKSTAT_A_SUMMARY_ENTRY_NOFD, nofd)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int sockstat_put_counts(struct sk_buff *msg, const struct sockstat_counts *c)
{
	u8 nofd, ss, sk;
	u16 fam;

	if (nla_put_u32(msg, SOCKSTAT_A_SUMMARY_TOTAL, c->total))
		return -EMSGSIZE;
	for (nofd = 0; nofd < SOCKSTAT_NOFD_SLOTS; nofd++)
		for (fam = 0; fam < AF_MAX; fam++)
			for (ss = 0; ss < SOCKSTAT_SS_STATES; ss++)
				for (sk = 0; sk < TCP_MAX_STATES; sk++) {
					u32 n = c->n[nofd][fam][ss][sk];

					if (n && sockstat_put_entry(msg, nofd, fam, ss, sk, n))
						return -EMSGSIZE;
				}
	return 0;
}

/* The reply's size: one entry per combination that has sockets. */
static size_t sockstat_counts_size(const struct sockstat_counts *c)
{
	size_t entry = nla_total_size(0) + 5 * nla_total_size(sizeof(u32));
	size_t size = nla_total_size(sizeof(u32));
	const u32 *p = &c->n[0][0][0][0];
	size_t i;

	for (i = 0; i < sizeof(c->n) / sizeof(*p); i++)
		if (p[i])
			size += entry;
	return size;
}

int sockstat_nl_summary_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sockstat_filter f, walk;
	struct sockstat_counts *c;
	struct sockstat_walk w;
	struct sk_buff *msg;
	void *hdr;
	int err;

	err = sockstat_nl_filter(&f, skb, info->attrs, info->extack);
	if (err)
		return err;
	c = kvzalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);
	if (!c)
		return -ENOMEM;
	c->match = &f;
	sockstat_filter_for_walk(&f, &walk);
	err = sockstat_walk_init(&w, &walk, SOCKSTAT_WINDOW_DUMP);
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
	kvfree(c);
	return genlmsg_reply(msg, info);

out_free:
	kvfree(c);
	return err;
}
