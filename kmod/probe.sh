#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Feature probes for kmod/compat.h.
#
#   probe.sh KDIR DIR OUT
#
# Compiles small test files against the kernel build tree KDIR, with that
# kernel's own Kbuild, compiler and flags (plus -Werror), in DIR, and
# writes OUT: one #define for each probe, naming the first of its
# alternatives that compiles.  An alternative is the code compat.h uses on
# the kernels it names, so a probe says yes only where that code builds:
# a helper that moved to another header, or changed its signature, makes
# its alternative fail instead of being picked on a name match.  Each
# probe lists its alternatives newest first and names the kernel change
# (commit subject) each one follows; where an interface may be absent,
# the last alternative is a witness that the header is the right one and
# lacks it.  When no alternative of a probe compiles, the kernel changed
# that interface again: probe.sh says which, with the compiler's
# messages, and fails (make module fails with it).
#
# The includes of every test are compat.h's (below); an alternative adds
# one only for a header the others lack.
set -eu

[ $# = 3 ] || { echo "usage: $0 KDIR DIR OUT" >&2; exit 2; }
kdir=$1 dir=$2 out=$3

# What compat.h includes (keep the two lists the same).
includes='#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/net.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/sched/mm.h>
#include <linux/skbuff.h>
#include <net/af_unix.h>
#include <net/genetlink.h>
#include <net/inet_connection_sock.h>
#include <net/sock.h>'

rm -rf "$dir" "$out"
mkdir -p "$dir"
probes=""
objs=""

# probe NAME WHAT: the alternatives that follow (alt) are NAME's.
probe() {
	cur=$1
	probes="$probes $1"
	echo "$2" >"$dir/$1.what"
	: >"$dir/$1.alts"
}

# A test file: the includes, then the C code on stdin.
testfile() { # NAME COMMENT
	{
		echo "// SPDX-License-Identifier: GPL-2.0"
		echo "/* kmod/probe.sh: $2 */"
		echo "$includes"
		cat
	} >"$dir/$1.c"
	objs="$objs $1.o"
}

# alt MACRO CHANGE [SYMBOL...] <<C: an alternative of the current probe:
# MACRO is defined when the C code (a function body, with any extra
# #include first) compiles, SYMBOL... (if any) are exported by the kernel
# (its Module.symvers), no "unless" test of it compiles, and no
# alternative before it qualified.  CHANGE: the kernel change (commit
# subject and first release) it follows.
alt() {
	macro=$1 change=$2
	shift 2
	name=$(echo "${cur}__$macro" | tr 'A-Z' 'a-z')
	testfile "$name" "$cur, $macro: $change"
	printf '%s %s' "$macro" "$name" >>"$dir/$cur.alts"
	for s in "$@"; do
		printf ' export:%s' "$s" >>"$dir/$cur.alts"
	done
	echo >>"$dir/$cur.alts"
	printf '%s\n' "$change" >"$dir/$name.change"
	nunless=0
}

# unless WHAT <<C: the alternative just given does not qualify if this
# code compiles: WHAT (of a later kernel) is there.  For an older way that
# would still compile where a newer one exists but was not recognized (its
# helper changed its signature, say): it must not be taken there.  The
# test only names the newer thing (takes its address, its size), so that
# it compiles whatever its signature.
unless() {
	nunless=$((nunless + 1))
	last=$(tail -n 1 "$dir/$cur.alts")
	uname=$(echo "$last" | cut -d' ' -f2)__not$nunless
	testfile "$uname" "$cur: unless $1"
	sed -i '$d' "$dir/$cur.alts"
	echo "$last not:$uname" >>"$dir/$cur.alts"
	printf '%s\n' "$1" >"$dir/$uname.change"
}

# --- the probes -----------------------------------------------------------

# Kbuild and the compiler work at all (otherwise nothing below means anything).
probe baseline "a module builds against this tree at all"
alt SOCKSTAT_PROBES "an empty function" <<'EOF'
int sockstat_probe(void);
int sockstat_probe(void) { return 0; }
EOF

probe sock_file "a reference on a socket's file (sockref.c's fallback)"
alt SOCKSTAT_HAVE_GET_FILE_ACTIVE '"file: convert to SLAB_TYPESAFE_BY_RCU" (v6.7)' <<'EOF'
struct file *sockstat_probe(struct socket *sock);
struct file *sockstat_probe(struct socket *sock)
{
	return get_file_active(&sock->file);
}
EOF
alt SOCKSTAT_HAVE_GET_FILE_RCU 'get_file_rcu() on a struct file, freed only after an RCU grace period (before "file: convert to SLAB_TYPESAFE_BY_RCU", v6.7)' <<'EOF'
struct file *sockstat_probe(struct socket *sock);
struct file *sockstat_probe(struct socket *sock)
{
	struct file *file;

	rcu_read_lock();
	file = READ_ONCE(sock->file);
	if (file && !get_file_rcu(file))
		file = NULL;
	rcu_read_unlock();
	return file;
}
EOF

probe genl_ops "the operations of the family and their policies (netlink.c)"
alt SOCKSTAT_HAVE_SPLIT_OPS '"genetlink: introduce split op representation" (v6.2)' <<'EOF'
static int sockstat_probe_do(struct sk_buff *skb, struct genl_info *info)
{
	return 0;
}

static int sockstat_probe_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return 0;
}

