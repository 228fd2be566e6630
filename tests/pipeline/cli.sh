#!/usr/bin/env bash
# End-to-end tests of `tollgate check` and `tollgate explain`: exact outputs, exit codes,
# --strict, formats, located errors, FX, screening with an exact party list, the summary.
# Most cases use the small fixed policy in tests/pipeline/policy, so they do not change when
# the bundled US policy does; the sample-book cases use the bundled policy and catalog.
#
#   tests/pipeline/cli.sh path/to/tollgate          (run from the repository root)
#   UPDATE=1 tests/pipeline/cli.sh path/to/tollgate  rewrites the expected files (review them!)
set -uo pipefail
TG=${1:?usage: cli.sh path/to/tollgate}
cd "$(dirname "$0")/../.."
D=tests/pipeline
EXP=$D/expected
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
P=(--policy $D/policy --no-screen)
failures=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# expect NAME RC -- command...: runs the command, checks the exit code and compares stdout
# (policy hashes masked) and stderr with $EXP/NAME.out and $EXP/NAME.err (a missing .err file means stderr must be
# empty).
expect() {
  local name=$1 want_rc=$2
  shift 3
  "$@" >"$TMP/$name.raw" 2>"$TMP/$name.err"
  local rc=$?
  # Policy hashes belong to the policy engine's canonical printer: masked.
  sed -E 's/sha256:[0-9a-f]{64}/sha256:.../g' "$TMP/$name.raw" >"$TMP/$name.out"
  if [[ ${UPDATE:-0} == 1 ]]; then
    cp "$TMP/$name.out" "$EXP/$name.out"
    if [[ -s $TMP/$name.err ]]; then cp "$TMP/$name.err" "$EXP/$name.err"; else rm -f "$EXP/$name.err"; fi
  fi
  [[ $rc == "$want_rc" ]] || fail "$name: exit code $rc, expected $want_rc"
  diff -u "$EXP/$name.out" "$TMP/$name.out" >"$TMP/diff" || { fail "$name: stdout differs"; cat "$TMP/diff"; }
  if [[ -f $EXP/$name.err ]]; then
    diff -u "$EXP/$name.err" "$TMP/$name.err" >"$TMP/diff" || { fail "$name: stderr differs"; cat "$TMP/diff"; }
  elif [[ -s $TMP/$name.err ]]; then
    fail "$name: unexpected stderr:"; cat "$TMP/$name.err"
  fi
}

mkdir -p "$EXP"

# Usage errors.
expect usage_no_file 2 -- "$TG" check
expect usage_bad_format 2 -- "$TG" check $D/orders.csv "${P[@]}" --format xml
expect usage_bad_as_of 2 -- "$TG" check $D/orders.csv "${P[@]}" --as-of 2026-02-30
expect usage_missing_file 2 -- "$TG" check $D/no_such_file.csv "${P[@]}"
expect usage_parties_and_lists 2 -- "$TG" check $D/orders.csv --policy $D/policy --parties $D/parties.csv --lists data/lists

# Good lines: every format; a held line gives exit code 1.
expect csv_with_fx_and_parties 1 -- "$TG" check $D/orders.csv --policy $D/policy --parties $D/parties.csv --fx $D/fx.csv --format csv
expect table 0 -- "$TG" check $D/orders.csv "${P[@]}" --format table
expect summary_usd 0 -- "$TG" check $D/orders.csv "${P[@]}" --fx $D/fx.csv --summary
expect summary_no_fx 0 -- "$TG" check $D/orders.csv "${P[@]}" --summary
expect summary_json 0 -- "$TG" check $D/orders.csv "${P[@]}" --fx $D/fx.csv --summary --format jsonl
# --as-of decides every line under the policy in force on that date.
expect as_of_2026 0 -- "$TG" check $D/orders.csv "${P[@]}" --as-of 2026-03-01 --format csv

# JSON Lines output: the documented fields (the policy hash is masked: it belongs to the
# policy engine's canonical printer).
"$TG" check $D/orders.csv "${P[@]}" --fx $D/fx.csv >"$TMP/jsonl.out" 2>"$TMP/jsonl.err"
rc=$?
[[ $rc == 0 ]] || fail "jsonl: exit code $rc"
sed -E 's/"hash":"sha256:[0-9a-f]+"/"hash":"sha256:..."/' "$TMP/jsonl.out" >"$TMP/jsonl.masked"
[[ ${UPDATE:-0} == 1 ]] && cp "$TMP/jsonl.masked" "$EXP/jsonl.out"
diff -u "$EXP/jsonl.out" "$TMP/jsonl.masked" || fail "jsonl: stdout differs"
grep -q '"hash":"sha256:[0-9a-f]\{64\}"' "$TMP/jsonl.out" || fail "jsonl: no policy hash"

