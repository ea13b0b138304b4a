#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""sockstat-nl metrics against the kernel's own counts (TAP), in the guest
with the module loaded.

A workload of known sockets (TCP listeners, connections, a listener whose
accept queue is over its backlog, TIME_WAIT entries, orphans holding
megabytes of unsent data, a peer holding megabytes unread, TCP sockets in
CLOSE, bound and unbound UDP and UDP-Lite, raw sockets, IPv4 and IPv6);
then /proc/net/sockstat, /proc/net/sockstat6, /proc/net/tcp{,6} and
ss -ltn read just before and just after one "sockstat-nl metrics": each
value must lie between the two readings (they are equal when nothing
changed), except TCP_mem and UDP_mem, which may differ by what the
kernel keeps per CPU and has not added to the protocol's count yet
(net.core.mem_pcpu_rsv pages a CPU, either way: sk_memory_allocated_add()
and _sub()).  promtool check metrics must accept the output, and -o must
replace its file whole.  Documentation/metrics.rst.
"""
import errno
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.environ.get("SOCKSTAT_CLI", os.path.join(TOP, "build", "bin", "sockstat-nl"))
results = []


def check(name, ok, *diag):
    results.append((bool(ok), name, diag))


def sockstat_proc():
    """/proc/net/sockstat and sockstat6 as node_exporter names them."""
    v = {}
    for path in ("/proc/net/sockstat", "/proc/net/sockstat6"):
        with open(path) as f:
            for line in f:
                proto, rest = line.split(":", 1)
                words = rest.split()
                for k, val in zip(words[0::2], words[1::2]):
                    if proto == "sockets":
                        v["node_sockstat_sockets_used"] = int(val)
                    else:
                        v["node_sockstat_%s_%s" % (proto, k)] = int(val)
    return v


TCP_STATES = {1: "established", 2: "syn_sent", 3: "syn_recv", 4: "fin_wait1", 5: "fin_wait2",
              6: "time_wait", 7: "close", 8: "close_wait", 9: "last_ack", 10: "listen",
              11: "closing"}


def tcp_states_proc():
    """/proc/net/tcp and tcp6 by state, as node_exporter's tcpstat counts them."""
    n = {s: 0 for s in TCP_STATES.values() if s != "close"}
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(path) as f:
            next(f)
            for line in f:
                st = TCP_STATES.get(int(line.split()[3], 16))
                if st in n:
                    n[st] += 1
    return {'node_tcp_connection_states{state="%s"}' % s: c for s, c in n.items()}


def ss_listeners():
    """ss -ltn4 and -ltn6: listeners, their accept queues, and those over their backlog."""
    v = {}
    for fam, opt in (("inet", "-4"), ("inet6", "-6")):
        out = subprocess.run(["ss", "-ltnH", opt], capture_output=True, text=True, check=True).stdout
        rows = [line.split() for line in out.splitlines() if line.strip()]
        # State Recv-Q Send-Q ...: a listener's Recv-Q is its accept
        # queue, its Send-Q the backlog.
        v['sockstat_listeners{family="%s"}' % fam] = len(rows)
        v['sockstat_listen_queue_connections{family="%s"}' % fam] = sum(int(r[1]) for r in rows)
        v['sockstat_listeners_overflowing{family="%s"}' % fam] = sum(int(r[1]) > int(r[2]) for r in rows)
    return v


def kernel_view():
    v = sockstat_proc()
    v.update(tcp_states_proc())
    v.update(ss_listeners())
    return v


def settled_view():
    """kernel_view() once sockets_used has held still for a second (10 s at
    most): a closed socket stays counted until its memory is freed, after
    an RCU grace period (a netlink socket's, such as each metrics run's
    own), which on PREEMPT_RT can outlast the next reading; counted
    before metrics runs and freed before the reading after, it made
    the kernel's 40 against metrics' 39 on 7.3-rt."""
    last, since, end = None, time.time(), time.time() + 10
    while True:
        v = kernel_view()
        now = time.time()
        if v.get("node_sockstat_sockets_used") != last:
            last, since = v.get("node_sockstat_sockets_used"), now
        if now - since >= 1 or now > end:
            return v
        time.sleep(0.2)


