/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces of the sockstat module.
 */
#ifndef _SOCKSTAT_H
#define _SOCKSTAT_H

#include <linux/fs.h>
#include <linux/in6.h>
#include <linux/net.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/skbuff.h>
#include <linux/types.h>
#include <linux/un.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#include <uapi/linux/sockstat.h>

/**
 * struct sockstat_filter - which sockets a walk or a lookup reports
 * @net: only sockets whose struct sock is in this network namespace
 * @pid_ns: only sockets held by tasks visible in this pid namespace (the
 *	requester's; referenced)
 * @user_ns: the user namespace to express uids in (the requester's)
 * @cred: the requester's credentials, which decide whose descriptors it
 *	may see (referenced; see sockstat_filter_init())
 * @self: the requester's thread group (referenced)
 * @ptrace_cap: @cred had CAP_SYS_PTRACE in its user namespace when taken
 * @net_admin: the requester may see CAP_NET_ADMIN's attributes (the mark)
 * @ino: when non-zero, only the socket with this sockfs inode number
 * @family: when non-zero, only sockets of this address family
 * @type: when non-zero, only sockets of this type
 * @pid: when non-zero, only sockets a descriptor of this thread group
 *	(numbered in @pid_ns) holds
 * @netns_inum: when @net is NULL and this is non-zero, only sockets of
 *	the network namespace with this inode number (NULL and 0: all)
 * @ss_states: only sockets whose socket->state is a bit of this
 * @sk_states: with @sk_states_set, only sockets whose sk->sk_state is a
 *	bit of this (a state above 31 is no bit of it)
 * @sk_states_set: @sk_states applies; without it every sk_state passes
 * @nofd_kinds: also the sockets no descriptor reaches, of these kinds
 *	(bit N: enum sockstat_nofd N); dumps and SUMMARY only
 * @details: not a selector: the groups of attributes to report (bit N:
 *	enum sockstat_detail N)
 */
struct sockstat_filter {
	struct net *net;
	struct pid_namespace *pid_ns;
	struct user_namespace *user_ns;
	const struct cred *cred;
	struct pid *self;
	bool ptrace_cap;
	bool net_admin;
	u64 ino;
	u16 family;
	u16 type;
	pid_t pid;
	u32 netns_inum;
	u32 ss_states;
	u32 sk_states;
	bool sk_states_set;
	u32 nofd_kinds;
	u32 details;
};

/*
 * Whether @state passes @f's sk_state selector.  sk_state is a u8 whose
 * numbers each family chooses (TCP's 1..13, netlink's 0 and 1, SMC's up
 * to 27, ...): with no selector every state passes; a selector is a
 * 32-bit mask, and a state it has no bit for never matches it.
 */
static inline bool sockstat_sk_state_match(const struct sockstat_filter *f,
					   u8 state)
{
	return !f->sk_states_set || (state < 32 && (f->sk_states & BIT(state)));
}

/* Bits of SS_FREE .. SS_DISCONNECTING. */
#define SOCKSTAT_SS_STATES_ALL	GENMASK(SS_DISCONNECTING, SS_FREE)
#define SOCKSTAT_DETAILS_ALL	GENMASK(SOCKSTAT_DETAIL_TCP, SOCKSTAT_DETAIL_FILE)

/*
 * The order in which a walk reports sockets: by sockfs inode number, then
 * by the address of the struct socket, which only breaks ties.  sockfs
 * numbers its inodes with get_next_ino(), 32 bits that repeat after 2^32
 * sockets; the key keeps those 32 bits (any more would only change the
 * order, never the sockets found) so that a pair takes 20 bytes.
 */
struct sockstat_key {
	struct socket *sock;
	u32 ino;
} __packed __aligned(4);

