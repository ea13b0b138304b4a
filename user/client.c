// SPDX-License-Identifier: GPL-2.0
/*
 * Talking to the sockstat Generic Netlink family with libnl.
 */
#define _GNU_SOURCE		/* ppoll() */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "client.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/*
 * The length of each attribute a row reads as a number: a reply with a
 * shorter one is skipped, as genlmsg_parse() with a policy would.
 */
#define A(x) SOCKSTAT_A_SOCK_##x
static const unsigned char reply_min_len[SOCKSTAT_A_SOCK_MAX + 1] = {
	[A(INODE)] = 8, [A(FAMILY)] = 2, [A(TYPE)] = 2, [A(PROTOCOL)] = 2,
	[A(SS_STATE)] = 1, [A(SK_STATE)] = 1, [A(RECV_Q)] = 4, [A(SEND_Q)] = 4,
	[A(OWNERS_MISSING)] = 4, [A(NOFD)] = 1, [A(HOLDER_INODE)] = 8,
	[A(LOCAL_PORT)] = 2, [A(PEER_PORT)] = 2, [A(PEER_INODE)] = 8,
	[A(NETLINK_PORTID)] = 4, [A(NETLINK_GROUPS)] = 4,
	[A(NETLINK_DST_PORTID)] = 4, [A(NETLINK_DST_GROUP)] = 4,
	[A(PACKET_IFINDEX)] = 4, [A(PACKET_PROTOCOL)] = 2,
};
#undef A

/*
 * genlmsg_parse() of a reply, inline: it runs once per socket of a dump,
 * and libnl's validation calls a function per attribute and field.
 * @tb gets the last attribute of each type.  0, or -1 when malformed.
 */
static int parse_reply(struct nlattr **tb, struct nlattr *head, int len)
{
	struct nlattr *a;
	int rem;

	memset(tb, 0, (SOCKSTAT_A_SOCK_MAX + 1) * sizeof(*tb));
	sock_msg_for_each_attr(a, head, len, rem) {
		int t = a->nla_type & NLA_TYPE_MASK;

		if (t > SOCKSTAT_A_SOCK_MAX)
			continue;
		if (a->nla_len - NLA_HDRLEN < reply_min_len[t])
			return -1;
		tb[t] = a;
	}
	return 0;
}

int client_open(struct client *c)
{
	int one = 1, err;

	memset(c, 0, sizeof(*c));
	c->sk = nl_socket_alloc();
	if (!c->sk)
		return -ENOMEM;
	err = genl_connect(c->sk);
	if (err < 0)
		goto fail;
	nl_socket_disable_auto_ack(c->sk);
	nl_socket_enable_msg_peek(c->sk);
	/*
	 * Read 32 KiB at a time: the kernel sizes a dump's messages to the
	 * reader's buffer (up to that), and with libnl's default of a page
	 * it fills, and throws away, one socket in eight twice.
	 */
	nl_socket_set_msg_buf_size(c->sk, 32768);
	setsockopt(nl_socket_get_fd(c->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_socket_get_fd(c->sk), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));

	c->family_id = genl_ctrl_resolve(c->sk, SOCKSTAT_FAMILY_NAME);
	if (c->family_id >= 0)
		return 0;
	err = c->family_id;
fail:
	nl_socket_free(c->sk);
	c->sk = NULL;
	return err == -NLE_OBJ_NOTFOUND ? -ENOENT : -EIO;
}

void client_close(struct client *c)
{
	nl_socket_free(c->sk);
	c->sk = NULL;
}

/* SUMMARY's counts as the parts of its dump bring them, to be merged. */
struct counts {
	struct summary_entry *e;
	size_t n, cap;
};

struct get_ctx {
	struct client *c;
	sock_cb cb;
	void *arg;
	unsigned int *total;
	struct counts *counts;
};

/* A GET reply; one that is malformed is skipped. */
static void sock_reply(struct nlmsghdr *h, struct get_ctx *ctx)
{
	struct nlattr *tb[SOCKSTAT_A_SOCK_MAX + 1];
	struct genlmsghdr *g = nlmsg_data(h);
	struct sock_msg m = { tb, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0) };

	if (h->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN && !parse_reply(tb, m.head, m.len))
		ctx->cb(&m, ctx->arg);
}

/*
 * Keep the errno and the extended ACK message of an error reply, or of a
 * dump's NLMSG_DONE (which carries the error that ended the dump, if any);
 * @err is that errno, negative.
 */
