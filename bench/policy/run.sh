#!/usr/bin/env bash
# Decision throughput of the bundled US policy on one core.
#   bench/policy/run.sh BUILD_DIR
# Builds bench_policy in BUILD_DIR (a Release or RelWithDebInfo build) and runs it pinned to
# one CPU. The headline number is BM_Decide items_per_second (target >= 1,000,000/s).
set -euo pipefail
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
ninja -C "$BUILD" -j2 bench_policy >/dev/null
PIN=""
command -v taskset >/dev/null && PIN="taskset -c 0"
TOLLGATE_DATA_DIR="$PWD" $PIN "$BUILD/bench_policy" --benchmark_min_time=1 \
  --benchmark_counters_tabular=true "${@:2}"
