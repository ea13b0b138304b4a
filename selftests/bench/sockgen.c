// SPDX-License-Identifier: GPL-2.0
/*
 * sockgen N P: the benchmark's workload.  Forks P processes, one after
 * the other, and has each open its share of N sockets itself (N / P, the
 * first N % P processes one more), so that no descriptor is inherited and
 * every socket has exactly one owner.  A share is made of, in turn:
 *
 *   a TCP connection over loopback: the client and the accepted socket
 *	(2 sockets), to a listener of the process's own (1 socket, made
 *	before the first connection);
 *   an AF_UNIX stream socketpair (2 sockets);
 *   a UDP socket bound to 127.0.0.1, port chosen by the kernel (1 socket).
 *
 * A share too small for that mix (one or two sockets) is one listener, one
 * UDP socket or one unbound AF_UNIX datagram socket, by process number.
 * TCP sockets linger 0 s, so that tearing the workload down leaves no
 * TIME_WAIT sockets for the next one to count.
 *
 * sockgen -u N P: AF_UNIX stream socketpairs only (an odd share ends with
 * one unbound AF_UNIX datagram socket), the million-socket workload of
 * make bench-scale, which TCP's ports and memory could not hold.
 *
 * Prints "ready" once every process holds its sockets, then waits for
 * SIGTERM or SIGINT, kills the processes and exits.  Raise RLIMIT_NOFILE's hard limit first when a share is above
 * the default one (sockgen raises the soft limit itself).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "sockgen: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void no_linger(int fd)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)))
		die("SO_LINGER");
}

static int inet_socket(int type)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, type, 0);

	if (fd < 0)
		die("socket");
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)))
		die("bind 127.0.0.1");
	return fd;
}

static int listener(struct sockaddr_in *a)
{
	socklen_t len = sizeof(*a);
	int fd = inet_socket(SOCK_STREAM);

	no_linger(fd);
	if (listen(fd, 64) || getsockname(fd, (struct sockaddr *)a, &len))
		die("listen");
	return fd;
}

static void connection(const struct sockaddr_in *to, int lfd)
{
	int c = socket(AF_INET, SOCK_STREAM, 0), s;

	if (c < 0)
		die("socket");
	no_linger(c);
	if (connect(c, (const struct sockaddr *)to, sizeof(*to)))
		die("connect");
	s = accept(lfd, NULL, NULL);
	if (s < 0)
		die("accept");
	no_linger(s);
}

static void unix_share(long q)
{
	int sv[2];

	for (; q >= 2; q -= 2)
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
			die("socketpair");
	if (q && socket(AF_UNIX, SOCK_DGRAM, 0) < 0)
		die("socket");
}

static void share(long q, long idx)
{
	struct sockaddr_in to;
	int sv[2], lfd = -1;
	long k = 0;

	if (q < 3) {
		while (q-- > 0) {
			switch ((idx + q) % 3) {
			case 0:
				listener(&to);
				break;
			case 1:
				inet_socket(SOCK_DGRAM);
				break;
			default:
				if (socket(AF_UNIX, SOCK_DGRAM, 0) < 0)
					die("socket");
			}
		}
		return;
	}
	lfd = listener(&to);
	q--;
	while (q > 0) {
		switch (k++ % 3) {
		case 0:
			if (q < 2)
				continue;
			connection(&to, lfd);
			q -= 2;
			break;
		case 1:
			if (q < 2)
				continue;
			if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
				die("socketpair");
			q -= 2;
			break;
		default:
			inet_socket(SOCK_DGRAM);
			q--;
		}
	}
}

int main(int argc, char **argv)
{
	long n, p, i, per, extra;
	struct rlimit rl;
	pid_t *pids;
	int ready[2], sig, unix_only = 0;
	sigset_t stop;
	char c;

	if (argc > 1 && !strcmp(argv[1], "-u")) {
		unix_only = 1;
		argc--;
		argv++;
	}
	if (argc != 3 || (n = atol(argv[1])) < 1 || (p = atol(argv[2])) < 1 ||
	    p > n) {
		fprintf(stderr, "usage: sockgen [-u] N P   (N sockets held by P processes, 1 <= P <= N; -u: AF_UNIX pairs only)\n");
		return 2;
	}
	per = n / p;
	extra = n % p;
	if (getrlimit(RLIMIT_NOFILE, &rl))
		die("getrlimit");
	if (rl.rlim_cur < (rlim_t)per + 64) {
		rl.rlim_cur = per + 64;
		if (rl.rlim_max < rl.rlim_cur)
			rl.rlim_max = rl.rlim_cur;
		if (setrlimit(RLIMIT_NOFILE, &rl))
			die("raise RLIMIT_NOFILE (raise fs.nr_open, or run as root)");
	}
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	if (sigprocmask(SIG_BLOCK, &stop, NULL))
		die("sigprocmask");
	pids = calloc(p, sizeof(*pids));
	if (!pids)
		die("calloc");

	/* A pipe per process: its end of file says the process died. */
	for (i = 0; i < p; i++) {
		if (pipe(ready))
			die("pipe");
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (!pids[i]) {
			close(ready[0]);
			if (unix_only)
				unix_share(per + (i < extra));
			else
				share(per + (i < extra), i);
			if (write(ready[1], "", 1) != 1)
				die("write");
			for (;;)
				pause();
		}
		close(ready[1]);
		if (read(ready[0], &c, 1) != 1) {
			fprintf(stderr, "sockgen: process %ld of %ld failed\n", i + 1, p);
			p = i + 1;
			goto out;
		}
		close(ready[0]);
	}
	printf("ready\n");
	fflush(stdout);
	sigwait(&stop, &sig);
out:
	for (i = 0; i < p; i++)
		kill(pids[i], SIGKILL);
	for (i = 0; i < p; i++)
		waitpid(pids[i], NULL, 0);
	return 0;
}
