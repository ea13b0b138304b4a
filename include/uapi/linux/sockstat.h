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
 * enum sockstat_sock_f - socket->flags, as bits of SOCKSTAT_A_SOCK_FLAGS
 * @SOCKSTAT_SOCK_F_ASYNC_NOSPACE: SOCKWQ_ASYNC_NOSPACE (sock->wq.flags), a
 *   SIGIO is due when send space frees up (O_ASYNC sockets only)
 * @SOCKSTAT_SOCK_F_ASYNC_WAITDATA: SOCKWQ_ASYNC_WAITDATA (sock->wq.flags),
 *   a reader is asleep waiting for data (O_ASYNC sockets only)
 * @SOCKSTAT_SOCK_F_NOSPACE: SOCK_NOSPACE, a writer found the send buffer
 *   full
 * @SOCKSTAT_SOCK_F_PASSCRED: SOCK_PASSCRED, SO_PASSCRED is on
 * @SOCKSTAT_SOCK_F_PASSSEC: SOCK_PASSSEC, SO_PASSSEC is on
 * @SOCKSTAT_SOCK_F_SUPPORT_ZC: SOCK_SUPPORT_ZC, the protocol can send from
 *   user pages (MSG_ZEROCOPY)
 * @SOCKSTAT_SOCK_F_CUSTOM_SOCKOPT: SOCK_CUSTOM_SOCKOPT, the protocol handles
 *   SOL_SOCKET options itself (kernels that have it)
 * @SOCKSTAT_SOCK_F_PASSPIDFD: SOCK_PASSPIDFD, SO_PASSPIDFD is on (kernels
 *   that have it)
 */
enum sockstat_sock_f {
	SOCKSTAT_SOCK_F_ASYNC_NOSPACE = 1,
	SOCKSTAT_SOCK_F_ASYNC_WAITDATA = 2,
	SOCKSTAT_SOCK_F_NOSPACE = 4,
	SOCKSTAT_SOCK_F_PASSCRED = 8,
	SOCKSTAT_SOCK_F_PASSSEC = 16,
	SOCKSTAT_SOCK_F_SUPPORT_ZC = 32,
	SOCKSTAT_SOCK_F_CUSTOM_SOCKOPT = 64,
	SOCKSTAT_SOCK_F_PASSPIDFD = 128,
};

/**
 * enum sockstat_so - socket options the kernel keeps as flags of
 *   struct sock, as bits of SOCKSTAT_A_SOCK_SOCKOPTS
 * @SOCKSTAT_SO_REUSEADDR: SO_REUSEADDR (sk->sk_reuse)
 * @SOCKSTAT_SO_REUSEPORT: SO_REUSEPORT (sk->sk_reuseport)
 * @SOCKSTAT_SO_KEEPALIVE: SO_KEEPALIVE (SOCK_KEEPOPEN)
 * @SOCKSTAT_SO_LINGER: SO_LINGER on (SOCK_LINGER); the time is
 *   SOCKSTAT_A_SOCK_LINGER_SEC
 * @SOCKSTAT_SO_BROADCAST: SO_BROADCAST (SOCK_BROADCAST)
 * @SOCKSTAT_SO_OOBINLINE: SO_OOBINLINE (SOCK_URGINLINE)
 * @SOCKSTAT_SO_DONTROUTE: SO_DONTROUTE (SOCK_LOCALROUTE)
 * @SOCKSTAT_SO_DEBUG: SO_DEBUG (SOCK_DBG)
 * @SOCKSTAT_SO_TIMESTAMP: SO_TIMESTAMP (SOCK_RCVTSTAMP)
 * @SOCKSTAT_SO_TIMESTAMPNS: SO_TIMESTAMPNS (SOCK_RCVTSTAMPNS)
 * @SOCKSTAT_SO_RXQ_OVFL: SO_RXQ_OVFL (SOCK_RXQ_OVFL)
 * @SOCKSTAT_SO_ZEROCOPY: SO_ZEROCOPY (SOCK_ZEROCOPY)
 * @SOCKSTAT_SO_WIFI_STATUS: SO_WIFI_STATUS (SOCK_WIFI_STATUS)
 * @SOCKSTAT_SO_NOFCS: SO_NOFCS (SOCK_NOFCS)
 * @SOCKSTAT_SO_LOCK_FILTER: SO_LOCK_FILTER (SOCK_FILTER_LOCKED)
 * @SOCKSTAT_SO_SELECT_ERR_QUEUE: SO_SELECT_ERR_QUEUE
 * @SOCKSTAT_SO_TXTIME: SO_TXTIME (SOCK_TXTIME)
 * @SOCKSTAT_SO_RCVMARK: SO_RCVMARK (SOCK_RCVMARK)
 * @SOCKSTAT_SO_RCVBUF_LOCK: SO_RCVBUF was set, so the kernel no longer
 *   tunes the receive buffer (SOCK_RCVBUF_LOCK)
 * @SOCKSTAT_SO_SNDBUF_LOCK: SO_SNDBUF was set (SOCK_SNDBUF_LOCK)
 * @SOCKSTAT_SO_PASSCRED: SO_PASSCRED (socket->flags SOCK_PASSCRED, or
 *   struct sock's sk_scm_credentials where the kernel keeps it there)
 * @SOCKSTAT_SO_PASSSEC: SO_PASSSEC (socket->flags SOCK_PASSSEC, or
 *   struct sock's sk_scm_security)
 * @SOCKSTAT_SO_FASYNC: O_ASYNC / FIOASYNC is on (SOCK_FASYNC)
 */
