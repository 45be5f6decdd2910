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
# Run: containers-common's seccomp profile (podman's, `--security-opt seccomp=containers-common`;
# docker's own profile, the default, is installed below), decompressors for import, busybox-static
# (base image), runc (the alternative runtime), tmux, podman, skopeo and umoci (tests: interop of
# save/load; peers in bench/), zsh (tests: `ctui completion zsh` in a real shell).
PKGS="build-essential pkg-config musl-tools libjansson-dev libseccomp-dev golang-github-containers-common xz-utils bzip2 zstd
      busybox-static runc tmux hyperfine podman skopeo umoci file zsh"
missing=""
for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
# docker's default seccomp profile, every container's default: moby's profiles/seccomp/default.json,
# one file of Debian's golang-github-docker-docker-dev. Installing that package would pull dozens of
# Go source packages, so the .deb is downloaded and only the profile extracted. (A host that has the
# whole package installed already has it; ctui reads it there too.)
DOCKER_SECCOMP=/usr/local/share/ctui/seccomp/docker-default.json
DEB_SECCOMP=usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json
if [ ! -s "$DOCKER_SECCOMP" ]; then
  tmp=$(mktemp -d)
  chmod 755 "$tmp"
  if [ -s "/$DEB_SECCOMP" ]; then
    cp "/$DEB_SECCOMP" "$tmp/default.json"
  else
    (cd "$tmp" && { apt-get download -qq golang-github-docker-docker-dev 2>/dev/null ||
      { apt-get update -qq && apt-get download -qq golang-github-docker-docker-dev; }; }) >/dev/null
    dpkg-deb --fsys-tarfile "$tmp"/golang-github-docker-docker-dev_*.deb | tar -xO "./$DEB_SECCOMP" > "$tmp/default.json"
  fi
  # The profile is data ctui trusts for every container: check it is docker's before installing it.
  node -e '
    const p = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const allowed = new Set(p.syscalls.filter((s) => s.action === "SCMP_ACT_ALLOW" && !(s.includes && s.includes.caps)).flatMap((s) => s.names));
    if (p.defaultAction !== "SCMP_ACT_ERRNO" || !allowed.has("read") || allowed.has("keyctl") || allowed.has("unshare")) {
      console.error("setup: " + process.argv[1] + " is not docker'"'"'s seccomp profile"); process.exit(1);
    }' "$tmp/default.json"
  install -D -m 0644 "$tmp/default.json" "$DOCKER_SECCOMP.tmp"
  mv -f "$DOCKER_SECCOMP.tmp" "$DOCKER_SECCOMP"
  rm -rf "$tmp"
fi
npm ci --no-audit --no-fund
npm link >/dev/null 2>&1 || ln -sf "$PWD/build/ctui" /usr/local/bin/ctui
# Tab completion for new shells (the scripts ask `ctui __complete`, so they never go stale).
if [ -d /etc/bash_completion.d ]; then ctui completion bash > /etc/bash_completion.d/ctui; fi
if [ -d /usr/share/zsh/vendor-completions ]; then ctui completion zsh > /usr/share/zsh/vendor-completions/_ctui; fi
if ! ctui image inspect busybox >/dev/null 2>&1; then
  sh scripts/busybox-rootfs.sh /tmp/ctui-busybox.tar
  ctui import /tmp/ctui-busybox.tar busybox >/dev/null
  rm -f /tmp/ctui-busybox.tar
fi
echo "ctui $(ctui --version | cut -d' ' -f3) is ready: try 'ctui run --rm busybox echo hello'"
case "${1:-}" in --no-start) exit 0 ;; esac
if [ -t 0 ] && [ -t 1 ]; then exec ctui; fi
