// SPDX-License-Identifier: GPL-2.0
/*
 * sockstat-nl: the sockets of this network namespace as the kernel holds
 * them (struct socket and struct sock), from the sockstat module.
 * Documentation/man/sockstat-nl.8.rst is its manual.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "fields.h"
#include "graph.h"
#include "metrics.h"
#include "names.h"
#include "procsrc.h"
#include "row.h"
#include "show.h"
#include "table.h"
#include "monitor.h"
#include "watch.h"

/* Exit codes, as documented in sockstat-nl(8). */
enum {
	EXIT_KERNEL = 1,	/* the kernel refused or found nothing */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_NO_MODULE = 3,	/* the sockstat module is not loaded */
	EXIT_PERM = 4,		/* permission denied */
};

static const char *prog = "sockstat-nl";

enum mode { M_TABLE, M_JSON, M_SUMMARY, M_SHOW, M_WATCH, M_MONITOR, M_METRICS, M_GRAPH };

struct opts {
	enum mode mode;
	int json;
	int show;		/* "show INODE" or "show cookie:N" */
	uint64_t show_cookie;	/* "show cookie:N" */
	int lazy_open;		/* JSON: open the document with the first socket */
	int proc;
	double interval;
	int poll;		/* watch: dumps only, no events (--poll) */
	const char *output;	/* metrics: the file to replace (-o) */
	struct filter filter;
	struct graph_opts graph;
	struct table table;
	struct row row;
	unsigned long rows;
	int err;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTION]...              list sockets, one line per descriptor\n"
		"       %s [OPTION]... show INODE   one socket in depth, field by kernel field\n"
		"       %s [OPTION]... show cookie:N  the same, by socket cookie (any socket)\n"
		"       %s [OPTION]... watch        print changes between two looks (dumps)\n"
		"       %s [OPTION]... monitor      print the kernel's events as they happen\n"
		"       %s [OPTION]... graph        the kernel's objects as a Graphviz picture\n"
		"       %s [-o FILE] metrics        counts for node_exporter (OpenMetrics text)\n"
		"\n"
		"Output:\n"
		"  -e, --extended          every other field of each socket on a second line\n"
		"  -j, --json              JSON (schema %d), one object per socket\n"
		"  -s, --summary           counts by family, SS_* state and sk_state\n"
		"  -n, --numeric           numbers instead of names (users, ports, states)\n"
		"  -H, --no-header         no header line\n"
		"  -i, --interval SECONDS  watch: time between two dumps (default 1)\n"
		"      --poll              watch: compare dumps only, without the kernel's events\n"
		"  -T, --format FORMAT     graph: dot (the default: DOT text), svg or png\n"
		"                            (svg and png run Graphviz's dot)\n"
		"      --max N             graph: draw at most N sockets (default %d)\n"
		"  -o, --output FILE       metrics: replace FILE (atomically) instead of stdout\n"
		"  -a, --all               also the sockets no descriptor reaches: connections\n"
		"                            waiting for accept(), SYN_RECV requests, sockets\n"
		"                            in flight over AF_UNIX, orphans, TIME_WAIT\n"
		"      --nofd LIST         only these of them: accept, syn-recv, in-flight,\n"
		"                            orphan, time-wait (comma-separated)\n"
		"      --source SOURCE     netlink (default) or proc (/proc/net/sockstat_sockets)\n"
		"Filters (all must match; those marked * are applied by the kernel):\n"
		"  -f, --family FAMILY     * unix, inet, inet6, netlink, packet, ... or a number\n"
		"  -t, --type TYPE         * stream, dgram, raw, seqpacket, rdm or a number\n"
		"      --ss-state LIST     * socket->state: unconnected, connecting, connected,\n"
		"                            disconnecting, free (comma-separated)\n"
		"      --sk-state LIST     * sk->sk_state: established, syn-sent, listen, close, ...\n"
		"  -l, --listening         * sk_state LISTEN\n"
		"  -c, --connected         * sk_state ESTABLISHED\n"
		"  -p, --pid PID           * sockets a descriptor of process PID holds\n"
		"      --inode INODE       * the socket with this inode number\n"
		"  -N, --netns NS          * the network namespace with inode number NS\n"
		"                            (stat -L -c %%i /proc/PID/ns/net), or all;\n"
		"                            another than one's own needs CAP_NET_ADMIN\n"
		"  -C, --command NAME        sockets a process with this command name holds\n"
		"  -P, --port PORT           inet sockets with this local or peer port\n"
		"\n"
		"  -h, --help              this help\n"
		"  -V, --version           versions of this program and of the loaded module\n"
		"\n"
		"Exit status: 0 ok, 1 the kernel refused or found nothing, 2 bad usage,\n"
		"3 the sockstat module is not loaded, 4 permission denied.\n",
		prog, prog, prog, prog, prog, prog, prog, SOCKSTAT_JSON_SCHEMA, GRAPH_MAX_DEFAULT);
}

