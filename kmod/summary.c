// SPDX-License-Identifier: GPL-2.0
/*
 * SOCKSTAT_CMD_SUMMARY: sockets counted by family, SS_* state and
 * sk_state, like "ss -s" at the level of struct socket; and, when asked,
 * the sockets no descriptor reaches, by why, family and state.
 *
 * Counting every socket takes one scan of every descriptor table per
 * window of sockets (walk.c).  A do runs inside genl_rcv(), under generic
 * netlink's global cb_lock: a module that registers a family meanwhile
 * waits for it, and every generic netlink request on the machine (nl80211,
 * devlink, ethtool, ...) waits behind that.  So a do counts one window at
 * most, and fails with -EFBIG when there are more sockets; the dump
 * counts a window per part, and each part but the first runs in the
 * reader's recvmsg(), outside the lock.  Each part is a message of its
 * own with that part's counts; the reader adds them up.
 *
 * Counts are kept in an xarray indexed by the (kind, family, SS_* state,
 * sk_state) they count, so that every state number counts, whatever
 * the family, and only combinations in use take memory.
 */
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/tcp_states.h>
#include <uapi/linux/sockstat.h>

#include "compat.h"
#include "sockstat.h"

/* The SS_* state of a socket no struct socket has (none is put). */
#define SOCKSTAT_SS_NONE	(SS_DISCONNECTING + 1)

/**
 * struct sockstat_counts - counts not yet reported
 * @match: the request's selectors
 * @n: count by sockstat_count_key()
 * @err: -ENOMEM if a count could not be kept
 */
struct sockstat_counts {
	const struct sockstat_filter *match;
	struct xarray n;
	int err;
};

static unsigned long sockstat_count_key(u8 nofd, u16 family, u8 ss, u8 sk)
{
	return (unsigned long)nofd << 28 | (unsigned long)(family & 0xfff) << 16 |
	       ss << 8 | sk;
}

static void sockstat_count_one(struct sockstat_counts *c, u8 nofd, u16 family,
			       u8 ss_state, u8 skstate)
{
	unsigned long key = sockstat_count_key(nofd, family, ss_state, skstate);
	unsigned long n = xa_to_value(xa_load(&c->n, key));

	if (xa_err(xa_store(&c->n, key, xa_mk_value(n + 1), GFP_KERNEL_ACCOUNT)))
		c->err = -ENOMEM;
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

/*
 * Count the sockets of one window (and what their queues hold): one scan.
 * Returns 0, or why the walk stopped (-EINTR).
 */
static int sockstat_count_window(struct sockstat_counts *c, struct sockstat_walk *w)
{
	struct sockstat_core core;
	struct socket *sock;
	u32 qpos;

	sockstat_walk_one_window(w);
	while ((sock = sockstat_walk_next(w))) {
		if (sockstat_match(c->match, sock)) {
			sockstat_read_core(sock, &core);
			sockstat_count_one(c, 0, core.family, core.ss_state,
					   core.skstate);
		}
		qpos = 0;
		sockstat_walk_queued(w, SOCK_INODE(sock)->i_ino, c->match, &qpos,
				     sockstat_count_nofd, c);
	}
	sockstat_walk_put(w);
	return w->err;
}

static int sockstat_put_entry(struct sk_buff *msg, unsigned long key, u32 count)
{
	u8 nofd = key >> 28, ss = key >> 8, sk = key;
	u16 fam = (key >> 16) & 0xfff;
	struct nlattr *nest;

	nest = nla_nest_start(msg, SOCKSTAT_A_SUMMARY_ENTRY);
	if (!nest ||
	    nla_put_u16(msg, SOCKSTAT_A_SUMMARY_ENTRY_FAMILY, fam) ||
	    (ss != SOCKSTAT_SS_NONE &&
	     nla_put_u8(msg, SOCKSTAT_A_SUMMARY_ENTRY_SS_STATE, ss)) ||
	    nla_put_u8(msg, SOCKSTAT_A_SUMMARY_ENTRY_SK_STATE, sk) ||
	    nla_put_u32(msg, SOCKSTAT_A_SUMMARY_ENTRY_COUNT, count) ||
	    (nofd && nla_put_u8(msg, SOCKSTAT_A_SUMMARY_ENTRY_NOFD, nofd))) {
		if (nest)
			nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/* The most an entry takes. */
#define SOCKSTAT_ENTRY_SIZE	(nla_total_size(0) + 5 * nla_total_size(sizeof(u32)))

/*
 * A message with the counts kept, in key order, each taken out of @c as
 * it is put; as many as fit (the rest stay for the next message).  The
 * message's TOTAL is the sum of its entries.  Returns 0 or -EMSGSIZE.
 */
static int sockstat_put_counts(struct sk_buff *msg, u32 portid, u32 seq,
			       int flags, struct sockstat_counts *c)
{
	struct nlattr *total;
	unsigned long key;
	void *hdr, *v;
	u32 sum = 0;

	hdr = genlmsg_put(msg, portid, seq, &sockstat_nl_family, flags,
			  SOCKSTAT_CMD_SUMMARY);
	if (!hdr)
		return -EMSGSIZE;
	total = nla_reserve(msg, SOCKSTAT_A_SUMMARY_TOTAL, sizeof(u32));
	if (!total) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	xa_for_each(&c->n, key, v) {
		u32 n = min_t(unsigned long, xa_to_value(v), U32_MAX);

		if (sockstat_put_entry(msg, key, n))
			break;
		sum += n;
		xa_erase(&c->n, key);
	}
	*(u32 *)nla_data(total) = sum;
	genlmsg_end(msg, hdr);
	return 0;
}

static size_t sockstat_counts_size(struct sockstat_counts *c)
{
	size_t size = nla_total_size(sizeof(u32));
	unsigned long key;
	void *v;

	xa_for_each(&c->n, key, v)
		size += SOCKSTAT_ENTRY_SIZE;
	return size;
}

/* The request's filter, and the walk's, with the counts; 0 or -errno. */
static int sockstat_counts_init(struct sockstat_counts *c, struct sockstat_walk *w,
				const struct sockstat_filter *match)
{
	struct sockstat_filter walk;

	*c = (struct sockstat_counts){ .match = match };
	xa_init(&c->n);
	sockstat_filter_for_walk(match, &walk);
	return sockstat_walk_init(w, &walk, SOCKSTAT_WINDOW_DUMP, SOCKSTAT_WINDOW_MAX);
}

static void sockstat_counts_exit(struct sockstat_counts *c, struct sockstat_walk *w)
{
	sockstat_walk_exit(w);
	xa_destroy(&c->n);
}

int sockstat_nl_summary_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sockstat_table_pos tpos = {};
	struct sockstat_counts c;
	struct sockstat_filter f;
	struct sockstat_walk w;
	struct sk_buff *msg;
	int err;

	if (info->attrs[SOCKSTAT_A_SOCK_DETAILS]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SOCKSTAT_A_SOCK_DETAILS],
				    "SUMMARY counts sockets: it has no details to choose");
		return -EINVAL;
	}
	err = sockstat_nl_filter(&f, skb, info->attrs, info->extack);
	if (err)
		return err;
	err = sockstat_counts_init(&c, &w, &f);
	if (err)
		goto out;
	/* One window at most under cb_lock (see the top of the file). */
	err = sockstat_count_window(&c, &w);
	if (!err && !sockstat_walk_done(&w)) {
		NL_SET_ERR_MSG(info->extack,
			       "more sockets than one SUMMARY do counts under the generic netlink lock: ask with NLM_F_DUMP");
		err = -EFBIG;
	}
	if (!err)
		err = sockstat_nofd_table(&f, &tpos, sockstat_count_nofd, &c) ?: c.err;
	if (err)
		goto out;

	err = -ENOMEM;
	msg = genlmsg_new(sockstat_counts_size(&c), GFP_KERNEL);
	if (!msg)
		goto out;
	err = sockstat_put_counts(msg, info->snd_portid, info->snd_seq, 0, &c);
	if (err || !xa_empty(&c.n)) {
		nlmsg_free(msg);
		err = -EMSGSIZE;
		goto out;
	}
	sockstat_counts_exit(&c, &w);
	sockstat_filter_release(&f);
	return genlmsg_reply(msg, info);

out:
	sockstat_counts_exit(&c, &w);
	sockstat_filter_release(&f);
	return err;
}

