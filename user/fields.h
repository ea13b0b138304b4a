/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The attributes of a socket as sockstat-nl shows them: one table drives
 * the JSON output and the detailed view.
 */
#ifndef SOCKSTAT_FIELDS_H
#define SOCKSTAT_FIELDS_H

#include <stdio.h>
#include <netlink/attr.h>

/* How an attribute's payload reads. */
enum field_kind {
	F_U8, F_U16, F_U32, F_U64, F_FLAG, F_STRING,
	F_INADDR,	/* 4 or 16 bytes: an IPv4 or IPv6 address */
	F_UNIXNAME,	/* sun_path as bind() stored it */
	F_NEST,		/* handled by its own table */
};

/*
 * sect: where "show" lists it: 'f' the file, 's' struct socket, 'k' struct
 * sock, 'a' the family's part, 'w' waiters, 'o' owners, 't' TCP, 'n' why
 * no descriptor reaches it.
 */
struct field {
	int attr;
	const char *name;	/* the spec's name, '-' as '_' */
	enum field_kind kind;
	char sect;
	const char *kfield;	/* the kernel field it comes from */
};

extern const struct field sock_fields[];
extern const struct field owner_fields[];
extern const struct field tcp_fields[];

/* The JSON schema version of "sockstat-nl -j" (Documentation/sockstat-nl.rst). */
#define SOCKSTAT_JSON_SCHEMA	1

struct sock_msg;

/* Write one socket as a JSON object (no trailing newline); 0 or -ENOMEM. */
int json_socket(FILE *f, const struct sock_msg *m);

struct sbuf;
/* A JSON string of @len bytes of @s, after @prefix, escaped. */
void json_string(struct sbuf *b, const char *prefix, const char *s, size_t len);

/* The value as text, names for the bit sets the module defines. */
void field_text(char *buf, size_t len, const struct field *fl, struct nlattr *a);

/*
 * The same, with the name of the number when it has one: "LISTEN (10)"
 * (as "show" and the graph's tooltips give it).
 */
void field_value(char *buf, size_t len, const struct field *fl, struct nlattr *a);

/* Parse the attributes of an owner or TCP nest. */
int parse_nest(struct nlattr **tb, int max, struct nlattr *nest);

#endif
