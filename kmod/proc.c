// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/sockstat_sockets: the sockets of a network namespace as text,
 * one row per socket, the same walk and the same fields as the netlink
 * dump.  (The kernel's own /proc/net/sockstat counts sockets per
 * protocol; this file lists them.)
 */
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/string_helpers.h>
#include <net/net_namespace.h>

#include "sockstat.h"

#define SOCKSTAT_PROC_NAME	"sockstat_sockets"

/**
 * struct sockstat_seq - an open /proc file
 * @walk: the walk, kept between read() calls
 * @pos: the seq_file position of the walk's current socket (0: header)
 */
struct sockstat_seq {
	struct sockstat_walk walk;
	loff_t pos;
};

static struct socket *sockstat_seq_step(struct sockstat_seq *st)
{
	struct socket *sock = sockstat_walk_next(&st->walk);

	if (sock)
		st->pos++;
	return sock;
}

/* The end of the walk, or why it stopped early (a fatal signal). */
static void *sockstat_seq_err(struct sockstat_seq *st)
{
	return st->walk.err ? ERR_PTR(st->walk.err) : NULL;
}

static void *sockstat_seq_start(struct seq_file *m, loff_t *pos)
{
	struct sockstat_seq *st = m->private;
	struct socket *sock = NULL;

	if (!*pos) {
		sockstat_walk_rewind(&st->walk);
		st->pos = 0;
		return SEQ_START_TOKEN;
	}
	/* The socket that did not fit in the last read() buffer. */
	if (*pos == st->pos) {
		sockstat_walk_again(&st->walk);
		return sockstat_walk_next(&st->walk) ?: sockstat_seq_err(st);
	}
	/* Anything but reading on (a seek) starts the walk over. */
	if (*pos != st->pos + 1) {
		sockstat_walk_rewind(&st->walk);
		st->pos = 0;
	}
	while (st->pos < *pos && (sock = sockstat_seq_step(st)))
		;
	return sock ?: sockstat_seq_err(st);
}

static void *sockstat_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct sockstat_seq *st = m->private;

	++*pos;
	return sockstat_seq_step(st) ?: sockstat_seq_err(st);
}

static void sockstat_seq_stop(struct seq_file *m, void *v)
{
	struct sockstat_seq *st = m->private;

	sockstat_walk_put(&st->walk);
}

/*
 * Text fields that may hold any byte (a unix socket's name, a command) are
 * written with blanks, ',', ':', '\\' and every byte that is not printable
 * ASCII as \ooo (octal), so that a line always splits on blanks.
 */
#define SOCKSTAT_PROC_ESCAPE	" ,:\\"

static void sockstat_seq_escape(struct seq_file *m, const char *s, size_t len)
{
	size_t i;

	/* Nearly every name and command needs no escape: one copy then. */
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c <= ' ' || c >= 0x7f || strchr(SOCKSTAT_PROC_ESCAPE, c))
			break;
	}
	if (i == len) {
		seq_write(m, s, len);
		return;
	}
	seq_escape_mem(m, s, len, ESCAPE_OCTAL | ESCAPE_NAP | ESCAPE_APPEND,
		       SOCKSTAT_PROC_ESCAPE);
}

/*
 * A line's fixed part without seq_printf(), whose format parsing costs
 * more than the rest of a line: left-aligned numbers (seq_file's own
 * helpers pad on the left) into a buffer, written with one seq_write().
 */
struct sockstat_line {
	char s[128];
	unsigned int n;
};

/* @v in decimal, left-aligned in @width columns ("%-*llu"), then @sep. */
static void sockstat_line_u64(struct sockstat_line *l, u64 v, unsigned int width,
			      char sep)
{
	char tmp[20];
	unsigned int d = 0;

	do {
		tmp[d++] = '0' + do_div(v, 10);
	} while (v);
	if (l->n + max(d, width) + 1 > sizeof(l->s))
		return;
	width = width > d ? width - d : 0;
	while (d)
		l->s[l->n++] = tmp[--d];
	while (width--)
		l->s[l->n++] = ' ';
	if (sep)
		l->s[l->n++] = sep;
}

/* The "local" and "peer" columns; Documentation/proc.rst has the forms. */
static void sockstat_seq_ends(struct seq_file *m, const struct sockstat_ends *e)
{
	switch (e->family) {
	case AF_INET:
		seq_printf(m, " %pI4:%u %pI4:%u", &e->inet.local4, e->inet.lport,
			   &e->inet.peer4, e->inet.pport);
		return;
	case AF_INET6:
		seq_printf(m, " [%pI6c]:%u [%pI6c]:%u", &e->inet.local6,
			   e->inet.lport, &e->inet.peer6, e->inet.pport);
		return;
	case AF_UNIX:
		if (!e->un.name_len) {
			seq_puts(m, " -");
		} else if (!e->un.name[0]) {
			seq_puts(m, " @");
			sockstat_seq_escape(m, e->un.name + 1, e->un.name_len - 1);
		} else {
			seq_putc(m, ' ');
			sockstat_seq_escape(m, e->un.name,
					    strnlen(e->un.name, e->un.name_len));
		}
		if (e->un.peer_ino) {
			seq_putc(m, ' ');
			seq_put_decimal_ull(m, "", e->un.peer_ino);
		} else {
			seq_puts(m, " -");
		}
		return;
	case AF_NETLINK:
		seq_printf(m, " %u:%u %u:%u", e->nl.portid, e->nl.groups,
			   e->nl.dst_portid, e->nl.dst_group);
		return;
	case AF_PACKET:
		seq_printf(m, " %d:%u -", e->pkt.ifindex, e->pkt.protocol);
		return;
	}
	seq_puts(m, " - -");
}