static const struct nla_policy sockstat_probe_policy[2] = {
	[1] = NLA_POLICY_MASK(NLA_U32, 3),
};

static const struct genl_split_ops sockstat_probe_ops[] = {
	{ .cmd = 1, .doit = sockstat_probe_do, .policy = sockstat_probe_policy,
	  .maxattr = 1, .flags = GENL_CMD_CAP_DO },
	{ .cmd = 1, .dumpit = sockstat_probe_dump, .policy = sockstat_probe_policy,
	  .maxattr = 1, .flags = GENL_CMD_CAP_DUMP },
};

struct genl_family sockstat_probe_family;
struct genl_family sockstat_probe_family = {
	.split_ops = sockstat_probe_ops,
	.n_split_ops = ARRAY_SIZE(sockstat_probe_ops),
};
EOF
alt SOCKSTAT_HAVE_GENL_OPS_POLICY '"genetlink: bring back per op policy" (v5.10)' <<'EOF'
static int sockstat_probe_do(struct sk_buff *skb, struct genl_info *info)
{
	return 0;
}

static int sockstat_probe_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return 0;
}

static const struct nla_policy sockstat_probe_policy[2] = {
	[1] = NLA_POLICY_MASK(NLA_U32, 3),
};

static const struct genl_ops sockstat_probe_ops[] = {
	{ .cmd = 1, .doit = sockstat_probe_do, .dumpit = sockstat_probe_dump,
	  .policy = sockstat_probe_policy, .maxattr = 1 },
};

struct genl_family sockstat_probe_family;
struct genl_family sockstat_probe_family = {
	.ops = sockstat_probe_ops,
	.n_ops = ARRAY_SIZE(sockstat_probe_ops),
};
EOF

probe dump_attrs "the parsed attributes of a dump request (netlink.c, summary.c)"
alt SOCKSTAT_HAVE_GENL_INFO_DUMP '"genetlink: add struct genl_info to struct genl_dumpit_info" (v6.6)' <<'EOF'
struct nlattr **sockstat_probe(struct netlink_callback *cb);
struct nlattr **sockstat_probe(struct netlink_callback *cb)
{
	return genl_info_dump(cb)->attrs;
}
EOF
alt SOCKSTAT_HAVE_DUMPIT_INFO_ATTRS '"net: genetlink: introduce dump info struct to be available during dumpit op" (v5.5)' <<'EOF'
struct nlattr **sockstat_probe(struct netlink_callback *cb);
struct nlattr **sockstat_probe(struct netlink_callback *cb)
{
	return genl_dumpit_info(cb)->attrs;
}
EOF

probe unix_peer "an AF_UNIX socket's peer, with a reference (family.c)"
alt SOCKSTAT_HAVE_UNIX_PEER_GET 'unix_peer_get() declared in <net/af_unix.h> (until v6.15)' <<'EOF'
struct sock *sockstat_probe(struct sock *sk);
struct sock *sockstat_probe(struct sock *sk)
{
	return unix_peer_get(sk);
}
EOF
alt SOCKSTAT_UNIX_PEER_LOCKED '"af_unix: Move internal definitions to net/unix/." (v6.15): unix_peer_get() is private; unix_state_lock() and unix_peer() are not' <<'EOF'
struct sock *sockstat_probe(struct sock *sk);
struct sock *sockstat_probe(struct sock *sk)
{
	struct sock *peer;

	unix_state_lock(sk);
	peer = unix_peer(sk);
	if (peer)
		sock_hold(peer);
	unix_state_unlock(sk);
	return peer;
}
EOF

