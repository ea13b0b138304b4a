/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP and IP helpers for the tests: loopback up, segments dropped on
 * purpose, and the kernel's own view of a connection in /proc/net/tcp.
 */
#ifndef SOCKSTAT_TEST_INET_H
#define SOCKSTAT_TEST_INET_H

#include <stddef.h>
#include <stdint.h>

/* Bring "lo" up (a new network namespace has it down).  0 or -errno. */
int ss_lo_up(void);

/*
 * Attach a classic BPF socket filter to @fd that drops every TCP segment
 * it receives, or (@pass_syn) every one but those with SYN set.  A
 * filter runs after the segment was looked up, so for a listener it
 * also decides the fate of the handshake's final ACK: with @pass_syn, a
 * connection request stays in the SYN queue (SYN_RECV), its SYN-ACK
 * retransmitted, while the client believes it is established.  On a
 * connected socket, nothing the peer sends is ever acknowledged: the
 * peer retransmits.  0 or -errno.
 */
int ss_drop_segments(int fd, int pass_syn);

/* One line of /proc/net/tcp or tcp6 (net/ipv4/tcp_ipv4.c, tcp6's the same). */
struct proc_tcp {
	uint8_t laddr[16], paddr[16];	/* as the kernel holds them */
	unsigned int lport, pport;
	unsigned int state;		/* "st": TCP_* (3 for a request) */
	unsigned int tx_queue, rx_queue;
	unsigned int timer;		/* "tr": 0 none, 1 retransmit (and a
					 * request's SYN-ACK), 2 sk_timer
					 * (keepalive), 3 TIME_WAIT, 4 zero
					 * window probe */
	unsigned long when;		/* "tm->when": clock ticks (1/100 s) left */
	unsigned int retrnsmt;		/* icsk_retransmits; a request's
					 * num_timeout; 0 for TIME_WAIT */
	uint64_t ino;
	/* Full sockets only (full = 1): */
	int full;
	unsigned long rto;		/* clock ticks */
	unsigned int cwnd;
	int ssthresh;			/* -1 in the initial slow start */
};

/* Parse "ADDR:PORT" in /proc/net/tcp's hex, @n = 4 or 16 bytes.  0 or -1. */
int proc_net_addr(const char *s, uint8_t *addr, int n, unsigned int *port);

/*
 * The line of /proc/net/tcp (@v6: tcp6) with local port @lport and peer
 * port @pport (0: any) and inode @ino (0 too: those no descriptor holds;
 * ~0: any), copied to @out.  1 if found, 0 if not, -errno.
 */
int proc_tcp_find(int v6, unsigned int lport, unsigned int pport, uint64_t ino,
		  struct proc_tcp *out);

/* ss's name of TCP state @state (as /proc/net/tcp numbers them), or NULL. */
const char *ss_state_name(unsigned int state);

/*
 * The line of ss's output @out that contains @needle once runs of blanks
 * are folded into one, with its continuation lines (-e, -i, -m put those
 * on lines that start with a tab) joined to it; with a blank at the end,
 * so that a needle can end with one.  Copied to @line; 1 if found.
 */
int ss_find_line(const char *out, const char *needle, char *line, size_t len);

#endif
