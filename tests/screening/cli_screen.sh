#!/usr/bin/env bash
# `tollgate screen NAME`: table and JSON output, exit codes, Chinese input, bundled lists.
. "$(dirname "$0")/../lib.sh"
L=tests/screening/lists_new

out=$("$TG" screen "Zeta Optics Company Limited" --lists $L --country CN 2>/dev/null); rc=$?
expect_eq "hit exits 1" 1 "$rc"
expect_eq "table output" "SCORE   LIST             ENTRY      NAME [ALIAS] : MATCHED TOKENS
1.0000  ofac_sdn         10         ZETA OPTICS CO., LTD. : zeta optics" "$out"

out=$("$TG" screen "Zeta Opticks Co" --lists $L --country DE --format json 2>/dev/null | python3 -c '
import json,sys; d=json.load(sys.stdin); h=d["hits"][0]
print(h["list"], h["entry_id"], h["name"], h["score"] < 1.0, [(m["query"], m["entry"]) for m in h["matched_tokens"]])')
expect_eq "json hit with fuzzy token and country mismatch" \
  "ofac_sdn 10 ZETA OPTICS CO., LTD. True [('zeta', 'zeta'), ('opticks', 'optics')]" "$out"

out=$("$TG" screen "Zeta Optical Company" --lists $L --format json 2>/dev/null | python3 -c '
import json,sys; h=json.load(sys.stdin)["hits"][0]; print(h["alias"])')
expect_eq "alias that matched is named" "ZETA OPTICAL COMPANY" "$out"

out=$("$TG" screen "Totally Unlisted Bakery" --lists $L 2>/dev/null); rc=$?
expect_eq "no hit exits 0" 0 "$rc"
expect_eq "no hit message" "no hits at or above 0.8000" "$out"

out=$("$TG" screen "Zeta Optics" --lists $L 2>&1 >/dev/null)
expect_eq "--lists says what it loaded" "loaded ofac_sdn tests/screening/lists_new/ofac/sdn.csv (ofac_sdn): 3 entries, date not stated
loaded watchlist tests/screening/lists_new/watch.csv (watchlist): 2 entries, date not stated" "$out"

out=$("$TG" screen "華為技術有限公司" --lists $L --format json 2>/dev/null | python3 -c '
import json,sys; h=json.load(sys.stdin)["hits"][0]; print(h["list"], h["entry_id"], h["score"])')
expect_eq "traditional Chinese finds the simplified watch-list entry" "watchlist w1 1.0" "$out"

# Bundled lists (the default): the issue's two Chinese examples.
out=$("$TG" screen "华为技术有限公司" --format json | python3 -c '
import json,sys; h=json.load(sys.stdin)["hits"][0]; print(h["list"], h["entry_id"], h["name"])')
expect_eq "华为技术有限公司 on the bundled lists" "ofac_cons 30947 HUAWEI TECHNOLOGIES CO., LTD." "$out"
out=$("$TG" screen "中国电子科技集团有限公司" --format json | python3 -c '
import json,sys; print(any("China Electronics Technology Group Corporation 13th" in h["name"] for h in json.load(sys.stdin)["hits"]))')
expect_eq "中国电子科技集团有限公司 finds CETC 13" "True" "$out"

out=$("$TG" screen "Zeta Optics" --lists $L --threshold 1.01 2>&1); rc=$?
expect_eq "bad threshold exit" 2 "$rc"
expect_eq "bad threshold message" "tollgate: error: --threshold must be a number in [0,1], not '1.01'" "$out"
long=$(python3 -c 'print("x" * 2000)')
out=$("$TG" screen "$long" 2>&1); rc=$?
expect_eq "query length limit exit" 2 "$rc"
expect_eq "query length limit message" "tollgate: error: query is 2000 bytes; the limit is 1024 (ScreenOptions::max_query_bytes)" "$out"
finish
