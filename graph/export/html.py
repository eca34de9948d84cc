"""Interactive HTML: the build writer of ``graph.html`` (the overview) and the entity pages.

``graph.html`` is built with pyvis (its ``Network`` holds the vis-network nodes,
edges and options) but rendered with our own template, which inlines the
vis-network 9.1.2 script and stylesheet that pyvis ships, so the page makes no
network request at all (pyvis's own template links bootstrap and vis-network
from CDNs: a blank page offline). Positions come from :mod:`newskg.graph.export.layout`, so
large graphs are usable at once with physics off (see :data:`PHYSICS_MAX_NODES`);
the overview keeps the :data:`OVERVIEW_MAX` entities of highest PageRank unless
told otherwise. ``entities/<id>.html`` are written by :mod:`newskg.graph.export.pages`,
``articles/<id>.html`` by :mod:`newskg.graph.export.article_pages`.

Text from articles is untrusted: HTML is rendered by Jinja with autoescaping
(:mod:`newskg.graph.export.render`), and data embedded in a ``<script>`` is JSON with ``<``,
``>``, ``&`` and ``'`` written as ``\\u003c`` and so on, so ``</script>`` in a
title cannot end the block.

>>> import networkx as nx, tempfile, pathlib
>>> G = nx.MultiDiGraph()
>>> G.add_node("org-全总", type="ORG", label="全总", aliases="中华全国总工会")
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> write_html(G, out, {"top": None})
>>> sorted(p.name for p in out.rglob("*.html"))
['graph.html', 'org-全总.html']
"""

from __future__ import annotations

import heapq
from collections import Counter
from pathlib import Path

import networkx as nx
from newskg.extract.errors import UserError
from newskg.graph.builddir import BuildDir
from newskg.graph.building.geo import provinces
from newskg.graph.building.timeline import Months, edge_months
from newskg.graph.export.article_pages import write_article_pages
from newskg.graph.export.layout import SEED, layout
from newskg.graph.export.pages import ego_neighbours, write_entity_pages
from newskg.graph.export.render import (
    COMMUNITY_COLOURS,
    FONT_FACE,
    KIND_NAMES,
    OTHER_COLOUR,
    TYPE_STYLE,
    aliases_of,
    evidence_of,
    jinja_env,
    number,
)
from pyvis.network import Network

# The overview's default --top: a browser draws 5,000 nodes in about 2 s (README, bench_html.py); a
# build of 50,000 articles has some 300,000 entities, 750 MB of HTML no browser opens. Every entity
# keeps its own page.
OVERVIEW_MAX = 5000
# ... and at most this many of the links among them, the heaviest: the links among 5,000 hubs grow with
# the corpus (351,227 at 50,000 articles: a 230 MB page, and the build's largest heap; issue #21).
OVERVIEW_EDGES_MAX = 25_000
# Expanding a node shows up to this many of its neighbours the --top cap left out (strongest first);
# the page carries at most RESERVE_MAX such nodes in all (for the nodes of highest PageRank first).
EXPAND_MAX = 8
RESERVE_MAX = 2000
# Node sizes (by PageRank) and edge widths (by weight), from least to most, in vis-network units.
NODE_SIZES = (8.0, 30.0)
EDGE_WIDTHS = (1.0, 8.0)
# Above this many nodes the overview opens with physics off (the precomputed layout is kept).
PHYSICS_MAX_NODES = 400


