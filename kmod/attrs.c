// SPDX-License-Identifier: GPL-2.0
/*
 * A socket as netlink attributes: struct socket, its file, its wait
 * queue, struct sock, and who holds it.  Family-specific attributes are in
 * family.c.
 *
 * The caller keeps the socket open (sockstat_sock_open(): its inode's
 * lock; or a reference on its file), so neither the struct socket nor its
 * struct sock nor its file can be released while we read.  Fields
 * are read without the socket lock (a reader must never wait for, or
 * delay, the owner of a socket): each is one READ_ONCE() or a plain read
 * of a bit field; Documentation/netlink.rst says which values are derived
 * from several fields and may therefore be a moment apart.
 */
#include <linux/atomic.h>
#include <linux/cred.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sock_diag.h>
#include <linux/uidgid.h>
#include <linux/wait.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/inet_connection_sock.h>
#include <net/request_sock.h>
#include <net/sock.h>
#include <uapi/linux/sockstat.h>

#include "compat.h"
#include "nlattr.h"
#include "sockstat.h"

/* The O_* flags of file->f_flags that describe the open file to a user. */
#define SOCKSTAT_FILE_FLAGS	(O_ACCMODE | O_APPEND | O_NONBLOCK | O_DSYNC | \
				 FASYNC | O_DIRECT | O_LARGEFILE | O_NOATIME | \
				 __O_SYNC | O_PATH)

/*
 * socket->flags, and the two bits the kernel keeps in sock->wq.flags:
 * SOCKWQ_ASYNC_NOSPACE and SOCKWQ_ASYNC_WAITDATA moved there (sk_set_bit()
 * sets them in sk->sk_wq, which is &sock->wq), and bits 0 and 1 of
 * socket->flags are never set.  Reading them from socket->flags reported
 * neither, ever (zoo_test's socket_flags_follow_a_full_buffer_... found it).
 */
static u32 sockstat_sock_flags(const struct socket *sock)
{
	static const struct {
		u8 bit;
		u32 flag;
	} wq_map[] = {
		{ SOCKWQ_ASYNC_NOSPACE, SOCKSTAT_SOCK_F_ASYNC_NOSPACE },
		{ SOCKWQ_ASYNC_WAITDATA, SOCKSTAT_SOCK_F_ASYNC_WAITDATA },
	}, map[] = {
		{ SOCK_NOSPACE, SOCKSTAT_SOCK_F_NOSPACE },
		{ SOCK_SUPPORT_ZC, SOCKSTAT_SOCK_F_SUPPORT_ZC },
	};
	unsigned long flags = READ_ONCE(sock->flags);
	unsigned long wq_flags = READ_ONCE(sock->wq.flags);
	/* The bits only some kernels keep in socket->flags. */
	u32 out = sockstat_sock_flags_compat(&flags);
	int i;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (test_bit(map[i].bit, &flags))
			out |= map[i].flag;
	for (i = 0; i < ARRAY_SIZE(wq_map); i++)
		if (test_bit(wq_map[i].bit, &wq_flags))
			out |= wq_map[i].flag;
	return out;
}

