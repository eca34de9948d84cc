"""Node positions for the overview: a seeded spring layout per community, communities packed.

One ``spring_layout`` of thousands of nodes takes minutes; laid out community by
community (at most :data:`SPRING_MAX_NODES` each, the others placed beside their
neighbours) and packed without overlap, the cost stays about linear in the graph.

>>> import networkx as nx
>>> pos = layout(nx.path_graph(4))
>>> len(pos), all(len(p) == 2 for p in pos.values())
(4, True)
"""

from __future__ import annotations

import math
from collections import defaultdict, deque

import networkx as nx
import numpy as np

SEED = 42
# Distance (vis units, about pixels at zoom 1) between neighbouring nodes in the layout.
SPACING = 80.0
# The layout stays about linear in the size of the graph: a spring layout for at most this many
# nodes of a group (the others attached around them) and this many groups (the others spiral round).
SPRING_MAX_NODES = 300
PACK_MAX_GROUPS = 200


def layout(G: nx.Graph | nx.MultiDiGraph, seed: int = SEED) -> dict[str, tuple[float, float]]:
    """Node positions in vis-network units: a seeded spring layout per community, communities packed.

    Uses the ``community`` node attribute when every node has one (Louvain
    otherwise); isolated nodes are gathered in one spiral. About 1.5 s for
    5,000 nodes, where a single ``spring_layout`` takes 20 s or more.

    Examples
    --------
    >>> pos = layout(nx.path_graph(4))
    >>> len(pos), all(len(p) == 2 for p in pos.values())
    (4, True)
    """
    H = nx.Graph()
    H.add_nodes_from(G.nodes)
    # A reporter's links to all they reported on would pull the layout together: left out.
    H.add_edges_from((u, v) for u, v, d in G.edges(data=True) if u != v and d.get("kind") != "reported")
    if not len(H):
        return {}
    groups = _groups(G, H, seed)
    local = [_group_layout(H, g, seed) for g in groups]
    radii = np.array([max(np.abs(p).max(), SPACING / 2) for p in local]) + SPACING / 2
    centres = _pack(H, groups, radii, seed)
    pos: dict[str, tuple[float, float]] = {}
    for g, p, c in zip(groups, local, centres, strict=True):
        for n, xy in zip(g, p + c, strict=True):
            pos[n] = (round(float(xy[0]), 1), round(float(xy[1]), 1))
    return pos


def _groups(G: nx.Graph, H: nx.Graph, seed: int) -> list[list]:
    isolates = sorted((n for n in H if H.degree(n) == 0), key=str)
    rest = H.subgraph(n for n in H if H.degree(n))
    comm = nx.get_node_attributes(G, "community")
    if rest and all(n in comm for n in rest):
        by: dict = defaultdict(list)
        for n in rest:
            by[comm[n]].append(n)
        found = list(by.values())
    else:
        found = [list(c) for c in nx.community.louvain_communities(rest, seed=seed)] if rest else []
    groups = [sorted(g, key=str) for g in found]
    groups.sort(key=lambda g: (-len(g), str(g[0])))
    return groups + ([isolates] if isolates else [])


def _group_layout(H: nx.Graph, nodes: list, seed: int) -> np.ndarray:
    """Positions of one group around (0, 0), spread to about ``SPACING`` between nodes.

    A spring layout of its :data:`SPRING_MAX_NODES` best-connected nodes; the others
    (in a large group, mostly entities seen once) are set around their first placed
    neighbour, breadth first: time linear in the size of the group.
    """
    n = len(nodes)
    sub = H.subgraph(nodes)
    if n <= 2 or sub.number_of_edges() == 0:  # a pair, or the isolates: a sunflower spiral
        return _sunflower(n, SPACING * 0.6)
    core = nodes
    if n > SPRING_MAX_NODES:
        index = {v: i for i, v in enumerate(nodes)}
        best = sorted(nodes, key=lambda v: (-sub.degree(v), index[v]))[:SPRING_MAX_NODES]
        core = sorted(best, key=index.get)
    m = len(core)
    iterations = 50 if m < 200 else 30 if m < 600 else 15
    # A graph of its own, nodes in ``core`` order: a subgraph view iterates its node set in hash
    # order, which changes from run to run, and so would the layout.
    inner = set(core)
    spring = nx.Graph()
    spring.add_nodes_from(core)
    spring.add_weighted_edges_from(
        (u, v, d.get("weight", 1)) for u, v, d in sub.edges(core, data=True) if v in inner
    )
    p = nx.spring_layout(spring, seed=seed, iterations=iterations)
    xy = np.array([p[v] for v in core], dtype=float)
    xy -= xy.mean(axis=0)
    extent = max(float(np.abs(xy).max()), 1e-9)
    placed = dict(zip(core, xy / extent * (SPACING * 0.6 * math.sqrt(m)), strict=True))
    if m < n:
        _attach(sub, nodes, placed)
    return np.array([placed[v] for v in nodes], dtype=float)


