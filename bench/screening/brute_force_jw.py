#!/usr/bin/python3
"""Brute-force Jaro-Winkler baseline: every query against every name, in Python with the
Debian package python3-levenshtein (C extension). Normalisation is the usual minimum
(lower case, punctuation to spaces, spaces collapsed); a hit is JW >= THRESHOLD.

usage: brute_force_jw.py NAMES_FILE QUERIES_FILE [MAX_QUERIES] [THRESHOLD]
Prints queries/s (one core) and the number of hits.
"""
import re
import sys
import time

import Levenshtein

names_file, queries_file = sys.argv[1], sys.argv[2]
max_queries = int(sys.argv[3]) if len(sys.argv) > 3 else 500
threshold = float(sys.argv[4]) if len(sys.argv) > 4 else 0.90


def norm(s):
    return " ".join(re.sub(r"[^\w]+", " ", s.lower()).split())


names = [norm(l.rstrip("\n")) for l in open(names_file, encoding="utf-8")]
queries = [norm(l.rstrip("\n")) for l in open(queries_file, encoding="utf-8")][:max_queries]
jw = Levenshtein.jaro_winkler
hits = 0
t0 = time.perf_counter()
c0 = time.process_time()
for q in queries:
    for n in names:
        if jw(q, n) >= threshold:
            hits += 1
elapsed = time.perf_counter() - t0
cpu = time.process_time() - c0
print(f"python brute-force JW: {len(queries)} queries x {len(names)} names: wall {elapsed:.2f} s "
      f"({len(queries) / elapsed:.1f} screens/s), CPU {cpu:.2f} s "
      f"({len(queries) / cpu:.1f} screens/s per core), hits {hits} at JW >= {threshold}")
print(f"PY_SCREENS_PER_SEC {len(queries) / cpu:.2f}")
