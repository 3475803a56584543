#!/usr/bin/env bash
# Page load time of the dashboard's Postgres cluster page in headless Chromium (navigation start to the load event),
# side by side with the daemon's /v1/status JSON loaded the same way in the same browser. The daemon runs a real
# 1-node cluster and queries a real Prometheus (Debian's) that scrapes exporter-named lines for it, so the page does
# all its work: Patroni status, checks, backups, node connections and four range queries. Goal: < 300 ms on loopback.
# Usage: bench/dashboard/run.sh [ROUNDS]   (default 30)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rounds="${1:-30}"
bin="${HANGAR_BIN:-}"
if [[ -z "$bin" ]]; then
  "$root/hangar" version >/dev/null
  bin="$root/.build/hangar/hangar"
fi

work="$(mktemp -d /tmp/hangar-bench-dashboard.XXXXXX)"
chmod 711 "$work"
daemon_pid="" prom_pid="" metrics_pid=""
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cleanup() {
  for pid in "$prom_pid" "$metrics_pid"; do [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true; done
  if [[ -n "$daemon_pid" ]]; then
    kill -TERM "$daemon_pid" 2>/dev/null || true
    for _ in $(seq 1 600); do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "building the browser driver (Playwright for .NET, Debian's Chromium)..." >&2
dotnet build -c Release "$root/bench/dashboard/Hangar.Bench.Dashboard" -o "$work/bin" -v q -nologo >/dev/null

prom_port="$(free_port)" metrics_port="$(free_port)"
export HANGAR_DATA_DIR="$work/data" XDG_CONFIG_HOME="$work/xdg"
"$bin" up --data-dir "$work/data" --api-listen 127.0.0.1:0 --etcd-client-port "$(free_port)" --etcd-peer-port "$(free_port)" \
  --s3-listen "127.0.0.1:$(free_port)" --s3-https-listen "127.0.0.1:$(free_port)" --port-range 17950-17989 \
  --prometheus-url "http://127.0.0.1:$prom_port" >"$work/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 600); do [[ -f "$work/data/config.json" ]] && break; sleep 0.1; done
[[ -f "$work/data/config.json" ]] || { echo "daemon did not start:"; cat "$work/daemon.log"; exit 1; }
"$bin" postgres create --name bench --enable-backups >/dev/null
node="$("$bin" postgres status -a bench --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["nodes"][0]["name"])')"

# Exporter-named lines for the cluster (as postgres_exporter labels them), served to a real Prometheus every second.
mkdir -p "$work/metrics"
cat > "$work/metrics/metrics" <<METRICS
pg_stat_activity_count{cluster="bench",node="$node",role="primary",state="active"} 3
pg_stat_database_xact_commit{cluster="bench",node="$node",role="primary",datname="postgres"} 100
pg_replication_lag{cluster="bench",node="$node",role="primary"} 0
pg_database_size_bytes{cluster="bench",node="$node",role="primary",datname="postgres"} 7500000
METRICS
(cd "$work/metrics" && exec python3 -m http.server "$metrics_port" --bind 127.0.0.1 >/dev/null 2>&1) &
metrics_pid=$!
cat > "$work/prometheus.yml" <<YML
global: {scrape_interval: 1s}
scrape_configs:
  - job_name: bench
    honor_labels: true
    static_configs: [{targets: ['127.0.0.1:$metrics_port']}]
YML
/usr/bin/prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prom" --web.listen-address="127.0.0.1:$prom_port" --log.level=warn >"$work/prom.log" 2>&1 &
prom_pid=$!
for _ in $(seq 1 300); do
  n="$(curl -fsS "http://127.0.0.1:$prom_port/api/v1/query?query=count_over_time(pg_stat_activity_count%5B1m%5D)" 2>/dev/null \
    | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else 0)' 2>/dev/null || echo 0)"
  [[ "$n" -ge 3 ]] && break; sleep 0.2
done

api="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["apiUrl"])' "$work/data/config.json")"
token="$("$bin" auth token)"
echo "cluster page vs /v1/status, $rounds loads each after 3 warm-up loads (nproc $(nproc), load $(cut -d' ' -f1 /proc/loadavg))"
"$work/bin/Hangar.Bench.Dashboard" "$api" "$token" /dashboard/postgres/bench /v1/status "$rounds"
