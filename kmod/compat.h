/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels sockstat builds for (Debian's 6.1,
 * 6.12 and 7.x).  Each SOCKSTAT_HAVE_* (or other SOCKSTAT_* choice) comes
 * from kmod/probe.sh, which compiles the code of each way below against
 * the target kernel's headers and writes probes.h, saying which kernel
 * change each one follows; nothing here tests a version number.  A probe
 * that finds no way that builds fails the build (probe.sh says which and
 * why), and each choice below ends in #error, so that no kernel gets a way
 * no probe chose.
 */
#ifndef _SOCKSTAT_COMPAT_H
#define _SOCKSTAT_COMPAT_H

/* The same list as probe.sh's, which compiles its tests with these. */
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/net.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/sched/mm.h>
#include <linux/skbuff.h>
#include <net/af_unix.h>
#include <net/genetlink.h>
#include <net/inet_connection_sock.h>
#include <net/sock.h>
#include <uapi/linux/sockstat.h>

#include "probes.h"

#ifndef SOCKSTAT_PROBES
#error "probes.h is not kmod/probe.sh's: build with make module (the Makefile runs the probes)"
#endif

#ifdef SOCKSTAT_HAVE_EXEC_STATE
#include <linux/sched/exec_state.h>
#endif

/*
 * A reference on the file of a socket, or NULL when the socket has none
 * (a kernel socket) or its file is being released.  The struct socket
 * itself must be kept alive by the caller.  Where files are
 * SLAB_TYPESAFE_BY_RCU, get_file_active() re-checks the pointer after
 * taking the reference; before that files were freed after an RCU grace
 * period and a plain increment-unless-zero under RCU was enough.
 */
static inline struct file *sockstat_sock_file_get(struct socket *sock)
{
#if defined(SOCKSTAT_HAVE_GET_FILE_ACTIVE)
	return get_file_active(&sock->file);
#elif defined(SOCKSTAT_HAVE_GET_FILE_RCU)
	struct file *file;

	rcu_read_lock();
	file = READ_ONCE(sock->file);
	if (file && !get_file_rcu(file))
		file = NULL;
	rcu_read_unlock();
	return file;
#else
#error "kmod/probe.sh chose no way to reference a socket's file (sock_file)"
#endif
}

/* The attributes of a dump request, parsed by the genetlink core. */
static inline struct nlattr **sockstat_dump_attrs(struct netlink_callback *cb)
{
#if defined(SOCKSTAT_HAVE_GENL_INFO_DUMP)
	return genl_info_dump(cb)->attrs;
#elif defined(SOCKSTAT_HAVE_DUMPIT_INFO_ATTRS)
	return genl_dumpit_info(cb)->attrs;
#else
#error "kmod/probe.sh chose no way to read a dump's attributes (dump_attrs)"
#endif
}

#if !defined(SOCKSTAT_HAVE_SPLIT_OPS) && !defined(SOCKSTAT_HAVE_GENL_OPS_POLICY)
#error "kmod/probe.sh chose no way to declare the family's operations (genl_ops)"
#endif

/*
 * The peer of an AF_UNIX socket, with a reference, or NULL.  Where
 * unix_peer_get() became private, the same under the same lock.
 */
static inline struct sock *sockstat_unix_peer_get(struct sock *sk)
{
#if defined(SOCKSTAT_HAVE_UNIX_PEER_GET)
	return unix_peer_get(sk);
#elif defined(SOCKSTAT_UNIX_PEER_LOCKED)
	struct sock *peer;

	unix_state_lock(sk);
	peer = unix_peer(sk);
	if (peer)
		sock_hold(peer);
	unix_state_unlock(sk);
	return peer;
#else
#error "kmod/probe.sh chose no way to find an AF_UNIX socket's peer (unix_peer)"
#endif
}

/*
 * The bytes an AF_UNIX stream or seqpacket socket has to read, what a
 * partial read() left of the first packet included (-EINVAL for a
 * listener).  After "af_unix: Move internal definitions to net/unix/."
 * the kernel still exports unix_inq_len() but declares it only in its
 * private net/unix/af_unix.h; probe.sh checks that the headers do not
 * declare it and that Module.symvers exports it.
 */
#if defined(SOCKSTAT_DECLARE_UNIX_INQ_LEN)
long unix_inq_len(struct sock *sk);
#elif !defined(SOCKSTAT_HAVE_UNIX_INQ_LEN)
#error "kmod/probe.sh chose no way to read an AF_UNIX socket's queue (unix_inq)"
#endif