def _sunflower(n: int, step: float, start: int = 0) -> np.ndarray:
    """``n`` points of a sunflower spiral around (0, 0), about ``step`` apart."""
    i = np.arange(start, start + n) + 0.5
    r, t = np.sqrt(i) * step, i * math.pi * (3 - math.sqrt(5))
    return np.column_stack([r * np.cos(t), r * np.sin(t)])


def _attach(sub: nx.Graph, nodes: list, placed: dict) -> None:
    """Place the nodes of ``sub`` not in ``placed`` near a placed neighbour, breadth first."""
    golden = math.pi * (3 - math.sqrt(5))
    children: dict = defaultdict(int)
    queue = deque(v for v in nodes if v in placed)
    while queue:
        u = queue.popleft()
        for w in sorted(sub[u], key=str):
            if w in placed:
                continue
            j = children[u]
            children[u] += 1
            r = SPACING * (0.5 + 0.15 * math.sqrt(j))
            placed[w] = placed[u] + np.array([r * math.cos(j * golden), r * math.sin(j * golden)])
            queue.append(w)
    rest = [v for v in nodes if v not in placed]  # not connected to the core (rare)
    if rest:
        radius = max(float(np.abs(np.array(list(placed.values()))).max()), SPACING) + SPACING
        step = SPACING * 0.6
        start = int((radius / step) ** 2)
        placed.update(zip(rest, _sunflower(len(rest), step, start), strict=True))


def _pack(H: nx.Graph, groups: list[list], radii: np.ndarray, seed: int) -> np.ndarray:
    """Centres for the groups: a spring layout of the graph of the :data:`PACK_MAX_GROUPS` largest
    groups, then overlaps pushed apart; smaller groups on a sunflower spiral around them."""
    k = len(groups)
    if k == 1:
        return np.zeros((1, 2))
    big = min(k, PACK_MAX_GROUPS)
    where = {n: i for i, g in enumerate(groups[:big]) for n in g}
    S = nx.Graph()
    S.add_nodes_from(range(big))
    for u, v in H.edges():
        a, b = where.get(u), where.get(v)
        if a is not None and b is not None and a != b:
            S.add_edge(a, b, weight=S.get_edge_data(a, b, {"weight": 0})["weight"] + 1)
    p = nx.spring_layout(S, seed=seed, iterations=100, weight="weight")
    r = radii[:big]
    c = np.array([p[i] for i in range(big)], dtype=float) * float(np.sqrt((r**2).sum()))
    for _ in range(100):  # push overlapping circles apart
        d = c[:, None, :] - c[None, :, :]
        dist = np.sqrt((d**2).sum(-1)) + np.eye(big)
        overlap = np.clip(r[:, None] + r[None, :] - dist, 0, None)
        np.fill_diagonal(overlap, 0)
        if not overlap.any():
            break
        c += (d / dist[..., None] * overlap[..., None] / 2).sum(axis=1) * 0.5
    if big == k:
        return c
    outer = float((np.sqrt((c**2).sum(axis=1)) + r).max())
    return np.vstack([c, _rings(radii[big:], outer)])


def _rings(radii: np.ndarray, inner: float) -> np.ndarray:
    """Centres for circles of ``radii`` (largest first) on concentric rings outside radius ``inner``."""
    gap = SPACING / 2
    out = np.zeros((len(radii), 2))
    ring = angle = first = 0.0
    prev = None
    for i, r in enumerate(map(float, radii)):
        full = prev is not None and angle + (prev + r + gap) / ring > 2 * math.pi - (first + r + gap) / ring
        if prev is None or r > first or full:
            inner = inner + (2 * first + gap if prev is not None else gap)  # the next ring, outside this one
            first, ring, angle = r, inner + r, 0.0
        else:
            angle += (prev + r + gap) / ring
        out[i] = (ring * math.cos(angle), ring * math.sin(angle))
        prev = r
    return out
