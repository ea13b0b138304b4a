/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SOCKSTAT_PROCSRC_H
#define SOCKSTAT_PROCSRC_H

#include "row.h"
#include "table.h"

#define SOCKSTAT_PROC_PATH "/proc/net/sockstat_sockets"

/*
 * The table from the /proc file at @path.  0 or -errno: -ENOENT the file
 * is not there, -ENOTSUP its columns are not the ones we read (an older
 * module), -EBADMSG a line we could not parse.
 */
int proc_table(const char *path, const struct filter *f, struct table *t);

#endif
