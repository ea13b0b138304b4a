// SPDX-License-Identifier: GPL-2.0
/*
 * Visiting every socket that a file descriptor holds.
 *
 * The kernel keeps no list of all sockets: socket inodes come from
 * new_inode_pseudo() and never join their superblock's inode list, and
 * each protocol hashes only the sockets it has to find (an unbound UDP
 * socket or one end of a socketpair is in no table).  What reaches every
 * socket a process uses is the process's descriptor table, so we walk
 * the thread groups of a pid namespace in pid order and each group's
 * table in descriptor order, as /proc/PID/fd does.
 */
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/indirect_call_wrapper.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/sched/coredump.h>
#include <linux/sched/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uidgid.h>
#include <net/sock.h>

#include "compat.h"
#include "sockstat.h"

/* Open descriptors to look at, without references, between reschedules. */
#define SOCKSTAT_SCAN_FAST_BATCH	1024

/**
 * sockstat_filter_init() - a filter that lets every socket through, for
 *	the task that asks (current)
 * @f: the filter
 * @net: the network namespace whose sockets to report
 * @cred: the credentials owners are shown to: the requester's
 *	(current_cred()) or those an open file keeps (file->f_cred), which
 *	are current's when the file is opened
 * @user_ns: the user namespace to express uids in
 *
 * Everything that decides what the requester may see is taken now, in
 * its context: its pid namespace, its thread group, @cred, and whether
 * it has CAP_SYS_PTRACE (checked with the LSM).  A dump
 * goes on in whoever calls recvmsg() next, a /proc file in whoever calls
 * read(); neither is asked again.  Holds references until
 * sockstat_filter_release().
 */
void sockstat_filter_init(struct sockstat_filter *f, struct net *net,
			  const struct cred *cred, struct user_namespace *user_ns)
{
	*f = (struct sockstat_filter){
		.net = net,
		.pid_ns = get_pid_ns(task_active_pid_ns(current)),
		.user_ns = user_ns,
		.cred = get_cred(cred),
		.self = get_pid(task_tgid(current)),
		.ptrace_cap = ns_capable_noaudit(cred->user_ns, CAP_SYS_PTRACE),
		.ss_states = SOCKSTAT_SS_STATES_ALL,
		.details = SOCKSTAT_DETAILS_ALL,
	};
}

/* Drop what sockstat_filter_init() took (not the network namespace). */
void sockstat_filter_release(struct sockstat_filter *f)
{
	put_pid(f->self);
	put_cred(f->cred);
	put_pid_ns(f->pid_ns);
	f->self = NULL;
	f->cred = NULL;
	f->pid_ns = NULL;
}

/**
 * sockstat_match() - whether a socket passes a filter
 * @f: the filter
 * @sock: the socket, kept open by the caller (sockstat_sock_open(), or
 *	a file reference), which keeps sock->sk alive
 */
bool sockstat_match(const struct sockstat_filter *f, struct socket *sock)
{
	struct sock *sk = READ_ONCE(sock->sk);

	if (!sk)
		return false;
	if (f->net ? !net_eq(sock_net(sk), f->net) :
	    f->netns_inum && sock_net(sk)->ns.inum != f->netns_inum)
		return false;
	if (!(f->ss_states & BIT(READ_ONCE(sock->state))) ||
	    !sockstat_sk_state_match(f, READ_ONCE(sk->sk_state)))
		return false;
	if (f->ino && SOCK_INODE(sock)->i_ino != f->ino)
		return false;
	if (f->type && READ_ONCE(sock->type) != f->type)
		return false;
	if (f->family && READ_ONCE(sk->sk_family) != f->family)
		return false;
	return true;
}

/*
 * Whether @task is the thread that stands for its descriptor table in the
 * scan: the first thread of its group, in the group's own order (the
 * leader first), that has this table.  Threads that share a table
 * (CLONE_FILES, the usual case) are scanned once, through it; a thread
 * that has a table of its own (unshare(CLONE_FILES), or a clone without
 * CLONE_FILES into the same group) is scanned too.  A zombie leader has
 * no table: the first live thread that has the group's stands for it.
 */
static bool sockstat_table_task(struct task_struct *task)
{
	struct files_struct *files;
	struct task_struct *t;
	bool first = false;

	rcu_read_lock();
	files = READ_ONCE(task->files);
	if (files && pid_alive(task)) {
		for_each_thread(task, t) {
			if (READ_ONCE(t->files) == files) {
				first = t == task;
				break;
			}
		}
	}
	rcu_read_unlock();
	return first;
}

