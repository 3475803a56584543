#!/usr/bin/env python3
"""Samples the process tree under a Hangar daemon from /proc and prints CPU and memory by process kind.

Usage: HANGAR_DATA_DIR=DIR sample.py DAEMON_PID SECONDS N
CPU is the ticks (utime+stime) each process used between the first and the last sample, plus the ticks of children
that ended and were reaped in between (the parent's cutime+cstime), as % of one core. RSS and PSS (a shared page
split among the processes that map it, so postgres backends sharing shared_buffers add up honestly) are averages
over one sample a second. Prints one markdown row per kind: kind | processes | CPU % | CPU %/N | RSS MiB | RSS/N | PSS MiB.
"""
import os
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")
KINDS = ["daemon", "s3-server", "proxy", "etcd", "patroni", "postgres", "redis-server", "other"]


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def stat(pid):
    raw = read(f"/proc/{pid}/stat")
    if raw is None:
        return None
    # The command name sits in parentheses and may hold spaces: split after the last ')'.
    fields = raw[raw.rindex(b")") + 2:].split()
    ppid = int(fields[1])
    own = int(fields[11]) + int(fields[12])
    reaped = int(fields[13]) + int(fields[14])
    return ppid, own, reaped


def tree(root, data_dir):
    """The daemon and its descendants, and every process started from the data dir that left the tree: Patroni starts
    the postmaster through a helper that exits, so the postmaster and its backends are reparented to init."""
    children = {}
    roots = [root]
    for name in os.listdir("/proc"):
        if name.isdigit():
            s = stat(int(name))
            if s:
                children.setdefault(s[0], []).append(int(name))
                if data_dir and int(name) != os.getpid() and data_dir.encode() in (read(f"/proc/{name}/cmdline") or b""):
                    roots.append(int(name))
    found, todo, seen = [], roots, set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def kind(pid, root):
    if pid == root:
        return "daemon"
    cmd = (read(f"/proc/{pid}/cmdline") or b"").replace(b"\0", b" ").decode(errors="replace")
    comm = (read(f"/proc/{pid}/comm") or b"").decode(errors="replace").strip()
    if "__s3-server" in cmd:
        return "s3-server"
    if "__proxy" in cmd:
        return "proxy"
    if comm == "etcd":
        return "etcd"
    if "patroni" in cmd:
        return "patroni"
    if comm.startswith("postgres") or cmd.startswith("postgres") or "/postgresql/" in cmd.split(" ")[0]:
        return "postgres"
    if comm.startswith("redis-server"):
        return "redis-server"
    return "other"


def memory(pid):
    rss = pss = 0
    raw = read(f"/proc/{pid}/smaps_rollup")
    for line in (raw or b"").decode().splitlines():
        if line.startswith("Rss:"):
            rss = int(line.split()[1])
        elif line.startswith("Pss:"):
            pss = int(line.split()[1])
    return rss, pss


def main():
    root, seconds, n = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    data_dir = os.environ.get("HANGAR_DATA_DIR")
    first = {}
    kinds = {}
    rss = {k: 0 for k in KINDS}
    pss = {k: 0 for k in KINDS}
    samples = 0
    last = {}
    while True:
        now = {}
        for pid in tree(root, data_dir):
            s = stat(pid)
            if s is None:
                continue
            now[pid] = s
            kinds.setdefault(pid, kind(pid, root))
            r, p = memory(pid)
            rss[kinds[pid]] += r
            pss[kinds[pid]] += p
        if not first:
            first = now
            began = time.monotonic()
        samples += 1
        last = now
        if time.monotonic() - began >= seconds:
            break
        time.sleep(1)
    elapsed = time.monotonic() - began
    cpu = {k: 0 for k in KINDS}
    count = {k: 0 for k in KINDS}
    for pid, (_, own, reaped) in last.items():
        count[kinds[pid]] += 1
        if pid in first:
            cpu[kinds[pid]] += own - first[pid][1] + reaped - first[pid][2]
        else:
            cpu[kinds[pid]] += own + reaped  # born during the sample
    def per(value, digits):
        return "-" if n == 0 else f"{value / n:.{digits}f}"

    total = [0.0, 0.0, 0.0, 0]
    for k in KINDS:
        if count[k] == 0 and cpu[k] == 0:
            continue
        pct = 100.0 * cpu[k] / TICKS / elapsed
        mib = rss[k] / samples / 1024
        pmib = pss[k] / samples / 1024
        total = [total[0] + pct, total[1] + mib, total[2] + pmib, total[3] + count[k]]
        print(f"| {k} | {count[k]} | {pct:.1f} | {per(pct, 2)} | {mib:.0f} | {per(mib, 1)} | {pmib:.0f} |")
    print(f"| **all** | {total[3]} | **{total[0]:.1f}** | {per(total[0], 2)} | **{total[1]:.0f}** | {per(total[1], 1)} | {total[2]:.0f} |")
    print(f"<!-- {samples} samples over {elapsed:.1f} s -->")


if __name__ == "__main__":
    main()
