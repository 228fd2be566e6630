#!/usr/bin/env bash
# Runs every test against one build directory: the ctest suite (unit, data-driven, CLI
# end-to-end). PostgreSQL ledger tests run when TOLLGATE_PG_URL is set (.ci/run and
# scripts/with-postgres.sh set it); otherwise they are skipped with a message.
set -euo pipefail
BUILD=${1:-build}
cd "$(dirname "$0")/.."
ctest --test-dir "$BUILD" --output-on-failure -j "$(nproc)"