# JSON Lines input gives the same decisions as CSV input.
python3 - "$D/orders.csv" >"$TMP/orders.jsonl" <<'EOF'
import csv, json, sys
for row in csv.DictReader(open(sys.argv[1])):
    row["line"] = int(row["line"])
    for k in ("licence", "customs_value"):
        row[k] = row[k] or None
    print(json.dumps(row))
EOF
"$TG" check "$TMP/orders.jsonl" "${P[@]}" --fx $D/fx.csv --format csv >"$TMP/from_jsonl.csv" 2>&1
"$TG" check $D/orders.csv "${P[@]}" --fx $D/fx.csv --format csv >"$TMP/from_csv.csv" 2>&1
diff -u "$TMP/from_csv.csv" "$TMP/from_jsonl.csv" || fail "JSON Lines input decides differently"

# Bad lines: every one reported (file:line:col, field, value, hint), the good line still
# decided, exit 2. --strict: nothing decided, stdout empty, exit 2.
expect bad_lines 2 -- "$TG" check $D/bad_orders.csv "${P[@]}" --format csv
expect bad_lines_strict 2 -- "$TG" check $D/bad_orders.csv "${P[@]}" --strict
# An unknown item alone also stops --strict (it is found after reading).
head -1 $D/bad_orders.csv >"$TMP/unknown_item.csv"
grep '^B-2,' $D/bad_orders.csv >>"$TMP/unknown_item.csv"
"$TG" check "$TMP/unknown_item.csv" "${P[@]}" --strict >"$TMP/u.out" 2>"$TMP/u.err"
rc=$?
[[ $rc == 2 && ! -s $TMP/u.out ]] || fail "unknown item --strict: exit $rc, stdout: $(cat "$TMP/u.out")"
grep -q "error: field 'item': unknown item 'H900'" "$TMP/u.err" || fail "unknown item: $(cat "$TMP/u.err")"
# A missing FX rate is an error for that line.
printf 'date,currency,rate_to_usd\n2025-01-01,CNY,0.1370\n' >"$TMP/fx_cny_only.csv"
"$TG" check $D/orders.csv "${P[@]}" --fx "$TMP/fx_cny_only.csv" >"$TMP/f.out" 2>"$TMP/f.err"
rc=$?
[[ $rc == 2 ]] || fail "fx: exit $rc"
grep -q "field 'currency': no FX rate for EUR in the FX table" "$TMP/f.err" || fail "fx: $(cat "$TMP/f.err")"
[[ $(wc -l <"$TMP/f.out") == 4 ]] || fail "fx: expected the 4 lines with rates decided"
# A bad FX file is reported row by row.
printf 'date,currency,rate_to_usd\n2025-01-01,CNY,0\n2025-13-01,EUR,1.1\n' >"$TMP/bad_fx.csv"
"$TG" check $D/orders.csv "${P[@]}" --fx "$TMP/bad_fx.csv" >/dev/null 2>"$TMP/bfx.err"
rc=$?
[[ $rc == 2 ]] || fail "bad fx: exit $rc"
grep -q "bad_fx.csv:2:16: error: field 'rate_to_usd': non-positive rate '0'" "$TMP/bfx.err" || fail "bad fx: $(cat "$TMP/bfx.err")"
grep -q "bad_fx.csv:3:1: error: field 'date': invalid date '2025-13-01'" "$TMP/bfx.err" || fail "bad fx: $(cat "$TMP/bfx.err")"
# --max-lines.
expect max_lines 2 -- "$TG" check $D/orders.csv "${P[@]}" --max-lines 3

# explain.
expect explain_share 0 -- "$TG" explain $D/orders.csv "${P[@]}" --fx $D/fx.csv --line T-1:1
expect explain_hold 0 -- "$TG" explain $D/orders.csv --policy $D/policy --parties $D/parties.csv --line T-5:1
expect explain_no_such_line 2 -- "$TG" explain $D/orders.csv "${P[@]}" --line T-9:1
expect explain_bad_line_flag 2 -- "$TG" explain $D/orders.csv "${P[@]}" --line T-1