/**
 * struct sockstat_pair - a descriptor holding a socket, in a walk's window
 * @key: the socket; the pair holds a reference on its inode
 * @fd: the descriptor, with SOCKSTAT_FD_CLOEXEC if close-on-exec
 * @owner: the thread whose descriptor table holds it: an index into the
 *	walk's owner table (struct sockstat_owner, sockstat_pair_owner());
 *	0 when the requester may not see it
 *
 * 20 bytes a descriptor, the memory a dump takes per socket
 * (Documentation/performance.rst).
 */
struct sockstat_pair {
	struct sockstat_key key;
	u32 fd;
	u32 owner;
} __packed __aligned(4);

/**
 * struct sockstat_owner - a thread whose descriptor table a scan found
 *	sockets in, once per scan (not per descriptor)
 * @pid: a reference on the thread's struct pid, which identifies the
 *	process without keeping it, or its pid number, alive; NULL in entry
 *	0, which stands for every owner the requester may not see
 * @nr: its thread group, numbered in the walk's pid namespace; 0 in entry 0
 */
struct sockstat_owner {
	struct pid *pid;
	pid_t nr;
};

#define SOCKSTAT_FD_CLOEXEC	BIT(31)

/**
 * struct sockstat_walk - a walk over every socket a descriptor holds
 * @filter: the sockets to report
 * @win: the window: (socket, descriptor) pairs, sorted, after a scan
 * @cap: the pairs @win has room for
 * @max_cap: the most pairs @win may grow to (sockstat_walk_init())
 * @grown_pages: pages of @win counted in the walks' common budget
 * @heap: @win is a max-heap (it filled up during the scan)
 * @tab: the owner table of the current scan; entry 0 is the hidden owner
 * @nr_tab: entries in @tab
 * @tab_cap: entries @tab has room for
 * @above: descriptors above @cursor that the current scan passed
 * @visited: of those, how many were visited (not let go by at once)
 * @kept: of those, how many the filter kept
 * @scan_err: an error of the current scan's visits (-ENOMEM), or 0
 * @scans: scans done, the walk's stats (sockstat_walk_exit())
 * @looked: socket descriptors they looked at
 * @scan_ns: the time they took
 * @group: the window is of the PID selector's process's tables only
 * @widen: the next window is of every table (sockstat_walk_widen())
 * @peak_win: the most bytes @win took
 * @peak_tab: the most bytes @tab took
 * @n: pairs in @win
 * @idx: the first pair of the next socket to return
 * @cursor: every socket up to this key has been dealt with
 * @ceiling: the scan had to leave out sockets from this key on
 * @has_ceiling: @ceiling is set
 * @single: the window is one socket with more descriptors than @cap
 * @last: @win holds every remaining socket, no further scan is needed
 * @again: the next step returns @cur again (the caller could not use it)
 * @cur: the socket returned last, its inode referenced
 * @file: the file of @cur while the caller uses it, kept open by
 *	sockstat_sock_open() (the inode's lock, seldom a reference)
 * @file_ref: @file is referenced (counted in its count)
 * @owners: the descriptors that hold @cur, sorted by pid and descriptor
 *	(owner 0 first: descriptors of processes the reader may not see)
 * @nr_owners: how many
 * @owners_missing: descriptors holding @cur that did not fit in @owners
 * @stale: times a socket's owners were found out of date when returned
 * @cur_stale: the current socket's owners were found out of date
 * @err: why the walk ended early (-EINTR: a fatal signal, -ENOMEM), or 0
 * @fills: windows scanned for so far
 * @fill_limit: no scan once @fills reaches this (0: no limit); see
 *	sockstat_walk_one_window()
 *
 * See walk.c.  A walk never holds a socket open between steps: it keeps
 * references on inodes only, and keeps the socket from being released
 * only while the caller reads it (sockref.c).
 */