enum sockstat_so {
	SOCKSTAT_SO_REUSEADDR = 1,
	SOCKSTAT_SO_REUSEPORT = 2,
	SOCKSTAT_SO_KEEPALIVE = 4,
	SOCKSTAT_SO_LINGER = 8,
	SOCKSTAT_SO_BROADCAST = 16,
	SOCKSTAT_SO_OOBINLINE = 32,
	SOCKSTAT_SO_DONTROUTE = 64,
	SOCKSTAT_SO_DEBUG = 128,
	SOCKSTAT_SO_TIMESTAMP = 256,
	SOCKSTAT_SO_TIMESTAMPNS = 512,
	SOCKSTAT_SO_RXQ_OVFL = 1024,
	SOCKSTAT_SO_ZEROCOPY = 2048,
	SOCKSTAT_SO_WIFI_STATUS = 4096,
	SOCKSTAT_SO_NOFCS = 8192,
	SOCKSTAT_SO_LOCK_FILTER = 16384,
	SOCKSTAT_SO_SELECT_ERR_QUEUE = 32768,
	SOCKSTAT_SO_TXTIME = 65536,
	SOCKSTAT_SO_RCVMARK = 131072,
	SOCKSTAT_SO_RCVBUF_LOCK = 262144,
	SOCKSTAT_SO_SNDBUF_LOCK = 524288,
	SOCKSTAT_SO_PASSCRED = 1048576,
	SOCKSTAT_SO_PASSSEC = 2097152,
	SOCKSTAT_SO_FASYNC = 4194304,
};

/**
 * enum sockstat_nofd - why no file descriptor reaches a socket the kernel
 *   still holds (SOCKSTAT_A_SOCK_NOFD; bit N of SOCKSTAT_A_SOCK_NOFD_KINDS)
 * @SOCKSTAT_NOFD_ACCEPT: a connection that completed and waits in a
 *   listener's accept queue (a TCP child socket, or an AF_UNIX embryo);
 *   SOCKSTAT_A_SOCK_HOLDER_INODE is the listener
 * @SOCKSTAT_NOFD_SYN_RECV: a TCP connection request in a listener's SYN
 *   queue (struct request_sock, state TCP_NEW_SYN_RECV);
 *   SOCKSTAT_A_SOCK_HOLDER_INODE is the listener
 * @SOCKSTAT_NOFD_IN_FLIGHT: a socket whose file travels in an SCM_RIGHTS
 *   message not yet received; SOCKSTAT_A_SOCK_HOLDER_INODE is the AF_UNIX
 *   socket whose receive queue holds the message
 * @SOCKSTAT_NOFD_ORPHAN: a TCP socket its application closed, still
 *   finishing its connection (FIN_WAIT1, FIN_WAIT2, CLOSING, LAST_ACK)
 * @SOCKSTAT_NOFD_TIME_WAIT: a TCP connection in TIME_WAIT (struct
 *   inet_timewait_sock); its SOCKSTAT_A_SOCK_SK_STATE is the substate
 *   (TIME_WAIT, or FIN_WAIT2 for a FIN_WAIT2 socket the kernel replaced)
 */
enum sockstat_nofd {
	SOCKSTAT_NOFD_ACCEPT = 1,
	SOCKSTAT_NOFD_SYN_RECV,
	SOCKSTAT_NOFD_IN_FLIGHT,
	SOCKSTAT_NOFD_ORPHAN,
	SOCKSTAT_NOFD_TIME_WAIT,
};

/**
 * enum sockstat_timer - the timer pending on a socket (SOCKSTAT_A_SOCK_TIMER)
 * @SOCKSTAT_TIMER_RETRANSMIT: TCP retransmission (also loss probe and
 *   reordering timeout)
 * @SOCKSTAT_TIMER_ZERO_WINDOW_PROBE: TCP zero window probe
 * @SOCKSTAT_TIMER_SK_TIMER: TCP's keepalive timer (icsk_keepalive_timer):
 *   keepalive, or the FIN_WAIT2 timeout of an orphan
 * @SOCKSTAT_TIMER_TIME_WAIT: the end of TIME_WAIT
 * @SOCKSTAT_TIMER_SYN_ACK: the SYN-ACK retransmission of a request
 */
enum sockstat_timer {
	SOCKSTAT_TIMER_RETRANSMIT = 1,
	SOCKSTAT_TIMER_ZERO_WINDOW_PROBE,
	SOCKSTAT_TIMER_SK_TIMER,
	SOCKSTAT_TIMER_TIME_WAIT,
	SOCKSTAT_TIMER_SYN_ACK,
};

/**
 * enum sockstat_detail - groups of attributes a GET request can leave out
 *   (bit N of SOCKSTAT_A_SOCK_DETAILS)
 *
 * A reply always has a socket's identity, states, queue lengths,
 * addresses and owners (what a line of sockstat-nl's table shows), and
 * the @SOCKSTAT_A_SOCK_NOFD attributes with their timer; the groups add
 * the rest.
 *
 * @SOCKSTAT_DETAIL_FILE: the file and struct socket: @SOCKSTAT_A_SOCK_FLAGS,
 *   _OPS, _OPS_MODULE, _FILE_FLAGS, _FILE_REFS, _WAITERS, _POLLERS, _EPOLL,
 *   _FASYNC, _MMAPPED
 * @SOCKSTAT_DETAIL_SOCK: struct sock: @SOCKSTAT_A_SOCK_COOKIE, _PROTO,
 *   _SHUTDOWN, _ERR, _REFCNT, the buffer, memory and queue attributes
 *   (_RCVBUF .. _BACKLOG, _DROPS), the listener's _ACCEPT_QUEUE,
 *   _ACCEPT_MAX and _SYN_QUEUE, _RCVLOWAT, _RCVTIMEO_US, _SNDTIMEO_US,
 *   _MARK, _PRIORITY, _BOUND_IFINDEX, _UID, _NETNS, _SOCKOPTS, _LINGER_SEC
 * @SOCKSTAT_DETAIL_TCP: @SOCKSTAT_A_SOCK_TCP
 *
 * TCP connection requests and TIME_WAIT entries have few attributes and
 * always report them all.
 */
