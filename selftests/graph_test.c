// SPDX-License-Identifier: GPL-2.0
/*
 * sockstat-nl graph against a zoo of sockets the test makes: its nodes
 * and edges are the dump's facts, no more and no fewer (owners, a file
 * shared after fork(), unix peers, TCP and UDP loopback peers, the
 * connections in accept queues, a socket in flight in an SCM_RIGHTS
 * message); the filters choose as the table's do; Graphviz's dot accepts
 * every graph; -T svg and -T png; the size limit, a missing dot and bad
 * usage each get their message.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/net.h>

#include "kselftest_harness.h"
#include "nl.h"
#include "run_cmd.h"

#define A(x) SOCKSTAT_A_SOCK_##x

static struct cmd_result res;

/* The graph's nodes and edges, as sockstat-nl writes them (one a line). */
#define MAXG 2048
struct graph {
	int nn, ne, nc;
	char node[MAXG][48];
	char label[MAXG][400];
	char efrom[MAXG][72], eto[MAXG][48], eid[MAXG][64];
	char cluster[64][40];
};

static struct graph g;

/* "text" at @p (just after the opening quote) into @out; the end. */
static const char *quoted(const char *p, char *out, size_t len)
{
	size_t n = 0;

	while (*p && *p != '"') {
		if (*p == '\\' && p[1])
			p++;
		if (n + 1 < len)
			out[n++] = *p;
		p++;
	}
	out[n] = 0;
	return *p ? p + 1 : p;
}

static void parse_graph(const char *text, struct graph *gr)
{
	const char *p = text;

	memset(gr, 0, sizeof(*gr));
	while (*p) {
		const char *e = strchrnul(p, '\n'), *l;
		char a[48], port[16] = "", b[48], line[8192];
		size_t len = e - p < (long)sizeof(line) - 1 ? (size_t)(e - p) : sizeof(line) - 1;

		memcpy(line, p, len);
		line[len] = 0;
		p = *e ? e + 1 : e;
		l = line;
		while (*l == ' ')
			l++;
		if (!strncmp(l, "subgraph \"", 10)) {
			if (gr->nc < 64)
				quoted(l + 10, gr->cluster[gr->nc++], sizeof(gr->cluster[0]));
			continue;
		}
		if (*l != '"')
			continue;
		l = quoted(l + 1, a, sizeof(a));
		if (*l == ':' && l[1] == '"') {
			l = quoted(l + 2, port, sizeof(port));
		}
		if (!strncmp(l, " -> \"", 5)) {
			const char *id;

			l = quoted(l + 5, b, sizeof(b));
			if (gr->ne >= MAXG)
				continue;
			snprintf(gr->efrom[gr->ne], sizeof(gr->efrom[0]), "%s%s%s", a, *port ? ":" : "", port);
			snprintf(gr->eto[gr->ne], sizeof(gr->eto[0]), "%s", b);
			id = strstr(l, " [id=\"");
			if (id)
				quoted(id + 6, gr->eid[gr->ne], sizeof(gr->eid[0]));
			gr->ne++;
		} else if (!strncmp(l, " [", 2) && gr->nn < MAXG) {
			const char *lab = strstr(l, " label=\"");

			snprintf(gr->node[gr->nn], sizeof(gr->node[0]), "%s", a);
			if (lab && lab[8] != '<')
				quoted(lab + 8, gr->label[gr->nn], sizeof(gr->label[0]));
			else if ((lab = strstr(l, " label=<")))
				snprintf(gr->label[gr->nn], sizeof(gr->label[0]), "%.399s", lab + 8);
			gr->nn++;
		}
	}
}

static int node_at(const struct graph *gr, const char *id)
{
	int i;

	for (i = 0; i < gr->nn; i++)
		if (!strcmp(gr->node[i], id))
			return i;
	return -1;
}

static int has_cluster(const struct graph *gr, const char *id)
{
	int i;

	for (i = 0; i < gr->nc; i++)
		if (!strcmp(gr->cluster[i], id))
			return 1;
	return 0;
}

/* The dump's sockets that this test's processes hold, and those they queue. */
#define MAXS 64
struct facts {
	int n;
	uint64_t self_ino;	/* the dump's own netlink socket, closed after it */
	struct ss_sock s[MAXS];
	pid_t pids[2];
};

