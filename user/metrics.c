// SPDX-License-Identifier: GPL-2.0
/*
 * "metrics": one dump of every socket of this network namespace (those no
 * descriptor reaches too), counted into OpenMetrics text for
 * node_exporter's textfile collector.  Documentation/metrics.rst says
 * what each metric is and how it compares with /proc/net/sockstat.
 *
 * node_sockstat_* and node_tcp_connection_states are counted the way the
 * kernel counts /proc/net/sockstat (net/ipv4/proc.c, net/ipv6/proc.c) and
 * the way node_exporter's tcpstat collector counts /proc/net/tcp{,6}:
 *
 * - sockets_used: struct socks a user created (sk_alloc() with
 *   sk_net_refcnt, sock_inuse_add()): every socket but TIME_WAIT entries
 *   and connection requests, which are not full struct socks;
 * - <P>_inuse: sockets of protocol P (sk->sk_prot) while hashed
 *   (sock_prot_inuse_add() on hash and unhash): TCP in any state but
 *   CLOSE, UDP and UDP-Lite once bound to a port, RAW with a protocol
 *   number (hashed from socket() on);
 * - TCP_orphan: sockets closed by their application and still finishing
 *   (tcp_orphan_count), TCP_tw: TIME_WAIT entries (tw_refcount - 1),
 *   TCP_alloc: full TCP sockets, IPv4 and IPv6 (tcp_sockets_allocated);
 * - TCP_mem, UDP_mem: pages the protocol's sockets have reserved
 *   (memory_allocated): per socket sk_forward_alloc plus what is charged
 *   to it, sk_wmem_queued (TCP) and sk_rmem_alloc.
 *
 * The one netlink socket this program reads with is left out, so that the
 * counts are those of the machine without it.
 */
#define _GNU_SOURCE		/* asprintf() */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "metrics.h"
#include "names.h"

#define A(x) SOCKSTAT_A_SOCK_##x

enum { TCP_ST_CLOSE = 7, TCP_ST_LISTEN = 10, TCP_ST_NEW_SYN_RECV = 12 };

/* sk->sk_prot, by its name ("TCP", "UDPv6", ...). */
enum proto { P_OTHER, P_TCP, P_TCP6, P_UDP, P_UDP6, P_UDPLITE, P_UDPLITE6, P_RAW, P_RAW6 };

static const char *const proto_names[] = {
	[P_TCP] = "TCP", [P_TCP6] = "TCPv6", [P_UDP] = "UDP", [P_UDP6] = "UDPv6",
	[P_UDPLITE] = "UDP-Lite", [P_UDPLITE6] = "UDPLITEv6", [P_RAW] = "RAW",
	[P_RAW6] = "RAWv6",
};

/* One combination of labels and what is counted for it. */
struct combo {
	unsigned int k[4];
	unsigned long long v[3];
};

struct tally {
	struct combo *c;
	size_t n, cap;
};

struct metrics {
	pid_t self;
	int err;
	unsigned long used, tcp_orphan, tcp_tw, tcp_alloc;
	unsigned long inuse[P_RAW6 + 1];
	unsigned long long tcp_mem, udp_mem;	/* bytes reserved */
	unsigned long tcp_states[12];		/* TCP_ESTABLISHED .. TCP_CLOSING */
	struct tally sockets;	/* family, type, SS_* state, sk_state: count */
	struct tally nofd;	/* kind, family, sk_state: count */
	struct tally queues;	/* family, type: receive, send queue bytes */
	struct tally listen;	/* family: listeners, queued connections, full */
};

static struct combo *tally_get(struct metrics *m, struct tally *t, unsigned int k0,
			       unsigned int k1, unsigned int k2, unsigned int k3)
{
	struct combo key = { { k0, k1, k2, k3 }, { 0 } };
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!memcmp(t->c[i].k, key.k, sizeof(key.k)))
			return &t->c[i];
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 32;
		struct combo *p = realloc(t->c, cap * sizeof(*p));

		if (!p) {
			m->err = -ENOMEM;
			return NULL;
		}
		t->c = p;
		t->cap = cap;
	}
	t->c[t->n] = key;
	return &t->c[t->n++];
}

