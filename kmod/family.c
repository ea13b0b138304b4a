// SPDX-License-Identifier: GPL-2.0
/*
 * The attributes only some address families have.  Same rules as
 * attrs.c: the caller holds the socket's file; no socket lock is taken.
 *
 * inet and AF_UNIX keep their state in structures the kernel's headers
 * describe (struct inet_sock, struct tcp_sock, struct unix_sock).
 * AF_NETLINK and AF_PACKET keep theirs in private ones (net/netlink/
 * af_netlink.h, net/packet/internal.h), so for them we ask the family
 * itself, through its getname() operation, which for these two only reads
 * a few fields and takes no socket lock.
 */
#include <linux/if_packet.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/tcp.h>
#include <linux/un.h>
#include <net/af_unix.h>
#include <net/genetlink.h>
#include <net/inet_connection_sock.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <uapi/linux/sockstat.h>

#include "sockstat.h"

static int sockstat_put_tcp(struct sk_buff *skb, struct sock *sk)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	const struct tcp_sock *tp = tcp_sk(sk);
	struct nlattr *nest;

	nest = nla_nest_start(skb, SOCKSTAT_A_SOCK_TCP);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, SOCKSTAT_A_TCP_RETRANSMITS,
			READ_ONCE(icsk->icsk_retransmits)) ||
	    nla_put_u32(skb, SOCKSTAT_A_TCP_TOTAL_RETRANS, READ_ONCE(tp->total_retrans)) ||
	    nla_put_u32(skb, SOCKSTAT_A_TCP_RTT_US, READ_ONCE(tp->srtt_us) >> 3) ||
	    nla_put_u32(skb, SOCKSTAT_A_TCP_RTTVAR_US, READ_ONCE(tp->mdev_us) >> 2) ||
	    nla_put_u32(skb, SOCKSTAT_A_TCP_RTO_US,
			jiffies_to_usecs(READ_ONCE(icsk->icsk_rto))) ||
	    nla_put_u32(skb, SOCKSTAT_A_TCP_CWND, tcp_snd_cwnd(tp)) ||
	    nla_put_u32(skb, SOCKSTAT_A_TCP_SSTHRESH, READ_ONCE(tp->snd_ssthresh)) ||
	    nla_put_u32(skb, SOCKSTAT_A_TCP_MSS, READ_ONCE(tp->mss_cache)) ||
	    nla_put_u32(skb, SOCKSTAT_A_TCP_UNACKED, READ_ONCE(tp->packets_out)) ||
	    nla_put_u64_64bit(skb, SOCKSTAT_A_TCP_BYTES_ACKED,
			      READ_ONCE(tp->bytes_acked), SOCKSTAT_A_TCP_PAD) ||
	    nla_put_u64_64bit(skb, SOCKSTAT_A_TCP_BYTES_RECEIVED,
			      READ_ONCE(tp->bytes_received), SOCKSTAT_A_TCP_PAD) ||
	    nla_put_u32(skb, SOCKSTAT_A_TCP_SEGS_OUT, READ_ONCE(tp->segs_out)) ||
	    nla_put_u32(skb, SOCKSTAT_A_TCP_SEGS_IN, READ_ONCE(tp->segs_in))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int sockstat_put_inet(struct sk_buff *skb, struct sock *sk, u16 family)
{
	const struct inet_sock *inet = inet_sk(sk);
	u8 state = READ_ONCE(sk->sk_state);
	__be32 laddr, paddr;

	if (family == AF_INET6) {
#if IS_ENABLED(CONFIG_IPV6)
		struct in6_addr l = sk->sk_v6_rcv_saddr, p = sk->sk_v6_daddr;

		if (nla_put_in6_addr(skb, SOCKSTAT_A_SOCK_LOCAL_ADDR, &l) ||
		    nla_put_in6_addr(skb, SOCKSTAT_A_SOCK_PEER_ADDR, &p) ||
		    (sk->sk_ipv6only && nla_put_flag(skb, SOCKSTAT_A_SOCK_V6ONLY)))
			return -EMSGSIZE;
#endif
	} else {
		laddr = READ_ONCE(sk->sk_rcv_saddr);
		paddr = READ_ONCE(sk->sk_daddr);
		if (nla_put_in_addr(skb, SOCKSTAT_A_SOCK_LOCAL_ADDR, laddr) ||
		    nla_put_in_addr(skb, SOCKSTAT_A_SOCK_PEER_ADDR, paddr))
			return -EMSGSIZE;
	}
	if (nla_put_u16(skb, SOCKSTAT_A_SOCK_LOCAL_PORT, ntohs(READ_ONCE(inet->inet_sport))) ||
	    nla_put_u16(skb, SOCKSTAT_A_SOCK_PEER_PORT, ntohs(READ_ONCE(sk->sk_dport))))
		return -EMSGSIZE;

	if (sk->sk_type == SOCK_STREAM && sk->sk_protocol == IPPROTO_TCP &&
	    state != TCP_LISTEN && state != TCP_CLOSE)
		return sockstat_put_tcp(skb, sk);
	return 0;
}

