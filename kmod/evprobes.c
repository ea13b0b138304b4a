// SPDX-License-Identifier: GPL-2.0
/*
 * Where the events come from: the kernel's inet_sock_set_state tracepoint
 * for the sk_state of TCP (and SCTP, DCCP, MPTCP), and kprobes where the
 * kernel makes, connects, listens, shuts down and releases sockets of
 * every family, which have no tracepoint.  Installed only while somebody
 * subscribes (events.c), removed when the last one leaves.
 *
 * The invariants:
 *
 * - Every handler runs with preemption off (kprobes always; the
 *   tracepoint on 6.x, and on 7.x we need nothing per-CPU outside the
 *   ring's raw lock).  So handlers take no sleeping lock, allocate
 *   nothing and call nothing that may sleep; the ring (evring.c) is all
 *   they write to.
 *
 * - A struct socket is read only while something keeps it: the syscall's
 *   file, which the function we probe received from its caller and which
 *   that caller still holds when the function returns (do_accept(),
 *   __sys_connect_file(), the release functions' argument until they
 *   return); or, where we only have a descriptor number (__sys_listen(),
 *   __sys_shutdown()), a reference on the file taken and dropped within
 *   the handler, the socket compared at return with the one seen at
 *   entry.  In the tracepoint, sk->sk_socket is read under RCU: sockfs
 *   frees a socket's inode after a grace period.
 *
 * - SS_* is syscall state: the kernel changes it inside connect(),
 *   accept() and shutdown() (vsock's transports aside), so reading it when
 *   those return sees each change; TCP's SS_CONNECTING, which a blocking
 *   connect() leaves before it returns, is reported when tcp_v4_connect()
 *   or tcp_v6_connect() has sent the SYN (__inet_stream_connect() sets it
 *   right after).
 *
 * - What an entry handler must hand its return handler beyond a few
 *   numbers lives in a slot of a small table (struct sockstat_call), not
 *   in the kretprobe instance: a return handler does not run for a call
 *   in flight when the probe is removed, and the references a slot keeps
 *   are put when the table is emptied at disarm.
 */
#include <linux/file.h>
#include <linux/kprobes.h>
#include <linux/net.h>
#include <linux/ptrace.h>
#include <linux/slab.h>
#include <linux/tracepoint.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "compat.h"
#include "events.h"

/* A call in flight: connect(), listen(), shutdown() or a release. */
struct sockstat_call {
	struct task_struct *task;	/* compared, never used */
	struct socket *sock;		/* compared; used only where kept */
	u32 gen;
	u8 kind;
	u8 ss_old;
	u8 sk_old;
	u8 how;
	int fd;
	struct sockstat_event ev;	/* release: the socket at entry, net referenced */
};

#define SOCKSTAT_CALLS	256

/*
 * For make bench-events only: every probe is installed as usual, but each
 * handler returns at once and no event is made, so that the benchmark can
 * measure what the probes alone cost the observed processes: the floor no
 * handler can go below.  Read-only, set at load.
 */
static bool event_probes_only;
module_param(event_probes_only, bool, 0444);
MODULE_PARM_DESC(event_probes_only, "benchmarks only: install the event probes but make no event (what the probes alone cost)");

static DEFINE_RAW_SPINLOCK(sockstat_call_lock);
static struct sockstat_call *sockstat_calls;
static unsigned int sockstat_calls_used;	/* slots with a kind */
static u32 sockstat_call_gen;

/* What a kretprobe instance keeps between entry and return. */
struct sockstat_ri {
	int slot;
	u32 gen;
	u64 ino;
	const struct sock *sk;
};

enum {
	SOCKSTAT_CALL_CONNECT = 1,
	SOCKSTAT_CALL_LISTEN,
	SOCKSTAT_CALL_SHUTDOWN,
	SOCKSTAT_CALL_RELEASE,
};

/*
 * Take a free slot for a call of current's on @init->sock, filled from
 * @init.  Return: its index, or -1 when every slot is taken (counted as a
 * missed event), -2 when this socket's release is already in flight (the
 * outer of two nested release functions reports it).
 */