static void reply_error(struct client *c, struct nlmsghdr *h, size_t off, int err)
{
	struct nlattr *msg;

	c->error = -err;
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS) || off >= h->nlmsg_len)
		return;
	msg = nla_find((struct nlattr *)((char *)h + NLMSG_ALIGN(off)),
		       h->nlmsg_len - NLMSG_ALIGN(off), NLMSGERR_ATTR_MSG);
	if (msg)
		nla_strlcpy(c->extack, msg, sizeof(c->extack));
}

/* An NLMSG_ERROR: the request is echoed unless the kernel capped it. */
static void error_reply(struct client *c, struct nlmsghdr *h)
{
	const struct nlmsgerr *e = nlmsg_data(h);
	size_t off = NLMSG_HDRLEN + sizeof(*e);

	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	reply_error(c, h, off, e->error);
}

/* libnl's form of it, for SUBSCRIBE (client_subscribe()). */
static int error_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct get_ctx *ctx = arg;

	(void)nla;
	error_reply(ctx->c, (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN));
	return NL_STOP;
}

/* A SUMMARY reply, or a part of its dump; one that is malformed is skipped. */
static void summary_reply(struct nlmsghdr *h, struct get_ctx *ctx)
{
	struct nlattr *tb[SOCKSTAT_A_SUMMARY_MAX + 1], *a;
	struct genlmsghdr *g = nlmsg_data(h);
	int rem;

	if (genlmsg_parse(h, 0, tb, SOCKSTAT_A_SUMMARY_MAX, NULL) < 0)
		return;
	/* Each part of the dump counts sockets of its own. */
	if (tb[SOCKSTAT_A_SUMMARY_TOTAL])
		*ctx->total += nla_get_u32(tb[SOCKSTAT_A_SUMMARY_TOTAL]);
	nla_for_each_attr(a, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0), rem) {
		struct nlattr *e[SOCKSTAT_A_SUMMARY_ENTRY_MAX + 1];
		struct summary_entry ent;

		if (nla_type(a) != SOCKSTAT_A_SUMMARY_ENTRY ||
		    nla_parse_nested(e, SOCKSTAT_A_SUMMARY_ENTRY_MAX, a, NULL) < 0 ||
		    !e[SOCKSTAT_A_SUMMARY_ENTRY_FAMILY] ||
		    !e[SOCKSTAT_A_SUMMARY_ENTRY_SK_STATE] || !e[SOCKSTAT_A_SUMMARY_ENTRY_COUNT])
			continue;
		ent.family = nla_get_u16(e[SOCKSTAT_A_SUMMARY_ENTRY_FAMILY]);
		ent.has_ss = !!e[SOCKSTAT_A_SUMMARY_ENTRY_SS_STATE];
		ent.ss_state = ent.has_ss ? nla_get_u8(e[SOCKSTAT_A_SUMMARY_ENTRY_SS_STATE]) : 0;
		ent.nofd = e[SOCKSTAT_A_SUMMARY_ENTRY_NOFD] ?
			   nla_get_u8(e[SOCKSTAT_A_SUMMARY_ENTRY_NOFD]) : 0;
		ent.sk_state = nla_get_u8(e[SOCKSTAT_A_SUMMARY_ENTRY_SK_STATE]);
		ent.count = nla_get_u32(e[SOCKSTAT_A_SUMMARY_ENTRY_COUNT]);
		if (ctx->counts->n == ctx->counts->cap) {
			size_t cap = ctx->counts->cap ? 2 * ctx->counts->cap : 64;
			struct summary_entry *p = realloc(ctx->counts->e, cap * sizeof(*p));

			if (!p) {
				ctx->c->error = ENOMEM;
				return;
			}
			ctx->counts->e = p;
			ctx->counts->cap = cap;
		}
		ctx->counts->e[ctx->counts->n++] = ent;
	}
}

/* The kernel's order: kind, family, SS_* state (none last), sk_state. */
static int entry_cmp(const void *a, const void *b)
{
	const struct summary_entry *x = a, *y = b;
	unsigned int xs = x->has_ss ? x->ss_state : ~0u, ys = y->has_ss ? y->ss_state : ~0u;

	if (x->nofd != y->nofd)
		return x->nofd < y->nofd ? -1 : 1;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if (xs != ys)
		return xs < ys ? -1 : 1;
	return x->sk_state < y->sk_state ? -1 : x->sk_state > y->sk_state;
}

