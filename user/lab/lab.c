// SPDX-License-Identifier: GPL-2.0
/*
 * The helpers of lab.h.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "lab.h"

int lab_pausing;
static const char *lab_name = "lab";
/* Enter on stdin can go on; cleared at end of file (</dev/null in scripts). */
static int stdin_usable = 1;
static volatile sig_atomic_t go_on;

static void on_usr1(int sig)
{
	(void)sig;
	go_on = 1;
}

void lab_start(const char *name)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigset_t usr1;

	lab_name = name;
	/* One line at a time, even into a pipe or a file. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	/*
	 * SIGUSR1 stays blocked except while paused: one sent early waits
	 * for the pause, and none interrupts accept() or read().
	 */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	sigaction(SIGUSR1, &sa, NULL);
}

void say(const char *fmt, ...)
{
	va_list ap;

	printf("[%s %d] ", lab_name, (int)getpid());
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Enter counts only for the foreground job of the terminal. */
static int stdin_in_foreground(void)
{
	if (!stdin_usable)
		return 0;
	if (!isatty(STDIN_FILENO))
		return 1;
	return tcgetpgrp(STDIN_FILENO) == getpgrp();
}

/* Read up to the end of the line; 0 at end of file (or an error). */
static int read_line(void)
{
	char c;

	while (read(STDIN_FILENO, &c, 1) == 1)
		if (c == '\n')
			return 1;
	return 0;
}

void lab_pause(const char *step)
{
	struct timespec none = { 0, 0 }, second = { 1, 0 };
	sigset_t usr1, waiting;

	if (!lab_pausing)
		return;
	/* Forget a SIGUSR1 sent before this pause was announced. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	while (sigtimedwait(&usr1, NULL, &none) == SIGUSR1)
		;
	go_on = 0;
	say("PAUSE %s (Enter, or kill -USR1 %d, goes on)", step, (int)getpid());
	fflush(stdout);

	sigprocmask(SIG_BLOCK, NULL, &waiting);
	sigdelset(&waiting, SIGUSR1);
	while (!go_on) {
		struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
		int use_stdin = stdin_in_foreground();

		/* Every second: a job moved to the foreground may use Enter. */
		if (ppoll(&p, use_stdin, &second, &waiting) > 0 && use_stdin) {
			if (read_line())
				break;
			stdin_usable = 0;
		}
	}
}

void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", lab_name, what, strerror(errno));
	exit(1);
}

void usage(const char *args)
{
	fprintf(stderr, "usage: %s %s\n", lab_name, args);
	exit(2);
}

const char *lab_options(int argc, char **argv, const char *args)
{
	int opt;

	while ((opt = getopt(argc, argv, "p")) != -1) {
		if (opt != 'p')
			usage(args);
		lab_pausing = 1;
	}
	if (argc - optind > 1)
		usage(args);
	return optind < argc ? argv[optind] : NULL;
}

struct sockaddr_un lab_unix_addr(const char *path, const char *args)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(a.sun_path))
		usage(args);
	strcpy(a.sun_path, path);
	return a;
}

int lab_port(const char *arg, const char *args)
{
	char *end;
	long port = strtol(arg, &end, 10);

	if (*end || port < 1 || port > 65535)
		usage(args);
	return port;
}

struct sockaddr_in lab_loopback(int port)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	return a;
}

const char *addr_str(const struct sockaddr *sa, socklen_t len)
{
	static char bufs[2][128];
	static int turn;
	char *buf = bufs[turn++ % 2], ip[INET6_ADDRSTRLEN];
	const struct sockaddr_un *un = (const void *)sa;
	const struct sockaddr_in *in = (const void *)sa;

	switch (sa->sa_family) {
	case AF_INET:
		inet_ntop(AF_INET, &in->sin_addr, ip, sizeof(ip));
		snprintf(buf, 128, "%s:%d", ip, ntohs(in->sin_port));
		break;
	case AF_UNIX:
		if (len <= offsetof(struct sockaddr_un, sun_path))
			snprintf(buf, 128, "(unnamed)");
		else if (!un->sun_path[0])
			snprintf(buf, 128, "@%.*s",
				 (int)(len - offsetof(struct sockaddr_un, sun_path) - 1),
				 un->sun_path + 1);
		else
			snprintf(buf, 128, "%s", un->sun_path);
		break;
	default:
		snprintf(buf, 128, "(family %d)", sa->sa_family);
	}
	return buf;
}

const char *local_str(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return "?";
	return addr_str((struct sockaddr *)&ss, len);
}

const char *peer_str(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getpeername(fd, (struct sockaddr *)&ss, &len))
		return "(no peer)";
	return addr_str((struct sockaddr *)&ss, len);
}

void write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("write");
		}
		p += n;
		len -= n;
	}
}
