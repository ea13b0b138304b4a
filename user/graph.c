// SPDX-License-Identifier: GPL-2.0
/*
 * "graph": the kernel's objects behind the sockets as Graphviz DOT.  A
 * process is a cluster holding its descriptor table; a descriptor points
 * to a struct file, the file's private_data is the struct socket, its sk
 * the struct sock.  Peers are linked: AF_UNIX by the peer's inode, TCP and
 * UDP on this host by their addresses.  A listener's sock points to the
 * connections waiting in its accept queue (a struct sock with no file
 * yet), an AF_UNIX sock to the files in flight in its receive queue
 * (SCM_RIGHTS).  The order of everything is the order of pids, descriptor
 * numbers and inodes, so that two pictures of one scenario lay out alike.
 *
 * Every node and edge has an id and a comment "kind;key=value;..." with
 * the facts its label shows: user/lab/lab-graph-diff.awk compares two
 * pictures by them.  Layout is Graphviz's: -T runs its dot program.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/sockstat.h>

#include "fields.h"
#include "fmt.h"
#include "graph.h"
#include "lookups.h"
#include "names.h"

#define A(x) SOCKSTAT_A_SOCK_##x

/* One socket of the dump, kept until the whole picture is known. */
struct gsock {
	struct row r;		/* its owners our own copy; r.msg NULL */
	uint64_t cookie;
	int has_cookie, has_file, listener;
	unsigned int file_flags, accept_q, accept_max, syn_q, shutdown, err;
	int has_syn;
	unsigned long long file_refs;
	char ops[64], proto[32];
	char *tip_file, *tip_socket, *tip_sock;
	int keep;
};

struct gstate {
	struct gsock *s;
	size_t n, cap;
	int err;
};

/* A descriptor of a process: the table's row of one owner. */
struct gfd {
	const struct owner *o;
	const struct gsock *g;
};

