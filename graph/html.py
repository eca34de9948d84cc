"""Interactive HTML: one self-contained overview page and one page per entity.

``graph.html`` is built with pyvis (its ``Network`` holds the vis-network nodes,
edges and options) but rendered with our own template, which inlines the
vis-network 9.1.2 script and stylesheet that pyvis ships, so the page makes no
network request at all (pyvis's own template links bootstrap and vis-network
from CDNs: a blank page offline). Positions are computed here, one seeded
spring layout per community, so large graphs are usable at once with physics
off (see :data:`PHYSICS_MAX_NODES`).

``entities/<id>.html`` shows one entity: its ego network (radius 1, capped at
:data:`EGO_MAX` neighbours, drawn as inline SVG), its links with their evidence
and its mentions in their sentences.

Text from articles is untrusted: HTML is rendered by Jinja with autoescaping,
and data embedded in a ``<script>`` is JSON with ``<``, ``>``, ``&`` and ``'``
written as ``\\u003c`` and so on, so ``</script>`` in a title cannot end the block.

>>> import networkx as nx, tempfile, pathlib
>>> G = nx.MultiDiGraph()
>>> G.add_node("org-全总", type="ORG", label="全总", aliases="中华全国总工会")
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> write_html(G, out, {"top": None})
>>> sorted(p.name for p in out.rglob("*.html"))
['graph.html', 'org-全总.html']
"""

from __future__ import annotations

import json
import math
import os
from bisect import bisect_right
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import quote

import networkx as nx
import numpy as np
import pyvis
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pyvis.network import Network

from extract.errors import UserError
from extract.records import Article
from extract.sentences import split_sentences

SEED = 42
# The overview's default --top: a browser draws 5,000 nodes in about 2 s (README, bench_html.py); a
# build of 50,000 articles has some 300,000 entities, 750 MB of HTML no browser opens. Every entity
# keeps its own page.
OVERVIEW_MAX = 5000
# Above this many nodes the overview opens with physics off (the precomputed layout is kept).
PHYSICS_MAX_NODES = 400
# Neighbours drawn in an entity page's ego network, and mentions listed on it.
EGO_MAX = 30
MENTIONS_MAX = 100
# Distance (vis units, about pixels at zoom 1) between neighbouring nodes in the layout.
SPACING = 80.0
# The layout stays about linear in the size of the graph: a spring layout for at most this many
# nodes of a group (the others attached around them) and this many groups (the others spiral round).
SPRING_MAX_NODES = 300
PACK_MAX_GROUPS = 200

# type -> (name in Chinese, colour, vis-network shape)
TYPE_STYLE: dict[str, tuple[str, str, str]] = {
    "PERSON": ("人物", "#e15759", "dot"),
    "PLACE": ("地点", "#4e79a7", "triangle"),
    "ORG": ("机构", "#59a14f", "square"),
    "CAMPAIGN": ("活动", "#f28e2b", "star"),
    "EVENT": ("事件", "#b07aa1", "diamond"),
}
KIND_NAMES = {
    "co_mention": "同句共现",
    "contained_in": "行政隶属",
    "located_in": "所在地",
    "affiliated_with": "任职",
}
FONT_FACE = "'Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei','PingFang SC',sans-serif"
_TEMPLATES = Path(__file__).with_name("templates")
_VIS = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"


@cache
def _asset(path: Path) -> Markup:
    """A script or stylesheet to inline verbatim (read once; never parsed as a template)."""
    return Markup(path.read_text(encoding="utf-8"))


@cache
def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(["html"]))
    # tojson still writes < > & ' as \u003c etc.; Chinese stays readable (and half the size).
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "separators": (",", ":")}
    env.filters["urlquote"] = lambda s: quote(str(s), safe="")
    env.globals.update(TYPE_STYLE=TYPE_STYLE, KIND_NAMES=KIND_NAMES, FONT_FACE=FONT_FACE)
    env.globals["asset"] = lambda name: _asset(_TEMPLATES / name)
    env.globals["vis_js"] = lambda: _asset(_VIS / "vis-network.min.js")
    env.globals["vis_css"] = lambda: _asset(_VIS / "vis-network.css")
    return env


