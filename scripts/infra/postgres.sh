#!/usr/bin/env bash
# The machine's own PostgreSQL (127.0.0.1:5432, trust auth): makes sure it runs and that every service
# has its database, plus a _test twin for the test suite. There is no stop: the server is not ours.
#   scripts/infra/postgres.sh start|status
set -euo pipefail

HOST=127.0.0.1
PORT=5432
SUPERUSER=postgres
SERVICES=(gateway orchestrator render stitcher notifier)
READY_TIMEOUT_S=30

log() { echo "[postgres] $*" >&2; }

is_ready() { pg_isready -q -h "$HOST" -p "$PORT"; }

psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$PORT" -U "$SUPERUSER" -d postgres "$@"; }

databases() { printf 'vrs_%s\n' "${SERVICES[@]}" "${SERVICES[@]/%/_test}"; }

missing_databases() {
  local existing; existing="$(psql_admin -tAc 'SELECT datname FROM pg_database')"
  databases | grep -vxF -f <(echo "$existing") || true
}

start_server() {
  local version; version="$(ls /etc/postgresql | sort -V | tail -n1)"
  log "starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  local deadline=$((SECONDS + READY_TIMEOUT_S))
  until is_ready; do
    if ((SECONDS >= deadline)); then log "not accepting connections after ${READY_TIMEOUT_S}s"; exit 1; fi
    sleep 0.5
  done
}

start() {
  is_ready || start_server
  local database
  for database in $(missing_databases); do
    psql_admin -c "CREATE DATABASE $database"
    log "created database $database"
  done
  log "ready at $HOST:$PORT"
}

status() {
  if ! is_ready; then echo "postgres stopped"; return 3; fi
  local missing; missing="$(missing_databases | paste -sd " ")"
  if [[ -n "$missing" ]]; then echo "postgres running at $HOST:$PORT; missing databases: $missing"; return 1; fi
  echo "postgres running at $HOST:$PORT with all $(databases | wc -l) databases"
}

case "${1:-}" in
  start) start ;;
  status) status ;;
  *) echo "usage: $0 start|status" >&2; exit 2 ;;
esac
