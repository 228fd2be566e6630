#!/usr/bin/env bash
# Throughput of `tollgate check` end to end (read, validate, classify, screen, decide, format),
# on the sample order book repeated to N lines with unique order ids. Not run by ctest.
#
#   tests/pipeline/bench_check.sh path/to/tollgate [N]
set -euo pipefail
TG=${1:?usage: bench_check.sh path/to/tollgate [N]}
N=${2:-100000}
cd "$(dirname "$0")/../.."
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
python3 - "$N" >"$TMP/orders.csv" <<'EOF'
import csv, sys
n = int(sys.argv[1])
rows = list(csv.reader(open("data/samples/orders.csv")))
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(rows[0])
body = rows[1:]
for i in range(n):
    r = list(body[i % len(body)])
    r[0] = f"{r[0]}-R{i // len(body)}"
    w.writerow(r)
EOF
run() {
  local label=$1
  shift
  local start end
  start=$(date +%s.%N)
  "$TG" check "$TMP/orders.csv" "$@" >/dev/null 2>&1 || [[ $? == 1 ]]
  end=$(date +%s.%N)
  python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); n=int(sys.argv[3]); print(f'{sys.argv[4]:<44} {n} lines in {s:6.2f} s = {n/s:10.0f} lines/s')" \
    "$start" "$end" "$N" "$label"
}
run "no screening, jsonl" --no-screen --fx data/samples/fx.csv
run "no screening, csv" --no-screen --fx data/samples/fx.csv --format csv
run "no screening, summary" --no-screen --fx data/samples/fx.csv --summary
run "exact party list, jsonl" --parties data/samples/parties.csv --fx data/samples/fx.csv
run "bundled lists (fuzzy screening), jsonl" --fx data/samples/fx.csv
