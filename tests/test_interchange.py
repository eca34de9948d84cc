"""The exports as other tools read them: networkx, igraph, Gephi (GEXF), D3 (node-link JSON); issue #19."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import igraph
import networkx as nx
import pytest
from conftest import ROOT, run_cli

import graph
from graph.render import TYPE_STYLE

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
    assert kinds == {"co_mention", "contained_in", "located_in", "affiliated_with"}


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
    assert seen == {"co_mention", "contained_in", "located_in", "affiliated_with"}


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


def test_gexf_carries_no_date(seed_build):
    # lastmodifieddate = today made builds of the same input differ across midnight
    meta = _gexf(seed_build).find(f"{GEXF}meta")
    assert "lastmodifieddate" not in meta.attrib
    assert b"2026-" not in (seed_build / "graph.gexf").read_bytes()[:2000]


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
    proc = run_cli("--version")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"newskg {importlib.metadata.version('newskg')}\n"


def test_query_does_not_load_the_recogniser(hand_build):
    # jieba and the lexicons took 3 s of every `newskg query`; its time is benchmarks/bench_query.py's
    code = (
        "import sys; from graph.cli import main; "
        f"rc = main(['query', 'queries/top_organisations.rq', '--data', {str(hand_build)!r}]); "
        "print(sorted(m for m in ('jieba', 'extract.recognise', 'extract.ingest', 'pandas', 'graph.build')"
        " if m in sys.modules), rc, file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.stderr.strip().splitlines()[-1] == "[] 0"
    assert "中华全国总工会" in proc.stdout
