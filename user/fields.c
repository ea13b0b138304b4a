// SPDX-License-Identifier: GPL-2.0
/*
 * The attributes of a socket, by name and kind, and the JSON form of a
 * socket.  Names follow the YNL spec (Documentation/netlink/specs/
 * sockstat.yaml) with '_' for '-'.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sockstat.h>

#include "client.h"

#include "fields.h"
#include "fmt.h"
#include "names.h"
#include "row.h"

#define A(x) SOCKSTAT_A_SOCK_##x
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

const struct field sock_fields[] = {
	{ A(INODE), "inode", F_U64, 'f', "SOCK_INODE(sock)->i_ino" },
	{ A(FAMILY), "family", F_U16, 'k', "sk->sk_family" },
	{ A(TYPE), "type", F_U16, 's', "sock->type" },
	{ A(PROTOCOL), "protocol", F_U16, 'k', "sk->sk_protocol" },
	{ A(SS_STATE), "ss_state", F_U8, 's', "sock->state" },
	{ A(SK_STATE), "sk_state", F_U8, 'k', "sk->sk_state" },
	{ A(RECV_Q), "recv_q", F_U32, 'k', "recv-q: bytes not yet read" },
	{ A(SEND_Q), "send_q", F_U32, 'k', "send-q: bytes not yet sent or acked" },
	{ A(OWNERS_MISSING), "owners_missing", F_U32, 'o', "descriptors not listed" },
	{ A(OWNERS_STALE), "owners_stale", F_FLAG, 'o', "fewer file refs than descriptors seen" },
	{ A(COOKIE), "cookie", F_U64, 'k', "sk->sk_cookie" },
	{ A(FLAGS), "flags", F_U32, 's', "sock->flags" },
	{ A(OPS), "ops", F_STRING, 's', "sock->ops" },
	{ A(OPS_MODULE), "ops_module", F_STRING, 's', "sock->ops->owner" },
	{ A(FILE_FLAGS), "file_flags", F_U32, 'f', "file->f_flags" },
	{ A(FILE_REFS), "file_refs", F_U64, 'f', "file->f_count" },
	{ A(WAITERS), "waiters", F_U32, 'w', "sock->wq.wait (sleeping tasks)" },
	{ A(POLLERS), "pollers", F_U32, 'w', "sock->wq.wait (poll/select/epoll)" },
	{ A(EPOLL), "epoll", F_U32, 'w', "file->f_ep" },
	{ A(FASYNC), "fasync", F_U32, 'w', "sock->wq.fasync_list" },
	{ A(PROTO), "proto", F_STRING, 'k', "sk->sk_prot->name" },
	{ A(SHUTDOWN), "shutdown", F_U8, 'k', "sk->sk_shutdown" },
	{ A(ERR), "err", F_U32, 'k', "sk->sk_err" },
	{ A(REFCNT), "refcnt", F_U32, 'k', "sk->sk_refcnt" },
	{ A(RCVBUF), "rcvbuf", F_U32, 'k', "sk->sk_rcvbuf" },
	{ A(SNDBUF), "sndbuf", F_U32, 'k', "sk->sk_sndbuf" },
	{ A(RMEM_ALLOC), "rmem_alloc", F_U32, 'k', "sk->sk_rmem_alloc" },
	{ A(WMEM_ALLOC), "wmem_alloc", F_U32, 'k', "sk->sk_wmem_alloc" },
	{ A(WMEM_QUEUED), "wmem_queued", F_U32, 'k', "sk->sk_wmem_queued" },
	{ A(FORWARD_ALLOC), "forward_alloc", F_U32, 'k', "sk->sk_forward_alloc" },
	{ A(RECV_QUEUE_PKTS), "recv_queue_pkts", F_U32, 'k', "sk->sk_receive_queue.qlen" },
	{ A(RECV_QUEUE_BYTES), "recv_queue_bytes", F_U32, 'k', "sk->sk_receive_queue (bytes)" },
	{ A(WRITE_QUEUE_PKTS), "write_queue_pkts", F_U32, 'k', "sk->sk_write_queue.qlen" },
	{ A(WRITE_QUEUE_BYTES), "write_queue_bytes", F_U32, 'k', "sk->sk_write_queue (bytes)" },
	{ A(BACKLOG), "backlog", F_U32, 'k', "sk->sk_backlog.len" },
	{ A(ACCEPT_QUEUE), "accept_queue", F_U32, 'k', "sk->sk_ack_backlog" },
	{ A(ACCEPT_MAX), "accept_max", F_U32, 'k', "sk->sk_max_ack_backlog" },
	{ A(DROPS), "drops", F_U32, 'k', "sk->sk_drops" },
	{ A(RCVLOWAT), "rcvlowat", F_U32, 'k', "sk->sk_rcvlowat" },
	{ A(RCVTIMEO_US), "rcvtimeo_us", F_U64, 'k', "sk->sk_rcvtimeo" },
	{ A(SNDTIMEO_US), "sndtimeo_us", F_U64, 'k', "sk->sk_sndtimeo" },
	{ A(MARK), "mark", F_U32, 'k', "sk->sk_mark" },
	{ A(PRIORITY), "priority", F_U32, 'k', "sk->sk_priority" },
	{ A(BOUND_IFINDEX), "bound_ifindex", F_U32, 'k', "sk->sk_bound_dev_if" },
	{ A(UID), "uid", F_U32, 'k', "sk->sk_uid" },
	{ A(NETNS), "netns", F_U32, 'k', "sock_net(sk)->ns.inum" },
	{ A(SOCKOPTS), "sockopts", F_U32, 'k', "sk->sk_flags, sk_reuse, sk_userlocks" },
	{ A(LINGER_SEC), "linger_sec", F_U32, 'k', "sk->sk_lingertime" },
	{ A(LOCAL_ADDR), "local_addr", F_INADDR, 'a', "inet->inet_rcv_saddr / sk_v6_rcv_saddr" },
	{ A(LOCAL_PORT), "local_port", F_U16, 'a', "inet->inet_sport" },
	{ A(PEER_ADDR), "peer_addr", F_INADDR, 'a', "inet->inet_daddr / sk_v6_daddr" },
	{ A(PEER_PORT), "peer_port", F_U16, 'a', "inet->inet_dport" },
	{ A(V6ONLY), "v6only", F_FLAG, 'a', "sk->sk_ipv6only" },
	{ A(UNIX_NAME), "unix_name", F_UNIXNAME, 'a', "unix_sk(sk)->addr->name" },
	{ A(PEER_INODE), "peer_inode", F_U64, 'a', "unix_peer(sk), its inode" },
	{ A(NETLINK_PORTID), "netlink_portid", F_U32, 'a', "nlk->portid" },
	{ A(NETLINK_GROUPS), "netlink_groups", F_U32, 'a', "nlk->groups[0]" },
	{ A(NETLINK_DST_PORTID), "netlink_dst_portid", F_U32, 'a', "nlk->dst_portid" },
	{ A(NETLINK_DST_GROUP), "netlink_dst_group", F_U32, 'a', "nlk->dst_group" },
	{ A(PACKET_IFINDEX), "packet_ifindex", F_U32, 'a', "po->ifindex" },
	{ A(PACKET_PROTOCOL), "packet_protocol", F_U16, 'a', "po->num" },
	{ A(MMAPPED), "mmapped", F_FLAG, 'f', "file->f_mapping (mapped)" },
	{ A(SYN_QUEUE), "syn_queue", F_U32, 'k', "icsk_accept_queue.qlen (SYN queue)" },
	{ A(NOFD), "nofd", F_U8, 'n', "no descriptor: why" },
	{ A(HOLDER_INODE), "holder_inode", F_U64, 'n', "the queue's socket, its inode" },
	{ A(TIMER), "timer", F_U8, 'n', "the pending timer" },
	{ A(TIMER_MS), "timer_ms", F_U32, 'n', "the timer fires in (ms)" },
	{ A(OWNER), "owners", F_NEST, 'o', "" },
	{ A(TCP), "tcp", F_NEST, 't', "" },
	{ 0 }
};

const struct field owner_fields[] = {
	{ SOCKSTAT_A_OWNER_PID, "pid", F_U32, 'o', "task_tgid_vnr()" },
	{ SOCKSTAT_A_OWNER_FD, "fd", F_U32, 'o', "fd" },
	{ SOCKSTAT_A_OWNER_CLOEXEC, "cloexec", F_FLAG, 'o', "close_on_exec()" },
	{ SOCKSTAT_A_OWNER_COMM, "comm", F_STRING, 'o', "task->comm" },
	{ SOCKSTAT_A_OWNER_UID, "uid", F_U32, 'o', "task_uid()" },
	{ SOCKSTAT_A_OWNER_TID, "tid", F_U32, 'o', "the thread whose table it is" },
	{ 0 }
};

#define T(x) SOCKSTAT_A_TCP_##x
const struct field tcp_fields[] = {
	{ T(RETRANSMITS), "retransmits", F_U32, 't', "icsk->icsk_retransmits" },
	{ T(TOTAL_RETRANS), "total_retrans", F_U32, 't', "tp->total_retrans" },
	{ T(RTT_US), "rtt_us", F_U32, 't', "tp->srtt_us >> 3" },
	{ T(RTTVAR_US), "rttvar_us", F_U32, 't', "tp->mdev_us >> 2" },
	{ T(RTO_US), "rto_us", F_U32, 't', "icsk->icsk_rto" },
	{ T(CWND), "cwnd", F_U32, 't', "tp->snd_cwnd" },
	{ T(SSTHRESH), "ssthresh", F_U32, 't', "tp->snd_ssthresh" },
	{ T(MSS), "mss", F_U32, 't', "tp->mss_cache" },
	{ T(UNACKED), "unacked", F_U32, 't', "tp->packets_out" },
	{ T(BYTES_ACKED), "bytes_acked", F_U64, 't', "tp->bytes_acked" },
	{ T(BYTES_RECEIVED), "bytes_received", F_U64, 't', "tp->bytes_received" },
	{ T(SEGS_OUT), "segs_out", F_U32, 't', "tp->segs_out" },
	{ T(SEGS_IN), "segs_in", F_U32, 't', "tp->segs_in" },
	{ 0 }
};

void field_text(char *buf, size_t len, const struct field *fl, struct nlattr *a)
{
	const char *p = attr_data(a);
	int n = attr_len(a);

	switch (fl->kind) {
	case F_U8:
		if (fl->attr == A(NOFD) && nofd_name(attr_u8(a)))
			snprintf(buf, len, "%s", nofd_name(attr_u8(a)));
		else if (fl->attr == A(TIMER) && timer_name(attr_u8(a)))
			snprintf(buf, len, "%s", timer_name(attr_u8(a)));
		else
			snprintf(buf, len, "%u", attr_u8(a));
		break;
	case F_U16:
		snprintf(buf, len, "%u", attr_u16(a));
		break;
	case F_U32:
		if (fl->attr == A(FLAGS) && fl->sect == 's')
			sock_flags_str(buf, len, attr_u32(a));
		else if (fl->attr == A(SOCKOPTS) && fl->sect == 'k')
			sockopts_str(buf, len, attr_u32(a));
		else if (fl->attr == A(FILE_FLAGS) && fl->sect == 'f')
			file_flags_str(buf, len, attr_u32(a));
		else
			snprintf(buf, len, "%u", attr_u32(a));
		break;
	case F_U64:
		snprintf(buf, len, "%llu", (unsigned long long)attr_u64(a));
		break;
	case F_FLAG:
		snprintf(buf, len, "yes");
		break;
	case F_STRING:
		escape_str(buf, len, p, strnlen(p, n));
		break;
	case F_INADDR:
		if (!inet_ntop(n == 16 ? AF_INET6 : AF_INET, p, buf, len))
			snprintf(buf, len, "?");
		break;
	case F_UNIXNAME:
		if (n && !p[0]) {
			buf[0] = '@';
			escape_str(buf + 1, len - 1, p + 1, n - 1);
		} else {
			escape_str(buf, len, p, strnlen(p, n));
		}
		break;
	case F_NEST:
		snprintf(buf, len, "-");
		break;
	}
}

void field_value(char *buf, size_t len, const struct field *fl, struct nlattr *a)
{
	const char *name = NULL;
	char num[64];

	field_text(num, sizeof(num), fl, a);
	switch (fl->attr) {
	case A(FAMILY):
		name = family_name(attr_u16(a));
		break;
	case A(TYPE):
		name = type_name(attr_u16(a));
		break;
	case A(SS_STATE):
		name = ss_state_name(attr_u8(a));
		break;
	case A(SK_STATE):
		name = sk_state_name(attr_u8(a));
		break;
	}
	if (name && fl->sect != 't' && fl->sect != 'o')
		snprintf(buf, len, "%s (%s)", name, num);
	else
		snprintf(buf, len, "%s", num);
}

int parse_nest(struct nlattr **tb, int max, struct nlattr *nest)
{
	attr_parse_nest(tb, max, nest);
	return 0;
}

/*
 * A JSON string, @prefix then @len bytes of @s, control bytes escaped.
 * The bytes that need no escape (nearly all) are copied a run at a time.
 */
