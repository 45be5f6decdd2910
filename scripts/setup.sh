#!/bin/sh
# One command from a fresh Debian 12 machine (as root) to a working ctui:
#   sh scripts/setup.sh
# installs the Debian packages ctui needs, builds it (npm ci builds the native helper and the
# TypeScript bundle), puts `ctui` on the PATH, makes the busybox test image and opens ctui.
# With --no-start (or without a terminal) it stops before opening the TUI.
set -eu
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then echo "setup: run as root (ctui creates namespaces, mounts and cgroups)" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
# Build: C compiler, musl (the monitor is a tiny static binary: ~0.1 MiB PSS per container),
# libjansson (config.json), libseccomp (docker's profile), make.
# Run: docker's seccomp profile (golang-github-containers-common), decompressors for import,
# busybox-static (base image), runc (the alternative runtime), tmux, podman, skopeo and umoci
# (tests: interop of save/load; peers in bench/).
PKGS="build-essential pkg-config musl-tools libjansson-dev libseccomp-dev golang-github-containers-common xz-utils bzip2 zstd
      busybox-static runc tmux hyperfine podman skopeo umoci file"
missing=""
for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
npm ci --no-audit --no-fund
npm link >/dev/null 2>&1 || ln -sf "$PWD/bin/ctui.js" /usr/local/bin/ctui
if ! ctui image inspect busybox >/dev/null 2>&1; then
  sh scripts/busybox-rootfs.sh /tmp/ctui-busybox.tar
  ctui import /tmp/ctui-busybox.tar busybox >/dev/null
  rm -f /tmp/ctui-busybox.tar
fi
echo "ctui $(ctui --version | cut -d' ' -f3) is ready: try 'ctui run --rm busybox echo hello'"
case "${1:-}" in --no-start) exit 0 ;; esac
if [ -t 0 ] && [ -t 1 ]; then exec ctui; fi
