#!/usr/bin/env bash
# Point-in-time restore, side by side in one run (real daemon, etcd, Patroni, PostgreSQL 15, pgBackRest 2.45 and
# Hangar's S3 server over HTTPS):
#   1. `hangar postgres backup restore --restore-target-time T` end to end: the new cluster ready and taking a write
#   2. the same restore by hand: `pgbackrest restore --type=time` into an empty directory, then a private postmaster
#      replaying to T and promoting, until it takes a write
# T is PITR_BEFORE_END seconds before the end of a pgbench write load that follows a full backup of a database of
# pgbench scale SCALE (70 ~ 1 GiB; default 10 to keep a run short on a shared machine).
#   3. pg_basebackup of the live leader into an empty directory, started, until it takes a write (a copy of now, no PITR)
# and, after the full backup, `pg_basebackup -Ft -X fetch | zstd` of the same database (time and size); at the end the
# WAL an idle cluster archives in IDLE_SECONDS at archive_timeout=5s, extrapolated to an hour.
# Usage: bench/backups/run.sh            (SCALE=10 LOAD_SECONDS=45 PITR_BEFORE_END=30 IDLE_SECONDS=180)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HANGAR=${HANGAR_BIN:-$ROOT/.build/hangar/hangar}
SCALE=${SCALE:-10}
LOAD_SECONDS=${LOAD_SECONDS:-45}
PITR_BEFORE_END=${PITR_BEFORE_END:-30}
IDLE_SECONDS=${IDLE_SECONDS:-180}
PY=/usr/bin/python3
PGBIN=/usr/lib/postgresql/15/bin
[ -x "$HANGAR" ] || { echo "build first: scripts/build-cli.sh" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root (pgBackRest and PostgreSQL run as the postgres user)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/hangar-bench-backups-XXXXXX)
chmod 0711 "$WORK"
free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ETCD_CLIENT=$(free_port); ETCD_PEER=$(free_port); S3=$(free_port); S3_HTTPS=$(free_port); HAND_PORT=$(free_port); BB_PORT=$(free_port)
export HANGAR_DATA_DIR=$WORK/data
XDG_CONFIG_HOME=$WORK/xdg "$HANGAR" up --data-dir "$WORK/data" --api-listen 127.0.0.1:0 \
  --etcd-client-port "$ETCD_CLIENT" --etcd-peer-port "$ETCD_PEER" \
  --s3-listen "127.0.0.1:$S3" --s3-https-listen "127.0.0.1:$S3_HTTPS" > "$WORK/daemon.log" 2>&1 &
