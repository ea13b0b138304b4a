// SPDX-License-Identifier: GPL-2.0
/*
 * nlbench [-b] [-r RUNS] [-g GETS]: the sockstat netlink dump, measured from
 * below the CLI.  Raw netlink, no library: each run sends one
 * SOCKSTAT_CMD_GET dump request and reads the answer to its end, counting
 * messages (sockets) and bytes.  Then GETS (default 200) GET-do requests
 * by inode for the socket with the largest inode the last dump returned.
 * The dumps are timed twice: with every attribute ("dump"), then with
 * those of a table row only (SOCKSTAT_A_SOCK_DETAILS 0: "brief"); -b: the
 * brief ones only (a profile of them alone).  Prints,
 * for the run with the median time:
 *
 *	dump SOCKETS BYTES BYTES_PER_SOCKET MEDIAN_MS NS_PER_SOCKET SYS_MS
 *	brief SOCKETS BYTES BYTES_PER_SOCKET MEDIAN_MS NS_PER_SOCKET SYS_MS
 *	get INODE MEDIAN_US
 *
 * and after each of the first two, when debugfs is mounted, what the
 * module says of that dump (debugfs sockstat/walk): its scans for owners,
 * their median time, and its window's and owner table's peak bytes:
 *
 *	walk-dump SCANS SCAN_MS WINDOW_BYTES OWNER_BYTES
 *	walk-brief SCANS SCAN_MS WINDOW_BYTES OWNER_BYTES
 *
 * The time of a dump is from sendmsg() to the last recvmsg(): the module
 * fills the messages inside those calls, so nearly all of it is kernel
 * time; SYS_MS is the process's system time over the same run
 * (getrusage()), for comparison.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sockstat.h>

#include "rawnl.h"

#define BUF_SIZE	(256 * 1024)

static char buf[BUF_SIZE];
static int fd;
static uint16_t family;
static uint32_t seq = 1;

static void die(const char *what)
{
	fprintf(stderr, "nlbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/*
 * What the module says of its last dump (debugfs sockstat/walk): scans,
 * the time they took, and the bytes of its window and owner table.
 * False without debugfs.
 */
struct walk {
	long scans, win, tab;
	double scan_ms;
};

static int read_walk(struct walk *w)
{
	FILE *f = fopen("/sys/kernel/debug/sockstat/walk", "r");
	char key[64];
	long long v;

	if (!f)
		return 0;
	while (fscanf(f, "%63s %lld", key, &v) == 2) {
		if (!strcmp(key, "last_scans"))
			w->scans = v;
		else if (!strcmp(key, "last_scan_ns"))
			w->scan_ms = v / 1e6;
		else if (!strcmp(key, "last_window_bytes"))
			w->win = v;
		else if (!strcmp(key, "last_owner_bytes"))
			w->tab = v;
	}
	fclose(f);
	return 1;
}

static double sys_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Send a generic netlink request with at most one attribute. */
static void request(uint16_t type, uint8_t cmd, uint16_t flags,
		    uint16_t atype, const void *data, uint16_t len)
{
	if (rawnl_request(fd, ++seq, type, cmd, flags, atype, data, len) < 0)
		die("send");
}

static void check_error(const struct nlmsghdr *n, const char *what)
{
	const struct nlmsgerr *e = NLMSG_DATA(n);

	if (n->nlmsg_type == NLMSG_ERROR && e->error) {
		errno = -e->error;
		die(what);
	}
}

static void resolve_family(void)
{
	family = rawnl_family(fd, ++seq, buf, sizeof(buf));
	if (!family)
		die("the sockstat family (is the module loaded?)");
}

/*
 * One dump: sockets, bytes; *last_ino the largest inode seen.  @brief:
 * only the basic attributes (SOCKSTAT_A_SOCK_DETAILS 0, as sockstat-nl's
 * table asks), else all of them.
 */