/**
 * struct sockstat_summary_dump - a SUMMARY dump between two parts
 * @walk: the walk over the descriptor tables
 * @match: the request's selectors (owns the filter's references)
 * @counts: counted, not yet reported
 * @tpos: the place in the TCP table
 * @stage: 0: the walk; 1: the TCP table; 2: the rest of the counts
 */
struct sockstat_summary_dump {
	struct sockstat_walk walk;
	struct sockstat_filter match;
	struct sockstat_counts counts;
	struct sockstat_table_pos tpos;
	int stage;
};

static struct sockstat_summary_dump **sockstat_summary_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct sockstat_summary_dump *) > sizeof(cb->ctx));
	return (struct sockstat_summary_dump **)cb->ctx;
}

int sockstat_nl_summary_start(struct netlink_callback *cb)
{
	struct sockstat_summary_dump *d;
	int err;

	d = kzalloc(sizeof(*d), GFP_KERNEL_ACCOUNT);
	if (!d)
		return -ENOMEM;
	err = sockstat_nl_filter(&d->match, cb->skb, sockstat_dump_attrs(cb),
				 cb->extack);
	if (err) {
		kfree(d);
		return err;
	}
	err = sockstat_counts_init(&d->counts, &d->walk, &d->match);
	if (err) {
		sockstat_counts_exit(&d->counts, &d->walk);
		sockstat_filter_release(&d->match);
		kfree(d);
		return err;
	}
	*sockstat_summary_ctx(cb) = d;
	return 0;
}

/*
 * One part: the counts left from the last part, or those of one more
 * window, or of the TCP table; then as many as fit in a message.
 */
int sockstat_nl_summary_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct sockstat_summary_dump *d = *sockstat_summary_ctx(cb);
	struct sockstat_counts *c = &d->counts;
	int err = 0;

	if (xa_empty(&c->n)) {
		if (d->stage == 0) {
			err = sockstat_count_window(c, &d->walk);
			if (!err && sockstat_walk_done(&d->walk))
				d->stage = 1;
		} else if (d->stage == 1) {
			err = sockstat_nofd_table(&d->match, &d->tpos,
						  sockstat_count_nofd, c);
			d->stage = 2;
		} else {
			return 0;
		}
		err = err ?: c->err;
		if (err)
			return err;
	}
	err = sockstat_put_counts(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, NLM_F_MULTI, c);
	return err ?: skb->len;
}

int sockstat_nl_summary_done(struct netlink_callback *cb)
{
	struct sockstat_summary_dump *d = *sockstat_summary_ctx(cb);

	if (d) {
		sockstat_counts_exit(&d->counts, &d->walk);
		sockstat_filter_release(&d->match);
		kfree(d);
	}
	return 0;
}