static u32 sockstat_sockopts(const struct socket *sock, const struct sock *sk)
{
	static const struct {
		u8 bit;
		u32 opt;
	} map[] = {
		{ SOCK_KEEPOPEN, SOCKSTAT_SO_KEEPALIVE },
		{ SOCK_LINGER, SOCKSTAT_SO_LINGER },
		{ SOCK_BROADCAST, SOCKSTAT_SO_BROADCAST },
		{ SOCK_URGINLINE, SOCKSTAT_SO_OOBINLINE },
		{ SOCK_LOCALROUTE, SOCKSTAT_SO_DONTROUTE },
		{ SOCK_DBG, SOCKSTAT_SO_DEBUG },
		{ SOCK_RCVTSTAMP, SOCKSTAT_SO_TIMESTAMP },
		{ SOCK_RCVTSTAMPNS, SOCKSTAT_SO_TIMESTAMPNS },
		{ SOCK_RXQ_OVFL, SOCKSTAT_SO_RXQ_OVFL },
		{ SOCK_ZEROCOPY, SOCKSTAT_SO_ZEROCOPY },
		{ SOCK_WIFI_STATUS, SOCKSTAT_SO_WIFI_STATUS },
		{ SOCK_NOFCS, SOCKSTAT_SO_NOFCS },
		{ SOCK_FILTER_LOCKED, SOCKSTAT_SO_LOCK_FILTER },
		{ SOCK_SELECT_ERR_QUEUE, SOCKSTAT_SO_SELECT_ERR_QUEUE },
		{ SOCK_TXTIME, SOCKSTAT_SO_TXTIME },
		{ SOCK_RCVMARK, SOCKSTAT_SO_RCVMARK },
		{ SOCK_FASYNC, SOCKSTAT_SO_FASYNC },
	};
	u8 userlocks = sk->sk_userlocks;
	u32 out = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (sock_flag(sk, map[i].bit))
			out |= map[i].opt;
	if (sk->sk_reuse)
		out |= SOCKSTAT_SO_REUSEADDR;
	if (sk->sk_reuseport)
		out |= SOCKSTAT_SO_REUSEPORT;
	if (userlocks & SOCK_RCVBUF_LOCK)
		out |= SOCKSTAT_SO_RCVBUF_LOCK;
	if (userlocks & SOCK_SNDBUF_LOCK)
		out |= SOCKSTAT_SO_SNDBUF_LOCK;
	return out | sockstat_scm_sockopts(sock, sk);
}

/*
 * The wait queue: tasks asleep in a blocking call wait with one of the
 * scheduler's own wake functions; everything else on the queue is a
 * poll(), select() or epoll hook.
 */
static void sockstat_wait_queue(struct socket *sock, u32 *waiters, u32 *pollers)
{
	wait_queue_head_t *wq = &sock->wq.wait;
	struct wait_queue_entry *e;
	unsigned long flags;

	*waiters = 0;
	*pollers = 0;
	if (!wq_has_sleeper(wq))
		return;
	spin_lock_irqsave(&wq->lock, flags);
	list_for_each_entry(e, &wq->head, entry) {
#ifdef WQ_FLAG_BOOKMARK
		/* A wake-up in progress marks its place (older kernels). */
		if (e->flags & WQ_FLAG_BOOKMARK)
			continue;
#endif
		if (e->func == autoremove_wake_function ||
		    e->func == woken_wake_function ||
		    e->func == default_wake_function)
			(*waiters)++;
		else
			(*pollers)++;
	}
	spin_unlock_irqrestore(&wq->lock, flags);
}

static u32 sockstat_epoll_watches(struct file *file)
{
	u32 n = 0;
#ifdef CONFIG_EPOLL
	struct hlist_node *node;

	if (!READ_ONCE(file->f_ep))
		return 0;
	spin_lock(&file->f_lock);
	if (file->f_ep)
		hlist_for_each(node, file->f_ep)
			n++;
	spin_unlock(&file->f_lock);
#endif
	return n;
}

static u32 sockstat_fasync_count(struct socket *sock)
{
	struct fasync_struct *fa;
	u32 n = 0;

	rcu_read_lock();
	for (fa = rcu_dereference(sock->wq.fasync_list); fa;
	     fa = rcu_dereference(fa->fa_next))
		n++;
	rcu_read_unlock();
	return n;
}

/*
 * The names of the core kernel's proto_ops tables, each looked up once:
 * sprint_symbol() for every socket took some 3 % of a full dump.  Only
 * a symbol of the kernel itself is kept (kallsyms names a module's with
 * " [module]" after it): its address never holds anything else, where a
 * module's table may be unloaded and another module loaded at the same
 * address.  Entries are written once and published with their pointer;
 * two dumps may add the same table twice, which wastes a slot.
 */
#define SOCKSTAT_OPS_CACHE	32

static struct {
	const struct proto_ops *ops;
	char name[64];
} sockstat_ops_cache[SOCKSTAT_OPS_CACHE];
static atomic_t sockstat_ops_cached = ATOMIC_INIT(0);

static const char *sockstat_ops_cached_name(const struct proto_ops *ops)
{
	int i, n = min(atomic_read(&sockstat_ops_cached), SOCKSTAT_OPS_CACHE);

	for (i = 0; i < n; i++)
		/* Pairs with the release in sockstat_ops_cache_add(): the name is whole. */
		if (smp_load_acquire(&sockstat_ops_cache[i].ops) == ops)
			return sockstat_ops_cache[i].name;
	return NULL;
}