enum sockstat_detail {
	SOCKSTAT_DETAIL_FILE = 1,
	SOCKSTAT_DETAIL_SOCK,
	SOCKSTAT_DETAIL_TCP,
};

/**
 * enum sockstat_a_sock - attributes of one socket
 *
 * A GET reply (do or dump) carries one socket per message.  Requests use
 * the same attribute set: every attribute a request carries selects
 * sockets (a socket is reported only when it matches them all).  A GET do
 * must name the socket with @SOCKSTAT_A_SOCK_INODE.  Attributes a socket
 * does not have (no peer, not TCP, ...) are left out.
 *
 * Documentation/netlink.rst names the kernel field behind each attribute,
 * its unit, and how it is read.
 *
 * @SOCKSTAT_A_SOCK_INODE: u64, the inode number of the socket in sockfs,
 *   the N of "socket:[N]" in /proc/PID/fd.  Request: this socket.
 * @SOCKSTAT_A_SOCK_FAMILY: u16, the address family, sk->sk_family.
 *   Request: only this family.
 * @SOCKSTAT_A_SOCK_TYPE: u16, the socket type, socket->type.  Request: only
 *   this type.
 * @SOCKSTAT_A_SOCK_PROTOCOL: u16, sk->sk_protocol: IPPROTO_* for inet
 *   sockets (what protocol 0 resolved to), NETLINK_* for netlink, 0 for
 *   AF_UNIX and for AF_PACKET (which keeps its protocol elsewhere: see
 *   @SOCKSTAT_A_SOCK_PACKET_PROTOCOL).
 * @SOCKSTAT_A_SOCK_SS_STATE: u8, socket->state, an enum socket_state value
 *   of <linux/net.h> (SS_FREE .. SS_DISCONNECTING).
 * @SOCKSTAT_A_SOCK_SK_STATE: u8, sk->sk_state, numbered as the socket's
 *   family numbers it: inet (TCP, UDP, raw, ping, MPTCP), AF_UNIX,
 *   AF_PACKET, AF_VSOCK and SCTP's sockets use the TCP numbers of
 *   <netinet/tcp.h> (TCP_ESTABLISHED = 1 .. TCP_CLOSING = 11, and
 *   TCP_NEW_SYN_RECV = 12 for requests); AF_NETLINK uses 0 (unconnected)
 *   and 1 (connected, after connect()); other families have their own
 *   numbers (Bluetooth's BT_CONNECTED = 1 .. BT_CLOSED = 9, SMC's up to 27,
 *   AF_RXRPC's from 0).  Every socket is reported, whatever its number.
 * @SOCKSTAT_A_SOCK_RECV_Q: u32, bytes of data received and not read yet
 *   (0 for listeners, whose queue holds connections).
 * @SOCKSTAT_A_SOCK_SEND_Q: u32, bytes written and not yet sent or not yet
 *   acknowledged (0 for listeners).
 * @SOCKSTAT_A_SOCK_PAD: padding for 64-bit attributes.
 * @SOCKSTAT_A_SOCK_OWNER: nest, enum sockstat_a_owner, one per descriptor
 *   that holds the socket (threads sharing a descriptor table are one
 *   owner; a socket inherited across fork() has one per process).
 * @SOCKSTAT_A_SOCK_OWNERS_MISSING: u32, descriptors holding the socket that
 *   are not listed (more than one reply can carry).
 * @SOCKSTAT_A_SOCK_COOKIE: u64, the socket cookie (SO_COOKIE).
 * @SOCKSTAT_A_SOCK_FLAGS: u32, socket->flags, enum sockstat_sock_f.
 * @SOCKSTAT_A_SOCK_OPS: string, the symbol of the socket's struct
 *   proto_ops (e.g. "inet_stream_ops", "unix_stream_ops").
 * @SOCKSTAT_A_SOCK_OPS_MODULE: string, the module that provides the
 *   proto_ops, when the family is built as a module.
 * @SOCKSTAT_A_SOCK_FILE_FLAGS: u32, file->f_flags: the O_* flags of the
 *   open file (O_RDWR, O_NONBLOCK, O_APPEND, O_ASYNC, ...).
 * @SOCKSTAT_A_SOCK_FILE_REFS: u64, references to the file (one per
 *   descriptor table slot, plus any taken for a moment by a system call in
 *   progress or by an SCM_RIGHTS message in flight).
 * @SOCKSTAT_A_SOCK_WAITERS: u32, tasks asleep in a blocking call on the
 *   socket's wait queue (accept(), recv(), send(), connect()).
 * @SOCKSTAT_A_SOCK_POLLERS: u32, other entries of the wait queue: a
 *   poll(), select() or epoll instance watching the socket.
 * @SOCKSTAT_A_SOCK_EPOLL: u32, epoll instances watching the socket's file
 *   (one per epoll_ctl(EPOLL_CTL_ADD) of it).
 * @SOCKSTAT_A_SOCK_FASYNC: u32, entries on the socket's fasync list (owners
 *   of O_ASYNC signals).
 * @SOCKSTAT_A_SOCK_PROTO: string, the name of sk->sk_prot ("TCP", "UDP",
 *   "UNIX-STREAM", "NETLINK", ...).
 * @SOCKSTAT_A_SOCK_SHUTDOWN: u8, sk->sk_shutdown: 1 receive side shut
 *   down, 2 send side, 3 both.
 * @SOCKSTAT_A_SOCK_ERR: u32, sk->sk_err, the pending error (an errno).
 * @SOCKSTAT_A_SOCK_REFCNT: u32, sk->sk_refcnt.
 * @SOCKSTAT_A_SOCK_RCVBUF: u32, sk->sk_rcvbuf, bytes.
 * @SOCKSTAT_A_SOCK_SNDBUF: u32, sk->sk_sndbuf, bytes.
 * @SOCKSTAT_A_SOCK_RMEM_ALLOC: u32, sk->sk_rmem_alloc, bytes of memory
 *   charged for received data (skb truesize, not payload).
 * @SOCKSTAT_A_SOCK_WMEM_ALLOC: u32, sk->sk_wmem_alloc, bytes charged for
 *   data being sent.
 * @SOCKSTAT_A_SOCK_WMEM_QUEUED: u32, sk->sk_wmem_queued, bytes queued for
 *   sending.
 * @SOCKSTAT_A_SOCK_FORWARD_ALLOC: u32, sk->sk_forward_alloc, bytes reserved
 *   ahead from the protocol's memory.
 * @SOCKSTAT_A_SOCK_RECV_QUEUE_PKTS: u32, packets on sk->sk_receive_queue
 *   (UDP: and on its reader queue, where read() and FIONREAD move them).
 * @SOCKSTAT_A_SOCK_RECV_QUEUE_BYTES: u32, the sum of their lengths; TCP:
 *   the bytes not yet read (rcv_nxt - copied_seq).  Absent for families
 *   whose queue changes without its lock (the module never walks those).
 * @SOCKSTAT_A_SOCK_WRITE_QUEUE_PKTS: u32, packets on sk->sk_write_queue.
 * @SOCKSTAT_A_SOCK_WRITE_QUEUE_BYTES: u32, their bytes, from counters (the
 *   queue is never walked): TCP: not yet sent (write_seq - snd_nxt); inet
 *   datagram and raw sockets: corked (the cork's length, with the UDP
 *   header; 0 once sent); 0 for AF_UNIX,
 *   AF_NETLINK and AF_PACKET, which never use this queue; absent otherwise.
 * @SOCKSTAT_A_SOCK_BACKLOG: u32, sk->sk_backlog.len, bytes that arrived
 *   while the socket was locked, waiting to be processed.
 * @SOCKSTAT_A_SOCK_ACCEPT_QUEUE: u32, listeners: connections that completed
 *   and wait for accept().
 * @SOCKSTAT_A_SOCK_ACCEPT_MAX: u32, listeners: the listen() backlog
 *   (sk->sk_max_ack_backlog).
 * @SOCKSTAT_A_SOCK_DROPS: u32, sk->sk_drops, packets dropped on arrival.
 * @SOCKSTAT_A_SOCK_RCVLOWAT: u32, sk->sk_rcvlowat (SO_RCVLOWAT), bytes.
 * @SOCKSTAT_A_SOCK_RCVTIMEO_US: u64, SO_RCVTIMEO in microseconds, 0 none.
 * @SOCKSTAT_A_SOCK_SNDTIMEO_US: u64, SO_SNDTIMEO in microseconds, 0 none.
 * @SOCKSTAT_A_SOCK_MARK: u32, sk->sk_mark (SO_MARK).
 * @SOCKSTAT_A_SOCK_PRIORITY: u32, sk->sk_priority (SO_PRIORITY).
 * @SOCKSTAT_A_SOCK_BOUND_IFINDEX: u32, sk->sk_bound_dev_if
 *   (SO_BINDTODEVICE), 0 none.
 * @SOCKSTAT_A_SOCK_UID: u32, the socket's owner uid (sk->sk_uid), in the
 *   caller's user namespace.
 * @SOCKSTAT_A_SOCK_NETNS: u32, the inode number of the socket's network
 *   namespace (as in /proc/PID/ns/net).  Request: only this namespace.
 * @SOCKSTAT_A_SOCK_SOCKOPTS: u32, enum sockstat_so.
 * @SOCKSTAT_A_SOCK_LINGER_SEC: u32, the SO_LINGER time when it is on.
 * @SOCKSTAT_A_SOCK_LOCAL_ADDR: binary, inet: the local address, 4 or 16
 *   bytes in network byte order.
 * @SOCKSTAT_A_SOCK_LOCAL_PORT: u16, inet: the local port.
 * @SOCKSTAT_A_SOCK_PEER_ADDR: binary, inet: the peer's address.
 * @SOCKSTAT_A_SOCK_PEER_PORT: u16, inet: the peer's port.
 * @SOCKSTAT_A_SOCK_V6ONLY: flag, inet6: IPV6_V6ONLY.
 * @SOCKSTAT_A_SOCK_TCP: nest, enum sockstat_a_tcp, TCP connection state.
 * @SOCKSTAT_A_SOCK_UNIX_NAME: binary, AF_UNIX: the bound name, sun_path as
 *   bind() gave it (a leading zero byte: an abstract name).  Left out for
 *   an unnamed socket.
 * @SOCKSTAT_A_SOCK_PEER_INODE: u64, AF_UNIX: the inode of the peer socket.
 * @SOCKSTAT_A_SOCK_NETLINK_PORTID: u32, AF_NETLINK: the bound port id.
 * @SOCKSTAT_A_SOCK_NETLINK_GROUPS: u32, AF_NETLINK: the first 32 multicast
 *   groups joined, as a bitmap.
 * @SOCKSTAT_A_SOCK_NETLINK_DST_PORTID: u32, AF_NETLINK: the connected
 *   destination port id.
 * @SOCKSTAT_A_SOCK_NETLINK_DST_GROUP: u32, AF_NETLINK: the destination
 *   group.
 * @SOCKSTAT_A_SOCK_PACKET_IFINDEX: u32, AF_PACKET: the bound interface.
 * @SOCKSTAT_A_SOCK_PACKET_PROTOCOL: u16, AF_PACKET: the bound protocol, an
 *   ETH_P_* value in host byte order.
 * @SOCKSTAT_A_SOCK_MMAPPED: flag, the socket's file is mapped into memory
 *   (for AF_PACKET: a PACKET_RX_RING/PACKET_TX_RING ring is in use).
 * @SOCKSTAT_A_SOCK_SS_STATES: u32, request only: report only sockets whose
 *   socket->state is one of these (bit N: SS state N).
 * @SOCKSTAT_A_SOCK_SK_STATES: u32, request only: report only sockets whose
 *   sk_state is one of these (bit N: state N, in the numbering of each
 *   socket's family: see @SOCKSTAT_A_SOCK_SK_STATE).  Any bit may be set;
 *   a state above 31 matches no mask.  Without it, every socket is
 *   reported whatever its state.
 * @SOCKSTAT_A_SOCK_PID: u32, request only: report only sockets that a
 *   descriptor of this process (in the caller's pid namespace) holds.
 * @SOCKSTAT_A_SOCK_NOFD_KINDS: u32, request only (dump and SUMMARY): also
 *   report the sockets no descriptor reaches, of these kinds (bit N: enum
 *   sockstat_nofd N).  Other selectors apply to them too; they match no
 *   @SOCKSTAT_A_SOCK_PID, and only those with a struct socket (in flight)
 *   match @SOCKSTAT_A_SOCK_SS_STATES when it leaves a state out.
 * @SOCKSTAT_A_SOCK_NOFD: u8, enum sockstat_nofd: the socket is one no
 *   descriptor reaches, and why.  Such a socket has no owners; only one in
 *   flight has an inode and the struct socket attributes.
 * @SOCKSTAT_A_SOCK_HOLDER_INODE: u64, with @SOCKSTAT_A_SOCK_NOFD: the inode
 *   of the socket whose queue holds this one (the listener, or the AF_UNIX
 *   socket a message in flight is queued on).
 * @SOCKSTAT_A_SOCK_TIMER: u8, enum sockstat_timer: the timer pending on a
 *   socket no descriptor reaches, if any.
 * @SOCKSTAT_A_SOCK_TIMER_MS: u32, milliseconds until @SOCKSTAT_A_SOCK_TIMER
 *   fires.
 * @SOCKSTAT_A_SOCK_SYN_QUEUE: u32, TCP listeners: connection requests in
 *   the SYN queue (received a SYN, sent a SYN-ACK, wait for the ACK).
 * @SOCKSTAT_A_SOCK_DETAILS: u32, request only (GET do and dump): the
 *   groups of attributes to report besides the basic ones (bit N: enum
 *   sockstat_detail N); without it, all of them.  A reader that shows a
 *   few columns asks for 0 and gets a third of the bytes, faster.
 * @SOCKSTAT_A_SOCK_OWNERS_STALE: flag: the socket's file had fewer
 *   references than the descriptors listed when it was reported, so one
 *   of them was closed since the descriptor tables were scanned and the
 *   owners may be out of date (a heuristic: another reference, such as a
 *   message in flight, can hide a closed descriptor).  Dumps never set
 *   NLM_F_DUMP_INTR: a socket open in the same descriptor for the whole
 *   dump is reported exactly once.
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
	SOCKSTAT_A_SOCK_OWNER,
	SOCKSTAT_A_SOCK_OWNERS_MISSING,
	SOCKSTAT_A_SOCK_COOKIE,
	SOCKSTAT_A_SOCK_FLAGS,
	SOCKSTAT_A_SOCK_OPS,
	SOCKSTAT_A_SOCK_OPS_MODULE,
	SOCKSTAT_A_SOCK_FILE_FLAGS,
	SOCKSTAT_A_SOCK_FILE_REFS,
	SOCKSTAT_A_SOCK_WAITERS,
	SOCKSTAT_A_SOCK_POLLERS,
	SOCKSTAT_A_SOCK_EPOLL,
	SOCKSTAT_A_SOCK_FASYNC,
	SOCKSTAT_A_SOCK_PROTO,
	SOCKSTAT_A_SOCK_SHUTDOWN,
	SOCKSTAT_A_SOCK_ERR,
	SOCKSTAT_A_SOCK_REFCNT,
	SOCKSTAT_A_SOCK_RCVBUF,
	SOCKSTAT_A_SOCK_SNDBUF,
	SOCKSTAT_A_SOCK_RMEM_ALLOC,
	SOCKSTAT_A_SOCK_WMEM_ALLOC,
	SOCKSTAT_A_SOCK_WMEM_QUEUED,
	SOCKSTAT_A_SOCK_FORWARD_ALLOC,
	SOCKSTAT_A_SOCK_RECV_QUEUE_PKTS,
	SOCKSTAT_A_SOCK_RECV_QUEUE_BYTES,
	SOCKSTAT_A_SOCK_WRITE_QUEUE_PKTS,
	SOCKSTAT_A_SOCK_WRITE_QUEUE_BYTES,
	SOCKSTAT_A_SOCK_BACKLOG,
	SOCKSTAT_A_SOCK_ACCEPT_QUEUE,
	SOCKSTAT_A_SOCK_ACCEPT_MAX,
	SOCKSTAT_A_SOCK_DROPS,
	SOCKSTAT_A_SOCK_RCVLOWAT,
	SOCKSTAT_A_SOCK_RCVTIMEO_US,
	SOCKSTAT_A_SOCK_SNDTIMEO_US,
	SOCKSTAT_A_SOCK_MARK,
	SOCKSTAT_A_SOCK_PRIORITY,
	SOCKSTAT_A_SOCK_BOUND_IFINDEX,
	SOCKSTAT_A_SOCK_UID,
	SOCKSTAT_A_SOCK_NETNS,
	SOCKSTAT_A_SOCK_SOCKOPTS,
	SOCKSTAT_A_SOCK_LINGER_SEC,
	SOCKSTAT_A_SOCK_LOCAL_ADDR,
	SOCKSTAT_A_SOCK_LOCAL_PORT,
	SOCKSTAT_A_SOCK_PEER_ADDR,
	SOCKSTAT_A_SOCK_PEER_PORT,
	SOCKSTAT_A_SOCK_V6ONLY,
	SOCKSTAT_A_SOCK_TCP,
	SOCKSTAT_A_SOCK_UNIX_NAME,
	SOCKSTAT_A_SOCK_PEER_INODE,
	SOCKSTAT_A_SOCK_NETLINK_PORTID,
	SOCKSTAT_A_SOCK_NETLINK_GROUPS,
	SOCKSTAT_A_SOCK_NETLINK_DST_PORTID,
	SOCKSTAT_A_SOCK_NETLINK_DST_GROUP,
	SOCKSTAT_A_SOCK_PACKET_IFINDEX,
	SOCKSTAT_A_SOCK_PACKET_PROTOCOL,
	SOCKSTAT_A_SOCK_MMAPPED,
	SOCKSTAT_A_SOCK_SS_STATES,
	SOCKSTAT_A_SOCK_SK_STATES,
	SOCKSTAT_A_SOCK_PID,
	SOCKSTAT_A_SOCK_NOFD_KINDS,
	SOCKSTAT_A_SOCK_NOFD,
	SOCKSTAT_A_SOCK_HOLDER_INODE,
	SOCKSTAT_A_SOCK_TIMER,
	SOCKSTAT_A_SOCK_TIMER_MS,
	SOCKSTAT_A_SOCK_SYN_QUEUE,
	SOCKSTAT_A_SOCK_DETAILS,
	SOCKSTAT_A_SOCK_OWNERS_STALE,

	__SOCKSTAT_A_SOCK_MAX,
	SOCKSTAT_A_SOCK_MAX = (__SOCKSTAT_A_SOCK_MAX - 1)
};

/**
 * enum sockstat_a_owner - a descriptor that holds a socket
 *
 * @SOCKSTAT_A_OWNER_PID: u32, the process (thread group id) in the
 *   caller's pid namespace.
 * @SOCKSTAT_A_OWNER_FD: u32, the descriptor number.
 * @SOCKSTAT_A_OWNER_CLOEXEC: flag, the descriptor is close-on-exec.
 * @SOCKSTAT_A_OWNER_COMM: string, the process's command name (left out if
 *   the process exited since the socket was found).
 * @SOCKSTAT_A_OWNER_UID: u32, the real uid of the thread whose descriptor
 *   table holds the descriptor, in the caller's user namespace (left out
 *   like @SOCKSTAT_A_OWNER_COMM).
 * @SOCKSTAT_A_OWNER_TID: u32, the thread whose descriptor table holds the
 *   descriptor, when it is not the process's leader: a thread with a table
 *   of its own (unshare(CLONE_FILES)), or the first thread still running
 *   once the leader has exited.  Its descriptor numbers are its own.
 */