static struct facts zoo;

static int ours(const struct ss_sock *x, const struct facts *f)
{
	int i, j;

	for (i = 0; i < x->nowners; i++)
		for (j = 0; j < 2; j++)
			if (f->pids[j] && x->owners[i].pid == (uint32_t)f->pids[j])
				return 1;
	return 0;
}

static int facts_cb(const struct ss_sock *x, void *arg)
{
	struct facts *f = arg;
	int i;

	if ((!x->present[A(NOFD)] && !ours(x, f)) || x->ino == f->self_ino)
		return 0;
	if (x->present[A(NOFD)]) {
		/* Queued on one of ours (the dump gives the holder first). */
		for (i = 0; i < f->n; i++)
			if (f->s[i].ino && f->s[i].ino == x->v[A(HOLDER_INODE)] &&
			    !f->s[i].present[A(NOFD)])
				break;
		if (i == f->n)
			return 0;
	}
	if (f->n < MAXS)
		f->s[f->n++] = *x;
	return 0;
}

static int dump_facts(struct facts *f)
{
	uint32_t kinds = 1u << SOCKSTAT_NOFD_ACCEPT | 1u << SOCKSTAT_NOFD_IN_FLIGHT;
	struct ssnl nl;
	struct ssnl_req r;
	int err;

	f->n = 0;
	if (ssnl_open(&nl))
		return -1;
	f->self_ino = ss_inode(nl.fd);
	ssnl_req_init(&r, SOCKSTAT_CMD_GET);
	ssnl_put(&r, A(NOFD_KINDS), &kinds, sizeof(kinds));
	err = ssnl_request(&nl, &r, NLM_F_DUMP, 1 << 16, facts_cb, f);
	ssnl_close(&nl);
	return err;
}

static const struct ss_sock *fact_by_ino(const struct facts *f, uint64_t ino)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (ino && f->s[i].ino == ino)
			return &f->s[i];
	return NULL;
}

static void kid(char *buf, size_t len, const struct ss_sock *x)
{
	snprintf(buf, len, "k%llu", (unsigned long long)x->v[A(COOKIE)]);
}

/* The edges the facts call for, "FROM TO" each. */
#define MAXE 256
struct want {
	int n;
	char e[MAXE][96];
	int matched[MAXE];
};

static void want_edge(struct want *w, const char *from, const char *to)
{
	if (w->n < MAXE)
		snprintf(w->e[w->n++], sizeof(w->e[0]), "%s %s", from, to);
}

/* A peer edge: either way round (sockstat-nl draws a mutual pair once). */
static void want_peer(struct want *w, const char *a, const char *b)
{
	if (w->n < MAXE)
		snprintf(w->e[w->n++], sizeof(w->e[0]), "peer %s %s", a, b);
}

static int is_our_node(const char *id, const struct facts *f)
{
	char buf[40];
	int i;

	for (i = 0; i < f->n; i++) {
		const struct ss_sock *x = &f->s[i];

		kid(buf, sizeof(buf), x);
		if (!strcmp(id, buf))
			return 1;
		if (x->ino && id[0] && (id[0] == 'f' || id[0] == 's') &&
		    strtoull(id + 1, NULL, 10) == x->ino)
			return 1;
	}
	for (i = 0; i < 2; i++) {
		snprintf(buf, sizeof(buf), "p%d", f->pids[i]);
		if (f->pids[i] && (!strcmp(id, buf) || (!strncmp(id, buf, strlen(buf)) &&
							 id[strlen(buf)] == ':')))
			return 1;
	}
	return 0;
}

/*
 * Every edge the facts call for is in @gr, and every edge of @gr between
 * our nodes is one they call for.  @pids: the processes drawn.
 */
static void expect_edges(struct __test_metadata *_metadata, const struct graph *gr,
			 struct want *w)
{
	int i, j;

