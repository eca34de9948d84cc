"""Near-duplicate thresholds measured on the seeds, and ingestion speed on a generated corpus.

Prints the exact (set) Jaccard similarity and containment of the 5-gram shingles of every
pair of seed articles: the duplicate pair(s) and the most similar pair that is not one.
With a corpus directory (``python benchmarks/make_corpus.py 5000 --out /tmp/c5k``) it also
times :func:`newskg.extract.ingestion.ingest.ingest` over it and counts the duplicates flagged (articles made
by recombining the same seed sentences: none is a copy of another)::

    python benchmarks/dedup_seeds.py [/tmp/c5k]
"""

from __future__ import annotations

import itertools
import sys
import time

from newskg.extract import Report
from newskg.extract.ingestion.dedup import shingle_hashes
from newskg.extract.ingestion.ingest import ingest


def pair_table() -> None:
    arts = list(ingest(["seeds/"]))
    sets = {a.id: set(shingle_hashes(a.text).tolist()) for a in arts}
    rows = []
    for a, b in itertools.combinations(arts, 2):
        sa, sb = sets[a.id], sets[b.id]
        if not sa or not sb:
            continue
        inter = len(sa & sb)
        dup = a.id in (b.duplicate_of, b.id) or b.id == a.duplicate_of
        rows.append((dup, inter / len(sa | sb), inter / min(len(sa), len(sb)), a.title, b.title))
    print(f"{len(arts)} seed articles, {len(rows)} pairs")
    print(f"{'pair':<12} {'jaccard':>8} {'containment':>12}  titles")
    for label, pick in (("duplicate", [r for r in rows if r[0]]), ("other", [r for r in rows if not r[0]])):
        for r in sorted(pick, key=lambda r: r[1], reverse=True)[:3]:
            print(f"{label:<12} {r[1]:>8.3f} {r[2]:>12.3f}  {r[3][:16]} | {r[4][:16]}")
    print(f"highest containment of a non-duplicate pair: {max(r[2] for r in rows if not r[0]):.3f}")


def speed(corpus: str) -> None:
    report = Report()
    start = time.perf_counter()
    arts = list(ingest([corpus], report))
    dt = time.perf_counter() - start
    chars = sum(len(a.text) for a in arts)
    dups = sum(a.duplicate_of is not None for a in arts)
    print(
        f"{len(arts)} articles, {chars:,} chars in {dt:.2f} s: {len(arts) / dt:,.0f} articles/s, "
        f"{chars / dt / 1e6:.2f} M chars/s; duplicates flagged: {dups}"
    )


if __name__ == "__main__":
    pair_table()
    if len(sys.argv) > 1:
        speed(sys.argv[1])