static int sockstat_call_get(const struct sockstat_call *init, struct sockstat_ri *ri)
{
	unsigned long flags;
	unsigned int seen;
	int i, found = -1;

	raw_spin_lock_irqsave(&sockstat_call_lock, flags);
	/*
	 * Stop once a free slot is found and every slot in use has been
	 * seen: the table is nearly always empty, and every connect() and
	 * close() came here (256 slots of 144 bytes, under the lock).
	 */
	for (i = 0, seen = 0; sockstat_calls && i < SOCKSTAT_CALLS; i++) {
		struct sockstat_call *s = &sockstat_calls[i];

		if (!s->kind) {
			if (found < 0)
				found = i;
			if (seen == sockstat_calls_used)
				break;
			continue;
		}
		seen++;
		if (init->kind == SOCKSTAT_CALL_RELEASE && s->kind == init->kind &&
		    s->sock == init->sock) {
			found = -2;
			break;
		}
		if (found >= 0 && seen == sockstat_calls_used)
			break;
	}
	if (found >= 0) {
		struct sockstat_call *s = &sockstat_calls[found];

		*s = *init;
		s->task = current;
		s->gen = ++sockstat_call_gen;
		ri->slot = found;
		ri->gen = s->gen;
		sockstat_calls_used++;
	}
	raw_spin_unlock_irqrestore(&sockstat_call_lock, flags);
	if (found == -1)
		sockstat_ev_missed();
	return found;
}

/* The slot an entry handler took, moved out of the table into @out. */
static bool sockstat_call_put(const struct sockstat_ri *ri, struct sockstat_call *out)
{
	unsigned long flags;
	bool ok = false;

	raw_spin_lock_irqsave(&sockstat_call_lock, flags);
	if (sockstat_calls && ri->slot >= 0 && ri->slot < SOCKSTAT_CALLS &&
	    sockstat_calls[ri->slot].kind && sockstat_calls[ri->slot].gen == ri->gen) {
		*out = sockstat_calls[ri->slot];
		sockstat_calls[ri->slot].kind = 0;
		sockstat_calls_used--;
		ok = true;
	}
	raw_spin_unlock_irqrestore(&sockstat_call_lock, flags);
	return ok;
}

/* sk_state reported by the inet_sock_set_state tracepoint for this socket. */
static bool sockstat_tp_covers(const struct sock *sk)
{
	u16 family = READ_ONCE(sk->sk_family);
	u16 type = READ_ONCE(sk->sk_type);

	return (family == AF_INET || family == AF_INET6) &&
	       (type == SOCK_STREAM || type == SOCK_SEQPACKET || type == SOCK_DCCP);
}

static void sockstat_emit_state(u8 kind, struct socket *sock, struct sock *sk,
				u8 old, u8 new)
{
	struct sockstat_event ev;

	sockstat_ev_from_sock(&ev, kind, sock, sk);
	ev.old = old;
	ev.new = new;
	sockstat_ev_commit(&ev, true);
}

/* inet_sock_set_state(sk, oldstate, newstate), before the store. */
static void sockstat_tp_set_state(void *data, const struct sock *sk, int old, int new)
{
	struct sockstat_event ev;

	rcu_read_lock();
	sockstat_ev_from_sock(&ev, SOCKSTAT_EVENT_KIND_SK_STATE, READ_ONCE(sk->sk_socket), sk);
	rcu_read_unlock();
	/*
	 * A connection's birth (inet_csk_clone_lock()): the new struct sock
	 * still has its listener's cookie, a copy, and gets the request's
	 * right after; it has no identity of its own yet.
	 */
	if (old == TCP_LISTEN && new == TCP_SYN_RECV)
		ev.cookie = 0;
	ev.old = old;
	ev.new = new;
	sockstat_ev_commit(&ev, true);
}

/* security_socket_post_create(sock, family, type, protocol, kern) */
static int sockstat_kp_post_create(struct kprobe *p, struct pt_regs *regs)
{
	struct socket *sock = (struct socket *)regs_get_kernel_argument(regs, 0);
	struct sock *sk = READ_ONCE(sock->sk);
	struct sockstat_event ev;

	/* sock_create_lite(): the socket accept() fills; reported there. */
	if (!sk)
		return 0;
	sockstat_ev_from_sock(&ev, SOCKSTAT_EVENT_KIND_CREATED, sock, sk);
	ev.how = SOCKSTAT_CREATED_SOCKET;
	ev.new = READ_ONCE(sock->state);
	ev.kern |= !!regs_get_kernel_argument(regs, 4);
	sockstat_ev_commit(&ev, true);
	return 0;
}