/* "kfield: value" lines of the sections @sects, for a tooltip. */
static char *tooltip(const struct sock_msg *m, const char *sects, int tcp)
{
	struct nlattr *sub[SOCKSTAT_A_TCP_MAX + 1];
	const struct field *fl;
	struct sbuf b = { 0 };
	char buf[512];

	for (fl = sock_fields; fl->name; fl++) {
		if (!strchr(sects, fl->sect) || fl->kind == F_NEST || !m->tb[fl->attr])
			continue;
		field_value(buf, sizeof(buf), fl, m->tb[fl->attr]);
		sbuf_puts(&b, fl->kfield);
		sbuf_puts(&b, ": ");
		sbuf_puts(&b, buf);
		sbuf_putc(&b, '\n');
	}
	if (tcp && m->tb[A(TCP)] && !parse_nest(sub, SOCKSTAT_A_TCP_MAX, m->tb[A(TCP)])) {
		for (fl = tcp_fields; fl->name; fl++) {
			if (!sub[fl->attr])
				continue;
			field_text(buf, sizeof(buf), fl, sub[fl->attr]);
			sbuf_puts(&b, fl->kfield);
			sbuf_puts(&b, ": ");
			sbuf_puts(&b, buf);
			sbuf_putc(&b, '\n');
		}
	}
	sbuf_putc(&b, 0);
	if (b.err) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

static uint32_t u32_of(struct nlattr **tb, int a)
{
	return tb[a] ? nla_get_u32(tb[a]) : 0;
}

static void collect_cb(const struct sock_msg *m, void *arg)
{
	struct gstate *st = arg;
	struct nlattr **tb = m->tb;
	struct row tmp = { 0 };
	struct gsock *g;

	if (st->err)
		return;
	if (st->n == st->cap) {
		size_t cap = st->cap ? 2 * st->cap : 64;
		struct gsock *s = realloc(st->s, cap * sizeof(*s));

		if (!s) {
			st->err = -ENOMEM;
			return;
		}
		st->s = s;
		st->cap = cap;
	}
	st->err = row_from_msg(&tmp, m);
	if (st->err) {
		row_free(&tmp);
		return;
	}
	g = &st->s[st->n++];
	memset(g, 0, sizeof(*g));
	g->r = tmp;
	g->r.msg = NULL;
	g->r.cap = tmp.nr_owners;
	if (!tmp.nr_owners) {
		free(tmp.owners);
		g->r.owners = NULL;
	}
	g->has_cookie = !!tb[A(COOKIE)];
	g->cookie = g->has_cookie ? nla_get_u64(tb[A(COOKIE)]) : 0;
	g->has_file = !!tb[A(FILE_REFS)];
	g->file_refs = g->has_file ? nla_get_u64(tb[A(FILE_REFS)]) : 0;
	g->file_flags = u32_of(tb, A(FILE_FLAGS));
	g->listener = !!tb[A(ACCEPT_MAX)] && g->r.sk_state == 10;
	g->accept_q = u32_of(tb, A(ACCEPT_QUEUE));
	g->accept_max = u32_of(tb, A(ACCEPT_MAX));
	g->has_syn = !!tb[A(SYN_QUEUE)];
	g->syn_q = u32_of(tb, A(SYN_QUEUE));
	g->shutdown = tb[A(SHUTDOWN)] ? nla_get_u8(tb[A(SHUTDOWN)]) : 0;
	g->err = u32_of(tb, A(ERR));
	if (tb[A(OPS)])
		nla_strlcpy(g->ops, tb[A(OPS)], sizeof(g->ops));
	if (tb[A(PROTO)])
		nla_strlcpy(g->proto, tb[A(PROTO)], sizeof(g->proto));
	g->tip_file = tooltip(m, "fw", 0);
	g->tip_socket = tooltip(m, "s", 0);
	g->tip_sock = tooltip(m, "kan", 1);
	if (!g->tip_file || !g->tip_socket || !g->tip_sock)
		st->err = -ENOMEM;
}

static void gstate_free(struct gstate *st)
{
	size_t i;

	for (i = 0; i < st->n; i++) {
		free(st->s[i].r.owners);
		free(st->s[i].tip_file);
		free(st->s[i].tip_socket);
		free(st->s[i].tip_sock);
	}
	free(st->s);
}

static struct gsock *by_inode(struct gstate *st, uint64_t ino)
{
	size_t i;

	if (!ino)
		return NULL;
	for (i = 0; i < st->n; i++)
		if (st->s[i].r.inode == ino)
			return &st->s[i];
	return NULL;
}

/*
 * Which sockets to draw: those the filter selects, and the sockets no
 * descriptor reaches that wait in the queue of one drawn (with -p or -C,
 * those of other queues are left out: they have no process).
 */
static size_t choose(struct gstate *st, const struct filter *f)
{
	struct filter nofd = *f;
	int by_owner = f->req.pid || f->comm, changed = 1;
	size_t i, n = 0;

	nofd.req.pid = 0;
	nofd.comm = NULL;
	for (i = 0; i < st->n; i++)
		if (!st->s[i].r.nofd)
			st->s[i].keep = row_match(&st->s[i].r, f, 1);
	/* A socket in flight can hold others in flight: until nothing changes. */
	while (changed) {
		changed = 0;
		for (i = 0; i < st->n; i++) {
			struct gsock *g = &st->s[i], *h;
			int keep;

			if (!g->r.nofd || g->keep)
				continue;
			h = by_inode(st, g->r.holder_ino);
			keep = row_match(&g->r, &nofd, 1) && (!by_owner || (h && h->keep));
			if (keep) {
				g->keep = 1;
				changed = 1;
			}
		}
	}
	for (i = 0; i < st->n; i++)
		n += st->s[i].keep;
	return n;
}

/* Text in a DOT "..." string: quotes and backslashes escaped, \n kept. */
static void q(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		if (*s == '\n') {
			fputs("\\n", out);
			continue;
		}
		fputc(*s, out);
	}
}

/* Text in an HTML-like label. */
static void h(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(*s, out);
		}
	}
}

