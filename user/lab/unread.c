// SPDX-License-Identifier: GPL-2.0
/*
 * unread [-p] [-n BYTES] [PORT]: data that waits in a receive queue.
 *
 * One process makes a TCP connection to itself through a listener on
 * 127.0.0.1:PORT (5004) and writes BYTES (3) bytes into it, one at a
 * time, without reading: the receiving socket's queue grows byte by byte.
 * Then recv(MSG_PEEK) copies the bytes out and leaves them queued; read()
 * takes them.
 *
 * Pauses (-p): connected; wrote-N after the N-th byte; peeked; read-1
 * (after reading one byte); drained.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <linux/sockios.h>
#include <unistd.h>

#include "lab.h"

static const char args[] = "[-p] [-n BYTES] [PORT]";

/* Loopback delivers at once, but make sure before pausing. */
static int wait_unread(int fd, int want)
{
	int unread = -1;

	for (;;) {
		ioctl(fd, FIONREAD, &unread);
		if (unread == want)
			return unread;
		usleep(1000);
	}
}

/* Until the receiver has acknowledged every byte (the ACK may be delayed). */
static void wait_acked(int fd)
{
	int unacked = -1;

	for (;;) {
		ioctl(fd, SIOCOUTQ, &unacked);
		if (!unacked)
			return;
		usleep(1000);
	}
}

int main(int argc, char **argv)
{
	int opt, lfd, wfd, rfd, i, one = 1, bytes = 3, port = 5004, rcvbuf;
	socklen_t len = sizeof(rcvbuf);
	struct sockaddr_in a;
	char step[32], buf[64];
	char *end;
	ssize_t n;

	lab_start("unread");
	while ((opt = getopt(argc, argv, "pn:")) != -1) {
		if (opt == 'p') {
			lab_pausing = 1;
		} else if (opt == 'n') {
			bytes = strtol(optarg, &end, 10);
			if (*end || bytes < 1 || bytes > (int)sizeof(buf))
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
	wfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || wfd < 0)
		die("socket");
	if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		die("setsockopt(SO_REUSEADDR)");
	a = lab_loopback(port);
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(lfd, 1) < 0)
		die("bind/listen");
	if (connect(wfd, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("connect");
	rfd = accept(lfd, NULL, NULL);
	if (rfd < 0)
		die("accept");
	close(lfd);
	getsockopt(rfd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &len);
	say("writer fd %d (%s), reader fd %d (%s); the reader's SO_RCVBUF is %d bytes",
	    wfd, local_str(wfd), rfd, local_str(rfd), rcvbuf);
	lab_pause("connected");

	for (i = 1; i <= bytes; i++) {
		write_all(wfd, "x", 1);
		wait_acked(wfd);
		say("wrote byte %d; unread on the reader: %d (FIONREAD)", i,
		    wait_unread(rfd, i));
		snprintf(step, sizeof(step), "wrote-%d", i);
		lab_pause(step);
	}

	n = recv(rfd, buf, bytes, MSG_PEEK);
	if (n < 0)
		die("recv(MSG_PEEK)");
	say("recv(MSG_PEEK) copied %zd bytes; unread: %d", n, wait_unread(rfd, bytes));
	lab_pause("peeked");
	n = read(rfd, buf, 1);
	if (n < 0)
		die("read");
	say("read 1 byte; unread: %d", wait_unread(rfd, bytes - 1));
	lab_pause("read-1");
	n = read(rfd, buf, sizeof(buf));
	if (n < 0)
		die("read");
	say("read %zd bytes; unread: %d", n, wait_unread(rfd, 0));
	lab_pause("drained");
	close(rfd);
	close(wfd);
	return 0;
}