static void sockstat_ops_cache_add(const struct proto_ops *ops, const char *name)
{
	int i;

	if (strlen(name) >= sizeof(sockstat_ops_cache[0].name) ||
	    atomic_read(&sockstat_ops_cached) >= SOCKSTAT_OPS_CACHE)
		return;
	i = atomic_fetch_inc(&sockstat_ops_cached);
	if (i >= SOCKSTAT_OPS_CACHE)
		return;
	strscpy(sockstat_ops_cache[i].name, name, sizeof(sockstat_ops_cache[i].name));
	/* The name before the pointer that makes it found. */
	smp_store_release(&sockstat_ops_cache[i].ops, ops);
}

/*
 * SOCKSTAT_A_SOCK_OPS from kallsyms: the table's symbol without the
 * " [module]" that kallsyms appends; nothing when the address has no
 * symbol (we never print a raw kernel address).  Out of line: its buffer
 * of KSYM_SYMBOL_LEN on the stack is zeroed at every call on kernels
 * built to initialise the stack (Debian's), and the cache spares most.
 */
static noinline int sockstat_put_ops_lookup(struct sk_buff *skb,
					    const struct proto_ops *ops)
{
	char name[KSYM_SYMBOL_LEN];
	char *space;

	sprint_symbol_no_offset(name, (unsigned long)ops);
	if (!strncmp(name, "0x", 2))
		return 1;
	space = strchr(name, ' ');
	if (space)
		*space = 0;
	else
		sockstat_ops_cache_add(ops, name);
	return nla_put_string(skb, SOCKSTAT_A_SOCK_OPS, name) ? -EMSGSIZE : 0;
}

/* The proto_ops table's name, and its module's. */
static int sockstat_put_ops(struct sk_buff *skb, const struct proto_ops *ops)
{
	const char *cached;
	int err;

	if (!ops)
		return 0;
	cached = sockstat_ops_cached_name(ops);
	if (cached)
		err = nla_put_string(skb, SOCKSTAT_A_SOCK_OPS, cached) ? -EMSGSIZE : 0;
	else
		err = sockstat_put_ops_lookup(skb, ops);
	if (err)
		return err < 0 ? err : 0;
	if (ops->owner &&
	    nla_put_string(skb, SOCKSTAT_A_SOCK_OPS_MODULE, module_name(ops->owner)))
		return -EMSGSIZE;
	return 0;
}

static u64 sockstat_timeo_us(long timeo)
{
	if (timeo == MAX_SCHEDULE_TIMEOUT)
		return 0;
	return jiffies64_to_nsecs(timeo) / NSEC_PER_USEC;
}

/**
 * sockstat_put_cookie() - the socket cookie (SO_COOKIE), given one if need be
 * @skb: the message
 * @sk: any socket of the TCP tables too (request, TIME_WAIT)
 *
 * Return: 0 or -EMSGSIZE.
 */
int sockstat_put_cookie(struct sk_buff *skb, struct sock *sk)
{
	u32 cookie[2];

	if (!sockstat_nla_room(skb, SOCKSTAT_NLA_U64))
		return -EMSGSIZE;
	sock_diag_save_cookie(sk, cookie);
	sockstat_nla_u64(skb, SOCKSTAT_A_SOCK_COOKIE, (u64)cookie[1] << 32 | cookie[0],
			 SOCKSTAT_A_SOCK_PAD);
	return 0;
}

/* Listeners: what waits in their queues. */
static int sockstat_put_listener(struct sk_buff *skb, struct sock *sk,
				 const struct sockstat_core *c)
{
	u32 accept_queue = READ_ONCE(sk->sk_ack_backlog);

	/* An AF_UNIX listener queues its embryonic connections as skbs. */
	if (c->family == AF_UNIX)
		accept_queue = c->rq_pkts;
	if (nla_put_u32(skb, SOCKSTAT_A_SOCK_ACCEPT_QUEUE, accept_queue) ||
	    nla_put_u32(skb, SOCKSTAT_A_SOCK_ACCEPT_MAX,
			READ_ONCE(sk->sk_max_ack_backlog)))
		return -EMSGSIZE;
	if (sockstat_sk_is_tcp(sk) &&
	    nla_put_u32(skb, SOCKSTAT_A_SOCK_SYN_QUEUE,
			reqsk_queue_len(&inet_csk(sk)->icsk_accept_queue)))
		return -EMSGSIZE;
	return 0;
}

