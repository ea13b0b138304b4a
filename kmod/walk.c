// SPDX-License-Identifier: GPL-2.0
/*
 * A walk that reports every socket once, in bounded memory, and can stop
 * between any two sockets for as long as its reader likes (a netlink dump
 * continues at the reader's next recvmsg(), a /proc reader at its next
 * read()).
 *
 * The descriptor tables (scan.c) list a socket once per descriptor, in an
 * order that changes while we look.  So a walk reports sockets in the
 * order of their inode number instead, a window at a time: one scan of
 * every table keeps, in a max-heap, the SOCKSTAT_WINDOW smallest sockets
 * above the cursor; the window is sorted, sockets seen at several
 * descriptors merge, and the walk returns them in order; then the cursor
 * moves to the window's last socket and the next scan starts.  A socket
 * present in a descriptor table for the whole walk is reported exactly
 * once, because the keys a walk returns only increase; sockets opened or
 * closed during the walk may or may not be.  Memory is the window,
 * whatever the number of sockets; the price is one scan per window.
 *
 * While a scan runs, the heap holds a reference on each socket's file.
 * After it, each socket in the window is held by a reference on its inode
 * only: a socket closed before the walk reaches it is released as usual
 * (the walk then skips it), never kept open by us.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/sock.h>

#include "compat.h"
#include "sockstat.h"

/* Sockets per window: 8192 * 16 bytes = 128 KiB per walk. */
#define SOCKSTAT_WINDOW	8192

static int sockstat_ent_cmp(const struct sockstat_ent *a,
			    const struct sockstat_ent *b)
{
	if (a->ino != b->ino)
		return a->ino < b->ino ? -1 : 1;
	if (a->sock != b->sock)
		return (uintptr_t)a->sock < (uintptr_t)b->sock ? -1 : 1;
	return 0;
}

static int sockstat_ent_sort_cmp(const void *a, const void *b)
{
	return sockstat_ent_cmp(a, b);
}

/* The max-heap of a scan in progress: the largest entry at index 0. */
static void sockstat_heap_up(struct sockstat_ent *h, unsigned int i)
{
	while (i) {
		unsigned int parent = (i - 1) / 2;

		if (sockstat_ent_cmp(&h[parent], &h[i]) >= 0)
			break;
		swap(h[parent], h[i]);
		i = parent;
	}
}

static void sockstat_heap_down(struct sockstat_ent *h, unsigned int n)
{
	unsigned int i = 0;

	for (;;) {
		unsigned int big = i, l = 2 * i + 1, r = l + 1;

		if (l < n && sockstat_ent_cmp(&h[l], &h[big]) > 0)
			big = l;
		if (r < n && sockstat_ent_cmp(&h[r], &h[big]) > 0)
			big = r;
		if (big == i)
			return;
		swap(h[big], h[i]);
		i = big;
	}
}

static bool sockstat_window_visit(void *arg, struct socket *sock,
				  struct file *file)
{
	struct sockstat_walk *w = arg;
	struct sockstat_ent e = { SOCK_INODE(sock)->i_ino, sock };
	bool full = w->n == SOCKSTAT_WINDOW;

	if (sockstat_ent_cmp(&e, &w->cursor) <= 0 ||
	    (full && sockstat_ent_cmp(&e, &w->ents[0]) >= 0) ||
	    !sockstat_match(&w->filter, sock)) {
		fput(file);
		return false;
	}

	/* The heap keeps the reference on @file, that is on sock->file. */
	if (full) {
		fput(w->ents[0].sock->file);
		w->ents[0] = e;
		sockstat_heap_down(w->ents, w->n);
	} else {
		w->ents[w->n] = e;
		sockstat_heap_up(w->ents, w->n++);
	}
	return false;
}