static int combo_cmp(const void *a, const void *b)
{
	const struct combo *x = a, *y = b;
	int i;

	for (i = 0; i < 4; i++)
		if (x->k[i] != y->k[i])
			return x->k[i] < y->k[i] ? -1 : 1;
	return 0;
}

static unsigned int u32_of(struct nlattr **tb, int attr)
{
	return tb[attr] && nla_len(tb[attr]) >= 4 ? nla_get_u32(tb[attr]) : 0;
}

static unsigned int u8_of(struct nlattr **tb, int attr)
{
	return tb[attr] && nla_len(tb[attr]) >= 1 ? nla_get_u8(tb[attr]) : 0;
}

static unsigned int u16_of(struct nlattr **tb, int attr)
{
	return tb[attr] && nla_len(tb[attr]) >= 2 ? nla_get_u16(tb[attr]) : 0;
}

/*
 * The socket's struct proto: by name when the reply has it, else from its
 * family, type and protocol (as inet_create() picks it).
 */
static enum proto proto_of(struct nlattr **tb, unsigned int family, unsigned int type,
			   unsigned int protocol)
{
	int v6 = family == AF_INET6;
	size_t i;

	if (tb[A(PROTO)]) {
		char name[32];

		nla_strlcpy(name, tb[A(PROTO)], sizeof(name));
		for (i = 1; i < sizeof(proto_names) / sizeof(proto_names[0]); i++)
			if (!strcmp(name, proto_names[i]))
				return i;
		return P_OTHER;
	}
	if (family != AF_INET && family != AF_INET6)
		return P_OTHER;
	if (type == SOCK_STREAM && (protocol == IPPROTO_TCP || protocol == 0))
		return v6 ? P_TCP6 : P_TCP;
	if (type == SOCK_DGRAM && (protocol == IPPROTO_UDP || protocol == 0))
		return v6 ? P_UDP6 : P_UDP;
	if (type == SOCK_DGRAM && protocol == IPPROTO_UDPLITE)
		return v6 ? P_UDPLITE6 : P_UDPLITE;
	if (type == SOCK_RAW)
		return v6 ? P_RAW6 : P_RAW;
	return P_OTHER;
}

/* Is this the socket of ours, held by our descriptors only? */
static int ours(const struct metrics *m, const struct sock_msg *msg)
{
	struct nlattr *a, *o[SOCKSTAT_A_OWNER_MAX + 1];
	int rem, owners = 0;

	if (msg->tb[A(OWNERS_MISSING)] || msg->tb[A(NOFD)])
		return 0;
	sock_msg_for_each_attr(a, msg->head, msg->len, rem) {
		if ((a->nla_type & NLA_TYPE_MASK) != A(OWNER))
			continue;
		if (nla_parse_nested(o, SOCKSTAT_A_OWNER_MAX, a, NULL) < 0 ||
		    !o[SOCKSTAT_A_OWNER_PID] ||
		    nla_get_u32(o[SOCKSTAT_A_OWNER_PID]) != (uint32_t)m->self)
			return 0;
		owners++;
	}
	return owners > 0;
}

static void count_tcp_state(struct metrics *m, unsigned int family, unsigned int sk)
{
	if (family != AF_INET && family != AF_INET6)
		return;
	if (sk == TCP_ST_NEW_SYN_RECV)
		sk = 3;		/* a request: SYN_RECV in /proc/net/tcp */
	if (sk >= 1 && sk <= 11 && sk != TCP_ST_CLOSE)
		m->tcp_states[sk]++;
}