enum {
	SOCKSTAT_A_OWNER_PID = 1,
	SOCKSTAT_A_OWNER_FD,
	SOCKSTAT_A_OWNER_CLOEXEC,
	SOCKSTAT_A_OWNER_COMM,
	SOCKSTAT_A_OWNER_UID,
	SOCKSTAT_A_OWNER_TID,

	__SOCKSTAT_A_OWNER_MAX,
	SOCKSTAT_A_OWNER_MAX = (__SOCKSTAT_A_OWNER_MAX - 1)
};

/**
 * enum sockstat_a_tcp - TCP connection state (struct tcp_sock)
 *
 * @SOCKSTAT_A_TCP_RETRANSMITS: u32, retransmissions of the segment now at
 *   the head of the queue (icsk_retransmits).
 * @SOCKSTAT_A_TCP_TOTAL_RETRANS: u32, segments retransmitted in all.
 * @SOCKSTAT_A_TCP_RTT_US: u32, the smoothed round-trip time, microseconds.
 * @SOCKSTAT_A_TCP_RTTVAR_US: u32, its mean deviation, microseconds.
 * @SOCKSTAT_A_TCP_RTO_US: u32, the retransmission timeout, microseconds.
 * @SOCKSTAT_A_TCP_CWND: u32, the congestion window, segments.
 * @SOCKSTAT_A_TCP_SSTHRESH: u32, the slow-start threshold, segments.
 * @SOCKSTAT_A_TCP_MSS: u32, the current sending MSS, bytes.
 * @SOCKSTAT_A_TCP_UNACKED: u32, segments sent and not acknowledged
 *   (packets_out).
 * @SOCKSTAT_A_TCP_BYTES_ACKED: u64, bytes the peer acknowledged.
 * @SOCKSTAT_A_TCP_BYTES_RECEIVED: u64, bytes received in order.
 * @SOCKSTAT_A_TCP_SEGS_OUT: u32, segments sent.
 * @SOCKSTAT_A_TCP_SEGS_IN: u32, segments received.
 * @SOCKSTAT_A_TCP_PAD: padding for 64-bit attributes.
 */
