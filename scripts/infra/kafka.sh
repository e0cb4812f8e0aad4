#!/usr/bin/env bash
# Local Apache Kafka broker for development and tests: one KRaft node acting as broker and controller,
# run natively with java from the jars Maven resolves for deploy/local/kafka/pom.xml.
#   scripts/infra/kafka.sh start|stop|status
# Bootstrap 127.0.0.1:9092 (PLAINTEXT), controller 127.0.0.1:9093 (KAFKA_PORT, KAFKA_CONTROLLER_PORT override).
# State in .var/kafka, log in .var/log/kafka.log. KAFKA_STATE_DIR runs another broker with its own
# state (and its log in it), e.g. a throwaway one on other ports; the jars are shared.
#
# KAFKA_SASL_SSL_PORT=9094 adds a SASL_SSL listener on 127.0.0.1, as managed clusters have: TLS with
# a local CA (made with openssl on first use, in $STATE/tls), SASL mechanisms PLAIN, SCRAM-SHA-256 and
# SCRAM-SHA-512 for user `vrs` (SCRAM credentials added by `kafka-storage format --add-scram` on a
# new data dir, by kafka-configs otherwise), and client certificates checked against the CA when a
# client shows one (mutual TLS). $STATE/tls/client.env holds the services' settings for it:
#   set -a; . .var/kafka/tls/client.env; set +a   # KAFKA_BROKERS, KAFKA_SSL*, KAFKA_SASL*
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VAR="$ROOT/.var"
STATE="${KAFKA_STATE_DIR:-$VAR/kafka}"
LIBS="$VAR/kafka/libs"
LIBS_STAMP="$LIBS/.pom.sha256"
DATA="$STATE/data"
SERVER_CONFIG="$STATE/server.properties"
LOG_CONFIG="$STATE/log4j2.properties"
PIDFILE="$STATE/kafka.pid"
if [[ -n "${KAFKA_STATE_DIR:-}" ]]; then LOG_DIR="$STATE/log"; else LOG_DIR="$VAR/log"; fi
TLS="$STATE/tls"
SASL_SSL_PORT="${KAFKA_SASL_SSL_PORT:-}"
SASL_USER=vrs
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

# The secret kept in one local file, made once (hex: safe in JAAS and in SCRAM's [..] syntax).
secret_in() { [[ -s "$1" ]] || (umask 077; openssl rand -hex 24 >"$1"); cat "$1"; }