static void dump(int brief, unsigned long *socks, unsigned long *bytes,
		 uint64_t *last_ino)
{
	uint32_t none = 0;

	*socks = *bytes = 0;
	if (brief)
		request(family, SOCKSTAT_CMD_GET, NLM_F_DUMP, SOCKSTAT_A_SOCK_DETAILS,
			&none, sizeof(none));
	else
		request(family, SOCKSTAT_CMD_GET, NLM_F_DUMP, 0, NULL, 0);
	for (;;) {
		ssize_t len = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *n;

		if (len < 0)
			die("recv");
		*bytes += len;
		for (n = (struct nlmsghdr *)buf; NLMSG_OK(n, len);
		     n = NLMSG_NEXT(n, len)) {
			const struct nlattr *a;
			uint64_t ino;

			if (n->nlmsg_type == NLMSG_DONE)
				return;
			check_error(n, "dump");
			(*socks)++;
			a = rawnl_attr(n, SOCKSTAT_A_SOCK_INODE);
			if (a) {
				memcpy(&ino, (const char *)a + NLA_HDRLEN, sizeof(ino));
				if (ino > *last_ino)
					*last_ino = ino;
			}
		}
	}
}

static void get(uint64_t ino)
{
	ssize_t len;

	request(family, SOCKSTAT_CMD_GET, 0, SOCKSTAT_A_SOCK_INODE, &ino,
		sizeof(ino));
	len = recv(fd, buf, sizeof(buf), 0);
	if (len < 0)
		die("recv");
	check_error((struct nlmsghdr *)buf, "get");
}

int main(int argc, char **argv)
{
	int runs = 5, gets = 200, opt, i, brief, first = 0, bufsize = 4 << 20;
	unsigned long socks = 0, bytes = 0;
	double *t, *sys, *tg, *scan, t0, s0, med;
	struct walk wk = {};
	int have_walk = 0;
	uint64_t ino = 0;

	while ((opt = getopt(argc, argv, "br:g:")) != -1) {
		switch (opt) {
		case 'b':
			first = 1;
			break;
		case 'r':
			runs = atoi(optarg);
			break;
		case 'g':
			gets = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: nlbench [-b] [-r RUNS] [-g GETS]\n");
			return 2;
		}
	}
	if (runs < 1 || gets < 1)
		return 2;
	t = calloc(runs, sizeof(*t));
	sys = calloc(runs, sizeof(*sys));
	tg = calloc(gets, sizeof(*tg));
	scan = calloc(runs, sizeof(*scan));
	if (!t || !sys || !tg || !scan)
		die("calloc");
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufsize, sizeof(bufsize));
	resolve_family();

	/* Every attribute ("dump"), then those of a table row ("brief"). */
	for (brief = first; brief < 2; brief++) {
		for (i = 0; i < runs; i++) {
			s0 = sys_ms();
			t0 = now_ns();
			dump(brief, &socks, &bytes, &ino);
			t[i] = now_ns() - t0;
			sys[i] = sys_ms() - s0;
			have_walk = read_walk(&wk);
			scan[i] = wk.scan_ms;
		}
		qsort(t, runs, sizeof(*t), cmp_double);
		qsort(sys, runs, sizeof(*sys), cmp_double);
		qsort(scan, runs, sizeof(*scan), cmp_double);
		med = t[runs / 2];
		printf("%s %lu %lu %.1f %.2f %.0f %.2f\n", brief ? "brief" : "dump",
		       socks, bytes, socks ? (double)bytes / socks : 0, med / 1e6,
		       socks ? med / socks : 0, sys[runs / 2]);
		/* The scans' share of the kernel's time: finding the owners. */
		if (have_walk)
			printf("walk-%s %ld %.2f %ld %ld\n", brief ? "brief" : "dump",
			       wk.scans, scan[runs / 2], wk.win, wk.tab);
	}

	for (i = 0; i < gets && ino; i++) {
		t0 = now_ns();
		get(ino);
		tg[i] = now_ns() - t0;
	}
	qsort(tg, gets, sizeof(*tg), cmp_double);
	printf("get %llu %.1f\n", (unsigned long long)ino,
	       ino ? tg[gets / 2] / 1e3 : 0);
	return 0;
}
