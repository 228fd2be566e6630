#!/usr/bin/env bash
# Ledger benchmark: lines recorded per second on SQLite (WAL, synchronous FULL and NORMAL) and
# PostgreSQL (when TOLLGATE_PG_URL is set), verify events per second, each against a plain
# insert / scan of the same rows on the same database. Usage: bench/ledger/run.sh BUILD_DIR
set -euo pipefail
BUILD=${1:-build}
"$BUILD/ledger_bench" --lines "${LEDGER_BENCH_LINES:-100000}" --batch "${LEDGER_BENCH_BATCH:-5000}"