/*
 * The replies to a request, read here rather than with nl_recvmsgs():
 * libnl copies every message into an nl_msg of its own (two allocations
 * and a copy) before its callback sees it, once per socket of a dump, and
 * it ignores the error a dump's NLMSG_DONE carries (a dump the kernel
 * could not finish would look complete).  nl_recv() reads: a dump's parts
 * are at most 32 KiB (the kernel sizes them to the reader's buffer, up to
 * that), read in one recvmsg() each; a do's reply (SUMMARY's grows with
 * the states in use) is peeked at first, to size the buffer.  Messages of
 * another sequence number (an earlier request's), or not from the kernel,
 * are skipped.
 */
static int receive(struct client *c, unsigned int seq, int dump,
		   void (*reply)(struct nlmsghdr *h, struct get_ctx *ctx),
		   struct get_ctx *ctx)
{
	int done = 0;

	if (dump)
		nl_socket_disable_msg_peek(c->sk);
	else
		nl_socket_enable_msg_peek(c->sk);
	while (!done) {
		struct sockaddr_nl nla;
		unsigned char *buf = NULL;
		struct nlmsghdr *h;
		int n = nl_recv(c->sk, &nla, &buf, NULL);

		if (n <= 0)
			return n == -NLE_NOMEM ? -ENOMEM : -EIO;
		for (h = (struct nlmsghdr *)buf; !done && nlmsg_ok(h, n); h = nlmsg_next(h, &n)) {
			if (h->nlmsg_seq != seq || nla.nl_pid)
				continue;
			if (h->nlmsg_flags & NLM_F_DUMP_INTR) {
				c->error = EINTR;
			} else if (h->nlmsg_type == NLMSG_ERROR) {
				if (h->nlmsg_len < (unsigned int)nlmsg_size(sizeof(struct nlmsgerr)))
					c->error = EBADMSG;
				else
					error_reply(c, h);
				done = 1;
			} else if (h->nlmsg_type == NLMSG_DONE) {
				int err = 0;

				if (h->nlmsg_len >= (unsigned int)nlmsg_size(sizeof(err)))
					memcpy(&err, nlmsg_data(h), sizeof(err));
				if (err < 0)
					reply_error(c, h, NLMSG_HDRLEN + sizeof(err), err);
				done = 1;
			} else if (h->nlmsg_type == c->family_id) {
				reply(h, ctx);
				done = !(h->nlmsg_flags & NLM_F_MULTI);
			}
			if (c->error)
				done = 1;
		}
		free(buf);
	}
	return 0;
}

static int request(struct client *c, const struct get_req *req, int cmd,
		   int dump, struct get_ctx *ctx)
{
	struct nl_msg *msg;
	int err = -ENOMEM;

	c->error = 0;
	c->extack[0] = 0;
	msg = nlmsg_alloc();
	if (!msg)
		goto out;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, c->family_id, 0,
			 dump ? NLM_F_DUMP : 0, cmd, SOCKSTAT_FAMILY_VERSION) ||
	    (req->inode && nla_put_u64(msg, SOCKSTAT_A_SOCK_INODE, req->inode)) ||
	    (req->family && nla_put_u16(msg, SOCKSTAT_A_SOCK_FAMILY, req->family)) ||
	    (req->type && nla_put_u16(msg, SOCKSTAT_A_SOCK_TYPE, req->type)) ||
	    (req->ss_states && nla_put_u32(msg, SOCKSTAT_A_SOCK_SS_STATES, req->ss_states)) ||
	    (req->sk_states && nla_put_u32(msg, SOCKSTAT_A_SOCK_SK_STATES, req->sk_states)) ||
	    (req->pid && nla_put_u32(msg, SOCKSTAT_A_SOCK_PID, req->pid)) ||
	    (req->has_netns && nla_put_u32(msg, SOCKSTAT_A_SOCK_NETNS, req->netns)) ||
	    (req->nofd_kinds && nla_put_u32(msg, SOCKSTAT_A_SOCK_NOFD_KINDS, req->nofd_kinds)) ||
	    ((req->brief || req->details) && cmd == SOCKSTAT_CMD_GET &&
	     nla_put_u32(msg, SOCKSTAT_A_SOCK_DETAILS, req->brief ? 0 : req->details)))
		goto out;

	err = nl_send_auto(c->sk, msg);
	if (err >= 0)
		err = receive(c, nlmsg_hdr(msg)->nlmsg_seq, dump,
			      cmd == SOCKSTAT_CMD_SUMMARY ? summary_reply : sock_reply, ctx);
	else
		err = err == -NLE_NOMEM ? -ENOMEM : -EIO;
	if (c->error)
		err = -c->error;
