// SPDX-License-Identifier: GPL-2.0
/*
 * sockstat: the live state of every socket, as struct socket and struct
 * sock hold it, over Generic Netlink and in /proc/net/sockstat_sockets.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <uapi/linux/sockstat.h>

#include "compat.h"
#include "events.h"
#include "sockstat.h"

/*
 * What the module cannot report on the kernel it was built for
 * (compat.h), for modinfo's "not_reported" field, words separated by
 * spaces, "none" when nothing: "in-flight" where the kernel keeps
 * AF_UNIX's message control block private; "pass-flags" where SO_PASSCRED,
 * SO_PASSSEC and SO_PASSPIDFD moved from socket->flags to struct sock
 * (they are then SOCKOPTS bits only, not FLAGS bits).
 */
#if SOCKSTAT_IN_FLIGHT_READABLE && !defined(SOCKSTAT_HAVE_SK_SCM_FLAGS)
#define SOCKSTAT_NOT_REPORTED	"none"
#elif SOCKSTAT_IN_FLIGHT_READABLE
#define SOCKSTAT_NOT_REPORTED	"pass-flags"
#elif !defined(SOCKSTAT_HAVE_SK_SCM_FLAGS)
#define SOCKSTAT_NOT_REPORTED	"in-flight"
#else
#define SOCKSTAT_NOT_REPORTED	"in-flight pass-flags"
#endif

static int __init sockstat_init(void)
{
	int err;

	if (!SOCKSTAT_IN_FLIGHT_READABLE)
		pr_info("sockstat: sockets in flight (SCM_RIGHTS) are not reported: this kernel keeps AF_UNIX's message control block private\n");

	sockstat_walk_debugfs_init();
	err = sockstat_events_init();
	if (err)
		goto err_debugfs;
	err = sockstat_proc_init();
	if (err)
		goto err_events;
	err = sockstat_netlink_init();
	if (err)
		goto err_proc;
	return 0;

err_proc:
	sockstat_proc_exit();
err_events:
	sockstat_events_exit();
err_debugfs:
	sockstat_walk_debugfs_exit();
	return err;
}

static void __exit sockstat_exit(void)
{
	/* No request after this; then the subscribers and probes go. */
	sockstat_netlink_exit();
	sockstat_events_exit();
	sockstat_proc_exit();
	sockstat_walk_debugfs_exit();
}

module_init(sockstat_init);
module_exit(sockstat_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Socket state (struct socket, struct sock) over Generic Netlink");
MODULE_VERSION(SOCKSTAT_VERSION);
MODULE_ALIAS_GENL_FAMILY(SOCKSTAT_FAMILY_NAME);
MODULE_INFO(not_reported, SOCKSTAT_NOT_REPORTED);
