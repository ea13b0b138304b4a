/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SOCKSTAT_CLIENT_H
#define SOCKSTAT_CLIENT_H

#include <stdint.h>
#include <string.h>
#include <netlink/attr.h>
#include <linux/sockstat.h>

/* A connection to the sockstat family. */
struct client {
	struct nl_sock *sk;
	int family_id;
	int error;		/* errno of the last kernel error */
	char extack[512];	/* and the kernel's message for it */
};

/* Every kind of socket no descriptor reaches (enum sockstat_nofd). */
#define SOCKSTAT_NOFD_ALL	((1u << (SOCKSTAT_NOFD_TIME_WAIT + 1)) - 2)

/* Selectors of a GET or SUMMARY request; zero means "any". */
struct get_req {
	uint64_t inode;
	uint16_t family;
	uint16_t type;
	uint32_t ss_states;	/* bit N: SS_* state N */
	uint32_t sk_states;	/* bit N: TCP state N */
	uint32_t pid;
	int has_netns;		/* send netns (0: every namespace) */
	uint32_t netns;
	uint32_t nofd_kinds;	/* also sockets no descriptor reaches (bit N: kind N) */
	int brief;		/* GET: only what a table row shows (DETAILS 0) */
	uint32_t details;	/* GET: these groups only (bit N: enum sockstat_detail N) */
};

/*
 * A socket of a reply: its attributes indexed by SOCKSTAT_A_SOCK_* (the
 * last of each), and all of them in order (for the repeated OWNER).
 */
struct sock_msg {
	struct nlattr **tb;
	struct nlattr *head;
	int len;
};

/*
 * nla_for_each_attr(), inline: libnl's nla_ok() and nla_next() are calls,
 * and this runs for every attribute of every socket of a dump.
 */
#define sock_msg_for_each_attr(a, head, len, rem)				\
	for ((a) = (head), (rem) = (len);					\
	     (rem) >= (int)sizeof(*(a)) && (a)->nla_len >= sizeof(*(a)) &&	\
	     (a)->nla_len <= (rem);						\
	     (rem) -= NLA_ALIGN((a)->nla_len),					\
	     (a) = (struct nlattr *)((char *)(a) + NLA_ALIGN((a)->nla_len)))

/*
 * An attribute's payload, inline for the same reason (libnl's nla_data()
 * and nla_get_*() are calls too).  As libnl's, the readers take the
 * attribute to be long enough: parse_reply() checks the lengths a row
 * reads as numbers.
 */
static inline void *attr_data(const struct nlattr *a)
{
	return (char *)a + NLA_HDRLEN;
}

static inline int attr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static inline uint8_t attr_u8(const struct nlattr *a)
{
	return *(const uint8_t *)attr_data(a);
}

static inline uint16_t attr_u16(const struct nlattr *a)
{
	uint16_t v;

	memcpy(&v, attr_data(a), sizeof(v));
	return v;
}

static inline uint32_t attr_u32(const struct nlattr *a)
{
	uint32_t v;

	memcpy(&v, attr_data(a), sizeof(v));
	return v;
}

static inline uint64_t attr_u64(const struct nlattr *a)
{
	uint64_t v;

	memcpy(&v, attr_data(a), sizeof(v));
	return v;
}

/* A string attribute into @dst of @size bytes, cut to fit and terminated. */
static inline void attr_strcpy(char *dst, const struct nlattr *a, size_t size)
{
	size_t n = strnlen(attr_data(a), attr_len(a));

	if (n > size - 1)
		n = size - 1;
	memcpy(dst, attr_data(a), n);
	dst[n] = 0;
}

/* nla_parse_nested() without a policy, inline: the last of each type. */
static inline void attr_parse_nest(struct nlattr **tb, int max, struct nlattr *nest)
{
	struct nlattr *a;
	int rem;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	sock_msg_for_each_attr(a, (struct nlattr *)attr_data(nest), attr_len(nest), rem) {
		int t = a->nla_type & NLA_TYPE_MASK;

		if (t <= max)
			tb[t] = a;
	}
}

typedef void (*sock_cb)(const struct sock_msg *m, void *arg);

/* 0; -ENOENT: the module is not loaded; other -errno. */
int client_open(struct client *c);
void client_close(struct client *c);

/*
 * A dump (@dump) or a do; 0 or -errno (c->extack may say why).  -EINTR:
 * the kernel flagged the dump as interrupted (NLM_F_DUMP_INTR, which
 * sockstat never sets: a socket whose owners may be out of date carries
 * SOCKSTAT_A_SOCK_OWNERS_STALE instead); every row was still delivered.
 */
int client_get(struct client *c, const struct get_req *req, int dump,
	       sock_cb cb, void *arg);

/*
 * One (family, SS_* state, sk_state) count of a SUMMARY reply; @nofd: the
 * count is of sockets no descriptor reaches, of this kind, and those
 * without a struct socket have no SS_* state (@has_ss 0).
 */
struct summary_entry {
	unsigned int family, ss_state, sk_state, count, nofd;
	int has_ss;
};

typedef void (*summary_cb)(const struct summary_entry *e, void *arg);

/* SUMMARY: @cb per entry; *total gets the total.  0 or -errno. */
int client_summary(struct client *c, const struct get_req *req,
		   summary_cb cb, void *arg, unsigned int *total);

/*
 * An event (SOCKSTAT_CMD_EVENT) as monitor reads it; has_* say which
 * attributes came.
 */
struct event {
	unsigned int kind, family, type, protocol, old, new, how, netns;
	int has_old, has_new, has_how, kern, has_task;
	uint64_t seq, time_ns, inode, cookie, listener, dropped, missed;
	unsigned int pid, tid, uid;
	char comm[64];
};

/*
 * SUBSCRIBE this connection to the events of its network namespace (or
 * of @netns, 0: all, with @has_netns); *seq gets the number of the last
 * event before it, *followed (unless NULL) the namespace that number is
 * of (0 following all, whose numbers are not one sequence; an older
 * module: always the caller's).  0 or -errno (c->extack may say why).
 */
int client_subscribe(struct client *c, int has_netns, uint32_t netns, uint64_t *seq,
		     uint32_t *followed);

typedef int (*event_cb)(const struct event *e, void *arg);

/*
 * Read events and call @cb for each until it returns non-zero (which is
 * returned), @timeout_ms pass (-1: never; 0 is returned) or a read fails:
 * -ENOBUFS when the kernel dropped messages for this socket (its receive
 * buffer was full), -EINTR on a signal.
 */
int client_events(struct client *c, event_cb cb, void *arg, int timeout_ms);

#endif
