// SPDX-License-Identifier: GPL-2.0
/*
 * A walk that reports every socket once, with every descriptor that holds
 * it, in bounded memory, and can stop between any two sockets for as long
 * as its reader likes (a netlink dump continues at the reader's next
 * recvmsg(), a /proc reader at its next read()).
 *
 * The descriptor tables (scan.c) list a socket once per descriptor, in an
 * order that changes while we look.  So a walk reports sockets in the
 * order of their key (inode number, then address), a window at a time.
 * One scan of every table keeps the (socket, descriptor) pairs with the
 * smallest keys above the cursor, as many as the window holds (once it is
 * full, in a max-heap).  Each pair the full window cannot keep (rejected
 * because its key is not smaller than the largest, or evicted by a
 * smaller one) lowers the ceiling to its key; after the scan, pairs at or
 * above the ceiling go too.  What is left is every socket with a key
 * between the cursor and the ceiling, each with all its descriptors: a
 * socket below the ceiling never lost a pair, or the ceiling would be at
 * or below its key.  Sorted, each socket's pairs are adjacent; the walk
 * returns them socket by socket, then moves the cursor to the window's
 * last socket and scans again.  When no pair had to be left out, the
 * window held every remaining socket and the walk ends with it.
 *
 * A socket present in the same descriptor for the whole walk is reported
 * exactly once, because the keys a walk returns only increase; sockets
 * opened or closed during the walk may or may not be.  The price is one
 * scan of every descriptor table per window.  A socket with more
 * descriptors than the window holds (thousands of processes forked with
 * it) is reported alone in a window of its own with as many descriptors
 * as fit, and the count of the others.
 *
 * The window's size.  The first window is small and fixed (16,384 pairs
 * for a dump): the first scan of a dump or a do may run under generic
 * netlink's global lock, and must stay bounded whatever the number of
 * sockets.  It also counts what is left: every descriptor above the
 * cursor, and the share of those it looked at that the filter kept.  The
 * next window is allocated for all of that (sockstat_window_size()), so
 * that a dump of any size takes two scans where a fixed window took one
 * per 16,384 descriptors; a pair is 20 bytes, with one owner-table entry
 * per process, not per descriptor.  Past the caps (SOCKSTAT_WINDOW_MAX
 * pairs a walk, 1/32 of RAM for every grown window together: a reader
 * can keep a dump or a /proc file open as long as it likes, and there can
 * be many), or when the memory cannot be had, the window keeps its size
 * and the walk takes more scans: slower, never an error.
 *
 * A scan reads the key of each descriptor's socket without a reference
 * first (sockstat_window_pass()) and takes one only for a pair the window
 * may keep: every other descriptor costs a few loads, so that the scans
 * stay cheap next to the N messages a dump writes
 * (Documentation/performance.rst).
 *
 * A walk must not change what it observes, and a file reference would:
 * while we hold one, close() of the last descriptor does not release the
 * socket (a listener goes on accepting connections and keeps its port;
 * linger and FIN wait for us, and run from our context).  So neither the
 * scan nor the walk takes one (sockref.c): a pair the window keeps holds
 * what identifies its socket without keeping it open, a reference on the
 * socket's inode (which keeps the struct socket's memory, not the
 * socket), taken by the scan; the scan's owner table holds one on the
 * struct pid of each thread whose table holds a kept pair (which keeps
 * neither the process nor its number).
 * A socket closed before the walk reaches it is released as usual and
 * skipped; while its caller reads a socket (sockstat_walk_next() to
 * sockstat_walk_put()) the walk keeps it from being released by holding
 * its inode's lock shared, which an owner's close() waits for.
 */
#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/ktime.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <net/sock.h>

#include "compat.h"
#include "sockstat.h"

static int sockstat_key_cmp(const struct sockstat_key *a,
			    const struct sockstat_key *b)
{
	if (a->ino != b->ino)
		return a->ino < b->ino ? -1 : 1;
	if (a->sock != b->sock)
		return (uintptr_t)a->sock < (uintptr_t)b->sock ? -1 : 1;
	return 0;
}

