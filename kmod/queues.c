// SPDX-License-Identifier: GPL-2.0
/*
 * The sockets waiting in the queue of a socket the walk found.
 *
 * A TCP listener keeps the connections that completed the handshake on
 * its accept queue (icsk_accept_queue: request_socks under rskq_lock, each
 * pointing at its child struct sock).  An AF_UNIX stream or seqpacket
 * listener queues one skb per connection on its receive queue, owned by
 * the new ("embryo") struct sock.  Any other AF_UNIX socket's receive
 * queue may hold SCM_RIGHTS messages: their scm_fp_list holds a reference
 * on each file in flight.  Files in flight on a connection not yet
 * accepted are not looked for (they are found once it is accepted).
 *
 * Both queues are walked under the lock their owner changes them under
 * (read.c says why that matters): TCP adds to and takes from the accept
 * queue only in inet_csk_reqsk_queue_add() and reqsk_queue_remove(), both
 * under rskq_lock (inet_csk_listen_stop() empties it through the latter);
 * AF_UNIX changes a receive queue only under its lock (read.c,
 * sockstat_rq_walkable()).  The sockets reported from them are read as
 * any other (read.c): a connection in the accept queue or an orphan is a
 * live TCP socket whose own queues are never walked.
 *
 * Under the queue's lock we only take references, SOCKSTAT_NOFD_BATCH at
 * a time, and report each after the lock is dropped.  A place in a queue
 * is its position: when a queue changes between two parts of a dump, its
 * entries may be reported twice or not at all, as any socket that comes
 * or goes while a dump runs.
 */
#include <linux/file.h>
#include <linux/net.h>
#include <linux/skbuff.h>
#include <net/af_unix.h>
#include <net/inet_connection_sock.h>
#include <net/request_sock.h>
#include <net/scm.h>
#include <net/sock.h>
#include <uapi/linux/sockstat.h>

#include "compat.h"
#include "sockstat.h"

/* Connections in a TCP listener's accept queue, from the @pos-th on. */
static unsigned int sockstat_accept_batch(struct sock *lsk, u32 pos,
					  struct sockstat_nofd_sock *b)
{
	struct request_sock_queue *q = &inet_csk(lsk)->icsk_accept_queue;
	struct request_sock *req;
	unsigned int n = 0;
	u32 i = 0;

	if (!READ_ONCE(q->rskq_accept_head))
		return 0;
	spin_lock_bh(&q->rskq_lock);
	for (req = q->rskq_accept_head; req && n < SOCKSTAT_NOFD_BATCH;
	     req = req->dl_next, i++) {
		if (i < pos || !req->sk)
			continue;
		sock_hold(req->sk);
		b[n++] = (struct sockstat_nofd_sock){
			.kind = SOCKSTAT_NOFD_ACCEPT, .sk = req->sk, .idx = i,
		};
	}
	spin_unlock_bh(&q->rskq_lock);
	return n;
}

#if SOCKSTAT_IN_FLIGHT_READABLE
/* Files in flight in the SCM_RIGHTS messages of one skb that are sockets. */
static bool sockstat_inflight_skb(struct sk_buff *skb, u32 pos, u32 *i,
				  struct sockstat_nofd_sock *b, unsigned int *n)
{
	struct scm_fp_list *fp = sockstat_skb_fp(skb);
	int j;

	if (!fp)
		return true;
	for (j = 0; j < fp->count; j++, (*i)++) {
		struct file *file = fp->fp[j];

		if (*i < pos || !sock_from_file(file))
			continue;
		if (*n == SOCKSTAT_NOFD_BATCH)
			return false;
		/* The message's own reference keeps the count above 0. */
		get_file(file);
		b[(*n)++] = (struct sockstat_nofd_sock){
			.kind = SOCKSTAT_NOFD_IN_FLIGHT, .file = file, .idx = *i,
		};
	}
	return true;
}
#else
/*
 * This kernel keeps a message's control block private (compat.h): no
 * socket in flight is looked for (sockstat_nofd_queued() never asks).
 */
static bool sockstat_inflight_skb(struct sk_buff *skb, u32 pos, u32 *i,
				  struct sockstat_nofd_sock *b, unsigned int *n)
{
	return false;
}
#endif

