// SPDX-License-Identifier: GPL-2.0
/* The events tests' subscriber: see evq.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sockstat.h>

#include "evq.h"

static void ev_parse_task(struct ev *e, struct nlattr *nest)
{
	int rem = nest->nla_len - NLA_HDRLEN;
	struct nlattr *a = NLA_DATA(nest);

	e->has_task = 1;
	for (; NLA_OK(a, rem); a = NLA_NEXT(a, rem)) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case SOCKSTAT_A_OWNER_PID:
			e->pid = *(uint32_t *)NLA_DATA(a);
			break;
		case SOCKSTAT_A_OWNER_TID:
			e->tid = *(uint32_t *)NLA_DATA(a);
			break;
		case SOCKSTAT_A_OWNER_UID:
			e->uid = *(uint32_t *)NLA_DATA(a);
			break;
		case SOCKSTAT_A_OWNER_COMM:
			snprintf(e->comm, sizeof(e->comm), "%s", (char *)NLA_DATA(a));
			break;
		}
	}
}

void ev_parse(struct ev *e, struct nlattr *a, int rem)
{
	memset(e, 0, sizeof(*e));
	for (; NLA_OK(a, rem); a = NLA_NEXT(a, rem)) {
		void *d = NLA_DATA(a);

		switch (a->nla_type & NLA_TYPE_MASK) {
		case SOCKSTAT_A_EVENT_KIND: e->kind = *(uint8_t *)d; break;
		case SOCKSTAT_A_EVENT_SEQ: e->seq = *(uint64_t *)d; break;
		case SOCKSTAT_A_EVENT_NETNS: e->netns = *(uint32_t *)d; break;
		case SOCKSTAT_A_EVENT_INODE: e->ino = *(uint64_t *)d; break;
		case SOCKSTAT_A_EVENT_COOKIE: e->cookie = *(uint64_t *)d; break;
		case SOCKSTAT_A_EVENT_FAMILY: e->family = *(uint16_t *)d; break;
		case SOCKSTAT_A_EVENT_TYPE: e->type = *(uint16_t *)d; break;
		case SOCKSTAT_A_EVENT_PROTOCOL: e->protocol = *(uint16_t *)d; break;
		case SOCKSTAT_A_EVENT_OLD: e->old = *(uint8_t *)d; e->has_old = 1; break;
		case SOCKSTAT_A_EVENT_NEW: e->new = *(uint8_t *)d; e->has_new = 1; break;
		case SOCKSTAT_A_EVENT_HOW: e->how = *(uint8_t *)d; break;
		case SOCKSTAT_A_EVENT_KERN: e->kern = 1; break;
		case SOCKSTAT_A_EVENT_LISTENER_INODE: e->listener = *(uint64_t *)d; break;
		case SOCKSTAT_A_EVENT_TASK: ev_parse_task(e, a); break;
		case SOCKSTAT_A_EVENT_DROPPED: e->dropped = *(uint64_t *)d; break;
		case SOCKSTAT_A_EVENT_MISSED: e->missed = *(uint64_t *)d; break;
		}
	}
}

double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/*
 * Read events into q->e until @ms milliseconds pass without one, or 10
 * times that in all (sockets churning never go quiet); with @ack, until
 * the ack of a request (or its error) comes.  Returns the request's
 * error, 0 for its reply or ack, 1 when none came.
 */
int evq_read_until(struct evq *q, int ms, int ack)
{
	static char buf[65536];
	double end = now_ms() + 10.0 * ms;
	int ret = 1;

	while (now_ms() < end) {
		struct pollfd p = { q->nl.fd, POLLIN };
		struct nlmsghdr *h;
		ssize_t n;

		if (poll(&p, 1, ms) <= 0)
			return ret;
		n = recv(q->nl.fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == ENOBUFS) {
				q->enobufs++;
				continue;
			}
			return -errno;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			struct genlmsghdr *g = NLMSG_DATA(h);
			struct nlattr *a = (struct nlattr *)((char *)g + GENL_HDRLEN);
			int len = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

			if (h->nlmsg_type == NLMSG_ERROR) {
				ret = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
				if (ack)
					return ret;
				continue;
			}
			if (h->nlmsg_type != q->nl.family_id)
				continue;
			if (g->cmd == SOCKSTAT_CMD_EVENT && q->n < MAX_EVENTS) {
				ev_parse(&q->e[q->n++], a, len);
			} else if (g->cmd == SOCKSTAT_CMD_SUBSCRIBE) {
				struct ev r;

				ev_parse(&r, a, len);
				q->sub_seq = r.seq;
				q->sub_netns = r.netns;
				q->sub_dropped = r.dropped;
				q->sub_missed = r.missed;
				ret = 0;
			}
		}
	}
	return ret;
}

int evq_read(struct evq *q, int ms)
{
	return evq_read_until(q, ms, 0);
}

