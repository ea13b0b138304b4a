// SPDX-License-Identifier: GPL-2.0
/*
 * The table: USER COMMAND PID FD INODE FAMILY TYPE STATE SK-STATE RECV-Q
 * SEND-Q LOCAL PEER, one line per descriptor holding a socket (one line
 * with '?' owners when no process the caller may see holds it).  A socket
 * no descriptor reaches (-a) has one line, its COMMAND saying why in
 * brackets ("[accept]", "[time-wait]", ...), '-' where it has no owner,
 * inode or SS_* state.
 */
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/net.h>
#include <linux/sockstat.h>

#include "fields.h"
#include "fmt.h"
#include "lookups.h"
#include "names.h"
#include "table.h"

/* Widths of the columns before LOCAL, and the blanks between them. */
static const int widths[] = { 8, 15, 7, 4, 10, 7, 9, 16, 12, 6, 6 };
#define NCOLS	(int)(sizeof(widths) / sizeof(widths[0]))
#define MIN_LOCAL 21

void table_init(struct table *t, const struct filter *f)
{
	struct winsize ws;
	int fixed = 0, i;

	memset(t, 0, sizeof(*t));
	t->filter = f;
	/* Port names: keep /etc/services open across the rows. */
	setservent(1);
	t->color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	for (i = 0; i < NCOLS; i++)
		fixed += widths[i] + 1;
	t->local_width = MIN_LOCAL;
	/* LOCAL and PEER share what the terminal has left. */
	if (isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) &&
	    ws.ws_col > fixed + 2 * MIN_LOCAL)
		t->local_width = (ws.ws_col - fixed - 1) / 2;
}

const char *state_color(const struct table *t, unsigned int st, int is_ss)
{
	if (!t->color)
		return NULL;
	if (is_ss) {
		switch (st) {
		case SS_CONNECTED: return "\033[36m";
		case SS_CONNECTING: return "\033[33m";
		case SS_DISCONNECTING: return "\033[35m";
		}
		return NULL;
	}
	switch (st) {
	case 1: return "\033[36m";			/* ESTABLISHED */
	case 2: case 3: case 12: return "\033[33m";	/* SYN_* */
	case 10: return "\033[32m";			/* LISTEN */
	case 4: case 5: case 6: case 8: case 9: case 11:
		return "\033[35m";			/* closing */
	}
	return NULL;
}

/*
 * A row is built in memory and written with one fwrite(): printf("%-*s")
 * per cell, or even a stdio call per piece, costs more than the rest of
 * a row (each takes the stream's lock).  The longest row is two 512-byte
 * addresses and the short cells.
 */
struct line {
	char s[2048];
	size_t n;
};

static void put(struct line *l, const char *s, size_t n)
{
	if (n > sizeof(l->s) - l->n)
		n = sizeof(l->s) - l->n;
	memcpy(l->s + l->n, s, n);
	l->n += n;
}

/* @n blanks, with one memset: a row has some 60 of them. */
static void blanks(struct line *l, int n)
{
	if (n <= 0)
		return;
	if ((size_t)n > sizeof(l->s) - l->n)
		n = sizeof(l->s) - l->n;
	memset(l->s + l->n, ' ', n);
	l->n += n;
}

/* A left-aligned cell of @n bytes, coloured when @color is set, and a blank. */
static void cell(struct line *l, const char *s, size_t n, int width,
		 const char *color, int last)
{
	if (color)
		put(l, color, strlen(color));
	put(l, s, n);
	if (!last)
		blanks(l, width - (int)n);
	if (color)
		put(l, COLOR_OFF, strlen(COLOR_OFF));
	if (!last)
		blanks(l, 1);
}

static void cells(struct line *l, const char *s, int width, const char *color)
{
	cell(l, s, strlen(s), width, color, 0);
}

/* A right-aligned cell of @n bytes and a blank. */
static void rcell(struct line *l, const char *s, size_t n, int width)
{
	blanks(l, width - (int)n);
	put(l, s, n);
	blanks(l, 1);
}

/* A right-aligned number, formatted where it goes. */
static void rnum(struct line *l, unsigned long long v, int width)
{
	char num[24];

	rcell(l, num, fmt_u64_end(num, v) - num, width);
}

void table_header(struct table *t)
{
	if (t->no_header)
		return;
	if (t->color)
		fputs("\033[1m", stdout);
	printf("%-*s %-*s %*s %*s %-*s %-*s %-*s %-*s %-*s %*s %*s %-*s %s",
	       widths[0], "USER", widths[1], "COMMAND", widths[2], "PID",
	       widths[3], "FD", widths[4], "INODE", widths[5], "FAMILY",
	       widths[6], "TYPE", widths[7], "STATE", widths[8], "SK-STATE",
	       widths[9], "RECV-Q", widths[10], "SEND-Q", t->local_width, "LOCAL",
	       "PEER");
	if (t->color)
		fputs(COLOR_OFF, stdout);
	putchar('\n');
}

