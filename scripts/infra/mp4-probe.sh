#!/usr/bin/env bash
# Builds the copy join's output checker: ffprobe from Debian's own source of the installed ffmpeg
# (same version, Debian's patches applied), configured with only what reading an MP4 of H.264 and AAC
# from a pipe takes (mov demuxer, h264/aac parsers and decoders, the pipe protocol), linked statically.
# Debian's ffprobe links ~215 shared libraries and resolving their symbols costs ~60 ms of CPU at each
# start, once per copy join; this one starts in ~2 ms and reads nothing but that one format
# (docs/architecture.md "The output checker"). Idempotent: a build of the same version is kept.
#   scripts/infra/mp4-probe.sh              builds it when missing, then prints its path
#   scripts/infra/mp4-probe.sh --print-path prints where it is (or would be), builds nothing
set -euo pipefail

TOOLS_DIR="${VRS_TOOLS_DIR:-/usr/local/lib/vrs}"
log() { echo "[mp4-probe] $*" >&2; }

# The installed ffmpeg's version, else the one apt would install (an image's build stage).
ffmpeg_version() {
  local installed
  installed="$(dpkg-query -W -f='${db:Status-Status} ${Version}' ffmpeg 2>/dev/null || true)"
  [[ "$installed" == "installed "* ]] && { echo "${installed#installed }"; return; }
  apt-cache policy ffmpeg 2>/dev/null | awk '/Candidate:/ && $2 != "(none)" { print $2 }'
}
version="$(ffmpeg_version)"
if [[ -z "$version" && "${1:-}" != --print-path && $EUID == 0 ]]; then apt-get update -qq >/dev/null 2>&1 || true; version="$(ffmpeg_version)"; fi
[[ -n "$version" ]] || { log "no ffmpeg package is installed or known to apt"; exit 1; }
BIN="$TOOLS_DIR/ffprobe-mp4-${version//:/_}/ffprobe"

if [[ "${1:-}" == --print-path ]]; then echo "$BIN"; exit 0; fi
if [[ -x "$BIN" ]]; then echo "$BIN"; exit 0; fi
if ((EUID != 0)); then log "need root to build $BIN (or set VRS_TOOLS_DIR to a folder of yours)"; exit 1; fi

export DEBIAN_FRONTEND=noninteractive
quietly() { local output; if ! output="$("$@" 2>&1)"; then echo "$output" >&2; log "failed: $*"; exit 1; fi; }
needed=()
for package in gcc make dpkg-dev xz-utils; do
  [[ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" == "install ok installed" ]] || needed+=("$package")
done
# Debian's source packages: their index is signed like the binary ones, so apt checks what it fetches.
if ! grep -rqs '^\(deb-src\|Types:.*deb-src\)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  codename="$(. /etc/os-release && echo "$VERSION_CODENAME")"
  log "adding Debian's source index for $codename"
  cat >/etc/apt/sources.list.d/vrs-debian-src.sources <<EOF
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $codename $codename-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: $codename-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
fi
quietly apt-get update -qq
((${#needed[@]} == 0)) || quietly apt-get install -y -qq --no-install-recommends "${needed[@]}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
log "building ffprobe $version for MP4 (H.264 + AAC) from Debian's source; about a minute"
# apt-get source unpacks as root without the sandbox user; that warning is expected.
quietly apt-get source -qq "ffmpeg=$version"
cd ffmpeg-*/
quietly ./configure --disable-everything --disable-autodetect --disable-doc --disable-debug \
  --disable-ffmpeg --disable-ffplay --enable-ffprobe --disable-avdevice --disable-avfilter --disable-swscale \
  --disable-postproc --disable-network --disable-x86asm --enable-static --disable-shared --extra-ldflags=-static \
  --enable-protocol=pipe --enable-demuxer=mov --enable-parser=h264,aac --enable-decoder=h264,aac
quietly make -j"$(nproc)" ffprobe
install -d "$(dirname "$BIN")"
install -m 0755 ffprobe "$BIN.tmp" && mv "$BIN.tmp" "$BIN"
log "built $BIN"
echo "$BIN"