def parse_metrics(text):
    v = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, val = line.rsplit(" ", 1)
        v[name] = int(val)
    return v


def metrics():
    r = subprocess.run([CLI, "metrics"], capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr


# --- the workload -----------------------------------------------------------
keep = []


def tcp_pair(fam, host, lst=None):
    if lst is None:
        lst = socket.socket(fam, socket.SOCK_STREAM)
        lst.bind((host, 0))
        lst.listen(16)
        keep.append(lst)
    c = socket.socket(fam, socket.SOCK_STREAM)
    c.connect(lst.getsockname()[:2])
    s, _ = lst.accept()
    return lst, c, s


def fill(c):
    """Write to @c until its send buffer and the peer's receive buffer are full."""
    c.setblocking(False)
    chunk = b"x" * 65536
    total = 0
    idle = 0
    while idle < 3:
        try:
            total += c.send(chunk)
            idle = 0
        except BlockingIOError:
            idle += 1
            time.sleep(0.1)
    return total


def workload():
    queued = 0
    for fam, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        lst, c, s = tcp_pair(fam, host)
        keep.extend((c, s))
        # A peer that reads nothing: its receive queue, and our send queue.
        _, c, s = tcp_pair(fam, host, lst)
        queued += fill(c)
        keep.extend((c, s))
        # Orphans: closed with data still to send (FIN_WAIT1), the peer
        # reading nothing.
        for _ in range(2):
            _, c, s = tcp_pair(fam, host, lst)
            queued += fill(c)
            c.close()
            keep.append(s)
        # TIME_WAIT: the side that closes first.
        for _ in range(3):
            _, c, s = tcp_pair(fam, host, lst)
            c.close()
            s.close()
        # CLOSE: a TCP socket not hashed, unbound and bound.
        keep.append(socket.socket(fam, socket.SOCK_STREAM))
        b = socket.socket(fam, socket.SOCK_STREAM)
        b.bind((host, 0))
        keep.append(b)
        # UDP and UDP-Lite: bound (in use), unbound (not), connected
        # (bound by connect()); a datagram nobody reads.
        u = socket.socket(fam, socket.SOCK_DGRAM)
        u.bind((host, 0))
        keep.append(u)
        keep.append(socket.socket(fam, socket.SOCK_DGRAM))
        uc = socket.socket(fam, socket.SOCK_DGRAM)
        uc.connect(u.getsockname()[:2])
        for _ in range(20):
            uc.send(b"y" * 1000)
        keep.append(uc)
        try:	# 7.x has no UDP-Lite (EPROTONOSUPPORT), nor its sockstat line
            ul = socket.socket(fam, socket.SOCK_DGRAM, socket.IPPROTO_UDPLITE)
            ul.bind((host, 0))
            keep.append(ul)
        except OSError as e:
            if e.errno != errno.EPROTONOSUPPORT:
                raise
        # Raw: of a protocol, hashed from socket() on.
        keep.append(socket.socket(fam, socket.SOCK_RAW,
                                  socket.IPPROTO_ICMP if fam == socket.AF_INET else socket.IPPROTO_ICMPV6))
    # A listener whose accept queue is over its backlog: with listen(1),
    # the kernel queues two connections, then drops SYNs.
    over = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    over.bind(("127.0.0.1", 0))
    over.listen(1)
    keep.append(over)
    for _ in range(3):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.setblocking(False)
        try:
            c.connect(over.getsockname())
        except BlockingIOError:
            pass
        keep.append(c)
    # Others, for sockets_used: AF_UNIX, AF_NETLINK.
    keep.extend(socket.socketpair())
    keep.append(socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0))
    time.sleep(1)	# the handshakes and FINs settle
    return queued