/* SUBSCRIBE (with @netns if @has_netns); 0 or the kernel's -errno. */
int evq_subscribe(struct evq *q, int has_netns, uint32_t netns)
{
	struct ssnl_req r;
	int err;

	ssnl_req_init(&r, SOCKSTAT_CMD_SUBSCRIBE);
	if (has_netns)
		ssnl_put(&r, SOCKSTAT_A_EVENT_NETNS, &netns, sizeof(netns));
	err = ssnl_send(&q->nl, &r, NLM_F_ACK);
	if (err)
		return err;
	/* The reply, then the ack (or the error alone). */
	return evq_read_until(q, 2000, 1);
}

int evq_open(struct evq *q)
{
	int err;

	memset(q, 0, sizeof(*q));
	q->e = calloc(MAX_EVENTS, sizeof(*q->e));
	if (!q->e)
		return -ENOMEM;
	err = ssnl_open(&q->nl);
	if (err)
		free(q->e);
	return err;
}

void evq_close(struct evq *q)
{
	ssnl_close(&q->nl);
	free(q->e);
}

/* Events of socket @ino (or, with @cookie, of that struct sock), in order. */
int evq_of(const struct evq *q, uint64_t ino, uint64_t cookie, struct ev *out, int max)
{
	int i, n = 0;

	for (i = 0; i < q->n && n < max; i++)
		if (q->e[i].kind != SOCKSTAT_EVENT_KIND_LOST &&
		    ((ino && q->e[i].ino == ino) || (cookie && q->e[i].cookie == cookie)))
			out[n++] = q->e[i];
	return n;
}

uint64_t sock_cookie(int fd)
{
	uint64_t c = 0;
	socklen_t len = sizeof(c);

	getsockopt(fd, SOL_SOCKET, SO_COOKIE, &c, &len);
	return c;
}

static const char *kind_name(int k)
{
	static const char *const n[] = { "?", "created", "ss", "sk", "shutdown", "released", "lost" };

	return k >= 0 && k <= SOCKSTAT_EVENT_KIND_LOST ? n[k] : "?";
}

/* "sk 7>2 ss 1>2 ..." for a test's log. */
void ev_describe(const struct ev *e, int n, char *buf, size_t size)
{
	size_t off = 0;
	int i;

	buf[0] = 0;
	for (i = 0; i < n && off < size; i++)
		off += snprintf(buf + off, size - off, "%s%s", i ? " " : "", kind_name(e[i].kind)),
		off += (e[i].has_old && off < size) ?
			snprintf(buf + off, size - off, " %u>%u", e[i].old, e[i].new) : 0;
}

/* A new network namespace with its loopback up. */
int netns_with_lo(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd;

	if (unshare(CLONE_NEWNET))
		return -errno;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return 0;
}

/* Whether our probes are in the kernel's list of kprobes; -1 if unreadable. */
int our_kprobes(int *ftrace_all)
{
	static const char *const syms[] = {
		"security_socket_post_create", "do_accept", "__sys_connect_file",
		"__sys_listen", "__sys_shutdown", "sock_release",
	};
	char line[512];
	int found = 0, ftrace = 1;
	unsigned int i;
	FILE *f;

	if (access("/sys/kernel/debug/kprobes/list", R_OK))
		system("mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug");
	f = fopen("/sys/kernel/debug/kprobes/list", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
			char want[128];

			/* +0x0, or +0x4 past an endbr64 where IBT is on. */
			snprintf(want, sizeof(want), " %s+0x", syms[i]);
			if (strstr(line, want)) {
				found++;
				if (!strstr(line, "[FTRACE]"))
					ftrace = 0;
			}
		}
	}
	fclose(f);
	if (ftrace_all)
		*ftrace_all = ftrace;
	return found;
}

int match(const struct ev *got, int n, const struct want *w, int nw)
{
	int i;

	if (n != nw)
		return 0;
	for (i = 0; i < n; i++) {
		if (got[i].kind != w[i].kind)
			return 0;
		if (w[i].states && (got[i].old != w[i].old || got[i].new != w[i].new))
			return 0;
	}
	return 1;
}

/*
 * Take the events of @kind out of a socket's list: when a close() or a
 * shutdown() returns, against what the peer does on loopback meanwhile,
 * is the CPUs' business.  *before: how many events came before it (-1:
 * not exactly one).
 */
int strip_kind(struct ev *got, int n, int kind, int *before)
{
	int i, m = 0, seen = 0;

	*before = -1;
	for (i = 0; i < n; i++) {
		if (got[i].kind == kind) {
			*before = seen++ ? -1 : m;
			continue;
		}
		got[m++] = got[i];
	}
	if (seen != 1)
		*before = -1;
	return m;
}

int strip_released(struct ev *got, int n, int *before)
{
	return strip_kind(got, n, SOCKSTAT_EVENT_KIND_RELEASED, before);
}