static int bad(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see %s --help)\n", prog);
	return EXIT_USAGE;
}

/* A comma-separated list of states into a mask; -1 on a bad name. */
static long state_mask(const char *list, int (*parse)(const char *), const char **badname)
{
	static char buf[256];
	char *save, *t;
	long mask = 0;

	snprintf(buf, sizeof(buf), "%s", list);
	for (t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		int v = parse(t);

		if (v < 0) {
			*badname = t;
			return -1;
		}
		mask |= 1L << v;
	}
	if (!mask)
		*badname = list;
	return mask ? mask : -1;
}

static int parse_number(const char *s, unsigned long long max, unsigned long long *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 10);
	return *s && !*end && !errno && *v >= 1 && *v <= max && s[0] != '-' ? 0 : -1;
}

static int module_version(char *buf, size_t len)
{
	FILE *f = fopen("/sys/module/sockstat/version", "r");
	int ok = f && fgets(buf, len, f);

	if (f)
		fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = 0;
	return ok;
}

static int fail_kernel(const struct client *c, int err, const char *what)
{
	/*
	 * The module's own ENOENT (show: no such socket) says why; without a
	 * message, it is generic netlink's answer for a family that went
	 * away since it was looked up: the module was unloaded.  So is
	 * EPROTONOSUPPORT, the netlink core's answer to a dump of a module
	 * on its way out (netlink_dump_start()'s try_module_get()).
	 */
	if ((err == -ENOENT || err == -EPROTONOSUPPORT) && !c->extack[0]) {
		fprintf(stderr, "%s: %s: the sockstat module was unloaded\n", prog, what);
		return EXIT_NO_MODULE;
	}
	if (c->extack[0])
		fprintf(stderr, "%s: %s: %s\n", prog, what, c->extack);
	else
		fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(-err));
	return err == -EPERM || err == -EACCES ? EXIT_PERM : EXIT_KERNEL;
}

static void table_cb(const struct sock_msg *m, void *arg)
{
	struct opts *o = arg;

	if (o->err)
		return;
	o->err = row_from_msg(&o->row, m);
	if (!o->err && row_match(&o->row, &o->filter, 1))
		table_row(&o->table, &o->row);
}

/*
 * JSON: {"schema":1,"sockets":[...]}, written as the sockets arrive (a
 * dump is never held in memory), valid even with no socket.
 */
static void json_cb(const struct sock_msg *m, void *arg)
{
	struct opts *o = arg;

	if (o->err)
		return;
	o->err = row_from_msg(&o->row, m);
	if (o->err || !row_match(&o->row, &o->filter, 1))
		return;
	if (!o->rows && o->lazy_open)
		printf("{\"schema\":%d,\"sockets\":[", SOCKSTAT_JSON_SCHEMA);
	fputs(o->rows++ ? ",\n" : "\n", stdout);
	o->err = json_socket(stdout, m);
}

static void show_cb(const struct sock_msg *m, void *arg)
{
	struct opts *o = arg;

	if (o->err)
		return;
	o->err = row_from_msg(&o->row, m);
	if (!o->err) {
		show_socket(&o->row);
		o->rows++;
	}
}