/* A value in a comment's facts: no separators in it. */
static void fact(FILE *out, const char *key, const char *v)
{
	fprintf(out, ";%s=", key);
	for (; *v; v++)
		fputc(*v == ';' || *v == '=' || *v == '"' || *v == '\\' || *v == ' ' ? '_' : *v, out);
}

static void sock_id(char *buf, size_t len, const struct gsock *g)
{
	if (g->has_cookie)
		snprintf(buf, len, "k%llu", (unsigned long long)g->cookie);
	else
		snprintf(buf, len, "ki%llu", (unsigned long long)g->r.inode);
}

static const char *state_str(char *buf, size_t len, const char *name, unsigned int v)
{
	if (name)
		return name;
	snprintf(buf, len, "%u", v);
	return buf;
}

static int fd_cmp(const void *a, const void *b)
{
	const struct gfd *x = a, *y = b;

	if (x->o->pid != y->o->pid)
		return x->o->pid < y->o->pid ? -1 : 1;
	if (x->o->fd != y->o->fd)
		return x->o->fd < y->o->fd ? -1 : 1;
	return 0;
}

/* Sockets by inode; those without one (accept queue) after their holder. */
static uint64_t order_key(const struct gsock *g)
{
	return g->r.inode ? g->r.inode : g->r.holder_ino;
}

static int sock_cmp(const void *a, const void *b)
{
	const struct gsock *x = a, *y = b;
	uint64_t kx = order_key(x), ky = order_key(y);

	if (kx != ky)
		return kx < ky ? -1 : 1;
	if (!!x->r.inode != !!y->r.inode)	/* the holder first */
		return x->r.inode ? -1 : 1;
	if (x->cookie != y->cookie)
		return x->cookie < y->cookie ? -1 : 1;
	return 0;
}

static void processes(FILE *out, struct gstate *st, const struct filter *f)
{
	struct gfd *fds = NULL;
	size_t n = 0, cap = 0, i, j;

	for (i = 0; i < st->n; i++) {
		const struct gsock *g = &st->s[i];

		if (!g->keep)
			continue;
		for (j = 0; j < g->r.nr_owners; j++) {
			if (!owner_match(&g->r.owners[j], f))
				continue;
			if (n == cap) {
				cap = cap ? 2 * cap : 32;
				fds = realloc(fds, cap * sizeof(*fds));
				if (!fds) {
					st->err = -ENOMEM;
					return;
				}
			}
			fds[n].o = &g->r.owners[j];
			fds[n++].g = g;
		}
	}
	qsort(fds, n, sizeof(*fds), fd_cmp);
	for (i = 0; i < n; i = j) {
		const struct owner *o = fds[i].o;
		const char *user = NULL;
		char comm[80];

		snprintf(comm, sizeof(comm), "%s", o->known ? o->comm : "(exited)");
		fprintf(out, "  subgraph \"cluster_p%d\" {\n", o->pid);
		fprintf(out, "    graph [id=\"cluster_p%d\" label=\"process %d\" labelloc=t tooltip=\"", o->pid, o->pid);
		if (o->known) {
			user = user_name_cached(o->uid);
			fprintf(out, "pid %d, uid %u", o->pid, o->uid);
			if (user) {
				fputs(" (", out);
				q(out, user);
				fputs(")", out);
			}
		}
		fprintf(out, "\" style=\"rounded,filled\" fillcolor=\"#eef3fb\" color=\"#7a93b8\" comment=\"process");
		fact(out, "comm", comm);
		fprintf(out, "\"]\n");
		fprintf(out, "    \"p%d\" [id=\"p%d\" shape=plain label=<<table border=\"0\" cellborder=\"1\" "
			"cellspacing=\"0\" cellpadding=\"3\" bgcolor=\"#ffffff\"><tr><td><b>", o->pid, o->pid);
		h(out, comm);
		fprintf(out, "</b></td></tr>");
		for (j = i; j < n && fds[j].o->pid == o->pid; j++)
			fprintf(out, "<tr><td port=\"fd%u\">fd %u%s</td></tr>", fds[j].o->fd, fds[j].o->fd,
				fds[j].o->cloexec ? " (cloexec)" : "");
		fprintf(out, "</table>> tooltip=\"files->fdt->fd[] of pid %d\"]\n  }\n", o->pid);
	}
	/* The descriptors' edges, in the same order. */
	for (i = 0; i < n; i++) {
		const struct owner *o = fds[i].o;
		char comm[80];

		snprintf(comm, sizeof(comm), "%s", o->known ? o->comm : "(exited)");
		fprintf(out, "  \"p%d\":\"fd%u\" -> \"f%llu\" [id=\"d%d_%u\" tooltip=\"fd %u of pid %d\" "
			"comment=\"fd", o->pid, o->fd, (unsigned long long)fds[i].g->r.inode, o->pid, o->fd,
			o->fd, o->pid);
		fact(out, "comm", comm);
		fprintf(out, ";fd=%u\"]\n", o->fd);
	}
	free(fds);
}