enum {
	SOCKSTAT_A_TCP_RETRANSMITS = 1,
	SOCKSTAT_A_TCP_TOTAL_RETRANS,
	SOCKSTAT_A_TCP_RTT_US,
	SOCKSTAT_A_TCP_RTTVAR_US,
	SOCKSTAT_A_TCP_RTO_US,
	SOCKSTAT_A_TCP_CWND,
	SOCKSTAT_A_TCP_SSTHRESH,
	SOCKSTAT_A_TCP_MSS,
	SOCKSTAT_A_TCP_UNACKED,
	SOCKSTAT_A_TCP_BYTES_ACKED,
	SOCKSTAT_A_TCP_BYTES_RECEIVED,
	SOCKSTAT_A_TCP_SEGS_OUT,
	SOCKSTAT_A_TCP_SEGS_IN,
	SOCKSTAT_A_TCP_PAD,

	__SOCKSTAT_A_TCP_MAX,
	SOCKSTAT_A_TCP_MAX = (__SOCKSTAT_A_TCP_MAX - 1)
};

/**
 * enum sockstat_a_summary - the counts of SOCKSTAT_CMD_SUMMARY
 *
 * @SOCKSTAT_A_SUMMARY_TOTAL: u32, sockets counted.
 * @SOCKSTAT_A_SUMMARY_ENTRY: nest, enum sockstat_a_summary_entry, one per
 *   (family, SS_* state, sk_state) that some socket has.
 */
