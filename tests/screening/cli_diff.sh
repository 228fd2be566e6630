#!/usr/bin/env bash
# `tollgate screen --diff OLD NEW [--batch FILE]`: what changed, and who now matches differently.
. "$(dirname "$0")/../lib.sh"
D=tests/screening

out=$("$TG" screen --diff $D/lists_old $D/lists_new --batch $D/batch.csv 2>/dev/null); rc=$?
expect_eq "diff exit (changes)" 1 "$rc"
expect_eq "diff table" 'added    ofac_sdn 13 OMEGA MICROELECTRONICS LIMITED
removed  ofac_sdn 11 KAPPA AEROSPACE INSTITUTE
changed  ofac_sdn 10 ZETA OPTICS CO., LTD. [aliases]
changed  ofac_sdn 12 SMITH, John [programmes]
rescreen p2 "Kappa Aerospace Institute": no longer matched (was: ofac_sdn:11 1.0000; now: none)
rescreen p3 "Omega Microelectronics Ltd": newly matched (was: none; now: ofac_sdn:13 1.0000)
summary: 1 added, 1 removed, 2 changed, 2 parties now matched differently' "$out"

out=$("$TG" screen --diff $D/lists_old $D/lists_new --format json 2>/dev/null | python3 -c '
import json,sys; d=json.load(sys.stdin); print(len(d["added"]), len(d["removed"]), [c["fields"] for c in d["changed"]])')
expect_eq "diff json" "1 1 [['aliases'], ['programmes']]" "$out"

out=$("$TG" screen --diff $D/lists_old $D/lists_old 2>/dev/null); rc=$?
expect_eq "no change exit" 0 "$rc"
expect_eq "no change summary" "summary: 0 added, 0 removed, 0 changed" "$out"
out=$("$TG" screen --diff $D/lists_old 2>&1); rc=$?
expect_eq "diff needs two dirs" 2 "$rc"
expect_eq "diff usage message" "tollgate: error: --diff needs OLD_DIR NEW_DIR" "$out"
finish
