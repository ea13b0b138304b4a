#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# cli-groups.sh PROFILE: the profile of sockstat-nl's table (perf report
# --sort dso,sym, as guest-bench.sh saves it) summed by what the time is
# spent on: the kernel (the dump itself, the system calls), libnl,
# parsing the replies into rows (user/client.c, row.c, names.c),
# formatting the rows (user/table.c, fmt.c, fields.c, lookups.c), the C
# library (its copies and string functions serve both), start-up (the
# dynamic loader, and the sh -c the profile runs it under), and the rest.
set -eu
[ $# = 1 ] || { echo "usage: $0 PROFILE" >&2; exit 2; }
awk '
$1 ~ /%$/ {
	pct = $1; sub(/%/, "", pct); dso = $2; sym = $NF
	if (dso ~ /kernel|^\[|sockstat$/)
		g = "kernel: the dump, system calls"
	else if (dso ~ /^ld-linux|^dash$|^sh$|^bash$/)
		g = "start-up: the dynamic loader, sh -c"
	else if (dso ~ /^libnl/)
		g = "libnl-3, libnl-genl-3"
	else if (dso ~ /^libc/)
		g = "libc (copies, strings, stdio)"
	else if (dso == "sockstat-nl" && sym ~ /^(parse_|row_from_|row_reset|row_free|owner_add|valid_cb|error_cb|client_|request|entry_cmp|lookup|family_name|type_name|ss_state_name|sk_state_name|protocol_name|name_or_number|split|unescape)/)
		g = "sockstat-nl: parsing replies"
	else if (dso == "sockstat-nl" && sym ~ /^(table_|cell|rcell|put|blanks|print_|in_columns|fmt_|sbuf_|json_|field_|user_name|service_name|serv_slot|escape_str|row_end_str|inet_end|state_color|all_zero|pkt_proto_name|main)/)
		g = "sockstat-nl: formatting rows"
	else if (dso == "sockstat-nl")
		g = "sockstat-nl: other"
	else
		g = "other"
	sum[g] += pct; total += pct
}
END {
	for (g in sum) printf "%6.1f%%  %s\n", sum[g], g
	printf "%6.1f%%  (sum of the samples listed)\n", total
}' "$1" | sort -rn
