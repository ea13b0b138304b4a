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

#include "compat.h"
#include "nlattr.h"
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

static void sockstat_read_inet(struct sock *sk, u16 family, struct sockstat_ends *e)
{
	const struct inet_sock *inet = inet_sk(sk);

	if (family == AF_INET6) {
#if IS_ENABLED(CONFIG_IPV6)
		e->inet.local6 = sk->sk_v6_rcv_saddr;
		e->inet.peer6 = sk->sk_v6_daddr;
		e->inet.v6only = sk->sk_ipv6only;
#endif
	} else {
		e->inet.local4 = READ_ONCE(sk->sk_rcv_saddr);
		e->inet.peer4 = READ_ONCE(sk->sk_daddr);
	}
	e->inet.lport = ntohs(READ_ONCE(inet->inet_sport));
	e->inet.pport = ntohs(READ_ONCE(sk->sk_dport));
}

static void sockstat_read_unix(struct sock *sk, struct sockstat_ends *e)
{
	/* Set once by bind(); paired with the release store in af_unix.c. */
	struct unix_address *addr = smp_load_acquire(&unix_sk(sk)->addr);
	struct sock *peer;

	if (addr) {
		int len = addr->len - offsetof(struct sockaddr_un, sun_path);

		e->un.name_len = clamp(len, 0, (int)sizeof(e->un.name));
		memcpy(e->un.name, addr->name->sun_path, e->un.name_len);
	}
	peer = sockstat_unix_peer_get(sk);
	if (peer) {
		e->un.peer_ino = sock_i_ino(peer);
		sock_put(peer);
	}
}

static void sockstat_read_netlink(struct socket *sock, struct sockstat_ends *e)
{
	struct sockaddr_nl self = {}, dst = {};

	if (kernel_getsockname(sock, (struct sockaddr *)&self) < 0 ||
	    kernel_getpeername(sock, (struct sockaddr *)&dst) < 0) {
		e->family = 0;
		return;
	}
	e->nl.portid = self.nl_pid;
	e->nl.groups = self.nl_groups;
	e->nl.dst_portid = dst.nl_pid;
	e->nl.dst_group = dst.nl_groups;
}

static void sockstat_read_packet(struct socket *sock, struct sockstat_ends *e)
{
	struct sockaddr_storage ss = {};
	struct sockaddr_ll *sll = (struct sockaddr_ll *)&ss;
	int len;

	e->family = 0;
	/* SOCK_PACKET sockets name a device instead (struct sockaddr_pkt). */
	if (sock->type == SOCK_PACKET)
		return;
	len = kernel_getsockname(sock, (struct sockaddr *)&ss);
	if (len < (int)offsetof(struct sockaddr_ll, sll_addr) ||
	    sll->sll_family != AF_PACKET)
		return;
	e->family = AF_PACKET;
	e->pkt.ifindex = sll->sll_ifindex;
	e->pkt.protocol = ntohs(sll->sll_protocol);
}

/**
 * sockstat_read_ends() - a socket's address and its peer's
 * @sock: the socket, kept open by the caller (sockref.c); NULL for a struct
 *	sock no struct socket has (then only inet and AF_UNIX are read)
 * @sk: its struct sock
 * @e: filled in; e->family says which part, 0 when none
 */
void sockstat_read_ends(struct socket *sock, struct sock *sk, struct sockstat_ends *e)
{
	u16 family = READ_ONCE(sk->sk_family);

	memset(e, 0, sizeof(*e));
	e->family = family;
	switch (family) {
	case AF_INET:
	case AF_INET6:
		sockstat_read_inet(sk, family, e);
		break;
	case AF_UNIX:
		sockstat_read_unix(sk, e);
		break;
	case AF_NETLINK:
		if (sock)
			sockstat_read_netlink(sock, e);
		else
			e->family = 0;
		break;
	case AF_PACKET:
		if (sock)
			sockstat_read_packet(sock, e);
		else
			e->family = 0;
		break;
	default:
		e->family = 0;
	}
}