static void metrics_cb(const struct sock_msg *msg, void *arg)
{
	struct metrics *m = arg;
	struct nlattr **tb = msg->tb;
	unsigned int family = u16_of(tb, A(FAMILY)), type = u16_of(tb, A(TYPE));
	unsigned int protocol = u16_of(tb, A(PROTOCOL)), sk = u8_of(tb, A(SK_STATE));
	unsigned int nofd = u8_of(tb, A(NOFD));
	unsigned long long reserved;
	struct combo *c;
	enum proto p;

	if (m->err)
		return;
	if (nofd) {
		c = tally_get(m, &m->nofd, nofd, family, sk, 0);
		if (c)
			c->v[0]++;
	}
	/* Not full struct socks: no sk_alloc(), no sk_prot. */
	if (nofd == SOCKSTAT_NOFD_TIME_WAIT || nofd == SOCKSTAT_NOFD_SYN_RECV) {
		if (nofd == SOCKSTAT_NOFD_TIME_WAIT)
			m->tcp_tw++;
		count_tcp_state(m, family, sk);
		return;
	}
	if (ours(m, msg))
		return;

	m->used++;
	if (!nofd && tb[A(SS_STATE)]) {
		c = tally_get(m, &m->sockets, family, type, u8_of(tb, A(SS_STATE)), sk);
		if (c)
			c->v[0]++;
	}
	if (sk == TCP_ST_LISTEN && tb[A(ACCEPT_MAX)]) {
		unsigned int q = u32_of(tb, A(ACCEPT_QUEUE));

		c = tally_get(m, &m->listen, family, 0, 0, 0);
		if (c) {
			c->v[0]++;
			c->v[1] += q;
			c->v[2] += q > u32_of(tb, A(ACCEPT_MAX));	/* sk_acceptq_is_full() */
		}
	} else {
		c = tally_get(m, &m->queues, family, type, 0, 0);
		if (c) {
			c->v[0] += u32_of(tb, A(RECV_Q));
			c->v[1] += u32_of(tb, A(SEND_Q));
		}
	}

	p = proto_of(tb, family, type, protocol);
	reserved = (unsigned long long)u32_of(tb, A(FORWARD_ALLOC)) + u32_of(tb, A(RMEM_ALLOC));
	switch (p) {
	case P_TCP:
	case P_TCP6:
		m->tcp_alloc++;
		if (nofd == SOCKSTAT_NOFD_ORPHAN)
			m->tcp_orphan++;
		if (sk != TCP_ST_CLOSE)
			m->inuse[p]++;
		count_tcp_state(m, family, sk);
		m->tcp_mem += reserved + u32_of(tb, A(WMEM_QUEUED));
		break;
	case P_UDP:
	case P_UDP6:
	case P_UDPLITE:
	case P_UDPLITE6:
		if (u16_of(tb, A(LOCAL_PORT)))
			m->inuse[p]++;
		m->udp_mem += reserved;		/* udp_memory_allocated, all four */
		break;
	case P_RAW:
	case P_RAW6:
		if (protocol)
			m->inuse[p]++;
		break;
	case P_OTHER:
		break;
	}
}

/* A label value: the name, lower case, or the number. */
static const char *label(char *buf, size_t len, const char *name, unsigned int v,
			 size_t skip)
{
	size_t i;

	if (!name || strlen(name) <= skip) {
		snprintf(buf, len, "%u", v);
		return buf;
	}
	for (i = 0; name[skip + i] && i + 1 < len; i++) {
		char ch = name[skip + i];

		buf[i] = ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch == '-' ? '_' : ch;
	}
	buf[i] = 0;
	return buf;
}

static void head(FILE *f, const char *name, const char *unit, const char *help)
{
	fprintf(f, "# TYPE %s gauge\n", name);
	if (unit)
		fprintf(f, "# UNIT %s %s\n", name, unit);
	fprintf(f, "# HELP %s %s\n", name, help);
}

static void gauge(FILE *f, const char *name, const char *unit, const char *help,
		  unsigned long long v)
{
	head(f, name, unit, help);
	fprintf(f, "%s %llu\n", name, v);
}

/* A sample per combination of @t: family (and type) labels, value v[@i]. */
static void per_family(FILE *f, const char *name, const struct tally *t, int with_type, int i)
{
	char a[32], b[32];
	size_t j;

	for (j = 0; j < t->n; j++) {
		const struct combo *x = &t->c[j];

		fprintf(f, "%s{family=\"%s\"", name, label(a, sizeof(a), family_name(x->k[0]), x->k[0], 0));
		if (with_type)
			fprintf(f, ",type=\"%s\"", label(b, sizeof(b), type_name(x->k[1]), x->k[1], 0));
		fprintf(f, "} %llu\n", x->v[i]);
	}
}