/* The "missing" and "owners" columns. */
static void sockstat_seq_owners(struct seq_file *m, const struct sockstat_walk *w)
{
	unsigned int i, n = 0;
	struct sockstat_task t;

	seq_put_decimal_ull(m, " ", w->owners_missing);
	seq_putc(m, ' ');
	for (i = 0; i < w->nr_owners; i++) {
		const struct sockstat_pair *p = &w->owners[i];
		const struct sockstat_owner *o = sockstat_pair_owner(w, p);

		/* Hidden owners are neither listed nor counted, as in netlink. */
		if (!o->nr)
			continue;
		/* pid:fd:, "e" when close-on-exec, then :uid:command or :: */
		seq_put_decimal_ull(m, n++ ? "," : "", o->nr);
		seq_put_decimal_ull(m, ":", p->fd & ~SOCKSTAT_FD_CLOEXEC);
		seq_puts(m, p->fd & SOCKSTAT_FD_CLOEXEC ? ":e" : ":");
		if (sockstat_owner_task(o, w->filter.pid_ns, w->filter.user_ns,
					&t)) {
			seq_put_decimal_ull(m, ":", t.uid);
			seq_putc(m, ':');
			sockstat_seq_escape(m, t.comm, strlen(t.comm));
		} else {
			seq_puts(m, "::");
		}
	}
	if (!n)
		seq_putc(m, '-');
}

static int sockstat_seq_show(struct seq_file *m, void *v)
{
	struct sockstat_seq *st = m->private;
	struct sockstat_ends e = {};
	struct socket *sock = v;
	struct sockstat_line l;
	struct sockstat_core c;
	struct sock *sk;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, "inode      family type proto ss_state sk_state recv_q     send_q     local peer missing owners\n");
		return 0;
	}
	sockstat_read_core(sock, &c);
	/* "%-10llu %-6u %-4u %-5u %-8u %-8u %-10u %-10u" */
	l.n = 0;
	sockstat_line_u64(&l, c.ino, 10, ' ');
	sockstat_line_u64(&l, c.family, 6, ' ');
	sockstat_line_u64(&l, c.type, 4, ' ');
	sockstat_line_u64(&l, c.protocol, 5, ' ');
	sockstat_line_u64(&l, c.ss_state, 8, ' ');
	sockstat_line_u64(&l, c.skstate, 8, ' ');
	sockstat_line_u64(&l, c.recv_q, 10, ' ');
	sockstat_line_u64(&l, c.send_q, 10, 0);
	seq_write(m, l.s, l.n);
	sk = READ_ONCE(sock->sk);
	if (sk)
		sockstat_read_ends(sock, sk, &e);
	sockstat_seq_ends(m, &e);
	sockstat_seq_owners(m, &st->walk);
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations sockstat_seq_ops = {
	.start	= sockstat_seq_start,
	.next	= sockstat_seq_next,
	.stop	= sockstat_seq_stop,
	.show	= sockstat_seq_show,
};

/*
 * The walk keeps references (the namespaces, the window's inodes) from
 * open to release, so the file has its own open and release instead of
 * proc_create_net()'s.  proc calls release for files still open when the
 * module goes away.
 */
static int sockstat_proc_open(struct inode *inode, struct file *file)
{
	struct sockstat_seq *st;
	struct sockstat_filter f;
	struct net *net;
	int err;

	net = maybe_get_net(pde_data(inode));
	if (!net)
		return -ENXIO;
	/*
	 * Whoever reads the file later sees what its opener may see, as
	 * /proc itself decides with the opener's f_cred: a descriptor passed
	 * to, or inherited by, a more privileged process reveals nothing
	 * more.
	 */
	sockstat_filter_init(&f, net, file->f_cred, file->f_cred->user_ns);

	st = __seq_open_private(file, &sockstat_seq_ops, sizeof(*st));
	if (!st) {
		err = -ENOMEM;
		goto err_put;
	}
	err = sockstat_walk_init(&st->walk, &f, SOCKSTAT_WINDOW_DUMP,
				 SOCKSTAT_WINDOW_MAX);
	if (err) {
		seq_release_private(inode, file);
		goto err_put;
	}
	return 0;

err_put:
	sockstat_filter_release(&f);
	put_net(f.net);
	return err;
}

static int sockstat_proc_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct sockstat_seq *st = m->private;
	struct sockstat_filter f = st->walk.filter;

	sockstat_walk_exit(&st->walk);
	sockstat_filter_release(&f);
	put_net(f.net);
	return seq_release_private(inode, file);
}

static const struct proc_ops sockstat_proc_ops = {
	.proc_open	= sockstat_proc_open,
	.proc_read_iter	= seq_read_iter,
	.proc_lseek	= seq_lseek,
	.proc_release	= sockstat_proc_release,
};

static int __net_init sockstat_proc_net_init(struct net *net)
{
	if (!proc_create_data(SOCKSTAT_PROC_NAME, 0444, net->proc_net,
			      &sockstat_proc_ops, net))
		return -ENOMEM;
	return 0;
}

static void __net_exit sockstat_proc_net_exit(struct net *net)
{
	remove_proc_entry(SOCKSTAT_PROC_NAME, net->proc_net);
}

static struct pernet_operations sockstat_proc_net_ops = {
	.init	= sockstat_proc_net_init,
	.exit	= sockstat_proc_net_exit,
};

int sockstat_proc_init(void)
{
	return register_pernet_subsys(&sockstat_proc_net_ops);
}

void sockstat_proc_exit(void)
{
	unregister_pernet_subsys(&sockstat_proc_net_ops);
}
