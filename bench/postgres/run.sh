#!/usr/bin/env bash
# Postgres cluster benchmarks against a Hangar-created cluster (real daemon, etcd, Patroni, PostgreSQL 15, proxy):
#   1. `postgres create` of a 3-node production cluster to ready            (goal <= 20 s)
#   2. failover: kill -9 of the leader's Patroni + postmaster to the first
#      committed INSERT through the cluster port, RUNS times: median, worst  (goal median <= 10 s)
#   3. planned switchover (`postgres failover`): longest gap between two
#      acknowledged commits of a continuous writer                           (goal <= 3 s)
#   4. proxy cost: pgbench -S through the cluster port vs straight to the
#      leader vs HAProxy (TCP mode) to the leader, in one run                (goal >= 0.9x direct, >= HAProxy)
# Usage: bench/postgres/run.sh            (RUNS=10 CREATES=3 SWITCHOVERS=5 PGBENCH_SECONDS=15 CLIENTS=8)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HANGAR=${HANGAR_BIN:-$ROOT/.build/hangar/hangar}
RUNS=${RUNS:-10}
CREATES=${CREATES:-3}
SWITCHOVERS=${SWITCHOVERS:-5}
PGBENCH_SECONDS=${PGBENCH_SECONDS:-15}
CLIENTS=${CLIENTS:-8}
PY=/usr/bin/python3
WRITER="$ROOT/bench/postgres/writer.py"
[ -x "$HANGAR" ] || { echo "build first: dotnet build src/Hangar.Cli -c Release -o .build/hangar" >&2; exit 1; }

WORK=$(mktemp -d /tmp/hangar-bench-pg-XXXXXX)
chmod 0711 "$WORK"
free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ETCD_CLIENT=$(free_port); ETCD_PEER=$(free_port); HAPROXY_PORT=$(free_port)
export HANGAR_DATA_DIR=$WORK/data
XDG_CONFIG_HOME=$WORK/xdg "$HANGAR" up --data-dir "$WORK/data" --api-listen 127.0.0.1:0 \
  --etcd-client-port "$ETCD_CLIENT" --etcd-peer-port "$ETCD_PEER" > "$WORK/daemon.log" 2>&1 &