void json_string(struct sbuf *b, const char *prefix, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, run;

	sbuf_putc(b, '"');
	if (*prefix)
		sbuf_puts(b, prefix);
	while (i < len) {
		unsigned char c;

		for (run = i; run < len; run++) {
			c = s[run];
			if (c == '"' || c == '\\' || c < 0x20 || c >= 0x7f)
				break;
		}
		sbuf_put(b, s + i, run - i);
		if (run == len)
			break;
		c = s[run];
		if (c == '"' || c == '\\') {
			char e[2] = { '\\', c };

			sbuf_put(b, e, sizeof(e));
		} else {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

			sbuf_put(b, u, sizeof(u));
		}
		i = run + 1;
	}
	sbuf_putc(b, '"');
}

static void json_value(struct sbuf *b, const struct field *fl, struct nlattr *a)
{
	char buf[INET6_ADDRSTRLEN];
	const char *p = attr_data(a);
	int len = attr_len(a);

	switch (fl->kind) {
	case F_U8:
		sbuf_u64(b, attr_u8(a));
		break;
	case F_U16:
		sbuf_u64(b, attr_u16(a));
		break;
	case F_U32:
		sbuf_u64(b, attr_u32(a));
		break;
	case F_U64:
		sbuf_u64(b, attr_u64(a));
		break;
	case F_FLAG:
		sbuf_puts(b, "true");
		break;
	case F_STRING:
		json_string(b, "", p, strnlen(p, len));
		break;
	case F_INADDR:
		if (!inet_ntop(len == 16 ? AF_INET6 : AF_INET, p, buf, sizeof(buf)))
			strcpy(buf, "");
		json_string(b, "", buf, strlen(buf));
		break;
	case F_UNIXNAME:
		/* An abstract name as "@name", like ss; a path without its zero. */
		if (len && !p[0])
			json_string(b, "@", p + 1, len - 1);
		else
			json_string(b, "", p, strnlen(p, len));
		break;
	case F_NEST:
		break;
	}
}

