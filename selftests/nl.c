// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/net.h>
#include <linux/netlink.h>

#include "nl.h"


uint64_t ss_inode(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? 0 : st.st_ino;
}

int ss_unix_connected_state(void)
{
	struct utsname u;

	if (uname(&u) || atoi(u.release) < 7)
		return SS_CONNECTED;
	return SS_UNCONNECTED;
}

int ss_not_reported(const char *what)
{
	const char *ko = getenv("SOCKSTAT_KO");
	char cmd[4096], word[64];
	int found = 0;
	FILE *p;

	if (!ko || strchr(ko, '\''))
		return 0;
	snprintf(cmd, sizeof(cmd), "modinfo -F not_reported '%s' 2>/dev/null", ko);
	p = popen(cmd, "r");
	if (!p)
		return 0;
	while (fscanf(p, "%63s", word) == 1)
		if (!strcmp(word, what))
			found = 1;
	pclose(p);
	return found;
}

void ssnl_req_init(struct ssnl_req *r, uint8_t cmd)
{
	struct genlmsghdr *g;

	memset(r, 0, sizeof(*r));
	r->len = NLMSG_HDRLEN;
	g = (struct genlmsghdr *)(r->buf + r->len);
	g->cmd = cmd;
	g->version = 1;
	r->len += GENL_HDRLEN;
}

void ssnl_put(struct ssnl_req *r, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(r->buf + r->len);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy(NLA_DATA(a), data, len);
	r->len += NLA_ALIGN(a->nla_len);
}

void ssnl_put_u16(struct ssnl_req *r, uint16_t type, uint16_t v)
{
	ssnl_put(r, type, &v, sizeof(v));
}

void ssnl_put_u64(struct ssnl_req *r, uint16_t type, uint64_t v)
{
	ssnl_put(r, type, &v, sizeof(v));
}

static uint64_t ssnl_uint(const struct nlattr *a)
{
	uint64_t v = 0;

	switch (a->nla_len - NLA_HDRLEN) {
	case 1:
		v = *(uint8_t *)NLA_DATA(a);
		break;
	case 2:
		v = *(uint16_t *)NLA_DATA(a);
		break;
	case 4:
		v = *(uint32_t *)NLA_DATA(a);
		break;
	case 8:
		memcpy(&v, NLA_DATA(a), 8);
		break;
	}
	return v;
}

static void ssnl_copy(void *dst, size_t size, int *len, const struct nlattr *a)
{
	size_t n = a->nla_len - NLA_HDRLEN;

	if (n > size)
		n = size;
	memcpy(dst, NLA_DATA(a), n);
	if (len)
		*len = n;
}

static void ssnl_parse_owner(struct ss_sock *s, struct nlattr *nest)
{
	int rem = nest->nla_len - NLA_HDRLEN;
	struct ss_owner *o;
	struct nlattr *a;

	s->owners_seen++;
	if (s->nowners == SS_MAX_OWNERS)
		return;
	o = &s->owners[s->nowners++];
	for (a = NLA_DATA(nest); NLA_OK(a, rem); a = NLA_NEXT(a, rem)) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case SOCKSTAT_A_OWNER_PID:
			o->pid = ssnl_uint(a);
			break;
		case SOCKSTAT_A_OWNER_FD:
			o->fd = ssnl_uint(a);
			break;
		case SOCKSTAT_A_OWNER_UID:
			o->uid = ssnl_uint(a);
			break;
		case SOCKSTAT_A_OWNER_TID:
			o->tid = ssnl_uint(a);
			break;
		case SOCKSTAT_A_OWNER_CLOEXEC:
			o->cloexec = 1;
			break;
		case SOCKSTAT_A_OWNER_COMM:
			ssnl_copy(o->comm, sizeof(o->comm) - 1, NULL, a);
			break;
		}
	}
}

static void ssnl_parse_tcp(struct ss_sock *s, struct nlattr *nest)
{
	int rem = nest->nla_len - NLA_HDRLEN;
	struct nlattr *a;

	for (a = NLA_DATA(nest); NLA_OK(a, rem); a = NLA_NEXT(a, rem)) {
		int t = a->nla_type & NLA_TYPE_MASK;

		if (t <= SOCKSTAT_A_TCP_MAX) {
			s->tcp[t] = ssnl_uint(a);
			s->tcp_present[t] = 1;
		}
	}
}

