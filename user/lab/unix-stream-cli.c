// SPDX-License-Identifier: GPL-2.0
/*
 * unix-stream-cli [-p] [PATH]: the client of unix-stream-srv.
 *
 * Connects an unnamed AF_UNIX stream socket to PATH
 * (/tmp/lab-stream.sock), sends its pid (4 bytes), reads the echo, closes.
 *
 * Pauses (-p): connected (before sending); answered (before closing).
 */
#include <arpa/inet.h>
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
	const char *path = "/tmp/lab-stream.sock";
	uint32_t pid = htonl(getpid()), echo;
	char *buf = (char *)&echo;
	size_t got = 0;
	const char *arg;
	int fd;

	lab_start("unix-stream-cli");
	arg = lab_options(argc, argv, args);
	if (arg)
		path = arg;
	a = lab_unix_addr(path, args);

	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("connect");
	say("fd %d connected to %s (our own address: %s)", fd, path, local_str(fd));
	lab_pause("connected");

	write_all(fd, &pid, sizeof(pid));
	say("sent our pid, %d, as 4 bytes", (int)getpid());
	while (got < sizeof(echo)) {
		ssize_t n = read(fd, buf + got, sizeof(echo) - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("read");
		if (n == 0)
			break;
		got += n;
	}
	say("echo: %zu bytes, pid %u", got, ntohl(echo));
	lab_pause("answered");
	close(fd);
	say("closed");
	return 0;
}
