"""The exports as other tools read them: networkx, igraph, Gephi (GEXF), D3 (node-link JSON); issue #19."""

from __future__ import annotations

import http.client
import importlib.metadata
import io
import json
import os
import re
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
import xml.etree.ElementTree as ET

import igraph
import networkx as nx
import pytest
import rdflib
from conftest import ROOT, run_cli, run_main, serving, warning_lines
from newskg import graph
from newskg.graph.building.build import WRITERS
from newskg.graph.building.progress import Progress
from newskg.graph.cli import main
from newskg.graph.export.export import write_gexf
from newskg.graph.export.render import TYPE_STYLE
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper import RDF as RDF_GRAPH

GEXF = "{http://www.gexf.net/1.2draft}"
VIZ = "{http://www.gexf.net/1.2draft/viz}"
INT_NODE_ATTRS = ("mentions", "articles", "degree", "weighted_degree", "community")


@pytest.fixture(scope="module")
def G(seed_build):
    return graph.load(seed_build)


def test_graphml_edge_ids_are_unique_and_the_kind_is_an_attribute(seed_build, G):
    root = ET.parse(seed_build / "graph.graphml").getroot()
    ids = [e.get("id") for e in root.iter("{http://graphml.graphdrawing.org/xmlns}edge")]
    assert len(ids) == G.number_of_edges() == len(set(ids))
    kinds = {d["kind"] for *_, d in nx.read_graphml(seed_build / "graph.graphml").edges(data=True)}
    assert kinds == {"co_mention", "contained_in", "located_in", "affiliated_with", "reported"}


def test_networkx_reads_graphml_integers_as_ints(seed_build):
    H = nx.read_graphml(seed_build / "graph.graphml")
    for _, d in H.nodes(data=True):
        assert all(type(d[a]) is int for a in INT_NODE_ATTRS), d
        assert type(d["pagerank"]) is float
    assert all(type(d["weight"]) is int for *_, d in H.edges(data=True))


def test_igraph_reads_graphml_with_every_node_edge_and_attribute(seed_build, G):
    g = igraph.Graph.Read_GraphML(str(seed_build / "graph.graphml"))
    assert g.is_directed()
    assert (g.vcount(), g.ecount()) == (G.number_of_nodes(), G.number_of_edges())
    assert sorted(g.vs["id"]) == sorted(G.nodes)
    by_id = {v["id"]: v for v in g.vs}
    for n, d in G.nodes(data=True):
        v = by_id[n]
        assert v["label"] == d["label"] and v["type"] == d["type"]
        # igraph holds every number as a double: the ints come back whole, equal to networkx's
        assert all(v[a] == d[a] and float(v[a]).is_integer() for a in INT_NODE_ATTRS)
    assert sorted(g.es["kind"]) == sorted(d["kind"] for *_, d in G.edges(data=True))
    ends = {(g.vs[e.source]["id"], g.vs[e.target]["id"], e["kind"]) for e in g.es}
    assert ends == {(u, v, k) for u, v, k in G.edges(keys=True)}


def _gexf(seed_build):
    return ET.parse(seed_build / "graph.gexf").getroot()


def test_gexf_edge_directions_are_true_to_each_kind(seed_build):
    root = _gexf(seed_build)
    attrs = {a.get("title"): a.get("id") for a in root.iter(f"{GEXF}attribute")}
    seen = set()
    for e in root.iter(f"{GEXF}edge"):
        kind = next(v.get("value") for v in e.iter(f"{GEXF}attvalue") if v.get("for") == attrs["kind"])
        assert e.get("type") == ("undirected" if kind == "co_mention" else "directed"), kind
        seen.add(kind)
    assert seen == {"co_mention", "contained_in", "located_in", "affiliated_with", "reported"}