/*
 * Sort order of a window: by socket, then by owner (its pid, then its
 * place in the owner table, which tells apart threads with tables of
 * their own), then by descriptor.
 */
static int sockstat_pair_cmp(const struct sockstat_walk *w,
			     const struct sockstat_pair *a,
			     const struct sockstat_pair *b)
{
	int c = sockstat_key_cmp(&a->key, &b->key);

	if (c)
		return c;
	if (a->owner != b->owner) {
		pid_t pa = w->tab[a->owner].nr, pb = w->tab[b->owner].nr;

		if (pa != pb)
			return pa < pb ? -1 : 1;
		return a->owner < b->owner ? -1 : 1;
	}
	return a->fd < b->fd ? -1 : a->fd > b->fd;
}

static void sockstat_sift_down(const struct sockstat_walk *w,
			       struct sockstat_pair *h, unsigned int i,
			       unsigned int n)
{
	for (;;) {
		unsigned int big = i, l = 2 * i + 1, r = l + 1;

		if (l < n && sockstat_pair_cmp(w, &h[l], &h[big]) > 0)
			big = l;
		if (r < n && sockstat_pair_cmp(w, &h[r], &h[big]) > 0)
			big = r;
		if (big == i)
			return;
		swap(h[big], h[i]);
		i = big;
	}
}

/* Make the @n pairs of @h a max-heap. */
static void sockstat_heapify(const struct sockstat_walk *w,
			     struct sockstat_pair *h, unsigned int n)
{
	unsigned int i;

	for (i = n / 2; i-- > 0;)
		sockstat_sift_down(w, h, i, n);
}

/*
 * Heapsort, rather than sort(): the comparisons are direct calls, where
 * sort()'s go through a function pointer (a retpoline each, some 230,000
 * per full window).
 */
static void sockstat_window_sort(struct sockstat_walk *w)
{
	struct sockstat_pair *h = w->win;
	unsigned int i;

	if (!w->heap)
		sockstat_heapify(w, h, w->n);
	for (i = w->n; i-- > 1;) {
		swap(h[0], h[i]);
		sockstat_sift_down(w, h, 0, i);
	}
	w->heap = false;
}

/* Leave out a pair: the window now ends below its key. */
static void sockstat_lower_ceiling(struct sockstat_walk *w,
				   const struct sockstat_key *k)
{
	if (!w->has_ceiling || sockstat_key_cmp(k, &w->ceiling) < 0) {
		w->ceiling = *k;
		w->has_ceiling = true;
	}
}

static struct sockstat_pair sockstat_pair_of(const struct sockstat_slot *slot)
{
	return (struct sockstat_pair){
		.key = { slot->sock, SOCK_INODE(slot->sock)->i_ino },
		.fd = slot->fd | (slot->cloexec ? SOCKSTAT_FD_CLOEXEC : 0),
	};
}

/* Let go of the owner table's references; entry 0 is the hidden owner. */
static void sockstat_owners_reset(struct sockstat_walk *w)
{
	while (w->nr_tab > 1)
		put_pid(w->tab[--w->nr_tab].pid);
	w->tab[0] = (struct sockstat_owner){};
	w->nr_tab = 1;
}

/*
 * The owner table's entry for a visited descriptor's thread, added with a
 * reference on its struct pid if it is new.  A scan visits one table after
 * the other, so the last entry is nearly always the one.
 *
 * Return: its index, or 0 with @w->scan_err set when there is no memory
 * for a new entry.
 */
