#!/usr/bin/env python3
"""Runs the historic scenario suite: for every NAME.orders.csv here, `tollgate check` it
(bundled policy and catalog, no screening) and compares each line with NAME.expected.csv.

    check_scenarios.py TOLLGATE [NAME ...]

Prints one line per mismatch as `NAME.expected.csv:LINE: ORDER:LINE: field: expected X, got Y`
and exits 1 if any; 0 when every expectation holds. The expectations were worked out by hand
(reasoning in the comments of each expected file), not copied from the engine.

Expected file format (CSV, '#' comment lines):
  order_id,line,decision,review,exception,eccn,obligations
  - an empty cell must be null in the output; "*" is not checked; "a|b" accepts either;
  - obligations: ";"-separated kind[:rate[:amount]] that must be present; "-" means no
    revenue share and no tariff at all; "*" is not checked. A revenue share or tariff that is
    not listed is a mismatch.
  - dispute (optional 8th column): why the hand-derived expectation disagrees with the bundled
    policy. Mismatches on such rows are printed as DISPUTED and do not fail the run (the
    disagreement is for the policy owner to settle); a disputed row that now matches is
    reported too, so the note can be removed.
"""
import csv
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def accepts(expected, actual):
    actual = "" if actual is None else str(actual)
    if expected == "*":
        return True
    return actual in expected.split("|")


def check_obligations(spec, obligations):
    if spec == "*":
        return []
    money = [o for o in obligations if o["kind"] in ("revenue_share", "tariff")]
    if spec == "-":
        return [f"expected no revenue share or tariff, got {o['kind']} {o.get('rate')}"
                for o in money]
    problems = []
    wanted_money = set()
    for item in spec.split(";"):
        parts = item.split(":")
        kind = parts[0]
        if kind in ("revenue_share", "tariff"):
            wanted_money.add(kind)
        matches = [o for o in obligations if o["kind"] == kind]
        if len(parts) > 1:
            matches = [o for o in matches
                       if o.get("rate") is not None and float(o["rate"]) == float(parts[1])]
        if len(parts) > 2:
            matches = [o for o in matches if o.get("amount") == parts[2]]
        if not matches:
            got = [(o["kind"], o.get("rate"), o.get("amount")) for o in obligations]
            problems.append(f"expected {item}, got {got}")
    for o in money:
        if o["kind"] not in wanted_money:
            problems.append(f"unexpected {o['kind']} {o.get('rate')}")
    return problems


def run(tollgate, name):
    """Returns (number of expectations, problems, disputed notes)."""
    orders = HERE / f"{name}.orders.csv"
    expected_file = HERE / f"{name}.expected.csv"
    proc = subprocess.run([tollgate, "check", str(orders), "--no-screen", "--format", "jsonl"],
                          capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        return 0, [f"{orders.name}: tollgate check exited {proc.returncode}: "
                   f"{proc.stderr.strip()}"], []
    got = {}
    for text in proc.stdout.splitlines():
        d = json.loads(text)
        got[(d["order_id"], d["line"])] = d
    problems, disputed = [], []
    seen = set()
    with open(expected_file) as f:
        for lineno, raw in enumerate(f, 1):
            if not raw.strip() or raw.startswith("#"):
                continue
            row = next(csv.reader([raw]))
            oid, line, decision, review, exception, eccn, obligations = row[:7]
            dispute = row[7] if len(row) > 7 else ""
            row_problems = []
            key = (oid, int(line))
            seen.add(key)
            where = f"{expected_file.name}:{lineno}: {oid}:{line}"
            d = got.get(key)
            if d is None:
                problems.append(f"{where}: no decision in the output")
                continue
            rules = [r["id"] for r in d["rules"]]
            for field, want in (("decision", decision), ("review", review),
                                ("exception", exception), ("eccn", eccn)):
                if not accepts(want, d.get(field)):
                    row_problems.append(f"{where}: {field}: expected {want or 'null'}, got "
                                    f"{d.get(field)} (rules {rules})")
            for p in check_obligations(obligations, d["obligations"]):
                row_problems.append(f"{where}: obligations: {p}")
            if dispute and row_problems:
                disputed += [f"DISPUTED ({dispute}): {p}" for p in row_problems]
            elif dispute:
                disputed.append(f"{where}: disputed row now matches; remove the dispute note")
            else:
                problems += row_problems
    for key in got:
        if key not in seen:
            problems.append(f"{expected_file.name}: {key[0]}:{key[1]} has no expectation")
    return len(seen), problems, disputed


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    tollgate = sys.argv[1]
    names = sys.argv[2:] or sorted(p.name[:-len(".orders.csv")]
                                   for p in HERE.glob("*.orders.csv"))
    total, problems, disputed = 0, [], []
    for name in names:
        n, p, d = run(tollgate, name)
        total += n
        problems += p
        disputed += d
    for p in disputed + problems:
        print(p)
    print(f"scenarios: {total} expected lines in {len(names)} files, {len(problems)} "
          f"mismatch(es), {len(disputed)} disputed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