/* show: the one socket of a dump with the inode or cookie asked for. */
struct pick {
	struct opts *o;
	sock_cb cb;
	int found;
};

static void pick_cb(const struct sock_msg *m, void *arg)
{
	struct pick *p = arg;
	struct nlattr **tb = m->tb;
	uint64_t want = p->o->show_cookie;

	if (p->found)
		return;
	if (want ? !tb[SOCKSTAT_A_SOCK_COOKIE] || nla_get_u64(tb[SOCKSTAT_A_SOCK_COOKIE]) != want :
	    !tb[SOCKSTAT_A_SOCK_INODE] ||
	    nla_get_u64(tb[SOCKSTAT_A_SOCK_INODE]) != p->o->filter.req.inode)
		return;
	p->found = 1;
	p->cb(m, p->o);
}

/*
 * show: a do by inode finds a socket a descriptor holds; one in flight, or
 * any socket by cookie, is looked for in a dump that has them all.
 */
static int run_show(struct client *c, struct opts *o, sock_cb cb)
{
	struct get_req req = o->filter.req;
	struct pick p = { o, cb, 0 };
	char extack[sizeof(c->extack)] = "";
	int err;

	if (!o->show_cookie) {
		err = client_get(c, &req, 0, cb, o);
		if (err != -ENOENT)
			return err;
		/* The kernel's word on the inode, if the dump finds nothing either. */
		memcpy(extack, c->extack, sizeof(extack));
	}
	req.nofd_kinds = SOCKSTAT_NOFD_ALL;
	err = client_get(c, &req, 1, pick_cb, &p);
	if (err && err != -EINTR)
		return err;
	if (p.found)
		return 0;
	if (extack[0])
		memcpy(c->extack, extack, sizeof(extack));
	else
		snprintf(c->extack, sizeof(c->extack), "no socket with cookie %llu in this network namespace",
			 (unsigned long long)o->show_cookie);
	return -ENOENT;
}

struct summary_out {
	struct opts *o;
	unsigned long n;
};

static void summary_print(const struct summary_entry *e, void *arg)
{
	struct summary_out *s = arg;
	int numeric = s->o->table.numeric;
	char f[16], a[16], b[16], c[16];

	if (s->o->json) {
		printf("%s{\"family\":%u,", s->n++ ? ",\n" : "\n", e->family);
		if (e->has_ss)
			printf("\"ss_state\":%u,", e->ss_state);
		printf("\"sk_state\":%u,\"count\":%u", e->sk_state, e->count);
		if (e->nofd)
			printf(",\"nofd\":%u", e->nofd);
		putchar('}');
		return;
	}
	if (!s->n++ && !s->o->table.no_header)
		printf("%-10s %-16s %-14s %8s\n", "FAMILY", "STATE", "SK-STATE", "COUNT");
	printf("%-10s %-16s %-14s %8u",
	       name_or_number(family_name(e->family), e->family, numeric, f, sizeof(f)),
	       e->has_ss ? name_or_number(ss_state_name(e->ss_state), e->ss_state, numeric,
					  a, sizeof(a)) : "-",
	       name_or_number(sk_state_name(e->sk_state), e->sk_state, numeric, b, sizeof(b)),
	       e->count);
	/* Sockets no descriptor reaches: why, as the table's COMMAND says it. */
	if (e->nofd)
		printf("  [%s]", name_or_number(nofd_name(e->nofd), e->nofd, numeric, c, sizeof(c)));
	putchar('\n');
}

static int run_summary(struct client *c, struct opts *o)
{
	struct summary_out s = { o, 0 };
	unsigned int total;
	int err;

	if (o->json)
		printf("{\"schema\":%d,\"counts\":[", SOCKSTAT_JSON_SCHEMA);
	err = client_summary(c, &o->filter.req, summary_print, &s, &total);
	if (o->json)
		printf("%s],\"total\":%u}\n", s.n ? "\n" : "", err ? 0 : total);
	else if (!err)
		printf("%s%u sockets\n", s.n ? "\n" : "", total);
	return err;
}

