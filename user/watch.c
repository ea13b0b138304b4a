// SPDX-License-Identifier: GPL-2.0
/*
 * "watch": what changes, a line per change with a timestamp: sockets
 * created and closed, SS_* and sk_state transitions, shutdown(), queue
 * and address changes.
 *
 * Where the module has events (SOCKSTAT_CMD_SUBSCRIBE), sockets created,
 * their state changes and their release are printed as the kernel pushes
 * them, each with the time it happened: nothing is too short to be seen.
 * A dump every INTERVAL still finds what has no event (queues, addresses,
 * AF_UNIX's sk_state) and anything the events could not decide (see
 * event_decides()).  Where the module has none, or refuses this process,
 * (or with --poll) watch says so and only compares a dump with the one
 * before.
 *
 * The snapshot is what watch knows of each socket, in inode order (dumps
 * come in that order, so two compare in one merge pass).  An event
 * changes it only where it knows better: an event stamped before the
 * last dump began is already in that dump; one whose new state the
 * snapshot already has is a change that dump saw.
 */
#include <errno.h>
#include <inttypes.h>
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
	int sk_known;	/* sk_state known (a created event does not say it) */
	int ends_known;	/* local, peer, queues known (not for a created event) */
	char local[160], peer[160], who[96];
};

struct snaps {
	struct snap *v;
	size_t n, cap;
};

struct watch_ctx {
	struct snaps cur;	/* the dump being read */
	struct snaps old;	/* the snapshot */
	const struct filter *f;
	const struct table *t;
	struct row row;
	uint64_t dump_start_ns;	/* CLOCK_REALTIME when the last dump began */
	int seqs;		/* one namespace: its events' numbers are one sequence */
	uint64_t next_seq;	/* of the next event; 0: any */
	uint64_t lost_upto;	/* the last LOST's number: losses up to it are told */
	int dump_now;		/* events were lost: dump before waiting on */
	int err;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static struct snap *snap_new(struct snaps *s)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 256;
		struct snap *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		s->v = v;
		s->cap = cap;
	}
	memset(&s->v[s->n], 0, sizeof(s->v[0]));
	return &s->v[s->n++];
}

static void add(const struct sock_msg *m, void *arg)
{
	struct watch_ctx *w = arg;
	struct snap *s;
	unsigned int i;

	if (w->err || row_from_msg(&w->row, m) || !row_match(&w->row, w->f, 1))
		return;
	s = snap_new(&w->cur);
	if (!s) {
		w->err = -ENOMEM;
		return;
	}
	s->inode = w->row.inode;
	s->family = w->row.family;
	s->type = w->row.type;
	s->ss_state = w->row.ss_state;
	s->sk_state = w->row.sk_state;
	s->recv_q = w->row.recv_q;
	s->send_q = w->row.send_q;
	s->sk_known = s->ends_known = 1;
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

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* HH:MM:SS.mmm of @ns (CLOCK_REALTIME). */
static void stamp(char *buf, size_t len, uint64_t ns)
{
	time_t sec = (time_t)(ns / 1000000000ULL);
	struct tm tm;

	localtime_r(&sec, &tm);
	snprintf(buf, len, "%02d:%02d:%02d.%03u", tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (unsigned int)(ns % 1000000000ULL / 1000000));
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
	       s->sk_known ? NAME(sk_state_name, s->sk_state, d, t) : "-",
	       s->ends_known ? s->local : "-", s->ends_known ? s->peer : "-", s->who);
}

static void changed(const struct table *t, const char *ts, struct snap *o,
		    const struct snap *n)
{
	char a[16], b[16];

	if (o->ss_state != n->ss_state)
		printf("%s %-6s %-10llu %s -> %s\n", ts, "state", (unsigned long long)n->inode,
		       NAME(ss_state_name, o->ss_state, a, t),
		       NAME(ss_state_name, n->ss_state, b, t));
	/* What a created event did not say is learnt here, not printed. */
	if (o->sk_known && o->sk_state != n->sk_state)
		printf("%s %-6s %-10llu %s -> %s\n", ts, "state", (unsigned long long)n->inode,
		       NAME(sk_state_name, o->sk_state, a, t),
		       NAME(sk_state_name, n->sk_state, b, t));
	if (o->ends_known && (o->recv_q != n->recv_q || o->send_q != n->send_q))
		printf("%s %-6s %-10llu recv-q %u -> %u, send-q %u -> %u\n", ts, "queue",
		       (unsigned long long)n->inode, o->recv_q, n->recv_q, o->send_q, n->send_q);
	if (!o->ends_known || strcmp(o->local, n->local) || strcmp(o->peer, n->peer))
		printf("%s %-6s %-10llu %s %s -> %s %s\n", ts, "addr", (unsigned long long)n->inode,
		       o->ends_known ? o->local : "-", o->ends_known ? o->peer : "-",
		       n->local, n->peer);
}

