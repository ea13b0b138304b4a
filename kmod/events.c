// SPDX-License-Identifier: GPL-2.0
/*
 * Subscribers, and the worker that sends them events.
 *
 * A subscriber is a generic netlink socket that sent SOCKSTAT_CMD_SUBSCRIBE:
 * events are unicast to it, each built in its view, with the rules of a
 * dump (the credentials, pid and user namespaces it had when it
 * subscribed: sockstat_filter_init()).  The socket's close ends the
 * subscription (the netlink notifier's NETLINK_URELEASE), as UNSUBSCRIBE
 * does.  The multicast group "events" gets the same events without the
 * task (anyone in the namespace may join, as anyone may dump), while at
 * least one socket subscribes.
 *
 * Zero cost when nobody listens: the probes, the ring and the notifier
 * exist only from the first SUBSCRIBE to the last subscriber's leaving.
 * Arming happens in the SUBSCRIBE request, so that its reply means "what
 * happens from now on is captured"; disarming, which waits for RCU and
 * for the probes' handlers, happens in a work item, never under generic
 * netlink's lock.
 *
 * Locks: sockstat_arm_lock (arming) is taken before sockstat_sub_lock (the
 * list); the worker takes sockstat_sub_lock only, so disarming can wait
 * for it.
 */
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>
#include <uapi/linux/sockstat.h>

#include "compat.h"
#include "events.h"
#include "sockstat.h"

/**
 * struct sockstat_sub - a subscribed socket
 * @list: in sockstat_subs
 * @net: the socket's network namespace (a reference)
 * @portid: the socket's port id
 * @netns_inum: follow this namespace; 0 with @all: every one
 * @all: follow every namespace
 * @start_seq: events numbered up to this came before it subscribed: of
 *	the namespace it follows, or of @net with @all
 * @filter: its credentials and namespaces, for the task of each event
 * @user_ns: the user namespace its uids are in (a reference)
 * @dropped_seen: the drop counter it was last told: of @net, of the
 *	namespace it follows, or of all of them with @all
 * @missed_seen: the probes' miss counter it was last told
 * @skb: the message being filled for it
 */
struct sockstat_sub {
	struct list_head list;
	struct net *net;
	u32 portid;
	u32 netns_inum;
	bool all;
	u64 start_seq;
	struct sockstat_filter filter;
	struct user_namespace *user_ns;
	u64 dropped_seen;
	u64 missed_seen;
	struct sk_buff *skb;
};

static DEFINE_MUTEX(sockstat_arm_lock);
static DEFINE_MUTEX(sockstat_sub_lock);
static LIST_HEAD(sockstat_subs);
static bool sockstat_armed;
static struct workqueue_struct *sockstat_ev_wq;
static struct work_struct sockstat_ev_send_work;
static struct work_struct sockstat_ev_check_work;

#define SOCKSTAT_EV_BATCH	32
static struct sockstat_event sockstat_ev_batch[SOCKSTAT_EV_BATCH];

static void sockstat_sub_free(struct sockstat_sub *sub)
{
	sockstat_filter_release(&sub->filter);
	put_user_ns(sub->user_ns);
	put_net(sub->net);
	kfree_skb(sub->skb);
	kfree(sub);
}

