/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running a command and collecting what it prints, for the CLI tests.
 */
#ifndef SOCKSTAT_TEST_RUN_CMD_H
#define SOCKSTAT_TEST_RUN_CMD_H

#include <stddef.h>
#include <sys/types.h>

struct cmd_result {
	int status;		/* exit status, or 128 + signal */
	char out[1 << 20];	/* stdout */
	char err[4096];		/* stderr */
};

/* Run argv[0] (found on PATH) and wait for it. 0, or -errno. */
int run_cmd(struct cmd_result *r, char *const argv[]);

/*
 * Start argv[0] (found on PATH) with its stdout in *@out and its stderr
 * in *@err (@err NULL: the caller's); its pid, or -1.
 */
pid_t cmd_start(char *const argv[], int *out, int *err);

/*
 * Send @sig to @pid started by cmd_start(), read its stdout @out to the
 * end into @buf (@*got bytes there so far; NUL-terminated); its wait
 * status, or -1.
 */
int cmd_end(pid_t pid, int sig, int out, char *buf, int size, int *got);

/*
 * Read @fd into @buf (at @*got) until @want is in it or @ms pass without
 * output; where it is, or NULL.
 */
const char *cmd_wait_for(int fd, char *buf, int size, int *got, const char *want, int ms);

/* The line of @text whose first field is @first, copied to @line; 0 if none. */
int find_line(const char *text, const char *first, char *line, size_t len);

/* Lines in @text. */
int count_lines(const char *text);

/*
 * The value sockstat-nl's "show" output @text gives kernel field @kfield
 * (the line's first words after its indentation, as user/fields.c names
 * them), copied to @val without the blanks around it; 1 if found, 0 if not.
 */
int show_field(const char *text, const char *kfield, char *val, size_t len);

/*
 * The number in parentheses of a "show" value such as "LISTEN (10)", or
 * the value itself when it is a number; -1 if neither.
 */
long long show_number(const char *val);

/*
 * In a test (kselftest_harness.h included before this header): the line
 * of @kfield in show output @text has the number @want, or the string.
 */
#define EXPECT_SHOWN(text, kfield, want) do {					\
	char _v[256];								\
	ASSERT_TRUE(show_field(text, kfield, _v, sizeof(_v))) TH_LOG("no %s", kfield); \
	EXPECT_EQ((long long)(want), show_number(_v)) TH_LOG("%s: %s", kfield, _v); \
} while (0)
#define EXPECT_SHOWN_STR(text, kfield, want) do {				\
	char _v[256];								\
	ASSERT_TRUE(show_field(text, kfield, _v, sizeof(_v))) TH_LOG("no %s", kfield); \
	EXPECT_STREQ(want, _v);							\
} while (0)

#endif
