// SPDX-License-Identifier: GPL-2.0
/*
 * unix-dgram-cli [-p] [-c] [PATH]: the client of unix-dgram-srv.
 *
 * Binds its own AF_UNIX datagram socket to /tmp/lab-dgram-cli-PID.sock
 * (the server needs an address to answer to), sends its pid (4 bytes) to
 * PATH (/tmp/lab-dgram.sock) with sendto(), waits for the echo, removes its
 * file and exits.
 *
 * -c: connect() to the server first, then send() and recv().  A
 * datagram connect() only records the peer: no handshake, nothing sent.
 *
 * Pauses (-p): bound; connected (with -c); sent (before waiting for the
 * echo); answered (before closing).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include "lab.h"

static const char args[] = "[-p] [-c] [PATH]";

int main(int argc, char **argv)
{
	struct sockaddr_un srv = { .sun_family = AF_UNIX }, me = { .sun_family = AF_UNIX };
	const char *path = "/tmp/lab-dgram.sock";
	int opt, fd, connected = 0;
	uint32_t pid = htonl(getpid()), echo;
	ssize_t n;

	lab_start("unix-dgram-cli");
	while ((opt = getopt(argc, argv, "pc")) != -1) {
		if (opt == 'p')
			lab_pausing = 1;
		else if (opt == 'c')
			connected = 1;
		else
			usage(args);
	}
	if (argc - optind > 1)
		usage(args);
	if (optind < argc)
		path = argv[optind];
	if (strlen(path) >= sizeof(srv.sun_path))
		usage(args);
	strcpy(srv.sun_path, path);
	snprintf(me.sun_path, sizeof(me.sun_path), "/tmp/lab-dgram-cli-%d.sock", (int)getpid());

	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	if (bind(fd, (struct sockaddr *)&me, sizeof(me)) < 0)
		die("bind");
	say("fd %d bound to %s", fd, me.sun_path);
	lab_pause("bound");

	if (connected) {
		if (connect(fd, (struct sockaddr *)&srv, sizeof(srv)) < 0)
			die("connect");
		say("connected to %s (nothing was sent)", path);
		lab_pause("connected");
		if (send(fd, &pid, sizeof(pid), 0) < 0)
			die("send");
	} else if (sendto(fd, &pid, sizeof(pid), 0, (struct sockaddr *)&srv, sizeof(srv)) < 0) {
		die("sendto");
	}
	say("sent our pid, %d, as one datagram of 4 bytes to %s", (int)getpid(), path);
	lab_pause("sent");

	n = recv(fd, &echo, sizeof(echo), 0);
	if (n < 0)
		die("recv");
	say("echo: %zd bytes, pid %u", n, ntohl(echo));
	lab_pause("answered");
	close(fd);
	unlink(me.sun_path);
	say("closed, %s removed", me.sun_path);
	return 0;
}