static void print_line(struct table *t, const struct row *r, const struct owner *o)
{
	const char *fam, *type, *ss, *sk, *user;
	char comm[80], num[24], nums[4][16];
	char local[512], peer[512];
	size_t ncomm;
	struct line l;

	l.n = 0;
	if (o && o->known) {
		user = t->numeric ? NULL : user_name_cached(o->uid);
		/* Cut to 63 bytes, as ever. */
		if (user)
			cell(&l, user, strnlen(user, 63), widths[0], NULL, 0);
		else
			cell(&l, num, fmt_u64_end(num, o->uid) - num, widths[0], NULL, 0);
		ncomm = escape_str(comm, sizeof(comm), o->comm, strlen(o->comm));
	} else if (r->nofd) {
		cell(&l, "-", 1, widths[0], NULL, 0);
		snprintf(comm, sizeof(comm), "[%s]", nofd_name(r->nofd) ?: "?");
		ncomm = strlen(comm);
	} else {
		cell(&l, "?", 1, widths[0], NULL, 0);
		strcpy(comm, "?");
		ncomm = 1;
	}
	cell(&l, comm, ncomm, widths[1], NULL, 0);
	if (o) {
		rcell(&l, num, strlen(fmt_int(num, o->pid)), widths[2]);
		rnum(&l, o->fd, widths[3]);
	} else {
		rcell(&l, r->nofd ? "-" : "?", 1, widths[2]);
		rcell(&l, r->nofd ? "-" : "?", 1, widths[3]);
	}
	if (r->inode)
		cell(&l, num, fmt_u64_end(num, r->inode) - num, widths[4], NULL, 0);
	else
		cell(&l, "-", 1, widths[4], NULL, 0);
	fam = name_or_number(family_name(r->family), r->family, t->numeric,
			     nums[0], sizeof(nums[0]));
	type = name_or_number(type_name(r->type), r->type, t->numeric,
			      nums[1], sizeof(nums[1]));
	ss = r->has_ss ? name_or_number(ss_state_name(r->ss_state), r->ss_state,
					t->numeric, nums[2], sizeof(nums[2])) : "-";
	sk = name_or_number(sk_state_name(r->sk_state), r->sk_state, t->numeric,
			    nums[3], sizeof(nums[3]));
	cells(&l, fam, widths[5], NULL);
	cells(&l, type, widths[6], NULL);
	cells(&l, ss, widths[7], r->has_ss ? state_color(t, r->ss_state, 1) : NULL);
	cells(&l, sk, widths[8], state_color(t, r->sk_state, 0));
	rnum(&l, r->recv_q, widths[9]);
	rnum(&l, r->send_q, widths[10]);
	row_end_str(local, sizeof(local), r, 0, t->numeric);
	row_end_str(peer, sizeof(peer), r, 1, t->numeric);
	cells(&l, local, t->local_width, NULL);
	cell(&l, peer, strlen(peer), 0, NULL, 1);
	put(&l, "\n", 1);
	fwrite(l.s, 1, l.n, stdout);
}

/* Attributes the table's columns already show. */
static int in_columns(int attr)
{
	switch (attr) {
	case SOCKSTAT_A_SOCK_INODE: case SOCKSTAT_A_SOCK_FAMILY:
	case SOCKSTAT_A_SOCK_TYPE: case SOCKSTAT_A_SOCK_SS_STATE:
	case SOCKSTAT_A_SOCK_SK_STATE: case SOCKSTAT_A_SOCK_RECV_Q:
	case SOCKSTAT_A_SOCK_SEND_Q: case SOCKSTAT_A_SOCK_OWNER:
		return 1;
	}
	return 0;
}

/* -e: every other field of the socket, as name=value, on one line. */
static void print_extended(const struct row *r)
{
	struct nlattr **tb = r->msg->tb, *sub[SOCKSTAT_A_TCP_MAX + 1];
	const struct field *fl;
	char buf[512];

	fputs("\t", stdout);
	for (fl = sock_fields; fl->name; fl++) {
		if (in_columns(fl->attr) || fl->kind == F_NEST || !tb[fl->attr])
			continue;
		field_text(buf, sizeof(buf), fl, tb[fl->attr]);
		printf(" %s=%s", fl->name, buf);
	}
	if (tb[SOCKSTAT_A_SOCK_TCP] &&
	    !parse_nest(sub, SOCKSTAT_A_TCP_MAX, tb[SOCKSTAT_A_SOCK_TCP])) {
		for (fl = tcp_fields; fl->name; fl++) {
			if (!sub[fl->attr])
				continue;
			field_text(buf, sizeof(buf), fl, sub[fl->attr]);
			printf(" tcp.%s=%s", fl->name, buf);
		}
	}
	putchar('\n');
}

void table_row(struct table *t, const struct row *r)
{
	unsigned int i, shown = 0;

	if (!t->sockets++)
		table_header(t);
	for (i = 0; i < r->nr_owners; i++) {
		if (!owner_match(&r->owners[i], t->filter))
			continue;
		print_line(t, r, &r->owners[i]);
		shown++;
	}
	if (!shown)
		print_line(t, r, NULL);
	if (t->extended && r->msg)
		print_extended(r);
}