def main():
    page = os.sysconf("SC_PAGESIZE")
    try:
        rsv = int(open("/proc/sys/net/core/mem_pcpu_rsv").read())
    except OSError:
        rsv = (1 << 20) // page	# SK_MEMORY_PCPU_RESERVE before the sysctl
    ncpu = os.cpu_count()
    tol = ncpu * rsv
    queued = workload()

    # The kernel's counts just before and just after, each once the
    # frees of closed sockets are done (settled_view()): again (up to five
    # times) while a count of sockets moved in between (the _mem values
    # may move by themselves: the kernel reclaims and charges memory on
    # its timers).
    def moved(b, a):
        return ["%s: %s -> %s" % (k, b[k], a.get(k)) for k in b
                if b[k] != a.get(k) and not k.endswith("_mem")]
    for attempt in range(5):
        before = settled_view()
        rc, out, err = metrics()
        after = settled_view()
        if not moved(before, after):
            break
    check("sockstat-nl metrics exits 0", rc == 0, err)
    got = parse_metrics(out) if rc == 0 else {}
    check("the kernel's counts of sockets did not move while it ran (attempt %d of 5)" % (attempt + 1),
          not moved(before, after), *moved(before, after))

    r = subprocess.run(["promtool", "check", "metrics"], input=out, capture_output=True, text=True)
    check("promtool check metrics accepts the output", r.returncode == 0 and not r.stdout.strip()
          and not r.stderr.strip(), r.stdout, r.stderr)
    check("the output ends with # EOF (OpenMetrics)", out.endswith("# EOF\n"))
    check("no pid, port or address labels", not re.search(r'\b(pid|port|addr|address)="', out))

    # The workload is large enough for the memory counts to mean
    # something beside the tolerance.
    mem = before.get("node_sockstat_TCP_mem", 0)
    check("the workload makes TCP_mem (%d pages) at least 4 times the tolerance (%d CPUs x %d pages)"
          % (mem, ncpu, rsv), mem >= 4 * tol, "queued %d bytes" % queued)

    for k in sorted(before):
        if k.startswith("node_sockstat_FRAG"):
            continue	# not sockets: not in the output
        lo, hi = min(before[k], after.get(k, 0)), max(before[k], after.get(k, 0))
        slack = tol if k in ("node_sockstat_TCP_mem", "node_sockstat_UDP_mem") else 0
        v = got.get(k)
        check("%s = %s, the kernel's %s%s" % (k, v, lo if lo == hi else "%d..%d" % (lo, hi),
                                            " +-%d" % slack if slack else ""),
              v is not None and lo - slack <= v <= hi + slack)
    for unit in ("TCP", "UDP"):
        check("node_sockstat_%s_mem_bytes is %s_mem pages of %d bytes" % (unit, unit, page),
              got.get("node_sockstat_%s_mem_bytes" % unit) == got.get("node_sockstat_%s_mem" % unit, -1) * page)
    check("the workload's listener over its backlog is counted",
          got.get('sockstat_listeners_overflowing{family="inet"}', 0) >= 1)

    # -o: the file replaced whole, mode 644, no temporary file left.
    d = tempfile.mkdtemp(prefix="metrics_test.")
    path = os.path.join(d, "sockstat.prom")
    with open(path, "w") as f:
        f.write("old\n")
    r = subprocess.run([CLI, "metrics", "-o", path], capture_output=True, text=True)
    body = open(path).read()
    check("metrics -o FILE replaces FILE (mode 644) with the metrics, and leaves nothing else",
          r.returncode == 0 and body.endswith("# EOF\n") and "node_sockstat_sockets_used " in body
          and (os.stat(path).st_mode & 0o777) == 0o644 and os.listdir(d) == ["sockstat.prom"],
          r.stderr, str(os.listdir(d)))
    r = subprocess.run([CLI, "metrics", "-o", os.path.join(d, "none", "x.prom")], capture_output=True,
                       text=True)
    check("metrics -o into a missing directory fails with exit 1 and says why",
          r.returncode == 1 and "No such file or directory" in r.stderr, r.stderr)
    for f in os.listdir(d):
        os.unlink(os.path.join(d, f))
    os.rmdir(d)

    print("1..%d" % len(results))
    for i, (ok, name, diag) in enumerate(results, 1):
        print("%sok %d %s" % ("" if ok else "not ", i, name))
        if not ok:
            for line in diag:
                for part in str(line).splitlines():
                    print("# " + part)
    return 0


if __name__ == "__main__":
    sys.exit(main())
