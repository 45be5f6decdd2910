#!/bin/bash
# OCI runtime-tools validation suite, ctui-runtime beside runc in one run (issue 13).
# Not in CI: the suite is fetched and built by hand (offline, from its vendor/ directory):
#   git --git-dir=<mirror of opencontainers/runtime-tools> archive 260e151b | tar -x -C DIR
#   cd DIR && GOFLAGS=-mod=vendor GOPROXY=off make runtimetest validation-executables
#   (260e151b is the last commit that builds with Debian's Go 1.19)
# Usage: bash bench/oci-validation.sh RUNTIME_TOOLS_DIR [TEST...]   (root)
#   TEST: names like `hooks` or `linux_ns_path` (default: all 58 validation/*/*.t).
# Writes bench/results/oci-validation.md (one row per test: pass/fail for each runtime and the
# first failing TAP line) and the raw TAP of each run under bench/results/oci-validation/.
# A test passes when its executable exits 0 and prints no `not ok` line (skips count as passes,
# as the suite's own tap harness counts them).
set -uo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
RT=${1:?usage: bench/oci-validation.sh RUNTIME_TOOLS_DIR [TEST...]}
shift
RT=$(cd "$RT" && pwd)
CTUI_RUNTIME=${CTUI_RUNTIME:-$HERE/build/ctui-runtime}
PEER=${PEER:-runc}
TIMEOUT=${TIMEOUT:-120}
OUT=$HERE/bench/results
LOGS=$OUT/oci-validation
mkdir -p "$LOGS"
[ -x "$RT/runtimetest" ] || { echo "oci-validation: $RT/runtimetest missing: build the suite first (see the header of this script)" >&2; exit 1; }
[ -x "$CTUI_RUNTIME" ] || { echo "oci-validation: $CTUI_RUNTIME missing: npm run -s build" >&2; exit 1; }
command -v "$PEER" >/dev/null || { echo "oci-validation: peer runtime $PEER not found" >&2; exit 1; }

if [ $# -gt 0 ]; then
  TESTS=("$@")
else
  mapfile -t TESTS < <(cd "$RT/validation" && ls -d */ | tr -d / | grep -v '^util$' | sort)
fi

# run_one RUNTIME NAME -> "pass" or "fail: <first failing line>"
run_one() {
  local runtime=$1 name=$2 tag=$3 log rc bad
  log=$LOGS/$name.$tag.tap
  (cd "$RT" && RUNTIME=$runtime timeout -k 5 "$TIMEOUT" "validation/$name/$name.t") >"$log" 2>&1
  rc=$?
  bad=$(grep -m1 -E '^not ok' "$log")
  if [ $rc -eq 0 ] && [ -z "$bad" ]; then
    echo pass
  else
    [ -z "$bad" ] && bad=$(grep -v -E '^(ok|TAP|1\.\.|  |#)' "$log" | head -1)
    [ $rc -eq 124 ] && bad="timeout after ${TIMEOUT}s"
    echo "fail: exit $rc: ${bad:0:160}"
  fi
}

md=$OUT/oci-validation.md
{
  echo "# OCI runtime-tools validation ($(git -C "$RT" rev-parse --short HEAD 2>/dev/null || basename "$RT")), $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "ctui-runtime: $("$CTUI_RUNTIME" --version | head -1); $PEER: $("$PEER" --version | head -1)"
  echo
  echo "| test | $PEER | ctui-runtime | first failure (ctui-runtime, else $PEER) |"
  echo "|---|---|---|---|"
} >"$md"
np=0; nc=0; n=0
for t in "${TESTS[@]}"; do
  [ -x "$RT/validation/$t/$t.t" ] || { echo "oci-validation: no test $t" >&2; exit 1; }
  p=$(run_one "$PEER" "$t" peer)
  c=$(run_one "$CTUI_RUNTIME" "$t" ctui)
  n=$((n + 1))
  [ "$p" = pass ] && np=$((np + 1))
  [ "$c" = pass ] && nc=$((nc + 1))
  why=""
  [ "$c" != pass ] && why=${c#fail: }
  [ -z "$why" ] && [ "$p" != pass ] && why="$PEER: ${p#fail: }"
  why=${why//|/\\|}
  printf '| %s | %s | %s | %s |\n' "$t" "${p%%:*}" "${c%%:*}" "$why" >>"$md"
  printf '%-36s %-5s %-5s %s\n' "$t" "${p%%:*}" "${c%%:*}" "$why"
done
{
  echo
  echo "Passed: $PEER $np of $n, ctui-runtime $nc of $n."
} >>"$md"
echo "passed: $PEER $np/$n, ctui-runtime $nc/$n (table: $md)"