/* Room for sockstat_put_sock_fields()' numbers (its cookie and name apart). */
#define SOCKSTAT_SOCK_FIELDS_SIZE (2 * SOCKSTAT_NLA_U64 + 22 * SOCKSTAT_NLA_NUM)

static int sockstat_put_sock_fields(struct sk_buff *skb, struct socket *sock,
				    struct sock *sk, const struct sockstat_core *c,
				    const struct sockstat_filter *f)
{
	u32 sockopts = sockstat_sockopts(sock, sk);

	if (sockstat_put_cookie(skb, sk) ||
	    nla_put_string(skb, SOCKSTAT_A_SOCK_PROTO, READ_ONCE(sk->sk_prot)->name) ||
	    !sockstat_nla_room(skb, SOCKSTAT_SOCK_FIELDS_SIZE))
		return -EMSGSIZE;
	sockstat_nla_u8(skb, SOCKSTAT_A_SOCK_SHUTDOWN, READ_ONCE(sk->sk_shutdown));
	sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_ERR, READ_ONCE(sk->sk_err));
	sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_REFCNT, refcount_read(&sk->sk_refcnt));
	sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_RCVBUF, READ_ONCE(sk->sk_rcvbuf));
	sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_SNDBUF, READ_ONCE(sk->sk_sndbuf));
	sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_RMEM_ALLOC, sk_rmem_alloc_get(sk));
	sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_WMEM_ALLOC, sk_wmem_alloc_get(sk));
	sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_WMEM_QUEUED, READ_ONCE(sk->sk_wmem_queued));
	sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_FORWARD_ALLOC, sockstat_sk_forward_alloc(sk));
	sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_RECV_QUEUE_PKTS, c->rq_pkts);
	if (c->rq_known)
		sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_RECV_QUEUE_BYTES, c->rq_bytes);
	sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_WRITE_QUEUE_PKTS, c->wq_pkts);
	if (c->wq_known)
		sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_WRITE_QUEUE_BYTES, c->wq_bytes);
	sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_BACKLOG, READ_ONCE(sk->sk_backlog.len));
	sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_DROPS, sockstat_sk_drops(sk));
	sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_RCVLOWAT, READ_ONCE(sk->sk_rcvlowat));
	sockstat_nla_u64(skb, SOCKSTAT_A_SOCK_RCVTIMEO_US,
			 sockstat_timeo_us(READ_ONCE(sk->sk_rcvtimeo)), SOCKSTAT_A_SOCK_PAD);
	sockstat_nla_u64(skb, SOCKSTAT_A_SOCK_SNDTIMEO_US,
			 sockstat_timeo_us(READ_ONCE(sk->sk_sndtimeo)), SOCKSTAT_A_SOCK_PAD);
	/* The mark only to CAP_NET_ADMIN, as inet_diag has it. */
	if (f->net_admin)
		sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_MARK, READ_ONCE(sk->sk_mark));
	sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_PRIORITY, READ_ONCE(sk->sk_priority));
	sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_BOUND_IFINDEX, READ_ONCE(sk->sk_bound_dev_if));
	sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_UID,
			 from_kuid_munged(f->user_ns, sockstat_sk_uid(sk)));
	sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_NETNS, sock_net(sk)->ns.inum);
	sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_SOCKOPTS, sockopts);

	if (c->skstate == TCP_LISTEN && sockstat_put_listener(skb, sk, c))
		return -EMSGSIZE;
	if ((sockopts & SOCKSTAT_SO_LINGER) &&
	    nla_put_u32(skb, SOCKSTAT_A_SOCK_LINGER_SEC,
			READ_ONCE(sk->sk_lingertime) / HZ))
		return -EMSGSIZE;
	return 0;
}

static int sockstat_put_file_fields(struct sk_buff *skb, struct socket *sock,
				    struct file *file, unsigned int held)
{
	u32 waiters, pollers;

