"""Write the graph in the formats other tools read, and load it back.

Files (all in one output directory):

- ``entities.csv``: ``id,type,label,aliases,mentions,articles,...`` one row a node;
- ``edges.csv``: ``source,target,kind,weight,articles,...`` one row an edge;
- ``graph.graphml`` for networkx, igraph and Cytoscape: edge ids unique (``e0``, ``e1``, ...),
  the edge kind an attribute, every attribute declared with its type;
- ``graph.gexf`` for Gephi: co-mentions undirected, the structural edges directed, and
  ``viz:`` colour (by type), size (by PageRank) and position (the layout of ``graph.html``);
- ``graph.json``, node-link JSON as networkx 3.3 and D3 read it (``nodes`` and ``links``),
  ``aliases`` and ``evidence`` as JSON arrays.
- ``articles.csv``: ``id,title,subtitle,date,date_source,byline,...`` one row an article;

Attribute values in the graph are scalars (aliases joined by ``|``, evidence a
JSON string) so that GraphML round-trips to an equal graph. No file carries the
date it was written: the same input gives the same bytes on any day.

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
from itertools import chain
from pathlib import Path

import networkx as nx
from newskg.graph.builddir import BuildDir, check_current
from newskg.graph.export.graphdb import edges_by_key, nodes_by_id

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


def csv_text(cell: str) -> str:
    """A text cell of a build table as the graph holds it: :func:`csv_cell`'s ``'`` before a formula undone.

    >>> csv_text("'=HYPERLINK(1)"), csv_text("'-1+1"), csv_text("全总"), csv_text("'a")
    ('=HYPERLINK(1)', '-1+1', '全总', "'a")
    """
    return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1] in _FORMULA_START else cell


def write_tables(G: nx.MultiDiGraph, out: str | Path) -> None:
    """Write ``entities.csv`` and ``edges.csv``, rows sorted so rebuilds are byte-identical.

    Text that a spreadsheet would run as a formula is neutralised (:func:`csv_cell`).
    """
    out = Path(out)
    with open(BuildDir(out).entities, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(ENTITY_COLUMNS)
        for n, d in nodes_by_id(G):
            w.writerow([csv_cell(v) for v in (n, *(d.get(c, "") for c in ENTITY_COLUMNS[1:]))])
    with open(BuildDir(out).edges, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(EDGE_COLUMNS)
        for u, v, d in edges_by_key(G):
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
    """The people of a byline record as ``name role`` joined by ``|`` (``郑小丽 记者|杨小楠 摄``)."""
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
    src = BuildDir(out).articles
    if not src.is_file():
        return
    with (
        open(src, encoding="utf-8") as f,
        open(BuildDir(out).articles_table, "w", newline="", encoding="utf-8") as g,
    ):
        w = csv.writer(g, lineterminator="\n")
        w.writerow(ARTICLE_COLUMNS)
        for line in f:
            rec = json.loads(line)
            rec["byline"] = _byline_text(rec.get("byline"))
            w.writerow([csv_cell(rec.get(c) or "") for c in ARTICLE_COLUMNS])


def write_all(G: nx.MultiDiGraph, out: str | Path, top: int | None = None) -> None:
    """Write the tables (``articles.csv`` too, when ``out`` holds ``articles.jsonl``), GraphML, GEXF
    and node-link JSON of ``G`` into ``out``.

    ``top``: the nodes of ``graph.html`` (by PageRank; None for all), which the GEXF positions.
    """
    out = Path(out)
    write_tables(G, out)
    write_articles_table(out)
    write_graphml(G, BuildDir(out).graphml)
    write_gexf(G, BuildDir(out).gexf, top)
    write_node_link(G, BuildDir(out).node_link)


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
    """Write ``G`` as GraphML: ``nx.write_graphml(G, path)`` (without lxml) with unique edge ids, faster.

    networkx builds an ElementTree of the whole document first, and names each edge
    of a multigraph by its key (here its kind, so 472 edges shared ``id="co_mention"``);
    this writes it line by line, edge ``i`` as ``id="e{i}"``. Integers are declared
    ``long`` and floats ``double``: networkx reads them back as ``int`` and ``float``
    (igraph keeps every number as a double, so it reads ``3`` as ``3.0``). Graphs it
    was not written for (``id``, ``node_default`` or ``edge_default``
    graph attributes, values other than str, int, float and bool, undirected or simple
    graphs) go to networkx.
    """
    special = {"id", "node_default", "edge_default"} & set(G.graph)
    items = chain(
        [("graph", G.graph.items())],
        (("node", d.items()) for _, d in G.nodes(data=True)),
        (("edge", d.items()) for _, _, d in G.edges(data=True)),
    )  # a pass over the graph for the keys, before the one that writes it
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
        for i, (u, v, d) in enumerate(G.edges(data=True)):  # ids unique; the key (kind) is an attribute
            tag = f'edge source="{_xml_attr(str(u))}" target="{_xml_attr(str(v))}" id="e{i}"'
            f.write(element(tag, d, "edge"))
        f.writelines(data_lines(G.graph, "graph", "    "))
        f.write("  </graph>\n</graphml>\n")


def _listed(d: dict) -> dict:
    """``aliases`` and ``evidence`` of a node's or edge's attributes as lists (JSON arrays).

    >>> _listed({"aliases": "全总|总工会", "evidence": '[{"article": "a1"}]', "weight": 2})
    {'aliases': ['全总', '总工会'], 'evidence': [{'article': 'a1'}], 'weight': 2}
    """
    d = dict(d)
    if "aliases" in d:
        d["aliases"] = [a for a in str(d["aliases"] or "").split("|") if a]
    if "evidence" in d:
        d["evidence"] = json.loads(d["evidence"] or "[]")
    return d


def write_node_link(G: nx.MultiDiGraph, path: str | Path) -> None:
    """Write ``nx.node_link_data(G, edges="links")`` as JSON, one node or edge a line.

    ``links`` is the key of networkx 3.3 (``nx.node_link_graph(data)``; from 3.4 on,
    ``nx.node_link_graph(data, edges="links")``) and of D3's force examples. Aliases and
    evidence are JSON arrays. Written a record at a time by the C JSON encoder (``indent``
    would make json use its pure-Python encoder, several times slower on large graphs).

    Examples
    --------
    >>> import tempfile
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="co_mention", kind="co_mention", evidence="[]")
    'co_mention'
    >>> path = Path(tempfile.mkdtemp()) / "graph.json"
    >>> write_node_link(G, path)
    >>> json.loads(path.read_text())["links"]
    [{'kind': 'co_mention', 'evidence': [], 'source': 'a', 'target': 'b', 'key': 'co_mention'}]
    """
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    with open(path, "w", encoding="utf-8") as f:
        head = {"directed": G.is_directed(), "multigraph": G.is_multigraph(), "graph": G.graph}
        f.write(dumps(head)[:-1] + ',\n"nodes": [\n')
        sep = ""
        for n, d in G.nodes(data=True):  # a line at a time: the whole text is never held in memory
            f.write(sep + dumps({**_listed(d), "id": n}))
            sep = ",\n"
        f.write('\n],\n"links": [\n')
        sep = ""
        for u, v, k, d in G.edges(keys=True, data=True):
            f.write(sep + dumps({**_listed(d), "source": u, "target": v, "key": k}))
            sep = ",\n"
        f.write("\n]}\n")


# Node size in Gephi: PageRank scaled to this range, as graph.html's vis-network scales it.
GEXF_SIZE = (8.0, 30.0)


def _rgb(colour: str) -> dict[str, int]:
    """``#e15759`` as GEXF ``viz:color`` components.

    >>> _rgb("#e15759")
    {'r': 225, 'g': 87, 'b': 89}
    """
    return {c: int(colour[i : i + 2], 16) for c, i in (("r", 1), ("g", 3), ("b", 5))}


def _gexf_viz(G: nx.MultiDiGraph, top: int | None = None):
    """A function giving a node of ``G`` its ``viz`` (colour, size, position): see :func:`gexf_graph`."""
    from newskg.graph.export.html import overview_graph
    from newskg.graph.export.layout import layout
    from newskg.graph.export.render import TYPE_STYLE

    pos = layout(overview_graph(G, top))
    ranks = [float(d.get("pagerank") or 0.0) for _, d in G.nodes(data=True)]
    low, high = min(ranks, default=0.0), max(ranks, default=0.0)
    small, big = GEXF_SIZE

    def viz(n: object, d: dict) -> dict:
        share = (float(d.get("pagerank") or 0.0) - low) / (high - low) if high > low else 0.5
        colour = TYPE_STYLE.get(str(d.get("type")), ("", "#888888", ""))[1]
        out = {"color": _rgb(colour), "size": round(small + share * (big - small), 3)}
        if n in pos:
            out["position"] = {"x": pos[n][0], "y": -pos[n][1] + 0.0, "z": 0.0}
        return out

    return viz


def _edge_type(d: dict) -> str:
    return "undirected" if d.get("kind") == "co_mention" else "directed"


def gexf_graph(G: nx.MultiDiGraph, top: int | None = None) -> nx.MultiDiGraph:
    """A copy of ``G`` as Gephi should draw it: ``viz`` on every node, a ``type`` (direction) on every edge.

    Colour by entity type (the palette of ``graph.html``), size by PageRank, and the
    position ``graph.html`` gives the node (:func:`newskg.graph.export.layout.layout` of the ``top``
    nodes by PageRank, all when None; y flipped: vis-network's y axis points down,
    Gephi's up). Nodes beyond ``top`` get no position (Gephi places them itself): the
    layout takes about a millisecond a node, minutes for a graph of 300,000.
    Co-mentions are ``undirected``; ``contained_in``, ``located_in``,
    ``affiliated_with`` and ``reported`` (reporter to entity) are ``directed``.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("org-a", type="ORG", label="甲", pagerank=0.5)
    >>> G.add_edge("org-a", "org-a", key="co_mention", kind="co_mention")
    'co_mention'
    >>> H = gexf_graph(G)
    >>> H.nodes["org-a"]["viz"]["color"], H.edges["org-a", "org-a", "co_mention"]["type"]
    ({'r': 89, 'g': 161, 'b': 79}, 'undirected')
    """
    viz = _gexf_viz(G, top)
    H = nx.MultiDiGraph()
    for n, d in G.nodes(data=True):
        H.add_node(n, **d, viz=viz(n, d))
    for u, v, k, d in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=k, **d, type=_edge_type(d))
    return H


def write_gexf(G: nx.MultiDiGraph, path: str | Path, top: int | None = None) -> None:
    """Write :func:`gexf_graph` of ``G`` as GEXF 1.2: networkx's bytes without the date it was written.

    networkx stamps ``<meta lastmodifieddate>`` with today's date, so builds of the
    same input on two days differed; the attribute is optional in GEXF and left out.
    networkx's writer also builds the document's whole element tree from a copy of the
    graph (several times the graph's memory: 7 GB at 50,000 articles, issue #21), so the
    graphs of a build (attribute values str, int, float or bool) are written here line by
    line, as networkx would write them; other graphs go to networkx.
    """
    plain = (str, int, float, bool)
    node_special = {"id", "pid", "start", "end", "parents", "spells", "viz"}
    edge_special = {"id", "label", "type", "start", "end", "spells", "viz", "key", "networkx_key"}
    odd = {"mode", "node_default", "edge_default"} & set(G.graph)
    nodes, edges = (d for _, d in G.nodes(data=True)), (d for _, _, d in G.edges(data=True))
    odd = odd or any(node_special & d.keys() or any(type(v) not in plain for v in d.values()) for d in nodes)
    odd = odd or any(edge_special & d.keys() or any(type(v) not in plain for v in d.values()) for d in edges)
    odd = odd or any(type(k) not in plain for _, _, k in G.edges(keys=True))
    if odd or not (G.is_directed() and G.is_multigraph()):
        from networkx.readwrite.gexf import GEXFWriter

        writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
        writer.xml.find("meta").attrib.pop("lastmodifieddate", None)
        writer.add_graph(gexf_graph(G, top))
        writer.write(str(path))
        return
    viz = _gexf_viz(G, top)
    kinds = {bool: "boolean", int: "long", float: "double", str: "string"}
    ids: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
    decl: dict[str, list[str]] = {"node": [], "edge": []}

    def declare(scope: str, k: str, v: object) -> None:
        if k not in ids[scope]:
            aid = ids[scope][k] = str(sum(len(x) for x in ids.values()))
            title = _xml_attr(k)
            decl[scope].append(f'      <attribute id="{aid}" title="{title}" type="{kinds[type(v)]}" />\n')

    for _, d in G.nodes(data=True):
        for k, v in d.items():
            if k != "label":
                declare("node", str(k), v)
    for _, _, key, d in G.edges(keys=True, data=True):
        for k, v in d.items():
            if k != "weight":
                declare("edge", str(k), v)
        declare("edge", "networkx_key", key)

    def value(v: object) -> str:
        if isinstance(v, bool):
            return str(v).lower()
        text = str(v)
        if type(v) is float:
            text = {"inf": "INF", "nan": "NaN", "-inf": "-INF"}.get(text, text)
        return _xml_attr(text)

    def attvalues(scope: str, items: list[tuple[str, object]]) -> str:
        if not items:
            return ""
        rows = "".join(f'          <attvalue for="{ids[scope][k]}" value="{value(v)}" />\n' for k, v in items)
        return f"        <attvalues>\n{rows}        </attvalues>\n"

    viz_ns = 'xmlns:viz="http://www.gexf.net/1.2draft/viz" ' if len(G) else ""
    name = _xml_attr(str(G.graph.get("name", "")))
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(
            "<?xml version='1.0' encoding='utf-8'?>\n"
            f'<gexf {viz_ns}xmlns="http://www.gexf.net/1.2draft" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" '
            'version="1.2">\n'
            f"  <meta>\n    <creator>NetworkX {nx.__version__}</creator>\n  </meta>\n"
            f'  <graph defaultedgetype="directed" mode="static" name="{name}">\n'
        )
        for scope in ("edge", "node"):
            if decl[scope]:
                f.write(f'    <attributes mode="static" class="{scope}">\n')
                f.writelines(decl[scope])
                f.write("    </attributes>\n")
        f.write("    <nodes>\n" if len(G) else "    <nodes />\n")
        for n, d in G.nodes(data=True):
            z = viz(n, d)
            c = z["color"]
            body = [
                f'        <viz:color r="{c["r"]}" g="{c["g"]}" b="{c["b"]}" a="1.0" />\n',
                f'        <viz:size value="{z["size"]}" />\n',
            ]
            if "position" in z:
                p = z["position"]
                body.append(f'        <viz:position x="{p["x"]}" y="{p["y"]}" z="{p["z"]}" />\n')
            body.append(attvalues("node", [(str(k), v) for k, v in d.items() if k != "label"]))
            label = _xml_attr(str(d.get("label", n)))
            f.write(f'      <node id="{_xml_attr(str(n))}" label="{label}">\n{"".join(body)}      </node>\n')
        if len(G):
            f.write("    </nodes>\n")
        f.write("    <edges>\n" if G.number_of_edges() else "    <edges />\n")
        for i, (u, v, k, d) in enumerate(G.edges(keys=True, data=True)):
            head = f'      <edge source="{_xml_attr(str(u))}" target="{_xml_attr(str(v))}" id="{i}"'
            if "weight" in d:
                head += f' weight="{_xml_attr(str(d["weight"]))}"'
            head += f' type="{_edge_type(d)}">\n'
            items = [(str(a), x) for a, x in d.items() if a != "weight"] + [("networkx_key", k)]
            f.write(head + attvalues("edge", items) + "      </edge>\n")
        if G.number_of_edges():
            f.write("    </edges>\n")
        f.write("  </graph>\n</gexf>\n")


def load(out: str | Path) -> nx.MultiDiGraph:
    """Load the graph of a build directory (``graph.graphml``) as a networkx MultiDiGraph.

    ``graph.load`` is :func:`newskg.graph.query.subgraph.load`: this, or with filters a
    subgraph streamed from the tables.

    Exports left stale by ``newskg build --update`` are a one-line ``UserError``
    (:func:`newskg.graph.builddir.check_current`): a reader never writes. ``graph.refresh(out)``
    rewrites them when the user asks.

    Examples
    --------
    >>> G = load(OUT)
    >>> G.nodes["org-中华全国总工会"]["aliases"]
    '全总'
    """
    check_current(out)
    path = BuildDir(out).graphml
    if not path.is_file():
        from newskg.extract.errors import UserError

        raise UserError(f"{out} is not a newskg build: {path.name} is missing (run newskg build first)")
    raw = nx.read_graphml(path, force_multigraph=True)
    for key in ("node_default", "edge_default"):
        raw.graph.pop(key, None)
    G = nx.MultiDiGraph()  # edges keyed by their kind again (the file's ids are e0, e1, ...)
    G.graph.update(raw.graph)
    G.add_nodes_from(raw.nodes(data=True))
    G.add_edges_from((u, v, d.get("kind"), d) for u, v, d in raw.edges(data=True))
    return G


def evidence(G: nx.MultiDiGraph, u: str, v: str) -> list[dict]:
    """The evidence sentences of the co-mention edge between ``u`` and ``v`` (either order)."""
    for a, b in ((u, v), (v, u)):
        if G.has_edge(a, b, "co_mention"):
            return json.loads(G.edges[a, b, "co_mention"].get("evidence", "[]"))
    return []
