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
#include <linux/uidgid.h>
#include <net/sock.h>

#include "compat.h"
#include "sockstat.h"

/* Descriptors to look at, without references, between reschedules. */
#define SOCKSTAT_SCAN_FAST_BATCH	1024

/**
 * sockstat_filter_init() - a filter that lets every socket through
 * @f: the filter
 * @net: the network namespace whose sockets to report
 * @pid_ns: the pid namespace whose tasks to look at
 * @user_ns: the user namespace to express uids in
 */
void sockstat_filter_init(struct sockstat_filter *f, struct net *net,
			  struct pid_namespace *pid_ns,
			  struct user_namespace *user_ns)
{
	*f = (struct sockstat_filter){
		.net = net,
		.pid_ns = pid_ns,
		.user_ns = user_ns,
		.ss_states = SOCKSTAT_SS_STATES_ALL,
		.sk_states = SOCKSTAT_SK_STATES_ALL,
		.details = SOCKSTAT_DETAILS_ALL,
	};
}

/**
 * sockstat_match() - whether a socket passes a filter
 * @f: the filter
 * @sock: the socket; the caller holds a reference on its file, which
 *	keeps sock->sk alive
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
	    !(f->sk_states & BIT(READ_ONCE(sk->sk_state))))
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
 * The thread whose descriptor table stands for the thread group: the
 * leader, or once the leader has exited (a zombie leader has no table)
 * the first thread still running.  Returns it with a reference, or NULL.
 */
static struct task_struct *sockstat_files_task(struct task_struct *leader)
{
	struct task_struct *t, *found = NULL;

