#!/usr/bin/env bash
# Runs every benchmark script under bench/*/run.sh with the build directory as argument.
set -euo pipefail
BUILD=${1:-build}
cd "$(dirname "$0")/.."
for s in bench/*/run.sh; do
  [[ -x "$s" ]] || continue
  echo "== $s"
  "$s" "$BUILD"
done
