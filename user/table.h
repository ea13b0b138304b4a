/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SOCKSTAT_TABLE_H
#define SOCKSTAT_TABLE_H

#include "row.h"

/* The table view: one line per (socket, descriptor); see sockstat-nl(8). */
struct table {
	int numeric;		/* -n: numbers, no names */
	int no_header;		/* -H */
	int extended;		/* -e: every other field on a second line */
	int color;		/* a terminal, NO_COLOR unset */
	int local_width;	/* LOCAL's width, from the terminal's */
	const struct filter *filter;
	unsigned long sockets;	/* sockets printed */
};

/* Decide colour and widths for standard output. */
void table_init(struct table *t, const struct filter *f);
void table_header(struct table *t);
void table_row(struct table *t, const struct row *r);

/* The colour of a state name, or NULL: shared with "watch" and "show". */
const char *state_color(const struct table *t, unsigned int ss, int is_ss);
#define COLOR_OFF "\033[0m"

#endif
