// SPDX-License-Identifier: GPL-2.0
/*
 * sockbench [-r RUNS] [-t SECONDS] LABEL COMMAND [ARG...]: run COMMAND
 * RUNS times (default 5), its standard output to /dev/null, and print
 *
 *	LABEL MEDIAN_MS MIN_MS MAX_MS MAXRSS_KIB RUNS STATUS
 *
 * the wall time of each run from fork() to its end, and the largest peak
 * resident set of a run (wait4()'s ru_maxrss of that child alone).
 * STATUS is "ok", "exit N" (the first run that failed; timing stops
 * there) or "timeout" (a run took longer than SECONDS, default 120: it is
 * killed and no further run is made; the times are then those of the
 * runs that finished, or "-").
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* One run: 0 done (*ms, *rss set), 1 timed out, -1 error; *status of the child. */
static int run_once(char **argv, double limit_ms, double *ms, long *rss,
		    int *status)
{
	struct timespec wait_ts;
	struct rusage ru;
	sigset_t chld;
	double t0, left;
	pid_t pid;
	int fd;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	t0 = now_ms();
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		sigprocmask(SIG_UNBLOCK, &chld, NULL);
		fd = open("/dev/null", O_WRONLY);
		if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
			_exit(126);
		execvp(argv[0], argv);
		fprintf(stderr, "sockbench: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	for (;;) {
		siginfo_t si = { 0 };

		/* Ended?  (WNOWAIT: reaped below, with its rusage.) */
		if (!waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT) &&
		    si.si_pid == pid)
			break;
		left = limit_ms - (now_ms() - t0);
		if (left <= 0) {
			kill(pid, SIGKILL);
			wait4(pid, status, 0, &ru);
			return 1;
		}
		if (left > 1000)
			left = 1000;
		wait_ts.tv_sec = (time_t)(left / 1e3);
		wait_ts.tv_nsec = (long)((left - wait_ts.tv_sec * 1e3) * 1e6);
		sigtimedwait(&chld, NULL, &wait_ts);
	}
	*ms = now_ms() - t0;
	if (wait4(pid, status, 0, &ru) != pid)
		return -1;
	*rss = ru.ru_maxrss;
	return 0;
}

int main(int argc, char **argv)
{
	int runs = 5, opt, i, done = 0, status = 0, r = 0;
	double limit = 120, *ms;
	char st[32] = "ok";
	long rss, maxrss = 0;
	sigset_t chld;

	while ((opt = getopt(argc, argv, "+r:t:")) != -1) {
		switch (opt) {
		case 'r':
			runs = atoi(optarg);
			break;
		case 't':
			limit = atof(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind < 2 || runs < 1 || limit <= 0)
		goto usage;
	ms = calloc(runs, sizeof(*ms));
	if (!ms)
		return 1;
	/* SIGCHLD blocked, so that sigtimedwait() sees it. */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);

	for (i = 0; i < runs; i++) {
		r = run_once(argv + optind + 1, limit * 1e3, &ms[done], &rss, &status);
		if (r < 0) {
			fprintf(stderr, "sockbench: %s: %s\n", argv[optind + 1],
				strerror(errno));
			return 1;
		}
		if (r > 0) {
			strcpy(st, "timeout");
			break;
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			snprintf(st, sizeof(st), "exit_%d", WIFEXITED(status) ?
				 WEXITSTATUS(status) : 128 + WTERMSIG(status));
			break;
		}
		if (rss > maxrss)
			maxrss = rss;
		done++;
	}
	if (!done) {
		printf("%s - - - - 0 %s\n", argv[optind], st);
		return 0;
	}
	qsort(ms, done, sizeof(*ms), cmp_double);
	printf("%s %.2f %.2f %.2f %ld %d %s\n", argv[optind],
	       done % 2 ? ms[done / 2] : (ms[done / 2 - 1] + ms[done / 2]) / 2,
	       ms[0], ms[done - 1], maxrss, done, st);
	return 0;

usage:
	fprintf(stderr, "usage: sockbench [-r RUNS] [-t SECONDS] LABEL COMMAND [ARG...]\n");
	return 2;
}
