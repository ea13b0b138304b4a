/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SOCKSTAT_FMT_H
#define SOCKSTAT_FMT_H

#include <stddef.h>
#include <string.h>

/*
 * Numbers and IPv4 addresses as text without printf(), for the table's
 * rows: a dump of 100,000 sockets formats a few million of them.  @buf
 * must hold 21 bytes (fmt_u64) or 16 (fmt_ipv4); returns @buf.
 */
char *fmt_u64(char *buf, unsigned long long v);
/* The same, returning the terminating NUL: the number's length is known. */
char *fmt_u64_end(char *buf, unsigned long long v);
char *fmt_int(char *buf, long long v);
char *fmt_ipv4(char *buf, const unsigned char *a);
/* @a, @sep and @b into @buf of @len bytes, cut to fit, as snprintf() would. */
void fmt_join(char *buf, size_t len, const char *a, const char *sep,
	      const char *b);

/*
 * Text built in memory and written with one fwrite(): a stdio call per
 * piece takes the stream's lock each time.  Grows as needed; after a
 * failed allocation @err is set and nothing more is added.
 */
struct sbuf {
	char *p;
	size_t n, cap;
	int err;
};

void sbuf_grow(struct sbuf *b, const char *s, size_t n);
void sbuf_puts(struct sbuf *b, const char *s);
void sbuf_u64_long(struct sbuf *b, unsigned long long v);

/*
 * @n bytes from @s to @d, inline up to 32 (two stores that may overlap):
 * most of what JSON copies is a key or a number of a few bytes, and a
 * call to memcpy() costs more than the copy.
 */
static inline void copy_short(char *d, const char *s, size_t n)
{
	if (n > 16 && n <= 32) {
		memcpy(d, s, 16);
		memcpy(d + n - 16, s + n - 16, 16);
	} else if (n >= 8 && n <= 16) {
		memcpy(d, s, 8);
		memcpy(d + n - 8, s + n - 8, 8);
	} else if (n >= 4 && n < 8) {
		memcpy(d, s, 4);
		memcpy(d + n - 4, s + n - 4, 4);
	} else if (n < 4) {
		while (n--)
			*d++ = *s++;
	} else {
		memcpy(d, s, n);
	}
}

/* Inline while it fits: JSON puts a few bytes at a time, 80 times a socket. */
static inline void sbuf_put(struct sbuf *b, const char *s, size_t n)
{
	if (n <= b->cap - b->n && !b->err) {
		copy_short(b->p + b->n, s, n);
		b->n += n;
	} else {
		sbuf_grow(b, s, n);
	}
}

/* Inline: JSON writes most of its text a byte or two at a time. */
static inline void sbuf_putc(struct sbuf *b, char c)
{
	if (b->n < b->cap)
		b->p[b->n++] = c;
	else
		sbuf_put(b, &c, 1);
}

/* Inline for one digit: most of a socket's numbers are 0 or small. */
static inline void sbuf_u64(struct sbuf *b, unsigned long long v)
{
	if (v < 10)
		sbuf_putc(b, '0' + v);
	else
		sbuf_u64_long(b, v);
}

#endif