probe unix_inq "the bytes an AF_UNIX stream or seqpacket socket has to read (read.c)"
alt SOCKSTAT_HAVE_UNIX_INQ_LEN 'unix_inq_len() declared in <net/af_unix.h> (until v6.15)' <<'EOF'
long sockstat_probe(struct sock *sk);
long sockstat_probe(struct sock *sk)
{
	return unix_inq_len(sk);
}
EOF
# Declared by compat.h itself: the compiler cannot check this prototype
# against the kernel's (net/unix/af_unix.h is not in the headers), so it
# is only taken where the headers do not declare it and the kernel
# exports it; it has been "long unix_inq_len(struct sock *sk)" since
# af_unix's SIOCINQ code was split out for unix_diag (v3.3).
alt SOCKSTAT_DECLARE_UNIX_INQ_LEN '"af_unix: Move internal definitions to net/unix/." (v6.15): unix_inq_len() still exported, declared only in net/unix/af_unix.h' unix_inq_len <<'EOF'
long unix_inq_len(struct sock *sk);
long sockstat_probe(struct sock *sk);
long sockstat_probe(struct sock *sk)
{
	return unix_inq_len(sk);
}
EOF

probe unixcb "the files in flight in an AF_UNIX message (queues.c)"
alt SOCKSTAT_HAVE_UNIXCB 'UNIXCB() and struct unix_skb_parms in <net/af_unix.h> (until v6.15)' <<'EOF'
struct scm_fp_list *sockstat_probe(struct sk_buff *skb);
struct scm_fp_list *sockstat_probe(struct sk_buff *skb)
{
	return UNIXCB(skb).fp;
}
EOF
alt SOCKSTAT_UNIXCB_PRIVATE '"af_unix: Move internal definitions to net/unix/." (v6.15): UNIXCB() is private, struct unix_sock is not (sockets in flight cannot be read)' <<'EOF'
size_t sockstat_probe(void);
size_t sockstat_probe(void)
{
	return sizeof(struct unix_sock);
}
EOF
unless "UNIXCB()" <<'EOF'
#ifndef UNIXCB
#error "no UNIXCB"
#endif
EOF

probe scm_flags "where SO_PASSCRED and SO_PASSSEC are kept (attrs.c)"
# The bits share a byte with sk_txrehash: only families that
# sk_may_scm_recv() names use them as SO_PASS* bits.
alt SOCKSTAT_HAVE_SK_SCM_FLAGS '"af_unix: Move SOCK_PASS{CRED,PIDFD,SEC} to struct sock." and "net: Restrict SO_PASS{CRED,PIDFD,SEC} to AF_{UNIX,NETLINK,BLUETOOTH}." (v6.16)' <<'EOF'
bool sockstat_probe(const struct sock *sk);
bool sockstat_probe(const struct sock *sk)
{
	return sk_may_scm_recv(sk) &&
	       (sk->sk_scm_credentials || sk->sk_scm_security);
}
EOF
alt SOCKSTAT_HAVE_SOCK_PASSCRED 'SOCK_PASSCRED and SOCK_PASSSEC in socket->flags (until v6.16)' <<'EOF'
bool sockstat_probe(const struct socket *sock);
bool sockstat_probe(const struct socket *sock)
{
	return test_bit(SOCK_PASSCRED, &sock->flags) ||
	       test_bit(SOCK_PASSSEC, &sock->flags);
}
EOF

probe custom_sockopt "the socket flag SOCK_CUSTOM_SOCKOPT (attrs.c)"
alt SOCKSTAT_HAVE_SOCK_CUSTOM_SOCKOPT '"net: introduce and use custom sockopt socket flag" (v6.2)' <<'EOF'
bool sockstat_probe(const struct socket *sock);
bool sockstat_probe(const struct socket *sock)
{
	return test_bit(SOCK_CUSTOM_SOCKOPT, &sock->flags);
}
EOF
alt SOCKSTAT_NO_SOCK_CUSTOM_SOCKOPT 'absent: the socket flags (SOCK_NOSPACE) are there without it (before v6.2)' <<'EOF'
bool sockstat_probe(const struct socket *sock);
bool sockstat_probe(const struct socket *sock)
{
	return test_bit(SOCK_NOSPACE, &sock->flags);
}
EOF

probe passpidfd "the socket flag SOCK_PASSPIDFD (attrs.c)"
alt SOCKSTAT_HAVE_SOCK_PASSPIDFD '"scm: add SO_PASSPIDFD and SCM_PIDFD" (v6.5; in socket->flags until v6.16)' <<'EOF'
bool sockstat_probe(const struct socket *sock);
bool sockstat_probe(const struct socket *sock)
{
	return test_bit(SOCK_PASSPIDFD, &sock->flags);
}
EOF
alt SOCKSTAT_NO_SOCK_PASSPIDFD 'absent from socket->flags: not yet (before v6.5), or moved by "af_unix: Move SOCK_PASS{CRED,PIDFD,SEC} to struct sock." (v6.16)' <<'EOF'
bool sockstat_probe(const struct socket *sock);
bool sockstat_probe(const struct socket *sock)
{
	return test_bit(SOCK_NOSPACE, &sock->flags);
}
EOF

