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
# An item whose figures were not given is not silently "not controlled" (docs/integration.md
# D1-D4): the answer names the one missing figure that would make it a licence, and says
# nothing when every figure that matters was given.
check_warning() {  # date, expected missing figure, expected ECCN, NAME=VALUE...
  date=$1 figure=$2 eccn=$3
  shift 3
  out=$("$TG" policy decide policies/us --date "$date" destination=CN "$@" | tail -1)
  expected="warning: this answer rests on item figures that were not given ($figure); with it at its most restrictive value the decision is licence ($eccn): classify the item before relying on it"
  [ "$out" = "$expected" ] || { echo "policy decide $date $*: got: $out"; exit 1; }
}
check_warning 2023-01-01 item.io_bandwidth 3A090.a item.kind=ic item.tpp=5000    # D1
check_warning 2024-06-01 item.tpp 3A090.a item.kind=ic                           # D2
check_warning 2025-01-01 item.hbm_density 3A090.c item.kind=hbm                  # D3
check_warning 2024-06-01 item.pd 3A090.a item.kind=ic item.tpp=2000              # D4
out=$("$TG" policy decide policies/us --date 2024-06-01 destination=CN item.kind=ic item.tpp=1000)
case "$out" in *warning*) echo "policy decide: TPP 1000 cannot be 3A090 whatever its PD: $out"; exit 1 ;; esac
# The language test directory: policies with their own tests.
for d in tests/policy/eval/*/; do
  "$TG" policy test "$d" >/dev/null || { echo "policy test $d failed"; "$TG" policy test "$d"; exit 1; }
done
echo OK