struct sockstat_walk {
	struct sockstat_filter filter;
	struct sockstat_pair *win;
	unsigned int cap;
	unsigned int max_cap;
	unsigned long grown_pages;
	bool heap;
	struct sockstat_owner *tab;
	unsigned int nr_tab;
	unsigned int tab_cap;
	unsigned long above;
	unsigned long visited;
	unsigned long kept;
	int scan_err;
	unsigned int scans;
	unsigned long looked;
	u64 scan_ns;
	bool group;
	bool widen;
	size_t peak_win;
	size_t peak_tab;
	unsigned int n;
	unsigned int idx;
	struct sockstat_key cursor;
	struct sockstat_key ceiling;
	bool has_ceiling;
	bool single;
	bool last;
	bool again;
	struct socket *cur;
	struct file *file;
	bool file_ref;
	const struct sockstat_pair *owners;
	unsigned int nr_owners;
	unsigned int owners_missing;
	unsigned int stale;
	bool cur_stale;
	int err;
	unsigned int fills;
	unsigned int fill_limit;
};

/**
 * struct sockstat_slot - a descriptor that holds a socket, as a scan sees it
 * @sock: the socket
 * @inode: its inode; the visitor owns this reference (never one on the
 *	file: sockref.c), and keeps it or drops it
 * @owner: the thread whose table this is, or NULL when @pid is 0; the
 *	scan holds the reference for the visit
 * @pid: the thread group holding it, in the scan's pid namespace; 0 when
 *	the requester may not see which descriptors that process has
 * @fd: the descriptor
 * @cloexec: the descriptor is close-on-exec
 */
struct sockstat_slot {
	struct socket *sock;
	struct inode *inode;
	struct pid *owner;
	pid_t pid;
	unsigned int fd;
	bool cloexec;
};

/* The command and uid of a process that holds a socket, and the thread. */
struct sockstat_task {
	char comm[TASK_COMM_LEN];
	u32 uid;
	u32 tid;
};

/* scan.c: visiting every (thread group, descriptor) that holds a socket */
typedef bool (*sockstat_pass_t)(void *arg, const struct sockstat_key *k);
typedef void (*sockstat_visit_t)(void *arg, struct sockstat_slot *slot);
void sockstat_filter_init(struct sockstat_filter *f, struct net *net,
			  const struct cred *cred, struct user_namespace *user_ns);
void sockstat_filter_release(struct sockstat_filter *f);
bool sockstat_match(const struct sockstat_filter *f, struct socket *sock);
int sockstat_scan(const struct sockstat_filter *f, sockstat_pass_t pass,
		  sockstat_visit_t visit, void *arg);
int sockstat_scan_group(const struct sockstat_filter *f, sockstat_pass_t pass,
			sockstat_visit_t visit, void *arg);
/* walk.c: what a dump's scans call, called directly (INDIRECT_CALL_1) */
bool sockstat_window_pass(void *arg, const struct sockstat_key *k);
void sockstat_window_visit(void *arg, struct sockstat_slot *slot);
bool sockstat_may_see_task(const struct sockstat_filter *f, struct pid *tgid,
			   const struct cred *tcred, bool dumpable,
			   const struct user_namespace *mm_ns);
bool sockstat_owner_task(const struct sockstat_owner *o, struct pid_namespace *ns,
			 struct user_namespace *user_ns, struct sockstat_task *t);

/* sockref.c: keeping a socket open while it is read, without its file */
struct file *sockstat_sock_open(struct socket *sock, bool *ref);
void sockstat_sock_close(struct socket *sock, struct file *file, bool ref);
bool sockstat_sock_may_match(const struct sockstat_filter *f,
			     struct socket *sock);

/* walk.c */
#define SOCKSTAT_WINDOW_DUMP	16384	/* pairs: 16384 * 20 bytes = 320 KiB */
#define SOCKSTAT_WINDOW_LOOKUP	512
#define SOCKSTAT_WINDOW_MAX	BIT(24)	/* pairs: 320 MiB */

/* The owner of a pair in the window. */
static inline const struct sockstat_owner *
sockstat_pair_owner(const struct sockstat_walk *w, const struct sockstat_pair *p)
{
	return &w->tab[p->owner];
}

