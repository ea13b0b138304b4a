/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Raw generic netlink for the benchmark's programs (nlbench, evbench):
 * no library between them and the kernel.
 */
#ifndef _SOCKSTAT_BENCH_RAWNL_H
#define _SOCKSTAT_BENCH_RAWNL_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sockstat.h>

/* Send a generic netlink request with at most one attribute: send()'s result. */
static inline ssize_t rawnl_request(int fd, uint32_t seq, uint16_t type, uint8_t cmd,
				    uint16_t flags, uint16_t atype, const void *data,
				    uint16_t len)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		char attrs[64];
	} req;
	struct nlattr *a = (struct nlattr *)req.attrs;

	memset(&req, 0, sizeof(req));
	req.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	req.n.nlmsg_type = type;
	req.n.nlmsg_flags = NLM_F_REQUEST | flags;
	req.n.nlmsg_seq = seq;
	req.g.cmd = cmd;
	req.g.version = SOCKSTAT_FAMILY_VERSION;
	if (atype) {
		if (len > sizeof(req.attrs) - NLA_HDRLEN) {
			errno = EMSGSIZE;
			return -1;
		}
		a->nla_type = atype;
		a->nla_len = NLA_HDRLEN + len;
		memcpy((char *)a + NLA_HDRLEN, data, len);
		req.n.nlmsg_len += NLA_ALIGN(a->nla_len);
	}
	return send(fd, &req, req.n.nlmsg_len, 0);
}

/* The top-level attribute @type of a generic netlink message, or NULL. */
static inline const struct nlattr *rawnl_attr(const struct nlmsghdr *n, uint16_t type)
{
	const char *p = (const char *)NLMSG_DATA(n) + GENL_HDRLEN;
	const char *end = (const char *)n + n->nlmsg_len;

	while (p + NLA_HDRLEN <= end) {
		const struct nlattr *a = (const struct nlattr *)p;

		if (a->nla_len < NLA_HDRLEN || p + a->nla_len > end)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		p += NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

/*
 * The sockstat family's id, asked of the controller on @fd (a fresh
 * socket: the answer is the next message); 0 with errno set when the
 * family is not there (the module is not loaded: ENOENT).
 */
static inline uint16_t rawnl_family(int fd, uint32_t seq, char *buf, size_t size)
{
	const struct nlmsgerr *e;
	const struct nlattr *a;
	struct nlmsghdr *n = (struct nlmsghdr *)buf;
	ssize_t len;
	uint16_t id;

	if (rawnl_request(fd, seq, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0, CTRL_ATTR_FAMILY_NAME,
			  SOCKSTAT_FAMILY_NAME, sizeof(SOCKSTAT_FAMILY_NAME)) < 0)
		return 0;
	len = recv(fd, buf, size, 0);
	if (len < 0)
		return 0;
	if (!NLMSG_OK(n, len)) {
		errno = EPROTO;
		return 0;
	}
	if (n->nlmsg_type == NLMSG_ERROR) {
		e = NLMSG_DATA(n);
		errno = e->error ? -e->error : EPROTO;
		return 0;
	}
	a = rawnl_attr(n, CTRL_ATTR_FAMILY_ID);
	if (!a) {
		errno = EPROTO;
		return 0;
	}
	memcpy(&id, (const char *)a + NLA_HDRLEN, sizeof(id));
	return id;
}

#endif /* _SOCKSTAT_BENCH_RAWNL_H */
