#!/usr/bin/env bash
# Installs the Debian packages Hangar runs (and, with --test, the ones its tests and benchmarks use)
# when any is missing. Quiet when everything is there already.
set -euo pipefail

packages=(postgresql patroni etcd-server etcd-client redis-server pgbouncer pgbackrest openssl util-linux)
checks=(/usr/lib/postgresql/15/bin/postgres /usr/bin/patroni /usr/bin/etcd /usr/bin/etcdctl /usr/bin/redis-server /usr/sbin/pgbouncer /usr/bin/pgbackrest /usr/bin/openssl /usr/bin/setpriv)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(python3-boto3 awscli haproxy nginx wrk curl)
  checks+=(/usr/lib/python3/dist-packages/boto3 /usr/bin/aws /usr/sbin/haproxy /usr/sbin/nginx /usr/bin/wrk /usr/bin/curl)
fi

missing=0
for path in "${checks[@]}"; do
  [[ -e "$path" ]] || { missing=1; break; }
done
[[ $missing == 1 ]] || exit 0

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
