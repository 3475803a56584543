#!/usr/bin/env bash
# FAULTS.md's freeze against a Hangar production cluster (3 nodes, synchronous): ROUNDS times, kill -STOP of the
# leader's Patroni, its postmaster and the postmaster's children for FREEZE seconds, then kill -CONT, under two
# recording writers through the cluster port (one abandons a statement after 2 s and reconnects, one waits) while
# every node's own port is probed every 100 ms. Per round: acknowledged commits, how many of them the cluster lost,
# the most nodes that committed a probe write in one probe round, and the time from the freeze to the first probe
# write committed on another node. Goal: 0 lost and at most 1 writable node, every round.
# Usage: bench/postgres/freeze.sh            (ROUNDS=10 FREEZE=20)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HANGAR=${HANGAR_BIN:-$ROOT/.build/hangar/hangar}
ROUNDS=${ROUNDS:-10}
FREEZE=${FREEZE:-20}
PY=/usr/bin/python3
CLIENT="$ROOT/bench/postgres/freeze.py"
[ -x "$HANGAR" ] || { echo "build first: dotnet build src/Hangar.Cli -c Release -o .build/hangar" >&2; exit 1; }

WORK=$(mktemp -d /tmp/hangar-bench-freeze-XXXXXX)
chmod 0711 "$WORK"
free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
export HANGAR_DATA_DIR=$WORK/data
XDG_CONFIG_HOME=$WORK/xdg "$HANGAR" up --data-dir "$WORK/data" --api-listen 127.0.0.1:0 \
  --etcd-client-port "$(free_port)" --etcd-peer-port "$(free_port)" > "$WORK/daemon.log" 2>&1 &
DAEMON=$!
cleanup() {
  kill -TERM "$DAEMON" 2>/dev/null || true
  wait "$DAEMON" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for _ in $(seq 1 120); do "$HANGAR" status >/dev/null 2>&1 && break; sleep 0.5; done

json() { $PY -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
healthy() { # until one leader, every node running or streaming with no lag, the proxy routing to the leader
  for _ in $(seq 1 900); do
    if "$HANGAR" postgres status -a "$1" --json 2>/dev/null | $PY -c "
import json,sys; d=json.load(sys.stdin); n=d['nodes']
ok=len(n)==$2 and d.get('leader') and d.get('proxyLeader')==d.get('leader') and all(x['state'] in ('running','streaming') and (x.get('lagBytes') or 0)==0 for x in n) and sum(x['role']=='sync_standby' for x in n)>=1
sys.exit(0 if ok else 1)"; then return 0; fi
    sleep 0.2
  done
  echo "cluster $1 not healthy" >&2; return 1
}

URL=$("$HANGAR" postgres create --name freeze --initial-cluster-size 3 --json | json "d['connectionString']")
echo "# Postgres leader freeze ($(date -u +%FT%TZ), $(nproc) cores, $(uname -r)): $ROUNDS rounds of kill -STOP for $FREEZE s"
echo
echo "round | frozen leader | new leader | acknowledged | lost | max writable at once | first write elsewhere (s)"
echo "---|---|---|---|---|---|---"
TOTAL_ACKED=0; TOTAL_LOST=0; WORST_WRITABLE=0
for i in $(seq 1 "$ROUNDS"); do
  healthy freeze 3
  status=$("$HANGAR" postgres status -a freeze --json)
  leader=$(echo "$status" | json "d['leader']")
  volume=$(echo "$status" | json "[n['volumeId'] for n in d['nodes'] if n['name']==d['leader']][0]")
  nodes=$(echo "$status" | $PY -c "
import json,sys,urllib.parse as u; d=json.load(sys.stdin); p=u.urlparse(sys.argv[1])
print(' '.join(n['name']+'='+p._replace(netloc=p.netloc.rsplit(':',1)[0]+':'+str(n['pgPort'])).geturl() for n in d['nodes']))" "$URL")
  patroni=$(cut -d' ' -f1 "$WORK/data/run/pg-$leader.pid")
  postmaster=$(head -1 "$WORK/data/volumes/$volume/data/postmaster.pid")
  # shellcheck disable=SC2086
  read -r acked writable first < <($PY "$CLIENT" round "$URL" "$FREEZE" "$WORK/acks" "$leader" "$patroni,$postmaster" $nodes)
  healthy freeze 3
  lost=$($PY "$CLIENT" check "$URL" "$WORK/acks")
  now=$("$HANGAR" postgres status -a freeze --json | json "d['leader']")
  echo "$i | $leader | $now | $acked | $lost | $writable | $first"
  TOTAL_ACKED=$((TOTAL_ACKED + acked)); TOTAL_LOST=$((TOTAL_LOST + lost))
  [ "$writable" -gt "$WORST_WRITABLE" ] && WORST_WRITABLE=$writable
done
echo
echo "total: $TOTAL_ACKED acknowledged, $TOTAL_LOST lost, at most $WORST_WRITABLE writable node(s) at once; fences logged: $(grep -c 'fenced' "$WORK/data/logs/hangar.log" || true)"
