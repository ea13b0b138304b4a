/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SOCKSTAT_SHOW_H
#define SOCKSTAT_SHOW_H

#include "row.h"

/* "show INODE": the socket of a netlink reply, field by kernel field. */
void show_socket(const struct row *r);

#endif