/* Scan for the next window; false when there are no more sockets. */
static bool sockstat_walk_fill(struct sockstat_walk *w)
{
	unsigned int i, n = 0;

	w->n = 0;
	w->idx = 0;
	sockstat_scan(&w->filter, sockstat_window_visit, w);
	w->last = w->n < SOCKSTAT_WINDOW;
	sort(w->ents, w->n, sizeof(*w->ents), sockstat_ent_sort_cmp, NULL);

	/*
	 * Trade each file reference for an inode reference; a socket seen
	 * at several descriptors has several entries, all but one go.
	 */
	for (i = 0; i < w->n; i++) {
		struct socket *sock = w->ents[i].sock;
		struct file *file = sock->file;

		if (!n || sockstat_ent_cmp(&w->ents[n - 1], &w->ents[i])) {
			ihold(SOCK_INODE(sock));
			w->ents[n++] = w->ents[i];
		}
		fput(file);
	}
	w->n = n;
	if (n)
		w->cursor = w->ents[n - 1];
	return n;
}

/**
 * sockstat_walk_init() - start a walk
 * @w: the walk
 * @f: the sockets to report; the caller keeps @f's namespaces alive for
 *	as long as the walk lasts
 *
 * Return: 0 or -ENOMEM.
 */
int sockstat_walk_init(struct sockstat_walk *w, const struct sockstat_filter *f)
{
	*w = (struct sockstat_walk){ .filter = *f };
	w->ents = kvmalloc_array(SOCKSTAT_WINDOW, sizeof(*w->ents),
				 GFP_KERNEL_ACCOUNT);
	return w->ents ? 0 : -ENOMEM;
}

static void sockstat_walk_drop(struct sockstat_walk *w)
{
	sockstat_walk_put(w);
	if (w->cur) {
		iput(SOCK_INODE(w->cur));
		w->cur = NULL;
	}
	for (; w->idx < w->n; w->idx++)
		iput(SOCK_INODE(w->ents[w->idx].sock));
}

/**
 * sockstat_walk_next() - step to the next socket
 * @w: the walk
 *
 * Return: the socket, with @w->file holding a reference on its file until
 * sockstat_walk_put() or the next step; NULL at the end.  Sleeps.
 */
struct socket *sockstat_walk_next(struct sockstat_walk *w)
{
	struct socket *sock;

	sockstat_walk_put(w);
	if (w->cur && w->again) {
		w->again = false;
		w->file = sockstat_sock_file_get(w->cur);
		if (w->file)
			return w->cur;
	}
	if (w->cur) {
		iput(SOCK_INODE(w->cur));
		w->cur = NULL;
	}

	for (;;) {
		if (w->idx == w->n && (w->last || !sockstat_walk_fill(w)))
			return NULL;

		sock = w->ents[w->idx++].sock;
		w->file = sockstat_sock_file_get(sock);
		if (w->file && sockstat_match(&w->filter, sock)) {
			w->cur = sock;
			return sock;
		}
		/* Closed since the scan, or changed family (IPV6_ADDRFORM). */
		sockstat_walk_put(w);
		iput(SOCK_INODE(sock));
	}
}

/* Drop the file reference of the current socket; the walk keeps its place. */
void sockstat_walk_put(struct sockstat_walk *w)
{
	if (w->file) {
		fput(w->file);
		w->file = NULL;
	}
}

/* The caller could not use the current socket: return it again next. */
void sockstat_walk_again(struct sockstat_walk *w)
{
	sockstat_walk_put(w);
	w->again = !!w->cur;
}

/* Go back to the first socket. */
void sockstat_walk_rewind(struct sockstat_walk *w)
{
	sockstat_walk_drop(w);
	w->n = 0;
	w->idx = 0;
	w->cursor = (struct sockstat_ent){};
	w->last = false;
	w->again = false;
}

/* End the walk and release everything it holds. */
void sockstat_walk_exit(struct sockstat_walk *w)
{
	sockstat_walk_drop(w);
	kvfree(w->ents);
	w->ents = NULL;
}
