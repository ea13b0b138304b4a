// SPDX-License-Identifier: GPL-2.0
/*
 * Names of the numbers the kernel reports.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/sockstat.h>

#include "names.h"

#define N(x) (sizeof(x) / sizeof((x)[0]))

static const char *const families[] = {
	[AF_UNIX] = "unix", [AF_INET] = "inet", [AF_AX25] = "ax25",
	[AF_IPX] = "ipx", [AF_APPLETALK] = "appletalk", [AF_X25] = "x25",
	[AF_INET6] = "inet6", [AF_DECnet] = "decnet", [AF_KEY] = "key",
	[AF_NETLINK] = "netlink", [AF_PACKET] = "packet", [AF_RDS] = "rds",
	[AF_IRDA] = "irda", [AF_LLC] = "llc", [AF_IB] = "ib", [AF_MPLS] = "mpls",
	[AF_CAN] = "can", [AF_TIPC] = "tipc", [AF_BLUETOOTH] = "bluetooth",
	[AF_IUCV] = "iucv", [AF_RXRPC] = "rxrpc", [AF_ISDN] = "isdn",
	[AF_PHONET] = "phonet", [AF_IEEE802154] = "ieee802154",
	[AF_CAIF] = "caif", [AF_ALG] = "alg", [AF_NFC] = "nfc",
	[AF_VSOCK] = "vsock", [AF_KCM] = "kcm", [AF_QIPCRTR] = "qipcrtr",
	[AF_SMC] = "smc", [AF_XDP] = "xdp",
};

static const char *const types[] = {
	[SOCK_STREAM] = "stream", [SOCK_DGRAM] = "dgram", [SOCK_RAW] = "raw",
	[SOCK_RDM] = "rdm", [SOCK_SEQPACKET] = "seqpacket",
	[SOCK_DCCP] = "dccp", [SOCK_PACKET] = "packet",
};

static const char *const ss_states[] = {
	[SS_FREE] = "SS_FREE", [SS_UNCONNECTED] = "SS_UNCONNECTED",
	[SS_CONNECTING] = "SS_CONNECTING", [SS_CONNECTED] = "SS_CONNECTED",
	[SS_DISCONNECTING] = "SS_DISCONNECTING",
};

/* include/net/tcp_states.h: every family uses these numbers. */
static const char *const sk_states[] = {
	[1] = "ESTABLISHED", [2] = "SYN_SENT", [3] = "SYN_RECV",
	[4] = "FIN_WAIT1", [5] = "FIN_WAIT2", [6] = "TIME_WAIT", [7] = "CLOSE",
	[8] = "CLOSE_WAIT", [9] = "LAST_ACK", [10] = "LISTEN", [11] = "CLOSING",
	[12] = "NEW_SYN_RECV", [13] = "BOUND_INACTIVE",
};

/* enum sockstat_nofd: why no descriptor reaches a socket. */
static const char *const nofds[] = {
	[SOCKSTAT_NOFD_ACCEPT] = "accept", [SOCKSTAT_NOFD_SYN_RECV] = "syn-recv",
	[SOCKSTAT_NOFD_IN_FLIGHT] = "in-flight", [SOCKSTAT_NOFD_ORPHAN] = "orphan",
	[SOCKSTAT_NOFD_TIME_WAIT] = "time-wait",
};

static const char *const timers[] = {
	[SOCKSTAT_TIMER_RETRANSMIT] = "retransmit",
	[SOCKSTAT_TIMER_ZERO_WINDOW_PROBE] = "zero-window-probe",
	[SOCKSTAT_TIMER_SK_TIMER] = "sk-timer",
	[SOCKSTAT_TIMER_TIME_WAIT] = "time-wait",
	[SOCKSTAT_TIMER_SYN_ACK] = "syn-ack",
};

