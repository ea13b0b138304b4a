// SPDX-License-Identifier: GPL-2.0
/*
 * "monitor": the events the module pushes (SOCKSTAT_CMD_SUBSCRIBE), one
 * line each as they come, like "ip monitor": sockets created, SS_* and
 * sk_state changes, shutdown() and release, with the task that caused
 * them.  Nothing is lost without a word: a gap in the numbers, the
 * kernel's LOST event or ENOBUFS from our own socket prints a line saying
 * so, and the sockets that exist then are printed from a dump ("sync"),
 * so that what follows can be read against them.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fields.h"
#include "fmt.h"
#include "monitor.h"
#include "names.h"

/*
 * Each network namespace numbers its own events: with -N all they
 * interleave, so the numbers are followed per namespace (the first
 * MON_NETNS seen; the others' gaps are told by LOST only).
 */
#define MON_NETNS	64

struct mon_seq {
	uint32_t netns;
	uint64_t next_seq;	/* the number the next event should have; 0: any */
	uint64_t covered;	/* numbers up to this were announced by a LOST */
};

struct mon {
	struct client *c;
	const struct filter *f;
	int json, numeric;
	struct mon_seq seqs[MON_NETNS];
	int nseqs;
	int gone;		/* the module went away (found when re-reading) */
	unsigned long printed;
	struct row row;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static const char *kind_word(unsigned int kind)
{
	switch (kind) {
	case SOCKSTAT_EVENT_KIND_CREATED: return "created";
	case SOCKSTAT_EVENT_KIND_SS_STATE: return "ss-state";
	case SOCKSTAT_EVENT_KIND_SK_STATE: return "sk-state";
	case SOCKSTAT_EVENT_KIND_SHUTDOWN: return "shutdown";
	case SOCKSTAT_EVENT_KIND_RELEASED: return "released";
	case SOCKSTAT_EVENT_KIND_LOST: return "lost";
	}
	return "unknown";
}

static const char *how_word(const struct event *e)
{
	static const char *const shut[] = { "SHUT_RD", "SHUT_WR", "SHUT_RDWR" };

	if (e->kind == SOCKSTAT_EVENT_KIND_SHUTDOWN)
		return e->how < 3 ? shut[e->how] : "?";
	if (e->kind == SOCKSTAT_EVENT_KIND_CREATED)
		return e->how == SOCKSTAT_CREATED_ACCEPT ? "accept" :
		       e->kern ? "kernel" : "socket";
	return NULL;
}

/* The kernel's selectors and ours, applied to what an event says. */
static int event_match(const struct event *e, const struct filter *f)
{
	const struct get_req *r = &f->req;

	if (e->kind == SOCKSTAT_EVENT_KIND_LOST)
		return 1;
	if ((r->inode && e->inode != r->inode) || (r->family && e->family != r->family) ||
	    (r->type && e->type != r->type))
		return 0;
	if (r->pid && (!e->has_task || e->pid != r->pid))
		return 0;
	if (f->comm && (!e->has_task || strcmp(e->comm, f->comm)))
		return 0;
	return 1;
}

static void state_str(char *buf, size_t len, const struct event *e, unsigned int v, int numeric)
{
	char nb[16];
	const char *n = e->kind == SOCKSTAT_EVENT_KIND_SS_STATE || e->kind == SOCKSTAT_EVENT_KIND_CREATED ?
			ss_state_name(v) : sk_state_name(v);

	snprintf(buf, len, "%s", name_or_number(n, v, numeric, nb, sizeof(nb)));
}

static void print_time(uint64_t ns)
{
	time_t t = ns / 1000000000;
	struct tm tm;
	char b[32];

	localtime_r(&t, &tm);
	strftime(b, sizeof(b), "%H:%M:%S", &tm);
	printf("%s.%06u", b, (unsigned int)(ns % 1000000000 / 1000));
}

static void print_text(const struct mon *m, const struct event *e)
{
	char nb[16], tb[16], pb[16], o[32], n[32];
	const char *how = how_word(e);

	print_time(e->time_ns);
	printf(" %-8s", kind_word(e->kind));
	if (e->kind == SOCKSTAT_EVENT_KIND_LOST) {
		printf(" dropped %" PRIu64 " missed %" PRIu64 "\n", e->dropped, e->missed);
		return;
	}
	printf(" %-10" PRIu64 " %-7s %-6s %-5s", e->inode,
	       name_or_number(family_name(e->family), e->family, m->numeric, nb, sizeof(nb)),
	       e->inode ? name_or_number(type_name(e->type), e->type, m->numeric, tb, sizeof(tb)) : "-",
	       name_or_number(protocol_name(e->family, e->protocol), e->protocol, m->numeric,
			      pb, sizeof(pb)));
	if (e->has_old && e->has_new) {
		state_str(o, sizeof(o), e, e->old, m->numeric);
		state_str(n, sizeof(n), e, e->new, m->numeric);
		printf(" %s -> %s", o, n);
	} else if (e->has_new) {
		state_str(n, sizeof(n), e, e->new, m->numeric);
		printf(" %s", n);
	}
	if (how)
		printf(" %s", how);
	if (e->listener)
		printf(" from %" PRIu64, e->listener);
	if (!e->inode)
		printf(" cookie:%" PRIu64, e->cookie);
	if (e->has_task)
		printf(" pid %u (%s)", e->pid, e->comm);
	printf("\n");
}

static void print_json_string(const char *s)
{
	struct sbuf b = { 0 };

	json_string(&b, "", s, strlen(s));
	if (!b.err)
		fwrite(b.p, 1, b.n, stdout);
	free(b.p);
}

static void print_json(const struct event *e)
{
	const char *how = how_word(e);
	const char *name;

	printf("{\"time_ns\":%" PRIu64 ",\"seq\":%" PRIu64 ",\"event\":\"%s\",\"netns\":%u",
	       e->time_ns, e->seq, kind_word(e->kind), e->netns);
	if (e->kind == SOCKSTAT_EVENT_KIND_LOST) {
		printf(",\"dropped\":%" PRIu64 ",\"missed\":%" PRIu64 "}\n", e->dropped, e->missed);
		return;
	}
	printf(",\"inode\":%" PRIu64 ",\"cookie\":%" PRIu64 ",\"family\":%u", e->inode, e->cookie,
	       e->family);
	if (e->inode)
		printf(",\"type\":%u", e->type);
	printf(",\"protocol\":%u", e->protocol);
	if (e->has_old)
		printf(",\"old\":%u", e->old);
	if (e->has_new)
		printf(",\"new\":%u", e->new);
	if (e->has_new && e->kind != SOCKSTAT_EVENT_KIND_SK_STATE &&
	    (name = ss_state_name(e->new)))
		printf(",\"new_name\":\"%s\"", name);
	else if (e->has_new && (name = sk_state_name(e->new)))
		printf(",\"new_name\":\"%s\"", name);
	if (how)
		printf(",\"how\":\"%s\"", how);
	if (e->kern)
		printf(",\"kernel\":true");
	if (e->listener)
		printf(",\"listener_inode\":%" PRIu64, e->listener);
	if (e->has_task) {
		printf(",\"task\":{\"pid\":%u,", e->pid);
		if (e->tid)
			printf("\"tid\":%u,", e->tid);
		printf("\"uid\":%u,\"comm\":", e->uid);
		print_json_string(e->comm);
		printf("}");
	}
	printf("}\n");
}

/* After a loss: the sockets as they are now, from a dump on another socket. */
static void sync_cb(const struct sock_msg *sm, void *arg)
{
	struct mon *m = arg;
	char nb[16], tb[16], sb[32], kb[32];

	if (row_from_msg(&m->row, sm) || !row_match(&m->row, m->f, 1))
		return;
	if (m->json) {
		printf("{\"event\":\"sync\",\"inode\":%" PRIu64 ",\"family\":%u,\"type\":%u,"
		       "\"ss_state\":%u,\"sk_state\":%u}\n", m->row.inode, m->row.family,
		       m->row.type, m->row.ss_state, m->row.sk_state);
		return;
	}
	printf("                sync     %-10" PRIu64 " %-7s %-6s %s %s\n", m->row.inode,
	       name_or_number(family_name(m->row.family), m->row.family, m->numeric, nb, sizeof(nb)),
	       name_or_number(type_name(m->row.type), m->row.type, m->numeric, tb, sizeof(tb)),
	       name_or_number(ss_state_name(m->row.ss_state), m->row.ss_state, m->numeric,
			      sb, sizeof(sb)),
	       name_or_number(sk_state_name(m->row.sk_state), m->row.sk_state, m->numeric,
			      kb, sizeof(kb)));
}

static void resync(struct mon *m, const char *why)
{
	struct client d;
	int err;

	if (m->json)
		printf("{\"event\":\"resync\",\"reason\":\"%s\"}\n", why);
	else
		printf("# events were lost (%s): the sockets now, then what follows\n", why);
	/*
	 * No family, or another one (the module reloaded): our subscription
	 * is gone.  The controller says so too, but that message may be the
	 * one a full receive buffer lost.
	 */
	err = client_open(&d);
	if (!err) {
		m->gone = d.family_id != m->c->family_id;
		if (!m->gone)
			client_get(&d, &m->f->req, 1, sync_cb, m);
		client_close(&d);
	} else if (err == -ENOENT) {
		m->gone = 1;
	}
	fflush(stdout);
}

/* The numbers of namespace @netns, or NULL past MON_NETNS of them. */
static struct mon_seq *mon_seq_of(struct mon *m, uint32_t netns)
{
	int i;

