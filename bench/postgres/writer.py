#!/usr/bin/python3
"""Client side of bench/postgres/run.sh, with psycopg2 (Debian's, the one Patroni uses).

failover URL PID...   kill -9 the given pids, then time until the first INSERT through URL commits.
gap URL SECONDS       INSERT continuously for SECONDS (reconnecting on errors); print the longest time
                      between two acknowledged commits and the number of failed attempts.
"""
import os
import signal
import sys
import time

import psycopg2


def insert(conn):
    with conn.cursor() as cur:
        cur.execute("INSERT INTO w DEFAULT VALUES")
    conn.commit()


def connect(url):
    return psycopg2.connect(url, connect_timeout=2)


def failover(url, pids):
    for pid in pids:
        os.kill(int(pid), signal.SIGKILL)
    start = time.monotonic()
    while True:
        try:
            conn = connect(url)
            try:
                insert(conn)
            finally:
                conn.close()
            print(f"{time.monotonic() - start:.3f}")
            return
        except psycopg2.Error:
            time.sleep(0.02)


def gap(url, seconds):
    end = time.monotonic() + seconds
    last = time.monotonic()
    worst = 0.0
    errors = 0
    conn = None
    while time.monotonic() < end:
        try:
            if conn is None:
                conn = connect(url)
            insert(conn)
            now = time.monotonic()
            worst = max(worst, now - last)
            last = now
        except psycopg2.Error:
            errors += 1
            if conn is not None:
                try:
                    conn.close()
                except psycopg2.Error:
                    pass
            conn = None
            time.sleep(0.01)
    print(f"{worst:.3f} {errors}")


if __name__ == "__main__":
    if sys.argv[1] == "failover":
        failover(sys.argv[2], sys.argv[3:])
    else:
        gap(sys.argv[2], float(sys.argv[3]))