static const char *const netlink_protos[] = {
	[NETLINK_ROUTE] = "route", [NETLINK_UNUSED] = "unused",
	[NETLINK_USERSOCK] = "usersock", [NETLINK_FIREWALL] = "firewall",
	[NETLINK_SOCK_DIAG] = "sock_diag", [NETLINK_NFLOG] = "nflog",
	[NETLINK_XFRM] = "xfrm", [NETLINK_SELINUX] = "selinux",
	[NETLINK_ISCSI] = "iscsi", [NETLINK_AUDIT] = "audit",
	[NETLINK_FIB_LOOKUP] = "fib_lookup", [NETLINK_CONNECTOR] = "connector",
	[NETLINK_NETFILTER] = "netfilter", [NETLINK_IP6_FW] = "ip6_fw",
	[NETLINK_DNRTMSG] = "dnrtmsg", [NETLINK_KOBJECT_UEVENT] = "uevent",
	[NETLINK_GENERIC] = "generic", [NETLINK_SCSITRANSPORT] = "scsitransport",
	[NETLINK_ECRYPTFS] = "ecryptfs", [NETLINK_RDMA] = "rdma",
	[NETLINK_CRYPTO] = "crypto", [NETLINK_SMC] = "smc",
};

static const char *lookup(const char *const *tab, size_t n, unsigned int v)
{
	return v < n ? tab[v] : NULL;
}

const char *family_name(unsigned int family)
{
	return lookup(families, N(families), family);
}

const char *type_name(unsigned int type)
{
	return lookup(types, N(types), type);
}

const char *ss_state_name(unsigned int state)
{
	return lookup(ss_states, N(ss_states), state);
}

const char *sk_state_name(unsigned int state)
{
	return lookup(sk_states, N(sk_states), state);
}

const char *nofd_name(unsigned int kind)
{
	return lookup(nofds, N(nofds), kind);
}

const char *timer_name(unsigned int timer)
{
	return lookup(timers, N(timers), timer);
}

const char *protocol_name(unsigned int family, unsigned int protocol)
{
	switch (family) {
	case AF_INET:
	case AF_INET6:
		switch (protocol) {
		case IPPROTO_IP: return "ip";
		case IPPROTO_ICMP: return "icmp";
		case IPPROTO_TCP: return "tcp";
		case IPPROTO_UDP: return "udp";
		case IPPROTO_ICMPV6: return "icmpv6";
		case IPPROTO_SCTP: return "sctp";
		case IPPROTO_UDPLITE: return "udplite";
		case IPPROTO_RAW: return "raw";
		case IPPROTO_MPTCP: return "mptcp";
		}
		return NULL;
	case AF_NETLINK:
		return lookup(netlink_protos, N(netlink_protos), protocol);
	case AF_UNIX:
		return protocol ? NULL : "-";
	}
	return NULL;
}

const char *name_or_number(const char *name, unsigned int v, int numeric,
			   char *buf, size_t len)
{
	if (name && !numeric)
		return name;
	snprintf(buf, len, "%u", v);
	return buf;
}

static int parse(const char *const *tab, size_t n, const char *s)
{
	char *end;
	long v;
	size_t i;

	for (i = 0; i < n; i++)
		if (tab[i] && !strcasecmp(tab[i], s))
			return i;
	v = strtol(s, &end, 10);
	return *s && !*end && v > 0 && v < 65536 ? (int)v : -1;
}

int family_parse(const char *s)
{
	if (!strcasecmp(s, "local"))
		return AF_UNIX;
	return parse(families, N(families), s);
}

int type_parse(const char *s)
{
	return parse(types, N(types), s);
}

/*
 * A state by name, case-insensitive, '-' for '_', with or without its
 * prefix ("SS_CONNECTED", "connected"; "TCP_SYN_SENT", "syn-sent"), or
 * by number.
 */
