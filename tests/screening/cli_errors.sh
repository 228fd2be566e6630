#!/usr/bin/env bash
# Malformed list files: every bad record located; good entries still load unless --strict.
. "$(dirname "$0")/../lib.sh"
D=tests/screening

out=$("$TG" screen "Good Name Ltd" --lists $D/lists_bad 2>&1); rc=$?
expect_eq "good entries still load (hit exit)" 1 "$rc"
expect_contains "empty name located" "tests/screening/lists_bad/watch.csv:3:1: error: field 'name': empty name" "$out"
expect_contains "bad country located" "tests/screening/lists_bad/watch.csv:4:16: error: field 'country': unknown country 'ZZ'" "$out"
expect_contains "skipped count" "2 malformed record(s) skipped (use --strict to fail)" "$out"

out=$("$TG" screen "Good Name Ltd" --lists $D/lists_bad --strict 2>&1); rc=$?
expect_eq "--strict fails" 2 "$rc"
out=$("$TG" screen x --lists /nonexistent/lists 2>&1); rc=$?
expect_eq "missing dir exit" 2 "$rc"
expect_eq "missing dir message" "tollgate: error: list directory '/nonexistent/lists' does not exist or is not a directory" "$out"
out=$("$TG" screen x --format xml 2>&1); rc=$?
expect_eq "bad format" "2 tollgate: error: --format must be table or json, not 'xml'" "$rc $out"
out=$("$TG" screen --batch $D/batch.csv --format table 2>&1); rc=$?
expect_eq "batch format" "2 tollgate: error: --format must be jsonl or csv, not 'table'" "$rc $out"
out=$("$TG" screen x --country China 2>&1); rc=$?
expect_eq "bad country flag" "2 tollgate: error: --country must be an ISO 3166 alpha-2 code such as CN, not 'China'" "$rc $out"
finish
