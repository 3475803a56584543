#!/usr/bin/env bash
# redis-benchmark against a Redis instance created by Hangar vs a bare redis-server started by hand with the same
# settings (AOF everysec, maxmemory, noeviction, an ACL user with a password), in one run on loopback.
# Prints ops/s for each and the ratio hangar/bare (goal >= 0.95). Usage: bench/redis/run.sh [REQUESTS] [ROUNDS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
requests="${1:-200000}"
rounds="${2:-3}"
clients=50
bin="${HANGAR_BIN:-}"
if [[ -z "$bin" ]]; then
  "$root/hangar" version >/dev/null
  bin="$root/.build/hangar/hangar"
fi

work="$(mktemp -d /tmp/hangar-bench-redis.XXXXXX)"
chmod 711 "$work" # redis-server runs as the redis user and must reach the data dir inside
daemon_pid="" bare_pid=""
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cleanup() {
  [[ -n "$bare_pid" ]] && kill "$bare_pid" 2>/dev/null || true
  if [[ -n "$daemon_pid" ]]; then
    kill -TERM "$daemon_pid" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$work"
}
trap cleanup EXIT

export HANGAR_DATA_DIR="$work/data" XDG_CONFIG_HOME="$work/xdg"
"$bin" up --data-dir "$work/data" --api-listen 127.0.0.1:0 --etcd-client-port "$(free_port)" --etcd-peer-port "$(free_port)" >"$work/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 600); do [[ -f "$work/data/config.json" ]] && break; sleep 0.1; done
[[ -f "$work/data/config.json" ]] || { echo "daemon did not start:"; cat "$work/daemon.log"; exit 1; }

url="$("$bin" redis create --name bench --maxmemory 256 --disable-eviction --persistence aof --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["url"])')"
read -r user password host port < <(python3 -c 'import sys, urllib.parse as u; p=u.urlparse(sys.argv[1]); print(p.username, p.password, p.hostname, p.port)' "$url")

# The bare server: the same settings Hangar writes, started by hand.
bare_port="$(free_port)"
mkdir -p "$work/bare"
cat >"$work/bare/redis.conf" <<CONF
bind 127.0.0.1
port $bare_port
protected-mode yes
daemonize no
dir $work/bare
maxmemory 256mb
maxmemory-policy noeviction
appendonly yes
appendfsync everysec
save ""
user default off
user $user on >$password ~* &* +@all -@admin -flushall
CONF
/usr/bin/redis-server "$work/bare/redis.conf" >"$work/bare/redis.log" 2>&1 &
bare_pid=$!
for _ in $(seq 1 100); do REDISCLI_AUTH="$password" redis-cli -p "$bare_port" --user "$user" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done

bench() { # host port -> "SET_RPS GET_RPS"
  REDISCLI_AUTH="$password" redis-benchmark -h "$1" -p "$2" --user "$user" -a "$password" -t set,get -n "$requests" -c "$clients" -q --csv 2>/dev/null \
    | python3 -c 'import csv,sys; r={row[0]: float(row[1]) for row in csv.reader(sys.stdin) if row and row[0] in ("SET","GET")}; print(r["SET"], r["GET"])'
}

echo "redis-benchmark -t set,get -n $requests -c $clients (loopback), $rounds rounds alternating; median per target"
: >"$work/hangar.txt"; : >"$work/bare.txt"
for round in $(seq 1 "$rounds"); do
  bench "$host" "$port" >>"$work/hangar.txt"
  bench 127.0.0.1 "$bare_port" >>"$work/bare.txt"
done

python3 - "$work/hangar.txt" "$work/bare.txt" <<'PY'
import statistics, sys
def load(path):
    rows = [list(map(float, line.split())) for line in open(path) if line.strip()]
    return [statistics.median(col) for col in zip(*rows)]
hangar, bare = load(sys.argv[1]), load(sys.argv[2])
print(f"{'op':<5}{'hangar ops/s':>15}{'bare ops/s':>15}{'ratio':>8}")
for i, op in enumerate(("SET", "GET")):
    print(f"{op:<5}{hangar[i]:>15.0f}{bare[i]:>15.0f}{hangar[i] / bare[i]:>8.3f}")
total = sum(hangar) / sum(bare)
print(f"overall ratio hangar/bare: {total:.3f} ({'meets' if total >= 0.95 else 'BELOW'} the 0.95 goal)")
PY
