#!/usr/bin/env bash
# Local Apache Kafka broker for development and tests: one KRaft node acting as broker and controller,
# run natively with java from the jars Maven resolves for deploy/local/kafka/pom.xml.
#   scripts/infra/kafka.sh start|stop|status
# Bootstrap 127.0.0.1:9092 (PLAINTEXT), controller 127.0.0.1:9093 (KAFKA_PORT, KAFKA_CONTROLLER_PORT override).
# State in .var/kafka, log in .var/log/kafka.log.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VAR="$ROOT/.var"
STATE="$VAR/kafka"
LIBS="$STATE/libs"
LIBS_STAMP="$LIBS/.pom.sha256"
DATA="$STATE/data"
SERVER_CONFIG="$STATE/server.properties"
LOG_CONFIG="$STATE/log4j2.properties"
PIDFILE="$STATE/kafka.pid"
LOG_DIR="$VAR/log"
LOG="$LOG_DIR/kafka.log"
JVM_OUTPUT="$LOG_DIR/kafka.jvm.log"
# Written into the log at each start; the log spans runs.
START_MARKER="kafka.sh start"
POM="$ROOT/deploy/local/kafka/pom.xml"

HOST=127.0.0.1
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
JVM_OPTS=(-Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true)
READY_TIMEOUT_S=90
STOP_TIMEOUT_S=30

log() { echo "[kafka] $*" >&2; }

command -v kcat >/dev/null || { log "kcat is needed to check the broker; run scripts/infra/system-deps.sh"; exit 1; }

our_pid() {
  [[ -f "$PIDFILE" ]] || return 1
  local pid; pid="$(cat "$PIDFILE")"
  # The pid must still be our broker, not a recycled pid.
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && grep -q kafka.Kafka "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; }

# Ready means the broker answers a metadata request: its port is bound well before it serves requests.
is_ready() { port_open && kcat -b "$HOST:$PORT" -L -m 2 >/dev/null 2>&1; }

# Kafka's command-line tools, without our log config: they must not write into the broker's log.
kafka_tool() { java -cp "$LIBS/*" "$@"; }

# Resolve the broker jars once; again only when the pom changes.
resolve_libs() {
  local pom_sum; pom_sum="$(sha256sum "$POM" | cut -d' ' -f1)"
  [[ "$(cat "$LIBS_STAMP" 2>/dev/null)" == "$pom_sum" ]] && return 0
  log "resolving Kafka jars with Maven (deploy/local/kafka/pom.xml)"
  rm -rf "$LIBS" && mkdir -p "$LIBS"
  mvn -q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies -DoutputDirectory="$LIBS" >>"$JVM_OUTPUT" 2>&1 \
    || { log "Maven could not resolve the Kafka jars; see $JVM_OUTPUT"; exit 1; }
  echo "$pom_sum" >"$LIBS_STAMP"
}

write_configs() {
  cat >"$SERVER_CONFIG" <<EOF
process.roles=broker,controller
node.id=1
controller.listener.names=CONTROLLER
controller.quorum.bootstrap.servers=$HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$DATA
num.partitions=6
auto.create.topics.enable=false
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Single developer machine: consumers should not wait 3s for a rebalance to settle.
group.initial.rebalance.delay.ms=0
EOF

  cat >"$LOG_CONFIG" <<EOF
# Broker log goes to a file only, never to the terminal that ran the script; at most 3 x 50 MB.
status = warn
appender.file.type = RollingFile
appender.file.name = file
appender.file.fileName = $LOG
appender.file.filePattern = $LOG.%i
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
appender.file.policies.type = Policies
appender.file.policies.size.type = SizeBasedTriggeringPolicy
appender.file.policies.size.size = 50MB
appender.file.strategy.type = DefaultRolloverStrategy
appender.file.strategy.max = 2
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
# Per-request and internal-client chatter is only interesting when something is wrong.
logger.requests.name = kafka.request.logger
logger.requests.level = WARN
logger.clients.name = org.apache.kafka.clients
logger.clients.level = WARN
EOF
}

# KRaft storage must be formatted once with a cluster id; --standalone makes this node the sole voter.
format_storage_once() {
  [[ -f "$DATA/meta.properties" ]] && return 0
  local cluster_id; cluster_id="$(kafka_tool kafka.tools.StorageTool random-uuid)"
  log "formatting storage (cluster id $cluster_id)"
  kafka_tool kafka.tools.StorageTool format --standalone \
    --cluster-id "$cluster_id" --config "$SERVER_CONFIG" >>"$JVM_OUTPUT" 2>&1 \
    || { log "formatting storage failed; see $JVM_OUTPUT"; exit 1; }
}

start() {
  mkdir -p "$STATE" "$LOG_DIR"
  if our_pid >/dev/null && is_ready; then log "already running at $HOST:$PORT"; return 0; fi
  # Another start may still be bringing it up.
  if our_pid >/dev/null; then log "broker is starting; waiting"; wait_ready; return 0; fi
  if port_open; then log "port $PORT is taken by a process this script did not start"; exit 1; fi

  resolve_libs
  write_configs
  format_storage_once

  log "starting broker at $HOST:$PORT (log $LOG)"
  # Mark where this run's log begins, so a failed start shows its own errors.
  echo "$START_MARKER $(date -Is)" >>"$LOG"
  # setsid: the broker outlives the shell that started it.
  setsid java "${JVM_OPTS[@]}" -cp "$LIBS/*" -Dlog4j2.configurationFile="$LOG_CONFIG" \
    kafka.Kafka "$SERVER_CONFIG" >>"$JVM_OUTPUT" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  wait_ready
}

errors_of_last_start() {
  awk -v marker="$START_MARKER" '
    index($0, marker) == 1 { errors = "" }
    /^\[[^]]*\] (ERROR|FATAL)/ { errors = errors $0 "\n" }
    END { printf "%s", errors }' "$LOG"
}

