#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bash completion of sockstat-nl (user/completion/sockstat-nl.bash),
# driven as bash drives it: COMP_WORDS and COMP_CWORD set, the function
# "complete -F" registered called, COMPREPLY read.  Every value it offers
# must be one build/bin/sockstat-nl accepts (an option's value is parsed
# before -h is acted on: "sockstat-nl -f VALUE -h" exits 0 only if VALUE
# is a family), and every option and every value sockstat-nl --help lists
# must be offered.  On the host: no module is needed.  TAP output.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cli=$top/build/bin/sockstat-nl
comp=${SOCKSTAT_COMPLETION:-$top/user/completion/sockstat-nl.bash}

n=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
notok() { n=$((n + 1)); echo "not ok $n $1"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

echo "1..15"

# Like a user's shell: bash-completion first, where it is installed.
[ -f /usr/share/bash-completion/bash_completion ] &&
	. /usr/share/bash-completion/bash_completion >/dev/null 2>&1
# shellcheck source=../user/completion/sockstat-nl.bash
. "$comp"
fn=$(complete -p sockstat-nl 2>/dev/null | sed -n 's/^complete -F \([^ ]*\) sockstat-nl$/\1/p')
if [ -n "$fn" ]; then ok "the script registers a completion function for sockstat-nl ($fn)"
else notok "the script registers a completion function for sockstat-nl"; exit 0; fi

# complete WORD...: what completing the last WORD offers, one a line.
complete_line() {
	COMP_WORDS=(sockstat-nl "$@")
	COMP_CWORD=$#
	COMP_LINE="sockstat-nl $*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	"$fn" sockstat-nl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2>/dev/null
	printf '%s\n' "${COMPREPLY[@]}" | sort
}

# accepted OPTION: every value completing "OPTION ''" offers is one
# sockstat-nl takes for it; and there are at least MIN of them.
accepted() { # NAME OPTION MIN
	vals=$(complete_line "$2" '')
	bad=""
	for v in $vals; do
		"$cli" "$2" "$v" -h >/dev/null 2>&1 || bad="$bad $v"
	done
	cnt=$(echo "$vals" | grep -c .)
	if [ -z "$bad" ] && [ "$cnt" -ge "$3" ]; then
		ok "$1: the $cnt values offered for $2 are all accepted by sockstat-nl"
	else
		diag "offered: $(echo $vals)" "refused by sockstat-nl:${bad:- none}"
		notok "$1: the values offered for $2 are all accepted by sockstat-nl (at least $3)"
	fi
}

# A command line with nothing typed: the commands.
# --help's usage lines name them: the first word after the program and
# its bracketed options ("show INODE", "watch", ...), before the
# two spaces that start the line's description.
want=$("$cli" --help | sed -n '/^Usage:/,/^$/p' |
	sed -E 's/^(Usage:)? +[^ ]+ //; s/\[[^]]*\](\.\.\.)? ?//g; s/  .*//' |
	awk '$1 ~ /^[a-z]+$/ { print $1 }' | sort -u | tr '\n' ' ')
got=$(complete_line '' | tr '\n' ' ')
[ -n "$want" ] && [ "$got" = "$want" ] && ok "an empty word offers the commands of --help's usage ($want)" ||
	{ diag "offered: $got" "--help: $want"; notok "an empty word offers the commands of --help's usage"; }

# The options: those --help lists, exactly.
want=$("$cli" --help | grep -E '^ {2,}-' |
	sed -E 's/^ +(-[a-zA-Z], )?(--[a-z-]+).*/\1\2/; s/,//' | tr ' ' '\n' | grep . | sort -u)
got=$(complete_line - | sort -u)
if [ "$want" = "$got" ]; then
	ok "'-' offers exactly the $(echo "$want" | wc -l) options of sockstat-nl --help"
else
	diag "in --help only: $(comm -23 <(echo "$want") <(echo "$got") | tr '\n' ' ')" \
		"offered only: $(comm -13 <(echo "$want") <(echo "$got") | tr '\n' ' ')"
	notok "'-' offers exactly the options of sockstat-nl --help"
fi

accepted "families" -f 30
accepted "types" -t 5
accepted "SS_* states" --ss-state 5
accepted "sk_states" --sk-state 11
accepted "--nofd kinds" --nofd 5
accepted "sources" --source 2
accepted "graph formats" -T 3

# The lists --help spells out are offered in full.
help_list() { # the words after TEXT in --help, up to the closing paren or line end
	"$cli" --help | tr '\n' ' ' | sed -n "s/.*$1 *\([a-z, -]*\).*/\1/p" | tr ', ' '\n\n' | grep .
}
missing=""
for v in $(help_list 'only these of them:') $(help_list 'socket->state:'); do
	grep -qx -- "$v" <(complete_line --nofd ''; complete_line --ss-state '') || missing="$missing $v"
done
[ -z "$missing" ] && ok "the --nofd kinds and SS_* states --help names are all offered" ||
	{ diag "not offered:$missing"; notok "the --nofd kinds and SS_* states --help names are all offered"; }

# A comma-separated list: the item being typed completes, those before stay.
got=$(complete_line --nofd orphan,ti)
[ "$got" = "orphan,time-wait" ] && ok "--nofd orphan,ti completes to orphan,time-wait" ||
	{ diag "offered: $got"; notok "--nofd orphan,ti completes to orphan,time-wait"; }

# -p: running processes, this one and a child among them, not one that
# has exited (and was waited for), nothing that is not a pid.
sleep 0 &
dead=$!
wait "$dead"
sleep 30 &
child=$!
got=$(complete_line -p '')
if grep -qx "$$" <<<"$got" && grep -qx "$child" <<<"$got" && ! grep -qx "$dead" <<<"$got" &&
	! grep -qvx '[0-9][0-9]*' <<<"$got"; then
	ok "-p offers the pids of running processes (this shell's and a child's, not an exited one's)"
else
	diag "offered $(echo "$got" | grep -c .) words; $$ and $child among them, $dead not?"
	notok "-p offers the pids of running processes (this shell's and a child's, not an exited one's)"
fi
kill "$child" 2>/dev/null
wait "$child" 2>/dev/null

# show: the inode of a socket this shell's child holds.
python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
print(s.fileno(), flush=True)
time.sleep(30)' >"${TMPDIR:-/tmp}/completion_test.$$" &
child=$!
for _ in $(seq 50); do
	[ -s "${TMPDIR:-/tmp}/completion_test.$$" ] && break
	sleep 0.2
done
fd=$(cat "${TMPDIR:-/tmp}/completion_test.$$")
rm -f "${TMPDIR:-/tmp}/completion_test.$$"
ino=$(readlink "/proc/$child/fd/$fd" 2>/dev/null | sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p')
got=$(complete_line show '')
if [ -n "$ino" ] && grep -qx "$ino" <<<"$got" && grep -qx 'cookie:' <<<"$got"; then
	ok "show offers the inode of a socket a process holds ($ino), and cookie:"
else
	diag "socket inode: ${ino:-none}; offered $(echo "$got" | grep -c .) words"
	notok "show offers the inode of a socket a process holds, and cookie:"
fi
kill "$child" 2>/dev/null
wait "$child" 2>/dev/null

# After a command, no second command is offered.
got=$(complete_line metrics '')
[ -z "$got" ] && ok "after metrics, no second command is offered" ||
	{ diag "offered: $got"; notok "after metrics, no second command is offered"; }