static int state_parse(const char *const *tab, size_t n, const char *prefix,
		       const char *s)
{
	size_t plen = strlen(prefix), i;
	char buf[32], *end;
	long v;

	if (strlen(s) >= sizeof(buf))
		return -1;
	for (i = 0; s[i]; i++)
		buf[i] = s[i] == '-' ? '_' : s[i];
	buf[i] = 0;
	if (!strncasecmp(buf, prefix, plen))
		memmove(buf, buf + plen, strlen(buf + plen) + 1);
	for (i = 0; i < n; i++) {
		const char *name = tab[i];

		if (!name)
			continue;
		if (!strncmp(name, "SS_", 3))
			name += 3;
		if (!strcasecmp(name, buf))
			return i;
	}
	v = strtol(s, &end, 10);
	return *s && !*end && v >= 0 && (size_t)v < n && tab[v] ? (int)v : -1;
}

int ss_state_parse(const char *s)
{
	return state_parse(ss_states, N(ss_states), "SS_", s);
}

int sk_state_parse(const char *s)
{
	return state_parse(sk_states, N(sk_states), "TCP_", s);
}

static const char *const sock_f_names[] = {
	"ASYNC_NOSPACE", "ASYNC_WAITDATA", "NOSPACE", "PASSCRED", "PASSSEC",
	"SUPPORT_ZC", "CUSTOM_SOCKOPT", "PASSPIDFD",
};

static const char *const so_names[] = {
	"REUSEADDR", "REUSEPORT", "KEEPALIVE", "LINGER", "BROADCAST",
	"OOBINLINE", "DONTROUTE", "DEBUG", "TIMESTAMP", "TIMESTAMPNS",
	"RXQ_OVFL", "ZEROCOPY", "WIFI_STATUS", "NOFCS", "LOCK_FILTER",
	"SELECT_ERR_QUEUE", "TXTIME", "RCVMARK", "RCVBUF_LOCK", "SNDBUF_LOCK",
	"PASSCRED", "PASSSEC", "FASYNC",
};

/* Bits of @v by name, '|'-separated; unknown bits as a hex number. */
static void bits(char *buf, size_t len, unsigned int v, const char *const *tab,
		 size_t n, const char *none)
{
	size_t off = 0;
	unsigned int i;

	buf[0] = 0;
	for (i = 0; i < n && i < 32; i++) {
		if (!(v & (1u << i)) || !tab[i])
			continue;
		off += snprintf(buf + off, off < len ? len - off : 0, "%s%s",
				off ? "|" : "", tab[i]);
		v &= ~(1u << i);
	}
	if (v)
		off += snprintf(buf + off, off < len ? len - off : 0, "%s0x%x",
				off ? "|" : "", v);
	if (!off)
		snprintf(buf, len, "%s", none);
}

void sock_flags_str(char *buf, size_t len, unsigned int v)
{
	bits(buf, len, v, sock_f_names, N(sock_f_names), "-");
}

void sockopts_str(char *buf, size_t len, unsigned int v)
{
	bits(buf, len, v, so_names, N(so_names), "-");
}

void file_flags_str(char *buf, size_t len, unsigned int v)
{
	static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
	/* The kernel's values (asm-generic/fcntl.h): glibc's O_LARGEFILE is 0. */
	static const struct { unsigned int bit; const char *name; } f[] = {
		{ 02000, "O_APPEND" }, { 04000, "O_NONBLOCK" },
		{ 010000, "O_DSYNC" }, { 020000, "O_ASYNC" },
		{ 040000, "O_DIRECT" }, { 0100000, "O_LARGEFILE" },
		{ 01000000, "O_NOATIME" }, { 010000000, "O_PATH" },
		{ 04000000, "__O_SYNC" },
	};
	size_t off, i;

	off = snprintf(buf, len, "%s", acc[v & O_ACCMODE]);
	v &= ~O_ACCMODE;
	for (i = 0; i < N(f); i++)
		if ((v & f[i].bit) == f[i].bit) {
			off += snprintf(buf + off, off < len ? len - off : 0, "|%s", f[i].name);
			v &= ~f[i].bit;
		}
	if (v)
		snprintf(buf + off, off < len ? len - off : 0, "|0x%x", v);
}

int nofd_parse(const char *s)
{
	int v = parse(nofds, N(nofds), s);

	return v > 0 && v < (int)N(nofds) ? v : -1;
}
