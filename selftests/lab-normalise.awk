# SPDX-License-Identifier: GPL-2.0
#
# A step of the lab as lab-demo -c captured it (Documentation/lab/*.txt),
# with what changes from run to run replaced by labels: pids, inode
# numbers, ephemeral ports (decimal and /proc's hex), the pid in a client's
# socket path.  A value gets the label of its first appearance, P1, P2,
# ... for pids, I1, I2, ... for inodes, N1, N2, ... for ports, so that "the
# same pid" or "the peer is that inode" still has to hold (and a pid equal
# to an inode number by chance links nothing).
# Everything else (states, queues, fds, owners' names, the lab's own ports
# 5000-5009) is compared as it is.  Blanks are squeezed: column widths
# follow the width of the numbers.  Used by selftests/lab_doc_test.sh.

function lab(v) {
	if (!(v in label))
		label[v] = "N" (++nlabels)
	return label[v]
}

# Pids and inode numbers are labelled apart from each other (and from
# ports): a pid that happens to equal an inode number is no link between
# them (P1, P2, ... and I1, I2, ...).
function pid(v) {
	if (!(v in plabel))
		plabel[v] = "P" (++npids)
	return plabel[v]
}

function ino(v) {
	if (!(v in ilabel))
		ilabel[v] = "I" (++ninos)
	return ilabel[v]
}

# "ADDRESS:PORT" with the port labelled, unless it is one of the lab's.
function port(tok,    i, p) {
	if (!match(tok, /:[^:]*$/))
		return tok
	i = RSTART
	p = substr(tok, i + 1)
	if (p == "*" || p == "0" || p == "0000" || p ~ /^50[0-9][0-9]$/ ||
	    (p ~ /^13[89A-F][0-9A-F]$/ && p <= "1391"))
		return tok
	return substr(tok, 1, i) lab(p)
}

# A client's path with its pid: /tmp/lab-dgram-cli-171.sock.
function path(tok) {
	if (match(tok, /-[0-9]+\.sock$/))
		return substr(tok, 1, RSTART) pid(substr(tok, RSTART + 1, RLENGTH - 6)) ".sock"
	return tok
}

# The command: the pid or inode it names.
/^\$ / {
	for (i = 2; i <= NF; i++)
		if ($(i - 1) == "show" && $i ~ /^[0-9]+$/)
			$i = ino($i)
		else if ($(i - 1) == "-p" && $i ~ /^[0-9]+$/)
			$i = pid($i)
	print
	next
}

# The table: USER COMMAND PID FD INODE FAMILY TYPE STATE SK-STATE RECV-Q
# SEND-Q LOCAL PEER (a unix PEER is an inode).
NF == 13 && $3 ~ /^[0-9]+$/ && $4 ~ /^[0-9]+$/ && $5 ~ /^[0-9]+$/ {
	$3 = pid($3)
	$5 = ino($5)
	$12 = port(path($12))
	$13 = $13 ~ /^[0-9]+$/ ? ino($13) : port(path($13))
	print
	next
}

# /proc/net/tcp as the lab prints it: local remote st inode (0: none).
$1 ~ /^[0-9A-F]+:[0-9A-F]+$/ && NF == 4 {
	$1 = port($1)
	$2 = port($2)
	if ($4 != "0")
		$4 = ino($4)
	print
	next
}

# /proc/net/unix as the lab prints it: Type St Inode Path.
$1 ~ /^[0-9][0-9][0-9][0-9]$/ && $2 ~ /^[0-9][0-9]$/ && NF >= 3 {
	$3 = ino($3)
	if (NF >= 4)
		$4 = path($4)
	print
	next
}

# /proc/net/sockstat_sockets: inode family type proto ss_state sk_state
# recv_q send_q local peer missing owners (pid:fd:flags:uid:comm,...).
NF == 12 && $1 ~ /^[0-9]+$/ && $2 ~ /^[0-9]+$/ {
	$1 = ino($1)
	$9 = port($9)
	$10 = port($10)
	n = split($12, owner, ",")
	$12 = ""
	for (k = 1; k <= n; k++) {
		split(owner[k], f, ":")
		sub(/^[0-9]+/, pid(f[1]), owner[k])
		$12 = $12 (k > 1 ? "," : "") owner[k]
	}
	print
	next
}

# Anything else (headers, show's field lines): blanks squeezed.
{
	$1 = $1
	print
}
