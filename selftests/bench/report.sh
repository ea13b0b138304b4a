#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# report.sh RESULTS: the tables of make bench from the raw results that
# selftests/vm/guest-bench.sh writes, one kernel after the other:
# median wall times, the ratio sockstat-nl (table) / each tool, what the
# dump costs per socket, and whether each target of the benchmark holds.
#
# RESULTS lines (one per run of a tool; the medians are taken here):
#   KERNEL N P TOOL MS MIN_MS MAX_MS MAXRSS_KIB RUNS STATUS
#   KERNEL N P nl-dump SOCKETS BYTES B_PER_SOCKET MEDIAN_MS NS_PER_SOCKET SYS_MS MEMCG_PEAK
#   KERNEL N P nl-brief (the same, with the table's attributes only)
#   KERNEL N P nl-get INODE MEDIAN_US MEMCG_PEAK
set -eu
[ $# = 1 ] || { echo "usage: $0 RESULTS" >&2; exit 2; }

awk '
function ms(k) { return (k in med) ? med[k] : "-" }
function ratio(a, b) {
	if (!(a in med) || !(b in med) || med[b] == 0) return "-"
	return sprintf("%.3f", med[a] / med[b])
}
function verdict(ok) { return ok ? "holds" : "FAILS" }
$4 == "nl-dump" {
	k = $1 SUBSEP $2 SUBSEP $3
	socks[k] = $5; bps[k] = $7; dump[k] = $8; nsps[k] = $9; peak[k] = $11
	next
}
$4 == "nl-brief" {
	k = $1 SUBSEP $2 SUBSEP $3
	bbps[k] = $7; bdump[k] = $8; bnsps[k] = $9
	next
}
$4 == "nl-get" { getus[$1 SUBSEP $2 SUBSEP $3] = $6; next }
{
	if (!($1 in seen)) { seen[$1] = 1; kernels[++nk] = $1 }
	c = $2 SUBSEP $3
	if (!(c in cseen)) { cseen[c] = 1; confs[++nc] = c }
	k = $1 SUBSEP $2 SUBSEP $3 SUBSEP $4
	if ($10 == "ok") {
		vals[k] = (k in vals) ? vals[k] " " $5 : $5
		if (!(k in rss) || $8 + 0 > rss[k]) rss[k] = $8 + 0
	} else if (!(k in status)) {
		status[k] = $10
	}
}
# The median of the blank-separated numbers in s.
function median(s,    v, n, i, j, x) {
	n = split(s, v, " ")
	for (i = 2; i <= n; i++) {
		x = v[i] + 0
		for (j = i - 1; j >= 1 && v[j] + 0 > x; j--) v[j + 1] = v[j]
		v[j + 1] = x
	}
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
END {
	for (k in vals) med[k] = median(vals[k])
	ntools = split("nl-table nl-json proc ss-a ss-ap lsof cat-proc-net", tools, " ")
	for (ki = 1; ki <= nk; ki++) {
		kern = kernels[ki]
		printf "\n=== %s: median wall time (ms), output to /dev/null\n", kern
		printf "%7s %5s", "N", "P"
		for (t = 1; t <= ntools; t++) printf " %12s", tools[t]
		printf "\n"
		for (ci = 1; ci <= nc; ci++) {
			split(confs[ci], np, SUBSEP)
			if (!((kern SUBSEP np[1] SUBSEP np[2] SUBSEP "nl-table") in med) &&
			    !((kern SUBSEP np[1] SUBSEP np[2] SUBSEP "nl-table") in status)) continue
			printf "%7s %5s", np[1], np[2]
			for (t = 1; t <= ntools; t++) {
				k = kern SUBSEP np[1] SUBSEP np[2] SUBSEP tools[t]
				printf " %12s", (k in med) ? sprintf("%.1f", med[k]) : ((k in status) ? status[k] : "-")
			}
			printf "\n"
		}
		printf "\n=== %s: ratio sockstat-nl (table) / tool (below 1: sockstat-nl is faster)\n", kern
		printf "%7s %5s", "N", "P"
		for (t = 2; t <= ntools; t++) printf " %12s", tools[t]
		printf "\n"
		for (ci = 1; ci <= nc; ci++) {
			split(confs[ci], np, SUBSEP)
			base = kern SUBSEP np[1] SUBSEP np[2] SUBSEP
			if (!((base "nl-table") in med)) continue
			printf "%7s %5s", np[1], np[2]
			for (t = 2; t <= ntools; t++)
				printf " %12s", ratio(base "nl-table", base tools[t])
			printf "\n"
		}
		printf "\n=== %s: the dump from below the CLI (nlbench), and peak RSS\n", kern
		printf "%7s %5s %8s %7s %9s %8s %7s %9s %8s %8s %9s %9s %9s\n", "N", "P", "sockets",
			"B/sock", "dump-ms", "ns/sock", "brief-B", "brief-ms", "brief-ns",
			"get-us", "memcg-KiB", "table-RSS", "json-RSS"
		for (ci = 1; ci <= nc; ci++) {
			split(confs[ci], np, SUBSEP)
			k = kern SUBSEP np[1] SUBSEP np[2]
			if (!(k in socks)) continue
			printf "%7s %5s %8s %7s %9s %8s %7s %9s %8s %8s %9s %9s %9s\n", np[1], np[2],
				socks[k], bps[k], dump[k], nsps[k],
				(k in bbps) ? bbps[k] : "-", (k in bdump) ? bdump[k] : "-",
				(k in bnsps) ? bnsps[k] : "-", getus[k],
				peak[k] == "-" ? "-" : int(peak[k] / 1024),
				rss[k SUBSEP "nl-table"], rss[k SUBSEP "nl-json"]
		}

		# The targets, at the largest N (and P) against the one ten times smaller.
		bigN = 0; bigP = 0
		for (ci = 1; ci <= nc; ci++) {
			split(confs[ci], np, SUBSEP)
			if (np[1] + 0 > bigN) bigN = np[1] + 0
			if (np[2] + 0 > bigP) bigP = np[2] + 0
		}
		smallN = bigN / 10; tinyN = bigN / 100
		printf "\n=== %s: targets\n", kern
		b = kern SUBSEP bigN SUBSEP bigP SUBSEP
		if ((b "nl-table") in med && (b "ss-ap") in med) {
			r = med[b "ss-ap"] / med[b "nl-table"]
			printf "ss -ap / sockstat-nl at N=%d P=%d: %.1fx (target >= 20x): %s\n",
				bigN, bigP, r, verdict(r >= 20)
		}
		if ((b "nl-table") in med && (b "ss-a") in med) {
			r = med[b "nl-table"] / med[b "ss-a"]
			printf "sockstat-nl / ss -a at N=%d P=%d: %.2fx (target <= 1.5x): %s\n",
				bigN, bigP, r, verdict(r <= 1.5)
		}
		for (pi = 1; pi <= 2; pi++) {
			pp = pi == 1 ? bigP : 10
			hi = kern SUBSEP bigN SUBSEP pp SUBSEP "nl-table"
			lo = kern SUBSEP smallN SUBSEP pp SUBSEP "nl-table"
			if ((hi in med) && (lo in med)) {
				r = med[hi] / med[lo]
				printf "sockstat-nl time(%d) / time(%d), P=%d: %.2f (target <= 12): %s\n",
					bigN, smallN, pp, r, verdict(r <= 12)
			}
			hi = kern SUBSEP bigN SUBSEP pp
			lo = kern SUBSEP smallN SUBSEP pp
			if ((hi in dump) && (lo in dump) && dump[lo] > 0)
				printf "  kernel dump time(%d) / time(%d), P=%d: %.2f\n", bigN,
					smallN, pp, dump[hi] / dump[lo]
			lo = kern SUBSEP tinyN SUBSEP pp
			if ((hi in peak) && (lo in peak) && peak[lo] != "-" && peak[hi] != "-")
				printf "memcg peak of one dump, N=%d vs N=%d, P=%d: %d KiB vs %d KiB\n",
					tinyN, bigN, pp, peak[lo] / 1024, peak[hi] / 1024
			if (((hi SUBSEP "nl-table") in rss) && ((lo SUBSEP "nl-table") in rss)) {
				r = rss[hi SUBSEP "nl-table"] / rss[lo SUBSEP "nl-table"]
				printf "sockstat-nl peak RSS, N=%d vs N=%d, P=%d: %d KiB vs %d KiB, %.2fx (target <= 2x): %s\n",
					tinyN, bigN, pp, rss[lo SUBSEP "nl-table"], rss[hi SUBSEP "nl-table"],
					r, verdict(r <= 2)
			}
			if ((hi in getus) && (lo in getus))
				printf "GET-do by inode, P=%d: %s us at N=%d, %s us at N=%d\n", pp,
					getus[lo], tinyN, getus[hi], bigN
		}
	}
}
' "$1"