/* ,"name": (no comma before the first member) */
static void json_key(struct sbuf *b, const char *name, int n)
{
	if (n)
		sbuf_putc(b, ',');
	sbuf_putc(b, '"');
	sbuf_puts(b, name);
	sbuf_putc(b, '"');
	sbuf_putc(b, ':');
}

/*
 * A member's key as text, ',"name":', made once: a dump writes the same
 * names for every socket, and one copy of the whole key costs less than
 * its five pieces.
 */
struct json_key_text {
	char *s;
	size_t n;
};

static const struct json_key_text *json_key_text(struct json_key_text *k,
						  const char *name)
{
	size_t l;

	if (k->s)
		return k;
	l = strlen(name);
	k->s = malloc(l + 5);
	if (!k->s)
		return NULL;
	k->s[0] = ',';
	k->s[1] = '"';
	memcpy(k->s + 2, name, l);
	memcpy(k->s + 2 + l, "\":", 3);
	k->n = l + 4;
	return k;
}

/* A member's key, made once into @k. */
static void json_key_cached(struct sbuf *b, struct json_key_text *k,
			    const char *name, int n)
{
	if (json_key_text(k, name))
		sbuf_put(b, k->s + !n, k->n - !n);
	else
		json_key(b, name, n);
}

/*
 * The scalar members of an object; returns how many were written.  @keys
 * keeps each field's key (by its place in @fields) from one call to the
 * next.
 */