# Ledger: --record is idempotent, and a hit a reviewer cleared no longer holds the line.
DB="$TMP/ledger.db"
"$TG" check $D/orders.csv "${P[@]}" --fx $D/fx.csv --record --db "$DB" --by tester >/dev/null 2>"$TMP/rec1.err"
rc=$?
[[ $rc == 0 ]] || fail "record: exit $rc: $(cat "$TMP/rec1.err")"
# 6 lines decided under two policy versions: two policy.rules events register their rule texts.
grep -q '^tollgate: recorded 6 line(s), 0 already present; ledger head 8 ' "$TMP/rec1.err" || fail "record: $(cat "$TMP/rec1.err")"
"$TG" check $D/orders.csv "${P[@]}" --fx $D/fx.csv --record --db "$DB" --by tester >/dev/null 2>"$TMP/rec2.err"
grep -q '^tollgate: recorded 0 line(s), 6 already present; ledger head 8 ' "$TMP/rec2.err" || fail "record twice: $(cat "$TMP/rec2.err")"
"$TG" ledger verify --db "$DB" >/dev/null || fail "ledger does not verify after --record"
# The statement agrees with the check summary: 1,801.85 USD revenue share for Acme in 2025Q3.
"$TG" statement --period 2025Q3 --db "$DB" --format csv >"$TMP/stmt.csv" 2>&1 || fail "statement failed"
grep -q '1801.85' "$TMP/stmt.csv" || fail "statement: $(cat "$TMP/stmt.csv")"
"$TG" check $D/orders.csv --policy $D/policy --parties $D/parties.csv --db "$DB" --format csv >"$TMP/held.csv" 2>/dev/null
[[ $? == 1 ]] || fail "hold before review: expected exit 1"
grep -q '^T-5,1,.*,hold,' "$TMP/held.csv" || fail "T-5 should be held before the review"
"$TG" review test_list:T-1 --party "HUAWEI TECHNOLOGIES CO.  LTD" --clear --reason "another company" --db "$DB" --by tester >/dev/null || fail "review failed"
"$TG" check $D/orders.csv --policy $D/policy --parties $D/parties.csv --db "$DB" >"$TMP/cleared.jsonl" 2>/dev/null
rc=$?
[[ $rc == 0 ]] || fail "after review: exit $rc"
grep '"order_id":"T-5"' "$TMP/cleared.jsonl" | grep -q '"decision":"nlr".*"hits":\[\],"cleared_hits":\[{"party_role":"end_user"' || fail "T-5 not released by the review: $(grep T-5 "$TMP/cleared.jsonl")"

# --record takes the order file whole or not at all. --chunk 2 records the 6 lines in three
# transactions, after checking all three (each registers the rule texts its lines use first,
# so there are four policy.rules events instead of two); a file with a conflicting line in its last chunk,
# or with a bad line, records nothing (not even its new lines in earlier chunks).
DB2="$TMP/chunked.db"
"$TG" check $D/orders.csv "${P[@]}" --fx $D/fx.csv --record --chunk 2 --db "$DB2" >/dev/null 2>"$TMP/chunk1.err"
grep -q '^tollgate: recorded 6 line(s), 0 already present; ledger head 10 ' "$TMP/chunk1.err" || fail "chunked record: $(cat "$TMP/chunk1.err")"
"$TG" ledger verify --db "$DB2" >/dev/null || fail "ledger does not verify after a chunked --record"
# New ids for the first four lines, and T-5 with another quantity (recorded before as 2).
sed -e 's/^T-1,/N-1,/' -e 's/^T-2,/N-2,/' -e 's/^T-5,1,2024-06-01,Beta Trading Ltd.,Gaudi 3,2,/T-5,1,2024-06-01,Beta Trading Ltd.,Gaudi 3,3,/' \
  $D/orders.csv >"$TMP/conflict.csv"
"$TG" check "$TMP/conflict.csv" "${P[@]}" --fx $D/fx.csv --record --chunk 2 --db "$DB2" >/dev/null 2>"$TMP/chunk2.err"
rc=$?
[[ $rc == 4 ]] || fail "chunked conflict: exit $rc: $(cat "$TMP/chunk2.err")"
grep -q 'order line T-5/1 is already recorded (event 10) with different content' "$TMP/chunk2.err" || fail "chunked conflict: $(cat "$TMP/chunk2.err")"
grep -q 'order lines 5..6 of 6 (recorded in transactions of 2; 0 line(s) recorded before them)' "$TMP/chunk2.err" || fail "chunked conflict: $(cat "$TMP/chunk2.err")"
"$TG" ledger checkpoint --db "$DB2" | grep -q '^10:' || fail "chunked conflict: something was recorded"
printf 'N-9,1,2025-09-01,Acme Export Inc.,H20,-7,12345.67,CNY,TW,CN,Shanghai Test Co.,CN,Shanghai Test Co.,CN,CN,commercial,,\n' >>"$TMP/conflict.csv"
sed -i 's/Gaudi 3,3,/Gaudi 3,2,/' "$TMP/conflict.csv"
"$TG" check "$TMP/conflict.csv" "${P[@]}" --fx $D/fx.csv --record --db "$DB2" >/dev/null 2>"$TMP/chunk3.err"
rc=$?
[[ $rc == 2 ]] || fail "bad line with --record: exit $rc: $(cat "$TMP/chunk3.err")"
grep -q '^tollgate: nothing recorded: the order file has 1 bad line(s)' "$TMP/chunk3.err" || fail "bad line with --record: $(cat "$TMP/chunk3.err")"
"$TG" ledger checkpoint --db "$DB2" | grep -q '^10:' || fail "bad line with --record: something was recorded"
expect chunk_zero 2 -- "$TG" check $D/orders.csv "${P[@]}" --record --chunk 0 --db "$DB2"

