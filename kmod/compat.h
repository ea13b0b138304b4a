/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels sockstat builds for (Debian's 6.1 and
 * 6.12).  Each SOCKSTAT_HAVE_* comes from kmod/probe.sh, which looks for
 * the interface in the target kernel's headers; nothing here tests a
 * version number.
 */
#ifndef _SOCKSTAT_COMPAT_H
#define _SOCKSTAT_COMPAT_H

#include <linux/fdtable.h>
#include <linux/fs.h>
#include <linux/net.h>
#include <linux/rcupdate.h>
#include <net/genetlink.h>

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
#ifdef SOCKSTAT_HAVE_GET_FILE_ACTIVE
	return get_file_active(&sock->file);
#else
	struct file *file;

	rcu_read_lock();
	file = READ_ONCE(sock->file);
	if (file && !get_file_rcu(file))
		file = NULL;
	rcu_read_unlock();
	return file;
#endif
}

/*
 * The next open file of @task at or after *@fd, with a reference, or NULL
 * when there is none; *@fd is set to its descriptor.  Call under RCU.
 * Kernels with task_lookup_next_fdget_rcu() take the reference in the
 * helper (their files are SLAB_TYPESAFE_BY_RCU and may only be looked at
 * with one); older ones return a bare pointer that RCU keeps valid, and a
 * file whose count already reached zero is being closed and counts as not
 * there.
 */
static inline struct file *sockstat_task_next_file(struct task_struct *task,
						   unsigned int *fd)
{
#ifdef SOCKSTAT_HAVE_NEXT_FDGET_RCU
	return task_lookup_next_fdget_rcu(task, fd);
#else
	struct file *file;

	for (;; (*fd)++) {
		file = task_lookup_next_fd_rcu(task, fd);
		if (!file || get_file_rcu(file))
			return file;
	}
#endif
}

/* The attributes of a dump request, parsed by the genetlink core. */
static inline struct nlattr **sockstat_dump_attrs(struct netlink_callback *cb)
{
#ifdef SOCKSTAT_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

#endif /* _SOCKSTAT_COMPAT_H */
