// SPDX-License-Identifier: GPL-2.0
/*
 * The ring between the probes and the worker that sends events.
 *
 * Probes run wherever the kernel changes a socket: in softirq (a packet
 * moves a TCP connection on), with a socket's spinlock held, with
 * preemption off (every kprobe), and on PREEMPT_RT too.  So the ring is
 * the one thing they touch: a raw spinlock, taken with interrupts off,
 * around the copy of a fixed-size record and the increments of the
 * references it keeps.  No allocation, no sleeping lock, no printk, and
 * no socket lock, ever, on that side.  Everything that takes time (the
 * subscribers' views, the messages) happens in the worker, in process
 * context, after an irq_work has woken it (irq_work_queue() may be called
 * from any context, an NMI included).
 *
 * Each network namespace numbers its events (struct sockstat_evnet): the
 * number is taken under the ring's lock, so the ring's order is the
 * order of the numbers, and an event the ring has no room for still takes
 * its number and counts as dropped: a subscriber sees the gap.
 */
#include <linux/irq_work.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/sock_diag.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <net/netns/generic.h>

#include "compat.h"
#include "events.h"

static unsigned int event_ring = 4096;
module_param(event_ring, uint, 0444);
MODULE_PARM_DESC(event_ring, "events the module keeps for subscribers before it drops some (default 4096; 16 to 1048576)");

struct sockstat_evnet {
	u64 seq;
	u64 dropped;
};

static unsigned int sockstat_evnet_id;
static struct pernet_operations sockstat_evnet_ops = {
	.id = &sockstat_evnet_id,
	.size = sizeof(struct sockstat_evnet),
};

static DEFINE_RAW_SPINLOCK(sockstat_ring_lock);
static struct sockstat_event *sockstat_ring;	/* NULL while not armed */
static u64 sockstat_ring_dropped;	/* every namespace's, since loaded */
static unsigned int sockstat_ring_size, sockstat_ring_head, sockstat_ring_len;
static atomic64_t sockstat_ring_missed = ATOMIC64_INIT(0);
static struct irq_work sockstat_ring_kick;
static void (*sockstat_ring_ready)(void);

/**
 * sockstat_ev_from_sock() - start an event with a socket's identity
 * @ev: the event, cleared here
 * @kind: enum sockstat_event_kind
 * @sock: the struct socket, or NULL; alive for the call (its file held
 *	by our caller's caller, or its inode kept by RCU: sockfs frees it
 *	after a grace period)
 * @sk: its struct sock, alive for the call
 */
void sockstat_ev_from_sock(struct sockstat_event *ev, u8 kind, struct socket *sock,
			   const struct sock *sk)
{
	u32 cookie[2];

	memset(ev, 0, sizeof(*ev));
	ev->kind = kind;
	ev->family = READ_ONCE(sk->sk_family);
	ev->protocol = READ_ONCE(sk->sk_protocol);
	ev->kern = sk->sk_kern_sock;
	ev->net = sock_net(sk);
	if (sock) {
		ev->ino = SOCK_INODE(sock)->i_ino;
		ev->type = READ_ONCE(sock->type);
	}
	/* Gives the struct sock a cookie if it has none, as SO_COOKIE does. */
	sock_diag_save_cookie((struct sock *)sk, cookie);
	ev->cookie = (u64)cookie[1] << 32 | cookie[0];
}

/* The task that caused the event, when one did (not softirq, not a kthread). */
static void sockstat_ev_task(struct sockstat_event *ev)
{
	struct user_namespace *ns;

	if (!in_task() || (current->flags & PF_KTHREAD) || !current->mm)
		return;
	/* current's own comm and creds: nobody else changes them under us. */
	memcpy(ev->comm, current->comm, sizeof(ev->comm));
	ev->comm[sizeof(ev->comm) - 1] = '\0';
	ev->dumpable = sockstat_current_dumpable(&ns);
	ev->mm_ns = ns;
	ev->tgid = task_tgid(current);
	ev->tid = task_pid(current);
	ev->cred = current_cred();
}

/**
 * sockstat_ev_commit() - number an event and put it in the ring
 * @ev: the event (sockstat_ev_from_sock() and its own fields); copied
 * @task: attribute it to current, if current is a task of a process
 *
 * Any context.  Takes the references the ring's copy keeps, only once it
 * has a place in the ring.  Events of a network namespace that is being
 * dismantled are not kept: nobody can listen there any more.
 */
void sockstat_ev_commit(struct sockstat_event *ev, bool task)
{
	struct sockstat_evnet *pn;
	struct sockstat_event *slot;
	unsigned long flags;
	bool kick;

	if (!READ_ONCE(sockstat_ring))
		return;
	if (!maybe_get_net(ev->net))
		return;
	ev->time_ns = ktime_get_real_fast_ns();
	ev->netns_inum = ev->net->ns.inum;
	if (task)
		sockstat_ev_task(ev);

	raw_spin_lock_irqsave(&sockstat_ring_lock, flags);
	if (!sockstat_ring)
		goto unlock;
	rcu_read_lock();
	pn = net_generic(ev->net, sockstat_evnet_id);
	/*
	 * A namespace being set up has no data of ours until our pernet
	 * init has run (after the kernel's own, which make sockets): nobody
	 * can listen in it yet.
	 */
	if (!pn) {
		rcu_read_unlock();
		goto unlock;
	}
	ev->seq = ++pn->seq;
	if (sockstat_ring_len == sockstat_ring_size) {
		pn->dropped++;
		sockstat_ring_dropped++;
		rcu_read_unlock();
		goto unlock;
	}
	rcu_read_unlock();
	slot = &sockstat_ring[(sockstat_ring_head + sockstat_ring_len) % sockstat_ring_size];
	*slot = *ev;
	/* The ring keeps them; they identify the task, nothing keeps it alive. */
	get_pid(slot->tgid);
	get_pid(slot->tid);
	if (slot->cred)
		get_cred(slot->cred);
	if (slot->mm_ns)
		get_user_ns(slot->mm_ns);
	/*
	 * Wake the worker only when the ring was empty: otherwise it has
	 * been woken already and takes until the ring is empty.
	 */
	kick = !sockstat_ring_len++;
	raw_spin_unlock_irqrestore(&sockstat_ring_lock, flags);
	if (kick)
		irq_work_queue(&sockstat_ring_kick);
	return;

unlock:
	raw_spin_unlock_irqrestore(&sockstat_ring_lock, flags);
	/* Never the last reference: the socket's own keeps the namespace. */
	put_net(ev->net);
}

