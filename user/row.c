// SPDX-License-Identifier: GPL-2.0
/*
 * A socket from either source (a netlink reply, a /proc line), the filters
 * applied in this program, and the LOCAL and PEER columns.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/sockstat.h>

#include "fields.h"
#include "fmt.h"
#include "lookups.h"
#include "row.h"

#define A(x) SOCKSTAT_A_SOCK_##x

static struct owner *owner_add(struct row *r)
{
	if (r->nr_owners == r->cap) {
		unsigned int cap = r->cap ? 2 * r->cap : 4;
		struct owner *o = realloc(r->owners, cap * sizeof(*o));

		if (!o)
			return NULL;
		r->owners = o;
		r->cap = cap;
	}
	memset(&r->owners[r->nr_owners], 0, sizeof(*r->owners));
	return &r->owners[r->nr_owners++];
}

static void row_reset(struct row *r)
{
	struct owner *owners = r->owners;
	unsigned int cap = r->cap;

	memset(r, 0, sizeof(*r));
	r->owners = owners;
	r->cap = cap;
}

void row_free(struct row *r)
{
	free(r->owners);
	memset(r, 0, sizeof(*r));
}

static uint32_t get_u32(struct nlattr **tb, int a)
{
	return tb[a] ? attr_u32(tb[a]) : 0;
}

int row_from_msg(struct row *r, const struct sock_msg *m)
{
	struct nlattr **tb = m->tb, *a;
	int rem;

	row_reset(r);
	r->msg = m;
	r->inode = tb[A(INODE)] ? attr_u64(tb[A(INODE)]) : 0;
	r->family = tb[A(FAMILY)] ? attr_u16(tb[A(FAMILY)]) : 0;
	r->type = tb[A(TYPE)] ? attr_u16(tb[A(TYPE)]) : 0;
	r->protocol = tb[A(PROTOCOL)] ? attr_u16(tb[A(PROTOCOL)]) : 0;
	r->has_ss = !!tb[A(SS_STATE)];
	r->ss_state = r->has_ss ? attr_u8(tb[A(SS_STATE)]) : 0;
	r->sk_state = tb[A(SK_STATE)] ? attr_u8(tb[A(SK_STATE)]) : 0;
	r->recv_q = get_u32(tb, A(RECV_Q));
	r->send_q = get_u32(tb, A(SEND_Q));
	r->missing = get_u32(tb, A(OWNERS_MISSING));
	r->nofd = tb[A(NOFD)] ? attr_u8(tb[A(NOFD)]) : 0;
	r->holder_ino = tb[A(HOLDER_INODE)] ? attr_u64(tb[A(HOLDER_INODE)]) : 0;

	if (tb[A(LOCAL_ADDR)] && tb[A(PEER_ADDR)]) {
		int len = attr_len(tb[A(LOCAL_ADDR)]);

		if ((len == 4 || len == 16) && attr_len(tb[A(PEER_ADDR)]) == len) {
			r->ends = len == 4 ? AF_INET : AF_INET6;
			memcpy(r->laddr, attr_data(tb[A(LOCAL_ADDR)]), len);
			memcpy(r->paddr, attr_data(tb[A(PEER_ADDR)]), len);
			r->lport = tb[A(LOCAL_PORT)] ? attr_u16(tb[A(LOCAL_PORT)]) : 0;
			r->pport = tb[A(PEER_PORT)] ? attr_u16(tb[A(PEER_PORT)]) : 0;
		}
	} else if (r->family == AF_UNIX) {
		r->ends = AF_UNIX;
		if (tb[A(UNIX_NAME)]) {
			r->uname_len = attr_len(tb[A(UNIX_NAME)]);
			if (r->uname_len > (int)sizeof(r->uname))
				r->uname_len = sizeof(r->uname);
			memcpy(r->uname, attr_data(tb[A(UNIX_NAME)]), r->uname_len);
		}
		r->peer_ino = tb[A(PEER_INODE)] ? attr_u64(tb[A(PEER_INODE)]) : 0;
	} else if (tb[A(NETLINK_PORTID)]) {
		r->ends = AF_NETLINK;
		r->nl_portid = get_u32(tb, A(NETLINK_PORTID));
		r->nl_groups = get_u32(tb, A(NETLINK_GROUPS));
		r->nl_dst_portid = get_u32(tb, A(NETLINK_DST_PORTID));
		r->nl_dst_group = get_u32(tb, A(NETLINK_DST_GROUP));
	} else if (tb[A(PACKET_IFINDEX)]) {
		r->ends = AF_PACKET;
		r->ifindex = get_u32(tb, A(PACKET_IFINDEX));
		r->pkt_proto = tb[A(PACKET_PROTOCOL)] ? attr_u16(tb[A(PACKET_PROTOCOL)]) : 0;
	}

	sock_msg_for_each_attr(a, m->head, m->len, rem) {
		struct nlattr *o[SOCKSTAT_A_OWNER_MAX + 1];
		struct owner *ow;

		if ((a->nla_type & NLA_TYPE_MASK) != A(OWNER) ||
		    parse_nest(o, SOCKSTAT_A_OWNER_MAX, a) ||
		    !o[SOCKSTAT_A_OWNER_PID] || !o[SOCKSTAT_A_OWNER_FD])
			continue;
		ow = owner_add(r);
		if (!ow)
			return -ENOMEM;
		ow->pid = attr_u32(o[SOCKSTAT_A_OWNER_PID]);
		ow->fd = attr_u32(o[SOCKSTAT_A_OWNER_FD]);
		ow->cloexec = !!o[SOCKSTAT_A_OWNER_CLOEXEC];
		if (o[SOCKSTAT_A_OWNER_COMM] && o[SOCKSTAT_A_OWNER_UID]) {
			ow->known = 1;
			ow->uid = attr_u32(o[SOCKSTAT_A_OWNER_UID]);
			attr_strcpy(ow->comm, o[SOCKSTAT_A_OWNER_COMM], sizeof(ow->comm));
		}
	}
	return 0;
}

/* The columns of /proc/net/sockstat_sockets this program reads. */
enum {
	C_INODE, C_FAMILY, C_TYPE, C_PROTO, C_SS, C_SK, C_RECVQ, C_SENDQ,
	C_LOCAL, C_PEER, C_MISSING, C_OWNERS, NR_COLS
};