# A CA, the broker's certificate (for 127.0.0.1 and localhost) in a PKCS12 keystore, and a client
# certificate for mutual TLS; made once per state dir, with openssl.
make_tls_once() {
  [[ -s "$TLS/broker.p12" && -s "$TLS/client.env" ]] && return 0
  command -v openssl >/dev/null || { log "openssl is needed for the SASL_SSL listener"; exit 1; }
  log "making a local CA and the broker's TLS keys in $TLS"
  rm -rf "$TLS" && mkdir -p "$TLS" && chmod 700 "$TLS"
  local store_pass; store_pass="$(secret_in "$TLS/keystore.password")"
  (
    cd "$TLS"
    openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=vrs local Kafka CA" -keyout ca.key -out ca.pem
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout broker.key -out broker.csr
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >broker.ext
    openssl x509 -req -in broker.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 -extfile broker.ext -out broker.pem
    openssl pkcs12 -export -name broker -in broker.pem -inkey broker.key -certfile ca.pem -passout "pass:$store_pass" -out broker.p12
    openssl req -newkey rsa:2048 -nodes -subj "/CN=$SASL_USER" -keyout client.key -out client.csr
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 -extfile client.ext -out client.pem
    rm -f ./*.csr ./*.ext
  ) >>"$JVM_OUTPUT" 2>&1 || { log "making the TLS keys failed; see $JVM_OUTPUT"; exit 1; }
  local password; password="$(secret_in "$TLS/sasl.password")"
  (umask 077; printf '%s\n' "KAFKA_BROKERS=$HOST:$SASL_SSL_PORT" KAFKA_SSL=true "KAFKA_SSL_CA_FILE=$TLS/ca.pem" \
    KAFKA_SASL_MECHANISM=SCRAM-SHA-512 "KAFKA_SASL_USERNAME=$SASL_USER" "KAFKA_SASL_PASSWORD=$password" >"$TLS/client.env")
}

# Listener settings of the SASL_SSL listener (nothing without KAFKA_SASL_SSL_PORT).
sasl_ssl_settings() {
  [[ -n "$SASL_SSL_PORT" ]] || return 0
  local prefix=listener.name.sasl_ssl
  printf '%s\n' \
    "sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512" \
    "$prefix.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$SASL_USER=\"$(cat "$TLS/sasl.password")\";" \
    "$prefix.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;" \
    "$prefix.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;" \
    "$prefix.ssl.keystore.type=PKCS12" \
    "$prefix.ssl.keystore.location=$TLS/broker.p12" \
    "$prefix.ssl.keystore.password=$(cat "$TLS/keystore.password")" \
    "$prefix.ssl.truststore.type=PEM" \
    "$prefix.ssl.truststore.location=$TLS/ca.pem" \
    "$prefix.ssl.client.auth=requested"
}

# On a data dir formatted earlier the SCRAM user is added (or its password reset) through the broker.
# One mechanism per call: the broker refuses two changes of one user's credentials in one request.
add_scram_user() {
  local password mechanism; password="$(cat "$TLS/sasl.password")"
  for mechanism in SCRAM-SHA-256 SCRAM-SHA-512; do
    kafka_tool kafka.admin.ConfigCommand --bootstrap-server "$HOST:$PORT" --alter --entity-type users --entity-name "$SASL_USER" \
      --add-config "$mechanism=[password=$password]" >>"$JVM_OUTPUT" 2>&1 \
      || { log "adding the SCRAM user failed; see $JVM_OUTPUT"; exit 1; }
  done
}

write_configs() {
  local listeners="PLAINTEXT://$HOST:$PORT" protocols="PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
  if [[ -n "$SASL_SSL_PORT" ]]; then listeners+=",SASL_SSL://$HOST:$SASL_SSL_PORT"; protocols+=",SASL_SSL:SASL_SSL"; fi
  cat >"$SERVER_CONFIG" <<EOF
process.roles=broker,controller
node.id=1
controller.listener.names=CONTROLLER
controller.quorum.bootstrap.servers=$HOST:$CONTROLLER_PORT
listeners=$listeners,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=$listeners
listener.security.protocol.map=$protocols
inter.broker.listener.name=PLAINTEXT
$(sasl_ssl_settings)
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
  local scram=()
  if [[ -n "$SASL_SSL_PORT" ]]; then
    local password; password="$(cat "$TLS/sasl.password")"
    scram=(--add-scram "SCRAM-SHA-256=[name=$SASL_USER,password=$password]" --add-scram "SCRAM-SHA-512=[name=$SASL_USER,password=$password]")
  fi
  kafka_tool kafka.tools.StorageTool format --standalone "${scram[@]}" \
    --cluster-id "$cluster_id" --config "$SERVER_CONFIG" >>"$JVM_OUTPUT" 2>&1 \
    || { log "formatting storage failed; see $JVM_OUTPUT"; exit 1; }
  # A new cluster starts its offsets at 0: prepare.sh starts the local databases over to match (their
  # jobs, inboxes and outboxes belong to the old cluster's records). Removed once that is done.
  touch "$VAR/kafka-cluster-is-new"
}

start() {
  mkdir -p "$STATE" "$LOG_DIR"
  if our_pid >/dev/null && is_ready; then log "already running at $HOST:$PORT"; return 0; fi
  # Another start may still be bringing it up.
  if our_pid >/dev/null; then log "broker is starting; waiting"; wait_ready; return 0; fi
  if port_open; then log "port $PORT is taken by a process this script did not start"; exit 1; fi

  resolve_libs
  [[ -z "$SASL_SSL_PORT" ]] || make_tls_once
  write_configs
  local had_storage=false
  [[ -f "$DATA/meta.properties" ]] && had_storage=true
  format_storage_once

  log "starting broker at $HOST:$PORT (log $LOG)"
  # Mark where this run's log begins, so a failed start shows its own errors.
  echo "$START_MARKER $(date -Is)" >>"$LOG"
  # setsid: the broker outlives the shell that started it.
  setsid java "${JVM_OPTS[@]}" -cp "$LIBS/*" -Dlog4j2.configurationFile="$LOG_CONFIG" \
    kafka.Kafka "$SERVER_CONFIG" >>"$JVM_OUTPUT" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  wait_ready
  if [[ -n "$SASL_SSL_PORT" ]]; then
    [[ "$had_storage" == false ]] || add_scram_user
    log "SASL_SSL listener at $HOST:$SASL_SSL_PORT; client settings in $TLS/client.env"
  fi
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
    # kill -0, not our_pid: until the started process has exec'd java, its command line is still this shell's.
    if ! kill -0 "$(cat "$PIDFILE" 2>/dev/null)" 2>/dev/null; then
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
