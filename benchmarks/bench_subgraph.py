"""Seconds and peak RSS of ``graph.load(OUT)`` against two subgraph loads (issue #21), one process each.

    python benchmarks/bench_subgraph.py OUT [ENTITY]

ENTITY (default 中华全国总工会) is the centre of the ``around`` load: an id, name or alias.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time

LOADS = {
    "whole": {},
    "types": {"types": {"ORG", "PERSON"}, "min_weight": 3},
    "around": {"around": None, "hops": 1, "min_weight": 3},
}


def one(out: str, name: str, entity: str) -> None:
    from newskg import graph

    kwargs = {k: ([entity] if k == "around" else v) for k, v in LOADS[name].items()}
    t = time.perf_counter()
    G = graph.load(out, **kwargs)
    seconds = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| `{name}` {kwargs} | {len(G):,} | {G.number_of_edges():,} | {seconds:.1f} | {rss:.0f} |")


def main() -> None:
    out = sys.argv[1]
    entity = sys.argv[2] if len(sys.argv) > 2 else "中华全国总工会"
    if len(sys.argv) > 3:
        one(out, sys.argv[3], entity)
        return
    print("| load | nodes | edges | s | peak RSS MB |\n| --- | ---: | ---: | ---: | ---: |")
    for name in LOADS:
        subprocess.run([sys.executable, __file__, out, entity, name], check=True)


if __name__ == "__main__":
    main()