enum {
	SOCKSTAT_A_SUMMARY_TOTAL = 1,
	SOCKSTAT_A_SUMMARY_ENTRY,

	__SOCKSTAT_A_SUMMARY_MAX,
	SOCKSTAT_A_SUMMARY_MAX = (__SOCKSTAT_A_SUMMARY_MAX - 1)
};

/**
 * enum sockstat_a_summary_entry - sockets in one combination of states
 *
 * @SOCKSTAT_A_SUMMARY_ENTRY_FAMILY: u16, the address family.
 * @SOCKSTAT_A_SUMMARY_ENTRY_SS_STATE: u8, socket->state.
 * @SOCKSTAT_A_SUMMARY_ENTRY_SK_STATE: u8, sk->sk_state.
 * @SOCKSTAT_A_SUMMARY_ENTRY_COUNT: u32, sockets.
 * @SOCKSTAT_A_SUMMARY_ENTRY_NOFD: u8, enum sockstat_nofd: these sockets are
 *   ones no descriptor reaches (counted when the request carries
 *   SOCKSTAT_A_SOCK_NOFD_KINDS); SS_STATE is left out for those without a
 *   struct socket.
 */
enum {
	SOCKSTAT_A_SUMMARY_ENTRY_FAMILY = 1,
	SOCKSTAT_A_SUMMARY_ENTRY_SS_STATE,
	SOCKSTAT_A_SUMMARY_ENTRY_SK_STATE,
	SOCKSTAT_A_SUMMARY_ENTRY_COUNT,
	SOCKSTAT_A_SUMMARY_ENTRY_NOFD,

