#!/usr/bin/env bash
# Debian packages the platform needs on the machine: ffmpeg/ffprobe for rendering, kcat (kafka.sh's
# readiness check, and handy for poking at topics), a font for drawtext, curl and jq for the scripts
# and the documented examples, openssl (the keys of kafka.sh's SASL_SSL listener), prometheus (its
# binary and promtool check the alert rules and scrape the services in the metrics tests), Chromium for
# the dashboard's browser test (test/e2e/dashboard.e2e.ts drives /usr/bin/chromium; nothing downloads a
# browser), Java + Maven for the broker and S3 server, and kubectl, whose built-in kustomize renders
# deploy/k8s in test/infra/k8s-manifests.integration.spec.ts (each of the last three only when none exists).
# Installs only what is missing; silent when everything is there.
#   scripts/infra/system-deps.sh
set -euo pipefail

PACKAGES=(ffmpeg kcat fonts-dejavu-core curl jq openssl prometheus chromium)

log() { echo "[system-deps] $*" >&2; }

is_installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]; }

missing=()
for package in "${PACKAGES[@]}"; do is_installed "$package" || missing+=("$package"); done
# Any java/mvn on the PATH will do, e.g. a JDK not installed through apt.
command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || missing+=(maven)
# Any kubectl will do; Debian's is kubernetes-client. The manifests use Kustomize components, so it
# must embed kustomize v3.7 or later (kubectl 1.21+).
command -v kubectl >/dev/null || missing+=(kubernetes-client)

((${#missing[@]} == 0)) && exit 0

if ((EUID != 0)); then log "need root to install: ${missing[*]}"; exit 1; fi
log "installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# apt is chatty even with -qq; its output only matters when it fails.
if ! apt_output="$( { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } 2>&1)"; then
  echo "$apt_output" >&2
  log "installing failed"
  exit 1
fi
log "installed ${missing[*]}"
