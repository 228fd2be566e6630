#!/usr/bin/env bash
# `tollgate screen --batch FILE`: JSON Lines and CSV output, every bad line reported.
. "$(dirname "$0")/../lib.sh"
L=tests/screening/lists_new

out=$("$TG" screen --batch tests/screening/batch.csv --lists $L 2>/dev/null | python3 -c '
import json,sys
for line in sys.stdin:
    d=json.loads(line); print(d["id"], [(h["list"], h["entry_id"], h["alias"], h["score"]) for h in d["hits"]])'); rc=$?
expect_eq "jsonl: one object per input with id and hits" "p1 [('ofac_sdn', '10', '', 1.0)]
p2 []
p3 [('ofac_sdn', '13', '', 1.0)]
p4 []
p5 [('watchlist', 'w1', '', 1.0)]" "$out"

out=$("$TG" screen --batch tests/screening/batch.csv --lists $L --format csv 2>/dev/null); rc=$?
expect_eq "csv exit (hits found)" 1 "$rc"
expect_eq "csv output" 'id,name,country,list,entry_id,entry_name,alias,score,matched_tokens
p1,Zeta Optics Company Limited,CN,ofac_sdn,10,"ZETA OPTICS CO., LTD.",,1.0000,zeta optics
p2,Kappa Aerospace Institute,CN,,,,,,
p3,Omega Microelectronics Ltd,,ofac_sdn,13,OMEGA MICROELECTRONICS LIMITED,,1.0000,omega microelectronics
p4,Totally Unlisted Bakery,FR,,,,,,
p5,華為技術有限公司,CN,watchlist,w1,华为技术有限公司,,1.0000,huawei technology' "$out"

out=$("$TG" screen --batch tests/screening/batch_bad.csv --lists $L 2>&1 >/dev/null)
expect_contains "bad line 3 located" "tests/screening/batch_bad.csv:3:4: error: field 'name': empty name" "$out"
expect_contains "bad line 4 located" "tests/screening/batch_bad.csv:4:15: error: field 'country': country 'China' is not a code" "$out"
"$TG" screen --batch tests/screening/batch_bad.csv --lists $L >/dev/null 2>&1
expect_eq "bad batch exit code" 2 "$?"
finish
