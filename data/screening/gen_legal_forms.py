#!/usr/bin/env python3
"""Derives data/screening/legal_forms.tsv from rigour's org_types.yml (MIT licence,
(c) OpenSanctions / rigour contributors; see data/screening/LICENSE.rigour).

Usage: python3 gen_legal_forms.py /work/shared/data/names/rigour_org_types.yml > legal_forms.tsv
Each output line: alias<TAB>compare<TAB>generic. Tollgate normalises the alias with its own
normaliser when it loads the table, so aliases stay as published.
"""
import sys
import yaml

doc = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
print("# Derived from rigour org_types.yml (MIT). alias\tcompare\tgeneric")
seen = set()
# Aliases that are also ordinary words or name particles: kept out of the table.
EXCLUDE = {"in", "se", "ao", "ku", "gku", "lt", "lt.", "ll", "lc", "pmc", "vog", "abp", "cic", "aat", "cyf", "a g", "b v", "e v", "n v"}
for t in doc["types"]:
    generic = (t.get("generic") or "").strip()
    compare = (t.get("compare") or t.get("display") or "").strip()
    for alias in t.get("aliases") or []:
        alias = str(alias).strip()
        if not alias or alias.lower() in EXCLUDE:
            continue
        key = (alias.lower(), compare.lower(), generic)
        if key in seen:
            continue
        seen.add(key)
        print(f"{alias}\t{compare or alias}\t{generic}")
