#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demo inside the guest: load the module, start a small TCP server
# with a client, a UDP socket and a socketpair, and show them.
set -eu

say() { printf '\n\033[1m%s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

say "Loading the module: it registers the Generic Netlink family \"sockstat\"."
run insmod "$SOCKSTAT_KO"

say "Starting a TCP server and a client on 127.0.0.1:8080 (the client sends 1300 bytes that the server does not read), a UDP socket and an AF_UNIX socketpair."
python3 - <<'PY' &
import socket, time
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 8080))
srv.listen(5)
cli = socket.create_connection(("127.0.0.1", 8080))
conn, _ = srv.accept()
cli.sendall((b"hello, kernel! " * 100)[:1300])
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind(("127.0.0.1", 5353))
a, b = socket.socketpair()
open("/tmp/demo-ready", "w").close()
time.sleep(3600)
PY
server=$!
while [ ! -e /tmp/demo-ready ]; do sleep 0.1; done

say "Every socket of this network namespace, as struct socket (STATE) and struct sock (SK-STATE) hold it:"
run sockstat-nl
say "The listener is SS_UNCONNECTED although its sk_state is LISTEN: listen() never changes socket->state."
say "RECV-Q of the accepted socket is exactly the 1300 bytes the client sent and nobody read."

ino=$(sockstat-nl -H -n -l -f inet -P 8080 | awk '{print $5; exit}')
say "The listener in depth, field by kernel field (its inode is the N in socket:[N] under /proc/PID/fd):"
run sockstat-nl show "$ino"

say "Counts by family and state, as the module counts them:"
run sockstat-nl -s

say "The /proc file the module also provides, as text (numbers: family, type, protocol, SS_*, TCP_*, then addresses and owners):"
run cat /proc/net/sockstat_sockets
say "sockstat-nl reads it too, and prints the same table:"
run sockstat-nl --source proc

kill "$server"
wait "$server" 2>/dev/null || true
run rmmod sockstat
say "Unloaded. sockstat-nl now says so:"
run sockstat-nl || true