/* The command line into @o; -1 to go on, or the exit status. */
static int parse_args(int argc, char **argv, struct opts *o)
{
	enum { O_SOURCE = 256, O_SS_STATE, O_SK_STATE, O_INODE, O_NOFD, O_MAX, O_POLL };
	static const struct option longopts[] = {
		{ "extended", no_argument, NULL, 'e' },
		{ "json", no_argument, NULL, 'j' },
		{ "summary", no_argument, NULL, 's' },
		{ "numeric", no_argument, NULL, 'n' },
		{ "no-header", no_argument, NULL, 'H' },
		{ "interval", required_argument, NULL, 'i' },
		{ "poll", no_argument, NULL, O_POLL },
		{ "format", required_argument, NULL, 'T' },
		{ "max", required_argument, NULL, O_MAX },
		{ "output", required_argument, NULL, 'o' },
		{ "all", no_argument, NULL, 'a' },
		{ "nofd", required_argument, NULL, O_NOFD },
		{ "source", required_argument, NULL, O_SOURCE },
		{ "family", required_argument, NULL, 'f' },
		{ "type", required_argument, NULL, 't' },
		{ "ss-state", required_argument, NULL, O_SS_STATE },
		{ "sk-state", required_argument, NULL, O_SK_STATE },
		{ "listening", no_argument, NULL, 'l' },
		{ "connected", no_argument, NULL, 'c' },
		{ "pid", required_argument, NULL, 'p' },
		{ "inode", required_argument, NULL, O_INODE },
		{ "netns", required_argument, NULL, 'N' },
		{ "command", required_argument, NULL, 'C' },
		{ "port", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ }
	};
	struct get_req *req = &o->filter.req;
	int opt, v, json = 0, summary = 0, graph_only = 0;
	unsigned long long n;
	uint32_t lc = 0;
	const char *badname;
	char ver[64], *end;
	long mask;

	while ((opt = getopt_long(argc, argv, "ejsnHi:o:T:af:t:lcp:N:C:P:hV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'e':
			o->table.extended = 1;
			break;
		case 'j':
			json = 1;
			break;
		case 's':
			summary = 1;
			break;
		case 'n':
			o->table.numeric = 1;
			break;
		case 'H':
			o->table.no_header = 1;
			break;
		case 'i':
			o->interval = strtod(optarg, &end);
			if (!*optarg || *end || !(o->interval >= 0.01 && o->interval <= 86400))
				return bad("bad interval '%s': seconds, 0.01 to 86400", optarg);
			break;
		case O_POLL:
			o->poll = 1;
			break;
		case 'o':
			if (!*optarg)
				return bad("%s: -o needs a file name", "-o");
			o->output = optarg;
			break;
		case 'T':
			if (!graph_format_ok(optarg))
				return bad("unknown graph format '%s': dot, svg or png", optarg);
			o->graph.format = optarg;
			graph_only = 1;
			break;
		case O_MAX:
			if (parse_number(optarg, 100000, &n))
				return bad("'%s' is not a number of sockets (1-100000)", optarg);
			o->graph.max = n;
			graph_only = 1;
			break;
		case 'a':
			req->nofd_kinds = SOCKSTAT_NOFD_ALL;
			break;
		case O_NOFD:
			mask = state_mask(optarg, nofd_parse, &badname);
			if (mask < 0)
				return bad("unknown kind '%s': accept, syn-recv, in-flight, orphan or time-wait", badname);
			req->nofd_kinds = mask;
			break;
		case O_SOURCE:
			if (!strcmp(optarg, "proc"))
				o->proc = 1;
			else if (strcmp(optarg, "netlink"))
				return bad("unknown source '%s': netlink or proc", optarg);
			break;
		case 'f':
			v = family_parse(optarg);
			if (v < 0)
				return bad("unknown family '%s'", optarg);
			req->family = v;
			break;
		case 't':
			v = type_parse(optarg);
			if (v < 0)
				return bad("unknown socket type '%s'", optarg);
			req->type = v;
			break;
		case O_SS_STATE:
			mask = state_mask(optarg, ss_state_parse, &badname);
			if (mask < 0)
				return bad("unknown SS_* state '%s'", badname);
			req->ss_states = mask;
			break;
		case O_SK_STATE:
			mask = state_mask(optarg, sk_state_parse, &badname);
			if (mask < 0)
				return bad("unknown sk_state '%s'", badname);
			req->sk_states = mask;
			break;
		case 'l':
			lc |= 1u << 10;		/* TCP_LISTEN */
			break;
		case 'c':
			lc |= 1u << 1;		/* TCP_ESTABLISHED */
			break;
		case 'p':
			if (parse_number(optarg, INT_MAX, &n))
				return bad("'%s' is not a process id", optarg);
			req->pid = n;
			break;
		case O_INODE:
			if (parse_number(optarg, UINT64_MAX, &n))
				return bad("'%s' is not an inode number", optarg);
			req->inode = n;
			break;
		case 'N':
			if (!strcmp(optarg, "all"))
				n = 0;
			else if (parse_number(optarg, UINT32_MAX, &n))
				return bad("'%s' is not a namespace inode number or all", optarg);
			req->has_netns = 1;
			req->netns = n;
			break;
		case 'C':
			if (!*optarg || strlen(optarg) > 15)
				return bad("bad command name '%s': 1 to 15 characters, as the kernel keeps it", optarg);
			o->filter.comm = optarg;
			break;
		case 'P':
			if (parse_number(optarg, 65535, &n))
				return bad("'%s' is not a port number (1-65535)", optarg);
			o->filter.port = n;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("%s %s\n", prog, SOCKSTAT_VERSION);
			if (module_version(ver, sizeof(ver)))
				printf("sockstat module %s\n", ver);
			else
				printf("sockstat module not loaded\n");
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (lc) {
		if (req->sk_states && !(req->sk_states & lc))
			return bad("%s: no sk_state is left to show", "--sk-state with -l/-c");
		req->sk_states = req->sk_states ? req->sk_states & lc : lc;
	}

	if (optind < argc) {
		if (!strcmp(argv[optind], "show")) {
			const char *what = optind + 2 == argc ? argv[optind + 1] : NULL;

			if (!what)
				return bad("%s: show takes one inode number or cookie:N", argv[optind]);
			if (!strncmp(what, "cookie:", 7)) {
				if (parse_number(what + 7, UINT64_MAX, &n))
					return bad("'%s' is not a socket cookie", what + 7);
				o->show_cookie = n;
			} else if (parse_number(what, UINT64_MAX, &n)) {
				return bad("'%s' is not an inode number", what);
			} else {
				req->inode = n;
			}
			o->mode = M_SHOW;
			o->show = 1;
		} else if (!strcmp(argv[optind], "metrics")) {
			if (optind + 1 != argc)
				return bad("unexpected '%s' after metrics", argv[optind + 1]);
			/* The counts are of every socket: no filter, no other output. */
			if (req->inode || req->family || req->type || req->ss_states ||
			    req->sk_states || req->pid || req->has_netns || req->nofd_kinds ||
			    o->filter.comm || o->filter.port >= 0 || summary || json ||
			    o->proc || o->table.extended || o->table.numeric || o->table.no_header)
				return bad("%s: metrics counts every socket of this network namespace; it takes -o only",
					   "metrics");
			o->mode = M_METRICS;
		} else if (!strcmp(argv[optind], "watch")) {
			if (optind + 1 != argc)
				return bad("unexpected '%s' after watch", argv[optind + 1]);
			o->mode = M_WATCH;
		} else if (!strcmp(argv[optind], "monitor")) {
			if (optind + 1 != argc)
				return bad("unexpected '%s' after monitor", argv[optind + 1]);
			o->mode = M_MONITOR;
		} else if (!strcmp(argv[optind], "graph")) {
			if (optind + 1 != argc)
				return bad("unexpected '%s' after graph", argv[optind + 1]);
			o->mode = M_GRAPH;
		} else {
			return bad("unknown command '%s': show, watch, monitor, metrics or graph", argv[optind]);
		}
	}
	if (o->poll && o->mode != M_WATCH)
		return bad("%s goes with watch only", "--poll");
	if (o->output && o->mode != M_METRICS)
		return bad("%s: -o goes with metrics only", "-o");
	if (graph_only && o->mode != M_GRAPH)
		return bad("%s: -T and --max go with graph", "graph");
	if (o->mode == M_GRAPH && (summary || json || o->table.extended || o->proc))
		return bad("%s: the picture goes with the filters only (not -s, -j, -e or --source proc)", "graph");
	if (summary) {
		if (o->mode != M_TABLE || o->table.extended || o->proc)
			return bad("%s: -s counts in the kernel; it does not go with show, watch, -e or --source proc", "-s");
		if (o->filter.comm || o->filter.port >= 0)
			return bad("%s: the kernel counts; -C and -P do not apply to -s", "-s");
		o->mode = M_SUMMARY;
	}
	if (o->mode == M_MONITOR) {
		if (summary || o->table.extended || o->proc || req->nofd_kinds || req->ss_states ||
		    req->sk_states || o->filter.port >= 0)
			return bad("%s: monitor filters by -f, -t, -p, -C, --inode and -N", "monitor");
		o->json = json;
		return -1;
	}
	if (json) {
		if (o->mode == M_WATCH || o->table.extended || o->proc)
			return bad("%s: JSON goes with the list, show and -s only (every field is in it)", "-j");
		o->json = 1;
		if (o->mode == M_TABLE || o->mode == M_SHOW)
			o->mode = M_JSON;
	}
	if (o->proc && (o->mode != M_TABLE || o->table.extended))
		return bad("%s: the /proc file has the table's columns only", "--source proc");
	/*
	 * The /proc file lists the reader's own network namespace and has no
	 * namespace column: -N cannot be applied to it (it used to be
	 * ignored, and -N all or another namespace showed this one's
	 * sockets; cli_test's proc_source_with_each_filter_... found it).
	 */
	if (o->proc && req->has_netns)
		return bad("%s: /proc/net/sockstat_sockets lists this network namespace only; -N needs netlink",
			   "--source proc");
	if (req->nofd_kinds && (o->proc || o->mode == M_WATCH))
		return bad("%s: sockets no descriptor reaches are in netlink dumps only (not watch or --source proc)",
			   "-a/--nofd");
	if (req->nofd_kinds && req->pid && o->mode != M_GRAPH)
		return bad("%s: sockets no descriptor reaches have no process; -p selects none of them",
			   "-a/--nofd");

	return -1;
}

/* --source proc: the table from the /proc file; the exit status. */
static int run_proc(struct opts *o)
{
	int err;

	err = proc_table(SOCKSTAT_PROC_PATH, &o->filter, &o->table);
	if (!err && !o->table.sockets)
		table_header(&o->table);
	if (fflush(stdout) && !err)
		err = -errno;
	row_free(&o->row);
	switch (err) {
	case 0:
		return 0;
	case -ENOENT:
		fprintf(stderr, "%s: %s is missing: the sockstat kernel module is not loaded (modprobe sockstat)\n",
			prog, SOCKSTAT_PROC_PATH);
		return EXIT_NO_MODULE;
	case -ENOTSUP:
		fprintf(stderr, "%s: %s lacks columns this program reads (a module older than %s?)\n",
			prog, SOCKSTAT_PROC_PATH, SOCKSTAT_VERSION);
		return EXIT_KERNEL;
	case -EBADMSG:
		fprintf(stderr, "%s: %s: a line this program cannot read\n", prog, SOCKSTAT_PROC_PATH);
		return EXIT_KERNEL;
	}
	fprintf(stderr, "%s: %s: %s\n", prog, SOCKSTAT_PROC_PATH, strerror(-err));
	return err == -EACCES || err == -EPERM ? EXIT_PERM : EXIT_KERNEL;
}

/*
 * A dump's text in 64 KiB writes rather than stdio's default of a block
 * (4 KiB to a pipe or /dev/null): the JSON of 100,000 sockets is some 78
 * MB, 19,000 write() calls.  A terminal stays line-buffered.  Before any
 * output, as setvbuf() requires.
 */
static void big_stdout(void)
{
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);
}

int main(int argc, char **argv)
{
	struct opts o = { .mode = M_TABLE, .interval = 1, .filter.port = -1,
			  .graph.max = GRAPH_MAX_DEFAULT };
	struct get_req *req = &o.filter.req;
	struct client c;
	int err;

	table_init(&o.table, &o.filter);
	err = parse_args(argc, argv, &o);
	if (err >= 0)
		return err;
	if (o.proc)
		return run_proc(&o);

	err = client_open(&c);
	if (err == -ENOENT) {
		fprintf(stderr, "%s: the sockstat kernel module is not loaded (modprobe sockstat, or insmod sockstat.ko)\n", prog);
		return EXIT_NO_MODULE;
	}
	if (err) {
		fprintf(stderr, "%s: cannot talk to Generic Netlink: %s\n", prog, strerror(-err));
		return EXIT_KERNEL;
	}

	switch (o.mode) {
	case M_METRICS: {
		const char *what;

		err = metrics_run(&c, o.output, &what);
		if (err && what && strcmp(what, "dump")) {
			fprintf(stderr, "%s: metrics: %s: %s\n", prog, what, strerror(-err));
			client_close(&c);
			return EXIT_KERNEL;
		}
		break;
	}
	case M_SUMMARY:
		err = run_summary(&c, &o);
		break;
	case M_WATCH:
		err = watch_run(&c, &o.filter, &o.table, o.interval, o.poll);
		break;
	case M_MONITOR:
		err = monitor_run(&c, &o.filter, o.json, o.table.numeric);
		break;
	case M_GRAPH:
		err = graph_run(&c, &o.filter, &o.graph);
		if (err > 0) {
			/* It said why: too many sockets, no dot, or dot failed. */
			client_close(&c);
			return err == GRAPH_NO_DOT ? EXIT_USAGE : EXIT_KERNEL;
		}
		break;
	case M_SHOW:
		err = run_show(&c, &o, show_cb);
		break;
	case M_JSON:
		big_stdout();
		/*
		 * show -j: the same document with the one socket (a do); it
		 * opens with the socket, so an error prints nothing.
		 */
		o.lazy_open = o.show;
		if (!o.show)
			printf("{\"schema\":%d,\"sockets\":[", SOCKSTAT_JSON_SCHEMA);
		err = o.show ? run_show(&c, &o, json_cb) : client_get(&c, req, 1, json_cb, &o);
		if (!o.show || o.rows)
			printf("%s]}\n", o.rows ? "\n" : "");
		break;
	case M_TABLE:
		big_stdout();
		/* Without -e a row needs none of the detail attributes. */
		req->brief = !o.table.extended;
		err = client_get(&c, req, 1, table_cb, &o);
		if ((!err || err == -EINTR) && !o.table.sockets)
			table_header(&o.table);
		break;
	}
	if (err == -EINTR) {
		fprintf(stderr, "%s: warning: owners changed while the kernel read them; a row's owners may be out of date\n", prog);
		err = 0;
	}
	if (!err)
		err = o.err;
	if (fflush(stdout) && !err)
		err = -errno;
	if (err)
		err = fail_kernel(&c, err, o.mode == M_SHOW ? "show" : o.mode == M_SUMMARY ? "summary" :
				  o.mode == M_WATCH ? "watch" : o.mode == M_MONITOR ? "monitor" :
				  o.mode == M_METRICS ? "metrics" : o.mode == M_GRAPH ? "graph" : "dump");
	row_free(&o.row);
	client_close(&c);
	return err;
}
