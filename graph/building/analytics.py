"""Network analytics on the co-mention graph, stored as node attributes.

Computed on the undirected co-mention view (structural edges are left out), each in
time about linear in the size of the graph, so that they stay small next to
extraction however large the corpus (issue #10):

- ``degree`` and ``weighted_degree``;
- ``pagerank``: networkx's power iteration (damping 0.85, dangling nodes spread evenly,
  stopping when the change is under ``n * 1e-6``) on a scipy sparse matrix;
- ``betweenness`` on the largest connected component, normalised as networkx does.
  Exact (every node a source) when the component has at most
  :data:`BETWEENNESS_EXACT_MAX` nodes; above that it is *estimated* from
  :data:`BETWEENNESS_SOURCES` source nodes drawn with a fixed seed (Brandes et al.'s
  pivot sampling, the ``k`` of ``networkx.betweenness_centrality``), scaled by
  ``n / k`` and capped at 1. Cost: ``O(k (n + m))``, in batched sparse products
  (:func:`betweenness`) rather than a Python loop per node. The estimate ranks the
  bridging entities well; small values of peripheral entities are noisy;
- ``community``: Louvain, igraph's multilevel algorithm (in C, on a graph of integers:
  networkx's on a graph of dicts took most of the analytics' time and memory at 50,000
  articles, issue #21), its random choices seeded; run on the components of more than two
  entities (an isolated entity or pair is a community of its own, as Louvain would
  find, and on news corpora they are a fifth of the nodes); communities numbered by
  size, largest first.

The measures are computed on arrays (:func:`node_analytics`): the co-mention view is a
sparse matrix, never a networkx graph, so that a build's file (``graph.sqlite``) gives
them without the graph in memory (:func:`add_analytics_db`).

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
from collections.abc import Iterable, Iterator
from pathlib import Path

import networkx as nx
import numpy as np
import scipy.sparse as sp
from newskg.graph.export.graphdb import GraphDB, update_nodes
from scipy.sparse import csgraph

BETWEENNESS_EXACT_MAX = 1000
BETWEENNESS_SOURCES = 64
SEED = 42
_BATCH = 16  # sources whose breadth-first searches run together (memory: a few n x _BATCH arrays)
# At most this many cells (nodes x sources) in those arrays, about 55 bytes each at the peak: the
# batch shrinks on a large component (4 sources for 838,553 nodes at 200,000 articles, issue #21).
_CELLS = 4_000_000
# Edges handed to igraph at a time: its conversion holds each as Python integers (about 130 bytes).
_EDGES_AT_ONCE = 1_000_000


def comention_view(G: nx.MultiDiGraph) -> nx.Graph:
    """The undirected, simple graph of co-mention edges, with ``weight``."""
    H = nx.Graph()
    H.add_nodes_from(G.nodes)
    co = ((u, v, d) for u, v, d in G.edges(data=True) if d.get("kind") == "co_mention")
    H.add_edges_from((u, v, {"weight": d.get("weight", 1)}) for u, v, d in co)
    return H


def betweenness(H: nx.Graph, k: int | None = None, seed: int = SEED) -> dict:
    """Normalised (unweighted) betweenness of the nodes of the connected graph ``H``
    (:func:`betweenness_of` its adjacency matrix).

    Examples
    --------
    >>> b = betweenness(nx.path_graph(3))
    >>> b[1], b[0]
    (1.0, 0.0)
    """
    nodes = list(H)
    A = sp.csr_matrix(
        nx.to_scipy_sparse_array(H, nodelist=nodes, weight=None, format="csr", dtype=np.float64)
    )
    return dict(zip(nodes, betweenness_of(A, k, seed).tolist(), strict=True))


def betweenness_of(A: sp.csr_matrix, k: int | None = None, seed: int = SEED) -> np.ndarray:
    """Normalised betweenness of the nodes of the connected graph of the symmetric 0/1 matrix ``A``.

    Exact when ``k`` is None or at least the number of nodes; otherwise estimated from ``k``
    sources drawn with ``seed`` and scaled by ``n / k`` (values capped at 1).
    """
    n = A.shape[0]
    if n <= 2:
        return np.zeros(n)
    sources = list(range(n)) if k is None or k >= n else sorted(random.Random(seed).sample(range(n), k))
    total = np.zeros(n)
    batch = max(1, min(_BATCH, _CELLS // n))
    for i in range(0, len(sources), batch):
        total += _dependencies(A, sources[i : i + batch])
    scale = 1.0 / ((n - 1) * (n - 2)) * (n / len(sources))
    return np.minimum(total * scale, 1.0)


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


def pagerank(A: sp.csr_matrix, alpha: float = 0.85, tol: float = 1e-6, max_iter: int = 100) -> np.ndarray:
    """PageRank of the nodes of the weighted adjacency matrix ``A``, as ``networkx.pagerank`` computes it.

    >>> G = nx.les_miserables_graph()
    >>> A = nx.to_scipy_sparse_array(G, weight="weight", format="csr")
    >>> theirs = nx.pagerank(G, weight="weight")
    >>> bool(max(abs(x - theirs[n]) for x, n in zip(pagerank(sp.csr_matrix(A)), G)) < 1e-12)
    True
    """
    n = A.shape[0]
    if n == 0:
        return np.zeros(0)
    out = np.asarray(A.sum(axis=1)).ravel()
    inverse = np.divide(1.0, out, out=np.zeros(n), where=out != 0)
    Q = sp.csr_matrix(sp.diags(inverse) @ A)
    dangling = out == 0
    x = np.full(n, 1.0 / n)
    p = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = alpha * (x @ Q + x[dangling].sum() * p) + (1 - alpha) * p
        if np.abs(x - last).sum() < n * tol:
            break
    return x


def louvain(n: int, src: np.ndarray, dst: np.ndarray, weight: np.ndarray, seed: int = SEED) -> list[int]:
    """The community of each of ``n`` nodes by Louvain (igraph's multilevel), its random choices seeded."""
    import igraph

    g = igraph.Graph(n=n)
    for i in range(0, len(src), _EDGES_AT_ONCE):  # the whole list at once: 590 MB more at 4.7 M edges
        g.add_edges(np.column_stack([src[i : i + _EDGES_AT_ONCE], dst[i : i + _EDGES_AT_ONCE]]).tolist())
    igraph.set_random_number_generator(random.Random(seed))
    try:
        return g.community_multilevel(weights=weight.tolist()).membership
    finally:
        igraph.set_random_number_generator(random)


def node_analytics(nodes: list[str], src: np.ndarray, dst: np.ndarray, weight: np.ndarray) -> Iterator[dict]:
    """``degree``, ``weighted_degree``, ``pagerank``, ``betweenness`` and ``community`` of each of ``nodes``,
    in their order, from the co-mention edges ``nodes[src[i]] -- nodes[dst[i]]`` of ``weight``.

    See the module docstring for the estimates used on large graphs.

    >>> src, dst, w = np.array([0, 1]), np.array([1, 2]), np.array([2, 1])
    >>> found = node_analytics(["a", "b", "c", "d"], src, dst, w)
    >>> [(d["degree"], d["weighted_degree"], d["community"]) for d in found]
    [(1, 2, 0), (2, 3, 0), (1, 1, 0), (0, 0, 1)]
    """
    n = len(nodes)
    ends = np.concatenate([src, dst])
    A = sp.csr_matrix(
        (np.concatenate([weight, weight]).astype(np.float64), (ends, np.concatenate([dst, src]))), (n, n)
    )
    degree = np.bincount(ends, minlength=n)
    weighted = np.bincount(ends, weights=np.concatenate([weight, weight]), minlength=n)
    del ends
    pr = pagerank(A) if len(src) else np.full(n, 1 / max(n, 1))
    rank = np.empty(n, dtype=np.int64)
    rank[sorted(range(n), key=nodes.__getitem__)] = np.arange(n)  # a node's place by id: ties go by id
    count, label = csgraph.connected_components(A, directed=False)
    members: list[list[int]] = [[] for _ in range(count)]
    for i in sorted(range(n), key=rank.__getitem__):
        members[label[i]].append(i)  # each component's nodes by id
    between = np.zeros(n)
    if len(src):
        lcc = max(members, key=lambda c: (len(c), -rank[c[0]]))
        lcc_a = A[lcc][:, lcc]
        lcc_a.data[:] = 1.0
        k = None if len(lcc) <= BETWEENNESS_EXACT_MAX else BETWEENNESS_SOURCES
        between[lcc] = betweenness_of(sp.csr_matrix(lcc_a), k=k, seed=SEED)
        del lcc_a
    del A  # Louvain's graph is made from the edge arrays: the matrix is 110 MB at 200,000 articles
    # An isolated entity or pair is a community of its own (as Louvain would find): Louvain runs on the rest.
    communities = [c for c in members if len(c) <= 2]
    rest = np.array(sorted(i for c in members if len(c) > 2 for i in c), dtype=np.int64)
    if len(rest):
        where = np.full(n, -1, dtype=np.int64)
        where[rest] = np.arange(len(rest))
        keep = (where[src] >= 0) & (where[dst] >= 0)
        membership = louvain(len(rest), where[src[keep]], where[dst[keep]], weight[keep])
        found: dict[int, list[int]] = {}
        for i, c in zip(rest.tolist(), membership, strict=True):
            found.setdefault(c, []).append(i)
        communities += found.values()
    community = np.full(n, -1, dtype=np.int64)
    for number, c in enumerate(sorted(communities, key=lambda c: (-len(c), min(rank[i] for i in c)))):
        community[c] = number
    whole = np.issubdtype(weight.dtype, np.integer)
    for i in range(n):
        yield {
            "degree": int(degree[i]),
            "weighted_degree": int(weighted[i]) if whole else float(weighted[i]),
            "pagerank": round(float(pr[i]), 8),
            "betweenness": round(float(between[i]), 8),
            "community": int(community[i]),
        }


def comention_arrays(nodes: list[str], edges: Iterable[tuple[str, str, object]]) -> tuple[np.ndarray, ...]:
    """``(src, dst, weight)`` arrays of co-mention ``edges`` ``(u, v, weight)`` between ``nodes``
    (indices into ``nodes``; a weight of None is 1)."""
    index = {n: i for i, n in enumerate(nodes)}
    src, dst, weight = [], [], []
    for u, v, w in edges:
        src.append(index[u])
        dst.append(index[v])
        weight.append(1 if w is None else w)
    whole = all(isinstance(w, int) for w in weight)
    return (
        np.array(src, dtype=np.int64),
        np.array(dst, dtype=np.int64),
        np.array(weight, dtype=np.int64 if whole else np.float64),
    )


def add_analytics(G: nx.MultiDiGraph) -> None:
    """Set ``degree``, ``weighted_degree``, ``pagerank``, ``betweenness``, ``community`` on ``G``'s nodes."""
    nodes = list(G)
    co = ((u, v, d.get("weight", 1)) for u, v, d in G.edges(data=True) if d.get("kind") == "co_mention")
    for n, attrs in zip(nodes, node_analytics(nodes, *comention_arrays(nodes, co)), strict=True):
        G.nodes[n].update(attrs)


def add_analytics_db(path: str | Path) -> None:
    """:func:`add_analytics` for a graph written to SQLite (:mod:`newskg.graph.export.graphdb`): only the
    co-mention edges' ends and weights are read, as arrays, and the nodes are updated in the file."""
    V = GraphDB(path)
    try:
        nodes = list(V.nodes)
        arrays = comention_arrays(nodes, V.weighted_edges("co_mention"))
    finally:
        V.close()
    update_nodes(path, node_analytics(nodes, *arrays))