def test_gexf_nodes_carry_viz_colour_size_and_position(seed_build, G):
    root = _gexf(seed_build)
    sizes = {}
    for node in root.iter(f"{GEXF}node"):
        d = G.nodes[node.get("id")]
        colour = node.find(f"{VIZ}color")
        hexa = TYPE_STYLE[d["type"]][1]
        assert (colour.get("r"), colour.get("g"), colour.get("b")) == tuple(
            str(int(hexa[i : i + 2], 16)) for i in (1, 3, 5)
        )
        pos = node.find(f"{VIZ}position")
        assert all(float(pos.get(c)) == float(pos.get(c)) for c in "xyz")  # numbers, not "None"
        sizes[node.get("id")] = float(node.find(f"{VIZ}size").get("value"))
    top = max(G.nodes, key=lambda n: G.nodes[n]["pagerank"])
    assert sizes[top] == max(sizes.values()) == 30.0
    assert min(sizes.values()) == 8.0
    positions = {
        (n.find(f"{VIZ}position").get("x"), n.find(f"{VIZ}position").get("y"))
        for n in root.iter(f"{GEXF}node")
    }
    assert len(positions) > G.number_of_nodes() * 0.9  # laid out, not all at the origin


def test_gexf_positions_the_nodes_graph_html_shows(G, tmp_path):
    # the layout costs about a millisecond a node: beyond --top, Gephi places the nodes itself
    write_gexf(G, tmp_path / "top.gexf", top=10)
    nodes = list(ET.parse(tmp_path / "top.gexf").getroot().iter(f"{GEXF}node"))
    placed = {n.get("id") for n in nodes if n.find(f"{VIZ}position") is not None}
    assert placed == set(sorted(G.nodes, key=lambda n: (-G.nodes[n]["pagerank"], n))[:10])
    assert all(n.find(f"{VIZ}color") is not None and n.find(f"{VIZ}size") is not None for n in nodes)


def test_gexf_carries_no_date(seed_build):
    # lastmodifieddate = today made builds of the same input differ across midnight
    meta = _gexf(seed_build).find(f"{GEXF}meta")
    assert "lastmodifieddate" not in meta.attrib
    assert b"2026-" not in (seed_build / "graph.gexf").read_bytes()[:2000]


def test_gexf_bytes_do_not_depend_on_the_day(G, tmp_path, monkeypatch):
    # a build and a refresh on two days differed: networkx stamped today's date into <meta>
    write_gexf(G, tmp_path / "today.gexf")
    monkeypatch.setattr(time, "strftime", lambda fmt, *a: "2031-01-02")
    write_gexf(G, tmp_path / "another_day.gexf")
    assert (tmp_path / "today.gexf").read_bytes() == (tmp_path / "another_day.gexf").read_bytes()


def _networkx_gexf(G: nx.MultiDiGraph, path, top=None) -> bytes:
    from networkx.readwrite.gexf import GEXFWriter
    from newskg.graph.export.export import gexf_graph

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.xml.find("meta").attrib.pop("lastmodifieddate", None)
    writer.add_graph(gexf_graph(G, top))
    writer.write(str(path))
    return path.read_bytes()


def _odd_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_node('org-a&<"', type="ORG", label="甲\n\t", pagerank=0.5, mentions=3, flag=True, x=float("inf"))
    G.add_node("person-b", type="PERSON", pagerank=0.1)
    G.add_node("c")
    G.add_edge('org-a&<"', "person-b", key="co_mention", kind="co_mention", weight=2, evidence='["x\ry"]')
    G.add_edge("person-b", 'org-a&<"', key="affiliated_with", kind="affiliated_with", weight=1, role="主席")
    return G


@pytest.mark.parametrize("which", ["seed", "odd", "empty", "int_keys"])
def test_gexf_is_streamed_with_the_bytes_of_networkx_writer(G, tmp_path, monkeypatch, which):
    # issue #21: networkx's writer held a copy of the graph and its whole element tree (7 GB at 50,000
    # articles); write_gexf writes line by line, the same bytes
    import networkx.readwrite.gexf as nx_gexf

    real = nx_gexf.GEXFWriter
    with monkeypatch.context() as m:  # networkx's writer is not used for these graphs
        m.setattr(nx_gexf, "GEXFWriter", None)
        H = {
            "seed": G,
            "odd": _odd_graph(),
            "empty": nx.MultiDiGraph(),
            "int_keys": nx.MultiDiGraph([("a", "b"), ("a", "b")]),
        }[which]
        write_gexf(H, tmp_path / "streamed.gexf", top=10)
    assert nx_gexf.GEXFWriter is real
    assert (tmp_path / "streamed.gexf").read_bytes() == _networkx_gexf(H, tmp_path / "networkx.gexf", top=10)


