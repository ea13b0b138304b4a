# SPDX-License-Identifier: GPL-2.0
# bash completion for sockstat-nl(8): options, the commands (show, watch,
# monitor, graph, metrics), and the values of -f, -t, --ss-state,
# --sk-state, --nofd, --source, -T, -p (running processes), -N (network
# namespaces) and show (the inodes of sockets descriptors hold).
# Installed by make install and by the sockstat-nl package;
# selftests/completion_test.sh drives it.

_sockstat_nl_families="unix local inet inet6 netlink packet ax25 ipx appletalk x25 decnet key rds irda llc ib mpls can tipc bluetooth iucv rxrpc isdn phonet ieee802154 caif alg nfc vsock kcm qipcrtr smc xdp"
_sockstat_nl_types="stream dgram raw rdm seqpacket dccp packet"
_sockstat_nl_ss_states="free unconnected connecting connected disconnecting"
_sockstat_nl_sk_states="established syn-sent syn-recv fin-wait1 fin-wait2 time-wait close close-wait last-ack listen closing new-syn-recv bound-inactive"
_sockstat_nl_nofd="accept syn-recv in-flight orphan time-wait"
_sockstat_nl_opts="-e --extended -j --json -s --summary -n --numeric -H --no-header -i --interval --poll -T --format --max -a --all --nofd --source -f --family -t --type --ss-state --sk-state -l --listening -c --connected -p --pid --inode -N --netns -C --command -P --port -o --output -h --help -V --version"

# A comma-separated list: complete its last item from $1, the items
# before it kept.
_sockstat_nl_list()
{
	local cur=$2 pre="" item
	if [[ $cur == *,* ]]; then
		pre=${cur%,*},
		cur=${cur##*,}
	fi
	COMPREPLY=()
	for item in $1; do
		[[ $item == "$cur"* ]] && COMPREPLY+=("$pre$item")
	done
	[[ ${#COMPREPLY[@]} == 1 ]] && compopt -o nospace 2>/dev/null
	return 0
}

_sockstat_nl()
{
	local cur prev i cmd=""
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=""
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()

	case $prev in
	-f|--family)
		COMPREPLY=($(compgen -W "$_sockstat_nl_families" -- "$cur")); return 0 ;;
	-t|--type)
		COMPREPLY=($(compgen -W "$_sockstat_nl_types" -- "$cur")); return 0 ;;
	--ss-state)
		_sockstat_nl_list "$_sockstat_nl_ss_states" "$cur"; return 0 ;;
	--sk-state)
		_sockstat_nl_list "$_sockstat_nl_sk_states" "$cur"; return 0 ;;
	--nofd)
		_sockstat_nl_list "$_sockstat_nl_nofd" "$cur"; return 0 ;;
	--source)
		COMPREPLY=($(compgen -W "netlink proc" -- "$cur")); return 0 ;;
	-T|--format)
		COMPREPLY=($(compgen -W "dot svg png" -- "$cur")); return 0 ;;
	-p|--pid)
		COMPREPLY=($(compgen -W "$(cd /proc 2>/dev/null && printf '%s\n' [0-9]*)" -- "$cur"))
		return 0 ;;
	-N|--netns)
		COMPREPLY=($(compgen -W "all $(stat -L -c %i /proc/[0-9]*/ns/net 2>/dev/null | sort -u)" -- "$cur"))
		return 0 ;;
	-o|--output)
		COMPREPLY=($(compgen -f -- "$cur")); return 0 ;;
	-i|--interval|--max|--inode|-C|--command|-P|--port)
		return 0 ;;	# a number or a name of the user's
	esac

	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		show|watch|monitor|graph|metrics) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	if [[ $cmd == show && $prev == show ]]; then
		# The inodes of the sockets this user's descriptors hold.
		COMPREPLY=($(compgen -W "$(find /proc/[0-9]*/fd -lname 'socket:*' -printf '%l\n' 2>/dev/null |
			sed 's/^socket:\[\([0-9]*\)\]$/\1/' | sort -u) cookie:" -- "$cur"))
		[[ ${COMPREPLY[0]} == cookie: ]] && compopt -o nospace 2>/dev/null
		return 0
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$_sockstat_nl_opts" -- "$cur"))
		return 0
	fi
	[[ -z $cmd ]] && COMPREPLY=($(compgen -W "show watch monitor graph metrics" -- "$cur"))
	return 0
}
complete -F _sockstat_nl sockstat-nl
