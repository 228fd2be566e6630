#!/usr/bin/env python3
"""Writes N deterministic random export requests for the peer benchmark.

CSV columns: id,eccn,destination,end_use (eccn empty when the item is not 3A090/4A090).
The same file is decided by Tollgate, Casbin and Cedar; their decisions must agree.
"""
import random
import sys

ECCNS = ["3A090.a", "3A090.b", "4A090.a", "4A090.b", ""]
COUNTRIES = ["CN", "MO", "HK", "RU", "VN", "AE", "SA", "IL", "US", "DE", "JP", "SG",
             "MY", "IR", "KP", "SY", "CU", "IN", "BR", "KZ", "BY", "VE", "QA", "TW"]
USES = ["commercial", "datacenter", "research", "government", "military",
        "military_intelligence", "supercomputer", "advanced_ic"]

def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    rng = random.Random(20251208)
    out = sys.stdout
    out.write("id,eccn,destination,end_use\n")
    for i in range(n):
        out.write(f"{i},{rng.choice(ECCNS)},{rng.choice(COUNTRIES)},{rng.choice(USES)}\n")

if __name__ == "__main__":
    main()
