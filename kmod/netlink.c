// SPDX-License-Identifier: GPL-2.0
/*
 * The "sockstat" Generic Netlink family.
 */
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>
#include <uapi/linux/sockstat.h>

#include "compat.h"
#include "sockstat.h"

/*
 * One policy for the do and the dump of GET (6.1 has no split ops): every
 * attribute a request may carry selects sockets.
 */
static const struct nla_policy sockstat_get_nl_policy[SOCKSTAT_A_SOCK_TYPE + 1] = {
	[SOCKSTAT_A_SOCK_INODE] = NLA_POLICY_MIN(NLA_U64, 1),
	[SOCKSTAT_A_SOCK_FAMILY] = NLA_POLICY_RANGE(NLA_U16, 1, AF_MAX - 1),
	[SOCKSTAT_A_SOCK_TYPE] = NLA_POLICY_RANGE(NLA_U16, 1, SOCK_MAX - 1),
};

static struct genl_family sockstat_nl_family;

static int sockstat_nl_fill(struct sk_buff *skb, struct socket *sock,
			    u32 portid, u32 seq, int flags)
{
	struct sockstat_core c;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &sockstat_nl_family, flags,
			  SOCKSTAT_CMD_GET);
	if (!hdr)
		return -EMSGSIZE;

	sockstat_read_core(sock, &c);
	if (nla_put_u64_64bit(skb, SOCKSTAT_A_SOCK_INODE, c.ino,
			      SOCKSTAT_A_SOCK_PAD) ||
	    nla_put_u16(skb, SOCKSTAT_A_SOCK_FAMILY, c.family) ||
	    nla_put_u16(skb, SOCKSTAT_A_SOCK_TYPE, c.type) ||
	    nla_put_u16(skb, SOCKSTAT_A_SOCK_PROTOCOL, c.protocol) ||
	    nla_put_u8(skb, SOCKSTAT_A_SOCK_SS_STATE, c.ss_state) ||
	    nla_put_u8(skb, SOCKSTAT_A_SOCK_SK_STATE, c.skstate) ||
	    nla_put_u32(skb, SOCKSTAT_A_SOCK_RECV_Q, c.recv_q) ||
	    nla_put_u32(skb, SOCKSTAT_A_SOCK_SEND_Q, c.send_q)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Turn the selector attributes of a request into a filter. */
static void sockstat_nl_filter(struct sockstat_filter *f, struct net *net,
			       struct nlattr **attrs)
{
	*f = (struct sockstat_filter){
		.net = net,
		.pid_ns = task_active_pid_ns(current),
	};
	if (attrs[SOCKSTAT_A_SOCK_INODE])
		f->ino = nla_get_u64(attrs[SOCKSTAT_A_SOCK_INODE]);
	if (attrs[SOCKSTAT_A_SOCK_FAMILY])
		f->family = nla_get_u16(attrs[SOCKSTAT_A_SOCK_FAMILY]);
	if (attrs[SOCKSTAT_A_SOCK_TYPE])
		f->type = nla_get_u16(attrs[SOCKSTAT_A_SOCK_TYPE]);
}

static int sockstat_nl_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sockstat_filter f;
	struct sk_buff *msg;
	struct file *file;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SOCKSTAT_A_SOCK_INODE))
		return -EINVAL;

	sockstat_nl_filter(&f, genl_info_net(info), info->attrs);
	file = sockstat_lookup(&f);
	if (!file) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[SOCKSTAT_A_SOCK_INODE],
				    "no socket with this inode is open in this network namespace");
		return -ENOENT;
	}

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto out_put;
	}
	err = sockstat_nl_fill(msg, sock_from_file(file), info->snd_portid,
			       info->snd_seq, 0);
	if (err) {
		nlmsg_free(msg);
		goto out_put;
	}
	fput(file);
	return genlmsg_reply(msg, info);

out_put:
	fput(file);
	return err;
}

/*
 * A dump keeps its walk, and a reference on the caller's pid namespace,
 * from start to done.
 */
struct sockstat_nl_dump {
	struct sockstat_walk walk;
};

static struct sockstat_nl_dump **sockstat_nl_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct sockstat_nl_dump *) > sizeof(cb->ctx));
	return (struct sockstat_nl_dump **)cb->ctx;
}

static int sockstat_nl_get_start(struct netlink_callback *cb)
{
	struct sockstat_nl_dump *d;
	struct sockstat_filter f;
	int err;

	d = kzalloc(sizeof(*d), GFP_KERNEL_ACCOUNT);
	if (!d)
		return -ENOMEM;

	sockstat_nl_filter(&f, sock_net(cb->skb->sk), sockstat_dump_attrs(cb));
	get_pid_ns(f.pid_ns);
	err = sockstat_walk_init(&d->walk, &f);
	if (err) {
		put_pid_ns(f.pid_ns);
		kfree(d);
		return err;
	}
	*sockstat_nl_dump_ctx(cb) = d;
	return 0;
}

static int sockstat_nl_get_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	struct sockstat_nl_dump *d = *sockstat_nl_dump_ctx(cb);
	struct socket *sock;
	int err = 0;

	while ((sock = sockstat_walk_next(&d->walk))) {
		err = sockstat_nl_fill(skb, sock, NETLINK_CB(cb->skb).portid,
				       cb->nlh->nlmsg_seq, NLM_F_MULTI);
		if (err) {
			sockstat_walk_again(&d->walk);
			break;
		}
	}
	sockstat_walk_put(&d->walk);

	/* A socket that does not fit in an empty skb would never fit. */
	if (err && !skb->len)
		return err;
	return sock ? skb->len : 0;
}

static int sockstat_nl_get_done(struct netlink_callback *cb)
{
	struct sockstat_nl_dump *d = *sockstat_nl_dump_ctx(cb);

	if (d) {
		put_pid_ns(d->walk.filter.pid_ns);
		sockstat_walk_exit(&d->walk);
		kfree(d);
	}
	return 0;
}

static const struct genl_ops sockstat_nl_ops[] = {
	{
		.cmd		= SOCKSTAT_CMD_GET,
		.doit		= sockstat_nl_get_doit,
		.start		= sockstat_nl_get_start,
		.dumpit		= sockstat_nl_get_dumpit,
		.done		= sockstat_nl_get_done,
		.policy		= sockstat_get_nl_policy,
		.maxattr	= ARRAY_SIZE(sockstat_get_nl_policy) - 1,
	},
};

static struct genl_family sockstat_nl_family __ro_after_init = {
	.name		= SOCKSTAT_FAMILY_NAME,
	.version	= SOCKSTAT_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= sockstat_nl_ops,
	.n_ops		= ARRAY_SIZE(sockstat_nl_ops),
};

int sockstat_netlink_init(void)
{
	return genl_register_family(&sockstat_nl_family);
}

void sockstat_netlink_exit(void)
{
	genl_unregister_family(&sockstat_nl_family);
}
