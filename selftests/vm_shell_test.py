#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# make vm, on a pseudo-terminal as a person would use it: wait for the
# guest's prompt, type commands into its shell and read their output,
# then "exit", which must power the guest off and end make vm with
# status 0.  TAP on stdout; runs on the host (selftests/run.sh), boots
# one guest.  Whatever happens, QEMU does not outlive the test.
import os
import pty
import re
import select
import signal
import sys
import time

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROMPT = rb"lab:\S*# "
results = []
buf = b""
transcript = b""


def ok(cond, name):
    results.append((cond, name))
    return cond


def expect(fd, pat, timeout):
    """Read until @pat (on the text without CRs and escape sequences)."""
    global buf, transcript
    end = time.time() + timeout
    while True:
        clean = re.sub(rb"\x1b\[[0-9;?]*[a-zA-Z]|\r", b"", buf)
        m = re.search(pat, clean)
        if m:
            buf = clean[m.end():]
            return m
        left = end - time.time()
        if left <= 0:
            return None
        r, _, _ = select.select([fd], [], [], left)
        if not r:
            continue
        try:
            data = os.read(fd, 4096)
        except OSError:
            data = b""
        if not data:
            return None
        buf += data
        transcript += data


def run(fd, command, pat, timeout=60):
    """Type @command, then read until @pat and the next prompt."""
    os.write(fd, command.encode() + b"\r")
    m = expect(fd, pat, timeout)
    expect(fd, PROMPT, 30)
    return m


def main():
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(top)
        os.execvp("make", ["make", "-s", "vm"])
    start = time.time()
    status = None
    try:
        if not ok(expect(fd, PROMPT, 600) is not None,
                  "make vm reaches the guest's shell prompt"):
            return
        print("# prompt after %.0f s" % (time.time() - start))
        ok(run(fd, "lsmod | grep -c '^sockstat '", rb"\n1\n") is not None,
           "the sockstat module is loaded")
        ok(run(fd, "type sockstat-nl epoll-server lab-demo",
               rb"sockstat-nl is %s/build/bin/sockstat-nl\nepoll-server is %s/build/lab/epoll-server\n"
               rb"lab-demo is %s/build/lab/lab-demo" % ((re.escape(top.encode()),) * 3)) is not None,
           "sockstat-nl, the lab programs and lab-demo are on PATH")
        ok(run(fd, "MANPAGER=cat man sockstat-nl | grep -c '^NAME'", rb"\n1\n") is not None,
           "man sockstat-nl shows the manual page")
        os.write(fd, b"epoll-server -p &\r")
        paused = expect(fd, rb"\[epoll-server (\d+)\] PAUSE listening", 60)
        ok(paused is not None and
           run(fd, "sockstat-nl -H -l -P 5000 | awk '{print $2, $3, $8, $9}'",
               rb"epoll-server %s SS_UNCONNECTED LISTEN" % paused.group(1)) is not None,
           "a lab program in the background pauses; sockstat-nl sees its listener")
        # Job control: the console is the shell's controlling terminal.
        os.write(fd, b"fg\r")
        expect(fd, rb"epoll-server -p\n", 30)
        time.sleep(1)
        os.write(fd, b"\r")		# Enter: the program goes on, into epoll_wait()
        time.sleep(2)
        os.write(fd, b"\x03")		# Ctrl-C: SIGINT to the foreground job
        ok(expect(fd, PROMPT, 30) is not None and
           run(fd, "sockstat-nl -H -P 5000 | wc -l", rb"\n0\n") is not None,
           "fg, Enter and Ctrl-C reach the program (job control on the console)")
        os.write(fd, b"exit\r")
        off = expect(fd, rb"Power down", 120)
        end = time.time() + 60
        while time.time() < end:
            done, st = os.waitpid(pid, os.WNOHANG)
            if done:
                status = os.waitstatus_to_exitcode(st)
                break
            expect(fd, rb"\0", 1)	# keep reading, the child may block on output
        ok(off is not None and status == 0,
           "exit powers the guest off and make vm exits with 0 (%s)" % status)
        print("# make vm session: %.0f s" % (time.time() - start))
    finally:
        if status is None:
            try:
                os.killpg(pid, signal.SIGKILL)	# make, run-vm.sh and QEMU
                os.waitpid(pid, 0)
            except OSError:
                pass


main()
print("1..%d" % max(len(results), 7))
for i, (cond, name) in enumerate(results, 1):
    print("%sok %d %s" % ("" if cond else "not ", i, name))
if not all(c for c, _ in results) or len(results) < 7:
    for line in re.sub(rb"\x1b\[[0-9;?]*[a-zA-Z]|\r", b"", transcript).decode(errors="replace").splitlines()[-40:]:
        print("# " + line)
    sys.exit(1)
