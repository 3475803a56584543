#!/usr/bin/env bash
# Managed Postgres pooling, side by side in one run (real daemon, etcd, Patroni, PostgreSQL 15, PgBouncer 1.18):
#   1. pgbench -S at CLIENTS (16) clients through the pool vs direct (the cluster port): goal >= 0.7x
#   2. pgbench -S at 1,000 clients through the pool (direct cannot: max_connections 100)
#   3. `hangar mpg failover` under a pgbench write load through the pool: longest stall, errors (goal <= 2 s, 0 errors)
#   4. kill -9 of the leader under load through the pool: kill to the first committed transaction (goal <= 2 s)
# Usage: bench/mpg/run.sh     (DURATION=15 CLIENTS=16 SCALE=10 DURATION_1000=60)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HANGAR=${HANGAR_BIN:-$ROOT/.build/hangar/hangar}
DURATION=${DURATION:-15}
CLIENTS=${CLIENTS:-16}
SCALE=${SCALE:-10}
PY=/usr/bin/python3
[ -x "$HANGAR" ] || { echo "build first: scripts/build-cli.sh" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root (PostgreSQL and PgBouncer run as the postgres user)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/hangar-bench-mpg-XXXXXX)
chmod 0711 "$WORK"
free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ETCD_CLIENT=$(free_port); ETCD_PEER=$(free_port); S3=$(free_port); S3_HTTPS=$(free_port)
export HANGAR_DATA_DIR=$WORK/data
XDG_CONFIG_HOME=$WORK/xdg "$HANGAR" up --data-dir "$WORK/data" --api-listen 127.0.0.1:0 \
  --etcd-client-port "$ETCD_CLIENT" --etcd-peer-port "$ETCD_PEER" \
  --s3-listen "127.0.0.1:$S3" --s3-https-listen "127.0.0.1:$S3_HTTPS" > "$WORK/daemon.log" 2>&1 &
DAEMON=$!
cleanup() {
  kill -TERM "$DAEMON" 2>/dev/null || true
  wait "$DAEMON" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for _ in $(seq 1 120); do "$HANGAR" status >/dev/null 2>&1 && break; sleep 0.5; done
ulimit -n 20000

json() { $PY -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
tps() { sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1; }
ratio() { echo "scale=2; $1 / $2" | bc; }

echo "# mpg benchmarks ($(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
CREATED=$("$HANGAR" mpg create --name bench --plan basic --json)
POOLED=$(echo "$CREATED" | json "d['pooledUrl']")
DIRECT=$(echo "$CREATED" | json "d['directUrl']")
pgbench -q -i -s "$SCALE" "$DIRECT" >/dev/null 2>&1

echo
echo "## 1. pgbench -S, $CLIENTS clients, ${DURATION}s each"
D=$(pgbench -n -S -c "$CLIENTS" -j 2 -T "$DURATION" "$DIRECT?sslmode=disable" 2>&1 | tps)
P=$(pgbench -n -S -c "$CLIENTS" -j 2 -T "$DURATION" "$POOLED?sslmode=disable" 2>&1 | tps)
echo "direct $D tps, pooled $P tps: $(ratio "$P" "$D")x (goal >= 0.7x)"

echo
echo "## 2. pgbench -S, 1000 clients through the pool (direct: max_connections 100)"
# pgbench connects every client before its clock counts: 1,000 SCRAM logins take a while on two busy cores.
OUT=$(pgbench -n -S -c 1000 -j 2 -T "${DURATION_1000:-60}" "$POOLED?sslmode=disable" 2>&1 || true)
echo "$OUT" > "$WORK/pooled-1000.log"
echo "pooled: $(echo "$OUT" | tps) tps, $(echo "$OUT" | grep -c 'error' || true) errors; $(echo "$OUT" | grep -E 'transactions actually processed|failed transactions|initial connection time' | tr '\n' ' ')"
[ -n "$(echo "$OUT" | tps)" ] || echo "$OUT" | tail -5
OUT=$(pgbench -n -S -c 1000 -j 2 -T 5 "$DIRECT?sslmode=disable" 2>&1 || true)
echo "direct: $(echo "$OUT" | grep -m1 -o 'too many clients already' || echo 'no refusal?')"

# A write load whose per-second progress shows the stall; pgbench -P prints one line a second.
write_load() { # write_load SECONDS LOGFILE
  pgbench -n -c 4 -j 2 -T "$1" -P 1 --failures-detailed "$POOLED?sslmode=disable" > "$2" 2>&1 &
}
longest_zero() { # seconds in a row with 0 tps in a pgbench -P log
  awk '/^progress:/ { if ($4 == 0) { run++; if (run > max) max = run } else run = 0 } END { print max + 0 }' "$1"
}
errors_in() { grep -ciE 'error|abort' "$1" || true; }

echo
echo "## 3. mpg failover under a write load through the pool"
write_load 25 "$WORK/failover.log"
LOAD=$!
sleep 6
"$HANGAR" mpg failover bench --json | json "'failover %s -> %s in %.1fs' % (d['oldLeader'], d['newLeader'], d['seconds'])"
wait "$LOAD" || true
echo "longest stall: $(longest_zero "$WORK/failover.log") s at 0 tps (1 s resolution); errors: $(errors_in "$WORK/failover.log") (goal <= 2 s, 0 errors)"

echo
echo "## 4. kill -9 of the leader under a write load through the pool"
"$HANGAR" mpg status bench --json > "$WORK/status.json"
LEADER=$(json "d['postgres']['leader']" < "$WORK/status.json")
VOLUME=$(json "[n['volumeId'] for n in d['postgres']['nodes'] if n['name'] == d['postgres']['leader']][0]" < "$WORK/status.json")
# A single pooled session that commits in a loop and prints the time of each commit.
$PY - "$POOLED" > "$WORK/commits.log" 2>&1 <<'PYEOF' &
import subprocess, sys, time
end = time.time() + 30
while time.time() < end:
    r = subprocess.run(["psql", sys.argv[1] + "?sslmode=disable&connect_timeout=5", "-Atqc", "INSERT INTO pgbench_history(tid, bid, aid, delta, mtime) VALUES (1, 1, 1, 0, now())"], capture_output=True)
    if r.returncode == 0:
        print("%.3f" % time.time(), flush=True)
PYEOF
WRITER=$!
sleep 4
KILLED=$(date +%s.%N)
kill -9 "$(cut -d' ' -f1 "$WORK/data/run/pg-$LEADER.pid")" "$(head -1 "$WORK/data/volumes/$VOLUME/data/postmaster.pid")"
wait "$WRITER" || true
FIRST=$(awk -v k="$KILLED" '$1 > k { print $1; exit }' "$WORK/commits.log")
echo "kill -9 of $LEADER: first commit through the pool $(echo "$FIRST - $KILLED" | bc) s later (goal <= 2 s)"