	sockstat_wait_queue(sock, &waiters, &pollers);
	if (nla_put_u32(skb, SOCKSTAT_A_SOCK_FLAGS, sockstat_sock_flags(sock)) ||
	    sockstat_put_ops(skb, READ_ONCE(sock->ops)) ||
	    !sockstat_nla_room(skb, SOCKSTAT_NLA_U64 + 5 * SOCKSTAT_NLA_NUM +
			       SOCKSTAT_NLA_FLAG))
		return -EMSGSIZE;
	sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_FILE_FLAGS,
			 READ_ONCE(file->f_flags) & SOCKSTAT_FILE_FLAGS);
	/* Less the references we hold. */
	sockstat_nla_u64(skb, SOCKSTAT_A_SOCK_FILE_REFS, file_count(file) - held,
			 SOCKSTAT_A_SOCK_PAD);
	sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_WAITERS, waiters);
	sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_POLLERS, pollers);
	sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_EPOLL, sockstat_epoll_watches(file));
	sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_FASYNC, sockstat_fasync_count(sock));
	if (mapping_mapped(file->f_mapping))
		sockstat_nla_flag(skb, SOCKSTAT_A_SOCK_MMAPPED);
	return 0;
}

/* The most an owner takes in a message. */
#define SOCKSTAT_OWNER_MAX_SIZE	(SOCKSTAT_NLA_NEST + SOCKSTAT_NLA_FLAG + \
				 4 * SOCKSTAT_NLA_NUM + nla_total_size(TASK_COMM_LEN))

/* One owner; its command and uid as the process has them now. */
static int sockstat_put_owner(struct sk_buff *skb, const struct sockstat_walk *w,
			      const struct sockstat_pair *p)
{
	const struct sockstat_owner *o = sockstat_pair_owner(w, p);
	struct sockstat_task t;
	struct nlattr *nest;
	bool alive;

	if (!sockstat_nla_room(skb, SOCKSTAT_OWNER_MAX_SIZE))
		return -EMSGSIZE;
	alive = sockstat_owner_task(o, w->filter.pid_ns, w->filter.user_ns, &t);
	nest = sockstat_nla_nest_start(skb, SOCKSTAT_A_SOCK_OWNER);
	sockstat_nla_u32(skb, SOCKSTAT_A_OWNER_PID, o->nr);
	sockstat_nla_u32(skb, SOCKSTAT_A_OWNER_FD, p->fd & ~SOCKSTAT_FD_CLOEXEC);
	if (p->fd & SOCKSTAT_FD_CLOEXEC)
		sockstat_nla_flag(skb, SOCKSTAT_A_OWNER_CLOEXEC);
	if (alive) {
		/* As nla_put_string(): the terminating NUL included. */
		sockstat_nla_bytes(skb, SOCKSTAT_A_OWNER_COMM, t.comm,
				   strnlen(t.comm, sizeof(t.comm) - 1) + 1);
		sockstat_nla_u32(skb, SOCKSTAT_A_OWNER_UID, t.uid);
		if (t.tid)
			sockstat_nla_u32(skb, SOCKSTAT_A_OWNER_TID, t.tid);
	}
	sockstat_nla_nest_end(skb, nest);
	return 0;
}

/*
 * The owners.  When they do not all fit in a message that is alone in its
 * skb (a socket shared by hundreds of processes), list those that fit and
 * count the rest, rather than fail the whole dump.
 */
static int sockstat_put_owners(struct sk_buff *skb, const struct sockstat_walk *w,
			       bool alone)
{
	size_t reserve = nla_total_size(sizeof(u32)) + SOCKSTAT_OWNER_MAX_SIZE;
	u32 missing = w->owners_missing;
	unsigned int i;

	for (i = 0; i < w->nr_owners; i++) {
		/* Hidden owners are neither listed nor counted as missing. */
		if (!sockstat_pair_owner(w, &w->owners[i])->nr)
			continue;
		if (alone && skb_tailroom(skb) < reserve)
			break;
		if (sockstat_put_owner(skb, w, &w->owners[i]))
			return -EMSGSIZE;
	}
	missing += w->nr_owners - i;
	if (missing && nla_put_u32(skb, SOCKSTAT_A_SOCK_OWNERS_MISSING, missing))
		return -EMSGSIZE;
	if (w->cur_stale && nla_put_flag(skb, SOCKSTAT_A_SOCK_OWNERS_STALE))
		return -EMSGSIZE;
	return 0;
}

