/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A socket as the table shows it, read from a netlink reply or from a line
 * of /proc/net/sockstat_sockets: both sources fill the same structure, so
 * the two print the same rows.
 */
#ifndef SOCKSTAT_ROW_H
#define SOCKSTAT_ROW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "client.h"

/* A descriptor that holds the socket. */
struct owner {
	int pid;		/* in the caller's pid namespace */
	unsigned int fd;
	int cloexec;
	int known;		/* comm and uid are known (the process was alive) */
	unsigned int uid;
	char comm[64];
};

struct row {
	uint64_t inode;
	unsigned int family, type, protocol, ss_state, sk_state;
	int has_ss;				/* a struct socket, so an SS_* state */
	uint32_t recv_q, send_q;

	/* The address part, by family: 0 when the module gave none. */
	unsigned int ends;
	unsigned char laddr[16], paddr[16];	/* AF_INET: 4 bytes, AF_INET6: 16 */
	uint16_t lport, pport;
	char uname[108];			/* AF_UNIX: sun_path, uname_len bytes */
	int uname_len;
	uint64_t peer_ino;
	uint32_t nl_portid, nl_groups, nl_dst_portid, nl_dst_group;
	int ifindex;				/* AF_PACKET */
	uint16_t pkt_proto;

	unsigned int nofd;			/* enum sockstat_nofd; 0: a descriptor holds it */
	uint64_t holder_ino;			/* with nofd: the queue's socket */

	unsigned int missing;			/* owners not listed */
	struct owner *owners;
	unsigned int nr_owners, cap;

	const struct sock_msg *msg;		/* netlink: the reply; NULL from /proc */
};

/* What to show: the kernel's selectors and those applied here. */
struct filter {
	struct get_req req;
	const char *comm;	/* only rows of processes with this command */
	int port;		/* only sockets with this local or peer port; -1 any */
};

/* 0, or -ENOMEM. */
int row_from_msg(struct row *r, const struct sock_msg *m);
/* Parse a /proc line with the column layout of @cols (row_proc_header()). */
struct proc_cols;
int row_from_proc(struct row *r, char *line, const struct proc_cols *cols);
/* The column layout from the header line; NULL (errno set) if unusable. */
struct proc_cols *row_proc_header(const char *line);
void row_free(struct row *r);

/*
 * Does the socket pass the filter?  @kernel_done: the kernel has already
 * applied f->req (netlink) and only the rest is checked.
 */
int row_match(const struct row *r, const struct filter *f, int kernel_done);
/* Should the table show this owner of a matching socket? */
int owner_match(const struct owner *o, const struct filter *f);

/* LOCAL (@peer 0) or PEER (@peer 1) as the table shows it. */
void row_end_str(char *buf, size_t len, const struct row *r, int peer, int numeric);
/*
 * A name that may hold any byte: blanks, '\' and unprintables as \ooo.
 * Returns the length written.
 */
size_t escape_str(char *buf, size_t len, const char *s, size_t n);

#endif
