"""The naive way to a news knowledge graph, for comparison with ``newskg build``.

jieba part-of-speech tags as entities (``nr`` person, ``ns`` place, ``nt``
organisation), every pair of entities in an article as an edge, a networkx graph
written as GraphML, and a pyvis HTML view of the 300 best-connected nodes (pyvis
cannot draw the whole graph of a large corpus). One process, no cache.

Usage::

    python benchmarks/naive_baseline.py CORPUS_DIR OUT_DIR

prints one JSON line: ``{"articles", "chars", "extract_s", "total_s", "nodes", "edges"}``.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

import jieba
import jieba.posseg as pseg
import networkx as nx
from pyvis.network import Network

TYPES = {"nr": "PERSON", "ns": "PLACE", "nt": "ORG"}


def main(corpus: str, out: str) -> dict:
    t0 = time.perf_counter()
    jieba.setLogLevel(60)
    jieba.initialize()
    pairs: Counter = Counter()
    nodes: dict[str, str] = {}
    articles = chars = 0
    extract_s = 0.0
    for path in sorted(Path(corpus).rglob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            text = json.loads(line)["text"]
            articles += 1
            chars += len(text)
            t = time.perf_counter()
            found = {w.word: TYPES[w.flag] for w in pseg.cut(text) if w.flag in TYPES and len(w.word) > 1}
            extract_s += time.perf_counter() - t
            nodes.update(found)
            pairs.update(combinations(sorted(found), 2))
    G = nx.Graph()
    for name, type_ in nodes.items():
        G.add_node(name, type=type_)
    G.add_weighted_edges_from((a, b, w) for (a, b), w in pairs.items())
    Path(out).mkdir(parents=True, exist_ok=True)
    nx.write_graphml(G, Path(out) / "graph.graphml")
    top = sorted(G.degree, key=lambda nd: (-nd[1], nd[0]))[:300]
    net = Network(height="800px", width="100%")
    net.from_nx(G.subgraph(n for n, _ in top))
    net.write_html(str(Path(out) / "graph.html"), notebook=False)
    total = time.perf_counter() - t0
    return {
        "articles": articles,
        "chars": chars,
        "extract_s": round(extract_s, 2),
        "total_s": round(total, 2),
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
    }


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python benchmarks/naive_baseline.py CORPUS_DIR OUT_DIR")
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