/* do_accept(listener file, ...) returns the new file, not yet installed. */
static int sockstat_rp_accept_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct sockstat_ri *d = (struct sockstat_ri *)ri->data;
	struct socket *sock = sock_from_file((struct file *)regs_get_kernel_argument(regs, 0));

	if (!sock)
		return 1;
	d->ino = SOCK_INODE(sock)->i_ino;
	return 0;
}

static int sockstat_rp_accept(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct sockstat_ri *d = (struct sockstat_ri *)ri->data;
	struct file *file = (struct file *)regs_return_value(regs);
	struct sockstat_event ev;
	struct socket *sock;
	struct sock *sk;

	if (IS_ERR_OR_NULL(file))
		return 0;
	sock = sock_from_file(file);
	sk = sock ? READ_ONCE(sock->sk) : NULL;
	if (!sk)
		return 0;
	sockstat_ev_from_sock(&ev, SOCKSTAT_EVENT_KIND_CREATED, sock, sk);
	ev.how = SOCKSTAT_CREATED_ACCEPT;
	ev.new = READ_ONCE(sock->state);
	ev.listener_ino = d->ino;
	sockstat_ev_commit(&ev, true);
	return 0;
}

/* __sys_connect_file(file, ...): the caller holds the file throughout. */
static int sockstat_rp_connect_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct sockstat_ri *d = (struct sockstat_ri *)ri->data;
	struct socket *sock = sock_from_file((struct file *)regs_get_kernel_argument(regs, 0));
	struct sock *sk = sock ? READ_ONCE(sock->sk) : NULL;
	struct sockstat_call init = { .kind = SOCKSTAT_CALL_CONNECT, .sock = sock };

	if (!sk)
		return 1;
	init.ss_old = READ_ONCE(sock->state);
	init.sk_old = READ_ONCE(sk->sk_state);
	return sockstat_call_get(&init, d) < 0;
}

static int sockstat_rp_connect(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct sockstat_ri *d = (struct sockstat_ri *)ri->data;
	struct sockstat_call s;
	struct sock *sk;
	u8 ss, st;

	if (!sockstat_call_put(d, &s))
		return 0;
	sk = READ_ONCE(s.sock->sk);
	if (!sk)
		return 0;
	ss = READ_ONCE(s.sock->state);
	st = READ_ONCE(sk->sk_state);
	if (!sockstat_tp_covers(sk) && st != s.sk_old)
		sockstat_emit_state(SOCKSTAT_EVENT_KIND_SK_STATE, s.sock, sk, s.sk_old, st);
	if (ss != s.ss_old)
		sockstat_emit_state(SOCKSTAT_EVENT_KIND_SS_STATE, s.sock, sk, s.ss_old, ss);
	return 0;
}

/* tcp_v4_connect(sk, ...), tcp_v6_connect(sk, ...), under lock_sock(). */
static int sockstat_rp_tcp_connect_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct sockstat_ri *d = (struct sockstat_ri *)ri->data;

	d->sk = (const struct sock *)regs_get_kernel_argument(regs, 0);
	return 0;
}

static int sockstat_rp_tcp_connect(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct sockstat_ri *d = (struct sockstat_ri *)ri->data;
	struct socket *sock = NULL;
	unsigned long flags;
	u8 old = SS_UNCONNECTED;
	unsigned int seen;
	int i;

	if (regs_return_value(regs))
		return 0;
	/* The connect() in flight on this socket, if a syscall made it. */
	raw_spin_lock_irqsave(&sockstat_call_lock, flags);
	for (i = 0, seen = 0;
	     sockstat_calls && seen < sockstat_calls_used && i < SOCKSTAT_CALLS; i++) {
		struct sockstat_call *s = &sockstat_calls[i];

		if (!s->kind)
			continue;
		seen++;
		if (s->kind == SOCKSTAT_CALL_CONNECT && s->task == current &&
		    READ_ONCE(s->sock->sk) == d->sk) {
			sock = s->sock;
			old = s->ss_old;
			s->ss_old = SS_CONNECTING;
			break;
		}
	}
	raw_spin_unlock_irqrestore(&sockstat_call_lock, flags);
	/* __inet_stream_connect() sets SS_CONNECTING next, unconditionally. */
	if (sock && old != SS_CONNECTING)
		sockstat_emit_state(SOCKSTAT_EVENT_KIND_SS_STATE, sock, (struct sock *)d->sk,
				    old, SS_CONNECTING);
	return 0;
}

