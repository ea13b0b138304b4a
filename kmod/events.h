/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Live events (SOCKSTAT_CMD_EVENT): the record a probe leaves in the ring
 * (evring.c), the probes (evprobes.c), and the subscribers (events.c).
 */
#ifndef _SOCKSTAT_EVENTS_H
#define _SOCKSTAT_EVENTS_H

#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <linux/user_namespace.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>

/**
 * struct sockstat_event - one event, as a probe saw it
 * @seq: its number in @net (assigned when the ring takes it)
 * @time_ns: CLOCK_REALTIME when it happened
 * @ino: the socket's inode number, 0 when the struct sock had no socket
 * @cookie: the struct sock's cookie
 * @listener_ino: the listener of an accept()ed socket, or 0
 * @net: the socket's network namespace (a reference)
 * @tgid: the thread group of the task that caused it (a reference), or
 *	NULL when no task did (softirq, a kernel thread)
 * @tid: that task (a reference), or NULL
 * @cred: its credentials then (a reference), or NULL
 * @mm_ns: the user namespace of its mm then (a reference), or NULL
 * @netns_inum: @net's inode number
 * @family: the address family
 * @type: socket->type, 0 when @ino is 0
 * @protocol: sk->sk_protocol
 * @kind: enum sockstat_event_kind
 * @old: the state before
 * @new: the state after
 * @how: enum sockstat_created, or shutdown()'s argument
 * @kern: a kernel socket
 * @dumpable: the task's mm was dumpable (SUID_DUMP_USER) then
 * @comm: the task's command name then
 *
 * Everything a subscriber's view needs is taken when the event happens:
 * the task may be gone by the time it is sent.  The references are taken
 * by the ring (never for an event it drops) and put by the worker; they
 * identify the task, they do not keep it or its descriptors alive.
 */
struct sockstat_event {
	u64 seq;
	u64 time_ns;
	u64 ino;
	u64 cookie;
	u64 listener_ino;
	struct net *net;
	struct pid *tgid;
	struct pid *tid;
	const struct cred *cred;
	struct user_namespace *mm_ns;
	u32 netns_inum;
	u16 family;
	u16 type;
	u16 protocol;
	u8 kind;
	u8 old;
	u8 new;
	u8 how;
	bool kern;
	bool dumpable;
	char comm[TASK_COMM_LEN];
};

/* evring.c: any context, no sleeping, no allocation */
void sockstat_ev_from_sock(struct sockstat_event *ev, u8 kind, struct socket *sock,
			   const struct sock *sk);
void sockstat_ev_commit(struct sockstat_event *ev, bool task);
void sockstat_ev_missed(void);

/* evring.c: process context, under the arming mutex (events.c) */
int sockstat_evring_start(void);
void sockstat_evring_stop(void);
unsigned int sockstat_evring_take(struct sockstat_event *out, unsigned int max);
void sockstat_ev_put(struct sockstat_event *ev);
void sockstat_evring_counters(struct net *net, u64 *seq, u64 *dropped);
bool sockstat_evring_counters_of(u32 inum, u64 *seq, u64 *dropped);
u64 sockstat_evring_missed(void);
int sockstat_evring_init(void (*ready)(void));
void sockstat_evring_exit(void);

/* evprobes.c: process context, under the arming mutex */
int sockstat_evprobes_arm(void);
void sockstat_evprobes_disarm(void);
u64 sockstat_evprobes_nmissed(void);

/* events.c */
int sockstat_nl_subscribe_doit(struct sk_buff *skb, struct genl_info *info);
int sockstat_nl_unsubscribe_doit(struct sk_buff *skb, struct genl_info *info);
int sockstat_events_init(void);
void sockstat_events_exit(void);

#endif /* _SOCKSTAT_EVENTS_H */