def test_node_link_json_reads_in_networkx_with_links_and_arrays(seed_build, G):
    data = json.loads((seed_build / "graph.json").read_text("utf-8"))
    assert "links" in data and "edges" not in data
    H = nx.node_link_graph(data, edges="links")  # networkx 3.3's default key
    assert (H.number_of_nodes(), H.number_of_edges()) == (G.number_of_nodes(), G.number_of_edges())
    assert all(isinstance(d["aliases"], list) for _, d in H.nodes(data=True))
    with_aliases = [n for n, d in G.nodes(data=True) if d["aliases"]]
    assert with_aliases and all(
        H.nodes[n]["aliases"] == G.nodes[n]["aliases"].split("|") for n in with_aliases
    )
    for u, v, k, d in H.edges(keys=True, data=True):
        if k == "co_mention":
            assert isinstance(d["evidence"], list) and d["evidence"][0]["sentence"]
            assert d["evidence"] == json.loads(G.edges[u, v, k]["evidence"])


def test_node_link_json_is_what_d3_force_reads(seed_build):
    data = json.loads((seed_build / "graph.json").read_text("utf-8"))
    ids = {n["id"] for n in data["nodes"]}
    assert all(link["source"] in ids and link["target"] in ids for link in data["links"])


# ---------------------------------------------------------------- the command line


def test_version_prints_the_installed_version():
    proc = run_main("--version")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"newskg {importlib.metadata.version('newskg')}\n"