/*
 * The SCM_RIGHTS files an AF_UNIX message carries, or NULL.  Where the
 * kernel keeps its skb control block private (UNIXCB() went to
 * net/unix/af_unix.h), the module cannot read it without copying a
 * layout it could not check, so it reports no socket in flight there
 * (SOCKSTAT_IN_FLIGHT_READABLE is 0; see Documentation/nofd.rst).
 */
#if defined(SOCKSTAT_HAVE_UNIXCB)
#define SOCKSTAT_IN_FLIGHT_READABLE	1
static inline struct scm_fp_list *sockstat_skb_fp(struct sk_buff *skb)
{
	return UNIXCB(skb).fp;
}
#elif defined(SOCKSTAT_UNIXCB_PRIVATE)
#define SOCKSTAT_IN_FLIGHT_READABLE	0
#else
#error "kmod/probe.sh could not tell whether messages in flight can be read (unixcb)"
#endif

/*
 * The SOCKSTAT_SOCK_F_* bits of socket->flags that only some kernels
 * have there: SOCK_PASSCRED and SOCK_PASSSEC until they moved to struct
 * sock, SOCK_CUSTOM_SOCKOPT from 6.2, SOCK_PASSPIDFD from 6.5 until it
 * moved too.  What a kernel does not keep in socket->flags is not
 * reported as a socket flag.
 */
static inline u32 sockstat_sock_flags_compat(const unsigned long *flags)
{
	u32 out = 0;

#if defined(SOCKSTAT_HAVE_SOCK_PASSCRED)
	if (test_bit(SOCK_PASSCRED, flags))
		out |= SOCKSTAT_SOCK_F_PASSCRED;
	if (test_bit(SOCK_PASSSEC, flags))
		out |= SOCKSTAT_SOCK_F_PASSSEC;
#elif !defined(SOCKSTAT_HAVE_SK_SCM_FLAGS)
#error "kmod/probe.sh could not tell where SO_PASSCRED is kept (scm_flags)"
#endif
#if defined(SOCKSTAT_HAVE_SOCK_CUSTOM_SOCKOPT)
	if (test_bit(SOCK_CUSTOM_SOCKOPT, flags))
		out |= SOCKSTAT_SOCK_F_CUSTOM_SOCKOPT;
#elif !defined(SOCKSTAT_NO_SOCK_CUSTOM_SOCKOPT)
#error "kmod/probe.sh could not tell whether SOCK_CUSTOM_SOCKOPT exists (custom_sockopt)"
#endif
#if defined(SOCKSTAT_HAVE_SOCK_PASSPIDFD)
	if (test_bit(SOCK_PASSPIDFD, flags))
		out |= SOCKSTAT_SOCK_F_PASSPIDFD;
#elif !defined(SOCKSTAT_NO_SOCK_PASSPIDFD)
#error "kmod/probe.sh could not tell whether SOCK_PASSPIDFD exists (passpidfd)"
#endif
	return out;
}

/*
 * SO_PASSCRED and SO_PASSSEC as SOCKSTAT_SO_* bits: socket->flags bits
 * (@sock may be NULL: none), or bit fields of struct sock since
 * "af_unix: Move SOCK_PASS{CRED,PIDFD,SEC} to struct sock.", each read
 * once without the socket lock.  Those bit fields share their byte with
 * sk_txrehash: they mean SO_PASS* only in the families sk_may_scm_recv()
 * names (AF_UNIX, AF_NETLINK, AF_BLUETOOTH), which alone may set them.
 */
static inline u32 sockstat_scm_sockopts(const struct socket *sock,
					const struct sock *sk)
{
	u32 out = 0;

#if defined(SOCKSTAT_HAVE_SK_SCM_FLAGS)
	if (!sk_may_scm_recv(sk))
		return 0;
	if (sk->sk_scm_credentials)
		out |= SOCKSTAT_SO_PASSCRED;
	if (sk->sk_scm_security)
		out |= SOCKSTAT_SO_PASSSEC;
#elif defined(SOCKSTAT_HAVE_SOCK_PASSCRED)
	if (sock && test_bit(SOCK_PASSCRED, &sock->flags))
		out |= SOCKSTAT_SO_PASSCRED;
	if (sock && test_bit(SOCK_PASSSEC, &sock->flags))
		out |= SOCKSTAT_SO_PASSSEC;
#else
#error "kmod/probe.sh could not tell where SO_PASSCRED is kept (scm_flags)"
#endif
	return out;
}

/* The memory forward-allocated to a socket, as sock_diag's meminfo has it. */
static inline int sockstat_sk_forward_alloc(const struct sock *sk)
{
#if defined(SOCKSTAT_HAVE_SK_FORWARD_ALLOC_GET)
	return sk_forward_alloc_get(sk);
#elif defined(SOCKSTAT_SK_FORWARD_ALLOC)
	return READ_ONCE(sk->sk_forward_alloc);
#else
#error "kmod/probe.sh chose no way to read forward-allocated memory (forward_alloc)"
#endif
}

