// SPDX-License-Identifier: GPL-2.0
/*
 * epoll-server [-p] [PORT]: the lecture's multiplexing server.
 *
 * A non-blocking TCP listener on 127.0.0.1:PORT (5000), SO_REUSEADDR,
 * backlog 5, watched by one epoll instance.  Each accepted connection is
 * made non-blocking and added with EPOLLIN | EPOLLET.  A client sends its
 * pid (4 bytes, network byte order); the server answers with a line, and closes its end when the
 * client has closed its own.  Runs until killed.
 *
 * Pauses (-p): listening; pending (the listener is readable: connections
 * wait in its accept queue, before accept()); accepted; request (a
 * connection is readable, its bytes still unread); closing (a client has
 * closed its end, before we close ours).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lab.h"

#define BACKLOG		5
#define MAX_EVENTS	16

static const char args[] = "[-p] [PORT]";

static void set_nonblocking(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		die("fcntl(O_NONBLOCK)");
}

static void watch(int ep, int fd, unsigned int events)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };

	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
		die("epoll_ctl(EPOLL_CTL_ADD)");
}

/* Take every connection of the accept queue, until EAGAIN says it is empty. */
static void accept_all(int ep, int lfd)
{
	for (;;) {
		int cfd = accept(lfd, NULL, NULL);

		if (cfd < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			die("accept");
		}
		set_nonblocking(cfd);
		watch(ep, cfd, EPOLLIN | EPOLLET);
		say("accepted fd %d, %s <- %s; non-blocking, in epoll with EPOLLIN | EPOLLET",
		    cfd, local_str(cfd), peer_str(cfd));
	}
}

/*
 * A connection is readable.  Edge-triggered: read until EAGAIN, or no
 * new event would come for the bytes left behind.
 */
static void serve(int cfd)
{
	char buf[256], reply[320];
	size_t got = 0;
	int unread = 0, eof = 0;

	ioctl(cfd, FIONREAD, &unread);
	if (unread) {
		say("fd %d is readable: %d bytes wait in its receive queue", cfd, unread);
		lab_pause("request");
	} else {
		say("fd %d is readable with nothing to read: the client closed its end", cfd);
		lab_pause("closing");
	}
	for (;;) {
		ssize_t n = read(cfd, buf + got, sizeof(buf) - 1 - got);

		if (n > 0) {
			got += n;
			if (got < sizeof(buf) - 1)
				continue;
			break;
		}
		if (n == 0)
			eof = 1;
		else if (errno == EINTR)
			continue;
		else if (errno != EAGAIN && errno != ECONNRESET)
			die("read");
		break;
	}
	if (got >= sizeof(uint32_t)) {
		uint32_t pid;

		memcpy(&pid, buf, sizeof(pid));
		snprintf(reply, sizeof(reply), "hello pid %u, this is epoll-server pid %d\n",
			 ntohl(pid), (int)getpid());
		write_all(cfd, reply, strlen(reply));
		say("fd %d: read %zu bytes, pid %u; answered", cfd, got, ntohl(pid));
	}
	if (eof) {
		/* close() also takes the descriptor out of the epoll set. */
		close(cfd);
		say("fd %d closed", cfd);
	}
}

int main(int argc, char **argv)
{
	struct epoll_event events[MAX_EVENTS];
	struct sockaddr_in a;
	const char *arg;
	int lfd, ep, one = 1, port = 5000;

	lab_start("epoll-server");
	arg = lab_options(argc, argv, args);
	if (arg)
		port = lab_port(arg, args);

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0)
		die("socket");
	if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		die("setsockopt(SO_REUSEADDR)");
	a = lab_loopback(port);
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("bind");
	if (listen(lfd, BACKLOG) < 0)
		die("listen");
	set_nonblocking(lfd);
	ep = epoll_create1(0);
	if (ep < 0)
		die("epoll_create1");
	watch(ep, lfd, EPOLLIN);
	say("listening on %s: fd %d, backlog %d, non-blocking; epoll fd %d watches it (EPOLLIN)",
	    local_str(lfd), lfd, BACKLOG, ep);
	lab_pause("listening");

	for (;;) {
		int n = epoll_wait(ep, events, MAX_EVENTS, -1), i;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("epoll_wait");
		}
		for (i = 0; i < n; i++) {
			if (events[i].data.fd != lfd) {
				serve(events[i].data.fd);
				continue;
			}
			say("the listener is readable: connections wait in its accept queue");
			lab_pause("pending");
			accept_all(ep, lfd);
			lab_pause("accepted");
		}
	}
}