	__SOCKSTAT_A_SUMMARY_ENTRY_MAX,
	SOCKSTAT_A_SUMMARY_ENTRY_MAX = (__SOCKSTAT_A_SUMMARY_ENTRY_MAX - 1)
};

/**
 * enum sockstat_event_kind - what happened to a socket (SOCKSTAT_A_EVENT_KIND)
 *
 * @SOCKSTAT_EVENT_KIND_CREATED: a struct socket was made: socket(), each of
 *   socketpair()'s two, accept()'s new one (@SOCKSTAT_A_EVENT_HOW says
 *   which), or a kernel socket (@SOCKSTAT_A_EVENT_KERN).
 * @SOCKSTAT_EVENT_KIND_SS_STATE: socket->state changed (OLD and NEW are
 *   SS_* values), seen when the connect() that changed it returns, or,
 *   for TCP's SS_CONNECTING, when the SYN is sent.
 * @SOCKSTAT_EVENT_KIND_SK_STATE: sk->sk_state changed (OLD and NEW in the
 *   family's own numbers): TCP, SCTP, DCCP and MPTCP as the kernel's
 *   inet_sock_set_state tracepoint reports them (INODE 0 for a struct
 *   sock no struct socket has yet or any more: a connection waiting for
 *   accept(), an orphan); other families when the connect(), listen()
 *   or shutdown() that changed it returns.
 * @SOCKSTAT_EVENT_KIND_SHUTDOWN: shutdown() returned 0; HOW is its argument.
 * @SOCKSTAT_EVENT_KIND_RELEASED: the struct socket was released (the last
 *   close() of its file, or sock_release() of a kernel socket); what
 *   its release changed was reported before.
 * @SOCKSTAT_EVENT_KIND_LOST: events were lost: @SOCKSTAT_A_EVENT_DROPPED and
 *   @SOCKSTAT_A_EVENT_MISSED carry the counters; re-read with a dump.
 */
enum sockstat_event_kind {
	SOCKSTAT_EVENT_KIND_CREATED = 1,
	SOCKSTAT_EVENT_KIND_SS_STATE,
	SOCKSTAT_EVENT_KIND_SK_STATE,
	SOCKSTAT_EVENT_KIND_SHUTDOWN,
	SOCKSTAT_EVENT_KIND_RELEASED,
	SOCKSTAT_EVENT_KIND_LOST,
};

/**
 * enum sockstat_created - how a socket was made (SOCKSTAT_A_EVENT_HOW of
 *	SOCKSTAT_EVENT_KIND_CREATED)
 *
 * @SOCKSTAT_CREATED_SOCKET: socket(), socketpair() or a kernel socket.
 * @SOCKSTAT_CREATED_ACCEPT: accept() (@SOCKSTAT_A_EVENT_LISTENER_INODE is
 *   the listener).
 */
enum sockstat_created {
	SOCKSTAT_CREATED_SOCKET = 1,
	SOCKSTAT_CREATED_ACCEPT,
};