def write_html(G: nx.MultiDiGraph, out: str | Path, options: dict) -> None:
    """The build writer: ``graph.html``, ``entities/<id>.html`` and ``articles/<id>.html`` in ``out``.

    ``options["top"]`` keeps that many nodes (by PageRank) in the overview, every
    node when None (:func:`newskg.graph.building.build.build` passes :data:`OVERVIEW_MAX` unless told
    otherwise); the entity pages cover every node. Mentions are read from ``out/mentions.jsonl``
    and ``out/articles.jsonl`` when the build wrote them.

    Examples
    --------
    >>> import networkx as nx, tempfile
    >>> G = nx.MultiDiGraph(); G.add_node("person-甲", type="PERSON", label="甲")
    >>> write_html(G, tempfile.mkdtemp(), {"top": 10})
    """
    top = options.get("top")
    if top is not None and top < 1:
        raise UserError(f"--top must be a positive number of nodes, not {top}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    shown = overview_graph(G, top)
    extra = reserve(G, shown)
    pairs = {tuple(sorted((u, v))) for u, v, k in shown.edges(keys=True) if k == "co_mention"}
    pairs |= {tuple(sorted((e["from"], e["to"]))) for e in extra["edges"] if e["kind"] == "co_mention"}
    months = edge_months(out, pairs, options.get("window") or G.graph.get("window") or "sentence")
    write_overview(G, BuildDir(out).overview, top=top, months=months, extra=extra)
    write_entity_pages(G, out)
    write_article_pages(out)


# ---------------------------------------------------------------- overview


def overview_graph(
    G: nx.MultiDiGraph, top: int | None = None, edges: int = OVERVIEW_EDGES_MAX
) -> nx.MultiDiGraph:
    """The ``top`` nodes of ``G`` by PageRank (ties by id) and the edges among them (all nodes when None),
    at most ``edges`` of them: the heaviest (ties by ends and kind), in ``G``'s order.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("a", {"pagerank": 0.5}), ("b", {"pagerank": 0.2}), ("c", {"pagerank": 0.3})])
    >>> sorted(overview_graph(G, 2))
    ['a', 'c']
    >>> G.add_edge("a", "b", key="co_mention", weight=1); G.add_edge("a", "c", key="co_mention", weight=5)
    'co_mention'
    'co_mention'
    >>> list(overview_graph(G, None, edges=1).edges)
    [('a', 'c', 'co_mention')]
    """
    everything = top is None or top >= len(G)
    if everything and isinstance(G, nx.MultiDiGraph) and G.number_of_edges() <= edges:
        return G
    ranked = heapq.nsmallest(
        len(G) if everything else top, G.nodes(data=True), key=lambda nd: (-nd[1].get("pagerank", 0.0), nd[0])
    )  # a networkx graph of a GraphDB's view (OUT/graph.sqlite) the same way
    # A copy in G's order: a subgraph view iterates its nodes in the order of a set, which changes
    # from process to process (issue #20: rebuilds wrote graph.html's nodes in different orders).
    keep = {n for n, _ in ranked}
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if n in keep)
    among = ((i, e) for i, e in enumerate(G.edges(keys=True, data=True)) if e[0] in keep and e[1] in keep)
    heaviest = heapq.nsmallest(edges, among, key=lambda ie: (-number(ie[1][3].get("weight"), 1.0), ie[1][:3]))
    H.add_edges_from(e for _, e in sorted(heaviest, key=lambda ie: ie[0]))
    return H


class _Ids(list):
    """A list with a set beside it, so that ``in`` (pyvis's check of each node and edge) is O(1)."""

    def __init__(self) -> None:
        super().__init__()
        self._set: set = set()

    def append(self, item) -> None:
        super().append(item)
        self._set.add(item)

    def __contains__(self, item) -> bool:
        return item in self._set


def scale(x: float, lo_hi: tuple[float, float], out: tuple[float, float]) -> float:
    """``x`` of the range ``lo_hi`` mapped linearly onto ``out`` (its middle when the range is one value).

    vis-network's own scaling by ``value``, done here: vis-network recomputes it on every change of
    the data (20 µs an edge), which the time filter makes on every move.

    >>> scale(3, (1, 5), (1, 8)), scale(2, (2, 2), (8, 30))
    (4.5, 19.0)
    """
    lo, hi = lo_hi
    t = 0.5 if hi == lo else (x - lo) / (hi - lo)
    return round(out[0] + t * (out[1] - out[0]), 2)


def _geo(d: dict) -> dict:
    """``{"geo": [longitude, latitude]}`` for a node that has a point (:mod:`graph.building.geo`), else {}."""
    lon, lat = number(d.get("longitude"), None), number(d.get("latitude"), None)
    return {"geo": [lon, lat]} if lon is not None and lat is not None else {}


