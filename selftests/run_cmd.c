// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run_cmd.h"

int run_cmd(struct cmd_result *r, char *const argv[])
{
	int out[2], err[2], status;
	size_t no = 0, ne = 0;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (pipe(out) || pipe(err))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		/* Only stdin, stdout and stderr: the test's sockets stay its own. */
		close_range(3, ~0U, 0);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	struct pollfd p[2] = { { out[0], POLLIN, 0 }, { err[0], POLLIN, 0 } };
	char *buf[2] = { r->out, r->err };
	size_t *got[2] = { &no, &ne };
	size_t cap[2] = { sizeof(r->out) - 1, sizeof(r->err) - 1 };

	while (p[0].fd >= 0 || p[1].fd >= 0) {
		char scratch[4096];
		int i;

		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		for (i = 0; i < 2; i++) {
			ssize_t n;

			if (p[i].fd < 0 || !p[i].revents)
				continue;
			/* Past the buffer, read on and drop, so the child never blocks. */
			if (*got[i] < cap[i])
				n = read(p[i].fd, buf[i] + *got[i], cap[i] - *got[i]);
			else
				n = read(p[i].fd, scratch, sizeof(scratch));
			if (n <= 0) {
				close(p[i].fd);
				p[i].fd = -1;
			} else if (*got[i] < cap[i]) {
				*got[i] += n;
			}
		}
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return 0;
}

int find_line(const char *text, const char *first, char *line, size_t len)
{
	size_t fl = strlen(first);
	const char *p = text;

	while (*p) {
		const char *e = strchrnul(p, '\n');

		if ((size_t)(e - p) > fl && !strncmp(p, first, fl) &&
		    (p[fl] == ' ' || p[fl] == '\t')) {
			snprintf(line, len, "%.*s", (int)(e - p), p);
			return 1;
		}
		p = *e ? e + 1 : e;
	}
	return 0;
}

int count_lines(const char *text)
{
	int n = 0;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

int show_field(const char *text, const char *kfield, char *val, size_t len)
{
	size_t kl = strlen(kfield);
	const char *p = text;

	while (*p) {
		const char *e = strchrnul(p, '\n'), *b = p;

		while (b < e && *b == ' ')
			b++;
		if ((size_t)(e - b) > kl && !strncmp(b, kfield, kl) && b[kl] == ' ') {
			const char *v = b + kl, *ve = e;

			while (v < e && *v == ' ')
				v++;
			while (ve > v && ve[-1] == ' ')
				ve--;
			snprintf(val, len, "%.*s", (int)(ve - v), v);
			return 1;
		}
		p = *e ? e + 1 : e;
	}
	return 0;
}

long long show_number(const char *val)
{
	const char *paren = strrchr(val, '(');
	char *end;
	long long v;

	v = strtoll(paren ? paren + 1 : val, &end, 10);
	if (end == (paren ? paren + 1 : val) || (paren ? *end != ')' : *end != 0))
		return -1;
	return v;
}

pid_t cmd_start(char *const argv[], int *out, int *err)
{
	int o[2], e[2] = { -1, -1 };
	pid_t w;

	if (pipe(o) || (err && pipe(e)))
		return -1;
	w = fork();
	if (!w) {
		dup2(o[1], 1);
		if (err)
			dup2(e[1], 2);
		close_range(3, ~0U, 0);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(o[1]);
	*out = o[0];
	if (err) {
		close(e[1]);
		*err = e[0];
	}
	return w;
}

int cmd_end(pid_t w, int sig, int out, char *buf, int size, int *got)
{
	int status = -1;

	kill(w, sig);
	while (*got < size - 1) {
		int n = read(out, buf + *got, size - 1 - *got);

		if (n <= 0)
			break;
		*got += n;
	}
	buf[*got] = 0;
	close(out);
	return waitpid(w, &status, 0) == w ? status : -1;
}

const char *cmd_wait_for(int fd, char *buf, int size, int *got, const char *want, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int waited = 0;

	while (!strstr(buf, want) && waited < ms && *got < size - 1) {
		int n;

		if (poll(&p, 1, 100) == 1) {
			n = read(fd, buf + *got, size - 1 - *got);
			if (n <= 0)
				break;
			*got += n;
			buf[*got] = 0;
		} else {
			waited += 100;
		}
	}
	return strstr(buf, want);
}