/*
 * An AF_UNIX socket's receive queue, from the @pos-th entry on: embryos
 * if it is a listener, sockets in flight otherwise.
 */
static unsigned int sockstat_unix_batch(struct sock *sk, u32 kinds, u32 pos,
					struct sockstat_nofd_sock *b)
{
	struct sk_buff_head *q = &sk->sk_receive_queue;
	struct sk_buff *skb;
	unsigned long flags;
	unsigned int n = 0;
	bool listener;
	u32 i = 0;

	if (skb_queue_empty_lockless(q))
		return 0;
	spin_lock_irqsave(&q->lock, flags);
	/* listen() needs an unconnected socket, whose queue is empty. */
	listener = READ_ONCE(sk->sk_state) == TCP_LISTEN;
	skb_queue_walk(q, skb) {
		if (listener) {
			if (!(kinds & BIT(SOCKSTAT_NOFD_ACCEPT)) ||
			    n == SOCKSTAT_NOFD_BATCH)
				break;
			if (i++ < pos || !skb->sk)
				continue;
			sock_hold(skb->sk);
			b[n++] = (struct sockstat_nofd_sock){
				.kind = SOCKSTAT_NOFD_ACCEPT, .sk = skb->sk,
				.idx = i - 1,
			};
		} else if (!(kinds & BIT(SOCKSTAT_NOFD_IN_FLIGHT)) ||
			   !sockstat_inflight_skb(skb, pos, &i, b, &n)) {
			break;
		}
	}
	spin_unlock_irqrestore(&q->lock, flags);
	return n;
}

/**
 * sockstat_nofd_queued_kinds() - what sockstat_nofd_queued() looks for
 * @f: the request's filter
 *
 * Return: the kinds of @f found in queues that this kernel lets us read;
 * 0 when sockstat_nofd_queued() would do nothing.
 */
u32 sockstat_nofd_queued_kinds(const struct sockstat_filter *f)
{
	u32 kinds = f->nofd_kinds & SOCKSTAT_NOFD_QUEUED;

	if (!SOCKSTAT_IN_FLIGHT_READABLE)
		kinds &= ~BIT(SOCKSTAT_NOFD_IN_FLIGHT);
	return kinds;
}

/**
 * sockstat_nofd_queued() - report the sockets a socket's queue holds
 * @sk: the socket's struct sock, referenced by the caller; the socket
 *	itself may be released meanwhile (its queues are then empty):
 *	reading a long accept queue must not keep the owner's close()
 *	waiting (sockstat_walk_let_go())
 * @ino: the socket's inode number (SOCKSTAT_A_SOCK_NOFD_HOLDER)
 * @f: the request's filter (f->nofd_kinds: which kinds to look for)
 * @pos: the place in the queue to go on from; advanced past each socket
 *	reported
 * @emit: called with each socket that matches @f
 * @arg: passed to @emit
 *
 * Return: 0 when the queue is done, or what @emit returned to stop.
 */
int sockstat_nofd_queued(struct sock *sk, u64 ino, const struct sockstat_filter *f,
			 u32 *pos, sockstat_nofd_emit_t emit, void *arg)
{
	struct sockstat_nofd_sock b[SOCKSTAT_NOFD_BATCH];
	u32 kinds = sockstat_nofd_queued_kinds(f);
	unsigned int n, k;
	int err = 0;

	if (!sk || !kinds)
		return 0;
	do {
		if (sk->sk_family == AF_UNIX)
			n = sockstat_unix_batch(sk, kinds, *pos, b);
		else if (sockstat_sk_is_tcp(sk) &&
			 READ_ONCE(sk->sk_state) == TCP_LISTEN &&
			 (kinds & BIT(SOCKSTAT_NOFD_ACCEPT)))
			n = sockstat_accept_batch(sk, *pos, b);
		else
			n = 0;

		for (k = 0; k < n; k++) {
			b[k].holder_ino = ino;
			if (!err && sockstat_nofd_match(f, &b[k]))
				err = emit(arg, &b[k]);
			if (!err)
				*pos = b[k].idx + 1;
			sockstat_nofd_release(&b[k]);
		}
		cond_resched();
	} while (!err && n == SOCKSTAT_NOFD_BATCH);
	return err;
}