static void node(FILE *out, const char *id, const char *label, const char *tip,
		 const char *style, const char *facts)
{
	fprintf(out, "  \"%s\" [id=\"%s\" label=\"", id, id);
	q(out, label);
	fprintf(out, "\" tooltip=\"");
	q(out, tip && *tip ? tip : label);
	fprintf(out, "\" %s comment=\"%s\"]\n", style, facts);
}

/* The file, socket and sock nodes of one socket, and the edges between them. */
static void objects(FILE *out, const struct gsock *g, int numeric)
{
	const struct row *r = &g->r;
	char id[32], label[512], facts[512], a[16], b[16], fl[160], local[256], peer[256];
	const char *sk = state_str(a, sizeof(a), sk_state_name(r->sk_state), r->sk_state);
	int off;
	FILE *fm;
	char *mem;
	size_t len;

	if (g->has_file && r->inode) {
		file_flags_str(fl, sizeof(fl), g->file_flags);
		snprintf(label, sizeof(label), "struct file\n%s\nf_count %llu", fl, g->file_refs);
		snprintf(id, sizeof(id), "f%llu", (unsigned long long)r->inode);
		snprintf(facts, sizeof(facts), "file;f_flags=%s;f_count=%llu", fl, g->file_refs);
		node(out, id, label, g->tip_file, "shape=box style=\"rounded,filled\" fillcolor=\"#fff8e6\"", facts);
	}
	if (r->has_ss && r->inode) {
		const char *ss = state_str(b, sizeof(b), ss_state_name(r->ss_state), r->ss_state);
		const char *ty = type_name(r->type);

		snprintf(label, sizeof(label), "struct socket\nsocket:[%llu]\n%s\n%s %s",
			 (unsigned long long)r->inode, ss, ty ? ty : "?", g->ops[0] ? g->ops : "");
		snprintf(id, sizeof(id), "s%llu", (unsigned long long)r->inode);
		snprintf(facts, sizeof(facts), "socket;state=%s", ss);
		node(out, id, label, g->tip_socket, "shape=box style=\"rounded,filled\" fillcolor=\"#eaf6ea\"", facts);
	}

	/* The sock: what the lab talks about shown, the rest in the tooltip. */
	sock_id(id, sizeof(id), g);
	row_end_str(local, sizeof(local), r, 0, numeric);
	row_end_str(peer, sizeof(peer), r, 1, numeric);
	fm = open_memstream(&mem, &len);
	if (!fm)
		return;
	if (r->nofd == SOCKSTAT_NOFD_SYN_RECV)
		fprintf(fm, "struct request_sock %s\n", g->proto[0] ? g->proto : "TCP");
	else if (r->nofd == SOCKSTAT_NOFD_TIME_WAIT)
		fprintf(fm, "struct inet_timewait_sock\n");
	else
		fprintf(fm, "struct sock %s\n", g->proto);
	if (r->nofd == SOCKSTAT_NOFD_ACCEPT)
		fprintf(fm, "(accept queue: no file yet)\n");
	else if (r->nofd == SOCKSTAT_NOFD_ORPHAN)
		fprintf(fm, "(orphan: no file)\n");
	fprintf(fm, "%s\n", sk);
	if (r->family == AF_UNIX)
		fprintf(fm, "%s\n", local);
	else if ((r->ends == AF_INET || r->ends == AF_INET6) && r->pport)
		fprintf(fm, "%s -> %s\n", local, peer);
	else if (r->ends == AF_INET || r->ends == AF_INET6)
		fprintf(fm, "%s\n", local);
	fprintf(fm, "recv-q %u  send-q %u", r->recv_q, r->send_q);
	off = snprintf(facts, sizeof(facts), "sock;sk_state=%s;recv-q=%u;send-q=%u", sk, r->recv_q, r->send_q);
	if (g->listener) {
		fprintf(fm, "\naccept queue %u/%u", g->accept_q, g->accept_max);
		off += snprintf(facts + off, sizeof(facts) - off, ";accept-queue=%u/%u", g->accept_q, g->accept_max);
		if (g->has_syn) {
			fprintf(fm, "  SYN queue %u", g->syn_q);
			off += snprintf(facts + off, sizeof(facts) - off, ";syn-queue=%u", g->syn_q);
		}
	}
	if (g->shutdown) {
		fprintf(fm, "\nsk_shutdown %u", g->shutdown);
		off += snprintf(facts + off, sizeof(facts) - off, ";sk_shutdown=%u", g->shutdown);
	}
	if (g->err) {
		fprintf(fm, "\nsk_err %u", g->err);
		snprintf(facts + off, sizeof(facts) - off, ";sk_err=%u", g->err);
	}
	fclose(fm);
	node(out, id, mem, g->tip_sock,
	     r->nofd && r->nofd != SOCKSTAT_NOFD_IN_FLIGHT ?
	     "shape=box style=\"rounded,dashed,filled\" fillcolor=\"#f4f4f4\"" :
	     "shape=box style=\"rounded,filled\" fillcolor=\"#e8f0fe\"", facts);
	free(mem);

	if (g->has_file && r->inode && r->has_ss)
		fprintf(out, "  \"f%llu\" -> \"s%llu\" [id=\"e_f%llu\" tooltip=\"file->private_data\" comment=\"private_data\"]\n",
			(unsigned long long)r->inode, (unsigned long long)r->inode, (unsigned long long)r->inode);
	if (r->has_ss && r->inode)
		fprintf(out, "  \"s%llu\" -> \"%s\" [id=\"e_s%llu\" tooltip=\"socket->sk\" comment=\"sk\"]\n",
			(unsigned long long)r->inode, id, (unsigned long long)r->inode);
}