/* A probe could not record an event (no kretprobe instance, no slot). */
void sockstat_ev_missed(void)
{
	atomic64_inc(&sockstat_ring_missed);
}

u64 sockstat_evring_missed(void)
{
	return atomic64_read(&sockstat_ring_missed) + sockstat_evprobes_nmissed();
}

static void sockstat_ring_kicked(struct irq_work *work)
{
	sockstat_ring_ready();
}

/* Drop what the ring's copy of an event keeps (process context). */
void sockstat_ev_put(struct sockstat_event *ev)
{
	put_pid(ev->tgid);
	put_pid(ev->tid);
	if (ev->cred)
		put_cred(ev->cred);
	if (ev->mm_ns)
		put_user_ns(ev->mm_ns);
	put_net(ev->net);
}

/**
 * sockstat_evring_take() - move the oldest events out of the ring
 * @out: room for @max events, which the caller then owns (and puts)
 * @max: at most this many
 *
 * Return: how many.
 */
unsigned int sockstat_evring_take(struct sockstat_event *out, unsigned int max)
{
	unsigned int n = 0;

	raw_spin_lock_irq(&sockstat_ring_lock);
	while (sockstat_ring && sockstat_ring_len && n < max) {
		out[n++] = sockstat_ring[sockstat_ring_head];
		sockstat_ring_head = (sockstat_ring_head + 1) % sockstat_ring_size;
		sockstat_ring_len--;
	}
	raw_spin_unlock_irq(&sockstat_ring_lock);
	return n;
}

/* The last number given to an event of @net, and how many were dropped. */
void sockstat_evring_counters(struct net *net, u64 *seq, u64 *dropped)
{
	struct sockstat_evnet *pn;

	raw_spin_lock_irq(&sockstat_ring_lock);
	rcu_read_lock();
	pn = net_generic(net, sockstat_evnet_id);
	*seq = pn ? pn->seq : 0;
	*dropped = pn ? pn->dropped : 0;
	rcu_read_unlock();
	raw_spin_unlock_irq(&sockstat_ring_lock);
}

/**
 * sockstat_evring_counters_of() - the counters a subscriber follows
 * @inum: a network namespace's inode number; 0: every namespace
 * @seq: the last number given in it (0 for every namespace: each has its
 *	own numbers)
 * @dropped: how many of its events were dropped (for 0: of all of them)
 *
 * The namespace is looked up under RCU, outside the ring's lock (the walk
 * is as long as there are namespaces): a namespace is unlinked from the
 * list a grace period before its data of ours is freed.
 *
 * Return: false if no namespace has that number (any more).
 */
bool sockstat_evring_counters_of(u32 inum, u64 *seq, u64 *dropped)
{
	struct net *net;
	bool found = false;

	*seq = 0;
	*dropped = 0;
	if (!inum) {
		raw_spin_lock_irq(&sockstat_ring_lock);
		*dropped = sockstat_ring_dropped;
		raw_spin_unlock_irq(&sockstat_ring_lock);
		return true;
	}
	rcu_read_lock();
	for_each_net_rcu(net) {
		if (net->ns.inum == inum) {
			sockstat_evring_counters(net, seq, dropped);
			found = true;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/* Give the ring its room; the probes are armed after this. */
int sockstat_evring_start(void)
{
	unsigned int size = clamp(event_ring, 16U, 1U << 20);
	struct sockstat_event *ring;

	ring = kvcalloc(size, sizeof(*ring), GFP_KERNEL_ACCOUNT);
	if (!ring)
		return -ENOMEM;
	raw_spin_lock_irq(&sockstat_ring_lock);
	sockstat_ring = ring;
	sockstat_ring_size = size;
	sockstat_ring_head = 0;
	sockstat_ring_len = 0;
	raw_spin_unlock_irq(&sockstat_ring_lock);
	return 0;
}

/*
 * Take the room back, with the events nobody will send; the probes are
 * disarmed (and their handlers finished) before this.
 */
void sockstat_evring_stop(void)
{
	struct sockstat_event *ring;
	unsigned int head, len, size;

	raw_spin_lock_irq(&sockstat_ring_lock);
	ring = sockstat_ring;
	head = sockstat_ring_head;
	len = sockstat_ring_len;
	size = sockstat_ring_size;
	sockstat_ring = NULL;
	sockstat_ring_len = 0;
	raw_spin_unlock_irq(&sockstat_ring_lock);
	irq_work_sync(&sockstat_ring_kick);
	if (!ring)
		return;
	while (len--) {
		sockstat_ev_put(&ring[head]);
		head = (head + 1) % size;
	}
	kvfree(ring);
}

int sockstat_evring_init(void (*ready)(void))
{
	sockstat_ring_ready = ready;
	init_irq_work(&sockstat_ring_kick, sockstat_ring_kicked);
	return register_pernet_subsys(&sockstat_evnet_ops);
}

void sockstat_evring_exit(void)
{
	unregister_pernet_subsys(&sockstat_evnet_ops);
}
