/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading and unloading sockstat.ko from a test (root; $SOCKSTAT_KO names
 * the module file).
 */
#ifndef SOCKSTAT_TEST_MODLOAD_H
#define SOCKSTAT_TEST_MODLOAD_H

int ss_module_load(void);	/* 0 (also if loaded already) or -errno */
/* The same with module parameters ("event_ring=16"). */
int ss_module_load_args(const char *args);
int ss_module_unload(void);	/* 0, or -EWOULDBLOCK while it is in use */
int ss_module_loaded(void);

#endif