/*
 * __sys_listen(fd, backlog), __sys_shutdown(fd, how): only a descriptor
 * number.  The socket is looked up at entry and again at return, each
 * time with a reference held only while it is read.
 */
static struct socket *sockstat_fd_sock(int fd, struct file **filep)
{
	struct file *file = fget(fd);
	struct socket *sock = file ? sock_from_file(file) : NULL;

	if (file && !sock) {
		fput(file);
		file = NULL;
	}
	*filep = file;
	return sock;
}

static int sockstat_rp_fd_entry(struct kretprobe_instance *ri, struct pt_regs *regs, u8 kind)
{
	struct sockstat_ri *d = (struct sockstat_ri *)ri->data;
	struct sockstat_call init = { .kind = kind };
	struct sock *sk = NULL;
	struct file *file;
	int ret = 1;

	init.fd = (int)regs_get_kernel_argument(regs, 0);
	init.how = (u8)regs_get_kernel_argument(regs, 1);
	init.sock = sockstat_fd_sock(init.fd, &file);
	if (init.sock)
		sk = READ_ONCE(init.sock->sk);
	/* TCP's listen() is the tracepoint's (CLOSE -> LISTEN). */
	if (sk && !(kind == SOCKSTAT_CALL_LISTEN && sockstat_tp_covers(sk))) {
		init.ss_old = READ_ONCE(init.sock->state);
		init.sk_old = READ_ONCE(sk->sk_state);
		d->ino = SOCK_INODE(init.sock)->i_ino;
		ret = sockstat_call_get(&init, d) < 0;
	}
	if (file)
		fput(file);
	return ret;
}

static int sockstat_rp_fd(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct sockstat_ri *d = (struct sockstat_ri *)ri->data;
	struct sockstat_call s;
	struct sockstat_event ev;
	struct socket *sock;
	struct file *file;
	struct sock *sk;
	u8 ss, st;

	if (!sockstat_call_put(d, &s) || regs_return_value(regs))
		return 0;
	sock = sockstat_fd_sock(s.fd, &file);
	/* Still the socket of the call: not closed and replaced meanwhile. */
	if (sock != s.sock || SOCK_INODE(sock)->i_ino != d->ino)
		goto out;
	sk = READ_ONCE(sock->sk);
	if (!sk)
		goto out;
	ss = READ_ONCE(sock->state);
	st = READ_ONCE(sk->sk_state);
	if (!sockstat_tp_covers(sk) && st != s.sk_old)
		sockstat_emit_state(SOCKSTAT_EVENT_KIND_SK_STATE, sock, sk, s.sk_old, st);
	if (ss != s.ss_old)
		sockstat_emit_state(SOCKSTAT_EVENT_KIND_SS_STATE, sock, sk, s.ss_old, ss);
	if (s.kind == SOCKSTAT_CALL_SHUTDOWN) {
		sockstat_ev_from_sock(&ev, SOCKSTAT_EVENT_KIND_SHUTDOWN, sock, sk);
		ev.how = s.how;
		sockstat_ev_commit(&ev, true);
	}
out:
	if (file)
		fput(file);
	return 0;
}

static int sockstat_rp_listen_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return sockstat_rp_fd_entry(ri, regs, SOCKSTAT_CALL_LISTEN);
}

static int sockstat_rp_shutdown_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return sockstat_rp_fd_entry(ri, regs, SOCKSTAT_CALL_SHUTDOWN);
}

/*
 * __sock_release(sock, inode) (the last close of a socket's file) and
 * sock_release(sock) (kernel sockets; __sock_release() is inlined into
 * it).  The socket is read at entry; the event is sent at return, after
 * what its release changed (TCP's FIN_WAIT1, say), when the socket may
 * be gone: the slot keeps a reference on its network namespace.
 */