/* Whether @ns is @ancestor or one of its descendants. */
static bool sockstat_userns_within(const struct user_namespace *ns,
				   const struct user_namespace *ancestor)
{
	for (; ns->level > ancestor->level; ns = ns->parent)
		;
	return ns == ancestor;
}

/*
 * CAP_SYS_PTRACE of the requester over @ns, as cap_capable() would have
 * it: its capability in its own user namespace (checked, with the LSM,
 * when the filter was made) reaches that namespace and those below.  The
 * owner of a user namespace has every capability in it even without
 * CAP_SYS_PTRACE in its own; we do not grant that way, as the LSM's
 * capable hook for it cannot be asked on behalf of @f->cred.
 */
static bool sockstat_ptrace_cap(const struct sockstat_filter *f,
				const struct user_namespace *ns)
{
	return f->ptrace_cap && sockstat_userns_within(ns, f->cred->user_ns);
}

/* The ids half of sockstat_may_see_fds() below, for credentials @tcred. */
static bool sockstat_may_see_ids(const struct sockstat_filter *f,
				 const struct cred *tcred)
{
	const struct cred *cred = f->cred;

	return (uid_eq(cred->fsuid, tcred->euid) && uid_eq(cred->fsuid, tcred->suid) &&
		uid_eq(cred->fsuid, tcred->uid) && gid_eq(cred->fsgid, tcred->egid) &&
		gid_eq(cred->fsgid, tcred->sgid) && gid_eq(cred->fsgid, tcred->gid)) ||
	       sockstat_ptrace_cap(f, tcred->user_ns);
}

/*
 * Whether the requester may see which descriptors of @task hold what: the
 * rule /proc/PID/fd applies, ptrace_may_access(PTRACE_MODE_READ_FSCREDS),
 * which modules cannot call, with the requester's credentials (@f->cred,
 * taken when the request or the dump started, or when the /proc file was
 * opened) and never with those of whoever reads now: its own process;
 * or a process whose real, effective and saved ids all are the
 * requester's fsuid and fsgid, and that is dumpable; or CAP_SYS_PTRACE
 * over it (sockstat_ptrace_cap()).  The LSM's ptrace hook
 * (security_ptrace_access_check(), which SELinux, AppArmor, Smack and
 * Yama implement) cannot be asked on behalf of credentials taken earlier
 * and is not consulted; Documentation/index.rst says what follows.
 */
static bool sockstat_may_see_fds(const struct sockstat_filter *f,
				 struct task_struct *task)
{
	struct user_namespace *ns;
	bool ok;

	if (task_tgid(task) == f->self)
		return true;

	rcu_read_lock();
	ok = sockstat_may_see_ids(f, __task_cred(task));
	rcu_read_unlock();
	if (!ok)
		return false;

	task_lock(task);
	ok = sockstat_task_dumpable(task, &ns) || sockstat_ptrace_cap(f, ns);
	task_unlock(task);
	return ok;
}

/**
 * sockstat_may_see_task() - sockstat_may_see_fds()'s rule for a task as it
 *	was when an event happened
 * @f: the subscriber's filter
 * @tgid: the task's thread group
 * @tcred: its credentials then
 * @dumpable: whether its mm was dumpable then
 * @mm_ns: the user namespace of its mm
 */
bool sockstat_may_see_task(const struct sockstat_filter *f, struct pid *tgid,
			   const struct cred *tcred, bool dumpable,
			   const struct user_namespace *mm_ns)
{
	if (tgid == f->self)
		return true;
	return sockstat_may_see_ids(f, tcred) &&
	       (dumpable || sockstat_ptrace_cap(f, mm_ns));
}

/*
 * The socket descriptor @fd held as @file, with a reference on its inode,
 * into @slot (see sockstat_scan_fast()).  Under task_lock() and RCU.
 */
static void sockstat_slot_grab(struct files_struct *files, unsigned int fd,
			       struct file *file, struct socket *sock,
			       struct sockstat_slot *slot)
{
	struct inode *inode = READ_ONCE(file->f_inode);
	struct fdtable *fdt;

