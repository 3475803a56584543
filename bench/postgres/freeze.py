#!/usr/bin/python3
"""Client side of bench/postgres/freeze.sh, with psycopg2 (Debian's, the one Patroni uses).

round URL SECONDS ACKS_FILE OLD_LEADER PIDS NODE=URL...
    Two recording writers through URL (one abandons a statement after 2 s and reconnects, one waits), and a probe
    of every node's own URL every 100 ms (pg_is_in_recovery(), then a small write if primary; 1 s each). After a
    few seconds of writes: SIGSTOP of PIDS (comma-separated: Patroni, postmaster; the postmaster's children too),
    SECONDS later SIGCONT; writes go on until both writers have commits again. Writes the acknowledged ids to
    ACKS_FILE and prints "acknowledged max_writable first_write_s".
check URL ACKS_FILE
    Prints how many ids in ACKS_FILE the cluster does not have.
"""
import os
import select
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import psycopg2.extensions

TABLE = "CREATE TABLE IF NOT EXISTS frozen(id bigint primary key, writer text)"
PROBES = "CREATE TABLE IF NOT EXISTS probes(node text, at timestamptz default now())"


class Abandoned(Exception):
    pass


def wait(conn, deadline):
    """Drives an async psycopg2 connection until its operation completes or the deadline passes."""
    while True:
        state = conn.poll()
        if state == psycopg2.extensions.POLL_OK:
            return
        left = deadline - time.monotonic() if deadline else None
        if left is not None and left <= 0:
            raise Abandoned()
        fd = conn.fileno()
        if state == psycopg2.extensions.POLL_READ:
            select.select([fd], [], [], left)
        else:
            select.select([], [fd], [], left)


def connect(url, seconds):
    conn = psycopg2.connect(url, async_=1, connect_timeout=max(1, int(seconds)))
    try:
        wait(conn, time.monotonic() + seconds)
    except BaseException:
        conn.close()
        raise
    return conn


def execute(conn, sql, seconds):
    cur = conn.cursor()
    cur.execute(sql)
    wait(conn, time.monotonic() + seconds if seconds else None)
    return cur.fetchone() if cur.description else None


class Writer(threading.Thread):
    ids = iter(range(int(time.time() * 1000) * 1000, 1 << 62))
    lock = threading.Lock()

    def __init__(self, url, timeout, stop):
        super().__init__(daemon=True)
        self.url, self.timeout, self.stop = url, timeout, stop
        self.acked, self.last = [], 0.0

    def run(self):
        conn = None
        while not self.stop.is_set():
            try:
                if conn is None:
                    conn = connect(self.url, 2)
                with Writer.lock:
                    next_id = next(Writer.ids)
                execute(conn, f"INSERT INTO frozen VALUES ({next_id}, 'w')", self.timeout)
                self.acked.append(next_id)
                self.last = time.monotonic()
            except (psycopg2.Error, Abandoned, OSError):
                if conn is not None:
                    conn.close()
                conn = None
                time.sleep(0.02)


def probe(name, url, conns):
    """(primary, committed) of one node within about a second each step; drops the connection on any failure."""
    primary = False
    try:
        if conns.get(name) is None:
            conns[name] = connect(url, 1)
        primary = not execute(conns[name], "SELECT pg_is_in_recovery()", 1)[0]
        if primary:
            execute(conns[name], f"INSERT INTO probes(node) VALUES ('{name}')", 1)
            return primary, True
    except (psycopg2.Error, Abandoned, OSError):
        conn = conns.pop(name, None)
        if conn is not None:
            conn.close()
    return primary, False


def children(pid):
    found = []
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            try:
                with open(f'/proc/{entry}/stat') as f:
                    stat = f.read()
            except OSError:
                continue
            if int(stat[stat.rindex(')') + 2:].split()[1]) == pid:
                found.append(int(entry))
    return found


def signal_all(pids, sig):
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass  # fenced while frozen


def freeze_round(url, seconds, acks_file, old_leader, pids, nodes):
    for sql in (TABLE, PROBES):
        conn = psycopg2.connect(url)
        conn.autocommit = True
        conn.cursor().execute(sql)
        conn.close()
    stop = threading.Event()
    writers = [Writer(url, 2, stop), Writer(url, None, stop)]
    for w in writers:
        w.start()
    rounds, conns = [], {}

    def poll():
        with ThreadPoolExecutor(len(nodes)) as pool:
            while not stop.is_set():
                at = time.monotonic()
                results = list(pool.map(lambda n: (n[0], probe(n[0], n[1], conns)), nodes.items()))
                rounds.append((at, [n for n, (p, c) in results if c]))
                time.sleep(0.1)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    while not all(len(w.acked) > 50 for w in writers):
        time.sleep(0.05)

    frozen = [int(p) for p in pids.split(',')]
    signal_all(frozen, signal.SIGSTOP)
    frozen += children(frozen[-1])
    signal_all(frozen, signal.SIGSTOP)
    frozen_at = time.monotonic()
    time.sleep(seconds)
    signal_all(frozen, signal.SIGCONT)
    resumed = time.monotonic()
    deadline = resumed + 120
    while not all(w.last > resumed for w in writers) and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    for w in writers:
        w.join(180)
    poller.join(30)

    acked = [i for w in writers for i in w.acked]
    with open(acks_file, 'w') as f:
        f.write('\n'.join(map(str, acked)))
    after = [at for at, writable in rounds if at > frozen_at and any(n != old_leader for n in writable)]
    first = f"{after[0] - frozen_at:.2f}" if after else "none"
    print(len(acked), max((len(w) for _, w in rounds), default=0), first)


def check(url, acks_file):
    with open(acks_file) as f:
        acked = {int(line) for line in f if line.strip()}
    conn = psycopg2.connect(url)
    cur = conn.cursor()
    cur.execute("SELECT id FROM frozen")
    present = {row[0] for row in cur}
    conn.close()
    print(len(acked - present))


if __name__ == "__main__":
    if sys.argv[1] == "round":
        freeze_round(sys.argv[2], float(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6],
                     dict(arg.split('=', 1) for arg in sys.argv[7:]))
    else:
        check(sys.argv[2], sys.argv[3])
