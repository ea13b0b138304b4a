#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# profile-groups.sh PROFILE: the kernel profile of a dump (perf report
# --sort sym, as guest-bench.sh saves it) summed by what the time is
# spent on: building the messages, naming each socket's proto_ops
# (kallsyms), finding owners (the scans of the descriptor tables, the
# window, the owners' processes), and the rest.
set -eu
[ $# = 1 ] || { echo "usage: $0 PROFILE" >&2; exit 2; }
awk '
{
	pct = $1; sub(/%/, "", pct); sym = $NF
	if (sym ~ /^(get_symbol_|kallsyms_|sprint_symbol|__sprint_symbol|sockstat_put_ops)/)
		g = "proto_ops names (kallsyms lookup per socket)"
	else if (sym ~ /^(sockstat_scan|sock_from_file|get_file_|__get_file|__fget|task_lookup|sockstat_window_|sockstat_single_|sockstat_heap|sockstat_pair_cmp|sockstat_key_cmp|sort_r|sort|do_swap|sockstat_owner_task|find_pid_ns|find_ge_pid|idr_|pid_nr_ns|pid_task|sockstat_match|sockstat_walk_|sockstat_fd_cloexec|sockstat_may_see_fds|sockstat_files_task|_raw_spin_lock|_raw_spin_unlock|ihold|iput|fput|__rcu_read_|rcu_read_|get_task_struct|__put_task_struct|put_task_struct)/)
		g = "owners: scans, window, owner processes"
	else if (sym ~ /^(nla_|__nla_|skb_put|sockstat_put_|sockstat_read_|sockstat_nl_|genlmsg_|memcpy|__memcpy|memset|__memset|strnlen|strlen|strscpy|copy_user|rep_movs|_copy_to_iter|__skb_datagram_iter|skb_copy_datagram|__alloc_skb|kmalloc_reserve|__kmalloc|netlink_|__netlink_|genl_|sock_i_uid|from_kuid)/)
		g = "messages: attributes, copies to the reader"
	else
		g = "other (syscalls, scheduling, page faults, ...)"
	sum[g] += pct; total += pct
}
END {
	for (g in sum) printf "%6.1f%%  %s\n", sum[g], g
	printf "%6.1f%%  (sum of the samples listed)\n", total
}' "$1" | sort -rn
