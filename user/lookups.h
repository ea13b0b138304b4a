/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SOCKSTAT_LOOKUPS_H
#define SOCKSTAT_LOOKUPS_H

/*
 * getpwuid() and getservbyport() answers, remembered: both read a file
 * from its start at every call (a table of 100,000 rows would read
 * /etc/passwd and /etc/services 100,000 times each).  NULL: no name.
 */
const char *user_name_cached(unsigned int uid);
const char *service_name_cached(unsigned int port, int udp);	/* host order */

#endif