def network(G: nx.MultiDiGraph, pos: dict | None = None) -> Network:
    """A pyvis ``Network`` of ``G``: nodes grouped by type and sized by PageRank, edges by weight.

    Every node and edge carries its attributes for the info panel (aliases,
    counts, NPMI, evidence). Positions come from :func:`layout` unless given.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="co_mention", kind="co_mention", weight=3)
    'co_mention'
    >>> [e["weight"] for e in network(G).edges]
    [3.0]
    """
    pos = layout(G) if pos is None else pos
    prs = [number(d.get("pagerank")) for _, d in G.nodes(data=True)] or [0.0]
    pr_range = (min(prs), max(prs))
    weights = [number(d.get("weight"), 1.0) for _, _, d in G.edges(data=True)] or [1.0]
    weight_range = (min(weights), max(weights))
    physics = len(G) <= PHYSICS_MAX_NODES
    large = not physics
    # directed=True: pyvis then skips its quadratic duplicate-edge scan; arrows are set per edge.
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    net.node_ids = _Ids()  # pyvis looks nodes up in this list for every node and edge added
    for n, d in G.nodes(data=True):
        x, y = pos.get(n, (0.0, 0.0))
        net.add_node(
            n,
            label=str(d.get("label") or n),
            group=str(d.get("type") or "ORG"),
            shape=TYPE_STYLE.get(str(d.get("type")), ("", "", "dot"))[2],
            x=x,
            y=y,
            size=scale(number(d.get("pagerank")), pr_range, NODE_SIZES),
            aliases=aliases_of(d),
            mentions=int(number(d.get("mentions"))),
            articles=int(number(d.get("articles"))),
            first_date=str(d.get("first_date") or ""),
            last_date=str(d.get("last_date") or ""),
            degree=int(number(d.get("degree"))),
            weighted_degree=number(d.get("weighted_degree")),
            pagerank=number(d.get("pagerank")),
            community=int(number(d.get("community"), -1)),
            **_geo(d),
        )
    for i, (u, v, d) in enumerate(G.edges(data=True)):
        kind = str(d.get("kind") or "co_mention")
        weight = number(d.get("weight"), 1.0)
        extra = {"dashes": True, "arrows": "to"} if kind != "co_mention" else {"arrows": ""}
        if kind == "reported":  # drawn, but no spring pulling what one reporter covered together
            extra["physics"] = False
        net.add_edge(
            u,
            v,
            id=i,
            kind=kind,
            width=scale(weight, weight_range, EDGE_WIDTHS),
            weight=weight,
            articles=int(number(d.get("articles"))),
            npmi=number(d.get("npmi"), None) if "npmi" in d else None,
            role=str(d.get("role") or ""),
            evidence=evidence_of(d),
            **extra,
        )
    net.options = {
        "autoResize": True,
        "groups": {
            t: {"color": {"background": c, "border": c, "highlight": {"background": c, "border": "#222"}}}
            for t, (_, c, _) in TYPE_STYLE.items()
        },
        "nodes": {
            "borderWidth": 1,
            # Labels are drawn by graph.js (most important first, never overlapping), not by vis-network.
        },
        "edges": {
            "smooth": False,
            "color": {"color": "#9aa7b5", "highlight": "#333333", "hover": "#555555", "opacity": 0.7},
            "selectionWidth": 2,
            "hoverWidth": 1,
        },
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -120, "springLength": 150, "avoidOverlap": 0.5},
            "stabilization": {"enabled": True, "iterations": 100, "fit": True},
            "minVelocity": 1.0,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 200,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "keyboard": False,
        },
        "layout": {"improvedLayout": False, "randomSeed": SEED},
    }
    return net


def reserve(G: nx.MultiDiGraph, shown: nx.MultiDiGraph) -> dict:
    """What "expand" can add to the overview: for each shown node (by PageRank), up to :data:`EXPAND_MAX`
    of its strongest neighbours the cap left out, :data:`RESERVE_MAX` in all, with their edges to it.

    Returns ``{"nodes": [...], "edges": [...], "of": {shown id: [reserve ids]}}`` in the page's
    node and edge format (no positions: the page places them around the node expanded).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="co_mention", kind="co_mention", weight=2)
    'co_mention'
    >>> r = reserve(G, G.subgraph(["a"]))
    >>> r["of"], [n["id"] for n in r["nodes"]], [(e["from"], e["to"], e["id"]) for e in r["edges"]]
    ({'a': ['b']}, ['b'], [('a', 'b', 'r0')])
    """
    if len(shown) == len(G):
        return {"nodes": [], "edges": [], "of": {}}
    kept: dict[str, None] = {}
    of: dict[str, list[str]] = {}
    for n in sorted(shown, key=lambda n: (-number(shown.nodes[n].get("pagerank")), n)):
        if len(kept) >= RESERVE_MAX:
            break
        out = [m for m in ego_neighbours(G, n) if m not in shown][:EXPAND_MAX]
        if out:
            of[n] = out
            kept.update(dict.fromkeys(out))
    # Only the edges between a node and its own reserve: the page stays small (a reserve node's edges
    # to every shown node would be three times as many).
    links = {frozenset((n, m)) for n, ms in of.items() for m in ms}
    H = nx.MultiDiGraph()
    H.add_nodes_from((n, G.nodes[n]) for n in sorted({n for pair in links for n in pair}))
    edges = [*G.out_edges(list(kept), keys=True, data=True), *G.in_edges(list(kept), keys=True, data=True)]
    # In one order whatever order a graph gives a node's edges in (networkx's in_edges and GraphDB's differ)
    edges.sort(key=lambda e: e[:3])
    H.add_edges_from((u, v, k, d) for u, v, k, d in edges if frozenset((u, v)) in links)
    nodes, edges, *_ = network(H, pos={}).get_network_data()
    for e in edges:
        e["id"] = f"r{e['id']}"
    return {"nodes": [n for n in nodes if n["id"] in kept], "edges": edges, "of": of}


