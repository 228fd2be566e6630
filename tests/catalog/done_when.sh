#!/usr/bin/env bash
# The issue's "done when" checks, exactly (issue 2).
. "$(dirname "$0")/../lib.sh"
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

out=$("$TG" classify H200 --as-of 2026-02-01 --format json); rc=$?
expect_eq "classify H200 exit" 0 "$rc"
expect_eq "H200 tpp" 15832 "$(echo "$out" | json 'd["tpp"]')"
expect_eq "H200 eccn" 3A090.a "$(echo "$out" | json 'd["eccn"]')"
expect_eq "H200 zone" True "$(echo "$out" | json 'd["case_by_case_zone"]')"
expect_eq "H200 band" 1 "$(echo "$out" | json 'd["sec232_band"]')"
expect_eq "H200 item" nvidia-h200-sxm "$(echo "$out" | json 'd["item"]')"
expect_eq "H200 as_of" 2026-02-01 "$(echo "$out" | json 'd["as_of"]')"
expect_eq "H200 basis" "3A090.a.1 tpp >= 4800 True" \
  "$(echo "$out" | json '" ".join(str(x) for b in d["basis"] for x in (b["rule"], b["metric"], b["op"], b["threshold"], b["met"]))')"

out=$("$TG" classify A800 --as-of 2023-06-01 --format json)
expect_eq "A800 2023-06-01 eccn" None "$(echo "$out" | json 'd["eccn"]')"
expect_eq "A800 2023-06-01 determined" True "$(echo "$out" | json 'd["eccn_determined"]')"
expect_eq "A800 2023-06-01 failing condition" "io_bandwidth_gbs 400 False" \
  "$(echo "$out" | json '" ".join(str(x) for b in d["basis"] if not b["met"] for x in (b["metric"], b["value"], b["met"]))')"
out=$("$TG" classify A800 --as-of 2023-12-01 --format json)
expect_eq "A800 2023-12-01 eccn" 3A090.a "$(echo "$out" | json 'd["eccn"]')"

out=$("$TG" compare H200 H20)
expect_contains "compare H200 H20 TPP ratio" "TPP                      15,832  2,368  6.69x" "$out"
finish
