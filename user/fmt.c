// SPDX-License-Identifier: GPL-2.0
/*
 * Decimal numbers and dotted quads, written by hand (see fmt.h).
 */
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

/* Write @v in decimal at @p; returns the end (not terminated). */
static char *put_u64(char *p, unsigned long long v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

char *fmt_u64_end(char *buf, unsigned long long v)
{
	char *end = put_u64(buf, v);

	*end = 0;
	return end;
}

char *fmt_u64(char *buf, unsigned long long v)
{
	fmt_u64_end(buf, v);
	return buf;
}

char *fmt_int(char *buf, long long v)
{
	char *p = buf;

	if (v < 0) {
		*p++ = '-';
		*put_u64(p, -(unsigned long long)v) = 0;
	} else {
		*put_u64(p, v) = 0;
	}
	return buf;
}

char *fmt_ipv4(char *buf, const unsigned char *a)
{
	char *p = buf;
	int i;

	for (i = 0; i < 4; i++) {
		if (i)
			*p++ = '.';
		p = put_u64(p, a[i]);
	}
	*p = 0;
	return buf;
}

void fmt_join(char *buf, size_t len, const char *a, const char *sep,
	      const char *b)
{
	const char *parts[3] = { a, sep, b };
	size_t off = 0, n;
	int i;

	if (!len)
		return;
	for (i = 0; i < 3; i++) {
		n = strlen(parts[i]);
		if (n > len - 1 - off)
			n = len - 1 - off;
		memcpy(buf + off, parts[i], n);
		off += n;
	}
	buf[off] = 0;
}

/* sbuf_put() when @n does not fit (or after a failure). */
void sbuf_grow(struct sbuf *b, const char *s, size_t n)
{
	if (b->err)
		return;
	if (n > b->cap - b->n) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;

		while (cap - b->n < n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			b->err = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

void sbuf_puts(struct sbuf *b, const char *s)
{
	sbuf_put(b, s, strlen(s));
}

void sbuf_u64_long(struct sbuf *b, unsigned long long v)
{
	char num[24];

	/* Straight into the buffer when 20 digits fit. */
	if (b->cap - b->n >= 20 && !b->err) {
		b->n = put_u64(b->p + b->n, v) - b->p;
		return;
	}
	sbuf_put(b, num, put_u64(num, v) - num);
}