	/*
	 * Only a socket's inode is grabbed: our iput() of any other could be
	 * its last and do that file system's work (an unlinked file's
	 * truncation) here; a socket inode's last iput() frees memory only.
	 */
	if (!inode || inode->i_sb->s_magic != SOCKFS_MAGIC ||
	    SOCKET_I(inode) != sock)
		return;
	slot->inode = igrab(inode);
	if (!slot->inode)
		return;
	fdt = files_fdtable(files);
	if (fd < fdt->max_fds && rcu_dereference_raw(fdt->fd[fd]) == file &&
	    READ_ONCE(file->f_inode) == inode) {
		slot->sock = sock;
		slot->cloexec = test_bit(fd, fdt->close_on_exec);
	}
}

/* What sockstat_scan_fast() stopped at. */
enum sockstat_fast {
	SOCKSTAT_FAST_END,	/* the end of the table */
	SOCKSTAT_FAST_WANT,	/* a descriptor the visitor wants */
	SOCKSTAT_FAST_YIELD,	/* a batch done: reschedule, then go on */
};

/*
 * Look at the open descriptors of @task from *@fd on without taking a
 * reference on their files, as long as @pass lets them go by: stop at the
 * first one it wants, or at the end of the table, or after a batch.  *@fd
 * is left at that descriptor.  Only descriptors set in open_fds are
 * looked at, so that a table of a million slots with a few open costs a
 * few words of bitmap per 64 descriptors, not a load per slot.
 *
 * task_lock() keeps the table alive, RCU its arrays and the files in them.
 * A file read from a slot without a reference may be closed, and on
 * kernels with SLAB_TYPESAFE_BY_RCU files reused, while we look: its
 * f_op, private_data and f_inode are then those of some file that was
 * open during our RCU section, and an inode is freed after a grace period
 * only, so reading i_ino through f_inode is safe.  The key @pass gets is
 * exact for a descriptor that stays as it is; for one that changes, the
 * socket it held was not stable through the walk, and any answer will do.
 *
 * For a descriptor @pass wants, @slot gets its socket with a reference on
 * the socket's inode (igrab(), safe for the same reason, and the inode's
 * superblock is read the same way; it fails for an inode being freed),
 * never on its file (sockref.c says why), and its
 * close-on-exec bit.  The descriptor is looked up again in the table as it
 * is now (task_lock() keeps task->files, which exec, unshare(CLONE_FILES)
 * and close_range(CLOSE_RANGE_UNSHARE) replace under it, but the files
 * may have moved to a bigger fdtable meanwhile): it must still hold the
 * same file, and the file still name that inode, which is a socket's;
 * the close-on-exec bit comes from that same table, within its bounds.
 * On kernels whose files are SLAB_TYPESAFE_BY_RCU this second look is
 * what tells a file that was closed, and its memory reused, from the one
 * we saw.  A descriptor that fails it is skipped (@slot->sock NULL), but
 * its socket's inode, if grabbed, is in @slot->inode: the caller drops it
 * once out of the lock (iput() may sleep).
 */
static enum sockstat_fast sockstat_scan_fast(struct task_struct *task,
					     unsigned int *fd,
					     sockstat_pass_t pass, void *arg,
					     struct sockstat_slot *slot)
{
	enum sockstat_fast ret = SOCKSTAT_FAST_END;
	struct files_struct *files;
	unsigned int n = 0;
	struct fdtable *fdt;

	task_lock(task);
	files = task->files;
	if (!files)
		goto out;
	rcu_read_lock();
	fdt = files_fdtable(files);
	for (;; (*fd)++) {
		struct sockstat_key k;
		struct inode *inode;
		struct file *file;

		*fd = find_next_bit(fdt->open_fds, fdt->max_fds, *fd);
		if (*fd >= fdt->max_fds)
			break;
		if (++n > SOCKSTAT_SCAN_FAST_BATCH) {
			ret = SOCKSTAT_FAST_YIELD;
			break;
		}
		file = rcu_dereference_raw(fdt->fd[*fd]);
		if (!file)
			continue;
		k.sock = sock_from_file(file);
		if (!k.sock)
			continue;
		inode = READ_ONCE(file->f_inode);
		k.ino = inode ? (u32)READ_ONCE(inode->i_ino) : 0;
		/* Once per descriptor per window: no retpoline for the walk's. */
		if (!INDIRECT_CALL_1(pass, sockstat_window_pass, arg, &k)) {
			ret = SOCKSTAT_FAST_WANT;
			sockstat_slot_grab(files, *fd, file, k.sock, slot);
			break;
		}
	}
	rcu_read_unlock();
out:
	task_unlock(task);
	return ret;
}