	for (i = 0; i < m->nseqs; i++) {
		if (m->seqs[i].netns == netns)
			return &m->seqs[i];
	}
	if (m->nseqs == MON_NETNS)
		return NULL;
	m->seqs[m->nseqs].netns = netns;
	return &m->seqs[m->nseqs++];
}

static int on_event(const struct event *e, void *arg)
{
	struct mon *m = arg;
	struct mon_seq *q;
	char why[64];

	if (stop)
		return 1;
	if (e->kind == SOCKSTAT_EVENT_KIND_LOST) {
		if (m->json)
			print_json(e);
		else
			print_text(m, e);
		resync(m, "the kernel dropped some");
		/*
		 * Its number is the last one given in its namespace when the
		 * loss was seen: a gap below it is the loss just announced
		 * (and re-read).  A LOST of every namespace (0) has no number:
		 * each namespace's next event starts its numbers again.
		 */
		if (!e->netns)
			m->nseqs = 0;
		else if ((q = mon_seq_of(m, e->netns)))
			q->covered = e->seq;
		return m->gone ? -ENOENT : 0;
	}
	q = mon_seq_of(m, e->netns);
	if (q && q->next_seq && e->seq > q->next_seq && e->seq - 1 > q->covered) {
		snprintf(why, sizeof(why), "%" PRIu64 " missing before %" PRIu64,
			 e->seq - q->next_seq, e->seq);
		resync(m, why);
		if (m->gone)
			return -ENOENT;
	}
	if (q)
		q->next_seq = e->seq + 1;
	if (!event_match(e, m->f))
		return 0;
	if (m->json)
		print_json(e);
	else
		print_text(m, e);
	m->printed++;
	fflush(stdout);
	return 0;
}

int monitor_run(struct client *c, const struct filter *f, int json, int numeric)
{
	struct mon m = { .c = c, .f = f, .json = json, .numeric = numeric };
	struct sigaction sa = { .sa_handler = on_signal };
	uint64_t seq = 0;
	uint32_t netns = 0;
	sigset_t block;
	int err;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* Delivered only while client_events() waits (see there). */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, NULL);
	err = client_subscribe(c, f->req.has_netns, f->req.netns, &seq, &netns);
	if (err)
		return err;
	/* The reply's number is of the namespace followed (all: of none). */
	if (netns) {
		m.seqs[0].netns = netns;
		m.seqs[0].next_seq = seq + 1;
		m.nseqs = 1;
	}
	if (!json)
		printf("# monitoring from event %" PRIu64 " on; Ctrl-C stops\n", seq + 1);
	fflush(stdout);
	while (!stop) {
		err = client_events(c, on_event, &m, -1);
		if (err == -ENOBUFS) {
			resync(&m, "our receive buffer was full");
			m.nseqs = 0;
			if (!m.gone)
				continue;
			err = -ENOENT;
		}
		if (err == -EINTR || err == 1)
			err = 0;
		break;
	}
	row_free(&m.row);
	return err;
}
