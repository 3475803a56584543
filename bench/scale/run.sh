#!/usr/bin/env bash
# Cost at rest and at scale (issue 19): a fresh daemon on its own data dir and ports; for each N in ascending order it
# grows the platform to N development Postgres clusters (1 node), N Redis instances and N buckets, leaves them idle,
# samples /proc for SAMPLE seconds and prints CPU (% of one core) and memory by process kind, the time the N-th create
# of each kind took, the latency of `hangar status`, `hangar postgres list` and `hangar postgres status`, and the
# reconcile pass duration if the daemon logs one. The levels are cumulative (N=10 adds 9 to N=1's one), so a level's
# figures are those of a platform holding N of each. N=0 is the empty platform (daemon, etcd, S3 server).
# Stops growing when --time-limit is reached and reports the level it got to. Everything is removed at the end.
# Usage: bench/scale/run.sh [--time-limit SECONDS] [--sample SECONDS] [--settle SECONDS] [--port-range FIRST-LAST] [N...]
#        (defaults: 1800 s, 20 s, 10 s, 27000-27999; N: 0 1 10)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HANGAR=${HANGAR_BIN:-$ROOT/.build/hangar/hangar}
PY=/usr/bin/python3
SAMPLER="$ROOT/bench/scale/sample.py"
LIMIT=1800 SAMPLE=20 SETTLE=10 RANGE=27000-27999
LEVELS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --time-limit) LIMIT=$2; shift 2 ;;
    --sample) SAMPLE=$2; shift 2 ;;
    --settle) SETTLE=$2; shift 2 ;;
    --port-range) RANGE=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) [[ "$1" =~ ^[0-9]+$ ]] || { echo "bench/scale/run.sh: N must be a whole number, got '$1'" >&2; exit 2; }
       LEVELS+=("$1"); shift ;;
  esac
done
[ ${#LEVELS[@]} -gt 0 ] || LEVELS=(0 1 10)
mapfile -t LEVELS < <(printf '%s\n' "${LEVELS[@]}" | sort -n -u)
[ -x "$HANGAR" ] || { echo "build first: ./scripts/build-cli.sh" >&2; exit 1; }

WORK=$(mktemp -d /tmp/hangar-bench-scale-XXXXXX)
chmod 0711 "$WORK" # postgres and redis run as their own users and must reach the data dir inside
free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
export HANGAR_DATA_DIR=$WORK/data XDG_CONFIG_HOME=$WORK/xdg
"$HANGAR" up --data-dir "$WORK/data" --api-listen 127.0.0.1:0 --etcd-client-port "$(free_port)" --etcd-peer-port "$(free_port)" \
  --s3-listen "127.0.0.1:$(free_port)" --s3-https-listen off --port-range "$RANGE" > "$WORK/daemon.out" 2>&1 &
DAEMON=$!
cleanup() {
  kill -TERM "$DAEMON" 2>/dev/null || true
  for _ in $(seq 1 600); do kill -0 "$DAEMON" 2>/dev/null || break; sleep 0.1; done
  # Anything of this run the daemon left behind (it stops its children on SIGTERM; this is the net under it).
  for pid in $(grep -lsF "$WORK" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3); do
    [ "$pid" != "$$" ] && kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
STARTED=$SECONDS
for _ in $(seq 1 600); do "$HANGAR" status >/dev/null 2>&1 && break; sleep 0.2; done
"$HANGAR" status >/dev/null || { echo "daemon did not start:" >&2; cat "$WORK/daemon.out" >&2; exit 1; }

timed() { # runs a command quietly, prints its wall time in seconds
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null || { echo "bench/scale/run.sh: failed: ${*#"$HANGAR" }" >&2; return 1; }
  t1=$(date +%s.%N)
  $PY -c "print(f'{$t1-$t0:.2f}')"
}
latency() { # median and worst of 5 runs, in ms
  local runs=()
  for _ in 1 2 3 4 5; do runs+=("$(timed "$@")"); done
  $PY -c "import statistics,sys; v=sorted(float(x)*1000 for x in sys.argv[1:]); print(f'{statistics.median(v):.0f} ms (worst {v[-1]:.0f})')" "${runs[@]}"
}

echo "# Hangar at rest and at scale ($(date -u +%FT%TZ), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r))"
echo "command: bench/scale/run.sh --time-limit $LIMIT --sample $SAMPLE --settle $SETTLE --port-range $RANGE ${LEVELS[*]}"
HAVE=0 PG_LAST=- REDIS_LAST=- BUCKET_LAST=-
for N in "${LEVELS[@]}"; do
  TARGET=$N STOPPED=""
  while [ "$HAVE" -lt "$TARGET" ]; do
    if [ $((SECONDS - STARTED)) -ge "$LIMIT" ]; then STOPPED=" (target $TARGET: stopped by --time-limit $LIMIT s)"; break; fi
    i=$((HAVE + 1))
    PG_LAST=$(timed "$HANGAR" postgres create --name "pg$i" --initial-cluster-size 1 --volume-size 1 --yes)
    REDIS_LAST=$(timed "$HANGAR" redis create --name "redis$i" --maxmemory 64)
    BUCKET_LAST=$(timed "$HANGAR" storage create --name "bucket$i")
    HAVE=$i
  done
  echo
  echo "## N = $HAVE$STOPPED"
  echo
  sleep "$SETTLE" # the last creates' own work (first checkpoint, AOF rewrite) is not the cost at rest
  echo "load average before the sample: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| kind | processes | CPU % of a core | per resource | RSS MiB | per resource | PSS MiB |"
  echo "|---|---|---|---|---|---|---|"
  "$PY" "$SAMPLER" "$DAEMON" "$SAMPLE" "$HAVE"
  echo
  echo "load average after the sample: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| measure | result |"
  echo "|---|---|"
  if [ "$HAVE" -gt 0 ]; then
    echo "| create of the N-th Postgres cluster (1 node, to ready) | $PG_LAST s |"
    echo "| create of the N-th Redis instance | $REDIS_LAST s |"
    echo "| create of the N-th bucket | $BUCKET_LAST s |"
  fi
  echo "| \`hangar version\` (CLI start alone) | $(latency "$HANGAR" version) |"
  echo "| \`hangar status\` | $(latency "$HANGAR" status) |"
  echo "| \`hangar postgres list\` | $(latency "$HANGAR" postgres list) |"
  [ "$HAVE" -gt 0 ] && echo "| \`hangar postgres status -a pg1\` | $(latency "$HANGAR" postgres status -a pg1) |"
  passes=$(grep -hoiE 'reconcil.*pass.* in [0-9.]+ ?m?s' "$WORK/data/logs/hangar.log" 2>/dev/null | tail -1 || true)
  echo "| reconcile pass duration | ${passes:-not in the daemon log (it logs no pass duration)} |"
  [ -n "$STOPPED" ] && break
done
echo
echo "total run time: $((SECONDS - STARTED)) s"