static int sockstat_scan_task(struct task_struct *task, struct pid *owner,
			      pid_t pid, sockstat_pass_t pass,
			      sockstat_visit_t visit, void *arg)
{
	unsigned int fd = 0;

	for (;;) {
		struct sockstat_slot slot = { .owner = owner, .pid = pid };

		switch (sockstat_scan_fast(task, &fd, pass, arg, &slot)) {
		case SOCKSTAT_FAST_END:
			return 0;
		case SOCKSTAT_FAST_YIELD:
			if (fatal_signal_pending(current))
				return -EINTR;
			cond_resched();
			continue;
		case SOCKSTAT_FAST_WANT:
			break;
		}
		if (slot.sock) {
			slot.fd = fd;
			/* The visitor keeps the inode reference or drops it. */
			INDIRECT_CALL_1(visit, sockstat_window_visit, arg, &slot);
		} else if (slot.inode) {
			iput(slot.inode);
		}
		fd++;
	}
}

/**
 * sockstat_scan() - call @visit for every descriptor that holds a socket
 *	and that @pass does not let go by
 * @f: its pid namespace says which tasks to visit, its credentials which
 *	owners the requester may see; the other fields are for @visit to
 *	apply (sockstat_match())
 * @pass: called first with the key of the socket a descriptor holds, read
 *	without a reference (see sockstat_scan_fast()), under a spinlock;
 *	true passes over the descriptor, false has @visit called for it
 *	with a reference on the socket's inode; must not sleep
 * @visit: called with a descriptor, outside any lock; slot->inode is a
 *	reference on the socket's inode, which it keeps or drops (iput()),
 *	and it takes its own reference on slot->owner if it keeps it; the
 *	socket may be closed meanwhile (sockstat_sock_may_match())
 * @arg: passed to @pass and @visit
 *
 * slot->pid is 0 for a process whose descriptors the requester may not
 * see (sockstat_may_see_fds()): its sockets are visited, its identity is
 * not given.  Every descriptor table is visited once, through the first
 * thread that has it (sockstat_table_task()), so a socket is visited once
 * per descriptor of each table that holds it.
 *
 * Return: 0, or -EINTR when a fatal signal is pending.  Sleeps, and
 * reschedules every SOCKSTAT_SCAN_FAST_BATCH descriptors and every task.
 */
int sockstat_scan(const struct sockstat_filter *f, sockstat_pass_t pass,
		  sockstat_visit_t visit, void *arg)
{
	int nr, err = 0;

	for (nr = 1; !err; nr++) {
		struct task_struct *task = NULL;
		struct pid *pid;
		pid_t tgid = 0;

		rcu_read_lock();
		pid = find_ge_pid(nr, f->pid_ns);
		if (pid) {
			nr = pid_nr_ns(pid, f->pid_ns);
			task = pid_task(pid, PIDTYPE_PID);
			if (task) {
				get_task_struct(task);
				get_pid(pid);
				tgid = task_tgid_nr_ns(task, f->pid_ns);
			}
		}
		rcu_read_unlock();
		if (!pid)
			return 0;
		if (!task)
			continue;

		if (tgid && sockstat_table_task(task)) {
			/* Sockets of a process the reader may not look into: no owner. */
			bool seen = sockstat_may_see_fds(f, task);

			err = sockstat_scan_task(task, seen ? pid : NULL,
						 seen ? tgid : 0, pass, visit, arg);
		}
		put_pid(pid);
		put_task_struct(task);
		if (!err && fatal_signal_pending(current))
			err = -EINTR;
		cond_resched();
	}
	return err;
}

/* A descriptor table of the group sockstat_scan_group() visits. */
struct sockstat_group_table {
	struct task_struct *task;	/* its first thread, referenced */
	struct pid *pid;		/* that thread's, referenced */
	struct files_struct *files;	/* only compared, never followed */
};

/*
 * The tables of the thread group @pid, each through its first thread, in
 * the group's order: what sockstat_table_task() picks out of every task,
 * found by walking the group's threads instead of every pid.  At most
 * @max of them.
 */