def communities(G: nx.MultiDiGraph) -> list[dict]:
    """The communities of ``G``'s nodes, largest first, each named by its member of highest PageRank.

    The first ones get the colours of :data:`COMMUNITY_COLOURS`; the rest share :data:`OTHER_COLOUR`.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("a", {"label": "甲", "community": 0, "pagerank": 0.1}),
    ...                   ("b", {"label": "乙", "community": 0, "pagerank": 0.3}),
    ...                   ("c", {"label": "丙", "community": 1})])
    >>> [(c["id"], c["size"], c["name"]) for c in communities(G)]
    [(0, 2, '乙'), (1, 1, '丙')]
    """
    members: dict[int, list[str]] = {}
    for n, d in G.nodes(data=True):
        members.setdefault(int(number(d.get("community"), -1)), []).append(n)
    rank = sorted(members, key=lambda c: (-len(members[c]), c))
    out = []
    for i, c in enumerate(rank):
        top = min(members[c], key=lambda n: (-number(G.nodes[n].get("pagerank")), n))
        colour = COMMUNITY_COLOURS[i] if i < len(COMMUNITY_COLOURS) and c >= 0 else OTHER_COLOUR
        out.append(
            {"id": c, "size": len(members[c]), "color": colour, "name": str(G.nodes[top].get("label") or top)}
        )
    return out


def overview_html(
    G: nx.MultiDiGraph,
    top: int | None = None,
    title: str = "newskg 知识图谱",
    months: Months | None = None,
    extra: dict | None = None,
) -> str:
    """The self-contained HTML text of the overview page of ``G`` (``top`` nodes by PageRank).

    ``months`` (:func:`graph.building.timeline.edge_months`) gives the page its time filter: the corpus's
    months, and on each node and co-mention edge its counts by month as ``[[month index, count]]``.
    ``extra`` is :func:`reserve` of the shown nodes when already computed.

    Examples
    --------
    >>> G = nx.MultiDiGraph(); G.add_node("place-湖北省", type="PLACE", label="湖北省")
    >>> page = overview_html(G)
    >>> "湖北省" in page, "https://" in page.split("<script")[0]
    (True, False)
    """
    shown = overview_graph(G, top)
    net = network(shown)
    nodes, edges, *_ = net.get_network_data()
    extra = reserve(G, shown) if extra is None else extra
    corpus_months = _add_months(nodes, edges, months)
    _add_months(extra["nodes"], extra["edges"], months)
    present = {n["group"] for n in nodes}
    types = [t for t in TYPE_STYLE if t in present] + sorted(present - set(TYPE_STYLE))
    data = {
        "nodes": nodes,
        "edges": edges,
        "options": net.options,
        "types": {
            t: dict(zip(("name", "color"), TYPE_STYLE.get(t, (t, "#888888")), strict=False)) for t in types
        },
        "kinds": KIND_NAMES,
        "communities": communities(shown),
        "reserve": extra,
        "font": FONT_FACE,
        "months": corpus_months,
        "provinces": provinces(),
    }
    max_weight = max((int(e["weight"]) for e in edges), default=1)
    return (
        jinja_env()
        .get_template("graph.html")
        .render(
            title=title,
            data=data,
            types=types,
            physics=net.options["physics"]["enabled"],
            max_weight=max(max_weight, 1),
            shown=len(shown),
            total=len(G),
            edges_shown=len(edges),
            top=top,
        )
    )


def _add_months(nodes: list[dict], edges: list[dict], months: Months | None) -> list[str]:
    """Set ``m`` (counts by month index) on the nodes and co-mention edges; return the months."""
    if not months or not months[0]:
        return []
    names, by_pair, by_entity = months
    index = {m: i for i, m in enumerate(names)}

    def compact(counts: Counter | None) -> list[list[int]]:
        return sorted([index[m], c] for m, c in (counts or {}).items() if m in index)

    for n in nodes:
        n["m"] = compact(by_entity.get(n["id"]))
    for e in edges:
        if e["kind"] == "co_mention":
            e["m"] = compact(by_pair.get(tuple(sorted((e["from"], e["to"])))))
    return list(names)


def write_overview(
    G: nx.MultiDiGraph,
    path: str | Path,
    top: int | None = None,
    months: Months | None = None,
    extra: dict | None = None,
) -> None:
    """Write :func:`overview_html` of ``G`` to ``path`` (UTF-8)."""
    Path(path).write_text(overview_html(G, top, months=months, extra=extra), encoding="utf-8")
