/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SOCKSTAT_CLIENT_H
#define SOCKSTAT_CLIENT_H

#include <stdint.h>
#include <netlink/attr.h>
#include <linux/sockstat.h>

/* A connection to the sockstat family. */
struct client {
	struct nl_sock *sk;
	int family_id;
	int error;		/* errno of the last kernel error */
	char extack[512];	/* and the kernel's message for it */
};

/* Selectors of a GET request; zero means "any". */
struct get_req {
	uint64_t inode;
	uint16_t family;
	uint16_t type;
};

/*
 * A socket of a reply: its attributes indexed by SOCKSTAT_A_SOCK_* (the
 * last of each), and all of them in order (for the repeated OWNER).
 */
struct sock_msg {
	struct nlattr **tb;
	struct nlattr *head;
	int len;
};

typedef void (*sock_cb)(const struct sock_msg *m, void *arg);

/* 0; -ENOENT: the module is not loaded; other -errno. */
int client_open(struct client *c);
void client_close(struct client *c);

/* A dump (@dump) or a do; 0 or -errno (c->extack may say why). */
int client_get(struct client *c, const struct get_req *req, int dump,
	       sock_cb cb, void *arg);

#endif
