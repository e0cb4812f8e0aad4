#!/usr/bin/env bash
# Stops what scripts/infra/up.sh started. PostgreSQL stays up: it is the machine's server, not ours.
set -euo pipefail

INFRA="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

echo "infra down: kafka"
bash "$INFRA/kafka.sh" stop
if [[ -f "$INFRA/s3.sh" ]]; then
  echo "infra down: s3"
  bash "$INFRA/s3.sh" stop
fi
echo "infra down: done"