static int json_members(struct sbuf *b, const struct field *fields,
			struct json_key_text *keys, size_t nkeys,
			struct nlattr **tb, int n)
{
	const struct field *fl;

	for (fl = fields; fl->name; fl++) {
		size_t i = fl - fields;

		if (fl->kind == F_NEST || !tb[fl->attr])
			continue;
		if (i < nkeys)
			json_key_cached(b, &keys[i], fl->name, n);
		else
			json_key(b, fl->name, n);
		n++;
		json_value(b, fl, tb[fl->attr]);
	}
	return n;
}

/* A name member for a number the kernel reports, when it has a name. */
static int json_name(struct sbuf *b, struct json_key_text *k, const char *key,
		     const char *name, int n)
{
	if (!name)
		return n;
	json_key_cached(b, k, key, n);
	json_string(b, "", name, strlen(name));
	return n + 1;
}

int json_socket(FILE *f, const struct sock_msg *m)
{
	/* Kept from one socket to the next: a dump writes thousands. */
	static struct sbuf b;
	static struct json_key_text sock_keys[128], owner_keys[16], tcp_keys[32];
	static struct json_key_text name_keys[8];
	struct nlattr **tb = m->tb, *a, *sub[SOCKSTAT_A_TCP_MAX + 1];
	unsigned int fam = tb[A(FAMILY)] ? attr_u16(tb[A(FAMILY)]) : 0;
	int n, rem, owners = 0;

	b.n = 0;
	b.err = 0;
	sbuf_putc(&b, '{');
	n = json_members(&b, sock_fields, sock_keys, ARRAY_LEN(sock_keys), tb, 0);
	if (tb[A(FAMILY)])
		n = json_name(&b, &name_keys[0], "family_name", family_name(fam), n);
	if (tb[A(TYPE)])
		n = json_name(&b, &name_keys[1], "type_name", type_name(attr_u16(tb[A(TYPE)])), n);
	if (tb[A(SS_STATE)])
		n = json_name(&b, &name_keys[2], "ss_state_name", ss_state_name(attr_u8(tb[A(SS_STATE)])), n);
	if (tb[A(SK_STATE)])
		n = json_name(&b, &name_keys[3], "sk_state_name", sk_state_name(attr_u8(tb[A(SK_STATE)])), n);
	if (tb[A(NOFD)])
		n = json_name(&b, &name_keys[4], "nofd_name", nofd_name(attr_u8(tb[A(NOFD)])), n);
	if (tb[A(TIMER)])
		n = json_name(&b, &name_keys[5], "timer_name", timer_name(attr_u8(tb[A(TIMER)])), n);

	json_key_cached(&b, &name_keys[6], "owners", n++);
	sbuf_putc(&b, '[');
	sock_msg_for_each_attr(a, m->head, m->len, rem) {
		struct nlattr *o[SOCKSTAT_A_OWNER_MAX + 1];

		if ((a->nla_type & NLA_TYPE_MASK) != A(OWNER) || parse_nest(o, SOCKSTAT_A_OWNER_MAX, a))
			continue;
		if (owners++)
			sbuf_putc(&b, ',');
		sbuf_putc(&b, '{');
		json_members(&b, owner_fields, owner_keys, ARRAY_LEN(owner_keys), o, 0);
		sbuf_putc(&b, '}');
	}
	sbuf_putc(&b, ']');
	if (tb[A(TCP)] && !parse_nest(sub, SOCKSTAT_A_TCP_MAX, tb[A(TCP)])) {
		json_key_cached(&b, &name_keys[7], "tcp", n++);
		sbuf_putc(&b, '{');
		json_members(&b, tcp_fields, tcp_keys, ARRAY_LEN(tcp_keys), sub, 0);
		sbuf_putc(&b, '}');
	}
	sbuf_putc(&b, '}');
	if (b.err)
		return -ENOMEM;
	fwrite(b.p, 1, b.n, f);
	return 0;
}