/* The attributes struct socket and struct sock have in common. */
static int sockstat_put_core(struct sk_buff *skb, const struct sockstat_core *c,
			     bool has_socket)
{
	if (!sockstat_nla_room(skb, SOCKSTAT_NLA_U64 + 7 * SOCKSTAT_NLA_NUM))
		return -EMSGSIZE;
	if (has_socket) {
		sockstat_nla_u64(skb, SOCKSTAT_A_SOCK_INODE, c->ino, SOCKSTAT_A_SOCK_PAD);
		sockstat_nla_u8(skb, SOCKSTAT_A_SOCK_SS_STATE, c->ss_state);
	}
	sockstat_nla_u16(skb, SOCKSTAT_A_SOCK_FAMILY, c->family);
	sockstat_nla_u16(skb, SOCKSTAT_A_SOCK_TYPE, c->type);
	sockstat_nla_u16(skb, SOCKSTAT_A_SOCK_PROTOCOL, c->protocol);
	sockstat_nla_u8(skb, SOCKSTAT_A_SOCK_SK_STATE, c->skstate);
	sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_RECV_Q, c->recv_q);
	sockstat_nla_u32(skb, SOCKSTAT_A_SOCK_SEND_Q, c->send_q);
	return 0;
}

/**
 * sockstat_put_socket() - a socket's attributes, but for its owners
 * @skb: the message, its genetlink header already in place
 * @sock: the socket
 * @file: its file, kept open by the caller
 * @held: references on @file the caller holds (counted in its count)
 * @f: the request: the user namespace to express uids in, the details
 *
 * Return: 0 or -EMSGSIZE.
 */
int sockstat_put_socket(struct sk_buff *skb, struct socket *sock,
			struct file *file, unsigned int held,
			const struct sockstat_filter *f)
{
	struct sock *sk = READ_ONCE(sock->sk);
	struct sockstat_core c;

	sockstat_read_core(sock, &c);
	if (sockstat_put_core(skb, &c, true) ||
	    ((f->details & BIT(SOCKSTAT_DETAIL_FILE)) &&
	     sockstat_put_file_fields(skb, sock, file, held)))
		return -EMSGSIZE;
	if (sk && (((f->details & BIT(SOCKSTAT_DETAIL_SOCK)) &&
		    sockstat_put_sock_fields(skb, sock, sk, &c, f)) ||
		   sockstat_put_family(skb, sock, sk, f->details)))
		return -EMSGSIZE;
	return 0;
}

/**
 * sockstat_put_sk() - the attributes of a struct sock no struct socket has
 * @skb: the message, its genetlink header already in place
 * @sk: a full socket (a connection in an accept queue, an orphan), kept
 *	alive by the caller
 * @f: the request: the user namespace to express uids in, the details
 *
 * Return: 0 or -EMSGSIZE.
 */
int sockstat_put_sk(struct sk_buff *skb, struct sock *sk,
		    const struct sockstat_filter *f)
{
	struct sockstat_core c = { .type = READ_ONCE(sk->sk_type) };

	sockstat_read_sk(sk, &c);
	if (sockstat_put_core(skb, &c, false) ||
	    ((f->details & BIT(SOCKSTAT_DETAIL_SOCK)) &&
	     sockstat_put_sock_fields(skb, NULL, sk, &c, f)) ||
	    sockstat_put_family(skb, NULL, sk, f->details))
		return -EMSGSIZE;
	return 0;
}

/**
 * sockstat_put_sock() - a socket's attributes
 * @skb: the message, its genetlink header already in place
 * @w: the walk, at the socket (w->cur, w->file, w->owners)
 * @alone: the message is the only one in @skb: rather than fail for lack
 *	of room, leave owners out and count them
 *
 * Return: 0 or -EMSGSIZE.
 */
int sockstat_put_sock(struct sk_buff *skb, const struct sockstat_walk *w,
		      bool alone)
{
	if (sockstat_put_socket(skb, w->cur, w->file, w->file_ref, &w->filter))
		return -EMSGSIZE;
	return sockstat_put_owners(skb, w, alone);
}
