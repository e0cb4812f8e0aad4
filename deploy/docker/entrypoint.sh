#!/bin/sh
# Runs one platform process: a service name (gateway, job-orchestrator, render-adapter, stitcher,
# notifier) or `init` (creates databases and topics), taken from the first argument or env SERVICE.
# Any other command is executed as given (e.g. `sh` for debugging).
set -eu

run() {
  # Recorded so the HEALTHCHECK knows the service when it was given as an argument, not via env.
  echo "$1" > /tmp/vrs-service 2>/dev/null || true
  shift
  exec node --enable-source-maps -r /app/scripts/runtime/register-aliases.js "$@"
}

target="${1:-${SERVICE:-}}"
case "$target" in
  gateway|job-orchestrator|render-adapter|stitcher|notifier)
    run "$target" "/app/dist/apps/$target/src/main.js" ;;
  init|create-infra-objects)
    run init /app/dist/scripts/create-infra-objects.js ;;
  "")
    echo "entrypoint: set SERVICE to gateway|job-orchestrator|render-adapter|stitcher|notifier|init" >&2
    exit 64 ;;
  *)
    exec "$@" ;;
esac
