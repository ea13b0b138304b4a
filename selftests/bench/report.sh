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
#   KERNEL N P nl-walk-dump SCANS SCAN_MS WINDOW_BYTES OWNER_BYTES MEMCG_PEAK
#   KERNEL N P nl-walk-brief (the same, of the brief dump)
#   KERNEL N P slab BYTES (what the workload's sockets took of the slab)
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
$4 == "nl-walk-dump" {
	k = $1 SUBSEP $2 SUBSEP $3
	wscans[k] = $5; wscanms[k] = $6; wwin[k] = $7; wtab[k] = $8
	next
}
$4 == "nl-walk-brief" {
	k = $1 SUBSEP $2 SUBSEP $3
	bscans[k] = $5; bscanms[k] = $6; bwin[k] = $7; btab[k] = $8
	next
}
$4 == "slab" { slab[$1 SUBSEP $2 SUBSEP $3] = $5; next }
$4 == "nl-sparse-with" || $4 == "nl-sparse-without" {
	k = $1 SUBSEP $2 SUBSEP $3 SUBSEP $4
	sparse[k] = (k in sparse) ? sparse[k] " " $8 : $8
	next
}
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
	ntools = split("nl-table nl-json proc ss-a ss-ap lsof cat-proc-net bpf-iter", tools, " ")
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

		printf "\n=== %s: the kernel'"'"'s brief dump, finding owners (the scans) and writing messages; what it holds\n", kern
		printf "%7s %5s %6s %9s %9s %8s %8s %10s %10s %10s %7s\n", "N", "P", "scans",
			"brief-ms", "scan-ms", "owners", "messages", "window-KiB", "owners-KiB",
			"socks-MiB", "memory"
		for (ci = 1; ci <= nc; ci++) {
			split(confs[ci], np, SUBSEP)
			k = kern SUBSEP np[1] SUBSEP np[2]
			if (!(k in bscans) || !(k in bdump)) continue
			sh = bdump[k] > 0 ? bscanms[k] / bdump[k] : 0
			printf "%7s %5s %6s %9s %9s %7.1f%% %7.1f%% %10.1f %10.1f %10s %7s\n",
				np[1], np[2], bscans[k], bdump[k], bscanms[k], 100 * sh,
				100 * (1 - sh), bwin[k] / 1024, btab[k] / 1024,
				(k in slab) ? sprintf("%.1f", slab[k] / 1048576) : "-",
				((k in slab) && slab[k] > 0) ? sprintf("%.2f%%", 100 * (bwin[k] + btab[k]) / slab[k]) : "-"
		}
		printf "(memory: the dump'"'"'s window and owner table at their peak, against the slab the sockets took)\n"

		# The targets of #19, where the bench has their workloads.
		printf "\n=== %s: targets (#19)\n", kern
		b = kern SUBSEP 100000 SUBSEP 1000 SUBSEP
		if ((b "nl-table") in med && (b "ss-ap") in med)
			printf "ss -ap / table, N=100000 P=1000: %.1fx (target >= 15x): %s\n",
				med[b "ss-ap"] / med[b "nl-table"], verdict(med[b "ss-ap"] >= 15 * med[b "nl-table"])
		if ((b "nl-table") in med && (b "cat-proc-net") in med)
			printf "table / cat /proc/net/tcp /proc/net/unix, N=100000 P=1000: %.2fx (target <= 1): %s\n",
				med[b "nl-table"] / med[b "cat-proc-net"], verdict(med[b "nl-table"] <= med[b "cat-proc-net"])
		if ((b "nl-table") in med && (b "bpf-iter") in med)
			printf "table / BPF task_file iterator, N=100000 P=1000: %.2fx (target <= 1.5x): %s\n",
				med[b "nl-table"] / med[b "bpf-iter"], verdict(med[b "nl-table"] <= 1.5 * med[b "bpf-iter"])
		if ((b "proc") in med && (b "cat-proc-net") in med)
			printf "/proc/net/sockstat_sockets / cat /proc/net/tcp /proc/net/unix, N=100000 P=1000: %.2fx (target <= 1): %s\n",
				med[b "proc"] / med[b "cat-proc-net"], verdict(med[b "proc"] <= med[b "cat-proc-net"])
		# A floor under the three targets above: whatever lists these
		# sockets with their owners does at least what cat does (the text
		# the kernel itself writes of them) and visits every descriptor once
		# (one of the brief dump scans, as the module measured it).
		k = kern SUBSEP 100000 SUBSEP 1000
		if ((b "cat-proc-net") in med && (k in bscans) && bscans[k] > 0) {
			fl = med[b "cat-proc-net"] + bscanms[k] / bscans[k]
			printf "floor: cat /proc/net/tcp /proc/net/unix + one scan of the descriptors = %.0f + %.0f = %.0f ms, N=100000 P=1000\n",
				med[b "cat-proc-net"], bscanms[k] / bscans[k], fl
			lim["table <= cat /proc/net"] = med[b "cat-proc-net"]
			lim["/proc <= cat /proc/net"] = med[b "cat-proc-net"]
			if ((b "bpf-iter") in med)
				lim["table <= 1.5x BPF"] = 1.5 * med[b "bpf-iter"]
			for (t in lim)
				printf "  %s allows %.0f ms: %s the floor\n", t, lim[t],
					lim[t] < fl ? "below" : "not below"
			delete lim
			if ((b "nl-table") in med && (b "proc") in med)
				printf "  table / floor %.2fx, /proc / floor %.2fx\n", med[b "nl-table"] / fl, med[b "proc"] / fl
		}
		for (ci = 1; ci <= nc; ci++) {
			split(confs[ci], np, SUBSEP)
			b = kern SUBSEP np[1] SUBSEP np[2] SUBSEP
			if ((b "nl-json") in med && (b "nl-table") in med)
				printf "JSON / table, N=%d P=%d: %.2fx (target <= 2x): %s\n", np[1], np[2],
					med[b "nl-json"] / med[b "nl-table"], verdict(med[b "nl-json"] <= 2 * med[b "nl-table"])
			if (np[1] == 10000 && (b "nl-json") in med && (b "ss-ap") in med)
				printf "ss -ap / JSON, N=10000 P=%d: %.1fx (target >= 5x at P=100): %s\n", np[2],
					med[b "ss-ap"] / med[b "nl-json"], verdict(med[b "ss-ap"] >= 5 * med[b "nl-json"])
			k = kern SUBSEP np[1] SUBSEP np[2]
			if ((k in slab) && slab[k] > 0 && (k in wwin))
				printf "a full dump'"'"'s window and owner table / the sockets'"'"' slab, N=%d P=%d: %.2f%% (target < 1%%): %s\n",
					np[1], np[2], 100 * (wwin[k] + wtab[k]) / slab[k], verdict(wwin[k] + wtab[k] < slab[k] / 100)
			hi = kern SUBSEP 1000000 SUBSEP np[2]
			if (np[1] == 100000 && (hi SUBSEP "nl-table") in med && (b "nl-table") in med)
				printf "table time(1000000) / time(100000), P=%d: %.2f (target <= 11): %s\n", np[2],
					med[hi SUBSEP "nl-table"] / med[b "nl-table"],
					verdict(med[hi SUBSEP "nl-table"] <= 11 * med[b "nl-table"])
			if (np[1] == 100000 && (hi in bdump) && (k in bdump) && bdump[k] > 0)
				printf "brief dump time(1000000) / time(100000), P=%d: %.2f (target <= 11): %s\n", np[2],
					bdump[hi] / bdump[k], verdict(bdump[hi] <= 11 * bdump[k])
		}

		for (ci = 1; ci <= nc; ci++) {
			split(confs[ci], np, SUBSEP)
			k = kern SUBSEP np[1] SUBSEP np[2] SUBSEP "nl-sparse-"
			if (!((k "with") in sparse) || !((k "without") in sparse)) continue
			a = median(sparse[k "with"]); z = median(sparse[k "without"])
			if (z > 0)
				printf "brief dump with / without a process holding descriptor 500,000, N=%d P=%d: %.1f ms / %.1f ms = %+.1f%% (target under 5%%): %s\n",
					np[1], np[2], a, z, 100 * (a / z - 1), verdict(a < 1.05 * z)
		}

		# The targets, at the largest N (and P) against the one ten times smaller.
		bigN = 0; bigP = 0; minN = 0
		for (ci = 1; ci <= nc; ci++) {
			split(confs[ci], np, SUBSEP)
			if (np[1] + 0 > bigN) bigN = np[1] + 0
			if (np[2] + 0 > bigP) bigP = np[2] + 0
			if (!minN || np[1] + 0 < minN) minN = np[1] + 0
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
			lo = kern SUBSEP minN SUBSEP pp
			if (((hi SUBSEP "nl-table") in rss) && ((lo SUBSEP "nl-table") in rss)) {
				r = rss[hi SUBSEP "nl-table"] / rss[lo SUBSEP "nl-table"]
				printf "sockstat-nl peak RSS, N=%d vs N=%d, P=%d: %d KiB vs %d KiB, %.2fx (target <= 2x): %s\n",
					minN, bigN, pp, rss[lo SUBSEP "nl-table"], rss[hi SUBSEP "nl-table"],
					r, verdict(r <= 2)
			}
			lo = kern SUBSEP tinyN SUBSEP pp
			if ((hi in getus) && (lo in getus))
				printf "GET-do by inode, P=%d: %s us at N=%d, %s us at N=%d\n", pp,
					getus[lo], tinyN, getus[hi], bigN
		}
	}
}
' "$1"