static int sockstat_rp_release_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct sockstat_ri *d = (struct sockstat_ri *)ri->data;
	struct sockstat_call init = { .kind = SOCKSTAT_CALL_RELEASE };
	struct sock *sk;

	init.sock = (struct socket *)regs_get_kernel_argument(regs, 0);
	sk = READ_ONCE(init.sock->sk);
	if (!sk)
		return 1;
	sockstat_ev_from_sock(&init.ev, SOCKSTAT_EVENT_KIND_RELEASED, init.sock, sk);
	if (!maybe_get_net(init.ev.net))
		return 1;
	if (sockstat_call_get(&init, d) < 0) {
		put_net(init.ev.net);
		return 1;
	}
	return 0;
}

static int sockstat_rp_release(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct sockstat_ri *d = (struct sockstat_ri *)ri->data;
	struct sockstat_call s;

	if (!sockstat_call_put(d, &s))
		return 0;
	sockstat_ev_commit(&s.ev, true);
	put_net(s.ev.net);
	return 0;
}

#define SOCKSTAT_MAXACTIVE	256

#define SOCKSTAT_RP(sym, entry, ret) {					\
	.kp.symbol_name = sym,						\
	.entry_handler = entry,						\
	.handler = ret,							\
	.data_size = sizeof(struct sockstat_ri),			\
	.maxactive = SOCKSTAT_MAXACTIVE,				\
}

/* Required: without one of these, events of every family would be missing. */
static struct kretprobe sockstat_rps[] = {
	SOCKSTAT_RP("do_accept", sockstat_rp_accept_entry, sockstat_rp_accept),
	SOCKSTAT_RP("__sys_connect_file", sockstat_rp_connect_entry, sockstat_rp_connect),
	SOCKSTAT_RP("__sys_listen", sockstat_rp_listen_entry, sockstat_rp_fd),
	SOCKSTAT_RP("__sys_shutdown", sockstat_rp_shutdown_entry, sockstat_rp_fd),
	SOCKSTAT_RP("sock_release", sockstat_rp_release_entry, sockstat_rp_release),
	SOCKSTAT_RP("tcp_v4_connect", sockstat_rp_tcp_connect_entry, sockstat_rp_tcp_connect),
};

/*
 * Optional: where the kernel has them out of line (__sock_release is
 * static and may be inlined into its callers; IPv6 may be absent).
 */
static struct kretprobe sockstat_rps_opt[] = {
	SOCKSTAT_RP("__sock_release", sockstat_rp_release_entry, sockstat_rp_release),
	SOCKSTAT_RP("tcp_v6_connect", sockstat_rp_tcp_connect_entry, sockstat_rp_tcp_connect),
};

static bool sockstat_rps_opt_on[ARRAY_SIZE(sockstat_rps_opt)];

static struct kprobe sockstat_kp_create = {
	.symbol_name = "security_socket_post_create",
	.pre_handler = sockstat_kp_post_create,
};

static struct tracepoint *sockstat_tp;
/* The handler registered on sockstat_tp. */
static void (*sockstat_tp_fn)(void *data, const struct sock *sk, int old, int new);

/*
 * event_probes_only: handlers that do nothing, one per signature, so that
 * a benchmark measures what the probes alone cost, and the real handlers
 * test nothing for it.
 */
static void sockstat_tp_nop(void *data, const struct sock *sk, int old, int new)
{
}

static int sockstat_kp_nop(struct kprobe *p, struct pt_regs *regs)
{
	return 0;
}

static int sockstat_rp_nop(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return 0;
}

static void sockstat_rps_nop(struct kretprobe *rps, unsigned int n)
{
	while (n--) {
		rps[n].entry_handler = sockstat_rp_nop;
		rps[n].handler = sockstat_rp_nop;
	}
}

static void sockstat_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "inet_sock_set_state"))
		*(struct tracepoint **)priv = tp;
}

/* A probe's address is resolved at registration: a second one needs it clear. */
static void sockstat_kp_reset(struct kprobe *kp)
{
	kp->addr = NULL;
	kp->flags = 0;
	kp->nmissed = 0;
}

/**
 * sockstat_evprobes_arm() - install every probe
 *
 * Return: 0, or the error of a probe that could not be installed (none
 * is then left installed).
 */
