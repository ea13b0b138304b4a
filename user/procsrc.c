// SPDX-License-Identifier: GPL-2.0
/*
 * --source proc: the same table from /proc/net/sockstat_sockets, parsed
 * into the rows the netlink replies give, every filter applied here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "procsrc.h"

int proc_table(const char *path, const struct filter *f, struct table *t)
{
	struct proc_cols *cols = NULL;
	struct row r = { 0 };
	char *line = NULL;
	size_t cap = 0;
	int err = 0;
	FILE *fp;

	fp = fopen(path, "re");
	if (!fp)
		return -errno;
	if (getline(&line, &cap, fp) < 0) {
		err = ferror(fp) ? -errno : -ENODATA;
		goto out;
	}
	cols = row_proc_header(line);
	if (!cols) {
		err = -ENOTSUP;
		goto out;
	}
	while (getline(&line, &cap, fp) >= 0) {
		if (row_from_proc(&r, line, cols)) {
			err = -EBADMSG;
			goto out;
		}
		if (row_match(&r, f, 0))
			table_row(t, &r);
	}
	if (ferror(fp))
		err = -errno;
out:
	free(cols);
	free(line);
	row_free(&r);
	fclose(fp);
	return err;
}