static unsigned int sockstat_group_tables(struct pid *pid,
					  struct sockstat_group_table *tab,
					  unsigned int max)
{
	struct task_struct *leader, *t;
	unsigned int n = 0, i;

	rcu_read_lock();
	leader = pid_task(pid, PIDTYPE_TGID);
	if (leader && pid_alive(leader)) {
		for_each_thread(leader, t) {
			struct files_struct *files = READ_ONCE(t->files);

			if (!files)
				continue;
			for (i = 0; i < n && tab[i].files != files; i++)
				;
			if (i < n)
				continue;
			if (n == max)
				break;
			tab[n].task = get_task_struct(t);
			tab[n].pid = get_pid(task_pid(t));
			tab[n].files = files;
			n++;
		}
	}
	rcu_read_unlock();
	return n;
}

/* How many threads the group @pid has now (0 when it has exited). */
static unsigned int sockstat_group_threads(struct pid *pid)
{
	struct task_struct *leader;
	unsigned int n = 0;

	rcu_read_lock();
	leader = pid_task(pid, PIDTYPE_TGID);
	if (leader && pid_alive(leader))
		n = get_nr_threads(leader);
	rcu_read_unlock();
	return n;
}

/**
 * sockstat_scan_group() - sockstat_scan() of the thread group @f->pid only
 * @f: @f->pid (not 0) names the group in @f->pid_ns; the rest as for
 *	sockstat_scan()
 * @pass: as for sockstat_scan()
 * @visit: as for sockstat_scan()
 * @arg: passed to @pass and @visit
 *
 * Visits the group's descriptor tables, as sockstat_scan() would (the
 * group's own through its first thread, and each thread's that has one of
 * its own), without looking at any other task: the cost is that process's
 * descriptors, not the machine's.  A thread that unshares its table
 * during the scan may be missed, as a task created during sockstat_scan()
 * may be.
 *
 * Return: 0, -ENOMEM, or -EINTR when a fatal signal is pending.
 */
int sockstat_scan_group(const struct sockstat_filter *f, sockstat_pass_t pass,
			sockstat_visit_t visit, void *arg)
{
	struct sockstat_group_table *tab;
	unsigned int max, n, i;
	struct pid *pid;
	int err = 0;

	rcu_read_lock();
	pid = get_pid(find_pid_ns(f->pid, f->pid_ns));
	rcu_read_unlock();
	if (!pid)
		return 0;
	max = sockstat_group_threads(pid);
	if (!max)
		goto out;
	tab = kvmalloc_array(max, sizeof(*tab), GFP_KERNEL_ACCOUNT);
	if (!tab) {
		err = -ENOMEM;
		goto out;
	}
	n = sockstat_group_tables(pid, tab, max);
	for (i = 0; i < n; i++) {
		if (!err) {
			bool seen = sockstat_may_see_fds(f, tab[i].task);

			err = sockstat_scan_task(tab[i].task, seen ? tab[i].pid : NULL,
						 seen ? f->pid : 0, pass, visit, arg);
			if (!err && fatal_signal_pending(current))
				err = -EINTR;
			cond_resched();
		}
		put_pid(tab[i].pid);
		put_task_struct(tab[i].task);
	}
	kvfree(tab);
out:
	put_pid(pid);
	return err;
}

/**
 * sockstat_owner_task() - the command and uid of an owner, as they are now
 * @o: the owner (o->nr not 0)
 * @ns: the walk's pid namespace
 * @t: gets the command of its thread group and the real uid of the thread
 *	whose descriptor table holds it, and that thread's id when it is not
 *	the group's leader (0 otherwise)
 * @user_ns: the user namespace to express the uid in
 *
 * The process is the one the scan saw (o->pid identifies it, not the
 * number, which a new process may have taken since).
 *
 * Return: false when it has exited since the scan.
 */
bool sockstat_owner_task(const struct sockstat_owner *o, struct pid_namespace *ns,
			 struct user_namespace *user_ns, struct sockstat_task *t)
{
	struct task_struct *task;
	bool alive = false;

	rcu_read_lock();
	task = pid_task(o->pid, PIDTYPE_PID);
	if (task) {
		get_task_comm(t->comm, task->group_leader);
		t->uid = from_kuid_munged(user_ns, task_uid(task));
		t->tid = thread_group_leader(task) ? 0 : pid_nr_ns(o->pid, ns);
		alive = true;
	}
	rcu_read_unlock();
	return alive;
}
