// SPDX-License-Identifier: GPL-2.0
/*
 * udp-connected [-p] [PORT]: a connected UDP socket next to an
 * unconnected one, in one process.
 *
 * A "server" socket is bound to 127.0.0.1:PORT (5003).  A second socket
 * calls connect() to it: the kernel picks a local port and records the
 * peer; no packet is sent, there is no handshake.  Then the client
 * send()s its pid (4 bytes) without an address, the server answers with sendto() to the
 * address recvfrom() gave it.
 *
 * Pauses (-p): created; connected; sent (the datagram waits in the
 * server's receive queue); answered.
 */
#include <stdio.h>
#include <unistd.h>

#include "lab.h"

static const char args[] = "[-p] [PORT]";

int main(int argc, char **argv)
{
	struct sockaddr_in a, from;
	socklen_t len = sizeof(from);
	const char *arg;
	int srv, cli, port = 5003;
	uint32_t pid = htonl(getpid());
	char buf[512];
	ssize_t n;

	lab_start("udp-connected");
	arg = lab_options(argc, argv, args);
	if (arg)
		port = lab_port(arg, args);

	srv = socket(AF_INET, SOCK_DGRAM, 0);
	cli = socket(AF_INET, SOCK_DGRAM, 0);
	if (srv < 0 || cli < 0)
		die("socket");
	a = lab_loopback(port);
	if (bind(srv, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("bind");
	say("server fd %d bound to %s; client fd %d not bound", srv, local_str(srv), cli);
	lab_pause("created");

	if (connect(cli, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("connect");
	say("client connected: %s -> %s, and no packet was sent", local_str(cli), peer_str(cli));
	lab_pause("connected");

	if (send(cli, &pid, sizeof(pid), 0) < 0)
		die("send");
	/*
	 * Loopback delivers the datagram before send() returns.  (No
	 * FIONREAD here to check: on UDP it moves the waiting datagrams
	 * from sk_receive_queue to a queue of UDP's own.)
	 */
	say("client sent its pid: 4 bytes, waiting in the server's receive queue");
	lab_pause("sent");

	n = recvfrom(srv, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
	if (n < 0)
		die("recvfrom");
	if (sendto(srv, buf, n, 0, (struct sockaddr *)&from, len) < 0)
		die("sendto");
	say("server: %zd bytes from %s, sent back", n, addr_str((struct sockaddr *)&from, len));
	n = recv(cli, buf, sizeof(buf), 0);
	if (n < 0)
		die("recv");
	say("client: %zd bytes back", n);
	lab_pause("answered");
	close(cli);
	close(srv);
	return 0;
}