static int sockstat_put_unix(struct sk_buff *skb, struct sock *sk)
{
	/* Set once by bind(); paired with the release store in af_unix.c. */
	struct unix_address *addr = smp_load_acquire(&unix_sk(sk)->addr);
	struct sock *peer;
	int err = 0;

	if (addr) {
		int len = addr->len - offsetof(struct sockaddr_un, sun_path);

		if (len > 0 &&
		    nla_put(skb, SOCKSTAT_A_SOCK_UNIX_NAME, len, addr->name->sun_path))
			return -EMSGSIZE;
	}

	peer = unix_peer_get(sk);
	if (peer) {
		unsigned long ino = sock_i_ino(peer);

		if (ino && nla_put_u64_64bit(skb, SOCKSTAT_A_SOCK_PEER_INODE, ino,
					     SOCKSTAT_A_SOCK_PAD))
			err = -EMSGSIZE;
		sock_put(peer);
	}
	return err;
}

static int sockstat_put_netlink(struct sk_buff *skb, struct socket *sock)
{
	struct sockaddr_nl self = {}, dst = {};

	if (kernel_getsockname(sock, (struct sockaddr *)&self) < 0 ||
	    kernel_getpeername(sock, (struct sockaddr *)&dst) < 0)
		return 0;
	if (nla_put_u32(skb, SOCKSTAT_A_SOCK_NETLINK_PORTID, self.nl_pid) ||
	    nla_put_u32(skb, SOCKSTAT_A_SOCK_NETLINK_GROUPS, self.nl_groups) ||
	    nla_put_u32(skb, SOCKSTAT_A_SOCK_NETLINK_DST_PORTID, dst.nl_pid) ||
	    nla_put_u32(skb, SOCKSTAT_A_SOCK_NETLINK_DST_GROUP, dst.nl_groups))
		return -EMSGSIZE;
	return 0;
}

static int sockstat_put_packet(struct sk_buff *skb, struct socket *sock)
{
	struct sockaddr_storage ss = {};
	struct sockaddr_ll *sll = (struct sockaddr_ll *)&ss;
	int len;

	/* SOCK_PACKET sockets name a device instead (struct sockaddr_pkt). */
	if (sock->type == SOCK_PACKET)
		return 0;
	len = kernel_getsockname(sock, (struct sockaddr *)&ss);
	if (len < (int)offsetof(struct sockaddr_ll, sll_addr) ||
	    sll->sll_family != AF_PACKET)
		return 0;
	if (nla_put_u32(skb, SOCKSTAT_A_SOCK_PACKET_IFINDEX, sll->sll_ifindex) ||
	    nla_put_u16(skb, SOCKSTAT_A_SOCK_PACKET_PROTOCOL, ntohs(sll->sll_protocol)))
		return -EMSGSIZE;
	return 0;
}

/**
 * sockstat_put_family() - the attributes of the socket's address family
 * @skb: the message
 * @sock: the socket, its file referenced by the caller
 * @sk: its struct sock
 *
 * Return: 0 or -EMSGSIZE.
 */
int sockstat_put_family(struct sk_buff *skb, struct socket *sock, struct sock *sk)
{
	u16 family = READ_ONCE(sk->sk_family);

	switch (family) {
	case AF_INET:
	case AF_INET6:
		return sockstat_put_inet(skb, sk, family);
	case AF_UNIX:
		return sockstat_put_unix(skb, sk);
	case AF_NETLINK:
		return sockstat_put_netlink(skb, sock);
	case AF_PACKET:
		return sockstat_put_packet(skb, sock);
	}
	return 0;
}
