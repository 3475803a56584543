#!/usr/bin/env bash
# Restore time of a replicated SQLite database from Hangar's S3 (`hangar sqlite restore`, real Litestream v0.3.13)
# vs copying the file with cp, and vs the "60 s restore from S3" of Fly's SQLite guide (goal: <= 10 s for 1 GiB).
# Prints seconds for each and the ratios. Usage: bench/sqlite/run.sh [SIZE_MIB]   (default 1024)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
size_mib="${1:-1024}"
bin="${HANGAR_BIN:-}"
if [[ -z "$bin" ]]; then
  "$root/hangar" version >/dev/null
  bin="$root/.build/hangar/hangar"
fi

work="$(mktemp -d /tmp/hangar-bench-sqlite.XXXXXX)"
chmod 711 "$work" # the daemon refuses a data dir the postgres and redis users cannot pass through
daemon_pid=""
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cleanup() {
  if [[ -n "$daemon_pid" ]]; then
    kill -TERM "$daemon_pid" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$work"
}
trap cleanup EXIT

export HANGAR_DATA_DIR="$work/data" XDG_CONFIG_HOME="$work/xdg"
"$bin" up --data-dir "$work/data" --api-listen 127.0.0.1:0 --etcd-client-port "$(free_port)" --etcd-peer-port "$(free_port)" \
  --s3-listen "127.0.0.1:$(free_port)" --s3-https-listen off --port-range 17900-17949 >"$work/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 600); do [[ -f "$work/data/config.json" ]] && break; sleep 0.1; done
[[ -f "$work/data/config.json" ]] || { echo "daemon did not start:"; cat "$work/daemon.log"; exit 1; }

# Incompressible rows (random blobs), so neither Litestream's LZ4 nor the page cache flatters the figures.
db="$work/app.db"
python3 - "$db" "$size_mib" <<'PY'
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
for p in ("journal_mode = WAL", "synchronous = NORMAL", "cache_size = 10000", "foreign_keys = ON", "temp_store = MEMORY"):
    c.execute("PRAGMA " + p)
c.execute("CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB NOT NULL)")
rows = int(sys.argv[2]) * 256  # 4 KiB each
c.execute("BEGIN")
for _ in range(rows):
    c.execute("INSERT INTO blobs (body) VALUES (?)", (os.urandom(4000),))
c.execute("COMMIT")
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
PY
"$bin" apps create bench >/dev/null
"$bin" sqlite replicate "$db" -a bench --name bench >/dev/null
for _ in $(seq 1 1200); do
  lag="$("$bin" sqlite status bench --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("lagSeconds", "") if d.get("snapshots", 0) > 0 else "")')"
  [[ "$lag" == "0" || "$lag" == "0.0" ]] && break
  sleep 0.5
done
bytes="$(stat -c %s "$db")"

sync
start=$(date +%s.%N); cp "$db" "$work/copy.db"; sync "$work/copy.db"; end=$(date +%s.%N)
cp_s="$(python3 -c "print(f'{$end - $start:.2f}')")"
"$bin" sqlite restore bench --output "$work/restored.db" --json > "$work/restore.json"
restore_s="$(python3 -c 'import json,sys; print("%.2f" % json.load(open(sys.argv[1]))["seconds"])' "$work/restore.json")"
rows_live="$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from blobs").fetchone()[0])' "$db")"
rows_restored="$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from blobs").fetchone()[0])' "$work/restored.db")"

echo "database: $((bytes / 1048576)) MiB, $rows_live rows (restored: $rows_restored)"
echo "cp:                      ${cp_s} s"
echo "hangar sqlite restore:   ${restore_s} s   ($(python3 -c "print(f'{$restore_s / max($cp_s, 0.01):.1f}')") x cp; $(python3 -c "print(f'{$restore_s / 60:.2f}')") x the seed's 60 s; goal <= 10 s for 1 GiB)"