static const char *const col_names[NR_COLS] = {
	"inode", "family", "type", "proto", "ss_state", "sk_state", "recv_q",
	"send_q", "local", "peer", "missing", "owners",
};

struct proc_cols {
	int at[NR_COLS];	/* index of each column in a line */
	int n;			/* columns in a line */
};

#define MAX_PROC_COLS 64

/* Split a line on blanks; returns the number of fields. */
static int split(char *line, char **f, int max)
{
	int n = 0;
	char *save, *t;

	for (t = strtok_r(line, " \t\n", &save); t && n < max;
	     t = strtok_r(NULL, " \t\n", &save))
		f[n++] = t;
	return n;
}

struct proc_cols *row_proc_header(const char *line)
{
	char buf[1024], *f[MAX_PROC_COLS];
	struct proc_cols *c;
	int n, i, j;

	snprintf(buf, sizeof(buf), "%s", line);
	n = split(buf, f, MAX_PROC_COLS);
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->n = n;
	for (i = 0; i < NR_COLS; i++) {
		c->at[i] = -1;
		for (j = 0; j < n; j++)
			if (!strcmp(f[j], col_names[i]))
				c->at[i] = j;
		if (c->at[i] < 0) {
			free(c);
			errno = ENOTSUP;
			return NULL;
		}
	}
	return c;
}

/* Undo the kernel's \ooo escapes; returns the length. */
static int unescape(char *dst, size_t cap, const char *s)
{
	size_t n = 0;

	while (*s && n < cap) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			dst[n++] = (s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0');
			s += 4;
		} else {
			dst[n++] = *s++;
		}
	}
	return n;
}

static int parse_ul(const char *s, unsigned long long *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 10);
	return *s && !*end && !errno ? 0 : -EINVAL;
}

/* "1.2.3.4:80" or "[::1]:80" */
static int parse_inet(const char *s, unsigned char *addr, uint16_t *port, unsigned int *fam)
{
	char buf[64];
	const char *colon = strrchr(s, ':');
	unsigned long long p;
	size_t len;

	if (!colon || parse_ul(colon + 1, &p) || p > 65535)
		return -EINVAL;
	*port = p;
	if (s[0] == '[') {
		len = colon - s - 2;
		if (colon[-1] != ']' || len >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, s + 1, len);
		buf[len] = 0;
		*fam = AF_INET6;
	} else {
		len = colon - s;
		if (len >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, s, len);
		buf[len] = 0;
		*fam = AF_INET;
	}
	return inet_pton(*fam, buf, addr) == 1 ? 0 : -EINVAL;
}

