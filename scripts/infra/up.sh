#!/usr/bin/env bash
# Installs what is missing (packages, the copy join's own ffmpeg) and starts the local
# infrastructure: PostgreSQL databases, Kafka, S3.
# Safe to run repeatedly; returns quickly when everything already runs. Stop with scripts/infra/down.sh.
set -euo pipefail

INFRA="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

echo "infra up: system packages"
bash "$INFRA/system-deps.sh"
echo "infra up: the copy join's own ffmpeg and ffprobe"
bash "$INFRA/copy-join-tools.sh" >/dev/null
echo "infra up: postgres"
bash "$INFRA/postgres.sh" start
echo "infra up: kafka"
bash "$INFRA/kafka.sh" start
# s3.sh is optional: it arrives separately.
if [[ -f "$INFRA/s3.sh" ]]; then
  echo "infra up: s3"
  bash "$INFRA/s3.sh" start
fi
echo "infra up: done"
