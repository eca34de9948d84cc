"""Network analytics on the co-mention graph, stored as node attributes.

Computed on the undirected co-mention view (structural edges are left out):
degree, weighted degree, PageRank, betweenness on the largest connected component
(sampled with a fixed seed above :data:`BETWEENNESS_EXACT_MAX` nodes) and Louvain
communities (seeded, so builds are reproducible).

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_edge("a", "b", key="co_mention", kind="co_mention", weight=2)
'co_mention'
>>> add_analytics(G)
>>> G.nodes["a"]["degree"], G.nodes["a"]["weighted_degree"]
(1, 2)
"""

from __future__ import annotations

import networkx as nx

BETWEENNESS_EXACT_MAX = 2000
SEED = 42


def comention_view(G: nx.MultiDiGraph) -> nx.Graph:
    """The undirected, simple graph of co-mention edges, with ``weight``."""
    H = nx.Graph()
    H.add_nodes_from(G.nodes)
    for u, v, d in G.edges(data=True):
        if d.get("kind") == "co_mention":
            H.add_edge(u, v, weight=d.get("weight", 1))
    return H


def add_analytics(G: nx.MultiDiGraph) -> None:
    """Set ``degree``, ``weighted_degree``, ``pagerank``, ``betweenness``, ``community`` on nodes."""
    H = comention_view(G)
    pr = nx.pagerank(H, weight="weight") if H.number_of_edges() else {n: 1 / max(len(H), 1) for n in H}
    between: dict = {}
    if H.number_of_edges():
        lcc = H.subgraph(max(nx.connected_components(H), key=len))
        k = None if len(lcc) <= BETWEENNESS_EXACT_MAX else BETWEENNESS_EXACT_MAX // 4
        between = nx.betweenness_centrality(lcc, k=k, seed=SEED)
    communities = nx.community.louvain_communities(H, weight="weight", seed=SEED) if len(H) else []
    ordered = sorted(communities, key=lambda c: (-len(c), min(c)))
    community = {n: i for i, c in enumerate(ordered) for n in c}
    for n in G.nodes:
        attrs = G.nodes[n]
        attrs["degree"] = H.degree(n)
        attrs["weighted_degree"] = H.degree(n, weight="weight")
        attrs["pagerank"] = round(pr.get(n, 0.0), 8)
        attrs["betweenness"] = round(between.get(n, 0.0), 8)
        attrs["community"] = community.get(n, -1)
