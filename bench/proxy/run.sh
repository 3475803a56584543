#!/usr/bin/env bash
# pgbench -S directly, through Hangar's proxy and through HAProxy (TCP mode), against one real
# PostgreSQL 15, in one run; prints tps and the ratio of each to the direct connection.
# Knobs: DURATION (s per run, 10), CLIENTS (8), THREADS (2), SCALE (10), ROUNDS (1),
# CONNECT=1 (pgbench -C: a new connection per transaction, to measure connection setup),
# PROXY_ENV (prefix for the proxy command, e.g. "env DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0"),
# STEERING=0 (the proxy forwards every connection itself instead of steering them to the leader's socket),
# SOCKMAP=1 (also the experiment in sockmap/: a minimal C proxy copying in userspace, and the same proxy
# splicing the two sockets in the kernel with a BPF sockhash; needs gcc and root, see docs/BENCHMARKS.md).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
PGBIN=/usr/lib/postgresql/15/bin
DURATION=${DURATION:-10}
CLIENTS=${CLIENTS:-8}
THREADS=${THREADS:-2}
SCALE=${SCALE:-10}
ROUNDS=${ROUNDS:-1}
CONNECT_FLAG=""
[ "${CONNECT:-0}" = 1 ] && CONNECT_FLAG="-C"

WORK=$(mktemp -d /tmp/hangar-bench-proxy.XXXXXX)
chown postgres:postgres "$WORK"
PROXY_PID=""
PATRONI_PID=""
HAPROXY_PID=""
EXTRA_PIDS=()
# SCRAM like Hangar's clusters (the kernel-splice experiment only splices after an authentication request).
export PGPASSWORD=bench

as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }

cleanup() {
    set +e
    [ -n "$PROXY_PID" ] && kill -TERM "$PROXY_PID" 2>/dev/null && wait "$PROXY_PID" 2>/dev/null
    [ -n "$PATRONI_PID" ] && kill -TERM "$PATRONI_PID" 2>/dev/null && wait "$PATRONI_PID" 2>/dev/null
    [ -n "$HAPROXY_PID" ] && kill -TERM "$HAPROXY_PID" 2>/dev/null && wait "$HAPROXY_PID" 2>/dev/null
    for pid in "${EXTRA_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
    [ -f "$WORK/data/postmaster.pid" ] && as_postgres "$PGBIN/pg_ctl" stop -m fast -D "$WORK/data" >/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for() { # wait_for SECONDS COMMAND...
    local deadline=$((SECONDS + $1)); shift
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -lt $deadline ] || { echo "timed out waiting for: $*" >&2; exit 1; }
        sleep 0.1
    done
}

echo "== building the proxy host (Release)"
dotnet build -c Release -v q --nologo "$HERE/Hangar.Bench.Proxy/Hangar.Bench.Proxy.csproj" >/dev/null

echo "== starting PostgreSQL 15"
PG_PORT=$(free_port)
echo "$PGPASSWORD" >"$WORK/pwfile"
chown postgres "$WORK/pwfile"
as_postgres "$PGBIN/initdb" -D "$WORK/data" -U postgres --auth=scram-sha-256 --pwfile="$WORK/pwfile" -E UTF8 --no-sync >/dev/null
as_postgres "$PGBIN/pg_ctl" start -w -D "$WORK/data" -l "$WORK/postgres.log" \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$WORK -c max_connections=200" >/dev/null
"$PGBIN/pgbench" -i -q -s "$SCALE" -h 127.0.0.1 -p "$PG_PORT" -U postgres postgres >/dev/null 2>&1

echo "== starting a fake Patroni (200 on /primary) and Hangar's proxy"
python3 "$HERE/fake_patroni.py" >"$WORK/patroni.port" &
PATRONI_PID=$!
wait_for 10 test -s "$WORK/patroni.port"
mkdir -p "$WORK/proxy"
cat >"$WORK/proxy/proxy.json" <<JSON
{
  "cluster": "bench",
  "listen": "127.0.0.1:0",
  "kernelSteering": $([ "${STEERING:-1}" = 1 ] && echo true || echo false),
  "nodes": [ { "name": "bench-1", "host": "127.0.0.1", "port": $PG_PORT, "patroniUrl": "http://127.0.0.1:$(cat "$WORK/patroni.port")" } ]
}
JSON
${PROXY_ENV:-} dotnet "$HERE/Hangar.Bench.Proxy/bin/Release/net10.0/Hangar.Bench.Proxy.dll" --config "$WORK/proxy/proxy.json" >"$WORK/proxy.log" 2>&1 &
PROXY_PID=$!
wait_for 20 grep -q '"leader": "bench-1"' "$WORK/proxy/proxy.status.json"
PROXY_PORT=$(grep -o '"listen": "[^"]*"' "$WORK/proxy/proxy.status.json" | sed 's/.*:\([0-9]*\)"$/\1/')

