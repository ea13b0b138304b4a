// SPDX-License-Identifier: GPL-2.0
/*
 * Sockets no file descriptor reaches: which of them a request selects,
 * and how they are reported.  queues.c finds those that wait in the queue
 * of a socket the walk found (connections before accept(), sockets in
 * flight); tcptable.c those of the TCP connection table (requests in a SYN
 * queue, orphans, TIME_WAIT).
 *
 * Each is held by a reference of its own while reported: a struct sock
 * reference (sock_hold(), or for the TCP table refcount_inc_not_zero() on
 * sk_refcnt, which request and TIME_WAIT entries share with full sockets),
 * or for a socket in flight a reference on its file.  Fields are read as
 * attrs.c reads them, once each and without the socket lock.
 */
#include <linux/file.h>
#include <linux/jiffies.h>
#include <linux/net.h>
#include <linux/tcp.h>
#include <net/genetlink.h>
#include <net/inet_connection_sock.h>
#include <net/inet_timewait_sock.h>
#include <net/netlink.h>
#include <net/request_sock.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <uapi/linux/sockstat.h>

#include "compat.h"
#include "sockstat.h"

/**
 * sockstat_filter_for_walk() - the filter of the walk behind a request
 * @f: the request's filter
 * @walk: gets the filter to walk the descriptor tables with
 *
 * When sockets no descriptor reaches are asked for, the walk must also
 * stop at sockets the selectors leave out: a listener's queue holds
 * established connections, an AF_UNIX socket's queue sockets of any
 * family, type or inode.  Each socket is then matched against @f when
 * reported.  (A process selector stays: what no descriptor reaches
 * belongs to no process.)
 */
void sockstat_filter_for_walk(const struct sockstat_filter *f,
			      struct sockstat_filter *walk)
{
	*walk = *f;
	if (!(f->nofd_kinds & SOCKSTAT_NOFD_QUEUED))
		return;
	walk->ino = 0;
	walk->family = 0;
	walk->type = 0;
	walk->ss_states = SOCKSTAT_SS_STATES_ALL;
	walk->sk_states_set = false;
}

/* The file of a socket in flight, the socket of all others. */
static struct socket *sockstat_nofd_socket(const struct sockstat_nofd_sock *e)
{
	return e->file ? sock_from_file(e->file) : NULL;
}

/**
 * sockstat_nofd_state() - the state a socket no descriptor reaches reports
 * @e: the socket
 *
 * Return: sk_state; for a TIME_WAIT entry its substate (TIME_WAIT, or
 * FIN_WAIT2 for a FIN_WAIT2 socket the kernel replaced by one).
 */
u8 sockstat_nofd_state(const struct sockstat_nofd_sock *e)
{
	struct socket *sock = sockstat_nofd_socket(e);
	struct sock *sk = sock ? READ_ONCE(sock->sk) : e->sk;

	if (!sk)
		return TCP_CLOSE;
	if (e->kind == SOCKSTAT_NOFD_TIME_WAIT)
		return READ_ONCE(inet_twsk(sk)->tw_substate);
	return READ_ONCE(sk->sk_state);
}

/**
 * sockstat_nofd_match() - whether a socket no descriptor reaches passes
 *	a request's selectors
 * @f: the request's filter
 * @e: the socket
 */
bool sockstat_nofd_match(const struct sockstat_filter *f,
			 const struct sockstat_nofd_sock *e)
{
	struct socket *sock = sockstat_nofd_socket(e);
	struct sock *sk = e->sk;
	u16 type;

	if (!(f->nofd_kinds & BIT(e->kind)) || f->pid)
		return false;
	if (sock)
		return sockstat_match(f, sock);

	/* No struct socket: no inode, no SS_* state. */
	if (f->ino || f->ss_states != SOCKSTAT_SS_STATES_ALL)
		return false;
	if (f->net ? !net_eq(sock_net(sk), f->net) :
	    f->netns_inum && sock_net(sk)->ns.inum != f->netns_inum)
		return false;
	if (!sockstat_sk_state_match(f, sockstat_nofd_state(e)))
		return false;
	if (f->family && READ_ONCE(sk->sk_family) != f->family)
		return false;
	/* Requests and TIME_WAIT entries are TCP's: SOCK_STREAM. */
	type = sk_fullsock(sk) ? READ_ONCE(sk->sk_type) : SOCK_STREAM;
	if (f->type && type != f->type)
		return false;
	return true;
}

/* Drop the reference a visit took. */
void sockstat_nofd_release(struct sockstat_nofd_sock *e)
{
	if (e->file)
		fput(e->file);
	else if (e->sk)
		sock_gen_put(e->sk);
	e->file = NULL;
	e->sk = NULL;
}

static int sockstat_put_timer(struct sk_buff *skb, u8 timer, unsigned long expires)
{
	long left = (long)(expires - jiffies);

	if (!timer)
		return 0;
	if (nla_put_u8(skb, SOCKSTAT_A_SOCK_TIMER, timer) ||
	    nla_put_u32(skb, SOCKSTAT_A_SOCK_TIMER_MS,
			left > 0 ? jiffies_to_msecs(left) : 0))
		return -EMSGSIZE;
	return 0;
}

