#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make vm inside the guest: load the module, then an interactive bash on
# the serial console, as the session leader with the console as its
# controlling terminal (so that job control, Ctrl-C and Ctrl-Z work).
# When it exits, so does this script, and guest-init.sh powers the guest
# off.  Arguments: the rows and columns of the host's terminal.
rows=${1:-24} cols=${2:-80}
tty=/dev/ttyS0
lab=$PWD/build/lab

# Kernel messages would land in the middle of the shell's lines.
dmesg -n 1
insmod "$SOCKSTAT_KO" || echo "vm: insmod $SOCKSTAT_KO failed"
stty -F $tty sane rows "$rows" cols "$cols" 2>/dev/null

rc=/tmp/lab-bashrc
cat >$rc <<RC
export PATH='$lab':\$PATH
export MANPATH='$lab/man:'
export PAGER=less LESS=-R
PS1='lab:\w# '
RC
cat <<MSG >$tty

sockstat lab: Debian $(uname -r) in QEMU; the sockstat module is loaded.

  sockstat-nl -P 5000       the sockets on port 5000 (man sockstat-nl)
  lab-demo [SCENARIO]       the course's scenarios, step by step:
                            epoll fork unix-dgram unix-stream socketpair
                            connect backlog udp unread
  epoll-server -p &         a lab program in the background, pausing at each
  kill -USR1 PID            step; this lets it go on (or fg, then Enter)
  less Documentation/lab.rst    the walk-through, with exercises

The lab programs are in $lab (sources: user/lab/).
exit (or Ctrl-D) powers the guest off.

MSG
setsid -c -w bash --rcfile $rc -i <$tty >$tty 2>&1
rmmod sockstat 2>/dev/null
echo "vm: powering off" >$tty
exit 0