echo "== starting HAProxy (TCP mode)"
HAPROXY_PORT=$(free_port)
cat >"$WORK/haproxy.cfg" <<CFG
global
    maxconn 4096
defaults
    mode tcp
    timeout connect 5s
    timeout client 1h
    timeout server 1h
listen postgres
    bind 127.0.0.1:$HAPROXY_PORT
    server pg 127.0.0.1:$PG_PORT
CFG
/usr/sbin/haproxy -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 &
HAPROXY_PID=$!
wait_for 10 "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$HAPROXY_PORT"
wait_for 10 "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PROXY_PORT"

NAMES=(hangar-proxy haproxy)
PORTS=("$PROXY_PORT" "$HAPROXY_PORT")
PIDS=("$PROXY_PID" "$HAPROXY_PID")
if [ "${SOCKMAP:-0}" = 1 ]; then
    echo "== building and starting the C proxies of the kernel-splice experiment"
    gcc -O2 -Wall -pthread -o "$WORK/sockproxy" "$HERE/sockmap/sockproxy.c"
    for mode in copy splice; do
        port=$(free_port)
        # splice: stream parser + verdict (the faster of the two attach modes), 20 ms drain before close.
        FORCE_STREAM=1 "$WORK/sockproxy" "$port" "$PG_PORT" "$mode" 20 >"$WORK/sockproxy-$mode.log" 2>&1 &
        pid=$!
        EXTRA_PIDS+=("$pid")
        wait_for 10 "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$port"
        NAMES+=("c-$mode"); PORTS+=("$port"); PIDS+=("$pid")
    done
fi

tps() { # tps PORT SECONDS
    "$PGBIN/pgbench" -S -n $CONNECT_FLAG -c "$CLIENTS" -j "$THREADS" -T "$2" -h 127.0.0.1 -p "$1" -U postgres postgres 2>&1 \
        | sed -n 's/^tps = \([0-9.]*\) .*/\1/p'
}

cpu_ticks() { # user+system clock ticks used so far by PID
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}

CLK_TCK=$(getconf CLK_TCK)
measure() { # measure PORT [PID]: prints "TPS CPU_US_PER_TXN" (CPU of PID, the proxy in the path)
    local before=0 after=0 t
    [ -n "${2:-}" ] && before=$(cpu_ticks "$2")
    t=$(tps "$1" "$DURATION")
    [ -n "${2:-}" ] && after=$(cpu_ticks "$2")
    echo "$t $(echo "($after - $before) / $CLK_TCK * 1000000 / ($t * $DURATION)" | bc -l)"
}

echo "== warming up (2 s each)"
for port in "$PG_PORT" "${PORTS[@]}"; do tps "$port" 2 >/dev/null; done

echo "== pgbench -S $CONNECT_FLAG -c $CLIENTS -j $THREADS -T $DURATION, scale $SCALE, $ROUNDS round(s), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
sum_d=0
declare -A SUM CPU
for name in "${NAMES[@]}"; do SUM[$name]=0; CPU[$name]=0; done
for round in $(seq 1 "$ROUNDS"); do
    read -r d _ < <(measure "$PG_PORT")
    line="round $round: direct $(printf '%.0f' "$d")"
    sum_d=$(echo "$sum_d + $d" | bc -l)
    for i in "${!NAMES[@]}"; do
        read -r t c < <(measure "${PORTS[$i]}" "${PIDS[$i]}")
        line="$line  ${NAMES[$i]} $(printf '%.0f (%.1f us CPU/txn)' "$t" "$c")"
        SUM[${NAMES[$i]}]=$(echo "${SUM[${NAMES[$i]}]} + $t" | bc -l)
        CPU[${NAMES[$i]}]=$(echo "${CPU[${NAMES[$i]}]} + $c" | bc -l)
    done
    echo "$line tps"
done

direct=$(echo "$sum_d / $ROUNDS" | bc -l)
echo
printf '%-14s %10s %10s %16s\n' target tps vs-direct 'proxy CPU/txn'
printf '%-14s %10.0f %10.2f %16s\n' direct "$direct" 1 -
for name in "${NAMES[@]}"; do
    mean=$(echo "${SUM[$name]} / $ROUNDS" | bc -l)
    printf '%-14s %10.0f %10.2f %13.1f us\n' "$name" "$mean" "$(echo "$mean / $direct" | bc -l)" "$(echo "${CPU[$name]} / $ROUNDS" | bc -l)"
done
printf 'hangar-proxy / haproxy: %.2f\n' "$(echo "${SUM[hangar-proxy]} / ${SUM[haproxy]}" | bc -l)"