/* "portid:groups" */
static int parse_pair(const char *s, uint32_t *a, uint32_t *b)
{
	unsigned long long x, y;
	char buf[64], *colon;

	snprintf(buf, sizeof(buf), "%s", s);
	colon = strchr(buf, ':');
	if (!colon)
		return -EINVAL;
	*colon = 0;
	if (parse_ul(buf, &x) || parse_ul(colon + 1, &y))
		return -EINVAL;
	*a = x;
	*b = y;
	return 0;
}

static int parse_ends(struct row *r, const char *local, const char *peer)
{
	unsigned long long v;
	unsigned int fam2;
	uint32_t a, b;

	if (!strcmp(local, "-") && !strcmp(peer, "-") && r->family != AF_UNIX)
		return 0;
	switch (r->family) {
	case AF_INET:
	case AF_INET6:
		if (parse_inet(local, r->laddr, &r->lport, &r->ends) ||
		    parse_inet(peer, r->paddr, &r->pport, &fam2) || fam2 != r->ends)
			return -EINVAL;
		return 0;
	case AF_UNIX:
		r->ends = AF_UNIX;
		if (local[0] == '@') {
			r->uname[0] = 0;
			r->uname_len = 1 + unescape(r->uname + 1, sizeof(r->uname) - 1, local + 1);
		} else if (strcmp(local, "-")) {
			r->uname_len = unescape(r->uname, sizeof(r->uname), local);
		}
		if (strcmp(peer, "-")) {
			if (parse_ul(peer, &v))
				return -EINVAL;
			r->peer_ino = v;
		}
		return 0;
	case AF_NETLINK:
		r->ends = AF_NETLINK;
		if (parse_pair(local, &r->nl_portid, &r->nl_groups) ||
		    parse_pair(peer, &r->nl_dst_portid, &r->nl_dst_group))
			return -EINVAL;
		return 0;
	case AF_PACKET:
		r->ends = AF_PACKET;
		if (parse_pair(local, &a, &b) || b > 65535)
			return -EINVAL;
		r->ifindex = a;
		r->pkt_proto = b;
		return 0;
	}
	return -EINVAL;
}

