// SPDX-License-Identifier: GPL-2.0
/*
 * backlog-server [-p] [-b BACKLOG] [PORT]: a server that never accepts.
 *
 * listen(fd, BACKLOG) (default 0) on 127.0.0.1:PORT (5002), then sleep
 * until killed.  The kernel completes handshakes on its own and queues
 * the connections for an accept() that never comes: the queue takes
 * BACKLOG + 1 of them; the SYNs of further clients are dropped, and
 * those clients wait in SYN_SENT, sending their SYN again now and then.
 *
 * Pause (-p): listening.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lab.h"

static const char args[] = "[-p] [-b BACKLOG] [PORT]";

int main(int argc, char **argv)
{
	int opt, lfd, one = 1, backlog = 0, port = 5002;
	struct sockaddr_in a;
	char *end;

	lab_start("backlog-server");
	while ((opt = getopt(argc, argv, "pb:")) != -1) {
		if (opt == 'p') {
			lab_pausing = 1;
		} else if (opt == 'b') {
			backlog = strtol(optarg, &end, 10);
			if (*end || backlog < 0)
				usage(args);
		} else {
			usage(args);
		}
	}
	if (argc - optind > 1)
		usage(args);
	if (optind < argc)
		port = lab_port(argv[optind], args);

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0)
		die("socket");
	if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		die("setsockopt(SO_REUSEADDR)");
	a = lab_loopback(port);
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("bind");
	if (listen(lfd, backlog) < 0)
		die("listen");
	say("listening on %s: fd %d, backlog %d; never calling accept()",
	    local_str(lfd), lfd, backlog);
	lab_pause("listening");
	say("sleeping");
	for (;;)
		pause();
}
