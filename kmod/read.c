// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a socket's fields.  The caller keeps the socket open (its
 * inode's lock, see sockref.c; or a reference on its file, or on the
 * struct sock), so neither the struct socket nor its struct sock can be
 * released underneath us; the fields themselves
 * change at any time and are read once each, without the socket lock (a
 * reader must never wait for, or delay, the owner of the socket).
 *
 * The queues are the one place where reading is not enough: to count the
 * bytes on a queue we follow its skbs, and that is safe only under the
 * lock its owner changes it under.  sk_buff_head has a spinlock, but a
 * protocol may change the queue under the socket lock alone, which we
 * never take: TCP adds to sk_receive_queue with __skb_queue_tail() in
 * tcp_queue_rcv() and takes skbs off with __skb_unlink() in
 * tcp_eat_recv_skb(), moves sent skbs from sk_write_queue into its
 * retransmit rbtree, and the IPv4 and IPv6 output paths build corked
 * datagrams on sk_write_queue with __skb_queue_tail() (__ip_append_data(),
 * __ip6_append_data()).  Following such a queue can reach an skb that was
 * freed meanwhile, or a NULL next pointer.  So:
 *
 * - sk_write_queue is never walked.  Its length (qlen, which the list
 *   helpers update with WRITE_ONCE()) is read locklessly; its bytes come
 *   from counters the protocol keeps: TCP's unsent sequence space,
 *   write_seq - snd_nxt; the cork of an inet datagram or raw socket,
 *   inet->cork.base.length; AF_UNIX, AF_NETLINK and AF_PACKET never queue
 *   on it (AF_PACKET only uses its lock for the TX ring), so it is empty.
 * - sk_receive_queue is walked, under its lock, only for the families in
 *   sockstat_rq_walkable(), each of which changes it under that lock
 *   only (the function says where).  TCP's unread bytes are
 *   rcv_nxt - copied_seq; every other family's bytes are not known.
 */
#include <linux/net.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/af_unix.h>
#include <net/inet_sock.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "compat.h"
#include "sockstat.h"

/*
 * Whether every change of @sk's receive queue happens under the queue's
 * lock, on every kernel we build for (6.1, 6.12, 7.x):
 * - AF_UNIX: senders queue with skb_queue_tail(), or __skb_queue_tail()
 *   inside spin_lock(&other->sk_receive_queue.lock) (unix_dgram_sendmsg's
 *   connect path, queue_oob(), 6.1's unix_stream_sendpage()); readers use
 *   skb_unlink()/skb_dequeue(), or __skb_unlink()/__skb_dequeue() under
 *   the same lock (manage_oob(), unix_stream_recv_urg(),
 *   unix_stream_read_skb()); the garbage collector splices the queue
 *   under it (unix_collect_skb(), scan_inflight()).
 * - AF_NETLINK: skb_queue_tail() in __netlink_sendskb(), the datagram
 *   helpers (which lock) to read, skb_queue_purge() on release.
 * - AF_PACKET: packet_rcv() and tpacket_rcv() queue with __skb_queue_tail()
 *   inside spin_lock(&sk->sk_receive_queue.lock); reads are datagram
 *   helpers.
 * - inet raw sockets and ICMP (ping) sockets: sock_queue_rcv_skb() locks;
 *   reads are datagram helpers.
 * - UDP and UDP-Lite: __udp_enqueue_schedule_skb() queues under
 *   spin_lock(&list->lock); readers splice the queue into reader_queue
 *   under both queues' locks (__skb_recv_udp(), first_packet_length(),
 *   udp_rmem_release()) and unlink from reader_queue under its lock.  The
 *   one unlocked splice, in udp_destruct_common(), runs when the last
 *   reference on the struct sock is gone, which ours prevents.
 */
static bool sockstat_rq_walkable(const struct sock *sk, u16 family)
{
	switch (family) {
	case AF_UNIX:
	case AF_NETLINK:
	case AF_PACKET:
		return true;
	case AF_INET:
	case AF_INET6:
		if (sk->sk_type == SOCK_RAW)
			return true;
		if (sk->sk_type != SOCK_DGRAM)
			return false;
		switch (sk->sk_protocol) {
		case IPPROTO_UDP:
		case IPPROTO_UDPLITE:
		case IPPROTO_ICMP:
		case IPPROTO_ICMPV6:
			return true;
		}
	}
	return false;
}

static bool sockstat_is_udp(const struct sock *sk, u16 family)
{
	return (family == AF_INET || family == AF_INET6) &&
	       sk->sk_type == SOCK_DGRAM &&
	       (sk->sk_protocol == IPPROTO_UDP || sk->sk_protocol == IPPROTO_UDPLITE);
}