DAEMON=$!
HAPROXY=""
cleanup() {
  [ -n "$HAPROXY" ] && kill "$HAPROXY" 2>/dev/null || true
  kill -TERM "$DAEMON" 2>/dev/null || true
  wait "$DAEMON" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for _ in $(seq 1 120); do "$HANGAR" status >/dev/null 2>&1 && break; sleep 0.5; done

json() { $PY -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
stats() { $PY -c "import statistics,sys; v=sorted(float(x) for x in sys.argv[1:]); print(f'median {statistics.median(v):.2f} s, worst {v[-1]:.2f} s, best {v[0]:.2f} s (n={len(v)})')" "$@"; }
healthy() { # cluster nodes: until one leader, every node running with no lag, proxy routing to the leader
  for _ in $(seq 1 600); do
    if "$HANGAR" postgres status -a "$1" --json 2>/dev/null | $PY -c "
import json,sys; d=json.load(sys.stdin); n=d['nodes']
ok=len(n)==$2 and d.get('leader') and d.get('proxyLeader')==d.get('leader') and all(x['state'] in ('running','streaming') and (x.get('lagBytes') or 0)==0 for x in n) and sum(x['role']=='sync_standby' for x in n)>=($2>1)
sys.exit(0 if ok else 1)"; then return 0; fi
    sleep 0.2
  done
  echo "cluster $1 not healthy" >&2; return 1
}

echo "# Postgres benchmarks ($(date -u +%FT%TZ), $(nproc) cores, $(uname -r))"
echo
echo "## 1. create of a 3-node production cluster to ready"
CREATE_TIMES=()
for i in $(seq 1 "$CREATES"); do
  start=$(date +%s.%N)
  "$HANGAR" postgres create --name "c$i" --initial-cluster-size 3 >/dev/null
  CREATE_TIMES+=("$(echo "$(date +%s.%N) - $start" | bc)")
  "$HANGAR" postgres destroy "c$i" --yes >/dev/null
done
echo "create -> ready: $(stats "${CREATE_TIMES[@]}")  [${CREATE_TIMES[*]}]"

"$HANGAR" postgres create --name bench --initial-cluster-size 3 >/dev/null
"$HANGAR" apps create benchapp >/dev/null
"$HANGAR" postgres attach bench --app benchapp >/dev/null
URL=$("$HANGAR" run -a benchapp -- printenv DATABASE_URL)
psql "$URL" -qc "CREATE TABLE w(id bigserial PRIMARY KEY, at timestamptz DEFAULT now())"

echo
echo "## 2. failover after kill -9 of the leader's Patroni and postmaster (synchronous, 3 nodes)"
FAILOVERS=()
for i in $(seq 1 "$RUNS"); do
  healthy bench 3
  status=$("$HANGAR" postgres status -a bench --json)
  leader=$(echo "$status" | json "d['leader']")
  volume=$(echo "$status" | json "[n['volumeId'] for n in d['nodes'] if n['name']==d['leader']][0]")
  patroni=$(cut -d' ' -f1 "$WORK/data/run/pg-$leader.pid")
  postmaster=$(head -1 "$WORK/data/volumes/$volume/data/postmaster.pid")
  t=$($PY "$WRITER" failover "$URL" "$patroni" "$postmaster")
  FAILOVERS+=("$t")
  echo "run $i: killed $leader, first write after $t s"
done
echo "failover -> first write: $(stats "${FAILOVERS[@]}")"

echo
echo "## 3. planned switchover (hangar postgres failover) under a continuous writer"
GAPS=()
for i in $(seq 1 "$SWITCHOVERS"); do
  healthy bench 3
  $PY "$WRITER" gap "$URL" 25 > "$WORK/gap" &
  writer=$!
  sleep 2
  "$HANGAR" postgres failover -a bench >/dev/null
  wait "$writer"
  read -r worst errors < "$WORK/gap"
  GAPS+=("$worst")
  echo "run $i: longest gap between acknowledged commits $worst s ($errors failed attempts)"
done
echo "switchover write unavailability: $(stats "${GAPS[@]}")"

echo
echo "## 4. proxy cost: pgbench -S -c $CLIENTS -j 2 -T $PGBENCH_SECONDS"
healthy bench 3
status=$("$HANGAR" postgres status -a bench --json)
PROXY_PORT=$(echo "$status" | json "d['cluster']['proxyPort']")
LEADER_PORT=$(echo "$status" | json "[n['pgPort'] for n in d['nodes'] if n['name']==d['leader']][0]")
cat > "$WORK/haproxy.cfg" <<CFG
global
  maxconn 1000
defaults
  mode tcp
  timeout connect 3s
  timeout client 1h
  timeout server 1h
listen pg
  bind 127.0.0.1:$HAPROXY_PORT
  server leader 127.0.0.1:$LEADER_PORT
CFG
haproxy -f "$WORK/haproxy.cfg" -db > "$WORK/haproxy.log" 2>&1 &
HAPROXY=$!
with_port() { $PY -c "import sys,urllib.parse as u; p=u.urlparse(sys.argv[1]); print(p._replace(netloc=p.netloc.rsplit(':',1)[0]+':'+sys.argv[2]).geturl())" "$URL" "$1"; }
pgbench -q -i -s 10 "$URL" >/dev/null 2>&1
bench_tps() { pgbench -n -S -c "$CLIENTS" -j 2 -T "$PGBENCH_SECONDS" "$(with_port "$1")" 2>/dev/null | awk '/^tps/ {print $3; exit}'; }
declare -A TPS
for round in 1 2; do
  for target in direct proxy haproxy; do
    case $target in direct) port=$LEADER_PORT ;; proxy) port=$PROXY_PORT ;; haproxy) port=$HAPROXY_PORT ;; esac
    TPS[$target]="${TPS[$target]:-} $(bench_tps "$port")"
  done
done
best() { $PY -c "import sys; print(max(float(x) for x in sys.argv[1:]))" $1; }
D=$(best "${TPS[direct]}"); P=$(best "${TPS[proxy]}"); H=$(best "${TPS[haproxy]}")
echo "direct to leader: $D tps  [${TPS[direct]} ]"
echo "cluster port (Hangar proxy): $P tps  [${TPS[proxy]} ]"
echo "HAProxy tcp: $H tps  [${TPS[haproxy]} ]"
$PY -c "print(f'proxy/direct = {$P/$D:.3f}, proxy/haproxy = {$P/$H:.3f}, haproxy/direct = {$H/$D:.3f}')"