static void ssnl_parse_sock(const struct nlmsghdr *h, struct ss_sock *s)
{
	struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
	int rem = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

	memset(s, 0, sizeof(*s));
	for (; NLA_OK(a, rem); a = NLA_NEXT(a, rem)) {
		int t = a->nla_type & NLA_TYPE_MASK;

		if (t > SOCKSTAT_A_SOCK_MAX)
			continue;
		s->present[t] = 1;
		switch (t) {
		case SOCKSTAT_A_SOCK_OWNER:
			ssnl_parse_owner(s, a);
			break;
		case SOCKSTAT_A_SOCK_TCP:
			ssnl_parse_tcp(s, a);
			break;
		case SOCKSTAT_A_SOCK_OPS:
			ssnl_copy(s->ops, sizeof(s->ops) - 1, NULL, a);
			break;
		case SOCKSTAT_A_SOCK_OPS_MODULE:
			ssnl_copy(s->ops_module, sizeof(s->ops_module) - 1, NULL, a);
			break;
		case SOCKSTAT_A_SOCK_PROTO:
			ssnl_copy(s->proto, sizeof(s->proto) - 1, NULL, a);
			break;
		case SOCKSTAT_A_SOCK_LOCAL_ADDR:
			ssnl_copy(s->local_addr, 16, &s->local_addr_len, a);
			break;
		case SOCKSTAT_A_SOCK_PEER_ADDR:
			ssnl_copy(s->peer_addr, 16, &s->peer_addr_len, a);
			break;
		case SOCKSTAT_A_SOCK_UNIX_NAME:
			ssnl_copy(s->unix_name, sizeof(s->unix_name) - 1,
				  &s->unix_name_len, a);
			break;
		default:
			s->v[t] = ssnl_uint(a);
		}
	}
	s->ino = s->v[SOCKSTAT_A_SOCK_INODE];
	s->family = s->v[SOCKSTAT_A_SOCK_FAMILY];
	s->type = s->v[SOCKSTAT_A_SOCK_TYPE];
	s->protocol = s->v[SOCKSTAT_A_SOCK_PROTOCOL];
	s->ss_state = s->v[SOCKSTAT_A_SOCK_SS_STATE];
	s->sk_state = s->v[SOCKSTAT_A_SOCK_SK_STATE];
	s->recv_q = s->v[SOCKSTAT_A_SOCK_RECV_Q];
	s->send_q = s->v[SOCKSTAT_A_SOCK_SEND_Q];
}

const struct ss_owner *ss_find_owner(const struct ss_sock *s, int pid, int fd)
{
	int i;

	for (i = 0; i < s->nowners; i++)
		if ((int)s->owners[i].pid == pid && (int)s->owners[i].fd == fd)
			return &s->owners[i];
	return NULL;
}

/* The error of an NLMSG_ERROR, with the extack message if any. */
static int ssnl_error(struct ssnl *nl, const struct nlmsghdr *h)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	size_t off = NLMSG_HDRLEN + sizeof(*e);
	struct nlattr *a;
	int rem;

	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	rem = (int)h->nlmsg_len - (int)NLMSG_ALIGN(off);
	a = (struct nlattr *)((char *)h + NLMSG_ALIGN(off));
	if (h->nlmsg_flags & NLM_F_ACK_TLVS)
		for (; NLA_OK(a, rem); a = NLA_NEXT(a, rem))
			if (a->nla_type == NLMSGERR_ATTR_MSG)
				snprintf(nl->extack, sizeof(nl->extack), "%s",
					 (char *)NLA_DATA(a));
	return e->error;
}

typedef int (*ssnl_raw_cb)(const struct nlmsghdr *h, void *arg);

