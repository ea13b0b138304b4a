/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every lab program shares: saying what it does, stopping at the
 * interesting points, and naming addresses.
 *
 * Every line a program prints starts with "[NAME PID]".  With -p it stops
 * at each interesting point and prints
 *
 *   [epoll-server 181] PAUSE listening (Enter, or kill -USR1 181, goes on)
 *
 * then waits for a line on its terminal, or for SIGUSR1 (scripts, and
 * programs running in the background, use the signal).  Meanwhile, run
 * sockstat-nl in another shell and see what the kernel holds.
 */
#ifndef LAB_H
#define LAB_H

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

/* Set by -p: stop at each lab_pause(). */
extern int lab_pausing;

/* Call first: the program's name (for the "[NAME PID]" prefix). */
void lab_start(const char *name);

/* One line: "[NAME PID] " and the message. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* With -p: say "PAUSE STEP" and wait for Enter or SIGUSR1. */
void lab_pause(const char *step);

/* "WHAT: strerror(errno)" on stderr, exit 1. */
void die(const char *what) __attribute__((noreturn));

/* The usage line on stderr, exit 2. */
void usage(const char *args) __attribute__((noreturn));

/*
 * The command line of a program whose only option is -p: sets
 * lab_pausing, and returns its one operand, or NULL when it has none
 * (usage() for anything else).
 */
const char *lab_options(int argc, char **argv, const char *args);

/* A port number from the command line (1..65535), or usage(). */
int lab_port(const char *arg, const char *args);

/* 127.0.0.1:PORT */
struct sockaddr_in lab_loopback(int port);

/* The AF_UNIX address of PATH, or usage() when it does not fit sun_path. */
struct sockaddr_un lab_unix_addr(const char *path, const char *args);

/*
 * An address as text: "127.0.0.1:5000", "/tmp/lab.sock", "@abstract" or
 * "(unnamed)".  Two buffers, used in turn: two calls fit in one say().
 */
const char *addr_str(const struct sockaddr *sa, socklen_t len);

/* The local (getsockname) or the peer's (getpeername) address of @fd. */
const char *local_str(int fd);
const char *peer_str(int fd);

/* Write all of @len bytes, or die. */
void write_all(int fd, const void *buf, size_t len);

#endif
