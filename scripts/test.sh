#!/usr/bin/env bash
# The whole test suite against the real components: installs and starts what is missing
# (packages, PostgreSQL databases, Kafka, S3Proxy), builds, starts the five services, then runs
# unit + integration specs (apps/, libs/) and the cross-service scenarios (test/) in one Jest run.
# Services started here are stopped at the end; infrastructure too when this script started it (CI).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

infra_was_running=true
bash scripts/infra/kafka.sh status >/dev/null 2>&1 || infra_was_running=false

bash scripts/prepare.sh
echo "test: lint (incl. Nx module boundaries) and typecheck"
npm run --silent lint
npm run --silent typecheck
services_were_running=true
curl -fsS http://127.0.0.1:3000/health >/dev/null 2>&1 || services_were_running=false

cleanup() {
  [[ "$services_were_running" == true ]] || bash scripts/services.sh stop >/dev/null || true
  [[ "$infra_was_running" == true ]] || bash scripts/infra/down.sh >/dev/null || true
}
trap cleanup EXIT

# CI keeps only this script's output, and a reader may see only its last lines: on a failure, show
# what the broker and the services said, then one line per failed test.
RESULTS=.var/test-results
mkdir -p "$RESULTS" && rm -f "$RESULTS"/*.json
report_failure() {
  echo "test: failed; the broker's group coordinator, then the services' last warnings and errors (.var/log):"
  grep -E 'Preparing to rebalance|Stabilized group|has left group' .var/log/kafka.log 2>/dev/null | tail -n 15 | cut -c1-300 || true
  for name in gateway job-orchestrator render-adapter stitcher notifier; do
    echo "== $name"
    grep -E '"level":"(warn|error)"' ".var/log/$name.log" 2>/dev/null | grep -v ECONNREFUSED | tail -n 10 | cut -c1-400 || true
  done
  echo "test: the failed tests:"
  node scripts/test-failures.js "$RESULTS"/*.json
  return 1
}

bash scripts/services.sh start
export LOG_LEVEL="${LOG_LEVEL:-warn}"
# The specs' copy joins run the same ffmpeg and ffprobe as the stitcher's.
COPY_JOIN_TOOLS_DIR="${COPY_JOIN_TOOLS_DIR:-$(bash scripts/infra/copy-join-tools.sh --print-dir)}"
export COPY_JOIN_TOOLS_DIR
if [[ $# -gt 0 ]]; then npx jest --ci --forceExit --json --outputFile="$RESULTS/chosen.json" "$@" || report_failure; exit; fi
# Specs next to the code, two at a time; then the cross-service scenarios one after another,
# since some of them kill and restart the shared services on purpose.
npx jest --ci --forceExit --maxWorkers=2 --json --outputFile="$RESULTS/specs.json" apps libs test/infra test/support || report_failure
npx jest --ci --forceExit --runInBand --json --outputFile="$RESULTS/e2e.json" test/e2e || report_failure
