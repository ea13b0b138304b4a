// SPDX-License-Identifier: GPL-2.0
/*
 * tcp-client [-p] [-n] [PORT]: the client of epoll-server and fork-server.
 *
 * Connects to 127.0.0.1:PORT (5000), sends its pid (4 bytes, network byte
 * order), prints the answer and closes.  A refused connection is reported, and the socket kept open
 * until the end so that it can be looked at.
 *
 * -n: connect() without blocking: wait for the handshake with poll(),
 * read the result with getsockopt(SO_ERROR), then call connect() again
 * (socket->state moves from SS_CONNECTING to SS_CONNECTED only then).
 *
 * Pauses (-p): connected (before sending); answered (before closing);
 * refused (after a failed connect); with -n also handshake-done (after
 * poll()) and so-error (after getsockopt()).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lab.h"

static const char args[] = "[-p] [-n] [PORT]";

static void refused(int fd, const char *what)
{
	say("%s: %s", what, strerror(errno));
	lab_pause("refused");
	close(fd);
}

/* The -n way; 0 once connected, -1 (errno set) if not. */
static int connect_nonblocking(int fd, const struct sockaddr_in *a)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	socklen_t len = sizeof(int);
	int err = 0, fl = fcntl(fd, F_GETFL);

	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	if (!connect(fd, (const struct sockaddr *)a, sizeof(*a))) {
		say("connect: done at once");
		goto blocking;
	}
	if (errno != EINPROGRESS)
		return -1;
	say("connect: EINPROGRESS, the SYN is sent; waiting in poll() for POLLOUT");
	if (poll(&p, 1, -1) < 0)
		die("poll");
	say("poll: revents 0x%x, the handshake is over", p.revents);
	lab_pause("handshake-done");
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		die("getsockopt(SO_ERROR)");
	say("getsockopt(SO_ERROR): %d (%s)", err, err ? strerror(err) : "no error");
	lab_pause("so-error");
	if (connect(fd, (const struct sockaddr *)a, sizeof(*a)) < 0)
		return -1;
	say("connect again: 0");
blocking:
	fcntl(fd, F_SETFL, fl);
	return 0;
}

int main(int argc, char **argv)
{
	int opt, fd, nonblocking = 0, port = 5000;
	uint32_t pid = htonl(getpid());
	char answer[512];
	struct sockaddr_in a;
	size_t got = 0;

	lab_start("tcp-client");
	while ((opt = getopt(argc, argv, "pn")) != -1) {
		if (opt == 'p')
			lab_pausing = 1;
		else if (opt == 'n')
			nonblocking = 1;
		else
			usage(args);
	}
	if (argc - optind > 1)
		usage(args);
	if (optind < argc)
		port = lab_port(argv[optind], args);

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	a = lab_loopback(port);
	say("socket fd %d; connecting to %s%s", fd,
	    addr_str((struct sockaddr *)&a, sizeof(a)), nonblocking ? " without blocking" : "");
	if (nonblocking ? connect_nonblocking(fd, &a) :
	    connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		if (errno != ECONNREFUSED && errno != ECONNABORTED)
			die("connect");
		refused(fd, "connect");
		return 1;
	}
	say("connected: %s -> %s", local_str(fd), peer_str(fd));
	lab_pause("connected");

	write_all(fd, &pid, sizeof(pid));
	say("sent our pid, %d, as 4 bytes in network byte order; waiting for the answer",
	    (int)getpid());
	while (got < sizeof(answer) - 1) {
		ssize_t n = read(fd, answer + got, sizeof(answer) - 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("read");
		if (n == 0)
			break;
		got += n;
		if (memchr(answer, '\n', got))
			break;
	}
	answer[got] = 0;
	answer[strcspn(answer, "\n")] = 0;
	say("answer: \"%s\"", answer);
	lab_pause("answered");
	close(fd);
	say("closed");
	return 0;
}
