/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SOCKSTAT_NAMES_H
#define SOCKSTAT_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* Names as the kernel spells them, without their prefix; NULL if unknown. */
const char *family_name(unsigned int family);	/* AF_INET -> "inet" */
const char *type_name(unsigned int type);	/* SOCK_STREAM -> "stream" */
const char *ss_state_name(unsigned int state);	/* SS_CONNECTED -> "SS_CONNECTED" */
const char *sk_state_name(unsigned int state);	/* TCP_LISTEN -> "LISTEN" */
const char *protocol_name(unsigned int family, unsigned int protocol);
const char *nofd_name(unsigned int kind);	/* SOCKSTAT_NOFD_ACCEPT -> "accept" */
const char *timer_name(unsigned int timer);	/* SOCKSTAT_TIMER_* -> "retransmit" */

/*
 * @name, or @v as a number in @buf when there is no name or @numeric is
 * set (-n); returns the text to print.
 */
const char *name_or_number(const char *name, unsigned int v, int numeric,
			   char *buf, size_t len);

/* Parse a name or a number; -1 if it is neither. */
int family_parse(const char *s);
int type_parse(const char *s);
int ss_state_parse(const char *s);	/* "connected", "SS_CONNECTED", 3 */
int sk_state_parse(const char *s);	/* "listen", "syn-sent", "TCP_LISTEN", 10 */
int nofd_parse(const char *s);		/* "accept", "in-flight", 1 */

/* Bit sets by name ("NOSPACE|PASSCRED"), "-" when empty. */
void sock_flags_str(char *buf, size_t len, unsigned int v);	/* SOCKSTAT_SOCK_F_* */
void sockopts_str(char *buf, size_t len, unsigned int v);	/* SOCKSTAT_SO_* */
void file_flags_str(char *buf, size_t len, unsigned int v);	/* O_* */

#endif
