// SPDX-License-Identifier: GPL-2.0
/*
 * Keeping a socket open while we read it, without its file.
 *
 * A reference on a socket's file changes what the owner sees: when its
 * close() drops the last descriptor while we hold one, the file is not
 * released then but at our last fput(), which the kernel runs when our
 * task returns to user space, i.e. at the end of the reader's recvmsg()
 * or read().  Until then the socket lives on: a listener goes on
 * accepting connections and keeps its port, a connection's FIN waits.
 * So nothing here takes a file reference, except in the one case at the
 * end.
 *
 * What identifies a socket is a reference on its inode, which the scan
 * takes (igrab(), scan.c): it keeps the memory of the struct socket, which
 * lives in the inode (struct socket_alloc), and nothing else; the socket
 * is released as usual, and sock->sk becomes NULL.
 *
 * What keeps it open for the moment of a read is the inode's lock, taken
 * shared.  The release of a socket's file, sock_close() ->
 * __sock_release(), runs the protocol's release and clears sock->sk with
 * the same lock held exclusively (inode_lock(), since "socket: close race
 * condition between sock_close() and sockfs_setattr()", v4.18, and so on
 * every kernel we build for).  So while we hold it shared, and found
 * sock->sk set, the protocol's release has not run and cannot start:
 * sock->sk, the struct sock behind it and the socket's file stay as they
 * are (__fput() frees the file only after the release).  An owner that
 * closes meanwhile waits in close() for as long as we read one socket,
 * and its close() returns with the socket released, as it would without
 * us.
 *
 * We only ever try the lock (inode_trylock_shared()), never wait for it.
 * Its other holder is sockfs_setattr() (fchown() or fchmod() on a
 * socket), or the release itself; and the release of a netlink socket
 * takes generic netlink's locks (genl_unbind()), which a dump holds while
 * it reads sockets: to wait here could deadlock.  When the lock is taken,
 * a socket whose file has no reference left is being released: it is
 * closed, and reported as such.  Otherwise someone changes its attributes:
 * we try again a few times, briefly, and if the lock is still taken read
 * the socket the old way, with a reference on its file for that moment
 * (sockstat_sock_open()).
 */
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/net.h>
#include <linux/rcupdate.h>
#include <net/sock.h>

#include "compat.h"
#include "sockstat.h"

/* Tries of a taken lock before a file reference: 16 * 50 to 100 us. */
#define SOCKSTAT_OPEN_TRIES	16

/* Whether the socket's file still has a reference (or is being released). */
static bool sockstat_sock_file_open(struct socket *sock)
{
	struct file *file;
	bool open;

	/*
	 * Files are freed after an RCU grace period, or on kernels where
	 * they are SLAB_TYPESAFE_BY_RCU reused as files only: the count
	 * may be another file's then, which at worst costs another try.
	 */
	rcu_read_lock();
	file = READ_ONCE(sock->file);
	open = file && file_count(file);
	rcu_read_unlock();
	return open;
}

/**
 * sockstat_sock_open() - keep a socket from being released while we read it
 * @sock: the socket, whose inode the caller holds a reference on
 * @ref: set when the file was referenced rather than the inode locked
 *
 * Return: the socket's file, to read and to give to sockstat_sock_close(),
 * or NULL when the socket was closed (its file released or being
 * released).  With a file returned, sock->sk is set and stays so until
 * sockstat_sock_close().  Sleeps (briefly, and only while someone else
 * holds the inode's lock).
 */
struct file *sockstat_sock_open(struct socket *sock, bool *ref)
{
	struct inode *inode = SOCK_INODE(sock);
	struct file *file;
	unsigned int tries;

	*ref = false;
	for (tries = 0; tries < SOCKSTAT_OPEN_TRIES; tries++) {
		if (inode_trylock_shared(inode)) {
			file = READ_ONCE(sock->file);
			if (READ_ONCE(sock->sk) && file && file_count(file))
				return file;
			inode_unlock_shared(inode);
			return NULL;
		}
		if (!sockstat_sock_file_open(sock))
			return NULL;
		usleep_range(50, 100);
	}
	/* Not a release (the file had references): a setattr, or a slow one. */
	file = sockstat_sock_file_get(sock);
	*ref = file;
	return file;
}

/* Let go of what sockstat_sock_open() returned. */
void sockstat_sock_close(struct socket *sock, struct file *file, bool ref)
{
	if (ref)
		fput(file);
	else
		inode_unlock_shared(SOCK_INODE(sock));
}

/**
 * sockstat_sock_may_match() - whether a socket may pass a filter, for a scan
 * @f: the filter
 * @sock: the socket, whose inode the caller holds a reference on
 *
 * Return: false when the socket is known not to pass (or is closed); true
 * when it passes, or when it cannot be read now without waiting: the walk
 * matches it again when it reads it (sockstat_walk_next()).
 */
bool sockstat_sock_may_match(const struct sockstat_filter *f, struct socket *sock)
{
	struct inode *inode = SOCK_INODE(sock);
	bool match;

	if (!inode_trylock_shared(inode))
		return true;
	match = sockstat_match(f, sock);
	inode_unlock_shared(inode);
	return match;
}
