#!/bin/sh
# End-to-end: `policy check` on broken policies prints located diagnostics and exits 1; a
# failing policy test is reported at its location with exit 1; bad usage exits 2.
set -u
TG="$1"
fail() { echo "$1"; exit 1; }
err=$("$TG" policy check tests/policy/cli/broken 2>&1 >/dev/null); rc=$?
[ $rc = 1 ] || fail "policy check broken: exit $rc, expected 1"
expected=$(cat tests/policy/cli/broken.expected)
[ "$err" = "$expected" ] || { echo "policy check broken: got:"; echo "$err"; exit 1; }
out=$("$TG" policy test tests/policy/cli/failing 2>&1); rc=$?
[ $rc = 1 ] || fail "policy test failing: exit $rc, expected 1"
expected=$(cat tests/policy/cli/failing.expected)
[ "$out" = "$expected" ] || { echo "policy test failing: got:"; echo "$out"; exit 1; }
"$TG" policy check tests/policy/does-not-exist >/dev/null 2>&1; rc=$?
[ $rc = 2 ] || fail "missing dir: exit $rc, expected 2"
"$TG" policy frobnicate policies/us >/dev/null 2>&1; rc=$?
[ $rc = 2 ] || fail "unknown subcommand: exit $rc, expected 2"
echo OK
