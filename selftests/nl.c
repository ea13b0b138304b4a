// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nl.h"

#define NLA_OK(a, rem) ((rem) >= (int)sizeof(struct nlattr) && \
			(a)->nla_len >= sizeof(struct nlattr) && \
			(a)->nla_len <= (rem))
#define NLA_NEXT(a, rem) ((rem) -= NLA_ALIGN((a)->nla_len), \
			  (struct nlattr *)((char *)(a) + NLA_ALIGN((a)->nla_len)))
#define NLA_DATA(a) ((void *)((char *)(a) + NLA_HDRLEN))

uint64_t ss_inode(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? 0 : st.st_ino;
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

static void ssnl_parse_sock(const struct nlmsghdr *h, struct ss_sock *s)
{
	struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
	int rem = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

	memset(s, 0, sizeof(*s));
	for (; NLA_OK(a, rem); a = NLA_NEXT(a, rem)) {
		void *d = NLA_DATA(a);
		int t = a->nla_type & NLA_TYPE_MASK;

		if (t < 32)
			s->present |= 1u << t;
		switch (t) {
		case SOCKSTAT_A_SOCK_INODE:
			memcpy(&s->ino, d, 8);
			break;
		case SOCKSTAT_A_SOCK_FAMILY:
			memcpy(&s->family, d, 2);
			break;
		case SOCKSTAT_A_SOCK_TYPE:
			memcpy(&s->type, d, 2);
			break;
		case SOCKSTAT_A_SOCK_PROTOCOL:
			memcpy(&s->protocol, d, 2);
			break;
		case SOCKSTAT_A_SOCK_SS_STATE:
			s->ss_state = *(uint8_t *)d;
			break;
		case SOCKSTAT_A_SOCK_SK_STATE:
			s->sk_state = *(uint8_t *)d;
			break;
		case SOCKSTAT_A_SOCK_RECV_Q:
			memcpy(&s->recv_q, d, 4);
			break;
		case SOCKSTAT_A_SOCK_SEND_Q:
			memcpy(&s->send_q, d, 4);
			break;
		}
	}
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

int ssnl_request(struct ssnl *nl, struct ssnl_req *r, uint16_t flags,
		 size_t bufsize, ssnl_cb cb, void *arg)
{
	struct nlmsghdr *req = (struct nlmsghdr *)r->buf;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char *buf;
	int err = 1;

	req->nlmsg_len = r->len;
	req->nlmsg_type = nl->family_id;
	req->nlmsg_flags = NLM_F_REQUEST | flags;
	req->nlmsg_seq = ++nl->seq;
	nl->extack[0] = 0;
	nl->recvs = 0;
	if (sendto(nl->fd, r->buf, r->len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;

	buf = malloc(bufsize);
	if (!buf)
		return -ENOMEM;
	while (err > 0) {
		struct iovec iov = { buf, bufsize };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
		struct nlmsghdr *h;
		ssize_t n = recvmsg(nl->fd, &msg, 0);

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
			if (h->nlmsg_type == NLMSG_ERROR) {
				err = ssnl_error(nl, h);
				break;
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				err = 0;
				break;
			}
			if (h->nlmsg_type == nl->family_id && cb) {
				struct ss_sock s;

				ssnl_parse_sock(h, &s);
				if (cb(&s, arg)) {
					err = -ECANCELED;
					break;
				}
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

/*
 * Resolve the family id through the controller, on a socket of its own:
 * the kernel sizes dump replies by the largest read a socket has made,
 * and the tests choose that size themselves.
 */
static int ssnl_resolve(struct ssnl *nl)
{
	struct {
		struct nlmsghdr h;
		struct genlmsghdr g;
		char attrs[64];
	} req = {
		.h.nlmsg_type = GENL_ID_CTRL,
		.h.nlmsg_flags = NLM_F_REQUEST,
		.h.nlmsg_seq = 1,
		.g.cmd = CTRL_CMD_GETFAMILY,
		.g.version = 1,
	};
	struct nlattr *a = (struct nlattr *)req.attrs;
	char buf[8192];
	struct nlmsghdr *h;
	ssize_t n;
	int fd, err = -EPROTO;

	a->nla_type = CTRL_ATTR_FAMILY_NAME;
	a->nla_len = NLA_HDRLEN + sizeof(SOCKSTAT_FAMILY_NAME);
	memcpy(NLA_DATA(a), SOCKSTAT_FAMILY_NAME, sizeof(SOCKSTAT_FAMILY_NAME));
	req.h.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + NLA_ALIGN(a->nla_len);
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	if (send(fd, &req, req.h.nlmsg_len, 0) < 0) {
		err = -errno;
		goto out;
	}
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