/* The packets on @q and their bytes, walked under the queue's lock. */
static void sockstat_queue_walk(struct sk_buff_head *q, u32 *pkts, u64 *bytes)
{
	struct sk_buff *skb;
	unsigned long flags;
	u64 sum = 0;

	if (skb_queue_empty_lockless(q))
		return;
	spin_lock_irqsave(&q->lock, flags);
	*pkts += skb_queue_len(q);
	skb_queue_walk(q, skb)
		sum += skb->len;
	spin_unlock_irqrestore(&q->lock, flags);
	*bytes += sum;
}

/* The receive queue: packets always, bytes where it may be walked. */
static void sockstat_read_rq(struct sock *sk, u16 family, struct sockstat_core *c)
{
	u64 bytes = 0;

	if (!sockstat_rq_walkable(sk, family)) {
		c->rq_pkts = skb_queue_len_lockless(&sk->sk_receive_queue);
		return;
	}
	sockstat_queue_walk(&sk->sk_receive_queue, &c->rq_pkts, &bytes);
	/* What a read() or FIONREAD moved off sk_receive_queue, not yet read. */
	if (sockstat_is_udp(sk, family))
		sockstat_queue_walk(&udp_sk(sk)->reader_queue, &c->rq_pkts, &bytes);
	c->rq_bytes = min_t(u64, bytes, U32_MAX);
	c->rq_known = true;
}

/* The write queue, never walked: its length and the owner's counters. */
static void sockstat_read_wq(struct sock *sk, u16 family, struct sockstat_core *c)
{
	c->wq_pkts = skb_queue_len_lockless(&sk->sk_write_queue);
	c->wq_known = true;
	if (sockstat_sk_is_tcp(sk)) {
		const struct tcp_sock *tp = tcp_sk(sk);
		s32 unsent = READ_ONCE(tp->write_seq) - READ_ONCE(tp->snd_nxt);

		c->wq_bytes = max(unsent, 0);
	} else if (family == AF_INET || family == AF_INET6) {
		/*
		 * The cork keeps its length after its datagram is sent (only
		 * ip_setup_cork() and ip6_setup_cork() reset it, for the next
		 * one), and a raw or ping socket uses it for every send: only
		 * a queue that holds packets has corked bytes.  (Read as the
		 * length was, it reported what was sent last, forever, also
		 * as SEND_Q; zoo_test's write_queue_counts_... found it.)
		 */
		if (sk->sk_type == SOCK_DGRAM || sk->sk_type == SOCK_RAW)
			c->wq_bytes = c->wq_pkts ?
				max(READ_ONCE(inet_sk(sk)->cork.base.length), 0) : 0;
		else
			c->wq_known = false;
	} else if (family != AF_UNIX && family != AF_NETLINK && family != AF_PACKET) {
		c->wq_known = false;
	}
}

static void sockstat_read_queues(struct sock *sk, u16 family, u8 state,
				 struct sockstat_core *c)
{
	sockstat_read_rq(sk, family, c);
	sockstat_read_wq(sk, family, c);

	if (sockstat_sk_is_tcp(sk)) {
		const struct tcp_sock *tp = tcp_sk(sk);
		s32 unread = READ_ONCE(tp->rcv_nxt) - READ_ONCE(tp->copied_seq);

		/* A listener's sequence numbers are its past's, if any. */
		c->rq_bytes = state == TCP_LISTEN ? 0 : max(unread, 0);
		c->rq_known = true;
	}

	if (state == TCP_LISTEN) {
		/* A listener's queue holds connections, not data. */
		c->recv_q = 0;
		c->send_q = 0;
	} else if (sockstat_sk_is_tcp(sk)) {
		const struct tcp_sock *tp = tcp_sk(sk);

		c->recv_q = c->rq_bytes;
		c->send_q = READ_ONCE(tp->write_seq) - READ_ONCE(tp->snd_una);
	} else if (family == AF_UNIX && sk->sk_type != SOCK_DGRAM) {
		/* Counts what a partial read() left of the first packet. */
		c->recv_q = max(unix_inq_len(sk), 0L);
		c->send_q = c->wq_bytes;
	} else if (c->rq_known && c->wq_known) {
		c->recv_q = c->rq_bytes;
		c->send_q = c->wq_bytes;
	} else {
		/* Memory charged to each side, as ss and /proc/net show them. */
		c->recv_q = sk_rmem_alloc_get(sk);
		c->send_q = sk_wmem_alloc_get(sk);
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
 * @sock: the socket, kept open by the caller (sockref.c)
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
