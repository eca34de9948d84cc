"""The graph of an aggregate's statistics: its nodes and edges with their attributes, made once.

:func:`graph_rows` describes the graph (a node's attributes, a co-mention's counts and
evidence, a relation's role); :func:`assemble` puts the rows in a networkx ``MultiDiGraph``
(in-memory builds, an update's neighbourhoods) and :func:`assemble_db` in ``OUT/graph.sqlite``,
a row at a time, taking each co-mention pair out of the aggregate as its edge is written
(the analytics then read the file: :func:`newskg.graph.building.analytics.add_analytics_db`),
so that no process holds the whole graph (issue #21). Both give the same graph, in the same order.

>>> from newskg.graph.building.aggregate import Aggregate
>>> agg = Aggregate()
>>> agg.entities.stats["org-甲"] = EntityStats("ORG", "甲")
>>> agg.entities.stats["org-乙"] = EntityStats("ORG", "乙")
>>> agg.cooc.add_window("a1", "甲与乙。", {"org-甲", "org-乙"})
>>> G = assemble(agg.entities, agg.cooc, agg.rels, agg.titles, min_weight=1)
>>> list(G.edges(keys=True)), G.edges["org-乙", "org-甲", "co_mention"]["weight"]
([('org-乙', 'org-甲', 'co_mention')], 1)
"""

from __future__ import annotations

import json
from collections.abc import Container, Iterator, Mapping
from pathlib import Path

import networkx as nx
from newskg.graph.building.cooccurrence import Cooccurrence, PairStats
from newskg.graph.building.geo import point_of
from newskg.graph.building.nodes import Entities, EntityStats
from newskg.graph.building.relations import Relations
from newskg.graph.export.graphdb import write_graph_db

Edge = tuple[str, str, str, dict]


def node_attrs(st: EntityStats, parent: str = "") -> dict:
    """The attributes of an entity's node (its analytics come later)."""
    d = {
        "type": st.type,
        "label": st.label,
        "aliases": st.aliases_text(),
        "mentions": st.mentions,
        "articles": st.articles,
        "first_date": st.first_date,
        "last_date": st.last_date,
        "code": st.code,
        "parent": parent,
    }
    if (point := point_of(st.code)) is not None:  # for maps: the explorer's, Gephi's GeoLayout, RDF
        d.update(longitude=point[0], latitude=point[1])
    return d


def comention_attrs(
    cooc: Cooccurrence, titles: dict[str, str], a: str, b: str, min_weight: int, st: PairStats | None = None
) -> dict | None:
    """The attributes of the co-mention edge ``a -> b`` of ``cooc`` (its counts ``st`` when given),
    evidence and all; None if lighter."""
    st = cooc.get((a, b)) if st is None else st
    if st is None or st.count < min_weight:
        return None
    ev = [{"article": aid, "title": titles.get(aid, ""), "sentence": s} for aid, s in st.evidence]
    return {
        "kind": "co_mention",
        "weight": st.count,
        "articles": st.articles,
        "npmi": round(cooc.npmi(a, b, st.count), 6),
        "evidence": json.dumps(ev, ensure_ascii=False),
    }


def graph_rows(
    entities: Entities,
    cooc: Cooccurrence,
    rels: Relations,
    titles: dict[str, str],
    min_weight: int,
    only: Container[str] | None = None,
    pairs: Mapping[tuple[str, str], PairStats] | None = None,
    consume: bool = False,
) -> tuple[Iterator[tuple[str, dict]], Iterator[Edge]]:
    """The nodes (sorted by id) and the edges (in the order they are added) of the statistics, made as
    they are read (the nodes first).

    With ``only``, just those nodes, the co-mentions among them of ``pairs`` (with their counts; default: all)
    and the relations among them. ``consume`` removes each pair from ``cooc`` as its edge is
    made (``cooc.npmi`` of a removed pair fails).
    """
    known = set(entities.ids()) if only is None else entities.known(set(only))
    parents = {
        r.source: r.target
        for r, _ in rels.in_order()
        if r.kind == "contained_in" and r.source in known and r.target in known
    }
    nodes = ((eid, node_attrs(st, parents.get(eid, ""))) for eid, st in entities.in_order() if eid in known)

    def edges() -> Iterator[Edge]:
        counted = cooc.in_order(consume) if pairs is None else sorted(pairs.items())
        for (a, b), st in counted:
            if a in known and b in known:
                d = comention_attrs(cooc, titles, a, b, min_weight, st)
                if d is not None:
                    yield a, b, "co_mention", d
        for r, n in rels.in_order():
            if r.source in known and r.target in known:
                d = {"kind": r.kind, "weight": max(n, 1), "articles": n}
                if r.role:
                    d["role"] = r.role
                yield r.source, r.target, r.kind, d

    return nodes, edges()


def assemble(
    entities: Entities,
    cooc: Cooccurrence,
    rels: Relations,
    titles: dict[str, str],
    min_weight: int,
    only: Container[str] | None = None,
    pairs: Mapping[tuple[str, str], PairStats] | None = None,
    consume: bool = False,
) -> nx.MultiDiGraph:
    """The networkx graph of the statistics, without analytics (arguments: :func:`graph_rows`)."""
    nodes, edges = graph_rows(entities, cooc, rels, titles, min_weight, only, pairs, consume)
    G = nx.MultiDiGraph()
    G.add_nodes_from(nodes)
    G.add_edges_from(edges)
    return G


def assemble_db(
    path: str | Path,
    graph: dict,
    entities: Entities,
    cooc: Cooccurrence,
    rels: Relations,
    titles: dict[str, str],
    min_weight: int,
) -> None:
    """Write the graph of the statistics, without analytics, to a new SQLite file at ``path``
    (:mod:`newskg.graph.export.graphdb`), a row at a time; ``graph`` is the graph's attributes.

    Consumes ``cooc``'s pairs, as :func:`graph_rows` does with ``consume``.
    """
    nodes, edges = graph_rows(entities, cooc, rels, titles, min_weight, consume=True)
    write_graph_db(path, graph, nodes, edges)


def add_comention(
    G: nx.MultiDiGraph, cooc: Cooccurrence, titles: dict[str, str], a: str, b: str, min_weight: int
) -> None:
    """Add the co-mention edge ``a -> b`` of ``cooc`` to ``G``, evidence and all, if it has ``min_weight``."""
    d = comention_attrs(cooc, titles, a, b, min_weight)
    if d is not None:
        G.add_edge(a, b, key="co_mention", **d)