int sockstat_evprobes_arm(void)
{
	struct kretprobe *rps[ARRAY_SIZE(sockstat_rps)];
	unsigned int i;
	int err;

	sockstat_calls = kvcalloc(SOCKSTAT_CALLS, sizeof(*sockstat_calls), GFP_KERNEL);
	if (!sockstat_calls)
		return -ENOMEM;
	sockstat_calls_used = 0;

	sockstat_tp = NULL;
	for_each_kernel_tracepoint(sockstat_find_tp, &sockstat_tp);
	if (!sockstat_tp) {
		pr_warn("sockstat: events: no inet_sock_set_state tracepoint in this kernel\n");
		err = -ENOENT;
		goto err_slots;
	}
	if (event_probes_only) {
		sockstat_kp_create.pre_handler = sockstat_kp_nop;
		sockstat_rps_nop(sockstat_rps, ARRAY_SIZE(sockstat_rps));
		sockstat_rps_nop(sockstat_rps_opt, ARRAY_SIZE(sockstat_rps_opt));
	}
	sockstat_tp_fn = event_probes_only ? sockstat_tp_nop : sockstat_tp_set_state;
	err = tracepoint_probe_register(sockstat_tp, sockstat_tp_fn, NULL);
	if (err)
		goto err_slots;

	sockstat_kp_reset(&sockstat_kp_create);
	err = register_kprobe(&sockstat_kp_create);
	if (err) {
		pr_warn("sockstat: events: kprobe on %s: %d\n",
			sockstat_kp_create.symbol_name, err);
		goto err_tp;
	}
	for (i = 0; i < ARRAY_SIZE(sockstat_rps); i++) {
		sockstat_kp_reset(&sockstat_rps[i].kp);
		sockstat_rps[i].nmissed = 0;
		rps[i] = &sockstat_rps[i];
	}
	err = register_kretprobes(rps, ARRAY_SIZE(rps));
	if (err) {
		pr_warn("sockstat: events: kretprobes: %d\n", err);
		goto err_kp;
	}
	for (i = 0; i < ARRAY_SIZE(sockstat_rps_opt); i++) {
		sockstat_kp_reset(&sockstat_rps_opt[i].kp);
		sockstat_rps_opt[i].nmissed = 0;
		sockstat_rps_opt_on[i] = !register_kretprobe(&sockstat_rps_opt[i]);
	}
	return 0;

err_kp:
	unregister_kprobe(&sockstat_kp_create);
err_tp:
	tracepoint_probe_unregister(sockstat_tp, sockstat_tp_fn, NULL);
	tracepoint_synchronize_unregister();
err_slots:
	kvfree(sockstat_calls);
	sockstat_calls = NULL;
	return err;
}

/* Remove every probe, wait for their handlers, and empty the slot table. */
void sockstat_evprobes_disarm(void)
{
	struct kretprobe *rps[ARRAY_SIZE(sockstat_rps)];
	struct sockstat_call *slots;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sockstat_rps_opt); i++)
		if (sockstat_rps_opt_on[i])
			unregister_kretprobe(&sockstat_rps_opt[i]);
	for (i = 0; i < ARRAY_SIZE(sockstat_rps); i++)
		rps[i] = &sockstat_rps[i];
	unregister_kretprobes(rps, ARRAY_SIZE(rps));
	unregister_kprobe(&sockstat_kp_create);
	tracepoint_probe_unregister(sockstat_tp, sockstat_tp_fn, NULL);
	tracepoint_synchronize_unregister();

	raw_spin_lock_irq(&sockstat_call_lock);
	slots = sockstat_calls;
	sockstat_calls = NULL;
	sockstat_calls_used = 0;
	raw_spin_unlock_irq(&sockstat_call_lock);
	for (i = 0; i < SOCKSTAT_CALLS; i++)
		if (slots[i].kind == SOCKSTAT_CALL_RELEASE)
			put_net(slots[i].ev.net);
	kvfree(slots);
}

/* Calls the probes missed: another probe was running, or no instance was free. */
u64 sockstat_evprobes_nmissed(void)
{
	u64 n = READ_ONCE(sockstat_kp_create.nmissed);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sockstat_rps); i++)
		n += READ_ONCE(sockstat_rps[i].nmissed) + READ_ONCE(sockstat_rps[i].kp.nmissed);
	for (i = 0; i < ARRAY_SIZE(sockstat_rps_opt); i++)
		n += READ_ONCE(sockstat_rps_opt[i].nmissed) +
		     READ_ONCE(sockstat_rps_opt[i].kp.nmissed);
	return n;
}
