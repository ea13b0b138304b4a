// SPDX-License-Identifier: GPL-2.0
/*
 * The "sockstat" Generic Netlink family.
 */
#include <linux/capability.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>
#include <uapi/linux/sockstat.h>

#include "compat.h"
#include "events.h"
#include "sockstat.h"

/*
 * Each operation has its own strict policy: a request carries only the
 * attributes its operation reads, anything else is refused with an
 * extended ACK ("Unsupported attribute").  The selectors every operation
 * takes:
 */
#define SOCKSTAT_SELECTORS \
	[SOCKSTAT_A_SOCK_INODE] = NLA_POLICY_MIN(NLA_U64, 1), \
	[SOCKSTAT_A_SOCK_FAMILY] = NLA_POLICY_RANGE(NLA_U16, 1, AF_MAX - 1), \
	[SOCKSTAT_A_SOCK_TYPE] = NLA_POLICY_RANGE(NLA_U16, 1, SOCK_MAX - 1), \
	[SOCKSTAT_A_SOCK_NETNS] = { .type = NLA_U32 }, \
	[SOCKSTAT_A_SOCK_SS_STATES] = NLA_POLICY_MASK(NLA_U32, SOCKSTAT_SS_STATES_ALL), \
	/* Any bit: each family numbers its states (the uapi header). */ \
	[SOCKSTAT_A_SOCK_SK_STATES] = { .type = NLA_U32 }, \
	[SOCKSTAT_A_SOCK_PID] = NLA_POLICY_MIN(NLA_U32, 1)
#define SOCKSTAT_POLICY_NOFD_KINDS \
	[SOCKSTAT_A_SOCK_NOFD_KINDS] = NLA_POLICY_MASK(NLA_U32, SOCKSTAT_NOFD_KINDS_ALL)
#define SOCKSTAT_POLICY_DETAILS \
	[SOCKSTAT_A_SOCK_DETAILS] = NLA_POLICY_MASK(NLA_U32, SOCKSTAT_DETAILS_ALL)

/* GET dump: the selectors, the sockets no descriptor reaches, the details. */
static const struct nla_policy sockstat_get_dump_nl_policy[SOCKSTAT_A_SOCK_MAX + 1] = {
	SOCKSTAT_SELECTORS,
	SOCKSTAT_POLICY_NOFD_KINDS,
	SOCKSTAT_POLICY_DETAILS,
};

/* SUMMARY: what it counts, nothing of what it would report. */
static const struct nla_policy sockstat_summary_nl_policy[SOCKSTAT_A_SOCK_MAX + 1] = {
	SOCKSTAT_SELECTORS,
	SOCKSTAT_POLICY_NOFD_KINDS,
};

#ifdef SOCKSTAT_HAVE_SPLIT_OPS
/* GET do: one socket by its inode; no sockets without a descriptor. */
static const struct nla_policy sockstat_get_do_nl_policy[SOCKSTAT_A_SOCK_MAX + 1] = {
	SOCKSTAT_SELECTORS,
	SOCKSTAT_POLICY_DETAILS,
};
#endif

/* SUBSCRIBE: the namespace to follow; UNSUBSCRIBE: nothing. */
static const struct nla_policy sockstat_subscribe_nl_policy[SOCKSTAT_A_EVENT_NETNS + 1] = {
	[SOCKSTAT_A_EVENT_KIND] = { .type = NLA_REJECT },
	[SOCKSTAT_A_EVENT_SEQ] = { .type = NLA_REJECT },
	[SOCKSTAT_A_EVENT_TIME_NS] = { .type = NLA_REJECT },
	[SOCKSTAT_A_EVENT_NETNS] = { .type = NLA_U32 },
};

static const struct nla_policy sockstat_unsubscribe_nl_policy[SOCKSTAT_A_EVENT_KIND + 1] = {
	[SOCKSTAT_A_EVENT_KIND] = { .type = NLA_REJECT },
};

static const struct genl_multicast_group sockstat_nl_mcgrps[] = {
	{ .name = SOCKSTAT_MCGRP_EVENTS, },
};

struct genl_family sockstat_nl_family;

/*
 * Turn the selector attributes of a request into a filter, in the
 * requester's context (a do, or a dump's start): its credentials, pid
 * namespace and capabilities are taken now, for every part of a dump
 * (sockstat_filter_init()); release with sockstat_filter_release().  The
 * caller's network namespace is the default; another one, or all of them
 * (0), needs CAP_NET_ADMIN in the initial user namespace.
 */