/* The task nest, when @sub may see that process (the dump's rule). */
static int sockstat_put_ev_task(struct sk_buff *skb, const struct sockstat_event *ev,
				const struct sockstat_sub *sub)
{
	struct pid_namespace *ns = sub->filter.pid_ns;
	struct nlattr *nest;
	pid_t pid, tid;

	if (!ev->tgid || !ev->cred)
		return 0;
	pid = pid_nr_ns(ev->tgid, ns);
	if (!pid || !sockstat_may_see_task(&sub->filter, ev->tgid, ev->cred,
					   ev->dumpable, ev->mm_ns))
		return 0;
	tid = pid_nr_ns(ev->tid, ns);
	nest = nla_nest_start(skb, SOCKSTAT_A_EVENT_TASK);
	if (!nest ||
	    nla_put_u32(skb, SOCKSTAT_A_OWNER_PID, pid) ||
	    (tid && tid != pid && nla_put_u32(skb, SOCKSTAT_A_OWNER_TID, tid)) ||
	    nla_put_string(skb, SOCKSTAT_A_OWNER_COMM, ev->comm) ||
	    nla_put_u32(skb, SOCKSTAT_A_OWNER_UID,
			from_kuid_munged(sub->user_ns, ev->cred->uid))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int sockstat_put_ev_attrs(struct sk_buff *skb, const struct sockstat_event *ev,
				 const struct sockstat_sub *sub)
{
	bool states = ev->kind == SOCKSTAT_EVENT_KIND_SS_STATE ||
		      ev->kind == SOCKSTAT_EVENT_KIND_SK_STATE;

	if (nla_put_u8(skb, SOCKSTAT_A_EVENT_KIND, ev->kind) ||
	    nla_put_u64_64bit(skb, SOCKSTAT_A_EVENT_SEQ, ev->seq, SOCKSTAT_A_EVENT_PAD) ||
	    nla_put_u64_64bit(skb, SOCKSTAT_A_EVENT_TIME_NS, ev->time_ns, SOCKSTAT_A_EVENT_PAD) ||
	    nla_put_u32(skb, SOCKSTAT_A_EVENT_NETNS, ev->netns_inum) ||
	    nla_put_u64_64bit(skb, SOCKSTAT_A_EVENT_INODE, ev->ino, SOCKSTAT_A_EVENT_PAD) ||
	    nla_put_u64_64bit(skb, SOCKSTAT_A_EVENT_COOKIE, ev->cookie, SOCKSTAT_A_EVENT_PAD) ||
	    nla_put_u16(skb, SOCKSTAT_A_EVENT_FAMILY, ev->family) ||
	    (ev->ino && nla_put_u16(skb, SOCKSTAT_A_EVENT_TYPE, ev->type)) ||
	    nla_put_u16(skb, SOCKSTAT_A_EVENT_PROTOCOL, ev->protocol) ||
	    (states && nla_put_u8(skb, SOCKSTAT_A_EVENT_OLD, ev->old)) ||
	    ((states || ev->kind == SOCKSTAT_EVENT_KIND_CREATED) &&
	     nla_put_u8(skb, SOCKSTAT_A_EVENT_NEW, ev->new)) ||
	    ((ev->kind == SOCKSTAT_EVENT_KIND_CREATED ||
	      ev->kind == SOCKSTAT_EVENT_KIND_SHUTDOWN) &&
	     nla_put_u8(skb, SOCKSTAT_A_EVENT_HOW, ev->how)) ||
	    (ev->kern && nla_put_flag(skb, SOCKSTAT_A_EVENT_KERN)) ||
	    (ev->listener_ino &&
	     nla_put_u64_64bit(skb, SOCKSTAT_A_EVENT_LISTENER_INODE, ev->listener_ino,
			       SOCKSTAT_A_EVENT_PAD)))
		return -EMSGSIZE;
	return sub ? sockstat_put_ev_task(skb, ev, sub) : 0;
}

/**
 * sockstat_put_event() - one event as a SOCKSTAT_CMD_EVENT message
 * @skb: the message buffer
 * @ev: the event
 * @sub: the subscriber whose view it is in, or NULL: the multicast
 *	group's, without the task
 *
 * Return: 0 or -EMSGSIZE (nothing of it is left in @skb).
 */
static int sockstat_put_event(struct sk_buff *skb, const struct sockstat_event *ev,
			      const struct sockstat_sub *sub)
{
	void *hdr = genlmsg_put(skb, 0, 0, &sockstat_nl_family, 0, SOCKSTAT_CMD_EVENT);

	if (!hdr)
		return -EMSGSIZE;
	if (sockstat_put_ev_attrs(skb, ev, sub)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* A LOST event: the counters, for a subscriber whose events were lost. */
static int sockstat_put_lost(struct sk_buff *skb, u32 netns_inum, u64 seq,
			     u64 dropped, u64 missed)
{
	void *hdr = genlmsg_put(skb, 0, 0, &sockstat_nl_family, 0, SOCKSTAT_CMD_EVENT);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u8(skb, SOCKSTAT_A_EVENT_KIND, SOCKSTAT_EVENT_KIND_LOST) ||
	    nla_put_u64_64bit(skb, SOCKSTAT_A_EVENT_SEQ, seq, SOCKSTAT_A_EVENT_PAD) ||
	    nla_put_u32(skb, SOCKSTAT_A_EVENT_NETNS, netns_inum) ||
	    nla_put_u64_64bit(skb, SOCKSTAT_A_EVENT_DROPPED, dropped, SOCKSTAT_A_EVENT_PAD) ||
	    nla_put_u64_64bit(skb, SOCKSTAT_A_EVENT_MISSED, missed, SOCKSTAT_A_EVENT_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * Send what @sub's message holds.  A full receive buffer drops it: the
 * socket then reads ENOBUFS (netlink_overrun()), and the numbers jump.
 */
static void sockstat_sub_flush(struct sockstat_sub *sub)
{
	struct sk_buff *skb = sub->skb;

	sub->skb = NULL;
	if (!skb)
		return;
	if (!skb->len) {
		kfree_skb(skb);
		return;
	}
	genlmsg_unicast(sub->net, skb, sub->portid);
}

/* What puts one message into a subscriber's skb (@arg: the event). */
typedef int (*sockstat_put_fn)(struct sk_buff *skb, const void *arg,
			       const struct sockstat_sub *sub);

/* Add a message to @sub's buffer, sending it first when it is full. */
static void sockstat_sub_add(struct sockstat_sub *sub, sockstat_put_fn put,
			     const void *arg)
{
	int tries;

	for (tries = 0; tries < 2; tries++) {
		if (!sub->skb)
			sub->skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
		if (!sub->skb)
			return;
		if (!put(sub->skb, arg, sub))
			return;
		sockstat_sub_flush(sub);
	}
}

static int sockstat_put_ev_cb(struct sk_buff *skb, const void *arg,
			      const struct sockstat_sub *sub)
{
	return sockstat_put_event(skb, arg, sub);
}

struct sockstat_lost {
	u32 netns_inum;
	u64 seq, dropped, missed;
};

static int sockstat_put_lost_cb(struct sk_buff *skb, const void *arg,
				const struct sockstat_sub *sub)
{
	const struct sockstat_lost *l = arg;

	return sockstat_put_lost(skb, l->netns_inum, l->seq, l->dropped, l->missed);
}

/* Whether @sub follows @ev's namespace, and @ev came after it subscribed. */
static bool sockstat_sub_wants(const struct sockstat_sub *sub, const struct sockstat_event *ev)
{
	if (sub->all)
		return ev->net != sub->net || ev->seq > sub->start_seq;
	return sub->netns_inum == ev->netns_inum && ev->seq > sub->start_seq;
}

/* The drop counter @sub follows, into @l; false if its namespace is gone. */
static bool sockstat_sub_counters(const struct sockstat_sub *sub, struct sockstat_lost *l)
{
	l->netns_inum = sub->netns_inum;
	if (!sub->all && sub->netns_inum == sub->net->ns.inum) {
		sockstat_evring_counters(sub->net, &l->seq, &l->dropped);
		return true;
	}
	return sockstat_evring_counters_of(sub->all ? 0 : sub->netns_inum, &l->seq, &l->dropped);
}

/*
 * Tell @sub of events lost in what it follows: its own namespace, another
 * one, or all of them (DROPPED then counts every namespace's drops, and
 * SEQ is 0: each has its own numbers).
 */
static void sockstat_sub_check_lost(struct sockstat_sub *sub, u64 missed)
{
	struct sockstat_lost l = { .missed = missed };

	if (!sockstat_sub_counters(sub, &l))
		l.dropped = sub->dropped_seen;
	if (l.dropped == sub->dropped_seen && missed == sub->missed_seen)
		return;
	sub->dropped_seen = l.dropped;
	sub->missed_seen = missed;
	sockstat_sub_add(sub, sockstat_put_lost_cb, &l);
}

/* The multicast group's copy: one message per event, without the task. */
static void sockstat_ev_multicast(const struct sockstat_event *ev)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&sockstat_nl_family, ev->net, 0))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	if (sockstat_put_event(skb, ev, NULL)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast_netns(&sockstat_nl_family, ev->net, skb, 0, 0, GFP_KERNEL);
}

static void sockstat_ev_send(struct work_struct *work)
{
	struct sockstat_sub *sub;
	unsigned int i, n;
	u64 missed;

	while ((n = sockstat_evring_take(sockstat_ev_batch, SOCKSTAT_EV_BATCH))) {
		missed = sockstat_evring_missed();
		mutex_lock(&sockstat_sub_lock);
		list_for_each_entry(sub, &sockstat_subs, list) {
			sockstat_sub_check_lost(sub, missed);
			for (i = 0; i < n; i++)
				if (sockstat_sub_wants(sub, &sockstat_ev_batch[i]))
					sockstat_sub_add(sub, sockstat_put_ev_cb,
							 &sockstat_ev_batch[i]);
			sockstat_sub_flush(sub);
		}
		mutex_unlock(&sockstat_sub_lock);
		for (i = 0; i < n; i++) {
			sockstat_ev_multicast(&sockstat_ev_batch[i]);
			sockstat_ev_put(&sockstat_ev_batch[i]);
		}
		cond_resched();
	}
}

/* Called by the ring's irq_work, in whatever context that runs. */
static void sockstat_ev_ready(void)
{
	queue_work(sockstat_ev_wq, &sockstat_ev_send_work);
}

static int sockstat_ev_notify(struct notifier_block *nb, unsigned long what, void *ptr);

static struct notifier_block sockstat_ev_nb = {
	.notifier_call = sockstat_ev_notify,
};

/* Under sockstat_arm_lock. */
static int sockstat_ev_arm(void)
{
	int err;

	if (sockstat_armed)
		return 0;
	err = netlink_register_notifier(&sockstat_ev_nb);
	if (err)
		return err;
	err = sockstat_evring_start();
	if (err)
		goto err_nb;
	err = sockstat_evprobes_arm();
	if (err)
		goto err_ring;
	sockstat_armed = true;
	return 0;

err_ring:
	sockstat_evring_stop();
err_nb:
	netlink_unregister_notifier(&sockstat_ev_nb);
	return err;
}

/* Under sockstat_arm_lock; not under genl's lock: it waits for RCU. */
static void sockstat_ev_disarm(void)
{
	if (!sockstat_armed)
		return;
	sockstat_evprobes_disarm();
	/* No probe can kick the worker now; let it finish what is queued. */
	sockstat_evring_stop();
	flush_workqueue(sockstat_ev_wq);
	netlink_unregister_notifier(&sockstat_ev_nb);
	sockstat_armed = false;
}

/* Disarm when the last subscriber has left. */
static void sockstat_ev_check(struct work_struct *work)
{
	bool empty;

	mutex_lock(&sockstat_arm_lock);
	mutex_lock(&sockstat_sub_lock);
	empty = list_empty(&sockstat_subs);
	mutex_unlock(&sockstat_sub_lock);
	if (empty)
		sockstat_ev_disarm();
	mutex_unlock(&sockstat_arm_lock);
}

/* Remove the subscription of (@net, @portid); true if there was one. */
static bool sockstat_sub_remove(struct net *net, u32 portid)
{
	struct sockstat_sub *sub, *tmp;
	bool found = false;

	mutex_lock(&sockstat_sub_lock);
	list_for_each_entry_safe(sub, tmp, &sockstat_subs, list) {
		if (sub->net == net && sub->portid == portid) {
			list_del(&sub->list);
			sockstat_sub_free(sub);
			found = true;
		}
	}
	mutex_unlock(&sockstat_sub_lock);
	if (found)
		schedule_work(&sockstat_ev_check_work);
	return found;
}

/* A netlink socket closed: if it subscribed, that ends now. */
static int sockstat_ev_notify(struct notifier_block *nb, unsigned long what, void *ptr)
{
	struct netlink_notify *n = ptr;

	if (what == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC)
		sockstat_sub_remove(n->net, n->portid);
	return NOTIFY_DONE;
}

int sockstat_nl_subscribe_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	u32 portid = info->snd_portid;
	struct sockstat_sub *sub, *s;
	struct sk_buff *msg;
	u64 seq = 0, dropped = 0;
	struct sockstat_lost l;
	void *hdr;
	int err;

	sub = kzalloc(sizeof(*sub), GFP_KERNEL_ACCOUNT);
	if (!sub)
		return -ENOMEM;
	sub->netns_inum = net->ns.inum;
	if (info->attrs[SOCKSTAT_A_EVENT_NETNS]) {
		u32 inum = nla_get_u32(info->attrs[SOCKSTAT_A_EVENT_NETNS]);

		if (inum != net->ns.inum && !netlink_capable(skb, CAP_NET_ADMIN)) {
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SOCKSTAT_A_EVENT_NETNS],
					    "other network namespaces need CAP_NET_ADMIN in the initial user namespace");
			kfree(sub);
			return -EPERM;
		}
		sub->netns_inum = inum;
		sub->all = !inum;
	}
	sub->net = get_net(net);
	sub->portid = portid;
	sub->user_ns = get_user_ns(sk_user_ns(NETLINK_CB(skb).sk));
	sockstat_filter_init(&sub->filter, net, current_cred(), sub->user_ns);

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto err_sub;
	}

	mutex_lock(&sockstat_arm_lock);
	err = sockstat_ev_arm();
	if (err) {
		mutex_unlock(&sockstat_arm_lock);
		NL_SET_ERR_MSG(info->extack,
			       "the event probes could not be installed (see the kernel log)");
		goto err_msg;
	}
	mutex_lock(&sockstat_sub_lock);
	list_for_each_entry(s, &sockstat_subs, list) {
		if (s->net == net && s->portid == portid) {
			mutex_unlock(&sockstat_sub_lock);
			mutex_unlock(&sockstat_arm_lock);
			NL_SET_ERR_MSG(info->extack, "this socket subscribes already");
			err = -EBUSY;
			goto err_msg;
		}
	}
	/*
	 * Under the list's lock: the worker sends every later event to it.
	 * The numbers of the namespace it follows; following all of them,
	 * its own namespace's number and every namespace's drops.
	 */
	sockstat_evring_counters(net, &seq, &dropped);
	if (sockstat_sub_counters(sub, &l)) {
		if (!sub->all)
			seq = l.seq;
		dropped = l.dropped;
	}
	sub->start_seq = seq;
	sub->dropped_seen = dropped;
	sub->missed_seen = sockstat_evring_missed();
	list_add_tail(&sub->list, &sockstat_subs);
	mutex_unlock(&sockstat_sub_lock);
	mutex_unlock(&sockstat_arm_lock);

	hdr = genlmsg_put_reply(msg, info, &sockstat_nl_family, 0, SOCKSTAT_CMD_SUBSCRIBE);
	if (!hdr ||
	    nla_put_u64_64bit(msg, SOCKSTAT_A_EVENT_SEQ, seq, SOCKSTAT_A_EVENT_PAD) ||
	    nla_put_u32(msg, SOCKSTAT_A_EVENT_NETNS, sub->netns_inum) ||
	    nla_put_u64_64bit(msg, SOCKSTAT_A_EVENT_DROPPED, dropped, SOCKSTAT_A_EVENT_PAD) ||
	    nla_put_u64_64bit(msg, SOCKSTAT_A_EVENT_MISSED, sub->missed_seen,
			      SOCKSTAT_A_EVENT_PAD)) {
		nlmsg_free(msg);
		sockstat_sub_remove(net, portid);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_msg:
	nlmsg_free(msg);
err_sub:
	sockstat_sub_free(sub);
	/* Arming may have happened for nobody. */
	schedule_work(&sockstat_ev_check_work);
	return err;
}

int sockstat_nl_unsubscribe_doit(struct sk_buff *skb, struct genl_info *info)
{
	if (!sockstat_sub_remove(genl_info_net(info), info->snd_portid)) {
		NL_SET_ERR_MSG(info->extack, "this socket does not subscribe");
		return -ENOENT;
	}
	return 0;
}

int sockstat_events_init(void)
{
	int err;

	sockstat_ev_wq = alloc_ordered_workqueue("sockstat_events", 0);
	if (!sockstat_ev_wq)
		return -ENOMEM;
	INIT_WORK(&sockstat_ev_send_work, sockstat_ev_send);
	INIT_WORK(&sockstat_ev_check_work, sockstat_ev_check);
	err = sockstat_evring_init(sockstat_ev_ready);
	if (err)
		destroy_workqueue(sockstat_ev_wq);
	return err;
}

/* After the family is gone: no request can subscribe any more. */
void sockstat_events_exit(void)
{
	struct sockstat_sub *sub, *tmp;

	mutex_lock(&sockstat_arm_lock);
	sockstat_ev_disarm();
	mutex_unlock(&sockstat_arm_lock);
	/* The notifier is gone: nothing queues the check any more. */
	cancel_work_sync(&sockstat_ev_check_work);
	list_for_each_entry_safe(sub, tmp, &sockstat_subs, list) {
		list_del(&sub->list);
		sockstat_sub_free(sub);
	}
	destroy_workqueue(sockstat_ev_wq);
	sockstat_evring_exit();
}
