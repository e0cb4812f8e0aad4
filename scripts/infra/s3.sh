#!/usr/bin/env bash
# Local S3-compatible server for development and tests: S3Proxy (one jar from Maven Central, pinned in
# deploy/local/s3/pom.xml) run natively with java, filesystem blobstore, AWS v2/v4 signatures.
#   scripts/infra/s3.sh start|stop|status
# Endpoint http://127.0.0.1:9000, access key vrs-local, secret vrs-local-secret, bucket vrs-outputs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VAR="$ROOT/.var"
STATE="$VAR/s3"
DATA="$STATE/data"
LIB="$STATE/lib"
CONF="$STATE/s3proxy.conf"
PIDFILE="$STATE/s3proxy.pid"
LOG="$VAR/log/s3.log"
POM="$ROOT/deploy/local/s3/pom.xml"

HOST=127.0.0.1
PORT="${S3_PORT:-9000}"
ENDPOINT="http://$HOST:$PORT"
ACCESS_KEY="${S3_ACCESS_KEY_ID:-vrs-local}"
SECRET_KEY="${S3_SECRET_ACCESS_KEY:-vrs-local-secret}"
REGION="${S3_REGION:-us-east-1}"
BUCKET="${S3_BUCKET:-vrs-outputs}"
READY_TIMEOUT_S=60
STOP_TIMEOUT_S=10
# sha256 of an empty body: S3Proxy insists on x-amz-content-sha256 and curl does not send it.
EMPTY_SHA256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855

log() { echo "[s3] $*" >&2; }

# A SigV4-signed request with an empty body; prints the HTTP status code (000 when nothing answers).
s3_call() {
  local method="$1" path="$2"
  curl -s -o /dev/null -w '%{http_code}' --max-time 5 -X "$method" \
    --aws-sigv4 "aws:amz:$REGION:s3" --user "$ACCESS_KEY:$SECRET_KEY" \
    -H "x-amz-content-sha256: $EMPTY_SHA256" "$ENDPOINT$path" || true
}

# Ready means a signed ListBuckets succeeds, i.e. the server answers and accepts our credentials.
is_ready() { [[ "$(s3_call GET /)" == 200 ]]; }

our_pid() {
  [[ -f "$PIDFILE" ]] || return 1
  local pid; pid="$(cat "$PIDFILE")"
  # The pid must still be our java process, not a recycled pid.
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && grep -q s3proxy "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}

jar_path() { ls "$LIB"/s3proxy-*-jar-with-dependencies.jar 2>/dev/null | head -n1; }

fetch_jar() {
  [[ -n "$(jar_path)" ]] && return 0
  log "fetching S3Proxy from Maven Central"
  mkdir -p "$LIB"
  mvn -q -f "$POM" dependency:copy-dependencies -DoutputDirectory="$LIB" >>"$LOG" 2>&1 \
    || { log "could not fetch S3Proxy with Maven; see $LOG"; exit 1; }
}

write_config() {
  cat >"$CONF" <<EOF
s3proxy.endpoint=$ENDPOINT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$ACCESS_KEY
s3proxy.credential=$SECRET_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$DATA
EOF
  chmod 600 "$CONF"
}

ensure_bucket() {
  local code; code="$(s3_call HEAD "/$BUCKET")"
  [[ "$code" == 200 ]] && return 0
  code="$(s3_call PUT "/$BUCKET")"
  [[ "$code" == 200 ]] || { log "could not create bucket $BUCKET (HTTP $code)"; exit 1; }
  log "created bucket $BUCKET"
}

start() {
  mkdir -p "$DATA" "$(dirname "$LOG")"
  if our_pid >/dev/null && is_ready; then ensure_bucket; log "already running at $ENDPOINT"; return 0; fi
  if is_ready; then ensure_bucket; log "an S3 server with our credentials already answers at $ENDPOINT"; return 0; fi
  if [[ "$(s3_call GET /)" != 000 ]]; then log "port $PORT is taken by something that rejects our credentials"; exit 1; fi

  fetch_jar
  write_config
  log "starting S3Proxy at $ENDPOINT (log $LOG)"
  # setsid: the server outlives the shell that started it.
  setsid java -Xmx256m -jar "$(jar_path)" --properties "$CONF" >>"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"

  local deadline=$((SECONDS + READY_TIMEOUT_S))
  until is_ready; do
    if ! our_pid >/dev/null; then log "S3Proxy exited during start; last log lines:"; tail -n 20 "$LOG" >&2; exit 1; fi
    if ((SECONDS >= deadline)); then log "S3Proxy not ready after ${READY_TIMEOUT_S}s; see $LOG"; stop; exit 1; fi
    sleep 0.5
  done
  ensure_bucket
  log "ready at $ENDPOINT (pid $(cat "$PIDFILE"))"
}

stop() {
  local pid
  if ! pid="$(our_pid)"; then rm -f "$PIDFILE"; log "not running"; return 0; fi
  kill -TERM "$pid"
  local deadline=$((SECONDS + STOP_TIMEOUT_S))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then log "no exit after SIGTERM; sending SIGKILL"; kill -KILL "$pid"; fi
  rm -f "$PIDFILE"
  log "stopped"
}

status() {
  local pid
  if pid="$(our_pid)" && is_ready; then echo "s3 running pid=$pid endpoint=$ENDPOINT bucket=$BUCKET"; return 0; fi
  if is_ready; then echo "s3 answering at $ENDPOINT (not started by this script)"; return 0; fi
  echo "s3 stopped"; return 3
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
