/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SOCKSTAT_METRICS_H
#define SOCKSTAT_METRICS_H

#include "client.h"

/*
 * "metrics": the sockets of this network namespace as OpenMetrics text
 * (Documentation/metrics.rst), on stdout, or in @output, replaced
 * atomically (a temporary file in the same directory, renamed over it).
 * 0 or -errno; *@what says what failed ("dump", or the file).
 */
int metrics_run(struct client *c, const char *output, const char **what);

#endif
