"""Analysis helpers for notebooks and scripts: tables, rankings and communities of a loaded graph.

Views are :mod:`.view`, plot fonts :mod:`.fonts`, SPARQL answers as tables :mod:`.frames`.

Every function takes the graph that :func:`graph.load` returns (or :func:`newskg.graph.building.build`) and
answers one question, mostly as a ``pandas.DataFrame`` labelled with entity names.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("org-甲", type="ORG", label="甲", pagerank=0.5, community=0)
>>> G.add_node("person-乙", type="PERSON", label="乙", pagerank=0.2, community=0)
>>> list(top(G, "ORG")["label"])
['甲']
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
from newskg.extract.errors import UserError
from newskg.extract.recognition import divisions
from newskg.graph.builddir import BuildDir
from newskg.graph.export.export import ENTITY_COLUMNS
from newskg.graph.export.render import TYPE_STYLE

if TYPE_CHECKING:
    import pandas as pd

# Colour of each entity type, as in the HTML views (graph/export/html.py), for views and plots.
TYPE_COLORS = {t: colour for t, (_, colour, _) in TYPE_STYLE.items()}


def find_build(out: str | Path | None = None, *, root: str | Path = ".") -> Path:
    """The build directory to analyse, building ``root/seeds/`` into it when it holds no graph yet.

    ``out`` if given, else ``$NEWSKG_OUT`` if set, else ``root/out`` (``root``: the current
    directory unless given; a notebook in ``notebooks/`` passes ``".."``). A directory that holds
    other files is never built over, and with no ``root/seeds/`` to build nothing is: both raise
    a ``UserError``.

    Examples
    --------
    >>> G = graph.load(find_build())  # doctest: +SKIP
    """
    root = Path(root)
    path = Path(out or os.environ.get("NEWSKG_OUT") or root / "out")
    if not (BuildDir(path).graphml).is_file():
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise UserError(f"{path} is not a newskg build and not empty: give a build directory")
        if not (root / "seeds").is_dir():
            raise UserError(f"no build in {path}: run `newskg build SOURCES --out {path}` first")
        from newskg.graph.building.build import build

        build([root / "seeds"], path)
    return path


def entities(G: nx.MultiDiGraph) -> pd.DataFrame:
    """One row an entity (index: entity id) with its attributes, highest PageRank first.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("place-湖北省", type="PLACE", label="湖北省", pagerank=0.1)
    >>> G.add_node("org-全总", type="ORG", label="中华全国总工会", pagerank=0.3)
    >>> entities(G)[["type", "label"]].values.tolist()
    [['ORG', '中华全国总工会'], ['PLACE', '湖北省']]
    """
    import pandas as pd

    rows = [{"id": n, **d} for n, d in G.nodes(data=True)]
    df = pd.DataFrame(rows, columns=list(ENTITY_COLUMNS)).set_index("id")
    return df.sort_values(["pagerank", "label"], ascending=[False, True], kind="stable")


def top(G: nx.MultiDiGraph, type: str, by: str = "pagerank", n: int = 10) -> pd.DataFrame:
    """The ``n`` entities of one ``type`` (``ORG``, ``PLACE``, ...) ranked by a node attribute.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("org-a", type="ORG", label="甲", pagerank=0.1, mentions=9)
    >>> G.add_node("org-b", type="ORG", label="乙", pagerank=0.3, mentions=1)
    >>> list(top(G, "ORG")["label"]), list(top(G, "ORG", by="mentions", n=1)["label"])
    (['乙', '甲'], ['甲'])
    """
    df = entities(G)
    df = df[df["type"] == type]
    return df.sort_values([by, "label"], ascending=[False, True], kind="stable").head(n)


def find(G: nx.MultiDiGraph, name: str | None) -> str | None:
    """The id of the entity called ``name`` (its id, label or an alias), or None.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("org-中华全国总工会", label="中华全国总工会", aliases="全总")
    >>> find(G, "全总"), find(G, "无此名")
    ('org-中华全国总工会', None)
    """
    if not name:
        return None
    if name in G:
        return name
    for attr in ("label", "aliases"):
        for n, d in G.nodes(data=True):
            if name in str(d.get(attr, "")).split("|"):
                return n
    return None


def communities(G: nx.MultiDiGraph, min_size: int = 2) -> pd.DataFrame:
    """The communities (node attribute ``community``) with at least ``min_size`` members.

    Columns: ``size``, ``types`` (members per type) and ``members`` (labels, highest
    PageRank first); largest community first.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("org-a", type="ORG", label="甲", pagerank=0.2, community=0)
    >>> G.add_node("person-b", type="PERSON", label="乙", pagerank=0.4, community=0)
    >>> G.add_node("place-c", type="PLACE", label="丙", pagerank=0.1, community=1)
    >>> communities(G).loc[0, "members"]
    ['乙', '甲']
    """
    import pandas as pd

    df = entities(G)
    rows = []
    for c, members in df.groupby("community", sort=False):
        if len(members) < min_size or c == -1:
            continue
        types = Counter(members["type"])
        rows.append(
            {
                "community": c,
                "size": len(members),
                "types": ", ".join(f"{t} {k}" for t, k in types.most_common()),
                "members": list(members["label"]),
            }
        )
    out = pd.DataFrame(rows, columns=["community", "size", "types", "members"])
    return out.sort_values(["size", "community"], ascending=[False, True]).set_index("community")


def _parent(G: nx.MultiDiGraph, n: str) -> str | None:
    for _, parent, kind in G.out_edges(n, keys=True):
        if kind == "contained_in":
            return parent
    parent = G.nodes[n].get("parent")
    return parent if parent in G else None


def _division(G: nx.MultiDiGraph, n: str) -> divisions.Division | None:
    d = G.nodes[n]
    if d.get("code"):
        div = divisions.by_code(str(d["code"]))
        if div is not None:
            return div
    same_name = divisions.by_name(str(d.get("label", "")))
    return same_name[0] if len(same_name) == 1 else None


def province_of(G: nx.MultiDiGraph, place: str) -> str | None:
    """The province-level division containing ``place``, or None when the data does not say.

    Walks the ``contained_in`` edges up from ``place``; the first place on the way that
    has an administrative code (or a name that is unique in the division table) fixes
    the province.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("place-黄堡镇", type="PLACE", label="黄堡镇")
    >>> G.add_node("place-保康县", type="PLACE", label="保康县", code="420626")
    >>> G.add_edge("place-黄堡镇", "place-保康县", key="contained_in", kind="contained_in")
    'contained_in'
    >>> province_of(G, "place-黄堡镇")
    '湖北省'
    """
    seen = set()
    n: str | None = place
    while n is not None and n not in seen:
        seen.add(n)
        div = _division(G, n)
        if div is not None:
            return divisions.province_of(div).name
        n = _parent(G, n)
    return None


def _links(G: nx.MultiDiGraph, n: str) -> Iterable[tuple[str, str]]:
    """``(place, via)``: the places ``n`` is tied to, and the neighbour that ties it (the
    place itself, or an organisation located in the place)."""
    for m in set(G.successors(n)) | set(G.predecessors(n)):
        kinds = set(G[n][m]) if G.has_edge(n, m) else set()
        kinds |= set(G[m][n]) if G.has_edge(m, n) else set()
        if not kinds - {"contained_in"}:
            continue
        if G.nodes[m].get("type") == "PLACE":
            yield m, m
        elif G.nodes[m].get("type") == "ORG" and m != n:
            for _, place, k in G.out_edges(m, keys=True):
                if k == "located_in":
                    yield place, m


def by_province(G: nx.MultiDiGraph, type: str = "CAMPAIGN") -> pd.DataFrame:
    """Entities of ``type`` against the provinces they are tied to, through the place hierarchy.

    An entity is tied to a place when it is linked to it (co-mentioned, located in) or
    linked to an organisation located in it; each place rolls up to its province
    (:func:`province_of`). Cells count the distinct places and organisations that tie
    an entity to a province (as ``queries/campaigns_by_province.rq`` does); rows are
    labels, columns provinces, most-linked first.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("campaign-c", type="CAMPAIGN", label="安康杯竞赛")
    >>> G.add_node("place-p", type="PLACE", label="保康县", code="420626")
    >>> G.add_edge("campaign-c", "place-p", key="co_mention", kind="co_mention", weight=2)
    'co_mention'
    >>> by_province(G).to_dict()
    {'湖北省': {'安康杯竞赛': 1}}
    """
    import pandas as pd

    rows = set()
    for n, d in G.nodes(data=True):
        if d.get("type") != type:
            continue
        for place, via in _links(G, n):
            province = province_of(G, place)
            if province:
                rows.add((d.get("label", n), province, via))
    name = type.lower()
    df = pd.DataFrame(sorted(rows), columns=[name, "province", "via"])
    table = df.pivot_table(index=name, columns="province", values="via", aggfunc="nunique", fill_value=0)
    if table.empty:
        return table
    table = table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    return table[table.sum().sort_values(ascending=False, kind="stable").index].astype(int)


def strongest(G: nx.MultiDiGraph, n: int = 10, by: str = "weight") -> pd.DataFrame:
    """The ``n`` strongest co-mention edges by ``weight`` (or ``npmi``, ``articles``), with evidence.

    ``evidence`` holds the kept sentences; ``df.explode("evidence")`` gives one row a sentence.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", label="陈刚")
    >>> G.add_node("b", label="全总")
    >>> ev = json.dumps([{"article": "x", "title": "t", "sentence": "陈刚在全总讲话。"}])
    >>> G.add_edge("a", "b", key="co_mention", kind="co_mention", weight=3, articles=1, npmi=0.9, evidence=ev)
    'co_mention'
    >>> df = strongest(G)
    >>> df.loc[0, "source"], df.loc[0, "target"], int(df.loc[0, "weight"]), df.loc[0, "evidence"]
    ('陈刚', '全总', 3, ['陈刚在全总讲话。'])
    """
    import pandas as pd

    rows = []
    for u, v, kind, d in G.edges(keys=True, data=True):
        if kind != "co_mention":
            continue
        ev = json.loads(d.get("evidence") or "[]")
        rows.append(
            {
                "source": G.nodes[u].get("label", u),
                "target": G.nodes[v].get("label", v),
                "weight": d.get("weight", 1),
                "articles": d.get("articles", 0),
                "npmi": d.get("npmi", float("nan")),
                "evidence": [e["sentence"] for e in ev],
                "source_id": u,
                "target_id": v,
            }
        )
    df = pd.DataFrame(
        rows, columns=["source", "target", "weight", "articles", "npmi", "evidence", "source_id", "target_id"]
    )
    keys = [by, *(c for c in ("weight", "npmi") if c != by)]
    ascending = [False] * len(keys) + [True, True]
    df = df.sort_values([*keys, "source", "target"], ascending=ascending, kind="stable")
    return df.head(n).reset_index(drop=True)


def ego(G: nx.MultiDiGraph, node: str, radius: int = 1) -> nx.MultiDiGraph:
    """The subgraph of ``node`` and everything within ``radius`` edges of it (any kind, either way).

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b", "co_mention"), ("b", "c", "co_mention"), ("x", "y", "co_mention")])
    >>> sorted(ego(G, "a")), sorted(ego(G, "a", radius=2))
    (['a', 'b'], ['a', 'b', 'c'])
    """
    nodes = nx.ego_graph(G.to_undirected(as_view=True), node, radius=radius)
    return G.subgraph(nodes).copy()