	memset(w->matched, 0, sizeof(w->matched));
	for (i = 0; i < gr->ne; i++) {
		char fe[96], re[96];
		int found = 0;

		if (!is_our_node(gr->efrom[i], &zoo) && !is_our_node(gr->eto[i], &zoo))
			continue;
		snprintf(fe, sizeof(fe), "%s %s", gr->efrom[i], gr->eto[i]);
		for (j = 0; j < w->n && !found; j++) {
			if (w->matched[j])
				continue;
			if (!strncmp(w->e[j], "peer ", 5)) {
				snprintf(re, sizeof(re), "peer %s %s", gr->efrom[i], gr->eto[i]);
				if (!strcmp(re, w->e[j]) ||
				    (snprintf(re, sizeof(re), "peer %s %s", gr->eto[i], gr->efrom[i]),
				     !strcmp(re, w->e[j])))
					found = strncmp(gr->eid[i], "peer_", 5) == 0;
			} else {
				found = !strcmp(fe, w->e[j]);
			}
			if (found)
				w->matched[j] = 1;
		}
		EXPECT_TRUE(found) TH_LOG("an edge no fact calls for: %s (%s)", fe, gr->eid[i]);
	}
	/* (braces: the harness's EXPECT is more than one statement) */
	for (j = 0; j < w->n; j++) {
		EXPECT_TRUE(w->matched[j]) TH_LOG("no edge %s in the graph", w->e[j]);
	}
}

static int run_graph(const char *a1, const char *a2, const char *a3, const char *a4)
{
	char *argv[] = { "sockstat-nl", "graph", (char *)a1, (char *)a2, (char *)a3, (char *)a4, NULL };

	return run_cmd(&res, argv);
}

/* dot reads @text without a word: exit 0, nothing on stderr. */
static void expect_dot_accepts(struct __test_metadata *_metadata, const char *text)
{
	char path[] = "/tmp/graph-test-XXXXXX";
	int fd = mkstemp(path);
	static struct cmd_result d;
	char *argv[] = { "dot", "-Tsvg", "-o", "/dev/null", path, NULL };

	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)strlen(text), write(fd, text, strlen(text)));
	close(fd);
	ASSERT_EQ(0, run_cmd(&d, argv));
	EXPECT_EQ(0, d.status) TH_LOG("dot: %s", d.err);
	EXPECT_STREQ("", d.err);
	unlink(path);
}

static int have_dot(void)
{
	return !access("/usr/bin/dot", X_OK) || !access("/usr/local/bin/dot", X_OK);
}