/**
 * enum sockstat_a_event - attributes of SOCKSTAT_CMD_EVENT, and of the
 *	SUBSCRIBE request and reply
 *
 * @SOCKSTAT_A_EVENT_KIND: u8, enum sockstat_event_kind.
 * @SOCKSTAT_A_EVENT_SEQ: u64, the event's number in its network
 *   namespace: consecutive, so that a gap means events were lost.  In
 *   the SUBSCRIBE reply, the number of the last event before the
 *   subscription (events after it are delivered), in the namespace it
 *   follows (following all: in the caller's).  In LOST, the last number
 *   given in the namespace it follows when the loss was noticed: an event
 *   up to it that does not come after the LOST was dropped, and counted
 *   in DROPPED (following all: 0, each namespace has its own numbers).
 * @SOCKSTAT_A_EVENT_TIME_NS: u64, when it happened, CLOCK_REALTIME.
 * @SOCKSTAT_A_EVENT_NETNS: u32, the network namespace's inode number.  In
 *   a SUBSCRIBE request: the namespace to follow (0: all), when not the
 *   caller's; that needs CAP_NET_ADMIN in the initial user namespace.  In
 *   the SUBSCRIBE reply and in LOST: the namespace followed (0: all).
 * @SOCKSTAT_A_EVENT_INODE: u64, the socket's sockfs inode number, 0 for a
 *   struct sock no struct socket has.
 * @SOCKSTAT_A_EVENT_COOKIE: u64, the struct sock's cookie (SO_COOKIE),
 *   which links the events of one connection with and without INODE; 0
 *   in a TCP connection's first event (LISTEN -> SYN_RECV), which comes
 *   before the kernel gives the new struct sock its own.
 * @SOCKSTAT_A_EVENT_FAMILY: u16, the address family.
 * @SOCKSTAT_A_EVENT_TYPE: u16, the socket type (left out when INODE is 0).
 * @SOCKSTAT_A_EVENT_PROTOCOL: u16, the protocol.
 * @SOCKSTAT_A_EVENT_OLD: u8, the state before (SS_STATE, SK_STATE).
 * @SOCKSTAT_A_EVENT_NEW: u8, the state after (SS_STATE, SK_STATE); for
 *   CREATED the socket's SS_* state.
 * @SOCKSTAT_A_EVENT_HOW: u8, enum sockstat_created for CREATED, the
 *   shutdown() argument (SHUT_RD, SHUT_WR, SHUT_RDWR) for SHUTDOWN.
 * @SOCKSTAT_A_EVENT_KERN: flag, a kernel socket.
 * @SOCKSTAT_A_EVENT_LISTENER_INODE: u64, the listener an accept()ed
 *   socket came from.
 * @SOCKSTAT_A_EVENT_TASK: nest, enum sockstat_a_owner (PID, TID, COMM,
 *   UID): the task whose system call caused the event, in the
 *   subscriber's pid and user namespaces.  Left out when the kernel
 *   caused it (a packet, a timer), and when the subscriber may not see
 *   that process's descriptors (the dump's rule for owners) or it is
 *   outside the subscriber's pid namespace.
 * @SOCKSTAT_A_EVENT_DROPPED: u64, events of the network namespace
 *   followed (following all: of every namespace) the module dropped since
 *   it was loaded because its queue was full (LOST, SUBSCRIBE reply).
 * @SOCKSTAT_A_EVENT_MISSED: u64, events the module's probes missed, in
 *   every namespace (LOST).
 * @SOCKSTAT_A_EVENT_PAD: padding for 64-bit attributes.
 */
enum {
	SOCKSTAT_A_EVENT_KIND = 1,
	SOCKSTAT_A_EVENT_SEQ,
	SOCKSTAT_A_EVENT_TIME_NS,
	SOCKSTAT_A_EVENT_NETNS,
	SOCKSTAT_A_EVENT_INODE,
	SOCKSTAT_A_EVENT_COOKIE,
	SOCKSTAT_A_EVENT_FAMILY,
	SOCKSTAT_A_EVENT_TYPE,
	SOCKSTAT_A_EVENT_PROTOCOL,
	SOCKSTAT_A_EVENT_OLD,
	SOCKSTAT_A_EVENT_NEW,
	SOCKSTAT_A_EVENT_HOW,
	SOCKSTAT_A_EVENT_KERN,
	SOCKSTAT_A_EVENT_LISTENER_INODE,
	SOCKSTAT_A_EVENT_TASK,
	SOCKSTAT_A_EVENT_DROPPED,
	SOCKSTAT_A_EVENT_MISSED,
	SOCKSTAT_A_EVENT_PAD,

	__SOCKSTAT_A_EVENT_MAX,
	SOCKSTAT_A_EVENT_MAX = (__SOCKSTAT_A_EVENT_MAX - 1)
};

/* The multicast group of SOCKSTAT_CMD_EVENT notifications without TASK. */
#define SOCKSTAT_MCGRP_EVENTS	"events"

/**
 * enum sockstat_cmd - commands
 *
 * @SOCKSTAT_CMD_GET: get sockets.  As a do, with @SOCKSTAT_A_SOCK_INODE,
 *   it replies with that socket or fails with -ENOENT.  As a dump it
 *   replies with every socket of the caller's network namespace that a
 *   file descriptor of a task in the caller's pid namespace holds, each
 *   socket once however many descriptors or processes share it, in the
 *   order of the inode numbers.  With SOCKSTAT_A_SOCK_NOFD_KINDS, the
 *   sockets a listener's accept queue or an AF_UNIX socket's receive queue
 *   holds follow that socket, and then come the entries of the TCP
 *   connection table no descriptor reaches (SYN_RECV requests, orphans,
 *   TIME_WAIT).
 * @SOCKSTAT_CMD_SUMMARY: count sockets by family, SS_* state and sk_state
 *   (do).  The request may carry the selectors of a GET dump; the reply
 *   carries enum sockstat_a_summary attributes.
 * @SOCKSTAT_CMD_SUBSCRIBE: receive the events of the caller's network
 *   namespace (or SOCKSTAT_A_EVENT_NETNS's) as SOCKSTAT_CMD_EVENT messages
 *   sent to this socket, each in the caller's view (do).  Lasts until
 *   UNSUBSCRIBE or the socket's close.  The reply carries
 *   SOCKSTAT_A_EVENT_SEQ.
 * @SOCKSTAT_CMD_UNSUBSCRIBE: stop them (do).
 * @SOCKSTAT_CMD_EVENT: an event (notification; enum sockstat_a_event).
 */
enum {
	SOCKSTAT_CMD_GET = 1,
	SOCKSTAT_CMD_SUMMARY,
	SOCKSTAT_CMD_SUBSCRIBE,
	SOCKSTAT_CMD_UNSUBSCRIBE,
	SOCKSTAT_CMD_EVENT,

	__SOCKSTAT_CMD_MAX,
	SOCKSTAT_CMD_MAX = (__SOCKSTAT_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_SOCKSTAT_H */
