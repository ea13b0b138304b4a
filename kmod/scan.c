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
#include <linux/net.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <net/sock.h>

#include "compat.h"
#include "sockstat.h"

/* Descriptors to look at between voluntary reschedules. */
#define SOCKSTAT_SCAN_BATCH	64

/**
 * sockstat_match() - whether a socket passes a filter
 * @f: the filter
 * @sock: the socket; the caller holds a reference on its file, which
 *	keeps sock->sk alive
 */
bool sockstat_match(const struct sockstat_filter *f, struct socket *sock)
{
	struct sock *sk = READ_ONCE(sock->sk);

	if (!sk || !net_eq(sock_net(sk), f->net))
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

static bool sockstat_scan_task(struct task_struct *task,
			       sockstat_visit_t visit, void *arg)
{
	unsigned int fd, n = 0;

	for (fd = 0;; fd++) {
		struct socket *sock;
		struct file *file;

		rcu_read_lock();
		file = sockstat_task_next_file(task, &fd);
		rcu_read_unlock();
		if (!file)
			return false;

		sock = sock_from_file(file);
		if (!sock)
			fput(file);
		else if (visit(arg, sock, file))
			return true;

		if (++n % SOCKSTAT_SCAN_BATCH == 0)
			cond_resched();
	}
}

/**
 * sockstat_scan() - call @visit for every socket descriptor
 * @f: its pid namespace says which tasks to visit; the other fields are
 *	for @visit to apply (sockstat_match())
 * @visit: called with a socket and a reference on its file, which it must
 *	keep or drop; returns true to end the scan
 * @arg: passed to @visit
 *
 * A socket is visited once per descriptor (and once more per thread
 * group that shares the descriptor table).  Sleeps.
 */
void sockstat_scan(const struct sockstat_filter *f, sockstat_visit_t visit,
		   void *arg)
{
	int nr;

	for (nr = 1;; nr++) {
		struct task_struct *leader = NULL, *task;
		struct pid *pid;
		bool stop;

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
		stop = sockstat_scan_task(task, visit, arg);
		put_task_struct(task);
		if (stop)
			return;
		cond_resched();
	}
}

struct sockstat_lookup_arg {
	const struct sockstat_filter *f;
	struct file *file;
};

static bool sockstat_lookup_visit(void *arg, struct socket *sock,
				  struct file *file)
{
	struct sockstat_lookup_arg *a = arg;

	if (!sockstat_match(a->f, sock)) {
		fput(file);
		return false;
	}
	a->file = file;
	return true;
}

/**
 * sockstat_lookup() - find one socket
 * @f: the filter, usually with an inode number
 *
 * Return: a reference on the file of the first socket that passes @f, or
 * NULL.  The cost is that of a scan: there is no index of sockets.
 */
struct file *sockstat_lookup(const struct sockstat_filter *f)
{
	struct sockstat_lookup_arg a = { .f = f };

	sockstat_scan(f, sockstat_lookup_visit, &a);
	return a.file;
}
