// SPDX-License-Identifier: GPL-2.0
/*
 * fork-server [-p] [PORT]: the fork-per-client server.
 *
 * socket, bind 127.0.0.1:PORT (5001), listen, then for each client:
 * accept, fork; the child closes the listener and serves the client
 * (its pid in, 4 bytes; one line out); the parent closes the connection and goes
 * back to accept().  Runs until killed.
 *
 * Right after fork() both processes hold both sockets: one socket, two
 * owners, until each closes the copy it does not need.  So that one
 * process is paused at a time, the child waits for the parent (a pipe)
 * before it closes the listener.
 *
 * Pauses (-p): listening (before the first accept()); accepted (before
 * fork()); forked (the parent, before it closes the connection);
 * parent-closed (the parent, after); child-closed (the child, after
 * closing the listener); answered (the child, before it exits).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lab.h"

static const char args[] = "[-p] [PORT]";

static void child(int lfd, int cfd, int baton)
{
	char buf[256], reply[320];
	size_t got = 0;
	uint32_t pid;
	ssize_t n;

	/* Wait until the parent has closed its copy of the connection. */
	if (read(baton, buf, 1) < 0)
		die("read(baton)");
	close(baton);
	close(lfd);
	say("child: closed its copy of the listener (fd %d); serving fd %d", lfd, cfd);
	lab_pause("child-closed");
	while (got < sizeof(pid)) {
		n = read(cfd, buf + got, sizeof(pid) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("read");
		if (n == 0)
			break;
		got += n;
	}
	if (got < sizeof(pid)) {
		say("child: the client closed before sending its pid");
		_exit(1);
	}
	memcpy(&pid, buf, sizeof(pid));
	snprintf(reply, sizeof(reply), "hello pid %u, this is fork-server child pid %d\n",
		 ntohl(pid), (int)getpid());
	write_all(cfd, reply, strlen(reply));
	say("child: read pid %u, answered", ntohl(pid));
	lab_pause("answered");
	close(cfd);
	say("child: closed fd %d, exiting", cfd);
	_exit(0);
}

int main(int argc, char **argv)
{
	const char *arg;
	int lfd, one = 1, port = 5001;
	struct sockaddr_in a;

	lab_start("fork-server");
	arg = lab_options(argc, argv, args);
	if (arg)
		port = lab_port(arg, args);
	/* Exited children are reaped by the kernel: no zombies. */
	signal(SIGCHLD, SIG_IGN);

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0)
		die("socket");
	if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		die("setsockopt(SO_REUSEADDR)");
	a = lab_loopback(port);
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("bind");
	if (listen(lfd, 5) < 0)
		die("listen");
	say("listening on %s: fd %d, backlog 5", local_str(lfd), lfd);
	lab_pause("listening");

	for (;;) {
		int cfd, baton[2];
		pid_t pid;

		say("waiting in accept()");
		cfd = accept(lfd, NULL, NULL);
		if (cfd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			die("accept");
		}
		say("accepted fd %d, %s <- %s", cfd, local_str(cfd), peer_str(cfd));
		lab_pause("accepted");

		if (pipe(baton) < 0)
			die("pipe");
		fflush(stdout);
		pid = fork();
		if (pid < 0)
			die("fork");
		if (!pid) {
			close(baton[1]);
			child(lfd, cfd, baton[0]);
		}
		close(baton[0]);
		say("forked child %d: both processes hold fd %d (listener) and fd %d (connection)",
		    (int)pid, lfd, cfd);
		lab_pause("forked");
		close(cfd);
		say("parent: closed its copy of the connection (fd %d)", cfd);
		lab_pause("parent-closed");
		/* The child may go on now. */
		write_all(baton[1], "", 1);
		close(baton[1]);
	}
}
