// SPDX-License-Identifier: GPL-2.0
/*
 * The TCP connection table's entries no descriptor reaches.
 *
 * Every TCP connection past LISTEN is hashed in the established hash
 * (inet_hashinfo's ehash, one spinlock per few buckets): full sockets,
 * request socks of SYN queues (state TCP_NEW_SYN_RECV, since 4.4) and
 * TIME_WAIT entries (struct inet_timewait_sock).  A full socket is an
 * orphan once tcp_close() marked it SOCK_DEAD: no struct socket, no file,
 * but a connection that still finishes.  Connections in an accept queue
 * are hashed too but are not dead; queues.c reports them, from their
 * listener.
 *
 * We visit the buckets in order, taking SOCKSTAT_NOFD_BATCH references
 * under a bucket's lock and reporting them after it is dropped, as
 * inet_diag does.  A network namespace uses the table its
 * tcp_death_row.hashinfo points at: the shared one, or its own when it was
 * created with net.ipv4.tcp_child_ehash_entries set.  A request for
 * another or every namespace (by inode number) visits the shared table.
 */
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <net/inet_hashtables.h>
#include <net/inet_timewait_sock.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <uapi/linux/sockstat.h>

#include "sockstat.h"

/* What an entry of the table is, if no descriptor reaches it; 0 if one does. */
static u8 sockstat_table_kind(struct sock *sk)
{
	switch (READ_ONCE(sk->sk_state)) {
	case TCP_TIME_WAIT:
		return SOCKSTAT_NOFD_TIME_WAIT;
	case TCP_NEW_SYN_RECV:
		return SOCKSTAT_NOFD_SYN_RECV;
	}
	return sock_flag(sk, SOCK_DEAD) ? SOCKSTAT_NOFD_ORPHAN : 0;
}

/* Entries of bucket @i from the @num-th on, of the kinds in @kinds. */
static unsigned int sockstat_table_batch(struct inet_hashinfo *h, u32 i, u32 num,
					 const struct sockstat_filter *f,
					 struct sockstat_nofd_sock *b)
{
	struct inet_ehash_bucket *head = &h->ehash[i];
	struct hlist_nulls_node *node;
	unsigned int n = 0;
	struct sock *sk;
	u32 j = 0;

	if (hlist_nulls_empty(&head->chain))
		return 0;
	spin_lock_bh(inet_ehash_lockp(h, i));
	sk_nulls_for_each(sk, node, &head->chain) {
		u8 kind;

		if (j++ < num)
			continue;
		kind = sockstat_table_kind(sk);
		if (!kind || !(f->nofd_kinds & BIT(kind)) ||
		    (f->net && !net_eq(sock_net(sk), f->net)))
			continue;
		if (!refcount_inc_not_zero(&sk->sk_refcnt))
			continue;
		b[n++] = (struct sockstat_nofd_sock){ .kind = kind, .sk = sk, .idx = j - 1 };
		if (n == SOCKSTAT_NOFD_BATCH)
			break;
	}
	spin_unlock_bh(inet_ehash_lockp(h, i));
	return n;
}

/**
 * sockstat_nofd_table() - report the TCP table's entries no descriptor
 *	reaches
 * @f: the request's filter (f->nofd_kinds: which kinds to look for)
 * @pos: where to go on from; advanced past each entry reported
 * @emit: called with each entry that matches @f
 * @arg: passed to @emit
 *
 * Return: 0 when the table is done, what @emit returned to stop, or
 * -EINTR when a fatal signal is pending (checked every 256 buckets, where
 * it reschedules: the table can be large, and a do or a dump's first
 * part walks it under generic netlink's global lock).
 */
int sockstat_nofd_table(const struct sockstat_filter *f,
			struct sockstat_table_pos *pos,
			sockstat_nofd_emit_t emit, void *arg)
{
	struct net *net = f->net ?: &init_net;
	struct inet_hashinfo *h = net->ipv4.tcp_death_row.hashinfo;
	struct sockstat_nofd_sock b[SOCKSTAT_NOFD_BATCH];
	unsigned int n, k;
	int err = 0;

	if (!(f->nofd_kinds & SOCKSTAT_NOFD_TABLE))
		return 0;
	for (; pos->bucket <= h->ehash_mask; pos->bucket++, pos->num = 0) {
		do {
			n = sockstat_table_batch(h, pos->bucket, pos->num, f, b);
			for (k = 0; k < n; k++) {
				if (!err && sockstat_nofd_match(f, &b[k]))
					err = emit(arg, &b[k]);
				if (!err)
					pos->num = b[k].idx + 1;
				sockstat_nofd_release(&b[k]);
			}
			if (err)
				return err;
		} while (n == SOCKSTAT_NOFD_BATCH);
		if (pos->bucket % 256 == 255) {
			if (fatal_signal_pending(current))
				return -EINTR;
			cond_resched();
		}
	}
	return 0;
}
