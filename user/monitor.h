/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SOCKSTAT_MONITOR_H
#define SOCKSTAT_MONITOR_H

#include "client.h"
#include "row.h"

/* "monitor": the kernel's events until SIGINT or SIGTERM; 0 or -errno. */
int monitor_run(struct client *c, const struct filter *f, int json, int numeric);

#endif
