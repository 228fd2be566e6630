#!/usr/bin/env bash
# The main job on the embedded defaults: bundled catalog, policy, restricted-party lists,
# sample order book and FX table, and a SQLite ledger under out/.
#   1. classify the bundled catalog as of today;
#   2. decide the sample order book, record every decision in the ledger, print the summary
#      (lines by decision; revenue share and tariff owed per exporter);
#   3. verify the ledger's hash chain and print its checkpoint.
# `tollgate check` exits 1 when some lines are held for screening review: that is a finding
# for a person, not a failure of the job.
set -euo pipefail
TG=$(realpath "${1:-build/tollgate}")
cd "$(dirname "$0")/.."
mkdir -p out
DB=out/tollgate.db

echo "== 1. Classification of the bundled catalog (as of $(date -u +%F))"
"$TG" classify --all --format table
echo
echo "== 2. Decisions on the sample order book (data/samples/orders.csv), recorded in $DB"
rc=0
"$TG" check data/samples/orders.csv --fx data/samples/fx.csv --summary --record --db "$DB" || rc=$?
if [[ $rc -ne 0 && $rc -ne 1 ]]; then
  echo "run-main: tollgate check failed with exit code $rc" >&2
  exit $rc
fi
echo
echo "== 3. Ledger verification"
"$TG" ledger verify --db "$DB"
"$TG" ledger checkpoint --db "$DB"
echo
echo "== 4. Revenue-share and tariff statement, 2026 Q1 (also: --format pdf --out FILE)"
"$TG" statement --period 2026Q1 --db "$DB"