static int same_addr(const unsigned char *x, const unsigned char *y, unsigned int fam)
{
	return !memcmp(x, y, fam == AF_INET ? 4 : 16);
}

static int zero_addr(const unsigned char *x, unsigned int fam)
{
	static const unsigned char z[16];

	return same_addr(x, z, fam);
}

/* Does @b receive what @a sends (TCP: each the other's peer)? */
static int inet_peer(const struct gsock *a, const struct gsock *b, int *mutual)
{
	const struct row *x = &a->r, *y = &b->r;

	if ((x->ends != AF_INET && x->ends != AF_INET6) || y->ends != x->ends ||
	    x->protocol != y->protocol || !x->pport || x->pport != y->lport)
		return 0;
	*mutual = y->pport == x->lport && same_addr(y->paddr, x->laddr, x->ends);
	if (*mutual)
		return same_addr(x->paddr, y->laddr, x->ends);
	/* A datagram socket connected to an unconnected one (UDP). */
	return x->type == SOCK_DGRAM && !y->pport &&
	       (same_addr(x->paddr, y->laddr, x->ends) || zero_addr(y->laddr, x->ends));
}

static void peers(FILE *out, struct gstate *st)
{
	size_t i, j;
	char ia[32], ib[32];

	for (i = 0; i < st->n; i++) {
		const struct gsock *a = &st->s[i];

		if (!a->keep)
			continue;
		for (j = 0; j < st->n; j++) {
			const struct gsock *b = &st->s[j];
			int mutual = 0, linked = 0;

			if (i == j || !b->keep)
				continue;
			if (a->r.family == AF_UNIX && b->r.family == AF_UNIX) {
				linked = a->r.peer_ino && a->r.peer_ino == b->r.inode;
				/* An embryo has no inode: a peer inode of 0 is none. */
				mutual = linked && a->r.inode && b->r.peer_ino == a->r.inode;
			} else {
				linked = inet_peer(a, b, &mutual);
			}
			/* A pair each the other's peer: one edge, from the first. */
			if (!linked || (mutual && j < i))
				continue;
			sock_id(ia, sizeof(ia), a);
			sock_id(ib, sizeof(ib), b);
			/*
			 * Its id names the pair either way round: the edge
			 * stays the same one when the other end learns its
			 * peer (accept() of an AF_UNIX connection).
			 */
			fprintf(out, "  \"%s\" -> \"%s\" [id=\"peer_%s_%s\" label=\"peer\" dir=%s style=bold "
				"color=\"#2a6fdb\" fontcolor=\"#2a6fdb\" constraint=false tooltip=\"%s\" "
				"comment=\"peer;mutual=%s\"]\n",
				ia, ib, strcmp(ia, ib) < 0 ? ia : ib, strcmp(ia, ib) < 0 ? ib : ia,
				mutual ? "both" : "forward",
				a->r.family == AF_UNIX ? "unix_peer(sk)" : "the peer, by address and port",
				mutual ? "yes" : "no");
		}
	}
}