/* Both arrays are in inode order: one merge pass. */
static void diff(const struct table *t, struct snaps *old, const struct snaps *cur)
{
	size_t i = 0, j = 0;
	char ts[32];

	stamp(ts, sizeof(ts), now_ns());
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

/* The snapshot's entry for @inode, or where it would go (*@found 0). */
static size_t snap_find(const struct snaps *s, uint64_t inode, int *found)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->v[mid].inode < inode)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < s->n && s->v[lo].inode == inode;
	return lo;
}

/*
 * May a created event put a socket in the snapshot?  Only if what it says
 * decides the filters: -P, --ss-state and --sk-state need what a later
 * dump says (such a socket comes in with that dump); -p and -C need the
 * task the event names; a socket the kernel made has no descriptor.
 */
static int event_decides(const struct event *e, const struct filter *f)
{
	const struct get_req *r = &f->req;

	if (e->kern || f->port >= 0 || r->ss_states || r->sk_states)
		return 0;
	if ((r->inode && e->inode != r->inode) || (r->family && e->family != r->family) ||
	    (r->type && e->type != r->type))
		return 0;
	if ((r->pid || f->comm) && !e->has_task)
		return 0;
	if (r->pid && e->pid != r->pid)
		return 0;
	if (f->comm && strcmp(e->comm, f->comm))
		return 0;
	return 1;
}

static int on_event(const struct event *e, void *arg)
{
	struct watch_ctx *w = arg;
	const struct table *t = w->t;
	char ts[32], a[16], b[16];
	struct snap *s;
	size_t i;
	int found;

	if (stop)
		return 1;
	if (e->kind == SOCKSTAT_EVENT_KIND_LOST) {
		stamp(ts, sizeof(ts), e->time_ns);
		printf("%s lost   the kernel's queue was full (%" PRIu64 " events dropped, %" PRIu64
		       " missed since it was loaded): what changed comes with the next dump\n",
		       ts, e->dropped, e->missed);
		/* Events numbered up to it that come after it were not lost. */
		w->lost_upto = e->seq;
		w->next_seq = 0;
		w->dump_now = 1;
		return 1;
	}
	if (w->seqs && w->next_seq && e->seq > w->next_seq && e->seq - 1 > w->lost_upto) {
		stamp(ts, sizeof(ts), e->time_ns);
		printf("%s lost   %" PRIu64 " events missing before event %" PRIu64 ": what changed comes with the next dump\n",
		       ts, e->seq - w->next_seq, e->seq);
		w->dump_now = 1;
	}
	if (w->seqs && e->seq >= w->next_seq)
		w->next_seq = e->seq + 1;
	/* Already in the last dump, or not a socket a descriptor can hold. */
	if (e->time_ns < w->dump_start_ns || !e->inode)
		return w->dump_now;
	stamp(ts, sizeof(ts), e->time_ns);
	i = snap_find(&w->old, e->inode, &found);
	s = found ? &w->old.v[i] : NULL;
	switch (e->kind) {
	case SOCKSTAT_EVENT_KIND_CREATED:
		if (s || !event_decides(e, w->f))
			break;
		s = snap_new(&w->old);
		if (!s) {
			w->err = -ENOMEM;
			return 1;
		}
		memmove(&w->old.v[i + 1], &w->old.v[i], (w->old.n - 1 - i) * sizeof(*s));
		s = &w->old.v[i];
		memset(s, 0, sizeof(*s));
		s->inode = e->inode;
		s->family = e->family;
		s->type = e->type;
		s->ss_state = e->has_new ? e->new : 0;
		if (e->has_task)
			snprintf(s->who, sizeof(s->who), "%s/%u", e->comm, e->pid);
		else
			strcpy(s->who, "?");
		describe(t, ts, "new", s);
		break;
	case SOCKSTAT_EVENT_KIND_SS_STATE:
		if (!s || !e->has_new || s->ss_state == e->new)
			break;
		printf("%s %-6s %-10" PRIu64 " %s -> %s\n", ts, "state", e->inode,
		       NAME(ss_state_name, e->has_old ? e->old : s->ss_state, a, t),
		       NAME(ss_state_name, e->new, b, t));
		s->ss_state = e->new;
		break;
	case SOCKSTAT_EVENT_KIND_SK_STATE:
		if (!s || !e->has_new || (s->sk_known && s->sk_state == e->new))
			break;
		printf("%s %-6s %-10" PRIu64 " %s -> %s\n", ts, "state", e->inode,
		       e->has_old ? NAME(sk_state_name, e->old, a, t) : "-",
		       NAME(sk_state_name, e->new, b, t));
		s->sk_state = e->new;
		s->sk_known = 1;
		break;
	case SOCKSTAT_EVENT_KIND_SHUTDOWN:
		if (s)
			printf("%s %-6s %-10" PRIu64 " %s\n", ts, "shut", e->inode,
			       e->how == 0 ? "SHUT_RD" : e->how == 1 ? "SHUT_WR" : "SHUT_RDWR");
		break;
	case SOCKSTAT_EVENT_KIND_RELEASED:
		if (!s)
			break;
		describe(t, ts, "close", s);
		memmove(s, s + 1, (w->old.n - i - 1) * sizeof(*s));
		w->old.n--;
		break;
	}
	fflush(stdout);
	return w->dump_now;
}

