// SPDX-License-Identifier: GPL-2.0
/*
 * unix-dgram-srv [-p] [PATH]: an AF_UNIX datagram echo server.
 *
 * Binds an AF_UNIX SOCK_DGRAM socket to PATH (/tmp/lab-dgram.sock) and
 * sends every datagram back to the address it came from.  No connection
 * anywhere: each datagram carries its sender's address.  Runs until
 * killed.
 *
 * Pauses (-p): bound (before the first recvfrom()); echoed (after each
 * answer).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include "lab.h"

static const char args[] = "[-p] [PATH]";

int main(int argc, char **argv)
{
	struct sockaddr_un a;
	const char *path = "/tmp/lab-dgram.sock";
	const char *arg;
	int fd;

	lab_start("unix-dgram-srv");
	arg = lab_options(argc, argv, args);
	if (arg)
		path = arg;
	a = lab_unix_addr(path, args);

	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	unlink(path);		/* a file left by an earlier run */
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("bind");
	say("fd %d bound to %s; waiting for datagrams", fd, path);
	lab_pause("bound");

	for (;;) {
		struct sockaddr_un from;
		socklen_t len = sizeof(from);
		char buf[512];
		ssize_t n;

		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("recvfrom");
		}
		say("%zd bytes from %s", n, addr_str((struct sockaddr *)&from, len));
		if (sendto(fd, buf, n, 0, (struct sockaddr *)&from, len) < 0)
			say("sendto %s: %s", addr_str((struct sockaddr *)&from, len),
			    strerror(errno));
		else
			say("sent them back");
		lab_pause("echoed");
	}
}