int sockstat_nl_filter(struct sockstat_filter *f, const struct sk_buff *skb,
		       struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct net *net = sock_net(skb->sk);

	/* The requesting socket lives as long as the dump: its user ns too. */
	sockstat_filter_init(f, net, current_cred(), sk_user_ns(NETLINK_CB(skb).sk));
	/* inet_diag's rule for the mark. */
	f->net_admin = netlink_net_capable(skb, CAP_NET_ADMIN);
	if (attrs[SOCKSTAT_A_SOCK_INODE])
		f->ino = nla_get_u64(attrs[SOCKSTAT_A_SOCK_INODE]);
	if (attrs[SOCKSTAT_A_SOCK_FAMILY])
		f->family = nla_get_u16(attrs[SOCKSTAT_A_SOCK_FAMILY]);
	if (attrs[SOCKSTAT_A_SOCK_TYPE])
		f->type = nla_get_u16(attrs[SOCKSTAT_A_SOCK_TYPE]);
	if (attrs[SOCKSTAT_A_SOCK_SS_STATES])
		f->ss_states = nla_get_u32(attrs[SOCKSTAT_A_SOCK_SS_STATES]);
	if (attrs[SOCKSTAT_A_SOCK_SK_STATES]) {
		f->sk_states = nla_get_u32(attrs[SOCKSTAT_A_SOCK_SK_STATES]);
		f->sk_states_set = true;
	}
	if (attrs[SOCKSTAT_A_SOCK_PID])
		f->pid = nla_get_u32(attrs[SOCKSTAT_A_SOCK_PID]);
	if (attrs[SOCKSTAT_A_SOCK_NOFD_KINDS])
		f->nofd_kinds = nla_get_u32(attrs[SOCKSTAT_A_SOCK_NOFD_KINDS]);
	if (attrs[SOCKSTAT_A_SOCK_DETAILS])
		f->details = nla_get_u32(attrs[SOCKSTAT_A_SOCK_DETAILS]);
	if (attrs[SOCKSTAT_A_SOCK_NETNS]) {
		u32 inum = nla_get_u32(attrs[SOCKSTAT_A_SOCK_NETNS]);

		if (inum != net->ns.inum) {
			if (!netlink_capable(skb, CAP_NET_ADMIN)) {
				NL_SET_ERR_MSG_ATTR(extack, attrs[SOCKSTAT_A_SOCK_NETNS],
						    "other network namespaces need CAP_NET_ADMIN in the initial user namespace");
				sockstat_filter_release(f);
				return -EPERM;
			}
			f->net = NULL;
			f->netns_inum = inum;
		}
	}
	return 0;
}

/*
 * NLM_F_DUMP_INTR is never set: a walk reports every socket that stays
 * open in the same descriptor through the dump exactly once (walk.c), so
 * the kernel never knows a dump to be inconsistent.  Owners that may be
 * out of date carry SOCKSTAT_A_SOCK_OWNERS_STALE instead.
 */
static int sockstat_nl_fill(struct sk_buff *skb, const struct sockstat_walk *w,
			    u32 portid, u32 seq, int flags)
{
	bool alone = !skb->len;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &sockstat_nl_family, flags,
			  SOCKSTAT_CMD_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (sockstat_put_sock(skb, w, alone)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int sockstat_nl_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sockstat_filter f;
	struct sockstat_walk w;
	struct sk_buff *msg;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SOCKSTAT_A_SOCK_INODE))
		return -EINVAL;
	/* Kernels without split ops share the dump's policy (see the ops). */
	if (info->attrs[SOCKSTAT_A_SOCK_NOFD_KINDS]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SOCKSTAT_A_SOCK_NOFD_KINDS],
				    "Unsupported attribute");
		return -EINVAL;
	}
	err = sockstat_nl_filter(&f, skb, info->attrs, info->extack);
	if (err)
		return err;
	err = sockstat_walk_init(&w, &f, SOCKSTAT_WINDOW_LOOKUP,
				 SOCKSTAT_WINDOW_LOOKUP);
	if (err)
		goto out_filter;

	if (!sockstat_walk_next(&w)) {
		err = w.err;
		if (!err) {
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SOCKSTAT_A_SOCK_INODE],
					    "no socket with this inode is open in this network namespace");
			err = -ENOENT;
		}
		goto out;
	}
	msg = genlmsg_new(GENLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto out;
	}
	err = sockstat_nl_fill(msg, &w, info->snd_portid, info->snd_seq, 0);
	if (err) {
		nlmsg_free(msg);
		goto out;
	}
	sockstat_walk_exit(&w);
	sockstat_filter_release(&f);
	return genlmsg_reply(msg, info);

out:
	sockstat_walk_exit(&w);
out_filter:
	sockstat_filter_release(&f);
	return err;
}

/**
 * struct sockstat_dump - a GET dump between two parts
 * @walk: the walk over the descriptor tables
 * @match: the request's selectors (the walk's may let more through)
 * @in_queue: @queue_of was reported, the rest of its queue is next
 * @in_table: the walk is done, the TCP table is next
 * @queue_of: the socket whose queue is in progress (compared, never used)
 * @queue_ino: and its inode number
 * @qpos: the place in that queue
 * @tpos: the place in the TCP table
 * @skb: the part being filled
 * @cb: the dump
 */
