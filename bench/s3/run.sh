#!/usr/bin/env bash
# One-command S3 benchmark: Hangar's S3 server vs nginx serving the same files, and vs raw write+fsync.
# Usage: bench/s3/run.sh            (DURATION=6 seconds per wrk run by default)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DURATION=${DURATION:-6}
WORK=$(mktemp -d /tmp/hangar-s3-bench.XXXXXX)
SERVER_PID=""; NGINX_PID=""
cleanup() {
  [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  [[ -n "$NGINX_PID" ]] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "building (Release)..." >&2
dotnet build -c Release "$ROOT/bench/s3/Hangar.Bench.S3" -o "$WORK/bin" -v q -nologo >/dev/null

mkdir -p "$WORK/www" "$WORK/data"
head -c 4096 /dev/urandom > "$WORK/www/4k.bin"
head -c $((64*1024*1024)) /dev/urandom > "$WORK/www/64m.bin"
echo "bench-token" > "$WORK/token"

"$WORK/bin/Hangar.Bench.S3" --data-dir "$WORK/data" --listen 127.0.0.1:0 --admin-token-file "$WORK/token" > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do grep -qs "hangar s3 ready" "$WORK/server.log" && break; sleep 0.1; done
S3=$(grep -o 'http=http://127.0.0.1:[0-9]*' "$WORK/server.log" | head -1 | cut -d= -f2)
ADMIN=(-sf -H "Authorization: Bearer bench-token")
curl "${ADMIN[@]}" -X PUT "$S3/_hangar/admin/keys/BENCHKEY" -d '{"secretKey":"bench-secret-0123456789","buckets":["bench"]}' >/dev/null
curl "${ADMIN[@]}" -X PUT "$S3/_hangar/admin/buckets/bench" -d '{"public":true}' >/dev/null
mapfile -t URLS < <(/usr/bin/python3 "$ROOT/bench/s3/presign.py" "$S3" BENCHKEY bench-secret-0123456789 bench)
# Upload the GET fixtures through the S3 API itself (presigned PUTs for their keys).
PUT4K=$(/usr/bin/python3 - "$S3" <<'PY'
import sys, boto3
s3 = boto3.client('s3', endpoint_url=sys.argv[1], aws_access_key_id='BENCHKEY', aws_secret_access_key='bench-secret-0123456789', region_name='local')
print(s3.generate_presigned_url('put_object', Params={'Bucket': 'bench', 'Key': '4k.bin'}, ExpiresIn=600))
print(s3.generate_presigned_url('put_object', Params={'Bucket': 'bench', 'Key': '64m.bin'}, ExpiresIn=600))
PY
)
curl -sf -T "$WORK/www/4k.bin" "$(echo "$PUT4K" | sed -n 1p)" >/dev/null
curl -sf -T "$WORK/www/64m.bin" "$(echo "$PUT4K" | sed -n 2p)" >/dev/null

NGINX_PORT=$(free_port)
cat > "$WORK/nginx.conf" <<NGX
daemon off;
user root;
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on; tcp_nopush on; keepalive_requests 1000000;
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/www; }
}
NGX
nginx -c "$WORK/nginx.conf" -p "$WORK" &
NGINX_PID=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$NGINX_PORT/4k.bin" -o /dev/null && break; sleep 0.1; done

# wrk_run CONNS URL [extra] -> "req/s p99ms MB/s"
wrk_run() {
  local conns=$1 url=$2; shift 2
  local threads=$(( conns < 2 ? 1 : 2 ))
  local out; out=$(wrk -t"$threads" -c"$conns" -d"${DURATION}s" --latency "$@" "$url")
  local rps; rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  local p99; p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' <<<"$out")
  local tr; tr=$(awk '/Transfer\/sec/ {v=$2; if (v ~ /GB/) {sub(/GB/,"",v); v=v*1024} else if (v ~ /MB/) {sub(/MB/,"",v)} else if (v ~ /KB/) {sub(/KB/,"",v); v=v/1024}; print v}' <<<"$out")
  echo "$rps $p99 $tr"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

printf "%-44s %12s %9s %12s %9s %7s\n" "test" "hangar" "p99 ms" "reference" "p99 ms" "ratio"
row() { printf "%-44s %12s %9s %12s %9s %7s\n" "$@"; }

# Warm up both servers (JIT tiering, connection pools) before anything is measured.
wrk -t1 -c4 -d2s "http://127.0.0.1:$NGINX_PORT/4k.bin" >/dev/null
wrk -t1 -c4 -d2s "$S3/bench/4k.bin" >/dev/null
wrk -t1 -c4 -d2s "${URLS[0]}" >/dev/null

for c in 1 16; do
  read -r n_rps n_p99 _ < <(wrk_run "$c" "http://127.0.0.1:$NGINX_PORT/4k.bin")
  read -r h_rps h_p99 _ < <(wrk_run "$c" "$S3/bench/4k.bin")
  row "GET 4 KiB public, $c conn (req/s)" "$h_rps" "$h_p99" "$n_rps" "$n_p99" "$(ratio "$h_rps" "$n_rps")"
  read -r p_rps p_p99 _ < <(wrk_run "$c" "${URLS[0]}")
  row "GET 4 KiB presigned, $c conn (req/s)" "$p_rps" "$p_p99" "$n_rps" "$n_p99" "$(ratio "$p_rps" "$n_rps")"
done
read -r _ _ n_mb < <(wrk_run 1 "http://127.0.0.1:$NGINX_PORT/64m.bin")
read -r _ _ h_mb < <(wrk_run 1 "${URLS[1]}")
row "GET 64 MiB presigned, 1 conn (MB/s)" "$h_mb" "-" "$n_mb" "-" "$(ratio "$h_mb" "$n_mb")"

# Durable PUT: every acknowledged PUT is fsynced (body and index). Reference: 16 parallel dd writers, 4 KiB + fsync each.
read -r put_rps put_p99 _ < <(wrk_run 16 "${URLS[2]}" -s "$ROOT/bench/s3/put.lua")
mkdir -p "$WORK/raw"
start=$(date +%s.%N)
DD_PIDS=()
for i in $(seq 1 16); do dd if=/dev/zero of="$WORK/raw/f$i" bs=4k count=300 oflag=dsync status=none & DD_PIDS+=($!); done
wait "${DD_PIDS[@]}"
end=$(date +%s.%N)
raw_ops=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.0f", 16*300/(e-s) }')
row "PUT 4 KiB durable, 16 conn (ops/s)" "$put_rps" "$put_p99" "$raw_ops" "-" "$(ratio "$put_rps" "$raw_ops")"

# 64 MiB single-stream PUT vs dd of the same bytes with fsync.
best=0
for _ in 1 2 3; do
  t=$(curl -sf -o /dev/null -w '%{time_total}' -T "$WORK/www/64m.bin" "${URLS[3]}")
  mbps=$(awk -v t="$t" 'BEGIN { printf "%.0f", 64*1.048576/t }')
  (( mbps > best )) && best=$mbps
done
raw_best=0
for _ in 1 2 3; do
  start=$(date +%s.%N); dd if="$WORK/www/64m.bin" of="$WORK/raw/big" bs=1M conv=fsync status=none; end=$(date +%s.%N)
  mbps=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.0f", 64*1.048576/(e-s) }')
  (( mbps > raw_best )) && raw_best=$mbps
done
row "PUT 64 MiB single stream (MB/s)" "$best" "-" "$raw_best" "-" "$(ratio "$best" "$raw_best")"
echo "(reference: nginx for GETs; dd write+fsync on the same disk for PUTs; $(nproc) cores shared by client and server)"
