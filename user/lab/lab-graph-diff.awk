# SPDX-License-Identifier: GPL-2.0
#
# awk -v changes=FILE -f lab-graph-diff.awk PREV.dot CUR.dot >HIGHLIGHTED.dot
#
# What changed between two pictures of "sockstat-nl graph" (two steps of a
# lab scenario): CUR.dot again, with what is new in red and what changed
# in yellow, and in FILE the changes, one a line, sorted:
#
#   + process COMMAND       a process, its cluster
#   + fd COMMAND N          a descriptor
#   + file, + socket, + sock, + peer, + accept-queue, + in-flight
#   - ...                   the same, gone
#   ~ KIND FIELD OLD -> NEW a fact the node's label shows that changed
#
# sockstat-nl gives every node and edge an id and a comment with its kind
# and facts ("sock;sk_state=LISTEN;recv-q=0;..."), each on a line of its
# own ending in "]": objects are the same in two pictures when their ids
# are (pids, inode numbers, socket cookies do not change within a run).
# The struct file -> struct socket -> struct sock edges come and go with
# their nodes and are not listed.

function attr(line, name,    s) {
	if (!match(line, "[[ ]" name "=\"[^\"]*\""))
		return ""
	s = substr(line, RSTART + length(name) + 3, RLENGTH - length(name) - 4)
	return s
}

# The words naming an object: its kind, and for processes and descriptors
# which ones.
function what(comment,    n, f, i, kv, k) {
	n = split(comment, f, ";")
	delete k
	for (i = 2; i <= n; i++) {
		split(f[i], kv, "=")
		k[kv[1]] = substr(f[i], length(kv[1]) + 2)
	}
	if (f[1] == "process")
		return "process " k["comm"]
	if (f[1] == "fd")
		return "fd " k["comm"] " " k["fd"]
	return f[1]
}

function listed(comment,    kind) {
	kind = comment
	sub(/;.*/, "", kind)
	return kind != "" && kind != "private_data" && kind != "sk"
}

# The facts that differ, as "~ KIND FIELD OLD -> NEW" lines.
function differ(old, cur,    n, m, f, g, i, kv, a, b, kind, out) {
	n = split(old, f, ";")
	m = split(cur, g, ";")
	kind = g[1]
	delete a
	delete b
	for (i = 2; i <= n; i++) {
		split(f[i], kv, "=")
		a[kv[1]] = substr(f[i], length(kv[1]) + 2)
	}
	for (i = 2; i <= m; i++) {
		split(g[i], kv, "=")
		b[kv[1]] = substr(g[i], length(kv[1]) + 2)
	}
	out = ""
	for (i in b)
		if (!(i in a))
			out = out "~ " kind " " i " - -> " b[i] "\n"
		else if (a[i] != b[i])
			out = out "~ " kind " " i " " a[i] " -> " b[i] "\n"
	for (i in a)
		if (!(i in b))
			out = out "~ " kind " " i " " a[i] " -> -\n"
	return out
}

function mark(line, attrs) {
	sub(/\][ \t]*$/, " " attrs "]", line)
	return line
}

BEGIN {
	new = "color=\"#d62728\" fontcolor=\"#d62728\" penwidth=2.6"
	chg = "fillcolor=\"#ffd966\" color=\"#b8860b\" penwidth=2"
	sorter = "sort >\"" changes "\""
	printf "" >changes
	close(changes)
}

FNR == NR {
	id = attr($0, "id")
	if (id != "")
		prev[id] = attr($0, "comment")
	next
}

{
	id = attr($0, "id")
	if (id == "") {
		print
		if ($0 ~ /^digraph /)
			print "  graph [label=\"red: new since the previous step    yellow: changed\" labelloc=b fontsize=9 fontcolor=\"#555555\"]"
		next
	}
	c = attr($0, "comment")
	seen[id] = 1
	if (!(id in prev)) {
		if (listed(c))
			print "+ " what(c) | sorter
		print mark($0, new)
	} else if (prev[id] != c && listed(c)) {
		d = differ(prev[id], c)
		printf "%s", d | sorter
		print mark($0, chg)
	} else {
		print
	}
}

END {
	for (id in prev)
		if (!(id in seen) && listed(prev[id]))
			print "- " what(prev[id]) | sorter
	close(sorter)
}
