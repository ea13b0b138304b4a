/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SOCKSTAT_GRAPH_H
#define SOCKSTAT_GRAPH_H

#include "client.h"
#include "row.h"

/*
 * "graph": the sockets the filter selects as a Graphviz DOT graph of the
 * kernel's objects: processes and their descriptors, struct file, struct
 * socket, struct sock, and what links them (Documentation/sockstat-nl.rst).
 */
struct graph_opts {
	const char *format;	/* NULL: DOT; "svg", "png": through Graphviz's dot */
	unsigned int max;	/* more sockets than this: refuse, suggest a filter */
};

#define GRAPH_MAX_DEFAULT 60

/* Exit-status-like results besides 0 and -errno. */
#define GRAPH_TOO_BIG	1	/* message printed */
#define GRAPH_NO_DOT	2	/* message printed */
#define GRAPH_DOT_FAILED 3	/* dot's own message printed */

/* Is @fmt one graph -T takes? */
int graph_format_ok(const char *fmt);

/* 0, -errno from the kernel (c->extack may say why), or GRAPH_*. */
int graph_run(struct client *c, const struct filter *f, const struct graph_opts *g);

#endif
