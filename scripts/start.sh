#!/usr/bin/env bash
# Brings the whole system up on this machine (infrastructure + the five services), then runs a real
# join job end to end on the sample clips and prints where the output is. Safe to run again.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/prepare.sh
bash scripts/services.sh start
bash scripts/services.sh sample-media
node -r ./scripts/runtime/register-aliases.js dist/scripts/demo-join.js "$@"
echo
echo "The system keeps running: gateway http://127.0.0.1:3000 (API docs at /docs), sample clips on http://127.0.0.1:8089/."
echo "Admin token (creates tenants): .var/admin-token. Stop everything with: npm run stop"
