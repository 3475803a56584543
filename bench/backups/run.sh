#!/usr/bin/env bash
# Point-in-time restore, side by side in one run (real daemon, etcd, Patroni, PostgreSQL 15, pgBackRest 2.45 and
# Hangar's S3 server over HTTPS):
#   1. `hangar postgres backup restore --restore-target-time T` end to end: the new cluster ready and taking a write
#   2. the same restore by hand: `pgbackrest restore --type=time` into an empty directory, then a private postmaster
#      replaying to T and promoting, until it takes a write
# T is PITR_BEFORE_END seconds before the end of a pgbench write load that follows a full backup of a database of
# pgbench scale SCALE (70 ~ 1 GiB; default 10 to keep a run short on a shared machine).
# Usage: bench/backups/run.sh            (SCALE=10 LOAD_SECONDS=45 PITR_BEFORE_END=30)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HANGAR=${HANGAR_BIN:-$ROOT/.build/hangar/hangar}
SCALE=${SCALE:-10}
LOAD_SECONDS=${LOAD_SECONDS:-45}
PITR_BEFORE_END=${PITR_BEFORE_END:-30}
PY=/usr/bin/python3
PGBIN=/usr/lib/postgresql/15/bin
[ -x "$HANGAR" ] || { echo "build first: scripts/build-cli.sh" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root (pgBackRest and PostgreSQL run as the postgres user)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/hangar-bench-backups-XXXXXX)
chmod 0711 "$WORK"
free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ETCD_CLIENT=$(free_port); ETCD_PEER=$(free_port); S3=$(free_port); S3_HTTPS=$(free_port); HAND_PORT=$(free_port)
export HANGAR_DATA_DIR=$WORK/data
XDG_CONFIG_HOME=$WORK/xdg "$HANGAR" up --data-dir "$WORK/data" --api-listen 127.0.0.1:0 \
  --etcd-client-port "$ETCD_CLIENT" --etcd-peer-port "$ETCD_PEER" \
  --s3-listen "127.0.0.1:$S3" --s3-https-listen "127.0.0.1:$S3_HTTPS" > "$WORK/daemon.log" 2>&1 &
DAEMON=$!
HAND=$WORK/hand
cleanup() {
  [ -f "$HAND/pgdata/postmaster.pid" ] && runuser -u postgres -- "$PGBIN/pg_ctl" stop -D "$HAND/pgdata" -m immediate >/dev/null 2>&1 || true
  kill -TERM "$DAEMON" 2>/dev/null || true
  wait "$DAEMON" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for _ in $(seq 1 120); do "$HANGAR" status >/dev/null 2>&1 && break; sleep 0.5; done

json() { $PY -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }

echo "# Backup benchmarks ($(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), scale $SCALE)"
URL=$("$HANGAR" postgres create --name src --enable-backups --json | json "d['connectionString']")
pgbench -q -i -s "$SCALE" "$URL" >/dev/null 2>&1
# The scheduler configures the stanza and takes the first full backup on its own; the bench's full backup comes after.
for _ in $(seq 1 600); do
  [ "$("$HANGAR" postgres backup list -a src --json 2>/dev/null | json "len(d['backups'])" 2>/dev/null || echo 0)" -gt 0 ] && break; sleep 0.5
done
SIZE=$(psql "$URL" -Atc "SELECT pg_size_pretty(pg_database_size('postgres'))")
start=$(now)
"$HANGAR" postgres backup create -a src --type full >/dev/null
echo "database $SIZE; full backup in $(since "$start") s"

pgbench -n -c 2 -j 2 -T "$LOAD_SECONDS" "$URL" >/dev/null 2>&1 &
LOAD=$!
sleep $((LOAD_SECONDS - PITR_BEFORE_END))
TARGET=$(psql "$URL" -Atc "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")
# pgBackRest's own --target format (it picks the backup set before it only from this form).
HAND_TARGET="$(echo "$TARGET" | sed -e 's/T/ /' -e 's/Z$/+00/')"
ROWS_AT_TARGET=$(psql "$URL" -Atc "SELECT count(*) FROM pgbench_history")
wait "$LOAD"
echo "restore target $TARGET ($PITR_BEFORE_END s before the end of a $LOAD_SECONDS s pgbench load; ~$ROWS_AT_TARGET history rows then)"

echo
echo "## 1. hangar postgres backup restore (new cluster ready and writable)"
start=$(now)
NEW=$("$HANGAR" postgres backup restore -a src restored --restore-target-time "$TARGET" --json | json "d['connectionString']")
psql "$NEW" -qc "CREATE TABLE written_after_restore (x int)"
HANGAR_S=$(since "$start")
echo "hangar: $HANGAR_S s; history rows $(psql "$NEW" -Atc "SELECT count(*) FROM pgbench_history")"

echo
echo "## 2. by hand: pgbackrest restore --type=time + recovery by a private postmaster (until it takes a write)"
CONF=$(grep -l '^\[src\]' $(find "$WORK/data" -name pgbackrest.conf) | head -1)
mkdir -p "$HAND"/{pgdata,spool,log,lock,sock}
chmod 0700 "$HAND/pgdata"
grep -v -e '^pg[1-9]-' "$CONF" | sed -e "s|^spool-path=.*|spool-path=$HAND/spool|" -e "s|^log-path=.*|log-path=$HAND/log|" \
  -e "s|^lock-path=.*|lock-path=$HAND/lock|" > "$HAND/pgbackrest.conf"
printf 'pg1-path=%s\npg1-port=%s\npg1-socket-path=%s\n' "$HAND/pgdata" "$HAND_PORT" "$HAND/sock" >> "$HAND/pgbackrest.conf"
printf "hba_file = '%s/pg_hba.conf'\nlisten_addresses = ''\nport = %s\nunix_socket_directories = '%s/sock'\nhot_standby = off\narchive_mode = off\nshared_preload_libraries = ''\n" "$HAND" "$HAND_PORT" "$HAND" > "$HAND/postgresql.conf"
echo "local all all peer" > "$HAND/pg_hba.conf"
chown -R postgres "$HAND"
chmod 0600 "$HAND/pgbackrest.conf"
start=$(now)
runuser -u postgres -- pgbackrest --config="$HAND/pgbackrest.conf" --stanza=src --type=time "--target=$HAND_TARGET" --target-action=promote restore
runuser -u postgres -- "$PGBIN/pg_ctl" start -D "$HAND/pgdata" -o "-c config_file=$HAND/postgresql.conf" -l "$HAND/log/postgres.log" -t 3600 >/dev/null
until [ "$(runuser -u postgres -- psql -X -At -h "$HAND/sock" -p "$HAND_PORT" -d postgres -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ]; do sleep 0.1; done
runuser -u postgres -- psql -X -q -h "$HAND/sock" -p "$HAND_PORT" -d postgres -c "CREATE TABLE written_after_restore (x int)"
HAND_S=$(since "$start")
echo "by hand: $HAND_S s; history rows $(runuser -u postgres -- psql -X -At -h "$HAND/sock" -p "$HAND_PORT" -d postgres -c 'SELECT count(*) FROM pgbench_history')"

echo
echo "hangar / by hand: $(echo "scale=2; $HANGAR_S / $HAND_S" | bc)x"