out:
	nlmsg_free(msg);
	return err < 0 ? err : 0;
}

int client_get(struct client *c, const struct get_req *req, int dump,
	       sock_cb cb, void *arg)
{
	struct get_ctx ctx = { .c = c, .cb = cb, .arg = arg };

	return request(c, req, SOCKSTAT_CMD_GET, dump, &ctx);
}

int client_summary(struct client *c, const struct get_req *req,
		   summary_cb cb, void *arg, unsigned int *total)
{
	struct counts counts = { 0 };
	struct get_ctx ctx = { .c = c, .arg = arg, .total = total, .counts = &counts };
	size_t i, j;
	int err;

	/*
	 * The kernel counts one window of sockets at most in a do (which
	 * runs under a lock every generic netlink user shares) and answers
	 * EFBIG beyond; then a dump, whose parts each count a window.  The
	 * do comes first because 6.1 gives a dump's refusal no message.
	 * The same combination may come in several parts: added up here.
	 */
	*total = 0;
	err = request(c, req, SOCKSTAT_CMD_SUMMARY, 0, &ctx);
	if (err == -EFBIG) {
		counts.n = 0;
		*total = 0;
		err = request(c, req, SOCKSTAT_CMD_SUMMARY, 1, &ctx);
	}
	if (!err && counts.n) {
		qsort(counts.e, counts.n, sizeof(*counts.e), entry_cmp);
		for (i = 0; i < counts.n; i = j) {
			struct summary_entry e = counts.e[i];

			for (j = i + 1; j < counts.n && !entry_cmp(&counts.e[j], &e); j++)
				e.count += counts.e[j].count;
			cb(&e, arg);
		}
	}
	free(counts.e);
	return err;
}

static int event_task(struct event *e, struct nlattr *nest)
{
	struct nlattr *t[SOCKSTAT_A_OWNER_MAX + 1];

	if (nla_parse_nested(t, SOCKSTAT_A_OWNER_MAX, nest, NULL) < 0 || !t[SOCKSTAT_A_OWNER_PID])
		return -1;
	e->has_task = 1;
	e->pid = nla_get_u32(t[SOCKSTAT_A_OWNER_PID]);
	e->tid = t[SOCKSTAT_A_OWNER_TID] ? nla_get_u32(t[SOCKSTAT_A_OWNER_TID]) : 0;
	e->uid = t[SOCKSTAT_A_OWNER_UID] ? nla_get_u32(t[SOCKSTAT_A_OWNER_UID]) : 0;
	if (t[SOCKSTAT_A_OWNER_COMM])
		attr_strcpy(e->comm, t[SOCKSTAT_A_OWNER_COMM], sizeof(e->comm));
	return 0;
}

/* The attributes of an event, or of SUBSCRIBE's reply (SEQ, NETNS). */
static int event_parse(struct nl_msg *msg, struct event *e)
{
	static struct nla_policy pol[SOCKSTAT_A_EVENT_MAX + 1] = {
		[SOCKSTAT_A_EVENT_KIND] = { .type = NLA_U8 },
		[SOCKSTAT_A_EVENT_SEQ] = { .type = NLA_U64 },
		[SOCKSTAT_A_EVENT_TIME_NS] = { .type = NLA_U64 },
		[SOCKSTAT_A_EVENT_NETNS] = { .type = NLA_U32 },
		[SOCKSTAT_A_EVENT_INODE] = { .type = NLA_U64 },
		[SOCKSTAT_A_EVENT_COOKIE] = { .type = NLA_U64 },
		[SOCKSTAT_A_EVENT_FAMILY] = { .type = NLA_U16 },
		[SOCKSTAT_A_EVENT_TYPE] = { .type = NLA_U16 },
		[SOCKSTAT_A_EVENT_PROTOCOL] = { .type = NLA_U16 },
		[SOCKSTAT_A_EVENT_OLD] = { .type = NLA_U8 },
		[SOCKSTAT_A_EVENT_NEW] = { .type = NLA_U8 },
		[SOCKSTAT_A_EVENT_HOW] = { .type = NLA_U8 },
		[SOCKSTAT_A_EVENT_LISTENER_INODE] = { .type = NLA_U64 },
		[SOCKSTAT_A_EVENT_TASK] = { .type = NLA_NESTED },
		[SOCKSTAT_A_EVENT_DROPPED] = { .type = NLA_U64 },
		[SOCKSTAT_A_EVENT_MISSED] = { .type = NLA_U64 },
	};
	struct nlattr *tb[SOCKSTAT_A_EVENT_MAX + 1];

	memset(e, 0, sizeof(*e));
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, SOCKSTAT_A_EVENT_MAX, pol) < 0)
		return -1;