def write_html(G: nx.MultiDiGraph, out: str | Path, options: dict) -> None:
    """The build writer: ``graph.html`` and ``entities/<id>.html`` in ``out``.

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
    H.add_edges_from((u, v) for u, v in G.edges() if u != v)
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
    p = nx.spring_layout(sub.subgraph(core), seed=seed, iterations=iterations)
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


def _aliases(d: dict) -> list[str]:
    return [a for a in str(d.get("aliases") or "").split("|") if a]


def _evidence(d: dict) -> list[dict]:
    raw = d.get("evidence") or "[]"
    try:
        ev = json.loads(raw) if isinstance(raw, str) else list(raw)
    except json.JSONDecodeError:
        return []
    return [e for e in ev if isinstance(e, dict)]


def _num(value, default=0.0) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return default
    return x if math.isfinite(x) else default


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
            value=_num(d.get("pagerank")),
            aliases=_aliases(d),
            mentions=int(_num(d.get("mentions"))),
            articles=int(_num(d.get("articles"))),
            first_date=str(d.get("first_date") or ""),
            last_date=str(d.get("last_date") or ""),
            degree=int(_num(d.get("degree"))),
            weighted_degree=_num(d.get("weighted_degree")),
            pagerank=_num(d.get("pagerank")),
        )
    for i, (u, v, d) in enumerate(G.edges(data=True)):
        kind = str(d.get("kind") or "co_mention")
        weight = _num(d.get("weight"), 1.0)
        extra = {"dashes": True, "arrows": "to"} if kind != "co_mention" else {"arrows": ""}
        net.add_edge(
            u,
            v,
            id=i,
            kind=kind,
            value=weight,
            weight=weight,
            articles=int(_num(d.get("articles"))),
            npmi=_num(d.get("npmi"), None) if "npmi" in d else None,
            role=str(d.get("role") or ""),
            evidence=_evidence(d),
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
        _env()
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


# ---------------------------------------------------------------- entity pages


@dataclass
class _Mentions:
    """Mentions of each entity (at most :data:`MENTIONS_MAX` kept) and the articles they are in.

    Only the sentences of the kept mentions are kept, not the texts of their articles,
    so memory is bounded by the number of entities, not the size of the corpus.
    """

    by_entity: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    articles: dict[str, dict] = field(default_factory=dict)
    _parts: dict[tuple, tuple[str, str, str] | None] = field(default_factory=dict)

    @classmethod
    def read(cls, out: Path, keep: Iterable[str]) -> _Mentions:
        m = cls()
        keep = set(keep)
        needed: dict[str, list[dict]] = defaultdict(list)
        for rec in _jsonl(out / "mentions.jsonl"):
            eid = rec.get("entity_id")
            if eid not in keep:
                continue
            m.counts[eid] += 1
            if len(m.by_entity[eid]) < MENTIONS_MAX:
                m.by_entity[eid].append(rec)
                needed[rec.get("article_id")].append(rec)
        for rec in _jsonl(out / "articles.jsonl"):
            aid = rec.get("id")
            if aid in needed and isinstance(rec.get("text"), str):
                m.articles[aid] = {k: rec.get(k) for k in ("id", "title", "date", "source")}
                spans = None
                for men in needed.pop(aid):
                    key = _part_key(men)
                    if key in m._parts:
                        continue
                    if men.get("field") == "title":
                        m._parts[key] = _cut_title(str(rec.get("title") or ""), men)
                    else:
                        if spans is None:
                            a = Article(id=aid, source="", title="", text=rec["text"])
                            spans = [(s.start, s.end) for s in split_sentences(a)]
                        m._parts[key] = _cut(rec["text"], spans, men)
        return m

    def sentence(self, rec: dict) -> tuple[str, str, str] | None:
        """The sentence around a mention, cut into (before, mention, after)."""
        return self._parts.get(_part_key(rec)) if rec.get("article_id") in self.articles else None


def _part_key(rec: dict) -> tuple:
    return (rec.get("article_id"), rec.get("field"), rec.get("start", 0), rec.get("end", 0))


def _cut_title(title: str, rec: dict) -> tuple[str, str, str] | None:
    """A mention in the headline: the headline from the mention on."""
    start, end = int(rec.get("start", 0)), int(rec.get("end", 0))
    return ("", title[start:end], title[end:]) if 0 <= start < end <= len(title) else None


def _cut(text: str, spans: list[tuple[int, int]], rec: dict) -> tuple[str, str, str] | None:
    """The sentence of ``text`` (sentences at ``spans``) around the mention ``rec``, in three parts."""
    try:
        start, end = int(rec.get("start", 0)), int(rec.get("end", 0))
    except (TypeError, ValueError):
        return None
    if not 0 <= start < end <= len(text):
        return None
    i = bisect_right([s for s, _ in spans], start) - 1
    s, e = spans[i] if i >= 0 and spans[i][1] >= end else (max(0, start - 40), min(len(text), end + 40))
    return text[s:start], text[start:end], text[end:e]


def _jsonl(path: Path) -> Iterable[dict]:
    if not path.is_file():
        return
    with open(path, encoding="utf-8") as f:
        for line in f:
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(rec, dict):
                yield rec


def _ego(G: nx.MultiDiGraph, n: str) -> tuple[list[dict], list[tuple[int, int, float]], int]:
    """Neighbours of ``n`` (strongest first, capped), the edges among them, and how many in all."""
    links: dict[str, list[dict]] = defaultdict(list)
    for u, v, d in list(G.out_edges(n, data=True)) + list(G.in_edges(n, data=True)):
        other = v if u == n else u
        if other != n:
            links[other].append(d)

    def strength(m: str) -> tuple:
        w = sum(_num(d.get("weight"), 1.0) for d in links[m])
        return (-w, -_num(G.nodes[m].get("pagerank")), m)

    ranked = sorted(links, key=strength)
    kept = ranked[:EGO_MAX]
    index = {m: i for i, m in enumerate(kept)}
    among = []
    for m in kept:
        succ = G.succ[m]
        # Look the kept neighbours up in a hub's edges rather than scan them all (linear time).
        others = succ if len(succ) <= len(kept) else [o for o in kept if o in succ]
        for o in others:
            if o in index and o != m:
                among.extend((index[m], index[o], _num(d.get("weight"), 1.0)) for d in succ[o].values())
    neighbours = []
    for m in kept:
        d = G.nodes[m]
        neighbours.append(
            {
                "id": m,
                "label": str(d.get("label") or m),
                "type": str(d.get("type") or ""),
                "pagerank": _num(d.get("pagerank")),
                "links": [
                    {
                        "kind": str(e.get("kind") or ""),
                        "weight": _num(e.get("weight"), 1.0),
                        "npmi": e.get("npmi"),
                        "role": str(e.get("role") or ""),
                        "evidence": _evidence(e),
                    }
                    for e in links[m]
                ],
            }
        )
    return neighbours, among, len(ranked)


def _ego_svg(G: nx.MultiDiGraph, n: str, neighbours: list[dict], among: list) -> dict:
    """Coordinates for the ego network drawing: the entity in the centre, neighbours on rings."""
    k = len(neighbours)
    ring = [200.0 if k <= 14 or i % 2 == 0 else 290.0 for i in range(k)]
    angles = [2 * math.pi * i / max(k, 1) - math.pi / 2 for i in range(k)]
    pts = [(r * math.cos(a), r * math.sin(a)) for r, a in zip(ring, angles, strict=True)]
    prs = [nb["pagerank"] for nb in neighbours] + [_num(G.nodes[n].get("pagerank"))]
    top = max(prs) or 1.0

    def radius(pr: float) -> float:
        return round(7 + 13 * math.sqrt(pr / top), 1)

    max_w = max([lk["weight"] for nb in neighbours for lk in nb["links"]] + [1.0])
    spokes = [
        {
            "x": round(x, 1),
            "y": round(y, 1),
            "w": round(1 + 5 * max(lk["weight"] for lk in nb["links"]) / max_w, 1),
            "dashed": all(lk["kind"] != "co_mention" for lk in nb["links"]),
        }
        for nb, (x, y) in zip(neighbours, pts, strict=True)
    ]
    chords = [
        {
            "x1": round(pts[a][0], 1),
            "y1": round(pts[a][1], 1),
            "x2": round(pts[b][0], 1),
            "y2": round(pts[b][1], 1),
        }
        for a, b, _ in among
    ]
    nodes = [
        {**nb, "x": round(x, 1), "y": round(y, 1), "r": radius(nb["pagerank"])}
        for nb, (x, y) in zip(neighbours, pts, strict=True)
    ]
    extent = max([abs(c) for p in pts for c in p] + [60.0]) + 60
    return {"spokes": spokes, "chords": chords, "nodes": nodes, "r": radius(prs[-1]), "extent": round(extent)}


def entity_html(G: nx.MultiDiGraph, n: str, mentions: _Mentions | None = None) -> str:
    """The HTML text of the page of entity ``n``: ego network, links with evidence, mentions.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("person-甲", "org-乙", key="co_mention", kind="co_mention", weight=2)
    'co_mention'
    >>> "org-%E4%B9%99.html" in entity_html(G, "person-甲")
    True
    """
    d = G.nodes[n]
    neighbours, among, degree = _ego(G, n)
    mentions = mentions or _Mentions()
    by_article: dict[str, list[Markup]] = defaultdict(list)
    order: list[str] = []
    for rec in mentions.by_entity.get(n, []):
        parts = mentions.sentence(rec)
        if parts is None:
            continue
        aid = rec["article_id"]
        if aid not in by_article:
            order.append(aid)
        by_article[aid].append(Markup("{}<mark>{}</mark>{}").format(*parts))
    arts = [
        {
            "id": aid,
            "title": mentions.articles[aid].get("title") or "",
            "date": mentions.articles[aid].get("date") or "",
            "source": mentions.articles[aid].get("source") or "",
            "sentences": by_article[aid],
        }
        for aid in order
    ]
    return (
        _env()
        .get_template("entity.html")
        .render(
            id=n,
            node=d,
            type=str(d.get("type") or ""),
            label=str(d.get("label") or n),
            aliases=_aliases(d),
            neighbours=neighbours,
            degree=degree,
            ego=_ego_svg(G, n, neighbours, among),
            articles=arts,
            mention_count=mentions.counts.get(n, 0),
            mentions_listed=sum(len(a["sentences"]) for a in arts),
        )
    )


def write_entity_pages(G: nx.MultiDiGraph, out: str | Path) -> None:
    """Write ``out/entities/<id>.html`` for every node, with mentions from ``out/mentions.jsonl``."""
    out = Path(out)
    folder = out / "entities"
    folder.mkdir(exist_ok=True)
    mentions = _Mentions.read(out, G.nodes)
    for n in G.nodes:
        name = f"{n}.html"
        if os.sep in name or name.startswith("."):
            continue  # entity ids are file-safe by construction; never write outside the folder
        (folder / name).write_text(entity_html(G, n, mentions), encoding="utf-8")