struct sockstat_dump {
	struct sockstat_walk walk;
	struct sockstat_filter match;
	bool in_queue;
	bool in_table;
	struct socket *queue_of;
	u64 queue_ino;
	u32 qpos;
	struct sockstat_table_pos tpos;
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

/* A dump keeps its state, and a reference on the caller's pid namespace. */
static struct sockstat_dump **sockstat_nl_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct sockstat_dump *) > sizeof(cb->ctx));
	return (struct sockstat_dump **)cb->ctx;
}

static int sockstat_nl_get_start(struct netlink_callback *cb)
{
	struct sockstat_filter f, walk;
	struct sockstat_dump *d;
	int err;

	err = sockstat_nl_filter(&f, cb->skb, sockstat_dump_attrs(cb), cb->extack);
	if (err)
		return err;
	d = kzalloc(sizeof(*d), GFP_KERNEL_ACCOUNT);
	if (!d) {
		sockstat_filter_release(&f);
		return -ENOMEM;
	}
	/* d->match owns the filter's references; the walk's copy borrows them. */
	d->match = f;
	sockstat_filter_for_walk(&f, &walk);
	err = sockstat_walk_init(&d->walk, &walk, SOCKSTAT_WINDOW_DUMP,
				 SOCKSTAT_WINDOW_MAX);
	if (err) {
		sockstat_filter_release(&d->match);
		kfree(d);
		return err;
	}
	*sockstat_nl_dump_ctx(cb) = d;
	return 0;
}