static u32 sockstat_owner_of(struct sockstat_walk *w,
			     const struct sockstat_slot *slot)
{
	struct sockstat_owner *last = &w->tab[w->nr_tab - 1];

	if (!slot->owner || !slot->pid)
		return 0;
	if (last->pid == slot->owner && last->nr == slot->pid)
		return w->nr_tab - 1;
	if (w->nr_tab == w->tab_cap) {
		unsigned int cap = w->tab_cap * 2;
		struct sockstat_owner *tab;

		tab = kvmalloc_array(cap, sizeof(*tab),
				     GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
		if (!tab) {
			w->scan_err = -ENOMEM;
			return 0;
		}
		memcpy(tab, w->tab, w->nr_tab * sizeof(*tab));
		kvfree(w->tab);
		w->tab = tab;
		w->tab_cap = cap;
		w->peak_tab = max(w->peak_tab, cap * sizeof(*tab));
	}
	w->tab[w->nr_tab] = (struct sockstat_owner){
		.pid = get_pid(slot->owner), .nr = slot->pid,
	};
	return w->nr_tab++;
}

/* A pair the window no longer keeps (the owner table keeps its owner). */
static void sockstat_pair_put(struct sockstat_pair *p)
{
	iput(SOCK_INODE(p->key.sock));
}

static void sockstat_pairs_put(struct sockstat_walk *w, unsigned int from,
			       unsigned int to)
{
	for (; from < to; from++)
		sockstat_pair_put(&w->win[from]);
}

/*
 * Before a reference is taken: let go by each descriptor the window would
 * drop anyway, which is most of them (every socket outside the window).
 * Only a pair the full heap rejects lowers the ceiling; a socket that
 * sockstat_match() would have dropped may lower it too, which is safe:
 * its key is above every pair in the heap, so the window loses nothing.
 */
bool sockstat_window_pass(void *arg, const struct sockstat_key *k)
{
	struct sockstat_walk *w = arg;

	w->looked++;
	if (sockstat_key_cmp(k, &w->cursor) <= 0 ||
	    (w->filter.ino && k->ino != (u32)w->filter.ino))
		return true;
	/* What is left to walk, for the next window's size. */
	w->above++;
	if (w->has_ceiling && sockstat_key_cmp(k, &w->ceiling) >= 0)
		return true;
	if (w->n == w->cap && sockstat_key_cmp(k, &w->win[0].key) >= 0) {
		sockstat_lower_ceiling(w, k);
		return true;
	}
	return false;
}

void sockstat_window_visit(void *arg, struct sockstat_slot *slot)
{
	struct sockstat_walk *w = arg;
	struct sockstat_pair p = sockstat_pair_of(slot);

	w->visited++;
	if (sockstat_key_cmp(&p.key, &w->cursor) <= 0 ||
	    (w->has_ceiling && sockstat_key_cmp(&p.key, &w->ceiling) >= 0) ||
	    !sockstat_sock_may_match(&w->filter, slot->sock))
		goto drop;
	w->kept++;
	p.owner = sockstat_owner_of(w, slot);
	if (w->scan_err)
		goto drop;

	/*
	 * Unordered until the window is full (most windows never fill up),
	 * then a max-heap: the largest pair at index 0, which a smaller one
	 * replaces (and which sockstat_window_pass() compares with).
	 */
	if (w->n < w->cap) {
		w->win[w->n++] = p;
		if (w->n == w->cap) {
			sockstat_heapify(w, w->win, w->n);
			w->heap = true;
		}
		return;
	}
	if (sockstat_key_cmp(&p.key, &w->win[0].key) >= 0) {
		sockstat_lower_ceiling(w, &p.key);
		goto drop;
	}
	sockstat_lower_ceiling(w, &w->win[0].key);
	sockstat_pair_put(&w->win[0]);
	w->win[0] = p;
	sockstat_sift_down(w, w->win, 0, w->n);
	return;

drop:
	iput(slot->inode);
}

static bool sockstat_single_pass(void *arg, const struct sockstat_key *k)
{
	struct sockstat_walk *w = arg;

	return sockstat_key_cmp(k, &w->ceiling) != 0;
}

/*
 * The window for a socket with more descriptors than @cap: only its own
 * pairs, as many as fit; the others are counted.
 */
static void sockstat_single_visit(void *arg, struct sockstat_slot *slot)
{
	struct sockstat_walk *w = arg;
	struct sockstat_pair p = sockstat_pair_of(slot);

	if (!sockstat_key_cmp(&p.key, &w->ceiling) &&
	    sockstat_sock_may_match(&w->filter, slot->sock)) {
		if (w->n < w->cap) {
			p.owner = sockstat_owner_of(w, slot);
			if (!w->scan_err) {
				w->win[w->n++] = p;
				return;
			}
		} else {
			w->owners_missing++;
		}
	}
	iput(slot->inode);
}

/* Sort the window, dropping the pairs at or above the ceiling. */
static void sockstat_window_settle(struct sockstat_walk *w)
{
	unsigned int keep = w->n;

	sockstat_window_sort(w);
	if (w->has_ceiling && !w->single)
		for (keep = 0; keep < w->n; keep++)
			if (sockstat_key_cmp(&w->win[keep].key, &w->ceiling) >= 0)
				break;
	sockstat_pairs_put(w, keep, w->n);
	w->n = keep;
}

/*
 * One scan into the window, with an owner table of its own: of every
 * descriptor table, or with @group of those of the PID selector's process
 * only (sockstat_scan_group()).  On a fatal signal, or without memory for
 * the owner table, an empty window.
 */
static int sockstat_window_scan(struct sockstat_walk *w, bool group,
				sockstat_pass_t pass, sockstat_visit_t visit)
{
	u64 t0 = ktime_get_ns();
	int err;

	sockstat_owners_reset(w);
	w->heap = false;
	w->scan_err = 0;
	w->above = 0;
	w->visited = 0;
	w->kept = 0;
	w->scans++;
	w->group = group;
	err = group ? sockstat_scan_group(&w->filter, pass, visit, w) :
		      sockstat_scan(&w->filter, pass, visit, w);
	if (!err)
		err = w->scan_err;
	if (err) {
		sockstat_pairs_put(w, 0, w->n);
		w->n = 0;
		w->err = err;
	} else {
		sockstat_window_settle(w);
	}
	w->scan_ns += ktime_get_ns() - t0;
	return err;
}

/*
 * With a PID selector, the sockets worth a window are that process's: a
 * window is scanned for in its own tables only (sockstat_scan_group(),
 * which costs its descriptors, not the machine's).  That finds every
 * descriptor of theirs, but not those other processes hold of the same
 * sockets (after fork(), or passed with SCM_RIGHTS), which a socket's
 * owners must list.  Those show when the socket is read: its file has
 * more references than the process's descriptors (sockstat_walk_next()).
 * The walk then scans again, every table this time, for a window that
 * starts at that socket (sockstat_walk_widen()), and goes back to the
 * process's tables for the window after it.  A reference held for a
 * moment (a threaded owner's system call on the socket) costs the same
 * scan and finds no more owners; the sockets reported are the same.
 */

/* The largest key below @k: keys compare as numbers. */
static struct sockstat_key sockstat_key_below(const struct sockstat_key *k)
{
	struct sockstat_key b = *k;

	b.sock = (struct socket *)((uintptr_t)k->sock - 1);
	return b;
}

/*
 * The pages of every grown window together (sockstat_window_size()): a
 * /proc reader or a dump can stay open as long as its reader likes, and
 * there can be many of them.
 */
static atomic_long_t sockstat_window_pages = ATOMIC_LONG_INIT(0);

static unsigned long sockstat_window_pages_max(void)
{
	return totalram_pages() / 32;
}

static void sockstat_window_unbudget(struct sockstat_walk *w)
{
	atomic_long_sub(w->grown_pages, &sockstat_window_pages);
	w->grown_pages = 0;
}

/*
 * Before the scan of the next window, once the last one is used up: make
 * room for every pair that is left, as the last scan counted them (the
 * descriptors above the cursor, times the share of those it looked at
 * that the filter kept, less the window's), and 1/64 more for sockets
 * opened meanwhile.  So a dump of any size takes two scans, the bounded
 * first one (it may run under generic netlink's global lock) and one for
 * the rest, where a window of fixed size takes one per 16,384
 * descriptors.  The window stays as it is when the rest fits, past
 * @w->max_cap or the walks' common budget, or when the memory cannot be
 * had: the walk then takes more scans, never an error.
 */
static void sockstat_window_size(struct sockstat_walk *w)
{
	unsigned long left, want, pages;
	struct sockstat_pair *win;

	if (w->max_cap <= w->cap || !w->visited || !w->has_ceiling || w->single)
		return;
	left = mult_frac(w->above, w->kept, w->visited);
	left = left > w->n ? left - w->n : 0;
	want = left + left / 64 + 64;
	if (want <= w->cap)
		return;
	want = min_t(unsigned long, want, w->max_cap);
	pages = DIV_ROUND_UP(want * sizeof(*win), PAGE_SIZE);
	if (atomic_long_add_return(pages, &sockstat_window_pages) >
	    sockstat_window_pages_max()) {
		atomic_long_sub(pages, &sockstat_window_pages);
		return;
	}
	win = kvmalloc_array(want, sizeof(*win), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!win) {
		atomic_long_sub(pages, &sockstat_window_pages);
		return;
	}
	/* For a moment both windows are allocated: that is the peak. */
	w->peak_win = max(w->peak_win, (w->cap + want) * sizeof(*win));
	kvfree(w->win);
	sockstat_window_unbudget(w);
	w->win = win;
	w->cap = want;
	w->grown_pages = pages;
}

/* Scan for the next window; false when there are no more sockets. */
static bool sockstat_walk_fill(struct sockstat_walk *w)
{
	sockstat_window_size(w);
	w->fills++;
	for (;;) {
		w->n = 0;
		w->idx = 0;
		w->has_ceiling = false;
		w->single = false;
		w->owners_missing = 0;
		if (sockstat_window_scan(w, w->filter.pid && !w->widen,
					 sockstat_window_pass,
					 sockstat_window_visit))
			return false;
		w->widen = false;

		if (!w->n && w->has_ceiling) {
			/* The next socket alone has more descriptors than fit. */
			w->single = true;
			if (sockstat_window_scan(w, false, sockstat_single_pass,
						 sockstat_single_visit))
				return false;
			if (!w->n) {
				/* It went away meanwhile: go on after it. */
				w->cursor = w->ceiling;
				continue;
			}
		}
		w->last = !w->has_ceiling;
		if (w->n)
			w->cursor = w->win[w->n - 1].key;
		return w->n;
	}
}

#define SOCKSTAT_OWNERS_FIRST	16

/**
 * sockstat_walk_init() - start a walk
 * @w: the walk
 * @f: the sockets to report; the caller keeps @f's namespaces alive for
 *	as long as the walk lasts
 * @cap: the size of the first window, in descriptors
 * @max_cap: the most descriptors a later window may hold (the window's
 *	size, sockstat_window_size()); @cap for a window that never grows
 *
 * Return: 0 or -ENOMEM.
 */
int sockstat_walk_init(struct sockstat_walk *w, const struct sockstat_filter *f,
		       unsigned int cap, unsigned int max_cap)
{
	*w = (struct sockstat_walk){
		.filter = *f, .cap = cap, .max_cap = max(cap, max_cap),
		.tab_cap = SOCKSTAT_OWNERS_FIRST, .nr_tab = 1,
	};
	w->win = kvmalloc_array(cap, sizeof(*w->win), GFP_KERNEL_ACCOUNT);
	w->tab = kvcalloc(w->tab_cap, sizeof(*w->tab), GFP_KERNEL_ACCOUNT);
	if (!w->win || !w->tab) {
		kvfree(w->win);
		kvfree(w->tab);
		w->win = NULL;
		w->tab = NULL;
		return -ENOMEM;
	}
	w->peak_win = cap * sizeof(*w->win);
	w->peak_tab = w->tab_cap * sizeof(*w->tab);
	return 0;
}

/* Done with the current socket: release its pairs. */
static void sockstat_walk_leave(struct sockstat_walk *w)
{
	if (w->cur) {
		sockstat_pairs_put(w, w->owners - w->win, w->idx);
		w->cur = NULL;
	}
}

/* Release the current socket and the rest of the window. */
static void sockstat_walk_drop(struct sockstat_walk *w)
{
	sockstat_walk_put(w);
	sockstat_walk_leave(w);
	sockstat_pairs_put(w, w->idx, w->n);
	w->idx = w->n;
}

/*
 * The current socket has owners besides the PID selector's process: drop
 * the rest of the window, and have the next fill scan every table from
 * this socket on (the comment above sockstat_key_below()).
 */
static void sockstat_walk_widen(struct sockstat_walk *w)
{
	struct sockstat_key k = w->owners[0].key;

	sockstat_walk_drop(w);
	w->cursor = sockstat_key_below(&k);
	w->last = false;
	w->widen = true;
}

/* Keep the current socket open while the caller reads it (sockref.c). */
static bool sockstat_walk_open(struct sockstat_walk *w)
{
	w->file = sockstat_sock_open(w->cur, &w->file_ref);
	return w->file;
}

/* Whether one of the current socket's descriptors belongs to @pid. */
static bool sockstat_owned_by(const struct sockstat_walk *w, pid_t pid)
{
	unsigned int n = w->nr_owners;

	while (n--)
		if (sockstat_pair_owner(w, &w->owners[n])->nr == pid)
			return true;
	return false;
}

/**
 * sockstat_walk_next() - step to the next socket
 * @w: the walk
 *
 * Return: the socket, kept open (@w->file, see sockref.c) until
 * sockstat_walk_put() or the next step, and @w->owners its descriptors;
 * NULL at the end, or when the walk stopped early (@w->err).  Sleeps.
 */
struct socket *sockstat_walk_next(struct sockstat_walk *w)
{
	struct socket *sock;
	unsigned int first;

	sockstat_walk_put(w);
	if (w->cur && w->again) {
		w->again = false;
		if (sockstat_walk_open(w))
			return w->cur;
	}
	sockstat_walk_leave(w);

	for (;;) {
		if (w->err ||
		    (w->idx == w->n &&
		     (w->last || (w->fill_limit && w->fills >= w->fill_limit) ||
		      !sockstat_walk_fill(w))))
			return NULL;

		first = w->idx;
		sock = w->win[first].key.sock;
		while (w->idx < w->n && w->win[w->idx].key.sock == sock)
			w->idx++;
		w->owners = &w->win[first];
		w->nr_owners = w->idx - first;
		if (!w->single)
			w->owners_missing = 0;

		w->cur = sock;
		if (w->filter.pid &&
		    !sockstat_owned_by(w, w->filter.pid)) {
			sockstat_walk_leave(w);
			continue;
		}
		if (sockstat_walk_open(w) && sockstat_match(&w->filter, sock)) {
			long refs = file_count(w->file) - w->file_ref;

			/* More references than the process's descriptors. */
			if (w->group && refs > w->nr_owners) {
				sockstat_walk_widen(w);
				continue;
			}
			/*
			 * Fewer references than descriptors seen (ours
			 * aside): one of them was closed since the scan,
			 * so the owners we report may be out of date.
			 */
			w->cur_stale = !w->single && refs < w->nr_owners;
			w->stale += w->cur_stale;
			return sock;
		}
		/* Closed since the scan, or changed family (IPV6_ADDRFORM). */
		sockstat_walk_put(w);
		sockstat_walk_leave(w);
	}
}

/* Let the current socket be released again; the walk keeps its place. */
void sockstat_walk_put(struct sockstat_walk *w)
{
	if (w->file) {
		sockstat_sock_close(w->cur, w->file, w->file_ref);
		w->file = NULL;
	}
}

/**
 * sockstat_walk_queued() - done reading the current socket itself: report
 *	what its queues hold, with the socket let go
 * @w: the walk, at a socket (nothing is reported when it was not open)
 * @ino: the socket's inode number
 * @f: as for sockstat_nofd_queued()
 * @pos: as for sockstat_nofd_queued()
 * @emit: as for sockstat_nofd_queued()
 * @arg: as for sockstat_nofd_queued()
 *
 * Reading a long accept queue takes a while, and the owner's close()
 * must not wait for it: the socket is let go first (sockstat_walk_put())
 * and only its struct sock is held, which changes nothing the owner sees
 * (the release runs as usual; our sock_put() may free the memory, as
 * inet_diag's does).
 *
 * Return: what sockstat_nofd_queued() returned, or 0.
 */
int sockstat_walk_queued(struct sockstat_walk *w, u64 ino,
			 const struct sockstat_filter *f, u32 *pos,
			 sockstat_nofd_emit_t emit, void *arg)
{
	struct sock *sk;
	int err = 0;

	/*
	 * Most requests look in no queue: no reference to take, and no call
	 * (whose batch on the stack the kernel may zero at every call).
	 */
	if (!sockstat_nofd_queued_kinds(f)) {
		sockstat_walk_put(w);
		return 0;
	}
	sk = w->file ? READ_ONCE(w->cur->sk) : NULL;
	if (sk)
		sock_hold(sk);
	sockstat_walk_put(w);
	if (sk) {
		err = sockstat_nofd_queued(sk, ino, f, pos, emit, arg);
		sock_put(sk);
	}
	return err;
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
	w->cursor = (struct sockstat_key){};
	w->visited = 0;		/* no estimate for the next window */
	w->last = false;
	w->again = false;
	w->err = 0;
}

/*
 * What the last walk whose window may grow took, for the benchmark
 * (debugfs sockstat/walk, root only): its scans, the socket descriptors
 * they looked at, the time they took (the finding of owners, beside the
 * writing of messages), and the most its window and owner table took.
 */
static struct {
	spinlock_t lock;	/* the fields below, together */
	unsigned long walks;
	unsigned int scans;
	unsigned long looked;
	u64 scan_ns;
	size_t win_bytes;
	size_t tab_bytes;
} sockstat_walk_stats = {
	.lock = __SPIN_LOCK_UNLOCKED(sockstat_walk_stats.lock),
};

static struct dentry *sockstat_debugfs;

/* End the walk and release everything it holds. */
void sockstat_walk_exit(struct sockstat_walk *w)
{
	sockstat_walk_drop(w);
	if (w->max_cap > SOCKSTAT_WINDOW_LOOKUP) {
		spin_lock(&sockstat_walk_stats.lock);
		sockstat_walk_stats.walks++;
		sockstat_walk_stats.scans = w->scans;
		sockstat_walk_stats.scan_ns = w->scan_ns;
		sockstat_walk_stats.looked = w->looked;
		sockstat_walk_stats.win_bytes = w->peak_win;
		sockstat_walk_stats.tab_bytes = w->peak_tab;
		spin_unlock(&sockstat_walk_stats.lock);
	}
	sockstat_owners_reset(w);
	sockstat_window_unbudget(w);
	kvfree(w->win);
	kvfree(w->tab);
	w->win = NULL;
	w->tab = NULL;
}

static int sockstat_walk_stats_show(struct seq_file *m, void *v)
{
	unsigned long walks, looked;
	unsigned int scans;
	size_t win, tab;
	u64 ns;

	spin_lock(&sockstat_walk_stats.lock);
	walks = sockstat_walk_stats.walks;
	scans = sockstat_walk_stats.scans;
	ns = sockstat_walk_stats.scan_ns;
	looked = sockstat_walk_stats.looked;
	win = sockstat_walk_stats.win_bytes;
	tab = sockstat_walk_stats.tab_bytes;
	spin_unlock(&sockstat_walk_stats.lock);
	seq_printf(m, "walks %lu\nlast_scans %u\nlast_descriptors %lu\n"
		   "last_scan_ns %llu\nlast_window_bytes %zu\n"
		   "last_owner_bytes %zu\npair_bytes %zu\n",
		   walks, scans, looked, ns, win, tab,
		   sizeof(struct sockstat_pair));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sockstat_walk_stats);

void sockstat_walk_debugfs_init(void)
{
	sockstat_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("walk", 0400, sockstat_debugfs, NULL,
			    &sockstat_walk_stats_fops);
}

void sockstat_walk_debugfs_exit(void)
{
	debugfs_remove_recursive(sockstat_debugfs);
}

/*
 * Return the rest of the current window, and at most one more (the next
 * step scans for it if the current one is used up); then NULL, without
 * another scan, until the next call of this.  For work done under a
 * lock others wait for: one scan at a time.
 */
void sockstat_walk_one_window(struct sockstat_walk *w)
{
	w->fill_limit = w->fills + (w->idx == w->n);
}

/* Whether every socket has been returned (or the walk stopped early). */
bool sockstat_walk_done(const struct sockstat_walk *w)
{
	return w->err || (w->idx == w->n && w->last);
}