#define U(attr, field, get) do { if (tb[SOCKSTAT_A_EVENT_##attr]) e->field = get(tb[SOCKSTAT_A_EVENT_##attr]); } while (0)
	U(KIND, kind, nla_get_u8);
	U(SEQ, seq, nla_get_u64);
	U(TIME_NS, time_ns, nla_get_u64);
	U(NETNS, netns, nla_get_u32);
	U(INODE, inode, nla_get_u64);
	U(COOKIE, cookie, nla_get_u64);
	U(FAMILY, family, nla_get_u16);
	U(TYPE, type, nla_get_u16);
	U(PROTOCOL, protocol, nla_get_u16);
	U(OLD, old, nla_get_u8);
	U(NEW, new, nla_get_u8);
	U(HOW, how, nla_get_u8);
	U(LISTENER_INODE, listener, nla_get_u64);
	U(DROPPED, dropped, nla_get_u64);
	U(MISSED, missed, nla_get_u64);
#undef U
	e->has_old = !!tb[SOCKSTAT_A_EVENT_OLD];
	e->has_new = !!tb[SOCKSTAT_A_EVENT_NEW];
	e->has_how = !!tb[SOCKSTAT_A_EVENT_HOW];
	e->kern = !!tb[SOCKSTAT_A_EVENT_KERN];
	if (tb[SOCKSTAT_A_EVENT_TASK] && event_task(e, tb[SOCKSTAT_A_EVENT_TASK]))
		return -1;
	return 0;
}

/* Events carry sequence number 0: they are told apart by their command. */
static int seq_any_cb(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

struct sub_ctx {
	struct client *c;
	uint64_t *seq;
	uint32_t *netns;
	int got;
	event_cb cb;
	void *arg;
	int ret;
};

static int subscribe_valid_cb(struct nl_msg *msg, void *arg)
{
	struct sub_ctx *ctx = arg;
	struct genlmsghdr *g = nlmsg_data(nlmsg_hdr(msg));
	struct event e;

	if (g->cmd != SOCKSTAT_CMD_SUBSCRIBE || event_parse(msg, &e))
		return NL_SKIP;
	*ctx->seq = e.seq;
	if (ctx->netns)
		*ctx->netns = e.netns;
	ctx->got = 1;
	return NL_OK;
}

static int sub_error_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct sub_ctx *ctx = arg;
	struct get_ctx g = { .c = ctx->c };

	return error_cb(nla, e, &g);
}

int client_subscribe(struct client *c, int has_netns, uint32_t netns, uint64_t *seq,
		     uint32_t *followed)
{
	struct sub_ctx ctx = { .c = c, .seq = seq, .netns = followed };
	struct nl_msg *msg = nlmsg_alloc();
	struct nl_cb *ncb = nl_cb_alloc(NL_CB_DEFAULT);
	int err = -ENOMEM;

	c->error = 0;
	c->extack[0] = 0;
	if (!msg || !ncb ||
	    !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, c->family_id, 0, 0,
			 SOCKSTAT_CMD_SUBSCRIBE, SOCKSTAT_FAMILY_VERSION) ||
	    (has_netns && nla_put_u32(msg, SOCKSTAT_A_EVENT_NETNS, netns)))
		goto out;
	nl_cb_set(ncb, NL_CB_VALID, NL_CB_CUSTOM, subscribe_valid_cb, &ctx);
	nl_cb_set(ncb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, seq_any_cb, NULL);
	nl_cb_err(ncb, NL_CB_CUSTOM, sub_error_cb, &ctx);
	nl_socket_enable_msg_peek(c->sk);
	err = nl_send_auto(c->sk, msg);
	/* Events may come before the reply: they are read, and dropped, here. */
	while (err >= 0 && !ctx.got && !c->error)
		err = nl_recvmsgs(c->sk, ncb);
	if (c->error)
		err = -c->error;
	else if (err < 0)
		err = -EIO;
	else
		err = 0;
out:
	nl_cb_put(ncb);
	nlmsg_free(msg);
	return err;
}