/* "pid:fd:flags:uid:comm,..." or "-" */
static int parse_owners(struct row *r, char *s)
{
	char *save, *t;

	if (!strcmp(s, "-"))
		return 0;
	for (t = strtok_r(s, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		char *f[5], *p = t;
		unsigned long long v;
		struct owner *o;
		int i;

		for (i = 0; i < 5; i++) {
			f[i] = p;
			p = i < 4 ? strchr(p, ':') : NULL;
			if (i < 4 && !p)
				return -EINVAL;
			if (p)
				*p++ = 0;
		}
		o = owner_add(r);
		if (!o)
			return -ENOMEM;
		if (parse_ul(f[0], &v))
			return -EINVAL;
		o->pid = v;
		if (parse_ul(f[1], &v))
			return -EINVAL;
		o->fd = v;
		o->cloexec = !!strchr(f[2], 'e');
		if (*f[3]) {
			if (parse_ul(f[3], &v))
				return -EINVAL;
			o->known = 1;
			o->uid = v;
			o->comm[unescape(o->comm, sizeof(o->comm) - 1, f[4])] = 0;
		}
	}
	return 0;
}

int row_from_proc(struct row *r, char *line, const struct proc_cols *c)
{
	unsigned long long v[8];
	char *f[MAX_PROC_COLS];
	int n, i;

	row_reset(r);
	n = split(line, f, MAX_PROC_COLS);
	if (n < c->n)
		return -EINVAL;
	for (i = 0; i < 8; i++)
		if (parse_ul(f[c->at[i]], &v[i]))
			return -EINVAL;
	r->inode = v[C_INODE];
	r->family = v[C_FAMILY];
	r->type = v[C_TYPE];
	r->protocol = v[C_PROTO];
	r->ss_state = v[C_SS];
	r->has_ss = 1;
	r->sk_state = v[C_SK];
	r->recv_q = v[C_RECVQ];
	r->send_q = v[C_SENDQ];
	if (parse_ul(f[c->at[C_MISSING]], &v[0]))
		return -EINVAL;
	r->missing = v[0];
	if (parse_ends(r, f[c->at[C_LOCAL]], f[c->at[C_PEER]]))
		return -EINVAL;
	return parse_owners(r, f[c->at[C_OWNERS]]);
}

int owner_match(const struct owner *o, const struct filter *f)
{
	if (f->req.pid && (unsigned int)o->pid != f->req.pid)
		return 0;
	if (f->comm && (!o->known || strcmp(o->comm, f->comm)))
		return 0;
	return 1;
}

int row_match(const struct row *r, const struct filter *f, int kernel_done)
{
	const struct get_req *q = &f->req;
	unsigned int i;

	if (!kernel_done) {
		if ((q->inode && r->inode != q->inode) ||
		    (q->family && r->family != q->family) ||
		    (q->type && r->type != q->type) ||
		    (q->ss_states && !(q->ss_states & (1u << r->ss_state))) ||
		    (q->sk_states && (r->sk_state > 31 || !(q->sk_states & (1u << r->sk_state)))))
			return 0;
	}
	if (f->port >= 0) {
		if ((r->ends != AF_INET && r->ends != AF_INET6) ||
		    (r->lport != f->port && r->pport != f->port))
			return 0;
	}
	if (q->pid || f->comm) {
		for (i = 0; i < r->nr_owners; i++)
			if (owner_match(&r->owners[i], f))
				return 1;
		return 0;
	}
	return 1;
}

size_t escape_str(char *buf, size_t len, const char *s, size_t n)
{
	size_t off = 0, i;

	buf[0] = 0;
	for (i = 0; i < n && off + 5 < len; i++) {
		unsigned char c = s[i];

		if (c <= ' ' || c >= 0x7f || c == '\\')
			off += snprintf(buf + off, len - off, "\\%03o", c);
		else
			buf[off++] = c;
	}
	buf[off] = 0;
	return off;
}

static int all_zero(const unsigned char *a, int len)
{
	while (len--)
		if (*a++)
			return 0;
	return 1;
}

static const char *pkt_proto_name(unsigned int p)
{
	switch (p) {
	case ETH_P_ALL: return "all";
	case ETH_P_IP: return "ip";
	case ETH_P_ARP: return "arp";
	case ETH_P_IPV6: return "ipv6";
	case ETH_P_8021Q: return "802.1q";
	}
	return NULL;
}

static void inet_end(char *buf, size_t len, const struct row *r, int peer, int numeric)
{
	const unsigned char *addr = peer ? r->paddr : r->laddr;
	unsigned int port = peer ? r->pport : r->lport;
	int alen = r->ends == AF_INET ? 4 : 16;
	char a[INET6_ADDRSTRLEN], p[32];
	const char *se = NULL;

	if (!numeric && all_zero(addr, alen))
		strcpy(a, "*");
	else if (r->ends == AF_INET)
		fmt_ipv4(a, addr);
	else if (!inet_ntop(r->ends, addr, a, sizeof(a)))
		strcpy(a, "?");
	if (!port)
		strcpy(p, "*");
	else if (!numeric && r->protocol != IPPROTO_RAW &&
		 (se = service_name_cached(port, r->protocol == IPPROTO_UDP)))
		snprintf(p, sizeof(p), "%s", se);
	else
		fmt_u64(p, port);
	if (r->ends == AF_INET6 && strcmp(a, "*"))
		snprintf(buf, len, "[%s]:%s", a, p);
	else
		fmt_join(buf, len, a, ":", p);
}

void row_end_str(char *buf, size_t len, const struct row *r, int peer, int numeric)
{
	char ifname[IF_NAMESIZE];
	const char *name;

	switch (r->ends) {
	case AF_INET:
	case AF_INET6:
		inet_end(buf, len, r, peer, numeric);
		return;
	case AF_UNIX:
		if (peer) {
			char num[24];

			fmt_join(buf, len, r->peer_ino ? fmt_u64(num, r->peer_ino) : "*", "", "");
		} else if (!r->uname_len) {
			fmt_join(buf, len, "*", "", "");
		} else if (!r->uname[0]) {
			buf[0] = '@';
			escape_str(buf + 1, len - 1, r->uname + 1, r->uname_len - 1);
		} else {
			escape_str(buf, len, r->uname, strnlen(r->uname, r->uname_len));
		}
		return;
	case AF_NETLINK:
		if (peer && !numeric && !r->nl_dst_portid)
			snprintf(buf, len, "kernel");
		else
			snprintf(buf, len, "%u", peer ? r->nl_dst_portid : r->nl_portid);
		return;
	case AF_PACKET:
		if (peer) {
			snprintf(buf, len, "*");
			return;
		}
		name = numeric ? NULL : pkt_proto_name(r->pkt_proto);
		if (!r->ifindex)
			strcpy(ifname, "*");
		else if (numeric || !if_indextoname(r->ifindex, ifname))
			snprintf(ifname, sizeof(ifname), "%d", r->ifindex);
		if (name)
			snprintf(buf, len, "%s:%s", ifname, name);
		else
			snprintf(buf, len, "%s:0x%04x", ifname, r->pkt_proto);
		return;
	}
	snprintf(buf, len, "-");
}
