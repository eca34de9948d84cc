"""Load part of a build's graph without reading the whole of it (issue #21).

:func:`graph.load` with ``types``, ``min_weight`` or ``around`` calls :func:`load_subgraph`,
which reads the build's tables, ``entities.csv`` (one row a node) and ``edges.csv`` (one
row an edge, evidence included), or its ``graph.sqlite``, instead of parsing
``graph.graphml`` into a whole graph:

1. one pass over ``entities.csv`` keeps the ids of the nodes of the wanted ``types`` and
   finds the entities named in ``around`` (by id, name or alias);
2. with ``around``, the set of nodes grows from those entities a hop at a time, over the
   edges the filters keep, in either direction: from ``graph.sqlite``, each node's edges by
   its indexes (the neighbourhood is read, not the graph); from a build without it, one pass
   over ``edges.csv`` a hop;
3. the kept nodes and the edges among them, with every attribute ``graph.load`` gives
   (numbers typed as in the GraphML, longitude and latitude from the division code, as the
   build sets them): with ``around``, from ``graph.sqlite`` node by node; else one pass over
   each table.

Memory holds the ids of the nodes of the wanted types (all ids when ``types`` is not
given), the nodes reached, and the result: never an edge the filters drop. The result is
the subgraph of the whole graph ``graph.load(out)`` that the same filters give
(``tests/test_graph.py`` compares them): the nodes of ``types`` within ``hops`` of
``around`` over edges of at least ``min_weight``, and the edges among them of at least
``min_weight``; its ``G.graph`` is the whole graph's (the window, the number of articles).

>>> from newskg import graph
>>> G = graph.load(OUT, types={"ORG", "PERSON"}, min_weight=2)
>>> H = graph.load(OUT, around=["全总"], hops=1)
>>> "org-中华全国总工会" in H
True
"""

from __future__ import annotations

import contextlib
import csv
import json
import re
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import networkx as nx
from newskg.extract.errors import UserError
from newskg.graph.builddir import BuildDir, check_current
from newskg.graph.export.export import EDGE_COLUMNS, ENTITY_COLUMNS, csv_text
from newskg.graph.export.export import load as load_whole

TYPES = ("PERSON", "ORG", "PLACE", "CAMPAIGN", "EVENT")
# Columns typed as the GraphML declares them (``long``, ``double``); the others are text.
_INTS = {"mentions", "articles", "degree", "weighted_degree", "community", "weight"}
_FLOATS = {"pagerank", "betweenness", "npmi"}
# An edge or node attribute the build leaves out rather than writing it empty.
_OPTIONAL = {"role", "evidence", "npmi", "degree", "weighted_degree", "pagerank", "betweenness", "community"}


def _value(column: str, cell: str) -> object:
    if column in _INTS:
        return int(cell)
    if column in _FLOATS:
        return float(cell)
    return csv_text(cell)


def _rows(path: Path, columns: tuple[str, ...]) -> Iterator[list[str]]:
    """The rows of a build table, its header checked against ``columns``."""
    limit = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize)  # an edge's evidence can be a long cell
    try:
        with open(path, encoding="utf-8", newline="") as f:
            rows = csv.reader(f)
            header = tuple(next(rows, ()))
            if header[: len(columns)] != columns:
                raise UserError(f"{path} is not a newskg table: its header is not {','.join(columns)}")
            yield from rows
    finally:
        csv.field_size_limit(limit)


def _node_data(row: list[str]) -> dict:
    from newskg.graph.building.geo import point_of

    data = {}
    for column, cell in zip(ENTITY_COLUMNS[1:], row[1:], strict=False):
        if cell == "" and column in _OPTIONAL:
            continue
        data[column] = _value(column, cell)
    if (point := point_of(data.get("code", ""))) is not None:
        data.update(longitude=point[0], latitude=point[1])
    return data


def _edge_data(row: list[str]) -> dict:
    return {
        column: _value(column, cell)
        for column, cell in zip(EDGE_COLUMNS[2:], row[2:], strict=False)
        if not (cell == "" and column in _OPTIONAL)
    }


_GRAPH_DATA = re.compile(r'<data key="([^"]+)"(?: />|>([^<]*)</data>)')
_GRAPH_KEY = re.compile(r'<key id="([^"]+)" for="graph" attr.name="([^"]+)" attr.type="([^"]+)"')


