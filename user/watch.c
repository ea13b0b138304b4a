// SPDX-License-Identifier: GPL-2.0
/*
 * "watch": dump every INTERVAL and print what changed since the last
 * dump, a line per event with a timestamp: sockets created and closed,
 * SS_* and sk_state transitions, queue changes.  Dumps come in inode
 * order, so two of them compare in one merge pass.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "names.h"
#include "table.h"
#include "watch.h"

/* What watch remembers of a socket between two dumps. */
struct snap {
	uint64_t inode;
	unsigned int family, type, ss_state, sk_state;
	uint32_t recv_q, send_q;
	char local[160], peer[160], who[96];
};

struct snaps {
	struct snap *v;
	size_t n, cap;
};

struct watch_ctx {
	struct snaps cur;
	const struct filter *f;
	const struct table *t;
	struct row row;
	int err;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void add(const struct sock_msg *m, void *arg)
{
	struct watch_ctx *w = arg;
	struct snap *s;
	unsigned int i;

	if (w->err || row_from_msg(&w->row, m) || !row_match(&w->row, w->f, 1))
		return;
	if (w->cur.n == w->cur.cap) {
		size_t cap = w->cur.cap ? 2 * w->cur.cap : 256;
		struct snap *v = realloc(w->cur.v, cap * sizeof(*v));

		if (!v) {
			w->err = -ENOMEM;
			return;
		}
		w->cur.v = v;
		w->cur.cap = cap;
	}
	s = &w->cur.v[w->cur.n++];
	memset(s, 0, sizeof(*s));
	s->inode = w->row.inode;
	s->family = w->row.family;
	s->type = w->row.type;
	s->ss_state = w->row.ss_state;
	s->sk_state = w->row.sk_state;
	s->recv_q = w->row.recv_q;
	s->send_q = w->row.send_q;
	row_end_str(s->local, sizeof(s->local), &w->row, 0, w->t->numeric);
	row_end_str(s->peer, sizeof(s->peer), &w->row, 1, w->t->numeric);
	for (i = 0; i < w->row.nr_owners; i++) {
		const struct owner *o = &w->row.owners[i];

		if (owner_match(o, w->f)) {
			snprintf(s->who, sizeof(s->who), "%s/%d", o->known ? o->comm : "?", o->pid);
			break;
		}
	}
	if (!s->who[0])
		strcpy(s->who, "?");
}

static void stamp(char *buf, size_t len)
{
	struct timeval tv;
	struct tm tm;

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	snprintf(buf, len, "%02d:%02d:%02d.%03ld", tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (long)tv.tv_usec / 1000);
}

/* A name, or the number with -n (@buf: 16 bytes). */
#define NAME(fn, v, buf, t) name_or_number(fn(v), v, (t)->numeric, buf, sizeof(buf))

static void describe(const struct table *t, const char *ts, const char *ev,
		     const struct snap *s)
{
	char a[16], b[16], c[16], d[16];

	printf("%s %-6s %-10llu %s %s %s %s %s -> %s %s\n", ts, ev,
	       (unsigned long long)s->inode,
	       NAME(family_name, s->family, a, t),
	       NAME(type_name, s->type, b, t),
	       NAME(ss_state_name, s->ss_state, c, t),
	       NAME(sk_state_name, s->sk_state, d, t),
	       s->local, s->peer, s->who);
}

static void changed(const struct table *t, const char *ts, const struct snap *o,
		    const struct snap *n)
{
	char a[16], b[16];

	if (o->ss_state != n->ss_state)
		printf("%s %-6s %-10llu %s -> %s\n", ts, "state", (unsigned long long)n->inode,
		       NAME(ss_state_name, o->ss_state, a, t),
		       NAME(ss_state_name, n->ss_state, b, t));
	if (o->sk_state != n->sk_state)
		printf("%s %-6s %-10llu %s -> %s\n", ts, "state", (unsigned long long)n->inode,
		       NAME(sk_state_name, o->sk_state, a, t),
		       NAME(sk_state_name, n->sk_state, b, t));
	if (o->recv_q != n->recv_q || o->send_q != n->send_q)
		printf("%s %-6s %-10llu recv-q %u -> %u, send-q %u -> %u\n", ts, "queue",
		       (unsigned long long)n->inode, o->recv_q, n->recv_q, o->send_q, n->send_q);
	if (strcmp(o->local, n->local) || strcmp(o->peer, n->peer))
		printf("%s %-6s %-10llu %s %s -> %s %s\n", ts, "addr", (unsigned long long)n->inode,
		       o->local, o->peer, n->local, n->peer);
}

/* Both arrays are in inode order: one merge pass. */
static void diff(const struct table *t, const struct snaps *old, const struct snaps *cur)
{
	size_t i = 0, j = 0;
	char ts[32];

	stamp(ts, sizeof(ts));
	while (i < old->n || j < cur->n) {
		if (j == cur->n || (i < old->n && old->v[i].inode < cur->v[j].inode)) {
			describe(t, ts, "close", &old->v[i++]);
		} else if (i == old->n || cur->v[j].inode < old->v[i].inode) {
			describe(t, ts, "new", &cur->v[j++]);
		} else {
			changed(t, ts, &old->v[i++], &cur->v[j++]);
		}
	}
}

int watch_run(struct client *c, const struct filter *f, const struct table *t,
	      double interval)
{
	struct watch_ctx w = { .f = f, .t = t };
	struct get_req req = f->req;
	struct snaps old = { 0 };
	struct sigaction sa = { .sa_handler = on_signal };
	struct timespec ts;
	char now[32];
	int err, first = 1;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ts.tv_sec = (time_t)interval;
	ts.tv_nsec = (long)((interval - (double)ts.tv_sec) * 1e9);
	/* A change is told from the rows' fields: the details are not needed. */
	req.brief = 1;

	while (!stop) {
		w.cur.n = 0;
		w.err = 0;
		err = client_get(c, &req, 1, add, &w);
		if (err == -EINTR)	/* owners changed mid-dump: the rows are still all there */
			err = 0;
		if (!err)
			err = w.err;
		if (err)
			break;
		if (first) {
			stamp(now, sizeof(now));
			printf("%s watching %zu sockets every %g s (Ctrl-C to stop)\n",
			       now, w.cur.n, interval);
			first = 0;
		} else {
			diff(t, &old, &w.cur);
		}
		fflush(stdout);
		{
			struct snaps tmp = old;

			old = w.cur;
			w.cur = tmp;
		}
		if (!stop)
			nanosleep(&ts, NULL);
	}
	free(old.v);
	free(w.cur.v);
	row_free(&w.row);
	return err;
}
