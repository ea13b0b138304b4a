// SPDX-License-Identifier: GPL-2.0
/*
 * unix-stream-srv [-p] [PATH]: an AF_UNIX stream echo server.
 *
 * Binds an AF_UNIX SOCK_STREAM socket to PATH (/tmp/lab-stream.sock),
 * listens (backlog 5) and serves one client at a time: every byte it
 * reads goes back, until the client closes.  Runs until killed.
 *
 * Pauses (-p): listening (before each accept()); accepted; closing (the
 * client has closed its end, before we close ours).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include "lab.h"

static const char args[] = "[-p] [PATH]";

static void serve(int cfd)
{
	char buf[512];
	ssize_t n;

	for (;;) {
		n = read(cfd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		write_all(cfd, buf, n);
		say("fd %d: %zd bytes read and sent back", cfd, n);
	}
	if (n < 0)
		say("read: %s", strerror(errno));
	say("fd %d: the client closed its end", cfd);
	lab_pause("closing");
	close(cfd);
	say("fd %d closed", cfd);
}

int main(int argc, char **argv)
{
	struct sockaddr_un a;
	const char *path = "/tmp/lab-stream.sock";
	const char *arg;
	int lfd;

	lab_start("unix-stream-srv");
	arg = lab_options(argc, argv, args);
	if (arg)
		path = arg;
	a = lab_unix_addr(path, args);

	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (lfd < 0)
		die("socket");
	unlink(path);		/* a file left by an earlier run */
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("bind");
	if (listen(lfd, 5) < 0)
		die("listen");
	say("listening on %s: fd %d, backlog 5", path, lfd);

	for (;;) {
		int cfd;

		lab_pause("listening");
		say("waiting in accept()");
		cfd = accept(lfd, NULL, NULL);
		if (cfd < 0) {
			if (errno == EINTR)
				continue;
			die("accept");
		}
		say("accepted fd %d", cfd);
		lab_pause("accepted");
		serve(cfd);
	}
}