/* The uid owning a socket (sockfs's i_uid), as inet_diag reports it. */
static inline kuid_t sockstat_sk_uid(struct sock *sk)
{
#if defined(SOCKSTAT_HAVE_SK_UID)
	return sk_uid(sk);
#elif defined(SOCKSTAT_HAVE_SOCK_I_UID)
	return sock_i_uid(sk);
#else
#error "kmod/probe.sh chose no way to read a socket's uid (sk_uid)"
#endif
}

/*
 * A socket's drop count.  UDP and raw sockets count theirs in per-node
 * counters (sk->sk_drop_counters) where sk_drops_read() exists, and
 * sk->sk_drops stays 0 there.
 */
static inline int sockstat_sk_drops(const struct sock *sk)
{
#if defined(SOCKSTAT_HAVE_SK_DROPS_READ)
	return sk_drops_read(sk);
#elif defined(SOCKSTAT_SK_DROPS_ATOMIC)
	return atomic_read(&sk->sk_drops);
#else
#error "kmod/probe.sh chose no way to read a socket's drops (sk_drops)"
#endif
}

/*
 * When a full TCP socket's retransmission (or zero window probe, loss
 * probe, reordering) timer fires, in jiffies: what icsk_pending says is
 * pending there.
 */
static inline unsigned long sockstat_tcp_rto_expires(const struct sock *sk)
{
#if defined(SOCKSTAT_HAVE_TCP_TIMEOUT_EXPIRES)
	return tcp_timeout_expires(sk);
#elif defined(SOCKSTAT_HAVE_ICSK_TIMEOUT_FN)
	return icsk_timeout(inet_csk(sk));
#elif defined(SOCKSTAT_HAVE_ICSK_TIMEOUT)
	return READ_ONCE(inet_csk(sk)->icsk_timeout);
#else
#error "kmod/probe.sh chose no way to read the retransmission timeout (rto_expires)"
#endif
}

/*
 * The dumpability ptrace_may_access() requires of @task for a requester
 * whose ids match: true when it is dumpable (SUID_DUMP_USER, or
 * TASK_DUMPABLE_OWNER where it moved from the mm to task->exec_state);
 * otherwise *@ns is the user namespace in which CAP_SYS_PTRACE would
 * still do.  Call under task_lock(@task), which keeps *@ns valid and, on
 * kernels with exec_state, keeps the task from replacing it.  A task
 * without an mm passes on kernels that judge the mm, as there.
 */
static inline bool sockstat_task_dumpable(struct task_struct *task,
					  struct user_namespace **ns)
{
#if defined(SOCKSTAT_HAVE_EXEC_STATE)
	const struct task_exec_state *es;

	es = rcu_dereference_protected(task->exec_state,
				       lockdep_is_held(&task->alloc_lock));
	if (!es) {
		/* Never seen: the kernel itself warns. Only CAP_SYS_PTRACE. */
		*ns = &init_user_ns;
		return false;
	}
	*ns = es->user_ns;
	return READ_ONCE(es->dumpable) == TASK_DUMPABLE_OWNER;
#elif defined(SOCKSTAT_HAVE_MM_DUMPABLE)
	struct mm_struct *mm = task->mm;

	if (!mm)
		return true;
	*ns = mm->user_ns;
	return get_dumpable(mm) == SUID_DUMP_USER;
#else
#error "kmod/probe.sh chose no way to tell a task's dumpability (dumpable)"
#endif
}

/*
 * Whether current is dumpable, and the user namespace that decides who
 * may trace it (*@ns, not referenced: only current's own exec changes
 * either), for an event current causes; any context.  Unknown: not
 * dumpable, in the initial user namespace (only CAP_SYS_PTRACE there).
 */
static inline bool sockstat_current_dumpable(struct user_namespace **ns)
{
#if defined(SOCKSTAT_HAVE_EXEC_STATE)
	const struct task_exec_state *es = rcu_dereference_check(current->exec_state, true);

	*ns = es ? es->user_ns : &init_user_ns;
	return es && READ_ONCE(es->dumpable) == TASK_DUMPABLE_OWNER;
#elif defined(SOCKSTAT_HAVE_MM_DUMPABLE)
	struct mm_struct *mm = current->mm;

	*ns = mm ? mm->user_ns : &init_user_ns;
	return mm && get_dumpable(mm) == SUID_DUMP_USER;
#else
#error "kmod/probe.sh chose no way to tell a task's dumpability (dumpable)"
#endif
}

#endif /* _SOCKSTAT_COMPAT_H */