static int sockstat_put_inet_ends(struct sk_buff *skb, const struct sockstat_ends *e)
{
	if (!sockstat_nla_room(skb, 2 * nla_total_size(sizeof(struct in6_addr)) +
			       SOCKSTAT_NLA_FLAG + 2 * SOCKSTAT_NLA_NUM))
		return -EMSGSIZE;
	if (e->family == AF_INET6) {
		sockstat_nla_bytes(skb, SOCKSTAT_A_SOCK_LOCAL_ADDR, &e->inet.local6,
				   sizeof(e->inet.local6));
		sockstat_nla_bytes(skb, SOCKSTAT_A_SOCK_PEER_ADDR, &e->inet.peer6,
				   sizeof(e->inet.peer6));
		if (e->inet.v6only)
			sockstat_nla_flag(skb, SOCKSTAT_A_SOCK_V6ONLY);
	} else {
		sockstat_nla_bytes(skb, SOCKSTAT_A_SOCK_LOCAL_ADDR, &e->inet.local4,
				   sizeof(e->inet.local4));
		sockstat_nla_bytes(skb, SOCKSTAT_A_SOCK_PEER_ADDR, &e->inet.peer4,
				   sizeof(e->inet.peer4));
	}
	sockstat_nla_u16(skb, SOCKSTAT_A_SOCK_LOCAL_PORT, e->inet.lport);
	sockstat_nla_u16(skb, SOCKSTAT_A_SOCK_PEER_PORT, e->inet.pport);
	return 0;
}

static int sockstat_put_inet(struct sk_buff *skb, struct sock *sk,
			     const struct sockstat_ends *e, u32 details)
{
	u8 state = READ_ONCE(sk->sk_state);

	if (sockstat_put_inet_ends(skb, e))
		return -EMSGSIZE;
	if ((details & BIT(SOCKSTAT_DETAIL_TCP)) && sockstat_sk_is_tcp(sk) &&
	    state != TCP_LISTEN && state != TCP_CLOSE)
		return sockstat_put_tcp(skb, sk);
	return 0;
}

/**
 * sockstat_put_common_ends() - the addresses of a TCP table entry that is
 *	not a full socket (a request, a TIME_WAIT entry)
 * @skb: the message
 * @sk: the entry; only its struct sock_common is read
 *
 * Return: 0 or -EMSGSIZE.
 */
int sockstat_put_common_ends(struct sk_buff *skb, struct sock *sk)
{
	struct sockstat_ends e = { .family = READ_ONCE(sk->sk_family) };

	if (e.family == AF_INET6) {
#if IS_ENABLED(CONFIG_IPV6)
		e.inet.local6 = sk->sk_v6_rcv_saddr;
		e.inet.peer6 = sk->sk_v6_daddr;
#endif
	} else {
		e.inet.local4 = sk->sk_rcv_saddr;
		e.inet.peer4 = sk->sk_daddr;
	}
	e.inet.lport = sk->sk_num;
	e.inet.pport = ntohs(sk->sk_dport);
	return sockstat_put_inet_ends(skb, &e);
}

/**
 * sockstat_put_family() - the attributes of the socket's address family
 * @skb: the message
 * @sock: the socket, kept open by the caller (sockref.c); or NULL (see
 *	sockstat_read_ends())
 * @sk: its struct sock
 * @details: the groups of attributes asked for (enum sockstat_detail)
 *
 * Return: 0 or -EMSGSIZE.
 */
int sockstat_put_family(struct sk_buff *skb, struct socket *sock, struct sock *sk,
			u32 details)
{
	struct sockstat_ends e;

	sockstat_read_ends(sock, sk, &e);
	switch (e.family) {
	case AF_INET:
	case AF_INET6:
		return sockstat_put_inet(skb, sk, &e, details);
	case AF_UNIX:
		if (!sockstat_nla_room(skb, nla_total_size(e.un.name_len) + SOCKSTAT_NLA_U64))
			return -EMSGSIZE;
		if (e.un.name_len)
			sockstat_nla_bytes(skb, SOCKSTAT_A_SOCK_UNIX_NAME, e.un.name,
					   e.un.name_len);
		if (e.un.peer_ino)
			sockstat_nla_u64(skb, SOCKSTAT_A_SOCK_PEER_INODE, e.un.peer_ino,
					 SOCKSTAT_A_SOCK_PAD);
		break;
	case AF_NETLINK:
		if (nla_put_u32(skb, SOCKSTAT_A_SOCK_NETLINK_PORTID, e.nl.portid) ||
		    nla_put_u32(skb, SOCKSTAT_A_SOCK_NETLINK_GROUPS, e.nl.groups) ||
		    nla_put_u32(skb, SOCKSTAT_A_SOCK_NETLINK_DST_PORTID, e.nl.dst_portid) ||
		    nla_put_u32(skb, SOCKSTAT_A_SOCK_NETLINK_DST_GROUP, e.nl.dst_group))
			return -EMSGSIZE;
		break;
	case AF_PACKET:
		if (nla_put_u32(skb, SOCKSTAT_A_SOCK_PACKET_IFINDEX, e.pkt.ifindex) ||
		    nla_put_u16(skb, SOCKSTAT_A_SOCK_PACKET_PROTOCOL, e.pkt.protocol))
			return -EMSGSIZE;
		break;
	}
	return 0;
}