static struct sockaddr_in lo(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static int port_of(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	return getsockname(fd, (struct sockaddr *)&a, &len) ? -1 : ntohs(a.sin_port);
}

static const struct ss_sock *fact_of(int fd)
{
	return fact_by_ino(&zoo, ss_inode(fd));
}

static const struct ss_sock *queued_on(int holder_fd)
{
	uint64_t ino = ss_inode(holder_fd);
	int i;

	for (i = 0; i < zoo.n; i++)
		if (zoo.s[i].present[A(NOFD)] && zoo.s[i].v[A(HOLDER_INODE)] == ino)
			return &zoo.s[i];
	return NULL;
}

FIXTURE(zoo) {
	int shared, l, c, a, c2, sp[2], ul, uc, us, ucl, d[2];
	pid_t child;
	char upath[108];
	uint64_t fly_ino;
};

FIXTURE_SETUP(zoo)
{
	struct sockaddr_in in;
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 }, x = 'x';
	struct iovec iov = { &x, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
	int ready[2], fly, i;
	char ch;

	if (!have_dot())
		SKIP(return, "Graphviz's dot is not installed (scripts/install-deps.sh)");
	/* Shared after fork(): one file, two processes. */
	self->shared = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, self->shared);
	ASSERT_EQ(0, pipe(ready));
	self->child = fork();
	ASSERT_LE(0, self->child);
	if (!self->child) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		prctl(PR_SET_NAME, "graph-child");
		close(ready[0]);
		write(ready[1], "x", 1);
		for (;;)
			pause();
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &ch, 1));
	close(ready[0]);

	/* TCP: a listener, a connection accepted, one waiting for accept(). */
	self->l = socket(AF_INET, SOCK_STREAM, 0);
	in = lo(0);
	ASSERT_EQ(0, bind(self->l, (struct sockaddr *)&in, sizeof(in)));
	ASSERT_EQ(0, listen(self->l, 4));
	in = lo(port_of(self->l));
	self->c = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_EQ(0, connect(self->c, (struct sockaddr *)&in, sizeof(in)));
	self->a = accept(self->l, NULL, NULL);
	ASSERT_LE(0, self->a);
	self->c2 = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_EQ(0, connect(self->c2, (struct sockaddr *)&in, sizeof(in)));

	/* AF_UNIX: a pair; a listener with a connection waiting (an embryo). */
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, self->sp));
	snprintf(self->upath, sizeof(self->upath), "/tmp/graph-test-%d", getpid());
	snprintf(un.sun_path, sizeof(un.sun_path), "%s", self->upath);
	unlink(self->upath);
	self->ul = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_EQ(0, bind(self->ul, (struct sockaddr *)&un, sizeof(un)));
	ASSERT_EQ(0, listen(self->ul, 2));
	self->uc = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_EQ(0, connect(self->uc, (struct sockaddr *)&un, sizeof(un)));

	/* UDP: a client connected to a server that is not. */
	self->us = socket(AF_INET, SOCK_DGRAM, 0);
	in = lo(0);
	ASSERT_EQ(0, bind(self->us, (struct sockaddr *)&in, sizeof(in)));
	in = lo(port_of(self->us));
	self->ucl = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_EQ(0, connect(self->ucl, (struct sockaddr *)&in, sizeof(in)));

	/* A socket in flight: sent over d[0], never received on d[1]. */
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, self->d));
	fly = socket(AF_INET6, SOCK_DGRAM, 0);
	ASSERT_LE(0, fly);
	self->fly_ino = ss_inode(fly);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fly, sizeof(fly));
	ASSERT_EQ(1, sendmsg(self->d[0], &m, 0));
	close(fly);

	zoo.pids[0] = getpid();
	zoo.pids[1] = self->child;
	/* The server's end of c2 exists once the handshake's last ACK is in. */
	for (i = 0; i < 40; i++) {
		ASSERT_EQ(0, dump_facts(&zoo));
		if (queued_on(self->l))
			break;
		usleep(50000);
	}
}

FIXTURE_TEARDOWN(zoo)
{
	if (self->child > 0) {
		kill(self->child, SIGKILL);
		waitpid(self->child, NULL, 0);
	}
	if (self->upath[0])
		unlink(self->upath);
}

static void expect_label_has(struct __test_metadata *_metadata, const char *id, const char *what)
{
	int i = node_at(&g, id);

	ASSERT_LE(0, i) TH_LOG("no node %s", id);
	EXPECT_NE(NULL, strstr(g.label[i], what)) TH_LOG("node %s: no \"%s\" in \"%s\"", id, what, g.label[i]);
}

/* The edges of every socket of the facts, with the processes of @pid_only (0: both). */
static void want_from_facts(struct want *w, pid_t pid_only, int in_flight)
{
	char a[40], b[40], c[40];
	int i, j, k;

	w->n = 0;
	for (i = 0; i < zoo.n; i++) {
		const struct ss_sock *x = &zoo.s[i], *h;

		if (x->present[A(NOFD)] && pid_only)
			continue;	/* its holder is not drawn */
		kid(c, sizeof(c), x);
		if (x->ino && x->present[A(FILE_REFS)]) {
			snprintf(a, sizeof(a), "f%llu", (unsigned long long)x->ino);
			snprintf(b, sizeof(b), "s%llu", (unsigned long long)x->ino);
			want_edge(w, a, b);
			want_edge(w, b, c);
		}
		for (j = 0; j < x->nowners; j++) {
			char from[48];

			if (pid_only && x->owners[j].pid != (uint32_t)pid_only)
				continue;
			if (x->owners[j].pid != (uint32_t)zoo.pids[0] && x->owners[j].pid != (uint32_t)zoo.pids[1])
				continue;
			snprintf(from, sizeof(from), "p%u:fd%u", x->owners[j].pid, x->owners[j].fd);
			snprintf(a, sizeof(a), "f%llu", (unsigned long long)x->ino);
			want_edge(w, from, a);
		}
		h = x->present[A(NOFD)] ? fact_by_ino(&zoo, x->v[A(HOLDER_INODE)]) : NULL;
		if (h) {
			kid(b, sizeof(b), h);
			if (x->v[A(NOFD)] == SOCKSTAT_NOFD_IN_FLIGHT && in_flight) {
				snprintf(a, sizeof(a), "f%llu", (unsigned long long)x->ino);
				want_edge(w, b, a);
			} else if (x->v[A(NOFD)] == SOCKSTAT_NOFD_ACCEPT) {
				want_edge(w, b, c);
			}
		}
		/* AF_UNIX peers, by the peer's inode: once a pair. */
		if (x->family == AF_UNIX && x->present[A(PEER_INODE)]) {
			const struct ss_sock *p = fact_by_ino(&zoo, x->v[A(PEER_INODE)]);

			for (k = 0; p && k < i; k++)
				if (&zoo.s[k] == p && p->present[A(PEER_INODE)] && p->v[A(PEER_INODE)] == x->ino)
					p = NULL;	/* drawn with the first of the two */
			if (p && !(pid_only && p->present[A(NOFD)])) {
				kid(b, sizeof(b), p);
				want_peer(w, c, b);
			}
		}
	}
}

