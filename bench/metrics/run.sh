#!/usr/bin/env bash
# Scrape cost (issue 14): a fresh daemon (no embedded Prometheus: this script is the scraper) with CLUSTERS Postgres
# clusters of NODES nodes, REDIS Redis instances and BUCKETS buckets. It scrapes every target the daemon's service
# discovery lists, as Prometheus would (all targets at once), ROUNDS times, and prints the wall time of one full
# scrape and the CPU it cost the exporters, the daemon and the S3 server (from /proc, user+system). Then it leaves
# the platform idle for IDLE seconds with one full scrape every 15 s and prints the exporters' CPU as % of one core
# against the goal (< 1%). PostgreSQL's and Redis's own work for the exporters' queries is in neither figure.
# Usage: bench/metrics/run.sh [CLUSTERS NODES REDIS BUCKETS]   (default 3 3 3 10; env ROUNDS=10 IDLE=60)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HANGAR=${HANGAR_BIN:-$ROOT/.build/hangar/hangar}
PY=/usr/bin/python3
CLUSTERS=${1:-3} NODES=${2:-3} REDIS=${3:-3} BUCKETS=${4:-10}
ROUNDS=${ROUNDS:-10} IDLE=${IDLE:-60}
[ -x "$HANGAR" ] || { echo "build first: ./scripts/build-cli.sh" >&2; exit 1; }

WORK=$(mktemp -d /tmp/hangar-bench-metrics-XXXXXX)
chmod 0711 "$WORK"
free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
export HANGAR_DATA_DIR=$WORK/data XDG_CONFIG_HOME=$WORK/xdg
"$HANGAR" up --data-dir "$WORK/data" --api-listen 127.0.0.1:0 --etcd-client-port "$(free_port)" --etcd-peer-port "$(free_port)" \
  --s3-listen "127.0.0.1:$(free_port)" --s3-https-listen off --port-range 28000-28499 --prometheus=false > "$WORK/daemon.out" 2>&1 &
DAEMON=$!
cleanup() {
  kill -TERM "$DAEMON" 2>/dev/null || true
  for _ in $(seq 1 900); do kill -0 "$DAEMON" 2>/dev/null || break; sleep 0.1; done
  for pid in $(grep -lsF "$WORK" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3); do
    [ "$pid" != "$$" ] && kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
for _ in $(seq 1 600); do "$HANGAR" status >/dev/null 2>&1 && break; sleep 0.2; done
"$HANGAR" status >/dev/null || { echo "daemon did not start:" >&2; cat "$WORK/daemon.out" >&2; exit 1; }

echo "platform: $CLUSTERS clusters x $NODES nodes, $REDIS Redis, $BUCKETS buckets (creating...)"
for i in $(seq 1 "$CLUSTERS"); do "$HANGAR" postgres create --name "bm$i" --initial-cluster-size "$NODES" --volume-size 1 --yes >/dev/null; done
for i in $(seq 1 "$REDIS"); do "$HANGAR" redis create --name "bmr$i" --yes >/dev/null; done
for i in $(seq 1 "$BUCKETS"); do "$HANGAR" storage create --name "bm-bucket-$i" >/dev/null; done
WANT=$((2 + CLUSTERS * NODES + REDIS))
for _ in $(seq 1 120); do
  [ "$("$HANGAR" metrics targets --json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))')" -ge "$WANT" ] && break; sleep 1
done
sleep 5 # every exporter up and connected

"$HANGAR" metrics targets --json > "$WORK/targets.json"
"$PY" - "$WORK" "$DAEMON" "$ROUNDS" "$IDLE" <<'PYEOF'
import json, os, sys, time, glob, urllib.request, concurrent.futures
work, daemon, rounds, idle = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
data = os.path.join(work, "data")
token = open(os.path.join(data, "metrics.token")).read().strip()
targets = json.load(open(os.path.join(work, "targets.json")))
urls = [(f"http://{g['targets'][0]}{g['labels'].get('__metrics_path__', '/metrics')}", g["labels"]["job"]) for g in targets]
tick = os.sysconf("SC_CLK_TCK")

def pid_of(name):
    try: return int(open(os.path.join(data, "run", name + ".pid")).read().split()[0])
    except OSError: return None

def cpu(pid):
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick
    except OSError: return 0.0

exporters = [pid_of(os.path.basename(p)[:-4]) for p in glob.glob(os.path.join(data, "run", "*exporter-*.pid"))]
exporters = [p for p in exporters if p]
servers = [daemon] + [p for p in [pid_of("s3")] if p]

def scrape_all():
    def one(u):
        req = urllib.request.Request(u[0], headers={"Authorization": "Bearer " + token})
        with urllib.request.urlopen(req, timeout=10) as r: return len(r.read())
    with concurrent.futures.ThreadPoolExecutor(len(urls)) as pool:
        return sum(pool.map(one, urls))

scrape_all()  # warm: first connections
walls, e_cpu, s_cpu, size = [], [], [], 0
for _ in range(rounds):
    e0, s0 = sum(map(cpu, exporters)), sum(map(cpu, servers))
    t0 = time.monotonic(); size = scrape_all(); walls.append(time.monotonic() - t0)
    e_cpu.append(sum(map(cpu, exporters)) - e0); s_cpu.append(sum(map(cpu, servers)) - s0)
walls.sort()
med = walls[len(walls) // 2]
print(f"targets: {len(urls)} ({len(exporters)} exporters), {size/1024:.0f} KiB of text per full scrape")
print(f"one full scrape: wall {med*1000:.0f} ms median ({walls[0]*1000:.0f}-{walls[-1]*1000:.0f}); CPU exporters {sum(e_cpu)/rounds*1000:.0f} ms, daemon+S3 {sum(s_cpu)/rounds*1000:.0f} ms")
e0 = sum(map(cpu, exporters)); t0 = time.monotonic(); n = 0
while time.monotonic() - t0 < idle:
    scrape_all(); n += 1
    time.sleep(max(0, 15 - (time.monotonic() - t0) % 15))
elapsed = time.monotonic() - t0
used = sum(map(cpu, exporters)) - e0
pct = used / elapsed * 100
print(f"exporters at a 15 s interval: {used:.2f} s CPU in {elapsed:.0f} s ({n} scrapes) = {pct:.2f}% of one core; goal < 1%: {'met' if pct < 1 else 'NOT met'} (ratio to goal {pct/1:.2f}x)")
rss = 0
for p in exporters:
    try: rss += int([l for l in open(f"/proc/{p}/status") if l.startswith("VmRSS")][0].split()[1])
    except (OSError, IndexError): pass
print(f"exporters' memory: {rss/1024:.0f} MiB RSS in all ({rss/1024/max(1,len(exporters)):.1f} MiB each)")
PYEOF