probe forward_alloc "a socket's forward-allocated memory (attrs.c)"
alt SOCKSTAT_HAVE_SK_FORWARD_ALLOC_GET '"net: introduce sk_forward_alloc_get()" (v5.16)' <<'EOF'
int sockstat_probe(const struct sock *sk);
int sockstat_probe(const struct sock *sk)
{
	return sk_forward_alloc_get(sk);
}
EOF
alt SOCKSTAT_SK_FORWARD_ALLOC 'sk->sk_forward_alloc is the whole of it: before "net: introduce sk_forward_alloc_get()" (v5.16), and since "net: dismiss sk_forward_alloc_get()" (v6.15)' <<'EOF'
int sockstat_probe(const struct sock *sk);
int sockstat_probe(const struct sock *sk)
{
	return READ_ONCE(sk->sk_forward_alloc);
}
EOF
unless "sk_forward_alloc_get()" <<'EOF'
size_t sockstat_probe(void);
size_t sockstat_probe(void)
{
	return sizeof(&sk_forward_alloc_get);
}
EOF

probe sk_uid "the owner uid of a struct sock (attrs.c)"
alt SOCKSTAT_HAVE_SK_UID '"net: annotate races around sk->sk_uid", "net: remove sock_i_uid()" (v6.17)' <<'EOF'
kuid_t sockstat_probe(const struct sock *sk);
kuid_t sockstat_probe(const struct sock *sk)
{
	return sk_uid(sk);
}
EOF
alt SOCKSTAT_HAVE_SOCK_I_UID 'sock_i_uid() (until v6.17)' <<'EOF'
kuid_t sockstat_probe(struct sock *sk);
kuid_t sockstat_probe(struct sock *sk)
{
	return sock_i_uid(sk);
}
EOF

probe sk_drops "a socket's drop counter (attrs.c)"
alt SOCKSTAT_HAVE_SK_DROPS_READ '"net: add sk_drops_read(), sk_drops_inc() and sk_drops_reset() helpers" (v6.18; UDP and raw count in sk->sk_drop_counters)' <<'EOF'
int sockstat_probe(const struct sock *sk);
int sockstat_probe(const struct sock *sk)
{
	return sk_drops_read(sk);
}
EOF
alt SOCKSTAT_SK_DROPS_ATOMIC 'sk->sk_drops, an atomic_t, is the whole count (before v6.18)' <<'EOF'
int sockstat_probe(const struct sock *sk);
int sockstat_probe(const struct sock *sk)
{
	return atomic_read(&sk->sk_drops);
}
EOF
unless "sk_drops_read()" <<'EOF'
size_t sockstat_probe(void);
size_t sockstat_probe(void)
{
	return sizeof(&sk_drops_read);
}
EOF
unless "sk->sk_drop_counters" <<'EOF'
size_t sockstat_probe(const struct sock *sk);
size_t sockstat_probe(const struct sock *sk)
{
	return sizeof(sk->sk_drop_counters);
}
EOF

probe rto_expires "when a TCP socket's retransmission timer fires (nofd.c)"
alt SOCKSTAT_HAVE_TCP_TIMEOUT_EXPIRES '"tcp: rename icsk_timeout() to tcp_timeout_expires()" (v6.18)' <<'EOF'
unsigned long sockstat_probe(const struct sock *sk);
unsigned long sockstat_probe(const struct sock *sk)
{
	return tcp_timeout_expires(sk);
}
EOF
alt SOCKSTAT_HAVE_ICSK_TIMEOUT_FN '"tcp/dccp: remove icsk->icsk_timeout" (v6.15)' <<'EOF'
unsigned long sockstat_probe(const struct sock *sk);
unsigned long sockstat_probe(const struct sock *sk)
{
	return icsk_timeout(inet_csk(sk));
}
EOF
alt SOCKSTAT_HAVE_ICSK_TIMEOUT 'icsk->icsk_timeout (until v6.15)' <<'EOF'
unsigned long sockstat_probe(const struct sock *sk);
unsigned long sockstat_probe(const struct sock *sk)
{
	return READ_ONCE(inet_csk(sk)->icsk_timeout);
}
EOF

