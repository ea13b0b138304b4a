// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a socket's fields.  The caller holds a reference on the
 * socket's file, so neither the struct socket nor its struct sock can be
 * released underneath us; the fields themselves change at any time and
 * are read once each, without the socket lock (a reader must never wait
 * for, or delay, the owner of the socket).
 */
#include <linux/net.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/af_unix.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "sockstat.h"

/* The packets on @q and their payload bytes, read under the queue's lock. */
static void sockstat_queue_len(struct sk_buff_head *q, u32 *pkts, u32 *bytes)
{
	struct sk_buff *skb;
	unsigned long flags;
	u64 sum = 0;

	*pkts = 0;
	*bytes = 0;
	if (skb_queue_empty_lockless(q))
		return;
	spin_lock_irqsave(&q->lock, flags);
	*pkts = skb_queue_len(q);
	skb_queue_walk(q, skb)
		sum += skb->len;
	spin_unlock_irqrestore(&q->lock, flags);
	*bytes = min_t(u64, sum, U32_MAX);
}

static void sockstat_read_queues(struct sock *sk, u16 family, u8 state,
				 struct sockstat_core *c)
{
	sockstat_queue_len(&sk->sk_receive_queue, &c->rq_pkts, &c->rq_bytes);
	sockstat_queue_len(&sk->sk_write_queue, &c->wq_pkts, &c->wq_bytes);

	if (state == TCP_LISTEN) {
		/* A listener's queue holds connections, not data. */
		c->recv_q = 0;
		c->send_q = 0;
	} else if (sockstat_sk_is_tcp(sk)) {
		const struct tcp_sock *tp = tcp_sk(sk);
		s32 unread = READ_ONCE(tp->rcv_nxt) - READ_ONCE(tp->copied_seq);

		c->recv_q = max(unread, 0);
		c->send_q = READ_ONCE(tp->write_seq) - READ_ONCE(tp->snd_una);
	} else if (family == AF_UNIX && sk->sk_type != SOCK_DGRAM) {
		/* Counts what a partial read() left of the first packet. */
		c->recv_q = max(unix_inq_len(sk), 0L);
		c->send_q = c->wq_bytes;
	} else {
		c->recv_q = c->rq_bytes;
		c->send_q = c->wq_bytes;
	}
}

/**
 * sockstat_read_sk() - read the fields of struct sock every interface reports
 * @sk: a full socket (not a request or TIME_WAIT one) the caller keeps alive
 * @c: its family, protocol, state and queues are filled in
 */
void sockstat_read_sk(struct sock *sk, struct sockstat_core *c)
{
	c->family = READ_ONCE(sk->sk_family);
	c->protocol = READ_ONCE(sk->sk_protocol);
	c->skstate = READ_ONCE(sk->sk_state);
	sockstat_read_queues(sk, c->family, c->skstate, c);
}

/**
 * sockstat_read_core() - read the fields every interface reports
 * @sock: the socket, its file referenced by the caller
 * @c: filled in
 */
void sockstat_read_core(struct socket *sock, struct sockstat_core *c)
{
	struct sock *sk = READ_ONCE(sock->sk);

	*c = (struct sockstat_core){
		.ino = SOCK_INODE(sock)->i_ino,
		.type = READ_ONCE(sock->type),
		.ss_state = READ_ONCE(sock->state),
	};
	if (sk)
		sockstat_read_sk(sk, c);
}