/* One socket no descriptor reaches, as a message of the dump. */
static int sockstat_nl_dump_nofd(void *arg, const struct sockstat_nofd_sock *e)
{
	struct sockstat_dump *d = arg;
	struct sk_buff *skb = d->skb;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(d->cb->skb).portid, d->cb->nlh->nlmsg_seq,
			  &sockstat_nl_family, NLM_F_MULTI, SOCKSTAT_CMD_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (sockstat_put_nofd(skb, e, &d->match)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* The sockets of the walk, each followed by those its queue holds. */
static int sockstat_nl_dump_walk(struct sockstat_dump *d)
{
	struct sockstat_walk *w = &d->walk;
	struct socket *sock;
	int err;

	while ((sock = sockstat_walk_next(w))) {
		/* The socket whose queue was in progress was closed meanwhile. */
		if (d->in_queue && (sock != d->queue_of ||
				    SOCK_INODE(sock)->i_ino != d->queue_ino)) {
			d->in_queue = false;
			d->qpos = 0;
		}
		if (!d->in_queue && sockstat_match(&d->match, sock)) {
			err = sockstat_nl_fill(d->skb, w, NETLINK_CB(d->cb->skb).portid,
					       d->cb->nlh->nlmsg_seq, NLM_F_MULTI);
			if (err)
				goto again;
		}
		d->in_queue = true;
		d->queue_of = sock;
		d->queue_ino = SOCK_INODE(sock)->i_ino;
		err = sockstat_walk_queued(w, d->queue_ino, &d->match, &d->qpos,
					   sockstat_nl_dump_nofd, d);
		if (err)
			goto again;
		d->in_queue = false;
		d->qpos = 0;
	}
	return w->err;

again:
	/* The next part starts with this socket (or the rest of its queue). */
	sockstat_walk_again(w);
	return err;
}

static int sockstat_nl_get_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	struct sockstat_dump *d = *sockstat_nl_dump_ctx(cb);
	int err = 0;

	d->skb = skb;
	d->cb = cb;
	/*
	 * One window per part: the first part runs under generic netlink's
	 * global lock (Documentation/index.rst, "Do no harm").  Another only
	 * while there is nothing to send yet: a part may not be empty, and
	 * the window's sockets may all have closed before we read them.
	 */
	while (!d->in_table) {
		sockstat_walk_one_window(&d->walk);
		err = sockstat_nl_dump_walk(d);
		if (err)
			break;
		if (sockstat_walk_done(&d->walk))
			d->in_table = true;
		else if (skb->len)
			return skb->len;
	}
	if (!err)
		err = sockstat_nofd_table(&d->match, &d->tpos,
					  sockstat_nl_dump_nofd, d);
	sockstat_walk_put(&d->walk);

	/* A socket that does not fit in an empty skb would never fit. */
	if (err && !skb->len)
		return err;
	return err ? skb->len : 0;
}

static int sockstat_nl_get_done(struct netlink_callback *cb)
{
	struct sockstat_dump *d = *sockstat_nl_dump_ctx(cb);

	if (d) {
		sockstat_walk_exit(&d->walk);
		sockstat_filter_release(&d->match);
		kfree(d);
	}
	return 0;
}

#ifdef SOCKSTAT_HAVE_SPLIT_OPS
static const struct genl_split_ops sockstat_nl_ops[] = {
	{
		.cmd		= SOCKSTAT_CMD_GET,
		.doit		= sockstat_nl_get_doit,
		.policy		= sockstat_get_do_nl_policy,
		.maxattr	= ARRAY_SIZE(sockstat_get_do_nl_policy) - 1,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SOCKSTAT_CMD_GET,
		.start		= sockstat_nl_get_start,
		.dumpit		= sockstat_nl_get_dumpit,
		.done		= sockstat_nl_get_done,
		.policy		= sockstat_get_dump_nl_policy,
		.maxattr	= ARRAY_SIZE(sockstat_get_dump_nl_policy) - 1,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= SOCKSTAT_CMD_SUMMARY,
		.doit		= sockstat_nl_summary_doit,
		.policy		= sockstat_summary_nl_policy,
		.maxattr	= ARRAY_SIZE(sockstat_summary_nl_policy) - 1,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SOCKSTAT_CMD_SUMMARY,
		.start		= sockstat_nl_summary_start,
		.dumpit		= sockstat_nl_summary_dumpit,
		.done		= sockstat_nl_summary_done,
		.policy		= sockstat_summary_nl_policy,
		.maxattr	= ARRAY_SIZE(sockstat_summary_nl_policy) - 1,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= SOCKSTAT_CMD_SUBSCRIBE,
		.doit		= sockstat_nl_subscribe_doit,
		.policy		= sockstat_subscribe_nl_policy,
		.maxattr	= ARRAY_SIZE(sockstat_subscribe_nl_policy) - 1,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SOCKSTAT_CMD_UNSUBSCRIBE,
		.doit		= sockstat_nl_unsubscribe_doit,
		.policy		= sockstat_unsubscribe_nl_policy,
		.maxattr	= ARRAY_SIZE(sockstat_unsubscribe_nl_policy) - 1,
		.flags		= GENL_CMD_CAP_DO,
	},
};

#define SOCKSTAT_FAMILY_OPS	.split_ops = sockstat_nl_ops, \
				.n_split_ops = ARRAY_SIZE(sockstat_nl_ops)
#elif defined(SOCKSTAT_HAVE_GENL_OPS_POLICY)
/*
 * Kernels before split ops (6.2) have one policy for the do and the dump
 * of an operation: GET's is the dump's, and the do refuses what only the
 * dump takes itself (sockstat_nl_get_doit()).
 */
static const struct genl_ops sockstat_nl_ops[] = {
	{
		.cmd		= SOCKSTAT_CMD_GET,
		.doit		= sockstat_nl_get_doit,
		.start		= sockstat_nl_get_start,
		.dumpit		= sockstat_nl_get_dumpit,
		.done		= sockstat_nl_get_done,
		.policy		= sockstat_get_dump_nl_policy,
		.maxattr	= ARRAY_SIZE(sockstat_get_dump_nl_policy) - 1,
	},
	{
		.cmd		= SOCKSTAT_CMD_SUMMARY,
		.doit		= sockstat_nl_summary_doit,
		.start		= sockstat_nl_summary_start,
		.dumpit		= sockstat_nl_summary_dumpit,
		.done		= sockstat_nl_summary_done,
		.policy		= sockstat_summary_nl_policy,
		.maxattr	= ARRAY_SIZE(sockstat_summary_nl_policy) - 1,
	},
	{
		.cmd		= SOCKSTAT_CMD_SUBSCRIBE,
		.doit		= sockstat_nl_subscribe_doit,
		.policy		= sockstat_subscribe_nl_policy,
		.maxattr	= ARRAY_SIZE(sockstat_subscribe_nl_policy) - 1,
	},
	{
		.cmd		= SOCKSTAT_CMD_UNSUBSCRIBE,
		.doit		= sockstat_nl_unsubscribe_doit,
		.policy		= sockstat_unsubscribe_nl_policy,
		.maxattr	= ARRAY_SIZE(sockstat_unsubscribe_nl_policy) - 1,
	},
};

#define SOCKSTAT_FAMILY_OPS	.ops = sockstat_nl_ops, \
				.n_ops = ARRAY_SIZE(sockstat_nl_ops)
#endif	/* neither: compat.h stops the build */

struct genl_family sockstat_nl_family __ro_after_init = {
	.name		= SOCKSTAT_FAMILY_NAME,
	.version	= SOCKSTAT_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.mcgrps		= sockstat_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(sockstat_nl_mcgrps),
	SOCKSTAT_FAMILY_OPS,
};

int sockstat_netlink_init(void)
{
	return genl_register_family(&sockstat_nl_family);
}

void sockstat_netlink_exit(void)
{
	genl_unregister_family(&sockstat_nl_family);
}
