/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces of the sockstat module.
 */
#ifndef _SOCKSTAT_H
#define _SOCKSTAT_H

#include <linux/fs.h>
#include <linux/net.h>
#include <linux/pid_namespace.h>
#include <linux/types.h>
#include <net/net_namespace.h>

/**
 * struct sockstat_filter - which sockets a walk or a lookup reports
 * @net: only sockets whose struct sock is in this network namespace
 * @pid_ns: only sockets held by tasks visible in this pid namespace
 * @ino: when non-zero, only the socket with this sockfs inode number
 * @family: when non-zero, only sockets of this address family
 * @type: when non-zero, only sockets of this type
 */
struct sockstat_filter {
	struct net *net;
	struct pid_namespace *pid_ns;
	u64 ino;
	u16 family;
	u16 type;
};

/**
 * struct sockstat_ent - a socket in a walk's window, or the walk's cursor
 * @ino: the sockfs inode number of @sock
 * @sock: the socket; its address only breaks ties between equal inode
 *	numbers (they are 32-bit and wrap after 2^32 sockets)
 *
 * A walk reports sockets in the order of (@ino, @sock).
 */
struct sockstat_ent {
	unsigned long ino;
	struct socket *sock;
};

/**
 * struct sockstat_walk - a walk over every socket held by a file descriptor
 * @filter: the sockets to report
 * @ents: the window, at most SOCKSTAT_WINDOW sockets in key order
 * @n: entries in @ents
 * @idx: the next entry of @ents to return
 * @cursor: every socket up to this key has been dealt with
 * @last: @ents holds every remaining socket, no further scan is needed
 * @again: the next step returns @cur again (the caller could not use it)
 * @cur: the socket returned last, its inode referenced
 * @file: the file of @cur while the caller uses it (a reference)
 *
 * See walk.c.  A walk never holds a socket open between steps: it keeps
 * references on inodes only, and takes the file while the caller reads.
 */
struct sockstat_walk {
	struct sockstat_filter filter;
	struct sockstat_ent *ents;
	unsigned int n;
	unsigned int idx;
	struct sockstat_ent cursor;
	bool last;
	bool again;
	struct socket *cur;
	struct file *file;
};

/* scan.c: visiting every (task, fd, socket) */
typedef bool (*sockstat_visit_t)(void *arg, struct socket *sock,
				 struct file *file);
bool sockstat_match(const struct sockstat_filter *f, struct socket *sock);
void sockstat_scan(const struct sockstat_filter *f, sockstat_visit_t visit,
		   void *arg);
struct file *sockstat_lookup(const struct sockstat_filter *f);

/* walk.c */
int sockstat_walk_init(struct sockstat_walk *w,
		       const struct sockstat_filter *f);
struct socket *sockstat_walk_next(struct sockstat_walk *w);
void sockstat_walk_put(struct sockstat_walk *w);
void sockstat_walk_again(struct sockstat_walk *w);
void sockstat_walk_rewind(struct sockstat_walk *w);
void sockstat_walk_exit(struct sockstat_walk *w);

/**
 * struct sockstat_core - the fields every interface reports for a socket
 * @ino: sockfs inode number
 * @family: sk->sk_family
 * @type: socket->type
 * @protocol: sk->sk_protocol
 * @ss_state: socket->state
 * @skstate: sk->sk_state
 * @recv_q: unread bytes in the receive queue
 * @send_q: bytes not yet sent or not yet acknowledged
 */
struct sockstat_core {
	u64 ino;
	u16 family;
	u16 type;
	u16 protocol;
	u8 ss_state;
	u8 skstate;
	u32 recv_q;
	u32 send_q;
};

/* read.c */
void sockstat_read_core(struct socket *sock, struct sockstat_core *c);

/* netlink.c, proc.c */
int sockstat_netlink_init(void);
void sockstat_netlink_exit(void);
int sockstat_proc_init(void);
void sockstat_proc_exit(void);

#endif /* _SOCKSTAT_H */