static void want_inet_peer(struct want *w, const struct ss_sock *x, const struct ss_sock *y)
{
	char a[40], b[40];

	kid(a, sizeof(a), x);
	kid(b, sizeof(b), y);
	want_peer(w, a, b);
}

TEST_F_TIMEOUT(zoo, nodes_and_edges_are_the_dumps_facts, 300)
{
	const struct ss_sock *x, *q, *emb;
	char id[48], buf[64];
	struct want *w = calloc(1, sizeof(*w));
	int i, j, in_flight = !ss_not_reported("in-flight");

	ASSERT_NE(NULL, w);
	ASSERT_EQ(0, run_graph("--max", "500", NULL, NULL));
	ASSERT_EQ(0, res.status) TH_LOG("%s", res.err);
	parse_graph(res.out, &g);
	expect_dot_accepts(_metadata, res.out);
	if (getenv("GRAPH_TEST_SAVE")) {
		FILE *f = fopen(getenv("GRAPH_TEST_SAVE"), "w");

		if (f) {
			fputs(res.out, f);
			for (i = 0; i < zoo.n; i++)
				fprintf(f, "# fact ino %llu cookie %llu nofd %llu holder %llu owners %d fam %u\n",
					(unsigned long long)zoo.s[i].ino, (unsigned long long)zoo.s[i].v[A(COOKIE)],
					(unsigned long long)zoo.s[i].v[A(NOFD)],
					(unsigned long long)zoo.s[i].v[A(HOLDER_INODE)], zoo.s[i].nowners, zoo.s[i].family);
			fclose(f);
		}
	}

	/* A cluster and a descriptor table per process, with its command. */
	for (i = 0; i < 2; i++) {
		snprintf(id, sizeof(id), "cluster_p%d", zoo.pids[i]);
		EXPECT_TRUE(has_cluster(&g, id)) TH_LOG("no %s", id);
		snprintf(id, sizeof(id), "p%d", zoo.pids[i]);
		expect_label_has(_metadata, id, i ? "graph-child" : "graph_test");
	}
	/* Each socket's objects, with the facts their labels show. */
	for (i = 0; i < zoo.n; i++) {
		x = &zoo.s[i];
		if (x->present[A(NOFD)] && x->v[A(NOFD)] == SOCKSTAT_NOFD_IN_FLIGHT && !in_flight)
			continue;
		ASSERT_TRUE(x->present[A(COOKIE)]);
		if (x->ino && x->present[A(FILE_REFS)]) {
			snprintf(id, sizeof(id), "f%llu", (unsigned long long)x->ino);
			snprintf(buf, sizeof(buf), "f_count %llu", (unsigned long long)x->v[A(FILE_REFS)]);
			expect_label_has(_metadata, id, buf);
			snprintf(id, sizeof(id), "s%llu", (unsigned long long)x->ino);
			snprintf(buf, sizeof(buf), "socket:[%llu]", (unsigned long long)x->ino);
			expect_label_has(_metadata, id, buf);
		}
		kid(id, sizeof(id), x);
		if (x->present[A(NOFD)])
			expect_label_has(_metadata, id, x->v[A(NOFD)] == SOCKSTAT_NOFD_ACCEPT ?
					 "accept queue: no file yet" : "struct sock");
		snprintf(buf, sizeof(buf), "recv-q %u  send-q %u", x->recv_q, x->send_q);
		expect_label_has(_metadata, id, buf);
	}

	/* The shared file: one node, two descriptors, f_count 2. */
	x = fact_of(self->shared);
	ASSERT_NE(NULL, x);
	EXPECT_EQ(2, x->nowners);
	EXPECT_EQ(2, x->v[A(FILE_REFS)]);
	/* The queues: the TCP and the AF_UNIX connection waiting, the file in flight. */
	q = queued_on(self->l);
	ASSERT_NE(NULL, q) TH_LOG("no TCP connection in the accept queue");
	EXPECT_EQ(SOCKSTAT_NOFD_ACCEPT, q->v[A(NOFD)]);
	emb = queued_on(self->ul);
	ASSERT_NE(NULL, emb) TH_LOG("no AF_UNIX embryo in the accept queue");
	if (in_flight) {
		x = queued_on(self->d[1]);
		ASSERT_NE(NULL, x) TH_LOG("no socket in flight");
		EXPECT_EQ(self->fly_ino, x->ino);
	}

	want_from_facts(w, 0, in_flight);
	/* TCP and UDP peers by address, as the dump has them. */
	want_inet_peer(w, fact_of(self->c), fact_of(self->a));
	want_inet_peer(w, fact_of(self->c2), q);
	want_inet_peer(w, fact_of(self->ucl), fact_of(self->us));
	EXPECT_EQ(0, memcmp(fact_of(self->c)->local_addr, fact_of(self->a)->peer_addr, 4));
	EXPECT_EQ(fact_of(self->c)->v[A(LOCAL_PORT)], fact_of(self->a)->v[A(PEER_PORT)]);
	EXPECT_EQ(fact_of(self->c2)->v[A(LOCAL_PORT)], q->v[A(PEER_PORT)]);
	EXPECT_EQ(fact_of(self->us)->v[A(LOCAL_PORT)], fact_of(self->ucl)->v[A(PEER_PORT)]);
	expect_edges(_metadata, &g, w);

	/* No node for a socket of ours twice. */
	for (i = 0; i < g.nn; i++) {
		for (j = i + 1; j < g.nn; j++) {
			EXPECT_STRNE(g.node[i], g.node[j]);
		}
	}
	free(w);
}