/* The controller's word that our family is gone: the module was unloaded. */
static int family_deleted(const struct client *c, struct nl_msg *msg)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct genlmsghdr *g = nlmsg_data(nlmsg_hdr(msg));

	return nlmsg_hdr(msg)->nlmsg_type == GENL_ID_CTRL && g->cmd == CTRL_CMD_DELFAMILY &&
	       !genlmsg_parse(nlmsg_hdr(msg), 0, tb, CTRL_ATTR_MAX, NULL) &&
	       tb[CTRL_ATTR_FAMILY_ID] && nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]) == c->family_id;
}

static int event_valid_cb(struct nl_msg *msg, void *arg)
{
	struct sub_ctx *ctx = arg;
	struct genlmsghdr *g = nlmsg_data(nlmsg_hdr(msg));
	struct event e;

	if (family_deleted(ctx->c, msg)) {
		/* As generic netlink answers a request to a family that is gone. */
		ctx->ret = -ENOENT;
		return NL_STOP;
	}
	if (nlmsg_hdr(msg)->nlmsg_type != ctx->c->family_id || g->cmd != SOCKSTAT_CMD_EVENT ||
	    event_parse(msg, &e))
		return NL_SKIP;
	ctx->ret = ctx->cb(&e, ctx->arg);
	return ctx->ret ? NL_STOP : NL_OK;
}

/* Milliseconds from now to @end (CLOCK_MONOTONIC), at least 0. */
static int ms_until(const struct timespec *end)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (end->tv_sec - now.tv_sec) * 1000LL + (end->tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : ms > INT_MAX ? INT_MAX : (int)ms;
}

int client_events(struct client *c, event_cb cb, void *arg, int timeout_ms)
{
	struct sub_ctx ctx = { .c = c, .cb = cb, .arg = arg };
	struct nl_cb *ncb = nl_cb_alloc(NL_CB_DEFAULT);
	struct timespec end;
	sigset_t waiting;
	int err = 0;

	if (!ncb)
		return -ENOMEM;
	nl_cb_set(ncb, NL_CB_VALID, NL_CB_CUSTOM, event_valid_cb, &ctx);
	nl_cb_set(ncb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, seq_any_cb, NULL);
	nl_socket_disable_msg_peek(c->sk);
	nl_socket_set_msg_buf_size(c->sk, 65536);
	if (timeout_ms >= 0) {
		clock_gettime(CLOCK_MONOTONIC, &end);
		end.tv_sec += timeout_ms / 1000;
		end.tv_nsec += (timeout_ms % 1000) * 1000000L;
		if (end.tv_nsec >= 1000000000L) {
			end.tv_sec++;
			end.tv_nsec -= 1000000000L;
		}
	}
	/*
	 * The controller's group (its one group has its family's id): an
	 * unloaded module sends nothing more, the controller says so.
	 */
	nl_socket_add_membership(c->sk, GENL_ID_CTRL);
	/*
	 * A caller that blocks SIGINT and SIGTERM (monitor) gets them here
	 * only, in ppoll(): one that comes while it checks its flag or
	 * prints is kept pending until then, and cannot fall between that
	 * check and the wait (which would then last until the next event).
	 */
	sigprocmask(SIG_SETMASK, NULL, &waiting);
	sigdelset(&waiting, SIGINT);
	sigdelset(&waiting, SIGTERM);
	while (!ctx.ret) {
		struct pollfd p = { nl_socket_get_fd(c->sk), POLLIN, 0 };
		struct timespec left;
		int n, ms;

		/* libnl's recvmsg() retries on EINTR: wait here, where a signal ends it. */
		ms = timeout_ms < 0 ? -1 : ms_until(&end);
		left.tv_sec = ms / 1000;
		left.tv_nsec = (ms % 1000) * 1000000L;
		n = ppoll(&p, 1, ms < 0 ? NULL : &left, &waiting);
		if (n < 0) {
			err = -errno;
			break;
		}
		if (!n)		/* the time is up */
			break;
		err = nl_recvmsgs(c->sk, ncb);
		if (err == -NLE_NOMEM) {
			/* libnl's name for ENOBUFS from recvmsg(). */
			err = -ENOBUFS;
			break;
		}
		if (err == -NLE_INTR) {
			err = -EINTR;
			break;
		}
		if (err < 0) {
			err = -EIO;
			break;
		}
	}
	nl_cb_put(ncb);
	return ctx.ret ? ctx.ret : err;
}
