#!/usr/bin/env bash
# End-to-end checks of `tollgate catalog`, `classify` and `compare`: outputs and exit codes.
. "$(dirname "$0")/../lib.sh"
DIR=tests/catalog
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT

# --- catalog show / find
out=$("$TG" catalog show h100 --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
expect_eq "short name H100 resolves to the SXM part" nvidia-h100-sxm5-80gb "$out"
out=$("$TG" catalog show "Gaudi 3 China" 2>&1); rc=$?
expect_eq "ambiguous name exit" 2 "$rc"
expect_eq "ambiguous name message" \
  "tollgate: error: 'Gaudi 3 China' is ambiguous: it fits intel-gaudi3-hl328, intel-gaudi3-hl388; use one of these ids" "$out"
out=$("$TG" catalog show H300 2>&1); rc=$?
expect_eq "unknown item exit" 2 "$rc"
expect_eq "unknown item message" "tollgate: error: unknown item 'H300' (see 'tollgate catalog list')" "$out"

# --- catalog list: every format parses, same count
n_csv=$("$TG" catalog list --format csv | python3 -c 'import csv,sys; print(len(list(csv.DictReader(sys.stdin))))')
n_json=$("$TG" catalog list --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
expect_eq "list csv and json agree" "$n_csv" "$n_json"
"$TG" catalog list --format csv > "$TMP/roundtrip.csv"
out=$("$TG" catalog list --catalog "$TMP/roundtrip.csv" --format csv | cmp - "$TMP/roundtrip.csv" && echo same)
expect_eq "list --format csv round-trips through --catalog" same "$out"
out=$("$TG" catalog list --format xml 2>&1); rc=$?
expect_eq "bad format exit" 2 "$rc"
expect_eq "bad format message" "tollgate: error: --format: unknown format 'xml' (expected table, csv, json)" "$out"

# --- classify --specs
out=$("$TG" classify --specs fp16=989.4,int8=1979,die_area_mm2=814,dram_bandwidth_gbs=4800,datacenter=yes --as-of 2026-02-01 --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["tpp"], d["eccn"], d["sec232_band"])')
expect_eq "specs like an H200" "15832 3A090.a 1" "$out"
out=$("$TG" classify --specs fp12=5,datacenter=yes 2>&1); rc=$?
expect_eq "unknown precision exit" 2 "$rc"
expect_eq "unknown precision message" "tollgate: error: --specs: unknown precision 'fp12' (known: fp64, fp32, tf32, fp16, bf16, int16, fp8, int8, fp4, int4)" "$out"
out=$("$TG" classify --specs int8=-5,datacenter=yes 2>&1)
expect_eq "negative throughput" "tollgate: error: --specs: int8: -5 is negative (must be >= 0)" "$out"
out=$("$TG" classify --specs int8=12x,datacenter=yes 2>&1)
expect_eq "non-numeric throughput" "tollgate: error: --specs: int8: '12x' is not a number" "$out"
out=$("$TG" classify --specs die_area_mm2=814,datacenter=yes 2>&1)
expect_eq "missing throughput" "tollgate: error: --specs: no throughput given; at least one dense TOPS figure (e.g. fp16=989.4 or int8=1979) is needed to compute TPP" "$out"

# --- classify modes and dates
out=$("$TG" classify H200 --all 2>&1); rc=$?
expect_eq "ITEM with --all exit" 2 "$rc"
out=$("$TG" classify H200 --as-of 2026-13-01 2>&1); rc=$?
expect_eq "bad date exit" 2 "$rc"
out=$("$TG" classify --all --as-of 2026-02-01 --format csv | python3 -c '
import csv,sys
rows={r["item"]: r for r in csv.DictReader(sys.stdin)}
print(rows["amd-mi325x"]["sec232_band"], rows["nvidia-h20"]["eccn"] or "none", rows["nvidia-l4"]["eccn"], rows["nvidia-hgx-h200"]["eccn"])')
expect_eq "classify --all csv" "2 none 3A090.a 4A090.a" "$out"

# --- catalog import --format epoch
out=$("$TG" catalog import --format epoch data/epoch/epoch_ml_hardware.csv --out "$TMP/epoch.csv" 2>&1); rc=$?
expect_eq "epoch import exit" 0 "$rc"
expect_eq "epoch import summary" "imported 169 chips from data/epoch/epoch_ml_hardware.csv (169 rows, 0 skipped)" "$out"
out=$("$TG" catalog show "NVIDIA H100 SXM5 80GB" --catalog "$TMP/epoch.csv" --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["id"], d["dense_tops"]["int8"], d["published_tpp"])')
expect_eq "imported catalog loads" "nvidia-h100-sxm5-80gb 1979 15832" "$out"
out=$("$TG" catalog import --format epoch "$DIR/epoch_bad_rows.csv" 2>&1 >/dev/null); rc=$?
expect_eq "bad rows: exit 1, rest loads" 1 "$rc"
expect_eq "bad rows: located errors" "$(cat "$DIR/epoch_bad_rows.expected")" "$out"
out=$("$TG" catalog import --format epoch "$DIR/epoch_bad_rows.csv" --strict --out "$TMP/strict.csv" 2>&1); rc=$?
expect_eq "strict: exit 2" 2 "$rc"
expect_eq "strict: nothing written" no "$([ -e "$TMP/strict.csv" ] && echo yes || echo no)"
# --- exact outputs (golden files; regenerate with the command when the catalog changes)
expect_eq "classify RTX4090 2023-06-01 table" "$(cat $DIR/classify_rtx4090_2023.expected)" \
  "$("$TG" classify RTX4090 --as-of 2023-06-01)"
expect_eq "compare H200 H20 table" "$(cat $DIR/compare_h200_h20.expected)" "$("$TG" compare H200 H20)"
expect_eq "classify --all table (the main job)" "$(cat $DIR/classify_all_2026-02-01.expected)" \
  "$("$TG" classify --all --as-of 2026-02-01)"

# --- help and usage
"$TG" classify --help > /dev/null; expect_eq "classify --help exit" 0 "$?"
"$TG" catalog --help > /dev/null; expect_eq "catalog --help exit" 0 "$?"
"$TG" compare --help > /dev/null; expect_eq "compare --help exit" 0 "$?"
out=$("$TG" compare H200 2>&1); rc=$?
expect_eq "compare needs two items" "2 tollgate: error: usage: tollgate compare A B" "$rc $out"
out=$("$TG" catalog frobnicate 2>&1); rc=$?
expect_eq "unknown catalog subcommand" "2 tollgate: error: unknown catalog subcommand 'frobnicate' (expected list, show or import)" "$rc $out"
out=$("$TG" classify --specs kind=hbm,memory_bandwidth_density=2.5 --as-of 2025-01-01 --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["eccn"], d["tpp"], d["memory_bandwidth_density"])')
expect_eq "specs: standalone HBM 3A090.c" "3A090.c None 2.5" "$out"
finish
