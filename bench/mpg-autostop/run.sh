#!/usr/bin/env bash
# Scale to zero: the first query after a suspend, from connect to result, side by side with the same query on a
# cluster that is running, in one run (real daemon, etcd, Patroni, PostgreSQL 15, the cluster port's proxy).
#   suspended: `postgres create --autostop=3s`, wait for `suspended`, then connect + SELECT 1 (psycopg2)   (goal <= 1 s)
#   running:   the same on a single-node cluster without autostop
# Usage: bench/mpg-autostop/run.sh            (RUNS=5; KEEP=1 keeps the daemon's directory and logs)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HANGAR=${HANGAR_BIN:-$ROOT/.build/hangar/hangar}
RUNS=${RUNS:-5}
PY=/usr/bin/python3
[ -x "$HANGAR" ] || { echo "build first: ./scripts/build-cli.sh" >&2; exit 1; }

WORK=$(mktemp -d /tmp/hangar-bench-autostop-XXXXXX)
chmod 0711 "$WORK"
free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ETCD_CLIENT=$(free_port); ETCD_PEER=$(free_port); S3=$(free_port)
export XDG_CONFIG_HOME=$WORK/xdg
"$HANGAR" up --data-dir "$WORK/data" --api-listen 127.0.0.1:0 --etcd-client-port "$ETCD_CLIENT" --etcd-peer-port "$ETCD_PEER" \
  --s3-listen "127.0.0.1:$S3" > "$WORK/daemon.log" 2>&1 &
DAEMON=$!
cleanup() {
  kill -TERM "$DAEMON" 2>/dev/null || true
  wait "$DAEMON" 2>/dev/null || true
  if [ -n "${KEEP:-}" ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
for _ in $(seq 1 120); do "$HANGAR" status >/dev/null 2>&1 && break; sleep 0.5; done

url() { "$HANGAR" postgres create --name "$@" | awk '/Connection string:/ {print $3}'; }
state() { "$HANGAR" postgres status -a "$1" --json | $PY -c 'import json,sys; print(json.load(sys.stdin)["cluster"]["state"])'; }
# connect -> first result, in seconds: a fresh connection each time, as the first client after a suspend has
query() { $PY - "$1" <<'PYEOF'
import sys, time, psycopg2
start = time.monotonic()
c = psycopg2.connect(sys.argv[1], connect_timeout=60)
cur = c.cursor(); cur.execute("SELECT 1"); cur.fetchone()
print(f"{time.monotonic() - start:.3f}")
c.close()
PYEOF
}
stats() { $PY -c "import statistics,sys; v=sorted(float(x) for x in sys.argv[1:]); print(f'median {statistics.median(v):.3f} s, worst {v[-1]:.3f} s, best {v[0]:.3f} s (n={len(v)})')" "$@"; }
median() { $PY -c "import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }

echo "# Scale to zero ($(date -u +%FT%TZ), $(nproc) cores, $(uname -r))"
AWAKE=$(url awake)
SLEEPY=$(url sleepy --autostop=3s)
SUSPENDED=(); RUNNING=()
for _ in $(seq 1 "$RUNS"); do
  for _ in $(seq 1 300); do [ "$(state sleepy)" = suspended ] && break; sleep 0.2; done
  [ "$(state sleepy)" = suspended ] || { echo "sleepy never suspended" >&2; exit 1; }
  sleep 1  # the proxy has dropped the stopped leader by now: the connection meets the wake path, not a stale leader
  SUSPENDED+=("$(query "$SLEEPY")")
  RUNNING+=("$(query "$AWAKE")")
done
echo "first query after suspend (connect -> result): $(stats "${SUSPENDED[@]}")  [${SUSPENDED[*]}]"
echo "same query, cluster running (connect -> result): $(stats "${RUNNING[@]}")  [${RUNNING[*]}]"
s=$(median "${SUSPENDED[@]}"); r=$(median "${RUNNING[@]}")
echo "ratio suspended/running (medians): $($PY -c "print(f'{$s / $r:.1f}x')")"
echo "goal <= 1 s: $($PY -c "print('met' if $s <= 1 else 'NOT met')") (median $s s)"
