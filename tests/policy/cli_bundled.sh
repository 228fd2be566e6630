#!/bin/sh
# End-to-end: the bundled US policy passes its static checks and every data-driven test, and
# `policy versions` lists the twelve versions with their hashes.
set -eu
TG="$1"
out=$("$TG" policy check policies/us)
expected="policy us: 12 versions (2022-10-07 to 2026-05-31), up to 25 rules in force, 0 warnings: OK"
[ "$out" = "$expected" ] || { echo "policy check: got: $out"; exit 1; }
"$TG" policy check policies/us --strict >/dev/null
out=$("$TG" policy test policies/us)
case "$out" in
  "policy us: "*" tests passed in 8 files") ;;
  *) echo "policy test: got: $out"; exit 1 ;;
esac
n=$("$TG" policy versions policies/us | grep -c 'sha256:[0-9a-f]\{64\}')
[ "$n" = 12 ] || { echo "policy versions: expected 12 hashed versions, got $n"; exit 1; }
# A one-off decision: H200 exported from the US to China in February 2026.
out=$("$TG" policy decide policies/us --date 2026-02-10 item.id=nvidia-h200-sxm item.kind=ic \
  item.datacenter=true item.tpp=15832 item.pd=19.45 item.dram_bandwidth=4800 \
  item.family=Hopper destination=CN ship_from=US end_user.hq=CN order.value=1000000 \
  order.currency=USD order.customs_value=800000 | head -2)
expected="decision: licence, review case_by_case
eccn: 3A090.a"
[ "$out" = "$expected" ] || { echo "policy decide: got: $out"; exit 1; }
# The language test directory: policies with their own tests.
for d in tests/policy/eval/*/; do
  "$TG" policy test "$d" >/dev/null || { echo "policy test $d failed"; "$TG" policy test "$d"; exit 1; }
done
echo OK
