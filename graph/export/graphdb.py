"""The graph as an SQLite file (``OUT/graph.sqlite``), and a read-only view of it that the writers take.

A build writes its graph here once, frees the networkx graph, and its writers stream
nodes and edges from the file (issue #21): before, each forked writer counted the whole
graph in its memory again. The view answers the part of networkx's ``MultiDiGraph``
interface the writers use, in networkx's own order (nodes and edges as ``G`` iterated
them, a node's edges in and out in that order), so each file is the one networkx's graph gave.

The file is also an export: ``nodes(ord, id, type, label, data)`` and
``edges(ord, source, target, kind, data)``, ``data`` the attributes as JSON
(``json_extract(data, '$.pagerank')``), for sqlite3, pandas or Datasette.

>>> import networkx as nx, tempfile
>>> G = nx.MultiDiGraph(window="sentence")
>>> G.add_node("org-a", type="ORG", label="甲", pagerank=0.5)
>>> G.add_edge("org-a", "place-b", key="located_in", kind="located_in", weight=1)
'located_in'
>>> path = Path(tempfile.mkdtemp()) / "graph.sqlite"
>>> write_graph_db(path, G.graph, G.nodes(data=True), G.edges(keys=True, data=True))
>>> V = GraphDB(path)
>>> len(V), V.number_of_edges(), V.graph, V.nodes["org-a"]["pagerank"]
(2, 1, {'window': 'sentence'}, 0.5)
>>> list(V.edges(keys=True, data=True)) == list(G.edges(keys=True, data=True))
True
>>> list(V.in_edges("place-b", keys=True)) == list(G.in_edges("place-b", keys=True))
True
>>> nx.utils.graphs_equal(read_graph_db(path), G)
True

A node's edges in come in the order of ``G.edges``, which can differ from networkx's
``in_edges`` order (its predecessors as their first edge to it was added); the writers
do not depend on it.
"""

from __future__ import annotations

import heapq
import json
import sqlite3
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import networkx as nx

_SCHEMA = """
CREATE TABLE graph (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE nodes (ord INTEGER PRIMARY KEY, id TEXT NOT NULL, type TEXT, label TEXT, data TEXT NOT NULL);
CREATE TABLE edges (
    ord INTEGER PRIMARY KEY, source TEXT NOT NULL, target TEXT NOT NULL, kind TEXT, data TEXT NOT NULL
);
"""
_INDEXES = """
CREATE INDEX edges_source ON edges (source, ord);
CREATE INDEX edges_target ON edges (target, ord);
CREATE INDEX edges_key ON edges (source, target, kind);
CREATE INDEX nodes_label ON nodes (label);
"""


