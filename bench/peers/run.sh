#!/usr/bin/env bash
# Peer benchmark: Tollgate, Casbin (Go, Debian golang-github-casbin-casbin-dev) and Cedar
# (npm @cedar-policy/cedar-wasm) decide the same generated requests under the same small
# export policy (policy.md). Checks that all three agree on every decision, then prints each
# one's decisions per second and the ratios. Usage: bench/peers/run.sh BUILD_DIR [N]
set -euo pipefail
BUILD=$(realpath "${1:-build}")
N=${2:-100000}
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 gen_requests.py "$N" > "$work/req.csv"

"$BUILD/bench/peers/tollgate_peer" tollgate "$work/req.csv" > "$work/tollgate.out" 2> "$work/tollgate.err"

casbin_ok=0
if command -v go >/dev/null && [[ -d /usr/share/gocode/src/github.com/casbin/casbin ]]; then
  (cd casbin && GOPATH=/usr/share/gocode GO111MODULE=off go build -o "$work/casbin-peer" .)
  "$work/casbin-peer" casbin/model.conf casbin/policy.csv "$work/req.csv" > "$work/casbin.out" 2> "$work/casbin.err"
  casbin_ok=1
else
  echo "casbin: skipped (install golang-go golang-github-casbin-casbin-dev)" >&2
fi
cedar_ok=0
if command -v node >/dev/null; then
  (cd cedar && { [[ -d node_modules/@cedar-policy ]] || npm ci --no-audit --no-fund >/dev/null; })
  node cedar/peer.mjs cedar/policy.cedar "$work/req.csv" > "$work/cedar.out" 2> "$work/cedar.err"
  cedar_ok=1
else
  echo "cedar: skipped (needs node and npm)" >&2
fi

status=0
for peer in casbin cedar; do
  ok_var="${peer}_ok"
  if [[ ${!ok_var} == 1 ]]; then
    if cmp -s "$work/tollgate.out" "$work/$peer.out"; then
      echo "agreement: tollgate == $peer on all $N decisions"
    else
      echo "DISAGREEMENT: tollgate vs $peer:"; diff "$work/tollgate.out" "$work/$peer.out" | head; status=1
    fi
  fi
done
cat "$work"/*.err
python3 - "$work" <<'PY'
import re, sys, pathlib
w = pathlib.Path(sys.argv[1])
def rate(name, key):
    p = w / f"{name}.err"
    if not p.exists(): return None
    m = re.search(key + r"=(\d+)", p.read_text())
    return float(m.group(1)) if m else None
t_dec = rate("tollgate", "decide_only_per_sec"); t_all = rate("tollgate", "build_and_decide_per_sec")
for peer in ("casbin", "cedar"):
    r = rate(peer, "per_sec")
    if r:
        print(f"ratio tollgate/{peer}: decide-only {t_dec / r:.1f}x, build+decide {t_all / r:.1f}x")
PY
exit $status
