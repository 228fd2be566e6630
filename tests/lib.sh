# Helpers shared by the CLI end-to-end test scripts. Source it; $TG is the tollgate binary.
set -u
TG="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2
FAILS=0
# expect_eq NAME EXPECTED ACTUAL
expect_eq() {
  if [ "$2" != "$3" ]; then
    echo "FAIL: $1"
    echo "--- expected"; printf '%s\n' "$2"
    echo "--- actual"; printf '%s\n' "$3"
    FAILS=$((FAILS + 1))
  else
    echo "ok: $1"
  fi
}
# expect_contains NAME NEEDLE HAYSTACK
expect_contains() {
  case "$3" in
    *"$2"*) echo "ok: $1" ;;
    *) echo "FAIL: $1: missing [$2] in:"; printf '%s\n' "$3"; FAILS=$((FAILS + 1)) ;;
  esac
}
finish() {
  if [ "$FAILS" -ne 0 ]; then echo "$FAILS check(s) failed"; exit 1; fi
  echo "all checks passed"
}
