#!/usr/bin/env bash
# Replays every fuzz corpus once through its target (no new inputs), as a regression test.
set -euo pipefail
BUILD=${1:-build-fuzz}
cd "$(dirname "$0")/.."
status=0
for corpus in fuzz/corpus/*/; do
  name=$(basename "$corpus")
  if [[ -x "$BUILD/$name" ]]; then
    echo "fuzz-regress: $name ($(ls "$corpus" | wc -l) inputs)"
    "$BUILD/$name" -runs=0 "$corpus" >/dev/null 2>"$BUILD/$name.log" || { cat "$BUILD/$name.log"; status=1; }
  fi
done
exit $status