# The sample order book, with the bundled policy and catalog: every line decides, and the
# CSV and JSON Lines versions give identical decisions.
"$TG" check data/samples/orders.csv --no-screen --fx data/samples/fx.csv --format csv \
  >"$TMP/sample_csv.out" 2>"$TMP/sample_csv.err"
rc=$?
# Exit 1: some lines are held because their items' specs do not decide the ECCN.
[[ $rc == 1 ]] || fail "sample book (csv): exit $rc: $(head -5 "$TMP/sample_csv.err")"
"$TG" check data/samples/orders.jsonl --no-screen --fx data/samples/fx.csv --format csv \
  >"$TMP/sample_jsonl.out" 2>"$TMP/sample_jsonl.err"
diff -q "$TMP/sample_csv.out" "$TMP/sample_jsonl.out" >/dev/null || fail "sample book: CSV and JSON Lines differ"
lines=$(($(wc -l <data/samples/orders.csv) - 1))
decided=$(($(wc -l <"$TMP/sample_csv.out") - 1))
[[ $lines == "$decided" ]] || fail "sample book: $decided of $lines lines decided"
python3 data/samples/generate_orders.py --check || fail "sample book: generated files out of date"
# Screening with the bundled lists (fuzzy) and with the exact party list holds the same lines,
# and only lines whose consignee or end user is one of the listed parties in parties.csv.
"$TG" check data/samples/orders.csv --fx data/samples/fx.csv >"$TMP/fuzzy.jsonl" 2>/dev/null
[[ $? == 1 ]] || fail "sample book with screening: expected exit 1 (holds)"
"$TG" check data/samples/orders.csv --parties data/samples/parties.csv --fx data/samples/fx.csv \
  >"$TMP/exact.jsonl" 2>/dev/null
python3 - "$TMP/fuzzy.jsonl" "$TMP/exact.jsonl" data/samples/parties.csv <<'EOF2' || fail "sample book holds"
import csv, json, sys
listed = {r["name"] for r in csv.DictReader(open(sys.argv[3]))}
def holds(path):
    out = {}
    for line in open(path):
        d = json.loads(line)
        if d["decision"] == "hold" and d.get("hits"):  # held by screening
            out[(d["order_id"], d["line"])] = {h["party"] for h in d["hits"]}
    return out
fuzzy, exact = holds(sys.argv[1]), holds(sys.argv[2])
assert len(exact) == 10, f"exact list: {len(exact)} holds, expected 10"
assert set(fuzzy) == set(exact), f"fuzzy {sorted(fuzzy)} != exact {sorted(exact)}"
for key, parties in fuzzy.items():
    assert parties <= listed, f"{key}: held for {parties - listed}, not a listed party"
# Items whose specs do not decide the ECCN are held when the missing figures could require a
# licence (never "nlr" on the strength of missing data), and only then.
unclassified = [json.loads(l) for l in open(sys.argv[1]) if "cannot be determined" in l]
assert unclassified, "expected held lines for items with incomplete specs"
for d in unclassified:
    assert d["decision"] == "hold", f"{d['order_id']}:{d['line']}: {d['decision']}"
    assert any("classify the item" in c for c in d["conditions"])
# Every fuzzy hit says which query tokens matched which entry tokens.
for line in open(sys.argv[1]):
    d = json.loads(line)
    for h in d.get("hits") or []:
        assert h["matched_tokens"], f"{d['order_id']}:{d['line']}: hit without matched_tokens"
        assert all(t["query"] and t["entry"] for t in h["matched_tokens"])
EOF2

if [[ $failures -gt 0 ]]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "pipeline CLI: all tests passed"
