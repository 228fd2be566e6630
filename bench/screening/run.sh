#!/usr/bin/env bash
# Screening benchmark, C++ index and Python brute-force Jaro-Winkler side by side in one run.
# usage: bench/screening/run.sh BUILD_DIR [LISTS_ROOT]
# LISTS_ROOT must hold ofac_sdn_2021-07/ and ofac_nonsdn_cons_2025-12/ (default: the bundled
# data/lists, byte-for-byte copies of ../shared/data/lists). Rates are per core in thread CPU
# time (the wall-clock figures are printed too; they include preemption on a busy machine).
set -euo pipefail
BUILD=${1:?usage: run.sh BUILD_DIR [LISTS_ROOT]}
cd "$(dirname "$0")/../.."
ROOT=${2:-data/lists}
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
out=$(taskset -c 0 "$BUILD/bench_screening" "$ROOT" --queries 20000 \
      --write-queries "$TMP/q.txt" --names-out "$TMP/names.txt")
echo "$out" | grep -v '^SCREENS_PER_SEC'
py=$(taskset -c 0 /usr/bin/python3 bench/screening/brute_force_jw.py "$TMP/names.txt" "$TMP/q.txt" 300)
echo "$py" | grep -v '^PY_SCREENS_PER_SEC'
cpp_rate=$(echo "$out" | awk '/^SCREENS_PER_SEC/{print $2}')
py_rate=$(echo "$py" | awk '/^PY_SCREENS_PER_SEC/{print $2}')
python3 -c "print(f'ratio (CPU time, one core): C++ index {float($cpp_rate):.0f} screens/s vs Python brute-force JW {float($py_rate):.1f} screens/s = {float($cpp_rate)/float($py_rate):.0f}x')"