static void print(FILE *f, struct metrics *m, long page)
{
	static const char *const tcp_state_labels[12] = {
		[1] = "established", [2] = "syn_sent", [3] = "syn_recv",
		[4] = "fin_wait1", [5] = "fin_wait2", [6] = "time_wait",
		[8] = "close_wait", [9] = "last_ack", [10] = "listen", [11] = "closing",
	};
	unsigned long long tcp_pages = (m->tcp_mem + page / 2) / page;
	unsigned long long udp_pages = (m->udp_mem + page / 2) / page;
	char a[32], b[32], c[32], d[32];
	size_t i;

	gauge(f, "node_sockstat_sockets_used", NULL,
	      "Sockets in use: struct socks users created (sockstat-nl metrics, as /proc/net/sockstat counts them).",
	      m->used);
	gauge(f, "node_sockstat_TCP_inuse", NULL, "IPv4 TCP sockets in a hash table (any state but CLOSE).",
	      m->inuse[P_TCP]);
	gauge(f, "node_sockstat_TCP_orphan", NULL,
	      "TCP sockets their application closed, still finishing their connection.", m->tcp_orphan);
	gauge(f, "node_sockstat_TCP_tw", NULL, "TCP connections in TIME_WAIT.", m->tcp_tw);
	gauge(f, "node_sockstat_TCP_alloc", NULL, "TCP sockets allocated, IPv4 and IPv6.", m->tcp_alloc);
	gauge(f, "node_sockstat_TCP_mem", NULL, "Pages TCP sockets have reserved.", tcp_pages);
	gauge(f, "node_sockstat_TCP_mem_bytes", "bytes", "Bytes TCP sockets have reserved (TCP_mem pages).",
	      tcp_pages * page);
	gauge(f, "node_sockstat_UDP_inuse", NULL, "IPv4 UDP sockets bound to a port.", m->inuse[P_UDP]);
	gauge(f, "node_sockstat_UDP_mem", NULL, "Pages UDP and UDP-Lite sockets have reserved.", udp_pages);
	gauge(f, "node_sockstat_UDP_mem_bytes", "bytes",
	      "Bytes UDP and UDP-Lite sockets have reserved (UDP_mem pages).", udp_pages * page);
	gauge(f, "node_sockstat_UDPLITE_inuse", NULL, "IPv4 UDP-Lite sockets bound to a port.",
	      m->inuse[P_UDPLITE]);
	gauge(f, "node_sockstat_RAW_inuse", NULL, "IPv4 raw sockets of a protocol.", m->inuse[P_RAW]);
	gauge(f, "node_sockstat_TCP6_inuse", NULL, "IPv6 TCP sockets in a hash table (any state but CLOSE).",
	      m->inuse[P_TCP6]);
	gauge(f, "node_sockstat_UDP6_inuse", NULL, "IPv6 UDP sockets bound to a port.", m->inuse[P_UDP6]);
	gauge(f, "node_sockstat_UDPLITE6_inuse", NULL, "IPv6 UDP-Lite sockets bound to a port.",
	      m->inuse[P_UDPLITE6]);
	gauge(f, "node_sockstat_RAW6_inuse", NULL, "IPv6 raw sockets of a protocol.", m->inuse[P_RAW6]);

	head(f, "node_tcp_connection_states", NULL,
	     "TCP connections (IPv4 and IPv6) by state, as /proc/net/tcp and /proc/net/tcp6 list them.");
	for (i = 1; i < 12; i++)
		if (tcp_state_labels[i])
			fprintf(f, "node_tcp_connection_states{state=\"%s\"} %lu\n", tcp_state_labels[i],
				m->tcp_states[i]);

	head(f, "sockstat_sockets", NULL, "Sockets descriptors hold, by family, type, SS_* state and sk_state.");
	qsort(m->sockets.c, m->sockets.n, sizeof(struct combo), combo_cmp);
	for (i = 0; i < m->sockets.n; i++) {
		const struct combo *x = &m->sockets.c[i];

		fprintf(f, "sockstat_sockets{family=\"%s\",type=\"%s\",ss_state=\"%s\",sk_state=\"%s\"} %llu\n",
			label(a, sizeof(a), family_name(x->k[0]), x->k[0], 0),
			label(b, sizeof(b), type_name(x->k[1]), x->k[1], 0),
			label(c, sizeof(c), ss_state_name(x->k[2]), x->k[2], 3),
			label(d, sizeof(d), sk_state_name(x->k[3]), x->k[3], 0), x->v[0]);
	}
	head(f, "sockstat_sockets_nofd", NULL,
	     "Sockets no descriptor reaches, by why (kind), family and sk_state.");
	qsort(m->nofd.c, m->nofd.n, sizeof(struct combo), combo_cmp);
	for (i = 0; i < m->nofd.n; i++) {
		const struct combo *x = &m->nofd.c[i];

		fprintf(f, "sockstat_sockets_nofd{kind=\"%s\",family=\"%s\",sk_state=\"%s\"} %llu\n",
			label(a, sizeof(a), nofd_name(x->k[0]), x->k[0], 0),
			label(b, sizeof(b), family_name(x->k[1]), x->k[1], 0),
			label(c, sizeof(c), sk_state_name(x->k[2]), x->k[2], 0), x->v[0]);
	}
	qsort(m->queues.c, m->queues.n, sizeof(struct combo), combo_cmp);
	head(f, "sockstat_receive_queue_bytes", "bytes",
	     "Bytes received and not read yet, by family and type (listeners left out).");
	per_family(f, "sockstat_receive_queue_bytes", &m->queues, 1, 0);
	head(f, "sockstat_send_queue_bytes", "bytes",
	     "Bytes written and not yet sent or acknowledged, by family and type (listeners left out).");
	per_family(f, "sockstat_send_queue_bytes", &m->queues, 1, 1);
	qsort(m->listen.c, m->listen.n, sizeof(struct combo), combo_cmp);
	head(f, "sockstat_listeners", NULL, "Listening sockets, by family.");
	per_family(f, "sockstat_listeners", &m->listen, 0, 0);
	head(f, "sockstat_listen_queue_connections", NULL,
	     "Connections that completed and wait for accept(), by family of the listener.");
	per_family(f, "sockstat_listen_queue_connections", &m->listen, 0, 1);
	head(f, "sockstat_listeners_overflowing", NULL,
	     "Listeners whose accept queue is over their listen() backlog (the kernel drops new connections), by family.");
	per_family(f, "sockstat_listeners_overflowing", &m->listen, 0, 2);
	fputs("# EOF\n", f);
}

