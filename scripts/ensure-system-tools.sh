#!/usr/bin/env bash
# The deploy checks and the benchmark use tools that come from Debian, not npm:
# promtool and prometheus (package prometheus), docker-compose (v1, for `config`), wrk and
# pgbench and psql; the replica and chaos tests start redis-server. Installs what is missing when it can (root with apt-get, as on CI); otherwise
# says what to install. kubectl (for `kubectl kustomize`, kustomize v5) must be on the
# machine already: Debian's kubernetes-client is too old for kustomize components.
set -euo pipefail

declare -A package_of=(
  [promtool]=prometheus
  [prometheus]=prometheus
  [docker-compose]=docker-compose
  [wrk]=wrk
  [pgbench]=postgresql-contrib
  [psql]=postgresql-client
  [redis-server]=redis-server
)

missing=()
for tool in "${!package_of[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${package_of[$tool]}")
done

if ((${#missing[@]} > 0)); then
  mapfile -t packages < <(printf '%s\n' "${missing[@]}" | sort -u)
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian packages: ${packages[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  else
    echo "missing tools; install the Debian packages: ${packages[*]}" >&2
    exit 1
  fi
fi

if ! kubectl kustomize --help >/dev/null 2>&1; then
  echo "kubectl with kustomize v5 is required (kubectl >= 1.27) to render deploy/k8s" >&2
  exit 1
fi
