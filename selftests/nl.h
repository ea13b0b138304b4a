/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A raw Generic Netlink client for the tests: no library between the
 * test and the bytes, so malformed requests and small receive buffers can
 * be sent on purpose.
 */
#ifndef SOCKSTAT_TEST_NL_H
#define SOCKSTAT_TEST_NL_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/sockstat.h>

/* Walking attributes without a library. */
#define NLA_OK(a, rem) ((rem) >= (int)sizeof(struct nlattr) && \
			(a)->nla_len >= sizeof(struct nlattr) && \
			(a)->nla_len <= (rem))
#define NLA_NEXT(a, rem) ((rem) -= NLA_ALIGN((a)->nla_len), \
			  (struct nlattr *)((char *)(a) + NLA_ALIGN((a)->nla_len)))
#define NLA_DATA(a) ((void *)((char *)(a) + NLA_HDRLEN))

#define SS_MAX_OWNERS	32

struct ss_owner {
	uint32_t pid, fd, uid, tid;	/* tid: 0 when not reported */
	int cloexec;
	char comm[17];		/* empty: not reported */
};

/* One socket as a GET reply carries it. */
struct ss_sock {
	/* The core attributes, by name. */
	uint64_t ino;
	uint16_t family, type, protocol;
	uint8_t ss_state, sk_state;
	uint32_t recv_q, send_q;
	/* Every integer attribute by number; flags are only "present". */
	uint64_t v[SOCKSTAT_A_SOCK_MAX + 1];
	uint8_t present[SOCKSTAT_A_SOCK_MAX + 1];
	char ops[64], ops_module[64], proto[32];
	uint8_t local_addr[16], peer_addr[16];
	int local_addr_len, peer_addr_len;
	char unix_name[110];
	int unix_name_len;
	uint64_t tcp[SOCKSTAT_A_TCP_MAX + 1];
	uint8_t tcp_present[SOCKSTAT_A_TCP_MAX + 1];
	int nowners;		/* owners kept below, SS_MAX_OWNERS at most */
	int owners_seen;	/* owner attributes in the message */
	struct ss_owner owners[SS_MAX_OWNERS];
};

/* The owner entry of @pid and @fd, or NULL. */
const struct ss_owner *ss_find_owner(const struct ss_sock *s, int pid, int fd);

struct ssnl {
	int fd;
	uint16_t family_id;
	uint32_t seq;
	char extack[512];	/* the kernel's message for the last error */
	uint32_t recvs;		/* recvmsg() calls of the last request */
	int dump_intr;		/* a reply carried NLM_F_DUMP_INTR */
};

/* Request under construction. */
struct ssnl_req {
	char buf[1024];
	size_t len;
};

int ssnl_open(struct ssnl *nl);		/* 0, or -ENOENT: no family */
/* Look the family's id up again (the module was reloaded): 0 or -errno. */
int ssnl_resolve(struct ssnl *nl);
void ssnl_close(struct ssnl *nl);

void ssnl_req_init(struct ssnl_req *r, uint8_t cmd);
void ssnl_put(struct ssnl_req *r, uint16_t type, const void *data, size_t len);
void ssnl_put_u16(struct ssnl_req *r, uint16_t type, uint16_t v);
void ssnl_put_u64(struct ssnl_req *r, uint16_t type, uint64_t v);

typedef int (*ssnl_cb)(const struct ss_sock *s, void *arg);

/*
 * Send @r with @flags (NLM_F_REQUEST is added) and read the replies
 * through a buffer of @bufsize bytes, calling @cb for each socket.
 * Returns 0 or the negative errno the kernel answered (its extack text in
 * nl->extack); -EMSGSIZE if a reply did not fit the buffer.
 */
int ssnl_request(struct ssnl *nl, struct ssnl_req *r, uint16_t flags,
		 size_t bufsize, ssnl_cb cb, void *arg);

/* Summary counts, as SOCKSTAT_CMD_SUMMARY returns them. */
struct ss_summary {
	uint32_t total;
	int n, parts;
	struct {
		uint16_t family;
		uint8_t ss_state, sk_state;
		uint8_t nofd;		/* 0: sockets a descriptor holds */
		uint32_t count;
	} e[512];
};

/* SUMMARY with the selectors of @r (made with ssnl_req_init(SUMMARY)). */
int ssnl_summary(struct ssnl *nl, struct ssnl_req *r, struct ss_summary *out);
/* The same as a dump, its parts' counts added up (out->parts: how many). */
int ssnl_summary_dump(struct ssnl *nl, struct ssnl_req *r, size_t bufsize,
		      struct ss_summary *out);

/*
 * The same in two steps, to act in the middle of a dump: send, then read
 * at most @max_recvs times (0: to the end).  ssnl_recv() returns 0 when
 * the replies are complete, 1 when it stopped at @max_recvs, or -errno.
 */
int ssnl_send(struct ssnl *nl, struct ssnl_req *r, uint16_t flags);
int ssnl_recv(struct ssnl *nl, uint16_t flags, size_t bufsize, ssnl_cb cb,
	      void *arg, unsigned int max_recvs);

/* GET do by inode into @out. */
int ssnl_get(struct ssnl *nl, uint64_t ino, struct ss_sock *out);

/*
 * Send the generic netlink controller a request @cmd about the sockstat
 * family (and its operation @op, if not 0) on @fd.  0 or -errno.
 */
int ssnl_ctrl_send(int fd, uint32_t seq, uint8_t cmd, uint16_t flags, uint32_t op);

/* The sockfs inode number of a socket descriptor. */
uint64_t ss_inode(int fd);

/*
 * The socket->state of a connected AF_UNIX socket on the running kernel,
 * which the module reports as it is: SS_CONNECTED where af_unix.c sets it
 * in connect(), socketpair() and accept() (Debian's 6.1 and 6.12);
 * SS_UNCONNECTED on 7.x, whose af_unix.c (7.2.12 and 7.3.4 read) no
 * longer writes socket->state at all, sk_state saying ESTABLISHED alone.
 * No interface but the module shows socket->state, so the release
 * decides (Documentation/netlink.rst, "Differences between the kernels").
 */
int ss_unix_connected_state(void);

/*
 * Whether the module ($SOCKSTAT_KO) says it cannot report @what on the
 * kernel it was built for: a word of its modinfo field "not_reported"
 * (kmod/main.c), "in-flight" where the kernel keeps AF_UNIX's message
 * control block private.  0 without $SOCKSTAT_KO.
 */
int ss_not_reported(const char *what);

#endif
