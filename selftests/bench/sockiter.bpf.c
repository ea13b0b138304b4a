// SPDX-License-Identifier: GPL-2.0
/*
 * make bench's single-pass peer (#19): what an expert would write instead
 * of sockstat, a BPF task_file iterator that prints, for every descriptor
 * of every process that holds a socket, its pid, descriptor, inode
 * number, family and sk_state, in one pass over the descriptor tables.
 * It has none of sockstat's SS_* state, queues, names or owners' names,
 * and no order.  Pinned with `bpftool iter pin`, read with `cat`.
 *
 * The kernel's types are declared here with only the fields read, and
 * preserve_access_index: libbpf moves each access to where the running
 * kernel's BTF puts the field (CO-RE), so one object serves every kernel.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct inode {
	unsigned long i_ino;
} __attribute__((preserve_access_index));

struct file {
	struct inode *f_inode;
} __attribute__((preserve_access_index));

struct sock_common {
	unsigned short skc_family;
	volatile unsigned char skc_state;
} __attribute__((preserve_access_index));

struct sock {
	struct sock_common __sk_common;
} __attribute__((preserve_access_index));

struct socket {
	struct sock *sk;
} __attribute__((preserve_access_index));

struct task_struct {
	int tgid;
} __attribute__((preserve_access_index));

struct bpf_iter_meta {
	void *seq;
	unsigned long long session_id;
	unsigned long long seq_num;
} __attribute__((preserve_access_index));

struct bpf_iter__task_file {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
	unsigned int fd;
	struct file *file;
} __attribute__((preserve_access_index));

char LICENSE[] SEC("license") = "GPL";

SEC("iter/task_file")
int sockstat_peer(struct bpf_iter__task_file *ctx)
{
	struct file *file = ctx->file;
	struct task_struct *task = ctx->task;
	struct socket *sock;
	struct sock *sk;

	if (!file || !task)
		return 0;
	sock = bpf_sock_from_file(file);
	if (!sock)
		return 0;
	sk = sock->sk;
	if (!sk)
		return 0;
	BPF_SEQ_PRINTF(ctx->meta->seq, "%d %u %lu %u %u\n", task->tgid, ctx->fd,
		       file->f_inode->i_ino, sk->__sk_common.skc_family,
		       sk->__sk_common.skc_state);
	return 0;
}