probe dumpable "a task's dumpability and the user namespace it is judged in (scan.c)"
alt SOCKSTAT_HAVE_EXEC_STATE '"exec_state: relocate dumpable information" (7.x, in 7.3): task->exec_state, not the mm' <<'EOF'
#include <linux/sched/exec_state.h>

bool sockstat_probe(struct task_struct *task, struct user_namespace **ns);
bool sockstat_probe(struct task_struct *task, struct user_namespace **ns)
{
	const struct task_exec_state *es;

	es = rcu_dereference_protected(task->exec_state,
				       lockdep_is_held(&task->alloc_lock));
	*ns = es->user_ns;
	return READ_ONCE(es->dumpable) == TASK_DUMPABLE_OWNER;
}
EOF
alt SOCKSTAT_HAVE_MM_DUMPABLE 'get_dumpable() of the mm, and mm->user_ns (before "exec_state: relocate dumpable information")' <<'EOF'
bool sockstat_probe(struct task_struct *task, struct user_namespace **ns);
bool sockstat_probe(struct task_struct *task, struct user_namespace **ns)
{
	struct mm_struct *mm = task->mm;

	*ns = mm->user_ns;
	return get_dumpable(mm) == SUID_DUMP_USER;
}
EOF

# --- compile them all with the kernel's Kbuild, then decide -----------------

{
	echo "# SPDX-License-Identifier: GPL-2.0"
	echo "obj-m := $objs"
	echo "ccflags-y := -Werror"
} >"$dir/Kbuild"
# One Kbuild run for all (make -k: a test that fails is an answer).  Not
# the caller's make: its jobserver and flags are not ours.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
# shellcheck disable=SC2086 # the object names have no blanks
make -k -j"$(nproc 2>/dev/null || echo 2)" -C "$kdir" M="$(cd "$dir" && pwd)" $objs \
	>"$dir/make.log" 2>&1 || true

exported() { # SYMBOL: in the kernel's Module.symvers
	[ -f "$kdir/Module.symvers" ] || {
		echo "kmod/probe.sh: $kdir/Module.symvers not found: cannot tell whether the kernel exports $1" >&2
		return 2
	}
	awk -v s="$1" '$2 == s && $3 == "vmlinux" { f = 1 } END { exit !f }' "$kdir/Module.symvers"
}

bad=0
{
	echo "/* SPDX-License-Identifier: GPL-2.0 */"
	echo "/* Written by kmod/probe.sh for $kdir: what compat.h uses there. */"
} >"$out.tmp"
# qualifies NAME CONDITION...: the alternative's test built, its symbols
# are exported, its "unless" tests did not build; why not in $why.
qualifies() {
	n=$1
	shift
	why=""
	[ -f "$dir/$n.o" ] || { why="it does not build"; return 1; }
	for c in "$@"; do
		case $c in
		export:*)
			exported "${c#export:}" || { why="the kernel does not export ${c#export:}"; return 1; } ;;
		not:*)
			[ ! -f "$dir/${c#not:}.o" ] ||
				{ why="not where $(cat "$dir/${c#not:}.change") is there, as it is here"; return 1; } ;;
		esac
	done
}

for p in $probes; do
	chosen=""
	while read -r macro name conds; do
		# shellcheck disable=SC2086 # conditions have no blanks
		qualifies "$name" $conds || continue
		chosen=$macro
		printf '#define %s 1\t/* %s: %s */\n' "$macro" "$p" "$(cat "$dir/$name.change")" >>"$out.tmp"
		break
	done <"$dir/$p.alts"
	[ -n "$chosen" ] && continue
	bad=1
	if [ "$p" = baseline ]; then
		echo "kmod/probe.sh: not even an empty file compiles against $kdir: it cannot build modules (is it complete, and is its compiler installed?):" >&2
		tail -n 20 "$dir/make.log" >&2
		break
	fi
	echo "kmod/probe.sh: $p, $(cat "$dir/$p.what"): none of the ways kmod/compat.h knows qualifies against $kdir:" >&2
	while read -r macro name conds; do
		# shellcheck disable=SC2086 # conditions have no blanks
		qualifies "$name" $conds || true
		echo "  $macro, $(cat "$dir/$name.change"): $why" >&2
		grep -E "$name\.c:[0-9]+:[0-9]+: (error|warning)" "$dir/make.log" | head -n 3 | sed 's/^/    /' >&2
	done <"$dir/$p.alts"
	echo "  The kernel changed this interface again: kmod/compat.h needs a way for it (the tests and the compiler's output: $dir)." >&2
done
if [ $bad = 1 ]; then
	rm -f "$out.tmp"
	exit 1
fi
mv "$out.tmp" "$out"