def graph_data(out: Path) -> dict:
    """The graph attributes of ``graph.graphml`` (``window``, ``articles``, ...), read from its
    head (their keys) and its tail (their values), not the whole file."""
    path = BuildDir(out).graphml
    with open(path, "rb") as f:
        head = f.read(8192).decode("utf-8", "replace")
        f.seek(max(0, path.stat().st_size - 8192))
        tail = f.read().decode("utf-8", "replace")
    keys = {k: (name, t) for k, name, t in _GRAPH_KEY.findall(head)}
    tail = tail[tail.rfind("</edge>") + 1 :] if "</edge>" in tail else tail[tail.rfind("</node>") + 1 :]
    data = {}
    for k, text in _GRAPH_DATA.findall(tail):
        if k in keys:
            name, t = keys[k]
            data[name] = int(text) if t in ("long", "int") else float(text) if t == "double" else text
    return data


def _find(
    wanted: Iterable[str], rows: Iterable[list[str]], types: set[str] | None
) -> tuple[set[str] | None, set[str]]:
    """One pass over the entity rows: the ids of the nodes of ``types`` (None: every node) and
    the ids of the ``wanted`` entities (an id, else a name, else an alias)."""
    wanted = list(wanted)
    by_id, by_label, by_alias = {}, {}, {}
    keep: set[str] | None = None if types is None else set()
    label_at, aliases_at = ENTITY_COLUMNS.index("label"), ENTITY_COLUMNS.index("aliases")
    names = set(wanted)
    for row in rows:
        node, kind = row[0], row[1]
        if keep is not None and kind in types:
            keep.add(node)
        if not names:
            continue
        if node in names:
            by_id[node] = node
        label = csv_text(row[label_at])
        if label in names:
            by_label.setdefault(label, []).append(node)
        for alias in filter(None, csv_text(row[aliases_at]).split("|")):
            if alias in names:
                by_alias.setdefault(alias, []).append(node)
    found: set[str] = set()
    for name in wanted:
        ids = [by_id[name]] if name in by_id else by_label.get(name) or by_alias.get(name)
        if not ids:
            raise UserError(f"no entity with the id, name or alias {name!r} in this build")
        found.update(ids)
    if keep is not None:
        found &= keep
    return keep, found


def load_subgraph(
    out: str | Path,
    types: Iterable[str] | None = None,
    min_weight: int | None = None,
    around: Iterable[str] | None = None,
    hops: int = 1,
) -> nx.MultiDiGraph:
    """The part of the graph of the build ``out`` that the filters keep, streamed from its tables.

    Parameters
    ----------
    out : a build directory (``newskg build ... --out OUT``).
    types : the entity types to keep (``PERSON``, ``ORG``, ``PLACE``, ``CAMPAIGN``, ``EVENT``);
        None keeps every type.
    min_weight : edges of a lower ``weight`` are left out (and not followed by ``around``);
        None keeps every edge.
    around : entities (ids, names or aliases) whose neighbourhood to keep: the nodes within
        ``hops`` edges of them, either direction. None keeps every node of ``types``.
    hops : how far from ``around`` to go (0: the entities alone).

    Returns
    -------
    networkx.MultiDiGraph : as :func:`graph.load` gives, edges keyed by their kind.

    Examples
    --------
    >>> H = load_subgraph(OUT, types={"ORG", "PLACE"}, around=["中华全国总工会"], hops=1)
    >>> sorted({d["type"] for _, d in H.nodes(data=True)})
    ['ORG', 'PLACE']
    >>> load_subgraph(OUT, around=["中华全国总工会"], hops=0).number_of_nodes()
    1
    """
    out = Path(out)
    entities, edges = BuildDir(out).entities, BuildDir(out).edges
    for path in (entities, edges):
        if not path.is_file():
            raise UserError(f"{out} is not a newskg build: {path.name} is missing (run newskg build first)")
    wanted_types: set[str] | None = None
    if types is not None:
        wanted_types = {types} if isinstance(types, str) else set(types)
        if unknown := sorted(wanted_types - set(TYPES)):
            raise UserError(f"unknown entity type {', '.join(unknown)}: the types are {', '.join(TYPES)}")
    if hops < 0:
        raise UserError(f"hops must be 0 or more, not {hops}")
    if isinstance(around, str):
        around = [around]  # one entity, not its characters
    db = BuildDir(out).graphdb
    if around is not None and db.is_file():
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as con:
            keep, centres = _find_db(con, around, wanted_types)
            return _around_db(con, keep, centres, min_weight, hops)
    keep, centres = _find(around or (), _rows(entities, ENTITY_COLUMNS), wanted_types)
    weight_at = EDGE_COLUMNS.index("weight")

    def kept(row: list[str], nodes: set[str] | None) -> bool:
        if nodes is not None and not (row[0] in nodes and row[1] in nodes):
            return False
        return min_weight is None or int(row[weight_at]) >= min_weight

    nodes = keep
    if around is not None:
        nodes, frontier = set(centres), set(centres)
        for _ in range(hops):
            if not frontier:
                break
            reached: set[str] = set()
            for row in _rows(edges, EDGE_COLUMNS):
                u, v = row[0], row[1]
                if (u in frontier or v in frontier) and kept(row, keep):
                    reached.add(u)
                    reached.add(v)
            frontier = reached - nodes
            nodes |= frontier
    G = nx.MultiDiGraph()
    G.graph.update(graph_data(out))
    G.add_nodes_from(
        (row[0], _node_data(row))
        for row in _rows(entities, ENTITY_COLUMNS)
        if nodes is None or row[0] in nodes
    )
    G.add_edges_from(
        (row[0], row[1], row[2], _edge_data(row)) for row in _rows(edges, EDGE_COLUMNS) if kept(row, nodes)
    )
    return G


