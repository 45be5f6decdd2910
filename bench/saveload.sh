#!/bin/bash
# save / load of a 100 MB image in 1,000 files (random data), side by side with podman 4.3 (its own
# store, overlay driver) in one run. Each tool loads the archive it saved itself; before every load
# run the image is removed (so both pay for deleting and re-creating 1,000 files).
# Usage: bash bench/saveload.sh [runs] [dir]   (root; dir holds both stores: a disk dir by default,
# /dev/shm for a run without the disk's noise; writes bench/results/saveload*.md)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-10}
BASE=${2:-/tmp}
OUT=bench/results
mkdir -p "$OUT"
WORK=$(mktemp -d "$BASE/ctui-bench-sl-XXXXXX")
cleanup() {
  awk -v w="$WORK" '$2 ~ "^"w {print $2}' /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
export CTUI_ROOT="$WORK/store"
CTUI="node $PWD/bin/ctui.js"
PODMAN="podman --root $WORK/podman --runroot $WORK/podman-run --storage-driver overlay --runtime runc --cgroup-manager cgroupfs --events-backend none"

python3 - "$WORK/src" <<'PY'
import os, sys
for d in range(10):
    os.makedirs(f'{sys.argv[1]}/d{d}', exist_ok=True)
    for f in range(100):
        with open(f'{sys.argv[1]}/d{d}/f{f}', 'wb') as fh:
            fh.write(os.urandom(100 * 1024))
PY
tar -C "$WORK/src" -cf "$WORK/big.tar" .
$CTUI import "$WORK/big.tar" big >/dev/null
$PODMAN import -q "$WORK/big.tar" big >/dev/null
$CTUI save big -o "$WORK/ctui.tar"
$PODMAN save -q -o "$WORK/podman.tar" big

suffix=$( [ "$BASE" = /tmp ] && echo "" || echo "-$(basename "$BASE")" )
hyperfine -N -w 1 -r "$RUNS" --export-markdown "$OUT/saveload-save$suffix.md" \
  --prepare "rm -f $WORK/out.tar" \
  -n 'ctui save -o' "$CTUI save big -o $WORK/out.tar" \
  -n 'podman save -o' "$PODMAN save -q -o $WORK/out.tar big"
hyperfine -N -w 1 -r "$RUNS" --export-markdown "$OUT/saveload-load$suffix.md" \
  -n 'ctui load -i' --prepare "sh -c '$CTUI rmi -f big >/dev/null 2>&1; true'" "$CTUI load -q -i $WORK/ctui.tar" \
  -n 'podman load -i' --prepare "sh -c '$PODMAN rmi -f big >/dev/null 2>&1; true'" "$PODMAN load -q -i $WORK/podman.tar"