int ssnl_send(struct ssnl *nl, struct ssnl_req *r, uint16_t flags)
{
	struct nlmsghdr *req = (struct nlmsghdr *)r->buf;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	req->nlmsg_len = r->len;
	req->nlmsg_type = nl->family_id;
	req->nlmsg_flags = NLM_F_REQUEST | flags;
	req->nlmsg_seq = ++nl->seq;
	nl->extack[0] = 0;
	nl->recvs = 0;
	nl->dump_intr = 0;
	if (sendto(nl->fd, r->buf, r->len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	return 0;
}

/*
 * Read the replies to the last request, at most @max_recvs reads (0: no
 * limit).  0 when complete, 1 when the limit stopped it, or -errno.
 */
static int ssnl_recv_raw(struct ssnl *nl, uint16_t flags, size_t bufsize,
			 ssnl_raw_cb cb, void *arg, unsigned int max_recvs)
{
	char *buf = malloc(bufsize);
	int err = 1;

	if (!buf)
		return -ENOMEM;
	while (err > 0) {
		struct iovec iov = { buf, bufsize };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
		struct nlmsghdr *h;
		ssize_t n;

		if (max_recvs && nl->recvs == max_recvs)
			break;
		n = recvmsg(nl->fd, &msg, 0);
		if (n < 0) {
			err = -errno;
			break;
		}
		nl->recvs++;
		if (msg.msg_flags & MSG_TRUNC) {
			err = -EMSGSIZE;
			break;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != nl->seq)
				continue;
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				nl->dump_intr = 1;
			if (h->nlmsg_type == NLMSG_ERROR) {
				err = ssnl_error(nl, h);
				break;
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				err = 0;
				break;
			}
			if (h->nlmsg_type == nl->family_id && cb && cb(h, arg)) {
				err = -ECANCELED;
				break;
			}
			if (!(h->nlmsg_flags & NLM_F_MULTI) && !(flags & NLM_F_ACK)) {
				err = 0;
				break;
			}
		}
	}
	free(buf);
	return err;
}

static int ssnl_request_raw(struct ssnl *nl, struct ssnl_req *r, uint16_t flags,
			    size_t bufsize, ssnl_raw_cb cb, void *arg)
{
	int err = ssnl_send(nl, r, flags);

	return err ?: ssnl_recv_raw(nl, flags, bufsize, cb, arg, 0);
}

struct ssnl_sock_ctx {
	ssnl_cb cb;
	void *arg;
};

static int ssnl_sock_cb(const struct nlmsghdr *h, void *arg)
{
	struct ssnl_sock_ctx *ctx = arg;
	struct ss_sock s;

	ssnl_parse_sock(h, &s);
	return ctx->cb(&s, ctx->arg);
}

int ssnl_request(struct ssnl *nl, struct ssnl_req *r, uint16_t flags,
		 size_t bufsize, ssnl_cb cb, void *arg)
{
	struct ssnl_sock_ctx ctx = { cb, arg };

	return ssnl_request_raw(nl, r, flags, bufsize, cb ? ssnl_sock_cb : NULL, &ctx);
}

int ssnl_recv(struct ssnl *nl, uint16_t flags, size_t bufsize, ssnl_cb cb,
	      void *arg, unsigned int max_recvs)
{
	struct ssnl_sock_ctx ctx = { cb, arg };

	return ssnl_recv_raw(nl, flags, bufsize, cb ? ssnl_sock_cb : NULL, &ctx,
			     max_recvs);
}

static int ssnl_summary_cb(const struct nlmsghdr *h, void *arg)
{
	struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
	int rem = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	struct ss_summary *out = arg;

	for (; NLA_OK(a, rem); a = NLA_NEXT(a, rem)) {
		int erem = a->nla_len - NLA_HDRLEN;
		struct nlattr *e;

		if (a->nla_type == SOCKSTAT_A_SUMMARY_TOTAL)
			out->total = ssnl_uint(a);
		if ((a->nla_type & NLA_TYPE_MASK) != SOCKSTAT_A_SUMMARY_ENTRY ||
		    out->n == (int)(sizeof(out->e) / sizeof(out->e[0])))
			continue;
		for (e = NLA_DATA(a); NLA_OK(e, erem); e = NLA_NEXT(e, erem)) {
			switch (e->nla_type) {
			case SOCKSTAT_A_SUMMARY_ENTRY_FAMILY:
				out->e[out->n].family = ssnl_uint(e);
				break;
			case SOCKSTAT_A_SUMMARY_ENTRY_SS_STATE:
				out->e[out->n].ss_state = ssnl_uint(e);
				break;
			case SOCKSTAT_A_SUMMARY_ENTRY_SK_STATE:
				out->e[out->n].sk_state = ssnl_uint(e);
				break;
			case SOCKSTAT_A_SUMMARY_ENTRY_COUNT:
				out->e[out->n].count = ssnl_uint(e);
				break;
			case SOCKSTAT_A_SUMMARY_ENTRY_NOFD:
				out->e[out->n].nofd = ssnl_uint(e);
				break;
			}
		}
		out->n++;
	}
	return 0;
}

int ssnl_summary(struct ssnl *nl, struct ssnl_req *r, struct ss_summary *out)
{
	memset(out, 0, sizeof(*out));
	return ssnl_request_raw(nl, r, 0, 65536, ssnl_summary_cb, out);
}

/* The dump: each part has counts of its own, added up here. */
static int ssnl_summary_sum_cb(const struct nlmsghdr *h, void *arg)
{
	struct ss_summary *out = arg, part;
	int i, j;

	memset(&part, 0, sizeof(part));
	ssnl_summary_cb(h, &part);
	out->total += part.total;
	out->parts++;
	for (i = 0; i < part.n; i++) {
		for (j = 0; j < out->n; j++)
			if (out->e[j].family == part.e[i].family &&
			    out->e[j].ss_state == part.e[i].ss_state &&
			    out->e[j].sk_state == part.e[i].sk_state &&
			    out->e[j].nofd == part.e[i].nofd)
				break;
		if (j == out->n) {
			if (out->n == (int)(sizeof(out->e) / sizeof(out->e[0])))
				continue;
			out->e[out->n++] = part.e[i];
		} else {
			out->e[j].count += part.e[i].count;
		}
	}
	return 0;
}

int ssnl_summary_dump(struct ssnl *nl, struct ssnl_req *r, size_t bufsize,
		      struct ss_summary *out)
{
	memset(out, 0, sizeof(*out));
	return ssnl_request_raw(nl, r, NLM_F_DUMP, bufsize, ssnl_summary_sum_cb, out);
}

static int ssnl_copy_cb(const struct ss_sock *s, void *arg)
{
	*(struct ss_sock *)arg = *s;
	return 0;
}

int ssnl_get(struct ssnl *nl, uint64_t ino, struct ss_sock *out)
{
	struct ssnl_req r;

	memset(out, 0, sizeof(*out));
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ssnl_put_u64(&r, SOCKSTAT_A_SOCK_INODE, ino);
	return ssnl_request(nl, &r, 0, 32768, ssnl_copy_cb, out);
}

int ssnl_ctrl_send(int fd, uint32_t seq, uint8_t cmd, uint16_t flags, uint32_t op)
{
	struct {
		struct nlmsghdr h;
		struct genlmsghdr g;
		char attrs[64];
	} req = {
		.h.nlmsg_type = GENL_ID_CTRL,
		.h.nlmsg_flags = NLM_F_REQUEST | flags,
		.h.nlmsg_seq = seq,
		.g.cmd = cmd,
		.g.version = 1,
	};
	struct nlattr *a = (struct nlattr *)req.attrs;
	int len = NLMSG_HDRLEN + GENL_HDRLEN;

	a->nla_type = CTRL_ATTR_FAMILY_NAME;
	a->nla_len = NLA_HDRLEN + sizeof(SOCKSTAT_FAMILY_NAME);
	memcpy(NLA_DATA(a), SOCKSTAT_FAMILY_NAME, sizeof(SOCKSTAT_FAMILY_NAME));
	len += NLA_ALIGN(a->nla_len);
	if (op) {
		a = (struct nlattr *)((char *)&req + len);
		a->nla_type = CTRL_ATTR_OP;
		a->nla_len = NLA_HDRLEN + sizeof(op);
		memcpy(NLA_DATA(a), &op, sizeof(op));
		len += NLA_ALIGN(a->nla_len);
	}
	req.h.nlmsg_len = len;
	return send(fd, &req, len, 0) == len ? 0 : -errno;
}

/*
 * Resolve the family id through the controller, on a socket of its own:
 * the kernel sizes dump replies by the largest read a socket has made,
 * and the tests choose that size themselves.
 */
int ssnl_resolve(struct ssnl *nl)
{
	char buf[8192];
	struct nlattr *a;
	struct nlmsghdr *h;
	ssize_t n;
	int fd, err = -EPROTO;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	err = ssnl_ctrl_send(fd, 1, CTRL_CMD_GETFAMILY, 0, 0);
	if (err)
		goto out;
	err = -EPROTO;
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0) {
		err = -errno;
		goto out;
	}
	h = (struct nlmsghdr *)buf;
	if (!NLMSG_OK(h, n))
		goto out;
	if (h->nlmsg_type == NLMSG_ERROR) {
		err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
		goto out;
	}
	{
		int rem = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

		for (a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
		     NLA_OK(a, rem); a = NLA_NEXT(a, rem))
			if (a->nla_type == CTRL_ATTR_FAMILY_ID) {
				memcpy(&nl->family_id, NLA_DATA(a), 2);
				err = 0;
			}
	}
out:
	close(fd);
	return err;
}

int ssnl_open(struct ssnl *nl)
{
	int one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl->fd < 0)
		return -errno;
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	err = ssnl_resolve(nl);
	if (err) {
		close(nl->fd);
		nl->fd = -1;
	}
	return err;
}

void ssnl_close(struct ssnl *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
}
