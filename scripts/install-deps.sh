#!/usr/bin/env bash
# Installs the Debian packages Hangar runs (and, with --test, the ones its tests and benchmarks use)
# when any is missing. Quiet when everything is there already.
set -euo pipefail

# Each package with a file it installs: only packages whose file is missing are installed, so a machine that has
# a command from elsewhere (nodejs from NodeSource bundles npm, and Debian's npm conflicts with it) is left alone.
needs=(
  postgresql:/usr/lib/postgresql/15/bin/postgres patroni:/usr/bin/patroni etcd-server:/usr/bin/etcd
  etcd-client:/usr/bin/etcdctl redis-server:/usr/bin/redis-server pgbouncer:/usr/sbin/pgbouncer
  pgbackrest:/usr/bin/pgbackrest postgresql-15-postgis-3:/usr/lib/postgresql/15/lib/postgis-3.so
  postgresql-15-pgextwlist:/usr/lib/postgresql/15/lib/plugins/pgextwlist.so openssl:/usr/bin/openssl util-linux:/usr/bin/setpriv nodejs:/usr/bin/node
  npm:/usr/bin/npm prometheus:/usr/bin/prometheus
  prometheus-postgres-exporter:/usr/bin/prometheus-postgres-exporter
  prometheus-redis-exporter:/usr/bin/prometheus-redis-exporter
)
if [[ "${1:-}" == "--test" ]]; then
  needs+=(
    python3-boto3:/usr/lib/python3/dist-packages/boto3 python3-psycopg2:/usr/lib/python3/dist-packages/psycopg2
    awscli:/usr/bin/aws haproxy:/usr/sbin/haproxy nginx:/usr/sbin/nginx wrk:/usr/bin/wrk curl:/usr/bin/curl
    chromium:/usr/bin/chromium zstd:/usr/bin/zstd
  )
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

# Litestream for `hangar sqlite`: not in Debian; Fly's npm package @flydotio/litestream-linux-x64@1.0.1 ships the
# upstream v0.3.13 binary. npm unpacks it under .build/tools/npm and the binary is copied to .build/tools/litestream/,
# where the daemon looks (DaemonOptions.LitestreamPath), with its licence beside it.
litestream() {
  local tools dir npmdir
  tools="$(cd "$(dirname "$0")/.." && pwd)/.build/tools"
  dir="$tools/litestream"
  [[ -x "$dir/litestream" && -e "$dir/LICENSE" ]] && return 0
  [[ "$(uname -m)" == "x86_64" ]] || { echo "hangar: no Litestream build for $(uname -m); \`hangar sqlite\` will not work" >&2; return 0; }
  npmdir="$tools/npm"
  echo "hangar: installing Litestream v0.3.13 (npm @flydotio/litestream-linux-x64@1.0.1) into $dir" >&2
  mkdir -p "$npmdir" "$dir"
  (cd "$npmdir" && npm install --no-audit --no-fund --no-save --silent @flydotio/litestream-linux-x64@1.0.1)
  "$npmdir/node_modules/@flydotio/litestream-linux-x64/litestream" version | grep -qx 'v0.3.13'
  # The npm package carries no licence file: Litestream is Apache-2.0 (relicensed from GPLv3 in April 2021, before
  # v0.3.13; the npm wrapper itself is MIT), so Debian's copy of the Apache-2.0 text goes beside the binary.
  {
    printf 'Litestream v0.3.13 - https://github.com/benbjohnson/litestream - Copyright Ben Johnson.\n'
    printf 'Licensed under the Apache License, Version 2.0 (below). Packaged for npm by Fly.io as\n'
    printf '@flydotio/litestream-linux-x64 1.0.1 (MIT, https://github.com/fly-apps/litestream-npm).\n\n'
    cat /usr/share/common-licenses/Apache-2.0
  } > "$dir/LICENSE.tmp"
  cp "$npmdir/node_modules/@flydotio/litestream-linux-x64/litestream" "$dir/litestream.tmp"
  chmod 755 "$dir/litestream.tmp"
  mv "$dir/LICENSE.tmp" "$dir/LICENSE"
  mv "$dir/litestream.tmp" "$dir/litestream"
}

packages=()
for need in "${needs[@]}"; do
  [[ -e "${need#*:}" ]] || packages+=("${need%%:*}")
done
[[ ${#packages[@]} != 0 ]] || { node_pg "${1:-}"; node_s3_post "${1:-}"; litestream; exit 0; }

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
litestream
