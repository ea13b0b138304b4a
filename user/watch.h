/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SOCKSTAT_WATCH_H
#define SOCKSTAT_WATCH_H

#include "client.h"
#include "row.h"
#include "table.h"

/* "watch" (@poll_only: dumps only): until SIGINT or SIGTERM; 0 or -errno. */
int watch_run(struct client *c, const struct filter *f, const struct table *t,
	      double interval, int poll_only);

#endif