def test_query_does_not_load_the_recogniser(hand_build):
    # jieba and the lexicons took 3 s of every `newskg query`; its time is benchmarks/bench_query.py's
    code = (
        "import sys; from newskg.graph.cli import main; "
        f"rc = main(['query', 'queries/top_organisations.rq', '--data', {str(hand_build)!r}]); "
        "heavy = ('jieba', 'newskg.extract.recognition.recognise', 'newskg.extract.ingestion.ingest', "
        "'pandas', 'newskg.graph.building.build', 'rdflib'); "
        "print(sorted(m for m in heavy if m in sys.modules), rc, file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.stderr.strip().splitlines()[-1] == "[] 0"
    assert "中华全国总工会" in proc.stdout


# ---------------------------------------------------------------- SPARQL clients and Linked Data

SDO = rdflib.Namespace("https://schema.org/")  # rdflib's SDO warns when pytest inspects this module
ACFTU_IRI = "https://newskg.org/id/org-中华全国总工会"
ACFTU_LABEL = (rdflib.URIRef(ACFTU_IRI), RDFS.label, rdflib.Literal("中华全国总工会", lang="zh"))
GRAPH_QUERIES = {
    "CONSTRUCT": f"CONSTRUCT {{ <{ACFTU_IRI}> rdfs:label ?l }} WHERE {{ <{ACFTU_IRI}> rdfs:label ?l }}",
    "DESCRIBE": f"DESCRIBE <{ACFTU_IRI}>",
}
RDF_SYNTAX = {"text/turtle": "turtle", "application/n-triples": "nt"}


@pytest.fixture(scope="module")
def hand_endpoint(hand_build):
    """``newskg serve`` on the build of tests/data/hand_news.jsonl; yields its base URL."""
    with serving("--data", str(hand_build)) as (_, port):
        yield f"http://127.0.0.1:{port}"


def _wrapper(endpoint: str, query: str, fmt: str, conneg: bool) -> SPARQLWrapper:
    sw = SPARQLWrapper(endpoint + "/sparql")
    sw.setQuery("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + query)
    sw.setReturnFormat(fmt)
    sw.setOnlyConneg(conneg)  # False: format=, output= and results= as well as Accept
    return sw


@pytest.mark.parametrize("conneg", [True, False], ids=["accept", "format-param"])
@pytest.mark.parametrize("fmt", [TURTLE, N3, XML, RDFXML, JSONLD, RDF_GRAPH, JSON])
@pytest.mark.parametrize("kind", sorted(GRAPH_QUERIES))
def test_construct_and_describe_through_sparqlwrapper_in_every_format(hand_endpoint, kind, fmt, conneg):
    # the endpoint answered 406 to every format= of a graph result, and N-Triples to any Accept
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # SPARQLWrapper's note on */* for RDF and JSON
        res = _wrapper(hand_endpoint, GRAPH_QUERIES[kind], fmt, conneg).query()
        ctype = res.info()["content-type"].split(";")[0]
        data = res.convert()
    g = data if isinstance(data, rdflib.Graph) else rdflib.Graph().parse(data=data, format=RDF_SYNTAX[ctype])
    assert ACFTU_LABEL in g
    expected = {TURTLE: "text/turtle", N3: "text/turtle", XML: "application/rdf+xml"}
    expected |= {RDFXML: "application/rdf+xml", JSONLD: "application/ld+json"}
    if fmt in expected:
        assert ctype == expected[fmt]


@pytest.mark.parametrize("conneg", [True, False], ids=["accept", "format-param"])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_select_and_ask_through_sparqlwrapper_in_every_format(hand_endpoint, fmt, conneg):
    select = _wrapper(hand_endpoint, f"SELECT ?l WHERE {{ <{ACFTU_IRI}> rdfs:label ?l }}", fmt, conneg)
    ask = _wrapper(hand_endpoint, f"ASK {{ <{ACFTU_IRI}> rdfs:label ?l }}", fmt, conneg)
    rows, yes = select.query().convert(), ask.query().convert()
    if fmt == JSON:
        assert rows["results"]["bindings"][0]["l"] == {
            "type": "literal",
            "value": "中华全国总工会",
            "xml:lang": "zh",
        }
        assert yes["boolean"] is True
    elif fmt == XML:
        assert rows.getElementsByTagName("literal")[0].firstChild.data == "中华全国总工会"
        assert yes.getElementsByTagName("boolean")[0].firstChild.data == "true"
    else:
        assert "中华全国总工会" in rows.decode("utf-8")
        assert yes.decode("utf-8").split()[-1] == "true"


def test_graph_result_in_a_select_format_is_406_naming_the_rdf_formats(hand_endpoint):
    url = (
        hand_endpoint
        + "/sparql?"
        + urllib.parse.urlencode({"query": GRAPH_QUERIES["DESCRIBE"], "format": "csv"})
    )
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(url, timeout=60)
    assert exc.value.code == 406
    assert (
        "text/turtle, application/n-triples, application/rdf+xml or application/ld+json"
        in exc.value.read().decode()
    )


def test_rdflib_dereferences_an_entity_iri(hand_endpoint):
    url = hand_endpoint + "/id/" + urllib.parse.quote("place-保康县")
    g = rdflib.Graph().parse(url)  # rdflib's own Accept header, and the parser the Content-Type names
    me = rdflib.URIRef("https://newskg.org/id/place-保康县")
    assert (me, RDFS.label, rdflib.Literal("保康县", lang="zh")) in g
    up = rdflib.URIRef("https://newskg.org/id/place-襄阳市")
    assert (me, SDO.containedInPlace, up) in g
    assert (up, RDFS.label, rdflib.Literal("襄阳市", lang="zh")) in g  # the neighbour is labelled
    down = rdflib.URIRef("https://newskg.org/id/place-黄堡镇")
    assert (down, SDO.containedInPlace, me) in g and (down, RDFS.label, None) in g


def test_entity_iri_sends_a_browser_to_its_page_and_unknown_ids_are_404(hand_endpoint):
    path = "/id/" + urllib.parse.quote("place-保康县")
    conn = http.client.HTTPConnection(hand_endpoint.removeprefix("http://"), timeout=60)
    conn.request("GET", path, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    resp = conn.getresponse()
    resp.read()
    assert resp.status == 303
    assert resp.headers["Location"] == "/entities/" + urllib.parse.quote("place-保康县.html")
    conn.request("GET", resp.headers["Location"])
    page = conn.getresponse()
    assert page.status == 200 and "保康县" in page.read().decode("utf-8")
    conn.request("GET", "/id/" + urllib.parse.quote("org-没有这个机构"), headers={"Accept": "text/turtle"})
    missing = conn.getresponse()
    missing.read()
    assert missing.status == 404
    conn.close()


def test_ontology_iri_answers_the_ontology(hand_endpoint, hand_build):
    g = rdflib.Graph().parse(hand_endpoint + "/ns")
    assert (rdflib.URIRef("https://newskg.org/ns#CoMention"), RDF.type, OWL.Class) in g
    for name in ("ontology.ttl", "shapes.ttl"):  # a build is self-describing
        assert (hand_build / name).read_bytes() == (ROOT / "graph" / "export" / name).read_bytes()


def test_entities_carry_rdfs_label_in_chinese(hand_build):
    g = rdflib.Graph().parse(hand_build / "graph.nt", format="nt")
    people_places_orgs = set(g.subjects(SKOS.prefLabel, None))
    assert people_places_orgs and all(
        {lit.language for lit in g.objects(s, RDFS.label)} == {"zh"} for s in people_places_orgs
    )


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_unknown_prefix_is_one_line_exit_2_on_both_engines(hand_build, engine):
    proc = run_main(
        "query", "--data", str(hand_build), "--engine", engine, "-e", "SELECT ?x WHERE { ?x foo:bar ?y }"
    )
    assert proc.returncode == 2
    assert proc.stderr == (
        "newskg: error: malformed query (-e): unknown prefix foo: (declare it: PREFIX foo: <...>;"
        " known without declaring: nkg, schema, skos, prov, rdf, rdfs, xsd, id, article)\n"
    )


def test_plain_literal_that_only_matches_with_zh_gets_a_hint(hand_build, capsys):
    plain = 'SELECT ?o WHERE { ?o schema:name "中华全国总工会" }'
    assert main(["query", "--data", str(hand_build), "-e", plain]) == 0
    out, err = capsys.readouterr()
    assert "(0 rows)" in out
    assert err.startswith('newskg: no results, but the query matches with its strings tagged @zh ("…"@zh)')
    assert (
        main(
            [
                "query",
                "--data",
                str(hand_build),
                "-e",
                plain.replace('"中华全国总工会"', '"中华全国总工会"@zh'),
            ]
        )
        == 0
    )
    out, err = capsys.readouterr()
    assert "(1 row)" in out and err == ""
    assert (
        main(["query", "--data", str(hand_build), "-e", plain.replace("中华全国总工会", "没有这个机构")]) == 0
    )
    assert capsys.readouterr().err == ""  # no hint when the tagged query finds nothing either


# ---------------------------------------------------------------- inputs


def _articles(out):
    return [json.loads(line) for line in (out / "articles.jsonl").read_text("utf-8").splitlines()]


def test_csv_with_a_text_column_is_read_as_articles(tmp_path):
    f = tmp_path / "arts.csv"
    f.write_text(
        "id,title,date,text,url\n"
        'n1,工会开会,2024-05-06,"甲市总工会召开会议，部署安全生产工作。",http://e/1\n'
        'n2,,,"乙县总工会开展技能竞赛，""安康杯""竞赛覆盖企业。\n第二段。",\n',
        "utf-8",
    )
    proc = run_main("build", str(f), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    arts = _articles(tmp_path / "out")
    assert [(a["id"], a["title"], a["date"], a["url"]) for a in arts] == [
        ("n1", "工会开会", "2024-05-06", "http://e/1"),
        ("n2", "", "", ""),
    ]
    assert arts[0]["text"] == "甲市总工会召开会议，部署安全生产工作。"
    assert arts[1]["text"] == '乙县总工会开展技能竞赛，"安康杯"竞赛覆盖企业。\n第二段。'
    assert "id,title" not in "".join(a["text"] for a in arts)  # the header was prose before


def test_json_array_of_articles_is_read_and_bad_items_warned(tmp_path):
    f = tmp_path / "arts.json"
    f.write_text(
        json.dumps(
            [{"id": "j1", "title": "标题", "text": "甲市总工会召开会议。"}, {"text": ""}, 7],
            ensure_ascii=False,
        ),
        "utf-8",
    )
    proc = run_main("build", str(f), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert [(a["id"], a["text"]) for a in _articles(tmp_path / "out")] == [("j1", "甲市总工会召开会议。")]
    assert warning_lines(proc.stderr) == [
        f'warning: {f}[1]: needs a JSON object with a non-empty "text", skipped',
        f'warning: {f}[2]: needs a JSON object with a non-empty "text", skipped',
    ]


def test_structured_files_that_are_not_articles_are_refused_in_one_line(tmp_path):
    (tmp_path / "table.csv").write_text("a,b\n1,2\n", "utf-8")
    (tmp_path / "doc.json").write_text('"just a string"', "utf-8")
    (tmp_path / "page.xml").write_text("<a>甲市总工会</a>", "utf-8")
    good = tmp_path / "good.jsonl"
    good.write_text('{"text": "甲市总工会召开会议。"}\n', "utf-8")
    names = ["table.csv", "doc.json", "page.xml", "good.jsonl"]
    proc = run_main("build", *(str(tmp_path / n) for n in names), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert warning_lines(proc.stderr) == [
        f"warning: {tmp_path / 'table.csv'}: a CSV file needs a header row with a text column"
        " (and optionally id, title, date, source, url), skipped",
        f"warning: {tmp_path / 'doc.json'}: JSON that is not an array of article objects, skipped",
        f"warning: {tmp_path / 'page.xml'}: a .xml file is not read (newskg reads .txt/.md pages,"
        " .jsonl/.json article records or .csv with a text column), skipped",
    ]
    assert len(_articles(tmp_path / "out")) == 1


def test_a_build_that_reads_nothing_exits_1_and_keeps_the_previous_out(tmp_path):
    out = tmp_path / "out"
    good = tmp_path / "good.jsonl"
    good.write_text('{"text": "甲市总工会召开会议。"}\n', "utf-8")
    assert run_main("build", str(good), "--out", str(out), "-q").returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    binary = tmp_path / "b.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    proc = run_main("build", str(binary), "--out", str(out), "-q")
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        f"warning: {binary}: binary or not text in a known encoding, skipped",
        f"newskg: error: nothing was read: no article in any input file; {out} was left as it was"
        f" (warnings: 1; the first: {binary}: binary or not text in a known encoding, skipped)",
    ]
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


@pytest.mark.parametrize("flag", ["-q", "-v"])
def test_a_rebuild_replays_the_warnings_it_counts(tmp_path, flag):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.jsonl").write_text('{"text": "甲市总工会召开会议。"}\nnot json\n', "utf-8")
    (corpus / "b.txt").write_bytes(bytes(range(256)) * 4)
    expected = [
        f"warning: {corpus / 'a.jsonl'}:2: not valid JSON (Expecting value), line skipped",
        f"warning: {corpus / 'b.txt'}: binary or not text in a known encoding, skipped",
    ]
    for _ in range(2):  # the second build takes everything from the saved state and the cache
        proc = run_main("build", str(corpus), "--out", str(tmp_path / "out"), flag)
        assert proc.returncode == 0, proc.stderr
        assert warning_lines(proc.stderr) == expected


def test_out_respects_the_umask(tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text('{"text": "甲市总工会召开会议。"}\n', "utf-8")
    for umask, mode in ((0o022, 0o755), (0o027, 0o750)):
        out = tmp_path / f"out{umask:o}"
        proc = run_cli("build", str(good), "--out", str(out), "-q", preexec_fn=lambda m=umask: os.umask(m))
        assert proc.returncode == 0, proc.stderr
        assert stat.S_IMODE(out.stat().st_mode) == mode  # was 700 whatever the umask


# ---------------------------------------------------------------- progress


def test_each_stage_prints_a_line_when_stderr_is_not_a_terminal(tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text('{"text": "甲市总工会召开会议。"}\n', "utf-8")
    proc = run_main("build", str(good), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    stages = [re.sub(r" \[\d+\.\d s\]$", "", line) for line in proc.stderr.splitlines()]
    assert [re.sub(r"\d+ entities", "N entities", s) for s in stages] == [
        "newskg: read and extract: 1 files",
        "newskg: graph of N entities",
        "newskg: analytics (PageRank, betweenness, communities) of N entities",
        f"newskg: write: {len(WRITERS)} writers",
        *(f"newskg: write: {w.__name__}" for w in WRITERS),
    ]
    quiet = run_main("build", str(good), "--out", str(tmp_path / "out"), "-q")
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == ""


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_stage_on_a_terminal_is_a_bar_with_total_and_eta():
    screen = _Terminal()
    bar = Progress(stream=screen).bar("read and extract", 3, "files")
    for _ in range(3):
        bar.update()
    bar.close()
    last = screen.getvalue().split("\r")[-1]
    assert re.search(r"read and extract: 100%\|.*\| 3/3 \[\d\d:\d\d<\d\d:\d\d", last), last
