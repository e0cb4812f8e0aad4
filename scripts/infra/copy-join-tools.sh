#!/usr/bin/env bash
# Builds the copy join's own ffmpeg and ffprobe from Debian's source of the installed ffmpeg (same
# version, Debian's patches applied), configured with only what the copy join asks of them and linked
# statically: ffprobe reads an MP4 of H.264 and AAC to check the joined output; ffmpeg re-encodes
# the AAC around the joins (ADTS in and out; asplit, atrim, anullsrc, asetpts, concat). Debian's
# builds link ~215 shared libraries, and resolving their symbols costs ~60 ms of CPU at each start,
# one or two starts per copy join; these start in ~2 ms, read pipes alone and nothing but those
# formats (docs/architecture.md "The copy join's own ffmpeg"). Idempotent: a build of the same version is kept.
#   scripts/infra/copy-join-tools.sh             builds them when missing, then prints their folder
#   scripts/infra/copy-join-tools.sh --print-dir prints where they are (or would be), builds nothing
set -euo pipefail

TOOLS_DIR="${VRS_TOOLS_DIR:-/usr/local/lib/vrs}"
log() { echo "[copy-join-tools] $*" >&2; }

# The installed ffmpeg's version, else the one apt would install (an image's build stage).
ffmpeg_version() {
  local installed
  installed="$(dpkg-query -W -f='${db:Status-Status} ${Version}' ffmpeg 2>/dev/null || true)"
  [[ "$installed" == "installed "* ]] && { echo "${installed#installed }"; return; }
  apt-cache policy ffmpeg 2>/dev/null | awk '/Candidate:/ && $2 != "(none)" { print $2 }'
}
version="$(ffmpeg_version)"
if [[ -z "$version" && "${1:-}" != --print-dir && $EUID == 0 ]]; then apt-get update -qq >/dev/null 2>&1 || true; version="$(ffmpeg_version)"; fi
[[ -n "$version" ]] || { log "no ffmpeg package is installed or known to apt"; exit 1; }
DIR="$TOOLS_DIR/copy-join-ffmpeg-${version//:/_}"

if [[ "${1:-}" == --print-dir ]]; then echo "$DIR"; exit 0; fi
if [[ -x "$DIR/ffmpeg" && -x "$DIR/ffprobe" ]]; then echo "$DIR"; exit 0; fi
if ((EUID != 0)); then log "need root to build $DIR (or set VRS_TOOLS_DIR to a folder of yours)"; exit 1; fi

export DEBIAN_FRONTEND=noninteractive
quietly() { local output; if ! output="$("$@" 2>&1)"; then echo "$output" >&2; log "failed: $*"; exit 1; fi; }
needed=()
# nasm: the same assembly as Debian's build, so the AAC encoder writes the same bytes.
for package in gcc make nasm dpkg-dev xz-utils; do
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
log "building ffmpeg and ffprobe $version for the copy join from Debian's source; one to two minutes"
# apt-get source unpacks as root without the sandbox user; that warning is expected.
quietly apt-get source -qq "ffmpeg=$version"
cd ffmpeg-*/
quietly ./configure --disable-everything --disable-autodetect --disable-doc --disable-debug --disable-ffplay \
  --disable-avdevice --disable-swscale --disable-postproc --disable-network --enable-static --disable-shared \
  --extra-ldflags=-static --enable-protocol=pipe --enable-demuxer=mov,aac --enable-muxer=adts \
  --enable-parser=h264,aac --enable-decoder=h264,aac --enable-encoder=aac \
  --enable-filter=abuffer,abuffersink,asplit,atrim,anullsrc,asetpts,concat,aformat,aresample,anull
quietly make -j"$(nproc)" ffmpeg ffprobe
install -d "$DIR.tmp"
install -m 0755 ffmpeg ffprobe "$DIR.tmp/"
rm -rf "$DIR" && mv "$DIR.tmp" "$DIR"
log "built $DIR"
echo "$DIR"
