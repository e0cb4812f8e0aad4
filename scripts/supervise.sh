#!/usr/bin/env bash
# Runs one service instance (the command after PIDFILE) and starts it again when it exits with 75
# (EX_TEMPFAIL): a service ends so when it cannot recover in-process, e.g. a Kafka consumer that
# kafkajs will not restart. Any other end (a stop, a crash, a SIGKILL) ends this too: those are for
# whoever stopped it. PIDFILE always holds the running instance's pid (what `services.sh stop` and
# the tests signal).
set -u
pidfile="${1:?usage: supervise.sh PIDFILE COMMAND...}"
shift
while :; do
  "$@" &
  child=$!
  echo "$child" >"$pidfile"
  wait "$child"
  code=$?
  [[ $code -eq 75 ]] || exit "$code"
  echo "{\"time\":\"$(date -u +%Y-%m-%dT%H:%M:%S.000Z)\",\"level\":\"warn\",\"service\":\"supervise\",\"msg\":\"the instance asked for a fresh start (exit 75); starting it again\",\"pid\":$child}"
  sleep 1
done