/* Queues: a listener's to its connections, an AF_UNIX socket's to files in flight. */
static void queues(FILE *out, struct gstate *st)
{
	size_t i;
	char hid[32], id[32];

	for (i = 0; i < st->n; i++) {
		const struct gsock *g = &st->s[i], *hd;

		if (!g->keep || !g->r.nofd || !g->r.holder_ino)
			continue;
		hd = by_inode(st, g->r.holder_ino);
		if (!hd || !hd->keep)
			continue;
		sock_id(hid, sizeof(hid), hd);
		sock_id(id, sizeof(id), g);
		switch (g->r.nofd) {
		case SOCKSTAT_NOFD_ACCEPT:
			fprintf(out, "  \"%s\" -> \"%s\" [id=\"acc_%s\" label=\"accept queue\" style=dashed "
				"tooltip=\"waits for accept()\" comment=\"accept-queue\"]\n", hid, id, id);
			break;
		case SOCKSTAT_NOFD_SYN_RECV:
			fprintf(out, "  \"%s\" -> \"%s\" [id=\"syn_%s\" label=\"SYN queue\" style=dotted "
				"tooltip=\"a connection request\" comment=\"syn-queue\"]\n", hid, id, id);
			break;
		case SOCKSTAT_NOFD_IN_FLIGHT:
			if (!g->has_file || !g->r.inode)
				break;
			fprintf(out, "  \"%s\" -> \"f%llu\" [id=\"fly_%llu\" label=\"in flight (SCM_RIGHTS)\" "
				"style=dashed color=\"#b05d00\" fontcolor=\"#b05d00\" "
				"tooltip=\"a message in the receive queue carries the file\" comment=\"in-flight\"]\n",
				hid, (unsigned long long)g->r.inode, (unsigned long long)g->r.inode);
			break;
		}
	}
}

