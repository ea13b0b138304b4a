// SPDX-License-Identifier: GPL-2.0
/*
 * sockstat-nl: list the sockets of this network namespace as the kernel
 * holds them (struct socket and struct sock), from the sockstat module.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "fields.h"
#include "names.h"

/* Exit codes, as documented in sockstat-nl(8). */
enum {
	EXIT_KERNEL = 1,	/* the kernel refused or found nothing */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_NO_MODULE = 3,	/* the sockstat module is not loaded */
	EXIT_PERM = 4,		/* permission denied */
};

static const char *prog = "sockstat-nl";

struct opts {
	int numeric;
	int no_header;
	int json;
	unsigned long rows;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTION]...          list sockets\n"
		"       %s [OPTION]... show INODE   one socket, by its inode number\n"
		"\n"
		"  -f, --family FAMILY  only this family: unix, inet, inet6, netlink,\n"
		"                       packet, ... or a number\n"
		"  -t, --type TYPE      only this type: stream, dgram, raw, seqpacket, rdm\n"
		"  -n, --numeric        numbers instead of names\n"
		"  -j, --json           JSON, one object per socket with every field\n"
		"  -H, --no-header      no header line\n"
		"  -h, --help           this help\n"
		"  -V, --version        versions of this program and of the loaded module\n"
		"\n"
		"Exit status: 0 ok, 1 the kernel refused or found nothing, 2 bad usage,\n"
		"3 the sockstat module is not loaded, 4 permission denied.\n",
		prog, prog);
}

static void name_or_number(char *buf, size_t len, const char *name,
			   unsigned int v, const struct opts *o)
{
	if (name && !o->numeric)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%u", v);
}

static void print_header(void)
{
	printf("%-10s %-8s %-9s %-9s %-16s %-12s %8s %8s\n", "INODE", "FAMILY",
	       "TYPE", "PROTO", "STATE", "SK-STATE", "RECV-Q", "SEND-Q");
}

static void print_row(const struct sock_msg *m, void *arg)
{
	struct nlattr **tb = m->tb;
	struct opts *o = arg;
	unsigned int fam = tb[SOCKSTAT_A_SOCK_FAMILY] ? nla_get_u16(tb[SOCKSTAT_A_SOCK_FAMILY]) : 0;
	unsigned int type = tb[SOCKSTAT_A_SOCK_TYPE] ? nla_get_u16(tb[SOCKSTAT_A_SOCK_TYPE]) : 0;
	unsigned int proto = tb[SOCKSTAT_A_SOCK_PROTOCOL] ? nla_get_u16(tb[SOCKSTAT_A_SOCK_PROTOCOL]) : 0;
	unsigned int ss = tb[SOCKSTAT_A_SOCK_SS_STATE] ? nla_get_u8(tb[SOCKSTAT_A_SOCK_SS_STATE]) : 0;
	unsigned int sk = tb[SOCKSTAT_A_SOCK_SK_STATE] ? nla_get_u8(tb[SOCKSTAT_A_SOCK_SK_STATE]) : 0;
	char f[16], t[16], p[16], s1[24], s2[24];

	if (!o->rows++ && !o->no_header)
		print_header();
	name_or_number(f, sizeof(f), family_name(fam), fam, o);
	name_or_number(t, sizeof(t), type_name(type), type, o);
	name_or_number(p, sizeof(p), protocol_name(fam, proto), proto, o);
	name_or_number(s1, sizeof(s1), ss_state_name(ss), ss, o);
	name_or_number(s2, sizeof(s2), sk_state_name(sk), sk, o);
	printf("%-10llu %-8s %-9s %-9s %-16s %-12s %8u %8u\n",
	       tb[SOCKSTAT_A_SOCK_INODE] ?
	       (unsigned long long)nla_get_u64(tb[SOCKSTAT_A_SOCK_INODE]) : 0ULL,
	       f, t, p, s1, s2,
	       tb[SOCKSTAT_A_SOCK_RECV_Q] ? nla_get_u32(tb[SOCKSTAT_A_SOCK_RECV_Q]) : 0,
	       tb[SOCKSTAT_A_SOCK_SEND_Q] ? nla_get_u32(tb[SOCKSTAT_A_SOCK_SEND_Q]) : 0);
}

/*
 * JSON: {"schema":1,"sockets":[...]}, written as the sockets arrive (a
 * dump is never held in memory), valid even with no socket.
 */
static void json_row(const struct sock_msg *m, void *arg)
{
	struct opts *o = arg;

	fputs(o->rows++ ? ",\n" : "\n", stdout);
	json_socket(stdout, m);
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
	if (c->extack[0])
		fprintf(stderr, "%s: %s: %s\n", prog, what, c->extack);
	else
		fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(-err));
	return err == -EPERM || err == -EACCES ? EXIT_PERM : EXIT_KERNEL;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "family", required_argument, NULL, 'f' },
		{ "type", required_argument, NULL, 't' },
		{ "numeric", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "no-header", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ }
	};
	struct get_req req = { 0 };
	struct opts o = { 0 };
	struct client c;
	char ver[64];
	int opt, err, v;

	while ((opt = getopt_long(argc, argv, "f:t:njHhV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			v = family_parse(optarg);
			if (v < 0) {
				fprintf(stderr, "%s: unknown family '%s'\n", prog, optarg);
				return EXIT_USAGE;
			}
			req.family = v;
			break;
		case 't':
			v = type_parse(optarg);
			if (v < 0) {
				fprintf(stderr, "%s: unknown socket type '%s'\n", prog, optarg);
				return EXIT_USAGE;
			}
			req.type = v;
			break;
		case 'n':
			o.numeric = 1;
			break;
		case 'j':
			o.json = 1;
			break;
		case 'H':
			o.no_header = 1;
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

	if (optind < argc) {
		char *end;

		if (strcmp(argv[optind], "show") || optind + 2 != argc) {
			usage(stderr);
			return EXIT_USAGE;
		}
		req.inode = strtoull(argv[optind + 1], &end, 10);
		if (!*argv[optind + 1] || *end || !req.inode) {
			fprintf(stderr, "%s: '%s' is not an inode number\n", prog, argv[optind + 1]);
			return EXIT_USAGE;
		}
	}

	err = client_open(&c);
	if (err == -ENOENT) {
		fprintf(stderr, "%s: the sockstat kernel module is not loaded (modprobe sockstat, or insmod sockstat.ko)\n", prog);
		return EXIT_NO_MODULE;
	}
	if (err) {
		fprintf(stderr, "%s: cannot talk to Generic Netlink: %s\n", prog, strerror(-err));
		return EXIT_KERNEL;
	}

	if (o.json) {
		printf("{\"schema\":%d,\"sockets\":[", SOCKSTAT_JSON_SCHEMA);
		err = client_get(&c, &req, !req.inode, json_row, &o);
		printf("%s]}\n", o.rows ? "\n" : "");
	} else {
		err = client_get(&c, &req, !req.inode, print_row, &o);
		if (!err && !o.rows && !o.no_header)
			print_header();
	}
	if (fflush(stdout) && !err)
		err = -errno;
	if (err)
		err = fail_kernel(&c, err, req.inode ? "show" : "dump");
	client_close(&c);
	return err;
}
