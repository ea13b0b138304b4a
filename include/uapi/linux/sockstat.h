/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * sockstat: the state of every socket, as struct socket and struct sock
 * hold it, over Generic Netlink.
 *
 * This header is the contract between the sockstat kernel module and its
 * clients.  Documentation/netlink/specs/sockstat.yaml describes the same
 * family for YNL; Documentation/attributes.rst names the kernel field
 * behind every attribute.
 */
#ifndef _UAPI_LINUX_SOCKSTAT_H
#define _UAPI_LINUX_SOCKSTAT_H

#define SOCKSTAT_FAMILY_NAME	"sockstat"
#define SOCKSTAT_FAMILY_VERSION	1

/**
 * enum sockstat_a_sock - attributes of one socket
 *
 * A GET reply (do or dump) carries one socket per message, every attribute
 * at the top level.  Requests use the same attribute set: a GET do names
 * the socket with @SOCKSTAT_A_SOCK_INODE; a GET dump may carry
 * @SOCKSTAT_A_SOCK_FAMILY and @SOCKSTAT_A_SOCK_TYPE as filters (a socket is
 * reported only when it matches every filter given).
 *
 * @SOCKSTAT_A_SOCK_INODE: u64, the inode number of the socket in sockfs,
 *   the N of "socket:[N]" in /proc/PID/fd and the inode column of
 *   /proc/net/tcp, /proc/net/unix and friends.  Required in a GET do.
 * @SOCKSTAT_A_SOCK_FAMILY: u16, the address family, sk->sk_family
 *   (AF_UNIX, AF_INET, AF_INET6, AF_NETLINK, AF_PACKET, ...).
 * @SOCKSTAT_A_SOCK_TYPE: u16, the socket type, socket->type
 *   (SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET, ...).
 * @SOCKSTAT_A_SOCK_PROTOCOL: u16, the protocol number, sk->sk_protocol:
 *   an IPPROTO_* value for inet sockets (what protocol 0 resolved to), a
 *   NETLINK_* value for netlink sockets, an ETH_P_* value in network byte
 *   order for packet sockets, 0 for AF_UNIX.
 * @SOCKSTAT_A_SOCK_SS_STATE: u8, the BSD-level socket state,
 *   socket->state, one of enum socket_state in <linux/net.h>
 *   (SS_FREE .. SS_DISCONNECTING).
 * @SOCKSTAT_A_SOCK_SK_STATE: u8, the protocol-level state, sk->sk_state.
 *   All families use the TCP state numbers (TCP_ESTABLISHED = 1 ..
 *   TCP_CLOSING = 11 as in <netinet/tcp.h>); e.g. an AF_UNIX listener is
 *   TCP_LISTEN and a connected AF_UNIX stream socket TCP_ESTABLISHED.
 * @SOCKSTAT_A_SOCK_RECV_Q: u32, bytes of data in the receive queue that
 *   the application has not read yet.  TCP: rcv_nxt - copied_seq; AF_UNIX
 *   stream and seqpacket: unread bytes of the queued skbs; other sockets:
 *   the sum of the queued datagrams' payload lengths.  0 for listeners
 *   (their queue holds connections, not data).
 * @SOCKSTAT_A_SOCK_SEND_Q: u32, bytes written but not yet handed off.
 *   TCP: write_seq - snd_una (sent but unacknowledged, plus not yet sent);
 *   other sockets: the payload bytes in sk->sk_write_queue (e.g. corked
 *   UDP data).  Note that an AF_UNIX sender queues its data directly on
 *   the peer's receive queue, so its own SEND_Q stays 0.
 * @SOCKSTAT_A_SOCK_PAD: padding for 64-bit attributes, never used.
 */
enum {
	SOCKSTAT_A_SOCK_INODE = 1,
	SOCKSTAT_A_SOCK_FAMILY,
	SOCKSTAT_A_SOCK_TYPE,
	SOCKSTAT_A_SOCK_PROTOCOL,
	SOCKSTAT_A_SOCK_SS_STATE,
	SOCKSTAT_A_SOCK_SK_STATE,
	SOCKSTAT_A_SOCK_RECV_Q,
	SOCKSTAT_A_SOCK_SEND_Q,
	SOCKSTAT_A_SOCK_PAD,

	__SOCKSTAT_A_SOCK_MAX,
	SOCKSTAT_A_SOCK_MAX = (__SOCKSTAT_A_SOCK_MAX - 1)
};

/**
 * enum sockstat_cmd - commands
 *
 * @SOCKSTAT_CMD_GET: get sockets.  As a do, with @SOCKSTAT_A_SOCK_INODE,
 *   it replies with that socket or fails with -ENOENT.  As a dump it
 *   replies with every socket of the caller's network namespace that a
 *   file descriptor of a task in the caller's pid namespace holds, each
 *   socket once however many descriptors or processes share it, in the
 *   order of the inode numbers.
 */
enum {
	SOCKSTAT_CMD_GET = 1,

	__SOCKSTAT_CMD_MAX,
	SOCKSTAT_CMD_MAX = (__SOCKSTAT_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_SOCKSTAT_H */