def _json(d: dict) -> str:
    return json.dumps(d, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def write_graph_db(
    path: str | Path,
    graph: dict,
    nodes: Iterable[tuple[str, dict]],
    edges: Iterable[tuple[str, str, str, dict]],
) -> None:
    """Write a graph to a new SQLite file at ``path``: its attributes, ``nodes`` as ``(id, attributes)``
    in order, and ``edges`` as ``(u, v, key, attributes)`` in the order they were added to a
    ``MultiDiGraph`` of those nodes. They are stored in the order ``G.edges`` gives (by source
    node, then neighbour as first linked, then key), sorted by SQLite on disk, not in memory.
    An edge whose source is not among ``nodes`` is left out.
    """
    path = Path(path)
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    try:
        db.executescript(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = FILE;" + _SCHEMA
        )
        with db:
            db.executemany("INSERT INTO graph VALUES (?, ?)", ((str(k), _json(v)) for k, v in graph.items()))
            db.executemany(
                "INSERT INTO nodes (id, type, label, data) VALUES (?, ?, ?, ?)",
                ((str(n), d.get("type"), d.get("label"), _json(d)) for n, d in nodes),
            )
            db.execute("CREATE UNIQUE INDEX nodes_id ON nodes (id)")
            db.execute("CREATE TEMP TABLE staged (ins INTEGER PRIMARY KEY, source, target, kind, data)")
            db.executemany(
                "INSERT INTO staged (source, target, kind, data) VALUES (?, ?, ?, ?)",
                ((str(u), str(v), str(k), _json(d)) for u, v, k, d in edges),
            )
            db.execute(
                """INSERT INTO edges (source, target, kind, data)
                SELECT s.source, s.target, s.kind, s.data
                FROM (SELECT *, MIN(ins) OVER (PARTITION BY source, target) AS first FROM temp.staged) AS s
                JOIN nodes ON nodes.id = s.source
                ORDER BY nodes.ord, s.first, s.ins"""
            )
            db.execute("DROP TABLE temp.staged")
        db.executescript(_INDEXES)
    finally:
        db.close()


def update_nodes(path: str | Path, extra: Iterable[dict], batch: int = 10_000) -> None:
    """Add ``extra``'s attributes to those of the nodes of the file at ``path``, node by node in order."""
    extra = iter(extra)
    db = sqlite3.connect(path)
    try:
        with db:
            (n,) = db.execute("SELECT count(*) FROM nodes").fetchone()
            for lo in range(1, n + 1, batch):
                rows = db.execute(
                    "SELECT ord, data FROM nodes WHERE ord BETWEEN ? AND ?", (lo, lo + batch - 1)
                )
                merged = [(_json({**json.loads(d), **next(extra)}), o) for o, d in rows.fetchall()]
                db.executemany("UPDATE nodes SET data = ? WHERE ord = ?", merged)
    finally:
        db.close()


class GraphDB:
    """A read-only view of a :func:`write_graph_db` file: the ``MultiDiGraph`` interface the writers use."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        self.graph = {
            k: json.loads(v) for k, v in self._db.execute("SELECT key, value FROM graph ORDER BY rowid")
        }
        self._n = self._db.execute("SELECT count(*) FROM nodes").fetchone()[0]
        self._m = self._db.execute("SELECT count(*) FROM edges").fetchone()[0]
        self.nodes = _Nodes(self)

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[str]:
        return iter(self.nodes)

    def __contains__(self, n: object) -> bool:
        return self._db.execute("SELECT 1 FROM nodes WHERE id = ?", (n,)).fetchone() is not None

    def number_of_edges(self) -> int:
        return self._m

    def is_directed(self) -> bool:
        return True

    def is_multigraph(self) -> bool:
        return True

    def edges(self, keys: bool = False, data: bool = False) -> Iterator[tuple]:
        """Every edge in ``G``'s order: ``(u, v)``, with the key and the attributes when asked."""
        rows = self._db.execute("SELECT source, target, kind, data FROM edges ORDER BY ord")
        return _shaped(rows, keys, data)

    def out_edges(
        self, nbunch: str | Iterable[str], keys: bool = False, data: bool = False
    ) -> Iterator[tuple]:
        for n in [nbunch] if isinstance(nbunch, str) else list(nbunch):
            q = "SELECT source, target, kind, data FROM edges WHERE source = ? ORDER BY ord"
            yield from _shaped(self._db.execute(q, (n,)), keys, data)

    def in_edges(
        self, nbunch: str | Iterable[str], keys: bool = False, data: bool = False
    ) -> Iterator[tuple]:
        for n in [nbunch] if isinstance(nbunch, str) else list(nbunch):
            q = "SELECT source, target, kind, data FROM edges WHERE target = ? ORDER BY ord"
            yield from _shaped(self._db.execute(q, (n,)), keys, data)

    def weighted_edges(self, kind: str) -> Iterator[tuple[str, str, object]]:
        """``(u, v, weight)`` of the edges of ``kind`` in ``G``'s order (None where an edge has no weight)."""
        q = "SELECT source, target, json_extract(data, '$.weight') FROM edges WHERE kind = ? ORDER BY ord"
        return iter(self._db.execute(q, (kind,)))

    def edges_among(self, nodes: list[str]) -> list[tuple[str, str, object]]:
        """``(u, v, weight)`` of the edges between ``nodes``, in ``G``'s order."""
        marks = ",".join("?" * len(nodes))
        q = (
            f"SELECT source, target, json_extract(data, '$.weight') FROM edges"
            f" WHERE source IN ({marks}) AND target IN ({marks}) ORDER BY ord"
        )
        return self._db.execute(q, [*nodes, *nodes]).fetchall()

    def nodes_by_id(self) -> Iterator[tuple[str, dict]]:
        """``sorted(G.nodes(data=True))``, a row at a time."""
        for n, d in self._db.execute("SELECT id, data FROM nodes ORDER BY id"):
            yield n, json.loads(d)

    def edges_by_key(self) -> Iterator[tuple[str, str, dict]]:
        """``G.edges(data=True)`` sorted by source, target and kind, a row at a time."""
        for u, v, d in self._db.execute(
            "SELECT source, target, data FROM edges ORDER BY source, target, kind"
        ):
            yield u, v, json.loads(d)

    def top_nodes(self, k: int, key) -> list[tuple[str, dict]]:
        """The ``k`` nodes of least ``key((n, d))``, as ``heapq.nsmallest``."""
        return heapq.nsmallest(k, self.nodes(data=True), key=key)

    def nodes_by_degree(self) -> Iterator[tuple[str, str]]:
        """``(type, id)`` of every node by type, then degree and weighted degree (both descending),
        then label and id: :func:`nodes_by_degree`, sorted by SQLite."""
        return iter(
            self._db.execute(
                "SELECT type, id FROM nodes ORDER BY type, json_extract(data, '$.degree') DESC,"
                " json_extract(data, '$.weighted_degree') DESC, label, id"
            )
        )

    def comentions(self) -> Iterator[tuple[str, str, int, float, str, str]]:
        """``(u, v, weight, npmi, label of u, label of v)`` of every co-mention edge: :func:`comentions`."""
        return iter(
            self._db.execute(
                "SELECT e.source, e.target, json_extract(e.data, '$.weight'), json_extract(e.data, '$.npmi'),"
                " a.label, b.label FROM edges AS e JOIN nodes AS a ON a.id = e.source"
                " JOIN nodes AS b ON b.id = e.target"
                " WHERE json_extract(e.data, '$.kind') = 'co_mention' ORDER BY e.ord"
            )
        )

    def close(self) -> None:
        self._db.close()


def _shaped(rows: Iterable[tuple], keys: bool, data: bool) -> Iterator[tuple]:
    for u, v, k, d in rows:
        yield (u, v) + ((k,) if keys else ()) + ((json.loads(d),) if data else ())


class _Nodes:
    """``G.nodes``: iterate ids, ``nodes[n]`` for attributes, ``nodes(data=True)`` for both."""

    def __init__(self, g: GraphDB) -> None:
        self._g = g
        self._get = lru_cache(maxsize=50_000)(self._lookup)

    def _lookup(self, n: str) -> str:
        row = self._g._db.execute("SELECT data FROM nodes WHERE id = ?", (n,)).fetchone()
        if row is None:
            raise KeyError(n)
        return row[0]

    def __getitem__(self, n: str) -> dict:
        return json.loads(self._get(n))

    def __iter__(self) -> Iterator[str]:
        return (n for (n,) in self._g._db.execute("SELECT id FROM nodes ORDER BY ord"))

    def __len__(self) -> int:
        return len(self._g)

    def __contains__(self, n: object) -> bool:
        return n in self._g

    def __call__(self, data: bool = False) -> Iterator:
        if not data:
            return iter(self)
        return ((n, json.loads(d)) for n, d in self._g._db.execute("SELECT id, data FROM nodes ORDER BY ord"))


def read_graph_db(path: str | Path) -> nx.MultiDiGraph:
    """The networkx graph of a :func:`write_graph_db` file: nodes and edges in the order they were written."""
    V = GraphDB(path)
    try:
        G = nx.MultiDiGraph()
        G.graph.update(V.graph)
        G.add_nodes_from(V.nodes(data=True))
        G.add_edges_from(V.edges(keys=True, data=True))
    finally:
        V.close()
    return G


def reopened(G):
    """``G`` itself, or a :class:`GraphDB` on the same file with a connection of this process's own
    (an SQLite connection must not be used on both sides of a fork)."""
    return GraphDB(G.path) if isinstance(G, GraphDB) else G


def edges_among(G, nodes: list[str]) -> list[tuple[str, str, object]]:
    """``(u, v, weight)`` of the edges between ``nodes`` (hubs' other edges not scanned), by ``u`` and ``v``
    in the order of ``nodes``, then in ``G``'s order."""
    index = {n: i for i, n in enumerate(nodes)}
    if isinstance(G, GraphDB):
        rows = G.edges_among(nodes)
    else:
        rows = [
            (m, o, d.get("weight"))
            for m in nodes
            for succ in (G.succ[m],)
            for o in nodes
            if o in succ
            for d in succ[o].values()
        ]
    return sorted(rows, key=lambda r: (index[r[0]], index[r[1]]))


def nodes_by_id(G) -> Iterable[tuple[str, dict]]:
    """``sorted(G.nodes(data=True))``: streamed from a :class:`GraphDB`."""
    return G.nodes_by_id() if isinstance(G, GraphDB) else sorted(G.nodes(data=True))


def edges_by_key(G) -> Iterable[tuple[str, str, dict]]:
    """``G.edges(data=True)`` sorted by source, target and kind: streamed from a :class:`GraphDB`."""
    if isinstance(G, GraphDB):
        return G.edges_by_key()
    return sorted(G.edges(data=True), key=lambda e: (e[0], e[1], e[2]["kind"]))


def nodes_by_degree(G) -> Iterable[tuple[str, str]]:
    """``(type, id)`` of every node by type, then degree and weighted degree (both descending), then
    label and id (the order of ``nkg:degreeRank``): sorted by SQLite for a :class:`GraphDB`."""
    if isinstance(G, GraphDB):
        return G.nodes_by_degree()

    def key(nd: tuple[str, dict]) -> tuple:
        n, d = nd
        return (
            str(d["type"]),
            -int(d.get("degree") or 0),
            -int(d.get("weighted_degree") or 0),
            str(d["label"]),
            n,
        )

    return ((str(d["type"]), n) for n, d in sorted(G.nodes(data=True), key=key))


def comentions(G) -> Iterable[tuple[str, str, int, float, str, str]]:
    """``(u, v, weight, npmi, label of u, label of v)`` of every co-mention edge, in ``G``'s order."""
    if isinstance(G, GraphDB):
        return G.comentions()
    return (
        (u, v, d["weight"], d["npmi"], G.nodes[u]["label"], G.nodes[v]["label"])
        for u, v, d in G.edges(data=True)
        if d["kind"] == "co_mention"
    )
