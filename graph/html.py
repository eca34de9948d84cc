"""Interactive HTML: the build writer of ``graph.html`` (the overview) and the entity pages.

``graph.html`` is built with pyvis (its ``Network`` holds the vis-network nodes,
edges and options) but rendered with our own template, which inlines the
vis-network 9.1.2 script and stylesheet that pyvis ships, so the page makes no
network request at all (pyvis's own template links bootstrap and vis-network
from CDNs: a blank page offline). Positions come from :mod:`graph.layout`, so
large graphs are usable at once with physics off (see :data:`PHYSICS_MAX_NODES`);
the overview keeps the :data:`OVERVIEW_MAX` entities of highest PageRank unless
told otherwise. ``entities/<id>.html`` are written by :mod:`graph.pages`,
``articles/<id>.html`` by :mod:`graph.article_pages`.

Text from articles is untrusted: HTML is rendered by Jinja with autoescaping
(:mod:`graph.render`), and data embedded in a ``<script>`` is JSON with ``<``,
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

from pathlib import Path

import networkx as nx
from pyvis.network import Network

from extract.errors import UserError
from graph.article_pages import write_article_pages
from graph.layout import SEED, layout
from graph.pages import write_entity_pages
from graph.render import FONT_FACE, KIND_NAMES, TYPE_STYLE, aliases_of, evidence_of, jinja_env, number

# The overview's default --top: a browser draws 5,000 nodes in about 2 s (README, bench_html.py); a
# build of 50,000 articles has some 300,000 entities, 750 MB of HTML no browser opens. Every entity
# keeps its own page.
OVERVIEW_MAX = 5000
# Above this many nodes the overview opens with physics off (the precomputed layout is kept).
PHYSICS_MAX_NODES = 400


def write_html(G: nx.MultiDiGraph, out: str | Path, options: dict) -> None:
    """The build writer: ``graph.html``, ``entities/<id>.html`` and ``articles/<id>.html`` in ``out``.

    ``options["top"]`` keeps that many nodes (by PageRank) in the overview, every
    node when None (:func:`graph.build.build` passes :data:`OVERVIEW_MAX` unless told
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
    write_overview(G, out / "graph.html", top=top)
    write_entity_pages(G, out)
    write_article_pages(out)


# ---------------------------------------------------------------- overview


def overview_graph(G: nx.MultiDiGraph, top: int | None = None) -> nx.MultiDiGraph:
    """The ``top`` nodes of ``G`` by PageRank (ties by id) and the edges among them; all when None.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("a", {"pagerank": 0.5}), ("b", {"pagerank": 0.2}), ("c", {"pagerank": 0.3})])
    >>> sorted(overview_graph(G, 2))
    ['a', 'c']
    """
    if top is None or top >= len(G):
        return G
    ranked = sorted(G.nodes, key=lambda n: (-G.nodes[n].get("pagerank", 0.0), n))
    return G.subgraph(ranked[:top])


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
            value=number(d.get("pagerank")),
            aliases=aliases_of(d),
            mentions=int(number(d.get("mentions"))),
            articles=int(number(d.get("articles"))),
            first_date=str(d.get("first_date") or ""),
            last_date=str(d.get("last_date") or ""),
            degree=int(number(d.get("degree"))),
            weighted_degree=number(d.get("weighted_degree")),
            pagerank=number(d.get("pagerank")),
        )
    for i, (u, v, d) in enumerate(G.edges(data=True)):
        kind = str(d.get("kind") or "co_mention")
        weight = number(d.get("weight"), 1.0)
        extra = {"dashes": True, "arrows": "to"} if kind != "co_mention" else {"arrows": ""}
        net.add_edge(
            u,
            v,
            id=i,
            kind=kind,
            value=weight,
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
            "font": {"face": FONT_FACE, "size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"},
            "scaling": {
                "min": 8,
                "max": 30,
                # Sized labels cost a second text measurement per node: small graphs only.
                "label": {"enabled": not large, "min": 12, "max": 24, "drawThreshold": 6, "maxVisible": 40},
            },
        },
        "edges": {
            "smooth": False,
            "color": {"color": "#9aa7b5", "highlight": "#333333", "hover": "#555555", "opacity": 0.7},
            "scaling": {"min": 1, "max": 8},
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


def overview_html(G: nx.MultiDiGraph, top: int | None = None, title: str = "newskg 知识图谱") -> str:
    """The self-contained HTML text of the overview page of ``G`` (``top`` nodes by PageRank).

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


def write_overview(G: nx.MultiDiGraph, path: str | Path, top: int | None = None) -> None:
    """Write :func:`overview_html` of ``G`` to ``path`` (UTF-8)."""
    Path(path).write_text(overview_html(G, top), encoding="utf-8")
