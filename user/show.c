// SPDX-License-Identifier: GPL-2.0
/*
 * "show INODE": one socket laid out as the kernel holds it, from the
 * file a descriptor points to, through struct socket and struct sock, to
 * the family's part, the owners and the waiters; each line names the
 * kernel field its value comes from.  A socket no descriptor reaches
 * starts with why, and has only the parts it has (a connection waiting
 * for accept() has no file and no struct socket yet; a TIME_WAIT entry
 * is not even a full struct sock).
 */
#include <stdio.h>
#include <string.h>
#include <linux/sockstat.h>

#include "fields.h"
#include "names.h"
#include "show.h"

#define A(x) SOCKSTAT_A_SOCK_##x

static void line(int depth, const char *kfield, const char *value, const char *note)
{
	printf("%*s%-*s %s%s%s\n", 2 * depth, "", 46 - 2 * depth, kfield, value,
	       note ? "  " : "", note ? note : "");
}

static void section(const struct sock_msg *m, char sect, int depth)
{
	const struct field *fl;
	char buf[512];

	for (fl = sock_fields; fl->name; fl++) {
		if (fl->sect != sect || fl->kind == F_NEST || !m->tb[fl->attr])
			continue;
		field_value(buf, sizeof(buf), fl, m->tb[fl->attr]);
		line(depth, fl->kfield, buf, NULL);
	}
}

static void owners(const struct row *r)
{
	char who[160];
	unsigned int i;

	printf("descriptors (files->fdt->fd[N] in each process's table)\n");
	for (i = 0; i < r->nr_owners; i++) {
		const struct owner *o = &r->owners[i];
		char fd[40];

		snprintf(fd, sizeof(fd), "pid %d fd %u", o->pid, o->fd);
		if (o->known)
			snprintf(who, sizeof(who), "%s, uid %u%s", o->comm, o->uid,
				 o->cloexec ? ", close-on-exec" : "");
		else
			snprintf(who, sizeof(who), "(exited)");
		line(1, fd, who, NULL);
	}
	if (!r->nr_owners)
		line(1, "(none the caller may see)", "", NULL);
	if (r->missing) {
		snprintf(who, sizeof(who), "%u", r->missing);
		line(1, "descriptors not listed", who, NULL);
	}
}

void show_socket(const struct row *r)
{
	const struct sock_msg *m = r->msg;
	struct nlattr *sub[SOCKSTAT_A_TCP_MAX + 1];
	const char *fam = family_name(r->family);
	char title[64];
	const struct field *fl;

	int d = 0;

	if (r->inode)
		printf("socket:[%llu]\n", (unsigned long long)r->inode);
	else
		printf("no socket:[N], no struct socket\n");
	if (r->nofd) {
		printf("no descriptor reaches it\n");
		section(m, 'n', 1);
	}
	if (r->inode) {
		printf("struct file\n");
		section(m, 'f', 1);
		printf("  -> struct socket (file->private_data)\n");
		section(m, 's', 2);
		d = 2;
		if (!m->tb[A(REFCNT)]) {
			printf("    -> no struct sock (sock->sk is NULL)\n");
			goto owners;
		}
		printf("    -> struct sock (sock->sk)\n");
	} else if (m->tb[A(REFCNT)]) {
		printf("struct sock (sk->sk_socket is NULL)\n");
	} else {
		printf("struct sock_common (a %s entry of the TCP table, not a full struct sock)\n",
		       r->nofd == SOCKSTAT_NOFD_SYN_RECV ? "request_sock" : "inet_timewait_sock");
	}
	section(m, 'k', d + 1);
	snprintf(title, sizeof(title), "%s part", fam ? fam : "family");
	printf("%*s-> %s\n", 2 * d + 2, "", title);
	section(m, 'a', d + 2);
	if (m->tb[A(TCP)] && !parse_nest(sub, SOCKSTAT_A_TCP_MAX, m->tb[A(TCP)])) {
		char buf[64];

		printf("%*s-> struct tcp_sock (tcp_sk(sk))\n", 2 * d + 2, "");
		for (fl = tcp_fields; fl->name; fl++) {
			if (!sub[fl->attr])
				continue;
			field_text(buf, sizeof(buf), fl, sub[fl->attr]);
			line(d + 2, fl->kfield, buf, NULL);
		}
	}
owners:
	if (r->nofd && !r->nr_owners)
		return;
	owners(r);
	printf("waiters\n");
	section(m, 'w', 1);
}