/* Dump into w->cur; 0 or -errno. */
static int dump(struct client *c, const struct get_req *req, struct watch_ctx *w)
{
	int err;

	w->cur.n = 0;
	w->err = 0;
	w->dump_start_ns = now_ns();
	err = client_get(c, req, 1, add, w);
	if (err == -EINTR)	/* owners changed mid-dump: the rows are still all there */
		err = 0;
	return err ? err : w->err;
}

/*
 * Subscribe @ev to the events of the namespace(s) @f dumps; 0, or why
 * not in @why (and the error).
 */
static int subscribe(struct client *ev, const struct filter *f, uint64_t *seq,
		     char *why, size_t len)
{
	int err = client_open(ev);

	if (err) {
		snprintf(why, len, "no events: %s", strerror(-err));
		return err;
	}
	err = client_subscribe(ev, f->req.has_netns, f->req.netns, seq, NULL);
	if (err) {
		snprintf(why, len, "no events: %s%s%s", ev->extack[0] ? ev->extack : "", ev->extack[0] ? ": " : "",
			 err == -EOPNOTSUPP ? "this module has no events" : strerror(-err));
		client_close(ev);
	}
	return err;
}

int watch_run(struct client *c, const struct filter *f, const struct table *t,
	      double interval, int poll_only)
{
	struct watch_ctx w = { .f = f, .t = t };
	struct get_req req = f->req;
	struct sigaction sa = { .sa_handler = on_signal };
	struct client ev;
	struct timespec ts;
	char now[32], why[600];
	uint64_t seq = 0;
	int err, events;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ts.tv_sec = (time_t)interval;
	ts.tv_nsec = (long)((interval - (double)ts.tv_sec) * 1e9);
	/* A change is told from the rows' fields: the details are not needed. */
	req.brief = 1;

	/* Subscribed before the first dump: no change falls between them. */
	if (poll_only)
		snprintf(why, sizeof(why), "--poll");
	events = !poll_only && !subscribe(&ev, f, &seq, why, sizeof(why));
	/* Only with one namespace are the numbers one sequence. */
	w.seqs = events && !f->req.has_netns;
	w.next_seq = w.seqs ? seq + 1 : 0;
	err = dump(c, &req, &w);
	if (err)
		goto out;
	stamp(now, sizeof(now), now_ns());
	if (events)
		printf("%s watching %zu sockets: the kernel's events as they happen, a dump every %g s for queues and addresses (Ctrl-C to stop)\n",
		       now, w.cur.n, interval);
	else
		printf("%s watching %zu sockets by polling, a dump every %g s (%s; Ctrl-C to stop)\n",
		       now, w.cur.n, interval, why);
	fflush(stdout);
	for (;;) {
		struct snaps tmp = w.old;

		w.old = w.cur;
		w.cur = tmp;
		if (stop)
			break;
		if (!events) {
			nanosleep(&ts, NULL);
		} else if (!w.dump_now) {
			err = client_events(&ev, on_event, &w, (int)(interval * 1000));
			if (err == -ENOBUFS) {
				stamp(now, sizeof(now), now_ns());
				printf("%s lost   events (our receive buffer was full): what changed comes with the next dump\n",
				       now);
				w.next_seq = 0;
			} else if (err < 0 && err != -EINTR) {
				break;
			}
			err = w.err;
			if (err)
				break;
		}
		w.dump_now = 0;
		if (stop)
			break;
		err = dump(c, &req, &w);
		if (err)
			break;
		diff(t, &w.old, &w.cur);
		fflush(stdout);
	}
out:
	if (events)
		client_close(&ev);
	free(w.old.v);
	free(w.cur.v);
	row_free(&w.row);
	return err;
}