int sockstat_walk_init(struct sockstat_walk *w, const struct sockstat_filter *f,
		       unsigned int cap, unsigned int max_cap);
struct socket *sockstat_walk_next(struct sockstat_walk *w);
void sockstat_walk_put(struct sockstat_walk *w);
void sockstat_walk_again(struct sockstat_walk *w);
void sockstat_walk_rewind(struct sockstat_walk *w);
void sockstat_walk_exit(struct sockstat_walk *w);
void sockstat_walk_one_window(struct sockstat_walk *w);
bool sockstat_walk_done(const struct sockstat_walk *w);
void sockstat_walk_debugfs_init(void);
void sockstat_walk_debugfs_exit(void);

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
 * @rq_pkts: packets on sk->sk_receive_queue (and UDP's reader_queue)
 * @rq_bytes: their bytes; TCP: the unread sequence space
 * @wq_pkts: packets on sk->sk_write_queue
 * @wq_bytes: their bytes, from the protocol's counters (read.c)
 * @rq_known: @rq_bytes is known (read.c: which queues may be walked)
 * @wq_known: @wq_bytes is known
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
	u32 rq_pkts;
	u32 rq_bytes;
	u32 wq_pkts;
	u32 wq_bytes;
	bool rq_known;
	bool wq_known;
};

/* Whether @sk, a full socket, is a TCP one (struct tcp_sock). */
static inline bool sockstat_sk_is_tcp(const struct sock *sk)
{
	u16 family = READ_ONCE(sk->sk_family);

	return (family == AF_INET || family == AF_INET6) &&
	       sk->sk_type == SOCK_STREAM && sk->sk_protocol == IPPROTO_TCP;
}

/* read.c */
void sockstat_read_sk(struct sock *sk, struct sockstat_core *c);
void sockstat_read_core(struct socket *sock, struct sockstat_core *c);

/**
 * struct sockstat_ends - a socket's own address and its peer's, as its
 *	address family keeps them
 * @family: which member of the union is set: AF_INET, AF_INET6, AF_UNIX,
 *	AF_NETLINK or AF_PACKET; 0 when the family keeps none we read
 * @inet: local and peer address (IPv4 in @inet.local4, @inet.peer4) and
 *	port (host order), and IPV6_V6ONLY
 * @un: the name bind() gave (@un.name_len bytes, 0: none; an abstract name
 *	starts with a NUL byte) and the inode of the connected peer (0: none)
 * @nl: own port id and groups, and those of the default destination
 * @pkt: the bound interface (0: all) and protocol (host order); @pkt.valid
 *	is false for SOCK_PACKET sockets, which name a device instead
 */
struct sockstat_ends {
	u16 family;
	union {
		struct {
			__be32 local4, peer4;
			struct in6_addr local6, peer6;
			u16 lport, pport;
			bool v6only;
		} inet;
		struct {
			char name[UNIX_PATH_MAX];
			int name_len;
			u64 peer_ino;
		} un;
		struct {
			u32 portid, groups, dst_portid, dst_group;
		} nl;
		struct {
			int ifindex;
			u16 protocol;
		} pkt;
	};
};

/* family.c */
void sockstat_read_ends(struct socket *sock, struct sock *sk,
			struct sockstat_ends *e);

/* attrs.c, family.c: a socket as netlink attributes */
int sockstat_put_sock(struct sk_buff *skb, const struct sockstat_walk *w,
		      bool alone);
int sockstat_put_socket(struct sk_buff *skb, struct socket *sock,
			struct file *file, unsigned int held,
			const struct sockstat_filter *f);
int sockstat_put_sk(struct sk_buff *skb, struct sock *sk,
		    const struct sockstat_filter *f);
int sockstat_put_cookie(struct sk_buff *skb, struct sock *sk);
int sockstat_put_family(struct sk_buff *skb, struct socket *sock,
			struct sock *sk, u32 details);