wait_ready() {
  local started_at=$SECONDS deadline=$((SECONDS + READY_TIMEOUT_S))
  until is_ready; do
    if ! our_pid >/dev/null; then
      # The cause is in the first errors; the log's tail is only the shutdown that followed.
      log "broker exited during start; errors from $LOG (JVM output in $JVM_OUTPUT):"
      errors_of_last_start | head -n 5 >&2
      exit 1
    fi
    if ((SECONDS >= deadline)); then log "broker not ready after ${READY_TIMEOUT_S}s; see $LOG"; stop; exit 1; fi
    sleep 0.5
  done
  log "ready at $HOST:$PORT (pid $(cat "$PIDFILE"), $((SECONDS - started_at))s)"
}

# Gone for good, or a zombie whose port is free. A JVM's main thread turns zombie while the threads
# holding the sockets are still exiting, and its cmdline vanishes early too, hence the port check.
is_gone() {
  local state; state="$(ps -o stat= -p "$1")" || return 0
  [[ "$state" == Z* ]] && ! port_open
}

wait_for_exit() {
  local pid="$1" deadline="$2"
  until is_gone "$pid" || ((SECONDS >= deadline)); do sleep 0.2; done
}

stop() {
  local pid
  if ! pid="$(our_pid)"; then rm -f "$PIDFILE"; log "not running"; return 0; fi
  kill -TERM "$pid"
  local deadline=$((SECONDS + STOP_TIMEOUT_S))
  wait_for_exit "$pid" "$deadline"
  if ! is_gone "$pid"; then
    log "no exit ${STOP_TIMEOUT_S}s after SIGTERM; sending SIGKILL"
    kill -KILL "$pid"
    # Even SIGKILL takes a moment; the port stays bound until the process is gone.
    wait_for_exit "$pid" $((SECONDS + 10))
  fi
  rm -f "$PIDFILE"
  log "stopped"
}

status() {
  local pid
  if pid="$(our_pid)" && is_ready; then echo "kafka running pid=$pid bootstrap=$HOST:$PORT"; return 0; fi
  if pid="$(our_pid)"; then echo "kafka starting pid=$pid (not ready yet)"; return 1; fi
  if port_open; then echo "kafka: port $PORT answers but not a broker started by this script"; return 1; fi
  echo "kafka stopped"; return 3
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
