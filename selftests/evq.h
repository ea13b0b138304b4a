/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The events tests' subscriber (events_test, events_family_test,
 * events_loss_test): a raw generic netlink socket that subscribes
 * (SOCKSTAT_CMD_SUBSCRIBE) and reads SOCKSTAT_CMD_EVENT messages into an
 * array, and the comparison of one socket's events with a list.
 */
#ifndef SOCKSTAT_TEST_EVQ_H
#define SOCKSTAT_TEST_EVQ_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "nl.h"

#define MAX_EVENTS	4096

struct ev {
	uint8_t kind, old, new, how;
	int has_old, has_new, kern;
	uint64_t seq, ino, cookie, listener;
	uint16_t family, type, protocol;
	uint32_t netns;
	int has_task;
	uint32_t pid, tid, uid;
	char comm[17];
	uint64_t dropped, missed;
};

struct evq {
	struct ssnl nl;
	struct ev *e;
	int n;
	int enobufs;		/* recv() said ENOBUFS */
	uint64_t sub_seq;	/* the SUBSCRIBE reply's */
	uint32_t sub_netns;
	uint64_t sub_dropped, sub_missed;	/* the SUBSCRIBE reply's */
};

/* One SOCKSTAT_CMD_EVENT's (or SUBSCRIBE reply's) attributes into @e. */
void ev_parse(struct ev *e, struct nlattr *a, int rem);

double now_ms(void);

/*
 * Read events into q->e until @ms milliseconds pass without one, or 10
 * times that in all (sockets churning never go quiet); with @ack, until
 * the ack of a request (or its error) comes.  Returns the request's
 * error, 0 for its reply or ack, 1 when none came.
 */
int evq_read_until(struct evq *q, int ms, int ack);
int evq_read(struct evq *q, int ms);

/* SUBSCRIBE (with @netns if @has_netns); 0 or the kernel's -errno. */
int evq_subscribe(struct evq *q, int has_netns, uint32_t netns);

int evq_open(struct evq *q);
void evq_close(struct evq *q);

/* Events of socket @ino (or, with @cookie, of that struct sock), in order. */
int evq_of(const struct evq *q, uint64_t ino, uint64_t cookie, struct ev *out, int max);

uint64_t sock_cookie(int fd);

/* "sk 7>2 ss 1>2 ..." for a test's log. */
void ev_describe(const struct ev *e, int n, char *buf, size_t size);

/* A new network namespace with its loopback up. */
int netns_with_lo(void);

/*
 * How many of our probes are in the kernel's list of kprobes; -1 if
 * unreadable.  *ftrace_all: whether each of them is ftrace-based.
 */
int our_kprobes(int *ftrace_all);

/* Every expected event of one socket, in order, and nothing else. */
struct want {
	uint8_t kind, old, new;
	int states;	/* compare old and new */
};

int match(const struct ev *got, int n, const struct want *w, int nw);

/*
 * Take the events of @kind out of a socket's list: when a close() or a
 * shutdown() returns, against what the peer does on loopback meanwhile,
 * is the CPUs' business.  *before: how many events came before it (-1:
 * not exactly one).
 */
int strip_kind(struct ev *got, int n, int kind, int *before);
int strip_released(struct ev *got, int n, int *before);

/* Needs kselftest_harness.h. */
#define EXPECT_EVENTS(got, n, ...) do {						\
	static const struct want w_[] = { __VA_ARGS__ };			\
	char d_[1024];								\
										\
	ev_describe(got, n, d_, sizeof(d_));					\
	EXPECT_TRUE(match(got, n, w_, sizeof(w_) / sizeof(w_[0])))		\
		TH_LOG("got: %s", d_);						\
} while (0)

#define CREATED		{ SOCKSTAT_EVENT_KIND_CREATED, 0, 0, 0 }
#define RELEASED	{ SOCKSTAT_EVENT_KIND_RELEASED, 0, 0, 0 }
#define SHUTDOWN	{ SOCKSTAT_EVENT_KIND_SHUTDOWN, 0, 0, 0 }
#define SK(o, n)	{ SOCKSTAT_EVENT_KIND_SK_STATE, o, n, 1 }
#define SS(o, n)	{ SOCKSTAT_EVENT_KIND_SS_STATE, o, n, 1 }

#endif
