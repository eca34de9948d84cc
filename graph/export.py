"""Write the graph in the formats other tools read, and load it back.

Files (all in one output directory):

- ``entities.csv``: ``id,type,label,aliases,mentions,articles,...`` one row a node;
- ``edges.csv``: ``source,target,kind,weight,articles,...`` one row an edge;
- ``articles.csv``: ``id,title,subtitle,date,date_source,byline,...`` one row an article;
- ``graph.graphml`` and ``graph.gexf`` for Gephi and Cytoscape, ``graph.json`` (node-link).

Attribute values in the graph are scalars (aliases joined by ``|``, evidence a
JSON string) so that every format round-trips to an equal graph.

>>> import networkx as nx, tempfile
>>> G = nx.MultiDiGraph()
>>> G.add_node("org-全总", type="ORG", label="全总")
>>> d = tempfile.mkdtemp()
>>> write_all(G, d)
>>> nx.utils.graphs_equal(load(d), G)
True
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import networkx as nx

ENTITY_COLUMNS = (
    "id",
    "type",
    "label",
    "aliases",
    "mentions",
    "articles",
    "first_date",
    "last_date",
    "code",
    "parent",
    "degree",
    "weighted_degree",
    "pagerank",
    "betweenness",
    "community",
)
EDGE_COLUMNS = ("source", "target", "kind", "weight", "articles", "npmi", "role", "evidence")
# A text cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value: object) -> object:
    """A table cell a spreadsheet shows as text: a text starting like a formula gets a ``'`` first.

    Numbers stay numbers (a negative NPMI is not a formula). A carriage return becomes a line
    break, which the writer quotes (a bare CR, unquoted, ends the row for some readers).

    >>> csv_cell("=HYPERLINK(1)"), csv_cell("-1+1"), csv_cell(-0.5), csv_cell("全总"), csv_cell("\\ra")
    ("'=HYPERLINK(1)", "'-1+1", -0.5, '全总', "'\\na")
    """
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "'" + value if value.startswith(_FORMULA_START) else value


def write_tables(G: nx.MultiDiGraph, out: str | Path) -> None:
    """Write ``entities.csv`` and ``edges.csv``, rows sorted so rebuilds are byte-identical.

    Text that a spreadsheet would run as a formula is neutralised (:func:`csv_cell`).
    """
    out = Path(out)
    with open(out / "entities.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(ENTITY_COLUMNS)
        for n in sorted(G.nodes):
            d = G.nodes[n]
            w.writerow([csv_cell(v) for v in (n, *(d.get(c, "") for c in ENTITY_COLUMNS[1:]))])
    with open(out / "edges.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(EDGE_COLUMNS)
        for u, v, d in sorted(G.edges(data=True), key=lambda e: (e[0], e[1], e[2]["kind"])):
            w.writerow([csv_cell(x) for x in (u, v, *(d.get(c, "") for c in EDGE_COLUMNS[2:]))])


ARTICLE_COLUMNS = (
    "id",
    "title",
    "subtitle",
    "date",
    "date_source",
    "byline",
    "agency",
    "source",
    "url",
    "duplicate_of",
    "continues",
)


def _byline_text(byline: object) -> str:
    """The people of a byline record as ``name role`` joined by ``|`` (``郑莉 记者|杨楠 摄``)."""
    people = byline if isinstance(byline, list) else []
    return "|".join(f"{p.get('name', '')} {p.get('role', '')}".strip() for p in people if isinstance(p, dict))


def write_articles_table(out: str | Path) -> None:
    """Write ``articles.csv`` from ``articles.jsonl`` in ``out`` (if there): one row an article, in order.

    Article text is untrusted: a cell a spreadsheet would run as a formula is neutralised
    (:func:`csv_cell`).

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> rec = {"id": "a1", "title": "标题", "date": "2022-06-28", "date_source": "page", "byline": []}
    >>> _ = (d / "articles.jsonl").write_text(json.dumps(rec) + "\\n", encoding="utf-8")
    >>> write_articles_table(d)
    >>> (d / "articles.csv").read_text(encoding="utf-8").splitlines()[1]
    'a1,标题,,2022-06-28,page,,,,,,'
    """
    out = Path(out)
    src = out / "articles.jsonl"
    if not src.is_file():
        return
    with open(src, encoding="utf-8") as f, open(out / "articles.csv", "w", newline="", encoding="utf-8") as g:
        w = csv.writer(g, lineterminator="\n")
        w.writerow(ARTICLE_COLUMNS)
        for line in f:
            rec = json.loads(line)
            rec["byline"] = _byline_text(rec.get("byline"))
            w.writerow([csv_cell(rec.get(c) or "") for c in ARTICLE_COLUMNS])


def write_all(G: nx.MultiDiGraph, out: str | Path) -> None:
    """Write the tables (``articles.csv`` too, when ``out`` holds ``articles.jsonl``), GraphML, GEXF
    and node-link JSON of ``G`` into ``out``."""
    out = Path(out)
    write_tables(G, out)
    write_articles_table(out)
    write_graphml(G, out / "graph.graphml")
    write_gexf(G, out / "graph.gexf")
    write_node_link(G, out / "graph.json")


_GEXF_DATE = re.compile(rb' lastmodifieddate="[^"]*"')


def write_gexf(G: nx.MultiDiGraph, path: str | Path) -> None:
    """Write ``G`` as GEXF 1.2 with networkx, without the date networkx puts in it.

    ``lastmodifieddate`` (optional in GEXF) is today's date: the same input would give other
    bytes tomorrow (issue #20). It is overwritten in place with as many spaces (whitespace
    between attributes), so the file is not written twice.
    """
    nx.write_gexf(G, path, encoding="utf-8", version="1.2draft")
    with open(path, "r+b") as f:
        head = f.read(4096)
        m = _GEXF_DATE.search(head)
        if m:
            f.seek(m.start())
            f.write(b" " * (m.end() - m.start()))


_GRAPHML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
_GRAPHML_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml_attr(text: str) -> str:
    text = _xml_text(text).replace('"', "&quot;")
    return text.replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#09;")


def write_graphml(G: nx.MultiDiGraph, path: str | Path) -> None:
    """Write ``G`` as GraphML: the bytes of ``nx.write_graphml(G, path)`` (without lxml), faster.

    networkx builds an ElementTree of the whole document first; this writes it line by
    line. Graphs it was not written for (``id``, ``node_default`` or ``edge_default``
    graph attributes, values other than str, int, float and bool, undirected or simple
    graphs) go to networkx.
    """
    special = {"id", "node_default", "edge_default"} & set(G.graph)
    items = [("graph", G.graph.items())]
    items += [("node", d.items()) for _, d in G.nodes(data=True)]
    items += [("edge", d.items()) for _, _, d in G.edges(data=True)]
    keys: dict[tuple[str, str, str], str] = {}
    for scope, data in items:
        for k, v in data:
            t = _GRAPHML_TYPES.get(type(v))
            if t is None:
                special.add("value")
                break
            keys.setdefault((str(k), t, scope), f"d{len(keys)}")
    if special or not (G.is_directed() and G.is_multigraph()):
        nx.write_graphml(G, path, encoding="utf-8")
        return

    def data_lines(data: dict, scope: str, pad: str) -> list[str]:
        lines = []
        for k, v in data.items():
            kid = keys[(str(k), _GRAPHML_TYPES[type(v)], scope)]
            text = str(v)
            lines.append(
                f'{pad}<data key="{kid}">{_xml_text(text)}</data>\n'
                if text
                else f'{pad}<data key="{kid}" />\n'
            )
        return lines

    def element(open_tag: str, data: dict, scope: str) -> str:
        if not data:
            return f"    <{open_tag} />\n"
        return "".join(
            [f"    <{open_tag}>\n", *data_lines(data, scope, "      "), f"    </{open_tag.split()[0]}>\n"]
        )

    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(_GRAPHML_HEAD)
        for (name, t, scope), kid in reversed(keys.items()):
            f.write(f'  <key id="{kid}" for="{scope}" attr.name="{_xml_attr(name)}" attr.type="{t}" />\n')
        if not (len(G) or G.graph):
            f.write('  <graph edgedefault="directed" />\n</graphml>\n')
            return
        f.write('  <graph edgedefault="directed">\n')
        for n, d in G.nodes(data=True):
            f.write(element(f'node id="{_xml_attr(str(n))}"', d, "node"))
        for u, v, k, d in G.edges(keys=True, data=True):
            tag = f'edge source="{_xml_attr(str(u))}" target="{_xml_attr(str(v))}" id="{_xml_attr(str(k))}"'
            f.write(element(tag, d, "edge"))
        f.writelines(data_lines(G.graph, "graph", "    "))
        f.write("  </graph>\n</graphml>\n")


def write_node_link(G: nx.MultiDiGraph, path: str | Path) -> None:
    """Write ``nx.node_link_data(G, edges="edges")`` as JSON, one node or edge a line.

    Written a record at a time by the C JSON encoder (``indent`` would make json use its
    pure-Python encoder, several times slower on large graphs).
    """
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    with open(path, "w", encoding="utf-8") as f:
        head = {"directed": G.is_directed(), "multigraph": G.is_multigraph(), "graph": G.graph}
        f.write(dumps(head)[:-1] + ',\n"nodes": [\n')
        f.write(",\n".join(dumps({**d, "id": n}) for n, d in G.nodes(data=True)))
        f.write('\n],\n"edges": [\n')
        edges = G.edges(keys=True, data=True)
        f.write(",\n".join(dumps({**d, "source": u, "target": v, "key": k}) for u, v, k, d in edges))
        f.write("\n]}\n")


def load(out: str | Path, refresh: bool = False) -> nx.MultiDiGraph:
    """Load the graph of a build directory (``graph.graphml``) as a networkx MultiDiGraph.

    Exports left stale by ``newskg build --update`` are a one-line ``UserError``
    (:func:`graph.update.check_current`), unless ``refresh`` asks to refresh them first
    (:func:`graph.update.refresh`, which waits for no one: it fails if a writer holds ``out``).

    Examples
    --------
    >>> G = load("out")  # doctest: +SKIP
    >>> G.nodes["org-中华全国总工会"]["aliases"]  # doctest: +SKIP
    '全总'
    """
    from graph.update import MARKER, check_current
    from graph.update import refresh as refresh_exports

    if refresh and (Path(out) / MARKER).is_file():
        refresh_exports(out)
    check_current(out)
    path = Path(out) / "graph.graphml"
    if not path.is_file():
        from extract.errors import UserError

        raise UserError(f"{out} is not a newskg build: {path.name} is missing (run newskg build first)")
    G = nx.read_graphml(path, force_multigraph=True)
    for key in ("node_default", "edge_default"):
        G.graph.pop(key, None)
    return G


def evidence(G: nx.MultiDiGraph, u: str, v: str) -> list[dict]:
    """The evidence sentences of the co-mention edge between ``u`` and ``v`` (either order)."""
    for a, b in ((u, v), (v, u)):
        if G.has_edge(a, b, "co_mention"):
            return json.loads(G.edges[a, b, "co_mention"].get("evidence", "[]"))
    return []
