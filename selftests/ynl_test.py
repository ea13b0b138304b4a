#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A client nobody here wrote: the kernel's YNL CLI (tools/net/ynl/cli.py
from linux-source-6.12), driven only by our spec, dumps every socket and
fetches one by inode, and must find the same sockets with the same values
as "sockstat-nl -j".  Also through 4000-byte reads (--dbg-small-recv:
many dump continuations).  Runs in the guest with the module loaded;
prints TAP."""

import ipaddress
import json
import os
import socket
import subprocess
import sys
import time

import yaml

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
YNL = os.path.join(TOP, "build", "ynl")
SPEC = os.path.join(YNL, "Documentation", "netlink", "specs", "sockstat.yaml")
CLI = [sys.executable, os.path.join(YNL, "tools", "net", "ynl", "cli.py"),
       "--spec", SPEC, "--output-json"]

results = []


def check(ok, name, detail=""):
    results.append((bool(ok), name, detail))


def ynl(*args):
    out = subprocess.run(CLI + list(args), capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"cli.py {' '.join(args)}: {out.stdout}{out.stderr}")
    reply = json.loads(out.stdout)
    return reply if isinstance(reply, list) else [reply]


def ours(*args):
    out = subprocess.run(["sockstat-nl", "-j"] + list(args),
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["sockets"]


def spec_decoders():
    """YNL prints enums as names and flag sets as lists of names: the spec
    says which number each name stands for."""
    spec = yaml.safe_load(open(SPEC))
    consts = {}
    for d in spec["definitions"]:
        names = [e if isinstance(e, str) else e["name"] for e in d["entries"]]
        if d["type"] == "flags":
            consts[d["name"]] = {n: 1 << i for i, n in enumerate(names)}
        else:
            start = d.get("value-start", 0)
            consts[d["name"]] = {n: start + i for i, n in enumerate(names)}
    sets = {s["name"]: {a["name"]: a for a in s["attributes"]}
            for s in spec["attribute-sets"]}
    return consts, sets


CONSTS, SETS = spec_decoders()


def normalize_ynl(obj, set_name="sock"):
    """A YNL reply in the shape of sockstat-nl -j."""
    out = {}
    for key, val in obj.items():
        attr = SETS[set_name][key]
        name = key.replace("-", "_")
        if attr["type"] == "nest":
            sub = [normalize_ynl(v, attr["nested-attributes"])
                   for v in (val if attr.get("multi-attr") else [val])]
            out["owners" if key == "owner" else name] = sub if attr.get("multi-attr") else sub[0]
        elif "enum" in attr:
            table = CONSTS[attr["enum"]]
            out[name] = sum(table[v] for v in val) if isinstance(val, list) else table[val]
        elif attr["type"] == "binary":
            raw = bytes.fromhex(val)
            if key == "unix-name":
                out[name] = "@" + raw[1:].decode() if raw[:1] == b"\0" else raw.rstrip(b"\0").decode()
            else:
                out[name] = str(ipaddress.ip_address(raw))
        else:
            out[name] = val
    if set_name == "sock":
        out.setdefault("owners", [])
    return out


# Names sockstat-nl adds beside the numbers; YNL has the numbers only.
OUR_NAMES = {"family_name", "type_name", "ss_state_name", "sk_state_name"}


def normalize_ours(obj):
    return {k: v for k, v in obj.items() if k not in OUR_NAMES}


# Fields that move on their own between two reads of an idle socket: none
# here (the TCP connection has settled before the first read, and its
# nest is compared like the rest).
MOVING = set()


def differences(a, b):
    """The fields two views of a socket disagree on."""
    keys = (set(a) | set(b)) - MOVING
    return {k: (a.get(k), b.get(k)) for k in sorted(keys) if a.get(k) != b.get(k)}


def zoo():
    """Quiescent sockets of several families, held by this process."""
    socks = []
    lst = socket.socket()
    lst.bind(("127.0.0.1", 0))
    lst.listen(4)
    cli = socket.create_connection(lst.getsockname())
    srv, _ = lst.accept()
    cli.sendall(b"x" * 1234)
    udp = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    udp.bind(("::1", 0))
    a, b = socket.socketpair()
    named = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    named.bind(f"/tmp/sockstat-ynl-{os.getpid()}")
    abstract = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    abstract.bind(b"\0sockstat-ynl")
    nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
    nl.bind((0, 1))
    socks += [lst, cli, srv, udp, a, b, named, abstract, nl]
    return socks, [cli, srv]


def main():
    socks, connected = zoo()
    inodes = {os.fstat(s.fileno()).st_ino for s in socks}
    tcp_inodes = {os.fstat(s.fileno()).st_ino for s in connected}
    time.sleep(0.3)

    mine = {s["inode"]: normalize_ours(s) for s in ours()}
    for label, extra in (("dump", []), ("dump through 4000-byte reads", ["--dbg-small-recv"])):
        theirs = [normalize_ynl(o) for o in ynl("--dump", "get", *extra)]
        by_ino = {}
        for t in theirs:
            by_ino.setdefault(t["inode"], []).append(t)
        check(all(len(by_ino.get(i, [])) == 1 for i in inodes),
              f"YNL {label} lists each of our {len(inodes)} sockets once")
        bad = {i: differences(by_ino[i][0], mine.get(i, {}))
               for i in inodes if i in by_ino}
        bad = {i: d for i, d in bad.items() if d}
        check(not bad, f"YNL {label} has sockstat-nl -j's values",
              f"(ynl, sockstat-nl) differ: {bad}")
        check(all("tcp" in by_ino.get(i, [{}])[0] and "tcp" in mine.get(i, {})
                  for i in tcp_inodes),
              f"YNL {label} and sockstat-nl -j both have the TCP nest of the connection",
              f"{[(i, 'tcp' in by_ino.get(i, [{}])[0], 'tcp' in mine.get(i, {})) for i in tcp_inodes]}")
        check(len(theirs) >= len(inodes), f"YNL {label} returns at least our sockets",
              f"{len(theirs)} sockets")

    bad = []
    for i in sorted(inodes):
        t = normalize_ynl(ynl("--do", "get", "--json", json.dumps({"inode": i}))[0])
        o = normalize_ours(ours("show", str(i))[0])
        if differences(t, o):
            bad.append((i, differences(t, o)))
    check(not bad, "YNL do get by inode has sockstat-nl -j show's values",
          f"(ynl, sockstat-nl) differ: {bad}")

    # An error through YNL: the kernel's extack reaches a foreign client.
    out = subprocess.run(CLI + ["--do", "get", "--json", json.dumps({"inode": 1})],
                         capture_output=True, text=True)
    check(out.returncode != 0 and "no socket with this inode" in out.stdout + out.stderr,
          "YNL do get of a missing inode fails with the kernel's message",
          (out.stdout + out.stderr).strip())

    os.unlink(f"/tmp/sockstat-ynl-{os.getpid()}")
    print("TAP version 13")
    print(f"1..{len(results)}")
    for n, (ok, name, detail) in enumerate(results, 1):
        if detail and not ok:
            for line in detail.splitlines():
                print(f"# {line}")
        print(f"{'ok' if ok else 'not ok'} {n} {name}")
    return 0 if all(r[0] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
