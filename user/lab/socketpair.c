// SPDX-License-Identifier: GPL-2.0
/*
 * socketpair [-p]: socketpair(AF_UNIX, SOCK_STREAM) between a parent and
 * its child.
 *
 * The pair is connected from the start, and full-duplex (unlike a pipe):
 * the parent keeps one end, the child the other, and each writes its pid
 * (4 bytes) to the other before either reads, so both ends hold unread
 * bytes at once.  The child reads only after the parent's
 * shutdown(SHUT_WR).
 *
 * Pauses (-p): created (one process holds both ends); both-wrote (the
 * parent, when each end holds the other's message).
 */
#define _GNU_SOURCE		/* POLLRDHUP */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab.h"

static const char args[] = "[-p]";

static void send_pid(int fd, const char *who)
{
	uint32_t pid = getpid();

	write_all(fd, &pid, sizeof(pid));
	say("%s wrote its pid (4 bytes) to fd %d", who, fd);
}

static void read_pid(int fd, const char *who)
{
	uint32_t pid;
	ssize_t n;

	do
		n = read(fd, &pid, sizeof(pid));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		die("read");
	if (n == sizeof(pid))
		say("%s read pid %u from fd %d", who, pid, fd);
	else
		say("%s read %zd bytes from fd %d", who, n, fd);
}

static void wait_for(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };

	while (poll(&p, 1, -1) < 0)
		if (errno != EINTR)
			die("poll");
}

int main(int argc, char **argv)
{
	int sv[2];
	pid_t pid;

	lab_start("socketpair");
	if (lab_options(argc, argv, args))
		usage(args);

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		die("socketpair");
	say("socketpair: fd %d and fd %d, connected to each other", sv[0], sv[1]);
	lab_pause("created");

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		close(sv[0]);
		say("child: closed fd %d, keeps fd %d", sv[0], sv[1]);
		send_pid(sv[1], "child:");
		/* Read only after the parent's shutdown(SHUT_WR). */
		wait_for(sv[1], POLLRDHUP);
		read_pid(sv[1], "child:");
		close(sv[1]);
		_exit(0);
	}

	close(sv[1]);
	say("parent: forked child %d, closed fd %d, keeps fd %d", (int)pid, sv[1], sv[0]);
	send_pid(sv[0], "parent:");
	/* Once the child's pid has arrived, both ends hold unread bytes. */
	wait_for(sv[0], POLLIN);
	lab_pause("both-wrote");
	read_pid(sv[0], "parent:");
	shutdown(sv[0], SHUT_WR);
	say("parent: shutdown(SHUT_WR): the child sees the end of our data");
	waitpid(pid, NULL, 0);
	close(sv[0]);
	say("parent: the child has exited; done");
	return 0;
}