TEST_F_TIMEOUT(zoo, filters_choose_as_the_tables_do, 300)
{
	struct want *w = calloc(1, sizeof(*w));
	char pid[16], id[48];
	int i, queue = 0;

	ASSERT_NE(NULL, w);
	/* -p CHILD: the child's descriptors only; the shared file still drawn. */
	snprintf(pid, sizeof(pid), "%d", self->child);
	ASSERT_EQ(0, run_graph("-p", pid, NULL, NULL));
	ASSERT_EQ(0, res.status) TH_LOG("%s", res.err);
	parse_graph(res.out, &g);
	expect_dot_accepts(_metadata, res.out);
	snprintf(id, sizeof(id), "cluster_p%d", getpid());
	EXPECT_FALSE(has_cluster(&g, id));
	snprintf(id, sizeof(id), "cluster_p%d", self->child);
	EXPECT_TRUE(has_cluster(&g, id));
	EXPECT_EQ(1, g.nc);
	snprintf(id, sizeof(id), "f%llu", (unsigned long long)ss_inode(self->shared));
	EXPECT_LE(0, node_at(&g, id));
	snprintf(id, sizeof(id), "f%llu", (unsigned long long)ss_inode(self->l));
	EXPECT_GT(0, node_at(&g, id)) TH_LOG("the listener is not the child's");
	/* The child inherited only what was open at fork(): its edges are the facts'. */
	{
		struct facts all = zoo;
		int k = 0;

		for (i = 0; i < all.n; i++) {
			const struct ss_sock *x = &all.s[i];
			int j, mine = 0;

			for (j = 0; j < x->nowners; j++)
				mine |= x->owners[j].pid == (uint32_t)self->child;
			if (mine)
				zoo.s[k++] = *x;
		}
		zoo.n = k;
		want_from_facts(w, self->child, 0);
		expect_edges(_metadata, &g, w);
		zoo = all;
	}

	/* -f unix -p PARENT: the parent's AF_UNIX sockets, with their queues. */
	snprintf(pid, sizeof(pid), "%d", getpid());
	ASSERT_EQ(0, run_graph("-f", "unix", "-p", pid));
	ASSERT_EQ(0, res.status) TH_LOG("%s", res.err);
	parse_graph(res.out, &g);
	expect_dot_accepts(_metadata, res.out);
	snprintf(id, sizeof(id), "f%llu", (unsigned long long)ss_inode(self->sp[0]));
	EXPECT_LE(0, node_at(&g, id));
	snprintf(id, sizeof(id), "f%llu", (unsigned long long)ss_inode(self->c));
	EXPECT_GT(0, node_at(&g, id)) TH_LOG("a TCP socket in -f unix");
	snprintf(id, sizeof(id), "f%llu", (unsigned long long)ss_inode(self->shared));
	EXPECT_GT(0, node_at(&g, id)) TH_LOG("a UDP socket in -f unix");
	for (i = 0; i < g.ne; i++)
		queue |= !strncmp(g.eid[i], "acc_", 4);
	EXPECT_TRUE(queue) TH_LOG("the AF_UNIX listener's waiting connection is missing");
	for (i = 0; i < g.nn; i++) {
		EXPECT_EQ(NULL, strstr(g.label[i], "TCP")) TH_LOG("%s: %s", g.node[i], g.label[i]);
	}
	free(w);
}

