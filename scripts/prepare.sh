#!/usr/bin/env bash
# Everything both README commands need on a fresh machine: system packages and infrastructure
# (scripts/infra/up.sh), npm dependencies from the lockfile, the compiled services and dashboard, the topics.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/infra/up.sh
if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "prepare: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "prepare: build"
npm run -s build
echo "prepare: databases and topics"
infra_flags=()
if [[ -f .var/kafka-cluster-is-new ]]; then
  echo "prepare: the broker is new, so the local databases start over"
  infra_flags=(--fresh-databases)
fi
node -r ./scripts/runtime/register-aliases.js dist/scripts/create-infra-objects.js "${infra_flags[@]}"
rm -f .var/kafka-cluster-is-new
