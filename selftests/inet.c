// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <netinet/tcp.h>
#include <linux/filter.h>

#include "inet.h"

int ss_lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), err = 0;

	if (fd < 0)
		return -errno;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr))
		err = -errno;
	ifr.ifr_flags |= IFF_UP;
	if (!err && ioctl(fd, SIOCSIFFLAGS, &ifr))
		err = -errno;
	close(fd);
	return err;
}

int ss_drop_segments(int fd, int pass_syn)
{
	/* A TCP socket's filter sees the segment from its TCP header on. */
	struct sock_filter syn_only[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 13),		/* the flags byte */
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x02, 0, 1),	/* SYN */
		BPF_STMT(BPF_RET | BPF_K, ~0u),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_filter none[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
	struct sock_fprog prog = {
		.len = pass_syn ? 4 : 1,
		.filter = pass_syn ? syn_only : none,
	};

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) ? -errno : 0;
}

int proc_net_addr(const char *s, uint8_t *addr, int n, unsigned int *port)
{
	uint32_t w[4];
	int i;

	for (i = 0; i < n / 4; i++)
		if (sscanf(s + 8 * i, "%8x", &w[i]) != 1)
			return -1;
	memcpy(addr, w, n);	/* the kernel printed each word as a host integer */
	return sscanf(s + 2 * n, ":%x", port) == 1 ? 0 : -1;
}

/* One line into @t; 0, or -1 if it is not a socket's line. */
static int proc_tcp_line(const char *line, int alen, struct proc_tcp *t)
{
	char local[64], peer[64];
	unsigned long long ino;
	int n;

	memset(t, 0, sizeof(*t));
	n = sscanf(line, " %*d: %63s %63s %x %x:%x %x:%lx %x %*u %*d %llu %*d %*s %lu %*u %*u %u %d",
		   local, peer, &t->state, &t->tx_queue, &t->rx_queue, &t->timer,
		   &t->when, &t->retrnsmt, &ino, &t->rto, &t->cwnd, &t->ssthresh);
	if (n < 9 || proc_net_addr(local, t->laddr, alen, &t->lport) ||
	    proc_net_addr(peer, t->paddr, alen, &t->pport))
		return -1;
	t->ino = ino;
	t->full = n == 12;
	return 0;
}

int proc_tcp_find(int v6, unsigned int lport, unsigned int pport, uint64_t ino,
		  struct proc_tcp *out)
{
	FILE *f = fopen(v6 ? "/proc/net/tcp6" : "/proc/net/tcp", "r");
	char line[512];
	int found = 0;

	if (!f)
		return -errno;
	while (!found && fgets(line, sizeof(line), f))
		found = !proc_tcp_line(line, v6 ? 16 : 4, out) && out->lport == lport &&
			(!pport || out->pport == pport) && (ino == ~0ull || out->ino == ino);
	fclose(f);
	return found;
}

const char *ss_state_name(unsigned int state)
{
	static const char *const names[] = {
		[TCP_ESTABLISHED] = "ESTAB", [TCP_SYN_SENT] = "SYN-SENT",
		[TCP_SYN_RECV] = "SYN-RECV", [TCP_FIN_WAIT1] = "FIN-WAIT-1",
		[TCP_FIN_WAIT2] = "FIN-WAIT-2", [TCP_TIME_WAIT] = "TIME-WAIT",
		[TCP_CLOSE] = "UNCONN", [TCP_CLOSE_WAIT] = "CLOSE-WAIT",
		[TCP_LAST_ACK] = "LAST-ACK", [TCP_LISTEN] = "LISTEN",
		[TCP_CLOSING] = "CLOSING",
	};

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : NULL;
}

/* Runs of blanks in @s folded into one. */
static void fold(char *s)
{
	char *start = s, *d = s;

	for (; *s; s++)
		if (*s != ' ' || d == start || d[-1] != ' ')
			*d++ = *s;
	*d = 0;
}

int ss_find_line(const char *out, const char *needle, char *line, size_t len)
{
	const char *p = out;

	while (*p) {
		const char *e = strchrnul(p, '\n');
		char *l;

		/* The line and its continuations. */
		while (e[0] && e[1] == '\t')
			e = strchrnul(e + 1, '\n');
		l = malloc(e - p + 2);
		if (!l)
			return 0;
		memcpy(l, p, e - p);
		strcpy(l + (e - p), " ");
		for (char *q = l; *q; q++)
			if (*q == '\n' || *q == '\t')
				*q = ' ';
		fold(l);
		if (strstr(l, needle)) {
			snprintf(line, len, "%s", l);
			free(l);
			return 1;
		}
		free(l);
		p = *e ? e + 1 : e;
	}
	return 0;
}
