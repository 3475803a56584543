#!/usr/bin/env bash
# Installs the Debian packages Hangar runs (and, with --test, the ones its tests and benchmarks use)
# when any is missing. Quiet when everything is there already.
set -euo pipefail

packages=(postgresql patroni etcd-server etcd-client redis-server pgbouncer pgbackrest openssl util-linux)
checks=(/usr/lib/postgresql/15/bin/postgres /usr/bin/patroni /usr/bin/etcd /usr/bin/etcdctl /usr/bin/redis-server /usr/sbin/pgbouncer /usr/bin/pgbackrest /usr/bin/openssl /usr/bin/setpriv)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(python3-boto3 python3-psycopg2 awscli haproxy nginx wrk curl nodejs npm chromium)
  checks+=(/usr/lib/python3/dist-packages/boto3 /usr/lib/python3/dist-packages/psycopg2 /usr/bin/aws /usr/sbin/haproxy /usr/sbin/nginx /usr/bin/wrk /usr/bin/curl /usr/bin/node /usr/bin/npm /usr/bin/chromium)
fi

# node-postgres for the TLS tests: not in Debian for the nodejs in use, so npm puts it under .build (git-ignored).
node_pg() {
  [[ "${1:-}" == "--test" ]] || return 0
  local dir
  dir="$(cd "$(dirname "$0")/.." && pwd)/.build/node-pg"
  [[ -e "$dir/node_modules/pg/package.json" ]] && return 0
  echo "hangar: installing node-postgres (npm pg@8) into $dir" >&2
  mkdir -p "$dir"
  (cd "$dir" && npm install --no-audit --no-fund --no-save --silent pg@8)
}

# The AWS SDK for JavaScript's presigned POST for the browser-upload tests (S3 server), the same way.
node_s3_post() {
  [[ "${1:-}" == "--test" ]] || return 0
  local dir
  dir="$(cd "$(dirname "$0")/.." && pwd)/.build/node-s3-post"
  [[ -e "$dir/node_modules/@aws-sdk/s3-presigned-post/package.json" ]] && return 0
  echo "hangar: installing @aws-sdk/s3-presigned-post@3 and @aws-sdk/client-s3@3 (npm) into $dir" >&2
  mkdir -p "$dir"
  (cd "$dir" && npm install --no-audit --no-fund --no-save --silent @aws-sdk/s3-presigned-post@3 @aws-sdk/client-s3@3)
}

missing=0
for path in "${checks[@]}"; do
  [[ -e "$path" ]] || { missing=1; break; }
done
[[ $missing == 1 ]] || { node_pg "${1:-}"; node_s3_post "${1:-}"; exit 0; }

sudo=""
[[ $(id -u) == 0 ]] || sudo="sudo"
echo "hangar: installing ${packages[*]} with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# Debian starts packaged services on install where it can; Hangar runs its own copies, so keep them from starting.
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
  $sudo chmod +x /usr/sbin/policy-rc.d
  trap '$sudo rm -f /usr/sbin/policy-rc.d' EXIT
fi
$sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
node_pg "${1:-}"
node_s3_post "${1:-}"