/**
 * struct sockstat_nofd_sock - a socket no descriptor reaches, held for a moment
 * @kind: enum sockstat_nofd
 * @sk: a reference on the struct sock (any kind of it in the TCP table:
 *	full, request or TIME_WAIT); NULL for a socket in flight
 * @file: a socket in flight: a reference on its file
 * @holder_ino: the inode of the socket whose queue holds it (0: none, or
 *	for a request, found from its listener when reported)
 * @idx: its place in the queue or hash chain it was found in
 */
struct sockstat_nofd_sock {
	u8 kind;
	struct sock *sk;
	struct file *file;
	u64 holder_ino;
	u32 idx;
};

/* Called with each socket found; non-zero stops the visit. */
typedef int (*sockstat_nofd_emit_t)(void *arg, const struct sockstat_nofd_sock *e);

#define SOCKSTAT_NOFD_KINDS_ALL	GENMASK(SOCKSTAT_NOFD_TIME_WAIT, SOCKSTAT_NOFD_ACCEPT)
/* The kinds found in the queues of sockets the walk finds. */
#define SOCKSTAT_NOFD_QUEUED	(BIT(SOCKSTAT_NOFD_ACCEPT) | BIT(SOCKSTAT_NOFD_IN_FLIGHT))
/* The kinds found in the TCP connection table. */
#define SOCKSTAT_NOFD_TABLE	(BIT(SOCKSTAT_NOFD_SYN_RECV) | BIT(SOCKSTAT_NOFD_ORPHAN) | \
				 BIT(SOCKSTAT_NOFD_TIME_WAIT))
/* How many sockets a visit holds at once, found under a queue's lock. */
#define SOCKSTAT_NOFD_BATCH	16

/**
 * struct sockstat_table_pos - where a visit of the TCP table stands
 * @bucket: the hash bucket
 * @num: the entries of @bucket dealt with
 */
struct sockstat_table_pos {
	u32 bucket;
	u32 num;
};

/* nofd.c */
void sockstat_filter_for_walk(const struct sockstat_filter *f,
			      struct sockstat_filter *walk);
bool sockstat_nofd_match(const struct sockstat_filter *f,
			 const struct sockstat_nofd_sock *e);
void sockstat_nofd_release(struct sockstat_nofd_sock *e);
u8 sockstat_nofd_state(const struct sockstat_nofd_sock *e);
int sockstat_put_nofd(struct sk_buff *skb, const struct sockstat_nofd_sock *e,
		      const struct sockstat_filter *f);

/* queues.c */
u32 sockstat_nofd_queued_kinds(const struct sockstat_filter *f);
int sockstat_nofd_queued(struct sock *sk, u64 ino, const struct sockstat_filter *f,
			 u32 *pos, sockstat_nofd_emit_t emit, void *arg);

/* walk.c: the queue of the socket a walk is at */
int sockstat_walk_queued(struct sockstat_walk *w, u64 ino,
			 const struct sockstat_filter *f, u32 *pos,
			 sockstat_nofd_emit_t emit, void *arg);

/* tcptable.c */
int sockstat_nofd_table(const struct sockstat_filter *f,
			struct sockstat_table_pos *pos,
			sockstat_nofd_emit_t emit, void *arg);

/* family.c */
int sockstat_put_common_ends(struct sk_buff *skb, struct sock *sk);

/* netlink.c, summary.c */
extern struct genl_family sockstat_nl_family;
int sockstat_nl_filter(struct sockstat_filter *f, const struct sk_buff *skb,
		       struct nlattr **attrs, struct netlink_ext_ack *extack);
int sockstat_nl_summary_doit(struct sk_buff *skb, struct genl_info *info);
int sockstat_nl_summary_start(struct netlink_callback *cb);
int sockstat_nl_summary_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int sockstat_nl_summary_done(struct netlink_callback *cb);

/* netlink.c, proc.c */
int sockstat_netlink_init(void);
void sockstat_netlink_exit(void);
int sockstat_proc_init(void);
void sockstat_proc_exit(void);

#endif /* _SOCKSTAT_H */