	rcu_read_lock();
	for_each_thread(leader, t) {
		if (READ_ONCE(t->files)) {
			found = t;
			get_task_struct(t);
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/*
 * Whether the reader may see which descriptors of @task hold what: the
 * rule /proc/PID/fd applies (ptrace_may_access(PTRACE_MODE_READ_FSCREDS),
 * which modules cannot call): its own process; or a process whose real,
 * effective and saved ids all are the reader's fsuid and fsgid, and that
 * is dumpable; or CAP_SYS_PTRACE over it.  The LSM hook of that check is
 * not consulted.
 */
static bool sockstat_may_see_fds(struct task_struct *task)
{
	const struct cred *cred = current_cred(), *tcred;
	struct mm_struct *mm;
	bool ok;

	if (same_thread_group(task, current))
		return true;

	rcu_read_lock();
	tcred = __task_cred(task);
	ok = (uid_eq(cred->fsuid, tcred->euid) && uid_eq(cred->fsuid, tcred->suid) &&
	      uid_eq(cred->fsuid, tcred->uid) && gid_eq(cred->fsgid, tcred->egid) &&
	      gid_eq(cred->fsgid, tcred->sgid) && gid_eq(cred->fsgid, tcred->gid)) ||
	     ns_capable_noaudit(tcred->user_ns, CAP_SYS_PTRACE);
	rcu_read_unlock();
	if (!ok)
		return false;

	task_lock(task);
	mm = task->mm;
	ok = !mm || get_dumpable(mm) == SUID_DUMP_USER ||
	     ns_capable_noaudit(mm->user_ns, CAP_SYS_PTRACE);
	task_unlock(task);
	return ok;
}

static bool sockstat_fd_cloexec(struct task_struct *task, unsigned int fd)
{
	bool cloexec = false;

	task_lock(task);
	if (task->files) {
		rcu_read_lock();
		cloexec = sockstat_close_on_exec(fd, task->files);
		rcu_read_unlock();
	}
	task_unlock(task);
	return cloexec;
}

/* What sockstat_scan_fast() stopped at. */
enum sockstat_fast {
	SOCKSTAT_FAST_END,	/* the end of the table */
	SOCKSTAT_FAST_WANT,	/* a descriptor the visitor wants */
	SOCKSTAT_FAST_YIELD,	/* a batch done: reschedule, then go on */
};

/*
 * Look at the descriptors of @task from *@fd on without taking a reference
 * on their files, as long as @pass lets them go by: stop at the first one
 * it wants, or at the end of the table, or after a batch.  *@fd is left
 * at that descriptor.
 *
 * task_lock() keeps the table alive, RCU its arrays and the files in them.
 * A file read from a slot without a reference may be closed, and on
 * kernels with SLAB_TYPESAFE_BY_RCU files reused, while we look: its
 * f_op, private_data and f_inode are then those of some file that was
 * open during our RCU section, and an inode is freed after a grace period
 * only, so reading i_ino through f_inode is safe.  The key @pass gets is
 * exact for a descriptor that stays as it is; for one that changes, the
 * socket it held was not stable through the walk, and any answer will do.
 */
static enum sockstat_fast sockstat_scan_fast(struct task_struct *task,
					     unsigned int *fd,
					     sockstat_pass_t pass, void *arg)
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
	for (; *fd < fdt->max_fds; (*fd)++) {
		struct sockstat_key k;
		struct inode *inode;
		struct file *file;

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
		k.ino = inode ? READ_ONCE(inode->i_ino) : 0;
		/* Once per descriptor per window: no retpoline for the walk's. */
		if (!INDIRECT_CALL_1(pass, sockstat_window_pass, arg, &k)) {
			ret = SOCKSTAT_FAST_WANT;
			break;
		}
	}
	rcu_read_unlock();
out:
	task_unlock(task);
	return ret;
}

static void sockstat_scan_task(struct task_struct *task, pid_t pid,
			       sockstat_pass_t pass, sockstat_visit_t visit,
			       void *arg)
{
	unsigned int fd = 0;

	for (;;) {
		struct sockstat_slot slot = { .pid = pid };

		switch (sockstat_scan_fast(task, &fd, pass, arg)) {
		case SOCKSTAT_FAST_END:
			return;
		case SOCKSTAT_FAST_YIELD:
			cond_resched();
			continue;
		case SOCKSTAT_FAST_WANT:
			break;
		}

		/* The descriptor with a reference, as /proc/PID/fd takes it. */
		rcu_read_lock();
		slot.file = sockstat_task_next_file(task, &fd);
		rcu_read_unlock();
		if (!slot.file)
			return;

		slot.sock = sock_from_file(slot.file);
		if (slot.sock) {
			slot.fd = fd;
			slot.cloexec = sockstat_fd_cloexec(task, fd);
			INDIRECT_CALL_1(visit, sockstat_window_visit, arg, &slot);
		} else {
			fput(slot.file);
		}
		fd++;
	}
}

/**
 * sockstat_scan() - call @visit for every descriptor that holds a socket
 *	and that @pass does not let go by
 * @f: its pid namespace says which tasks to visit; the other fields are
 *	for @visit to apply (sockstat_match())
 * @pass: called first with the key of the socket a descriptor holds, read
 *	without a reference (see sockstat_scan_fast()), under a spinlock;
 *	true passes over the descriptor, false has @visit called for it
 *	with a reference taken; must not sleep
 * @visit: called with a descriptor; must keep or drop slot->file
 * @arg: passed to @pass and @visit
 *
 * slot->pid is 0 for a process whose descriptors the reader may not see
 * (sockstat_may_see_fds()): its sockets are visited, its identity is not
 * given.
 * A socket is visited once per descriptor, and once more for each thread
 * group that shares the same descriptor table.  Sleeps.
 */
void sockstat_scan(const struct sockstat_filter *f, sockstat_pass_t pass,
		   sockstat_visit_t visit, void *arg)
{
	int nr;

	for (nr = 1;; nr++) {
		struct task_struct *leader = NULL, *task;
		struct pid *pid;

		rcu_read_lock();
		pid = find_ge_pid(nr, f->pid_ns);
		if (pid) {
			nr = pid_nr_ns(pid, f->pid_ns);
			leader = pid_task(pid, PIDTYPE_TGID);
			if (leader)
				get_task_struct(leader);
		}
		rcu_read_unlock();
		if (!pid)
			return;
		if (!leader)
			continue;

		task = sockstat_files_task(leader);
		put_task_struct(leader);
		if (!task)
			continue;
		/* Sockets of a process the reader may not look into: no owner. */
		sockstat_scan_task(task, sockstat_may_see_fds(task) ? nr : 0,
				   pass, visit, arg);
		put_task_struct(task);
		cond_resched();
	}
}

/**
 * sockstat_owner_task() - the command and uid of an owner, as they are now
 * @p: the owner (p->pid numbered in @ns, not 0)
 * @ns: the walk's pid namespace
 * @user_ns: the user namespace to express the uid in
 * @t: gets its command and real uid
 *
 * Return: false when the process has exited since the scan.
 */
bool sockstat_owner_task(const struct sockstat_pair *p, struct pid_namespace *ns,
			 struct user_namespace *user_ns, struct sockstat_task *t)
{
	struct task_struct *task;
	bool alive = false;

	rcu_read_lock();
	task = pid_task(find_pid_ns(p->pid, ns), PIDTYPE_TGID);
	if (task) {
		get_task_comm(t->comm, task);
		t->uid = from_kuid_munged(user_ns, task_uid(task));
		alive = true;
	}
	rcu_read_unlock();
	return alive;
}