/* @output replaced by what @f held, or @f's temporary file removed. */
static int finish(FILE *f, const char *tmp, const char *output, int err)
{
	if (!err && (fflush(f) || fsync(fileno(f))))
		err = -errno;
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, output))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

int metrics_run(struct client *c, const char *output, const char **what)
{
	struct metrics m = { .self = getpid() };
	struct get_req req = {
		.nofd_kinds = SOCKSTAT_NOFD_ALL,
		.details = 1u << SOCKSTAT_DETAIL_SOCK,
	};
	long page = sysconf(_SC_PAGESIZE);
	char *tmp = NULL;
	FILE *f = stdout;
	int err, fd;

	*what = "dump";
	err = client_get(c, &req, 1, metrics_cb, &m);
	if (err == -EINTR)	/* owners may be stale: the counts are not */
		err = 0;
	err = err ?: m.err;
	if (!err) {
		*what = output;
		if (output) {
			if (asprintf(&tmp, "%s.XXXXXX", output) < 0) {
				tmp = NULL;
				err = -ENOMEM;
			} else if ((fd = mkstemp(tmp)) < 0 || fchmod(fd, 0644) ||
				   !(f = fdopen(fd, "w"))) {
				err = -errno;
				if (fd >= 0) {
					close(fd);
					unlink(tmp);
				}
			}
		}
	}
	if (!err) {
		print(f, &m, page > 0 ? page : 4096);
		if (output)
			err = finish(f, tmp, output, ferror(f) ? -EIO : 0);
		else if (fflush(stdout))
			err = -errno;
	}
	free(tmp);
	free(m.sockets.c);
	free(m.nofd.c);
	free(m.queues.c);
	free(m.listen.c);
	return err;
}