static void write_dot(FILE *out, struct gstate *st, const struct filter *f)
{
	size_t i;

	fprintf(out, "digraph sockstat {\n"
		"  graph [rankdir=LR fontname=\"DejaVu Sans\" fontsize=10 nodesep=0.2 ranksep=0.45 "
		"tooltip=\"sockstat-nl graph\"]\n"
		"  node [fontname=\"DejaVu Sans\" fontsize=10]\n"
		"  edge [fontname=\"DejaVu Sans\" fontsize=9 color=\"#555555\"]\n");
	processes(out, st, f);
	for (i = 0; i < st->n; i++)
		if (st->s[i].keep)
			objects(out, &st->s[i], 1);
	peers(out, st);
	queues(out, st);
	fprintf(out, "}\n");
}

int graph_format_ok(const char *fmt)
{
	return !strcmp(fmt, "dot") || !strcmp(fmt, "svg") || !strcmp(fmt, "png");
}

/* Is Graphviz's dot on PATH? */
static int have_dot(void)
{
	const char *path = getenv("PATH");
	char buf[4096], *save, *d;

	snprintf(buf, sizeof(buf), "%s", path ? path : "/usr/bin:/bin");
	for (d = strtok_r(buf, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		char p[4200];

		snprintf(p, sizeof(p), "%s/dot", *d ? d : ".");
		if (!access(p, X_OK))
			return 1;
	}
	return 0;
}

/* The DOT through "dot -TFMT" to standard output. */
static int render(struct gstate *st, const struct filter *f, const char *fmt)
{
	char arg[16];
	int pfd[2], status;
	pid_t pid;
	FILE *out;

	snprintf(arg, sizeof(arg), "-T%s", fmt);
	fflush(stdout);
	if (pipe(pfd))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		close(pfd[1]);
		dup2(pfd[0], STDIN_FILENO);
		close(pfd[0]);
		execlp("dot", "dot", arg, (char *)NULL);
		fprintf(stderr, "sockstat-nl: graph: cannot run dot: %s\n", strerror(errno));
		_exit(127);
	}
	close(pfd[0]);
	out = fdopen(pfd[1], "w");
	if (!out) {
		close(pfd[1]);
		waitpid(pid, NULL, 0);
		return -ENOMEM;
	}
	write_dot(out, st, f);
	fclose(out);
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : GRAPH_DOT_FAILED;
}

int graph_run(struct client *c, const struct filter *f, const struct graph_opts *o)
{
	struct get_req req = f->req;
	struct gstate st = { 0 };
	size_t n;
	int err;

	if (o->format && strcmp(o->format, "dot") && !have_dot()) {
		fprintf(stderr, "sockstat-nl: graph -T %s needs Graphviz's dot program, which is not on PATH "
			"(apt-get install graphviz); without -T, graph writes DOT text\n", o->format);
		return GRAPH_NO_DOT;
	}
	/*
	 * Every detail (the tooltips have them all); the process filters
	 * applied here, so that the connections waiting in a drawn
	 * listener's queue and the files in flight to a drawn socket come
	 * too (the kernel gives those no process).
	 */
	req.brief = 0;
	req.pid = 0;
	req.nofd_kinds |= 1u << SOCKSTAT_NOFD_ACCEPT | 1u << SOCKSTAT_NOFD_IN_FLIGHT;
	err = client_get(c, &req, 1, collect_cb, &st);
	if (!err)
		err = st.err;
	if (err && err != -EINTR) {
		gstate_free(&st);
		return err;
	}
	if (st.n)
		qsort(st.s, st.n, sizeof(*st.s), sock_cmp);
	n = choose(&st, f);
	if (n > o->max) {
		fprintf(stderr, "sockstat-nl: graph: %zu sockets are more than one picture can show readably "
			"(at most %u); choose some with a filter: -p PID, -C COMMAND, -P PORT, -f FAMILY, "
			"-t TYPE, -l, -c (or raise the limit with --max N)\n", n, o->max);
		gstate_free(&st);
		return GRAPH_TOO_BIG;
	}
	if (o->format && strcmp(o->format, "dot"))
		err = render(&st, f, o->format);
	else
		write_dot(stdout, &st, f);
	if (!err)
		err = st.err;
	gstate_free(&st);
	return err == -EINTR ? 0 : err;
}
