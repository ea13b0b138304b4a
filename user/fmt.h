/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SOCKSTAT_FMT_H
#define SOCKSTAT_FMT_H

#include <stddef.h>

/*
 * Numbers and IPv4 addresses as text without printf(), for the table's
 * rows: a dump of 100,000 sockets formats a few million of them.  @buf
 * must hold 21 bytes (fmt_u64) or 16 (fmt_ipv4); returns @buf.
 */
char *fmt_u64(char *buf, unsigned long long v);
char *fmt_int(char *buf, long long v);
char *fmt_ipv4(char *buf, const unsigned char *a);
/* @a, @sep and @b into @buf of @len bytes, cut to fit, as snprintf() would. */
void fmt_join(char *buf, size_t len, const char *a, const char *sep,
	      const char *b);

#endif