/* The timer pending on a full TCP socket, as "ss -o" finds it. */
static int sockstat_put_tcp_timer(struct sk_buff *skb, struct sock *sk)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	u8 pending = READ_ONCE(icsk->icsk_pending);

	switch (pending) {
	case ICSK_TIME_RETRANS:
	case ICSK_TIME_REO_TIMEOUT:
	case ICSK_TIME_LOSS_PROBE:
		return sockstat_put_timer(skb, SOCKSTAT_TIMER_RETRANSMIT,
					  sockstat_tcp_rto_expires(sk));
	case ICSK_TIME_PROBE0:
		return sockstat_put_timer(skb, SOCKSTAT_TIMER_ZERO_WINDOW_PROBE,
					  sockstat_tcp_rto_expires(sk));
	}
	/*
	 * Keepalive, or an orphan's FIN_WAIT2 timeout: TCP's own timer
	 * (sk->sk_timer is not TCP's on 6.x, and shares its storage with
	 * the retransmission timer from 6.18 on).
	 */
	if (timer_pending(&icsk->icsk_keepalive_timer))
		return sockstat_put_timer(skb, SOCKSTAT_TIMER_SK_TIMER,
					  READ_ONCE(icsk->icsk_keepalive_timer.expires));
	return 0;
}

/*
 * The attributes a request or a TIME_WAIT entry has: only struct
 * sock_common and the entry's own few fields.  Nothing is queued on it.
 */
static int sockstat_put_mini(struct sk_buff *skb, struct sock *sk, u8 state)
{
	if (nla_put_u16(skb, SOCKSTAT_A_SOCK_FAMILY, READ_ONCE(sk->sk_family)) ||
	    nla_put_u16(skb, SOCKSTAT_A_SOCK_TYPE, SOCK_STREAM) ||
	    nla_put_u16(skb, SOCKSTAT_A_SOCK_PROTOCOL, IPPROTO_TCP) ||
	    nla_put_u8(skb, SOCKSTAT_A_SOCK_SK_STATE, state) ||
	    nla_put_u32(skb, SOCKSTAT_A_SOCK_RECV_Q, 0) ||
	    nla_put_u32(skb, SOCKSTAT_A_SOCK_SEND_Q, 0) ||
	    sockstat_put_cookie(skb, sk) ||
	    nla_put_u32(skb, SOCKSTAT_A_SOCK_NETNS, sock_net(sk)->ns.inum) ||
	    sockstat_put_common_ends(skb, sk))
		return -EMSGSIZE;
	return 0;
}

static int sockstat_put_request(struct sk_buff *skb, struct sock *sk)
{
	struct request_sock *req = inet_reqsk(sk);
	/* The request holds a reference on its listener. */
	struct sock *listener = req->rsk_listener;
	u64 ino = listener ? sock_i_ino(listener) : 0;

	if (sockstat_put_mini(skb, sk, READ_ONCE(sk->sk_state)) ||
	    (ino && nla_put_u64_64bit(skb, SOCKSTAT_A_SOCK_HOLDER_INODE, ino,
				      SOCKSTAT_A_SOCK_PAD)))
		return -EMSGSIZE;
	if (!timer_pending(&req->rsk_timer))
		return 0;
	return sockstat_put_timer(skb, SOCKSTAT_TIMER_SYN_ACK,
				  READ_ONCE(req->rsk_timer.expires));
}

static int sockstat_put_timewait(struct sk_buff *skb, struct sock *sk,
				 const struct sockstat_nofd_sock *e)
{
	struct inet_timewait_sock *tw = inet_twsk(sk);

	if (sockstat_put_mini(skb, sk, sockstat_nofd_state(e)))
		return -EMSGSIZE;
	if (!timer_pending(&tw->tw_timer))
		return 0;
	return sockstat_put_timer(skb, SOCKSTAT_TIMER_TIME_WAIT,
				  READ_ONCE(tw->tw_timer.expires));
}

/**
 * sockstat_put_nofd() - a socket no descriptor reaches, as attributes
 * @skb: the message, its genetlink header already in place
 * @e: the socket, held by the caller
 * @f: the request (the user namespace to express uids in, the details)
 *
 * Return: 0 or -EMSGSIZE.
 */
int sockstat_put_nofd(struct sk_buff *skb, const struct sockstat_nofd_sock *e,
		      const struct sockstat_filter *f)
{
	struct socket *sock = sockstat_nofd_socket(e);
	struct sock *sk = e->sk;
	int err;

	if (nla_put_u8(skb, SOCKSTAT_A_SOCK_NOFD, e->kind) ||
	    (e->holder_ino &&
	     nla_put_u64_64bit(skb, SOCKSTAT_A_SOCK_HOLDER_INODE, e->holder_ino,
			       SOCKSTAT_A_SOCK_PAD)))
		return -EMSGSIZE;

	switch (e->kind) {
	case SOCKSTAT_NOFD_IN_FLIGHT:
		return sockstat_put_socket(skb, sock, e->file, 1, f);
	case SOCKSTAT_NOFD_SYN_RECV:
		return sockstat_put_request(skb, sk);
	case SOCKSTAT_NOFD_TIME_WAIT:
		return sockstat_put_timewait(skb, sk, e);
	}
	/* A connection in an accept queue, or an orphan: a full socket. */
	err = sockstat_put_sk(skb, sk, f);
	if (!err && sockstat_sk_is_tcp(sk))
		err = sockstat_put_tcp_timer(skb, sk);
	return err;
}
