#!/bin/bash
# Benchmarks for issue 5, side by side in one hyperfine run per task with podman (runc) and docker
# (Debian's docker.io: a private dockerd with --bridge=none --iptables=false and its own data root):
#   - commit of a container that wrote 100 MB in 1,000 files
#   - save and load of that 100 MB image (docker-archive)
#   - prune of 200 stopped containers
# Usage: bash bench/storage.sh [runs]   (root; writes bench/results/storage*.{md,json})
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-10}
OUT=bench/results
mkdir -p "$OUT"
# The three engines keep their data on a fresh ext4 (with a journal, as a normal host has), loop-
# mounted for this run: the root filesystem of these machines runs without a journal and has seen so
# much create/delete churn from tests that ext4 takes 0.1-0.5 ms to create a file in some places of it
# (its recently-deleted inode scan) and 0.02 ms in others, which decides these timings more than
# any engine does. BENCH_DIR=/some/dir uses that directory instead.
if [ -n "${BENCH_DIR:-}" ]; then
  WORK=$(mktemp -d "$BENCH_DIR/ctui-bench-store-XXXXXX")
  IMG=
else
  IMG=$(mktemp /var/tmp/ctui-bench-XXXXXX.ext4)
  truncate -s 8G "$IMG"
  mkfs.ext4 -q -F "$IMG"
  WORK=$(mktemp -d /tmp/ctui-bench-store-XXXXXX)
  mount -o loop "$IMG" "$WORK"
fi
DOCKERD_PID=
cleanup() {
  [ -n "$DOCKERD_PID" ] && kill "$DOCKERD_PID" 2>/dev/null && wait "$DOCKERD_PID" 2>/dev/null || true
  awk -v w="$WORK" '$2 ~ "^"w"/" {print $2}' /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  if [ -n "$IMG" ]; then umount "$WORK" 2>/dev/null || umount -l "$WORK"; rm -f "$IMG"; rmdir "$WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
export CTUI_ROOT="$WORK/store"
CTUI="$PWD/build/ctui"
PODMAN="podman --root $WORK/podman --runroot $WORK/podman-run --runtime runc --cgroup-manager cgroupfs --events-backend none"
command -v dockerd >/dev/null || { echo "bench/storage.sh needs dockerd: apt-get install docker.io" >&2; exit 1; }
DOCKER="/usr/bin/docker -H unix://$WORK/docker.sock"
dockerd --data-root "$WORK/docker" --exec-root "$WORK/docker-exec" --pidfile "$WORK/docker.pid" \
  -H "unix://$WORK/docker.sock" --bridge=none --iptables=false --ip6tables=false --storage-driver overlay2 \
  >"$WORK/dockerd.log" 2>&1 &
DOCKERD_PID=$!
for _ in $(seq 100); do $DOCKER info >/dev/null 2>&1 && break; sleep 0.2; done
$DOCKER info >/dev/null

sh scripts/busybox-rootfs.sh "$WORK/busybox.tar"
$CTUI import "$WORK/busybox.tar" busybox >/dev/null
$PODMAN import -q "$WORK/busybox.tar" localhost/busybox >/dev/null
$DOCKER import "$WORK/busybox.tar" busybox >/dev/null

# A container that wrote 100 MB in 1,000 files (100 KiB each), stopped, in each engine.
FILL='mkdir /data; i=0; while [ $i -lt 1000 ]; do head -c 102400 /dev/urandom > /data/f$i; i=$((i+1)); done'
$CTUI run --name big busybox sh -c "$FILL"
$PODMAN run --name big --network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 localhost/busybox sh -c "$FILL"
$DOCKER run --name big --network none busybox sh -c "$FILL"

# `sync` before every run: each commit writes 100 MB, and without it a run pays for the writeback
# of the runs (and the engines) before it.
hyperfine --warmup 1 --runs "$RUNS" --prepare sync --export-markdown "$OUT/storage-commit.md" --export-json "$OUT/storage-commit.json" \
  -n 'docker commit (100 MB, 1,000 files)' "$DOCKER commit big bigimg" \
  -n 'podman commit (100 MB, 1,000 files)' "$PODMAN commit -q big bigimg" \
  -n 'ctui commit (100 MB, 1,000 files)' "$CTUI commit big bigimg"

# save and load of the 100 MB image (docker-archive). The commits above left dangling images that
# share its layer: they go first, so that every load below really loads the layer (only the busybox
# base layer stays, in all three).
$DOCKER image prune -f >/dev/null; $PODMAN image prune -f >/dev/null; $CTUI image prune -f >/dev/null
# podman refuses to overwrite an archive: every run starts without one.
hyperfine --warmup 1 --runs "$RUNS" --export-markdown "$OUT/storage-save.md" --export-json "$OUT/storage-save.json" \
  -n 'docker save (100 MB image)' --prepare "rm -f $WORK/docker.tar; sync" "$DOCKER save -o $WORK/docker.tar bigimg" \
  -n 'podman save (100 MB image)' --prepare "rm -f $WORK/podman.tar; sync" "$PODMAN save -q -o $WORK/podman.tar bigimg" \
  -n 'ctui save (100 MB image)' --prepare "rm -f $WORK/ctui.tar; sync" "$CTUI save -o $WORK/ctui.tar bigimg"
$DOCKER rm big >/dev/null; $PODMAN rm big >/dev/null; $CTUI rm big >/dev/null
hyperfine --warmup 1 --runs "$RUNS" --export-markdown "$OUT/storage-load.md" --export-json "$OUT/storage-load.json" \
  --prepare "$DOCKER rmi -f bigimg >/dev/null 2>&1; $PODMAN rmi -f bigimg >/dev/null 2>&1; $CTUI rmi -f bigimg >/dev/null 2>&1; sync" \
  -n 'docker load (100 MB image)' "$DOCKER load -q -i $WORK/docker.tar" \
  -n 'podman load (100 MB image)' "$PODMAN load -q -i $WORK/podman.tar" \
  -n 'ctui load (100 MB image)' "$CTUI load -q -i $WORK/ctui.tar"

# prune of 200 stopped (created) containers; each run starts from 200 fresh ones.
printf '#!/bin/sh\nfor _ in $(seq 200); do $1 create "$2" true >/dev/null; done\n' >"$WORK/make200"
chmod +x "$WORK/make200"
hyperfine --warmup 0 --runs "$(( RUNS < 5 ? RUNS : 5 ))" --export-markdown "$OUT/storage-prune.md" --export-json "$OUT/storage-prune.json" \
  -n 'docker container prune (200)' --prepare "$WORK/make200 '$DOCKER' busybox" "$DOCKER container prune -f" \
  -n 'podman container prune (200)' --prepare "$WORK/make200 '$PODMAN' localhost/busybox" "$PODMAN container prune -f" \
  -n 'ctui container prune (200)' --prepare "$WORK/make200 '$CTUI' busybox" "$CTUI container prune -f"

# Interop, for the record: docker loads ctui's archive and runs it; ctui loads docker's and runs it.
echo "docker load of ctui's archive: $($DOCKER load -i $WORK/ctui.tar) -> $($DOCKER run --rm --network none bigimg sh -c 'ls /data | wc -l') files"
$CTUI rmi -f bigimg >/dev/null
echo "ctui load of docker's archive: $($CTUI load -i $WORK/docker.tar) -> $($CTUI run --rm bigimg sh -c 'ls /data | wc -l') files"

node bench/report.mjs "$OUT/storage-commit.json" "$OUT/storage-save.json" "$OUT/storage-load.json" "$OUT/storage-prune.json" | tee "$OUT/storage-summary.md"
