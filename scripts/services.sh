#!/usr/bin/env bash
# Starts, stops or reports the five services as background processes (logs in .var/log/<service>.log).
# `start` waits until every service answers GET /health with 200. Idempotent.
# `sample-media` serves the repository's sample clips on 127.0.0.1:8089 for the quick start and docs.
# `add-instance NAME PORT` runs one more instance of a service (same consumer group, own health port),
# as an operator scaling it would; `stop` stops those too.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="$ROOT/.var/run"
LOGS="$ROOT/.var/log"
mkdir -p "$RUN" "$LOGS"

# service:health-port
SERVICES=(job-orchestrator:3001 stitcher:3003 render-adapter:3002 notifier:3004 gateway:3000)

# The local deployment: loopback sources and receivers are allowed explicitly (never by default).
# The services' own log level, independent of LOG_LEVEL of whatever runs this script (the tests run quiet).
export LOG_LEVEL="${SERVICES_LOG_LEVEL:-info}"
export OUTBOUND_ALLOWLIST="${OUTBOUND_ALLOWLIST:-127.0.0.1/32,::1/128}"
export STORAGE_LOCAL_ROOT="${STORAGE_LOCAL_ROOT:-$ROOT/.var/outputs}"
export WORK_DIR_ROOT="${WORK_DIR_ROOT:-$ROOT/.var/work}"
# The copy join's own ffmpeg and ffprobe, built by scripts/infra/up.sh (docs/configuration.md).
COPY_JOIN_TOOLS_DIR="${COPY_JOIN_TOOLS_DIR:-$(bash "$ROOT/scripts/infra/copy-join-tools.sh" --print-dir)}"
export COPY_JOIN_TOOLS_DIR
# The local nexrender farm (templates with driver "nexrender"): the render e2e test runs one on this address.
export NEXRENDER_URL="${NEXRENDER_URL:-http://127.0.0.1:3050}"
export NEXRENDER_SECRET="${NEXRENDER_SECRET:-local-nexrender-secret}"
export NEXRENDER_SHARED_DIR="${NEXRENDER_SHARED_DIR:-$ROOT/.var/nexrender-shared}"
if [[ -z "${ADMIN_TOKEN:-}" ]]; then
  [[ -f "$ROOT/.var/admin-token" ]] || (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$ROOT/.var/admin-token")
  ADMIN_TOKEN="$(cat "$ROOT/.var/admin-token")"
fi
export ADMIN_TOKEN

# Everything behind the request path (the orchestrator working off accepted jobs, stitches, renders and
# their ffmpeg, webhooks) runs at a lower CPU priority than the gateway: sharing its cores, they take
# what it leaves, so accepting a job stays fast while a backlog is worked off. WORKER_NICENESS=0 runs
# them like the gateway.
WORKER_NICENESS="${WORKER_NICENESS:-10}"
niceness_of() { case "$1" in stitcher | render-adapter | job-orchestrator | notifier) echo "$WORKER_NICENESS" ;; *) echo 0 ;; esac; }

pid_of() { cat "$RUN/$1.pid" 2>/dev/null || true; }
running() { local pid; pid="$(pid_of "$1")"; [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; }

# An instance is named after its service (the first one) or service@port (added ones).
start_one() {
  local name="$1" port="$2" instance="${3:-$1}"
  if running "$instance"; then return; fi
  # Under scripts/supervise.sh, which starts the instance again when it asks to (exit 75) and keeps
  # the pid file on the running node process (the one `stop` and the tests signal).
  rm -f "$RUN/$instance.pid"
  WORK_DIR="$WORK_DIR_ROOT/$name" HEALTH_PORT="$port" \
    nohup nice -n "$(niceness_of "$name")" bash "$ROOT/scripts/supervise.sh" "$RUN/$instance.pid" \
    node -r "$ROOT/scripts/runtime/register-aliases.js" "$ROOT/dist/apps/$name/src/main.js" >>"$LOGS/$instance.log" 2>&1 &
  for _ in $(seq 50); do [[ -s "$RUN/$instance.pid" ]] && break; sleep 0.1; done
}

wait_healthy() {
  local instance="$1" port="$2" deadline=$((SECONDS + 90))
  until curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; do
    if ! running "$instance"; then echo "services: $instance exited; last log lines:" >&2; tail -n 20 "$LOGS/$instance.log" >&2; return 1; fi
    if (( SECONDS > deadline )); then echo "services: $instance not healthy after 90 s" >&2; tail -n 20 "$LOGS/$instance.log" >&2; return 1; fi
    sleep 0.5
  done
}

instances() { for file in "$RUN"/*.pid; do [[ -e "$file" ]] && basename "$file" .pid; done; }

case "${1:-}" in
  start)
    # Topics and databases first: a consumer subscribing to a missing topic would fail to start.
    node -r "$ROOT/scripts/runtime/register-aliases.js" "$ROOT/dist/scripts/create-infra-objects.js" >/dev/null
    for entry in "${SERVICES[@]}"; do start_one "${entry%%:*}" "${entry##*:}"; done
    for entry in "${SERVICES[@]}"; do wait_healthy "${entry%%:*}" "${entry##*:}"; done
    echo "services: all healthy (gateway on http://127.0.0.1:3000)"
    ;;
  add-instance)
    name="${2:?usage: $0 add-instance NAME PORT}"; port="${3:?usage: $0 add-instance NAME PORT}"
    [[ -f "$ROOT/dist/apps/$name/src/main.js" ]] || { echo "services: no service named $name" >&2; exit 2; }
    start_one "$name" "$port" "$name@$port"
    wait_healthy "$name@$port" "$port"
    echo "services: $name@$port healthy"
    ;;
  stop)
    for instance in $(instances); do
      if running "$instance"; then kill -TERM "$(pid_of "$instance")" 2>/dev/null || true; fi
    done
    for instance in $(instances); do
      for _ in $(seq 1 60); do running "$instance" || break; sleep 0.5; done
      if running "$instance"; then kill -KILL "$(pid_of "$instance")" 2>/dev/null || true; fi
      rm -f "$RUN/$instance.pid"
    done
    echo "services: stopped"
    ;;
  sample-media)
    # The sample clips over HTTP for the quick start and the documented examples (stopped by `stop`).
    port="${SAMPLE_MEDIA_PORT:-8089}"
    if ! running sample-media; then
      nohup node -r "$ROOT/scripts/runtime/register-aliases.js" "$ROOT/dist/scripts/sample-media-server.js" >>"$LOGS/sample-media.log" 2>&1 &
      echo $! > "$RUN/sample-media.pid"
    fi
    for _ in $(seq 1 40); do curl -fsS -o /dev/null "http://127.0.0.1:$port/video.mp4" && break; sleep 0.25; done
    curl -fsS -o /dev/null "http://127.0.0.1:$port/video.mp4" || { echo "services: the sample media server did not start" >&2; tail -n 5 "$LOGS/sample-media.log" >&2; exit 1; }
    echo "services: sample clips on http://127.0.0.1:$port/"
    ;;
  status)
    for entry in "${SERVICES[@]}"; do
      name="${entry%%:*}"; port="${entry##*:}"
      if running "$name"; then echo "$name: running (pid $(pid_of "$name")), health: $(curl -s "http://127.0.0.1:$port/health" || echo unreachable)"; else echo "$name: stopped"; fi
    done
    ;;
  *) echo "usage: $0 start|stop|status|sample-media|add-instance NAME PORT" >&2; exit 2 ;;
esac