def _find_db(
    db: sqlite3.Connection, wanted: Iterable[str], types: set[str] | None
) -> tuple[set[str] | None, set[str]]:
    """:func:`_find` from the build's ``graph.sqlite``: the ids of the nodes of ``types`` (None: every
    node) and of the ``wanted`` entities (an id, else a name, else an alias)."""
    keep = None
    if types is not None:
        marks = ",".join("?" * len(types))
        keep = {n for (n,) in db.execute(f"SELECT id FROM nodes WHERE type IN ({marks})", sorted(types))}
    found: set[str] = set()
    for name in wanted:
        ids = (
            db.execute("SELECT id FROM nodes WHERE id = ?1", (name,)).fetchall()
            or db.execute("SELECT id FROM nodes WHERE label = ?1", (name,)).fetchall()
            or db.execute(
                "SELECT id FROM nodes WHERE instr('|' || json_extract(data, '$.aliases') || '|', ?1)",
                (f"|{name}|",),
            ).fetchall()
        )
        if not ids:
            raise UserError(f"no entity with the id, name or alias {name!r} in this build")
        found.update(n for (n,) in ids)
    if keep is not None:
        found &= keep
    return keep, found


_EDGES_OF = (
    "SELECT source, target, json_extract(data, '$.weight') FROM edges WHERE source = ?1"
    " UNION ALL SELECT source, target, json_extract(data, '$.weight') FROM edges WHERE target = ?1"
)


def _around_db(
    db: sqlite3.Connection, keep: set[str] | None, centres: set[str], min_weight: int | None, hops: int
) -> nx.MultiDiGraph:
    """:func:`load_subgraph` around ``centres`` from the build's ``graph.sqlite`` (its nodes and edges
    as the tables hold them, :mod:`newskg.graph.export.graphdb`): each node's edges by index."""

    def heavy(w: object) -> bool:
        return min_weight is None or int(w) >= min_weight

    nodes, frontier = set(centres), set(centres)
    for _ in range(hops):
        reached: set[str] = set()
        for n in sorted(frontier):
            for u, v, w in db.execute(_EDGES_OF, (n,)):
                if (keep is None or (u in keep and v in keep)) and heavy(w):
                    reached.update((u, v))
        frontier = reached - nodes
        nodes |= frontier
        if not frontier:
            break
    G = nx.MultiDiGraph()
    G.graph.update((k, json.loads(v)) for k, v in db.execute("SELECT key, value FROM graph ORDER BY rowid"))
    for n in sorted(nodes):
        (data,) = db.execute("SELECT data FROM nodes WHERE id = ?", (n,)).fetchone()
        G.add_node(n, **json.loads(data))
    for n in sorted(nodes):
        for u, v, k, data in db.execute(
            "SELECT source, target, kind, data FROM edges WHERE source = ? ORDER BY ord", (n,)
        ):
            if v in nodes and heavy((d := json.loads(data))["weight"]):
                G.add_edge(u, v, key=k, **d)
    return G


def load(
    out: str | Path,
    *,
    types: Iterable[str] | None = None,
    min_weight: int | None = None,
    around: Iterable[str] | None = None,
    hops: int = 1,
) -> nx.MultiDiGraph:
    """``graph.load``: the whole graph of the build ``out`` (:func:`newskg.graph.export.export.load`,
    from ``graph.graphml``), or with ``types``, ``min_weight`` or ``around`` the part of it that
    :func:`load_subgraph` streams from the tables in bounded memory.

    Exports left stale by ``newskg build --update`` are a one-line ``UserError`` either way.

    Examples
    --------
    >>> G = load(OUT)
    >>> H = load(OUT, types={"ORG", "PLACE"}, around=["全总"], hops=1)
    >>> H.nodes["org-中华全国总工会"] == G.nodes["org-中华全国总工会"]
    True
    """
    if types is None and min_weight is None and around is None:
        return load_whole(out)
    check_current(out)
    return load_subgraph(out, types=types, min_weight=min_weight, around=around, hops=hops)
