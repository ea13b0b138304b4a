#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Feature probes for kmod/compat.h: print one -DSOCKSTAT_HAVE_* flag for
# each interface the target kernel's headers declare.  $1 is the kernel
# source (or headers) tree, Kbuild's $(srctree).
src=$1

have() {
	# have MACRO FILE REGEX
	grep -Eqs "$3" "$src/$2" && printf ' -D%s' "$1"
}

have SOCKSTAT_HAVE_GET_FILE_ACTIVE include/linux/fs.h 'struct file \*get_file_active\('
have SOCKSTAT_HAVE_GENL_INFO_DUMP include/net/genetlink.h '^genl_info_dump\('
have SOCKSTAT_HAVE_NEXT_FDGET_RCU include/linux/fdtable.h 'task_lookup_next_fdget_rcu\('
have SOCKSTAT_HAVE_SPLIT_OPS include/net/genetlink.h '^struct genl_split_ops \{'
echo