TEST_F_TIMEOUT(zoo, rendering_limits_and_errors, 300)
{
	char pid[16], prog[PATH_MAX];
	char *nodot[] = { "env", "PATH=/nonexistent", prog, "graph", "-T", "svg", NULL };
	char *notgraph[] = { "sockstat-nl", "-T", "svg", NULL };
	char *badfmt[] = { "sockstat-nl", "graph", "-T", "gif", NULL };
	char *json[] = { "sockstat-nl", "graph", "-j", NULL };

	snprintf(pid, sizeof(pid), "%d", getpid());
	ASSERT_EQ(0, run_graph("-T", "svg", "-p", pid));
	EXPECT_EQ(0, res.status) TH_LOG("%s", res.err);
	EXPECT_NE(NULL, strstr(res.out, "<svg"));
	EXPECT_NE(NULL, strstr(res.out, "graph_test"));
	ASSERT_EQ(0, run_graph("-T", "png", "-p", pid));
	EXPECT_EQ(0, res.status) TH_LOG("%s", res.err);
	EXPECT_EQ(0, memcmp(res.out, "\x89PNG\r\n\x1a\n", 8));

	/* Past the limit: no picture, a filter suggested. */
	ASSERT_EQ(0, run_graph("--max", "3", "-p", pid));
	EXPECT_EQ(1, res.status);
	EXPECT_STREQ("", res.out);
	EXPECT_NE(NULL, strstr(res.err, "choose some with a filter")) TH_LOG("%s", res.err);

	ASSERT_NE(NULL, realpath("build/bin/sockstat-nl", prog));
	ASSERT_EQ(0, run_cmd(&res, nodot));
	EXPECT_EQ(2, res.status);
	EXPECT_NE(NULL, strstr(res.err, "apt-get install graphviz")) TH_LOG("%s", res.err);
	ASSERT_EQ(0, run_cmd(&res, notgraph));
	EXPECT_EQ(2, res.status);
	EXPECT_NE(NULL, strstr(res.err, "go with graph")) TH_LOG("%s", res.err);
	ASSERT_EQ(0, run_cmd(&res, badfmt));
	EXPECT_EQ(2, res.status);
	EXPECT_NE(NULL, strstr(res.err, "unknown graph format")) TH_LOG("%s", res.err);
	ASSERT_EQ(0, run_cmd(&res, json));
	EXPECT_EQ(2, res.status);
}

TEST_HARNESS_MAIN