DAEMON=$!
HAND=$WORK/hand
BB=$WORK/basebackup
cleanup() {
  [ -f "$HAND/pgdata/postmaster.pid" ] && runuser -u postgres -- "$PGBIN/pg_ctl" stop -D "$HAND/pgdata" -m immediate >/dev/null 2>&1 || true
  [ -f "$BB/pgdata/postmaster.pid" ] && runuser -u postgres -- "$PGBIN/pg_ctl" stop -D "$BB/pgdata" -m immediate >/dev/null 2>&1 || true
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
FULL_S=$(since "$start")
STORED=$("$HANGAR" postgres backup list -a src --json | json "[b for b in d['backups'] if b.get('repository','local')=='local'][-1]['storedSize']")
echo "database $SIZE; hangar full backup in $FULL_S s, stored $((STORED / 1048576)) MiB"
# Replication connections are admitted for the cluster's replication user only (its password is in the node's patroni.json).
PATRONI_JSON=$(dirname "$(dirname "$(grep -l '^\[src\]' $(find "$WORK/data" -name pgbackrest.conf) | head -1)")")/patroni.json
[ -f "$PATRONI_JSON" ] || PATRONI_JSON=$(find "$(dirname "$PATRONI_JSON")" -name patroni.json | head -1)
REPL_URL=$(json "'postgresql://%s:%s@%s/postgres' % (d['postgresql']['authentication']['replication']['username'], d['postgresql']['authentication']['replication']['password'], '$(echo "$URL" | sed -e 's|.*@||' -e 's|/.*||')')" < "$PATRONI_JSON")
# The same database as a compressed tar stream, the way one would by hand (WAL fetched at the end, as pgBackRest keeps it).
start=$(now)
pg_basebackup -d "$REPL_URL" -D - -Ft -X fetch | zstd -q -T0 > "$WORK/base.tar.zst"
ZSTD_S=$(since "$start")
ZSTD_B=$(stat -c %s "$WORK/base.tar.zst")
rm -f "$WORK/base.tar.zst"
echo "pg_basebackup | zstd in $ZSTD_S s, $((ZSTD_B / 1048576)) MiB"
echo "full backup hangar / pg_basebackup|zstd: time $(echo "scale=2; $FULL_S / $ZSTD_S" | bc)x, size $(echo "scale=2; $STORED / $ZSTD_B" | bc)x"

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

runuser -u postgres -- "$PGBIN/pg_ctl" stop -D "$HAND/pgdata" -m fast >/dev/null

echo
echo "## 3. pg_basebackup of the live leader (a copy of now, no PITR), started, until it takes a write"
mkdir -p "$BB/sock"
chown -R postgres "$BB"
start=$(now)
pg_basebackup -d "$REPL_URL" -D "$BB/pgdata" -X stream -c fast
chown -R postgres "$BB/pgdata"
printf "hba_file = '%s/pg_hba.conf'\nlisten_addresses = ''\nport = %s\nunix_socket_directories = '%s/sock'\narchive_mode = off\nshared_preload_libraries = ''\n" "$BB" "$BB_PORT" "$BB" > "$BB/postgresql.conf"
echo "local all all peer" > "$BB/pg_hba.conf"
chown postgres "$BB/postgresql.conf" "$BB/pg_hba.conf"
rm -f "$BB/pgdata/standby.signal" "$BB/pgdata/postmaster.pid"
runuser -u postgres -- "$PGBIN/pg_ctl" start -D "$BB/pgdata" -o "-c config_file=$BB/postgresql.conf" -l "$BB/postgres.log" -t 3600 >/dev/null
until runuser -u postgres -- psql -X -q -h "$BB/sock" -p "$BB_PORT" -d postgres -c "CREATE TABLE written_after_restore (x int)" 2>/dev/null; do sleep 0.1; done
BB_S=$(since "$start")
runuser -u postgres -- "$PGBIN/pg_ctl" stop -D "$BB/pgdata" -m immediate >/dev/null
echo "pg_basebackup: $BB_S s"

echo
echo "hangar / by hand: $(echo "scale=2; $HANGAR_S / $HAND_S" | bc)x; hangar / pg_basebackup: $(echo "scale=2; $HANGAR_S / $BB_S" | bc)x"
"$HANGAR" postgres destroy restored --yes >/dev/null

echo
echo "## 4. WAL archived by the idle cluster at archive_timeout=5s ($IDLE_SECONDS s measured, extrapolated to an hour)"
sleep 15
read -r C0 L0 < <(psql "$URL" -AtF' ' -c "SELECT archived_count, pg_current_wal_lsn() FROM pg_stat_archiver")
sleep "$IDLE_SECONDS"
read -r C1 L1 < <(psql "$URL" -AtF' ' -c "SELECT archived_count, pg_current_wal_lsn() FROM pg_stat_archiver")
WAL_B=$(psql "$URL" -Atc "SELECT pg_wal_lsn_diff('$L1', '$L0')::bigint")
SEGS=$((C1 - C0))
echo "idle: $SEGS segments archived ($((SEGS * 16)) MiB before compression), $WAL_B bytes of WAL written in $IDLE_SECONDS s"
echo "per hour (x $(echo "scale=1; 3600 / $IDLE_SECONDS" | bc)): $(echo "$SEGS * 3600 / $IDLE_SECONDS" | bc) segments, $(echo "$SEGS * 16 * 3600 / $IDLE_SECONDS" | bc) MiB; WAL records $(echo "$WAL_B * 3600 / $IDLE_SECONDS / 1024" | bc) KiB"
