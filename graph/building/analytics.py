"""Network analytics on the co-mention graph, stored as node attributes.

Computed on the undirected co-mention view (structural edges are left out), each in
time about linear in the size of the graph, so that they stay small next to
extraction however large the corpus (issue #10):

- ``degree`` and ``weighted_degree``;
- ``pagerank`` (networkx, sparse power iteration);
- ``betweenness`` on the largest connected component, normalised as networkx does.
  Exact (every node a source) when the component has at most
  :data:`BETWEENNESS_EXACT_MAX` nodes; above that it is *estimated* from
  :data:`BETWEENNESS_SOURCES` source nodes drawn with a fixed seed (Brandes et al.'s
  pivot sampling, the ``k`` of ``networkx.betweenness_centrality``), scaled by
  ``n / k`` and capped at 1. Cost: ``O(k (n + m))``, in batched sparse products
  (:func:`betweenness`) rather than a Python loop per node. The estimate ranks the
  bridging entities well; small values of peripheral entities are noisy;
- ``community``: Louvain (seeded) with a modularity-gain threshold of
  :data:`LOUVAIN_THRESHOLD` (networkx's default is 1e-7), which stops the passes that
  only move a few nodes on large graphs; run on the components of more than two
  entities (an isolated entity or pair is a community of its own, as Louvain would
  find, and on news corpora they are a fifth of the nodes); communities numbered by
  size, largest first.

Every step is deterministic, so a rebuild writes byte-identical files.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_edge("a", "b", key="co_mention", kind="co_mention", weight=2)
'co_mention'
>>> add_analytics(G)
>>> G.nodes["a"]["degree"], G.nodes["a"]["weighted_degree"]
(1, 2)
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from sys import intern

import networkx as nx
import numpy as np
import scipy.sparse as sp
from newskg.graph.export.graphdb import GraphDB, update_nodes

BETWEENNESS_EXACT_MAX = 1000
BETWEENNESS_SOURCES = 64
LOUVAIN_THRESHOLD = 1e-4
SEED = 42
_BATCH = 16  # sources whose breadth-first searches run together (memory: a few n x _BATCH arrays)


def comention_view(G: nx.MultiDiGraph) -> nx.Graph:
    """The undirected, simple graph of co-mention edges, with ``weight``."""
    H = nx.Graph()
    H.add_nodes_from(G.nodes)
    co = ((u, v, d) for u, v, d in G.edges(data=True) if d.get("kind") == "co_mention")
    H.add_edges_from((u, v, {"weight": d.get("weight", 1)}) for u, v, d in co)
    return H


def betweenness(H: nx.Graph, k: int | None = None, seed: int = SEED) -> dict:
    """Normalised (unweighted) betweenness of the nodes of the connected graph ``H``.

    Exact when ``k`` is None or at least ``len(H)``; otherwise estimated from ``k``
    sources drawn with ``seed`` and scaled by ``n / k`` (values capped at 1).

    Examples
    --------
    >>> b = betweenness(nx.path_graph(3))
    >>> b[1], b[0]
    (1.0, 0.0)
    """
    nodes = list(H)
    n = len(nodes)
    if n <= 2:
        return dict.fromkeys(nodes, 0.0)
    A = nx.to_scipy_sparse_array(H, nodelist=nodes, weight=None, format="csr", dtype=np.float64)
    A = sp.csr_matrix(A)
    sources = list(range(n)) if k is None or k >= n else sorted(random.Random(seed).sample(range(n), k))
    total = np.zeros(n)
    for i in range(0, len(sources), _BATCH):
        total += _dependencies(A, sources[i : i + _BATCH])
    scale = 1.0 / ((n - 1) * (n - 2)) * (n / len(sources))
    return {v: min(float(x) * scale, 1.0) for v, x in zip(nodes, total, strict=True)}


def _dependencies(A: sp.csr_matrix, sources: list[int]) -> np.ndarray:
    """Sum over ``sources`` of Brandes' dependencies of every node (sources excluded).

    The breadth-first searches of all the sources advance together, a level at a time:
    path counts flow from the frontier rows of the (symmetric) adjacency matrix.
    """
    n, b = A.shape[0], len(sources)
    cols = np.arange(b)
    dist = np.full((n, b), -1, dtype=np.int32)
    sigma = np.zeros((n, b))
    dist[sources, cols] = 0
    sigma[sources, cols] = 1.0
    level = 0
    frontier = np.unique(np.asarray(sources))
    while frontier.size:
        flow = np.where(dist[frontier] == level, sigma[frontier], 0.0)
        reach = A[frontier].T @ flow  # n x b path counts one step further
        new = (reach > 0) & (dist == -1)
        level += 1
        dist[new] = level
        sigma[new] = reach[new]
        frontier = np.flatnonzero(new.any(axis=1))
    delta = np.zeros((n, b))
    for d in range(level - 1, 0, -1):
        rows = np.flatnonzero((dist == d).any(axis=1))
        safe = np.where(sigma[rows] > 0, sigma[rows], 1.0)
        coef = np.where(dist[rows] == d, (1.0 + delta[rows]) / safe, 0.0)
        back = A[rows].T @ coef
        prev = dist == d - 1
        delta[prev] += sigma[prev] * back[prev]
    delta[sources, cols] = 0.0
    return delta.sum(axis=1)


def node_analytics(H: nx.Graph) -> Iterator[dict]:
    """``degree``, ``weighted_degree``, ``pagerank``, ``betweenness`` and ``community`` of each node
    of the co-mention view ``H`` (:func:`comention_view`), in ``H``'s order.

    See the module docstring for the estimates used on large graphs.
    """
    pr = nx.pagerank(H, weight="weight") if H.number_of_edges() else {n: 1 / max(len(H), 1) for n in H}
    between: dict = {}
    components = list(nx.connected_components(H))
    if H.number_of_edges():
        lcc = H.subgraph(sorted(max(components, key=lambda c: (len(c), min(c)))))
        k = None if len(lcc) <= BETWEENNESS_EXACT_MAX else BETWEENNESS_SOURCES
        between = betweenness(lcc, k=k, seed=SEED)
    # An isolated entity or pair is a community of its own (as Louvain would find): Louvain runs on the rest.
    communities = [c for c in components if len(c) <= 2]
    rest = H.subgraph(n for c in components if len(c) > 2 for n in c)
    if len(rest):
        kw = {"weight": "weight", "seed": SEED, "threshold": LOUVAIN_THRESHOLD}
        communities += nx.community.louvain_communities(rest, **kw)
    ordered = sorted(communities, key=lambda c: (-len(c), min(c)))
    community = {n: i for i, c in enumerate(ordered) for n in c}
    del components, communities, ordered
    for n in H:
        yield {
            "degree": H.degree(n),
            "weighted_degree": H.degree(n, weight="weight"),
            "pagerank": round(pr.get(n, 0.0), 8),
            "betweenness": round(between.get(n, 0.0), 8),
            "community": community.get(n, -1),
        }


def add_analytics(G: nx.MultiDiGraph) -> None:
    """Set ``degree``, ``weighted_degree``, ``pagerank``, ``betweenness``, ``community`` on ``G``'s nodes."""
    H = comention_view(G)
    for n, attrs in zip(H, node_analytics(H), strict=True):
        G.nodes[n].update(attrs)


def add_analytics_db(path: str | Path) -> None:
    """:func:`add_analytics` for a graph written to SQLite (:mod:`newskg.graph.export.graphdb`): only the
    co-mention view (ids and weights) is read into memory, and the nodes are updated in the file."""
    V = GraphDB(path)
    try:
        H = nx.Graph()
        H.add_nodes_from(intern(n) for n in V.nodes)
        H.add_edges_from(
            # one string an id, not one a row: the adjacency holds each id once per neighbour
            (intern(u), intern(v), {"weight": 1 if w is None else w})
            for u, v, w in V.weighted_edges("co_mention")
        )
    finally:
        V.close()
    update_nodes(path, node_analytics(H))
