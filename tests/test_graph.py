"""The knowledge graph: co-mention edges, evidence, structure, analytics, exports (issue #6)."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from conftest import SEEDS, run_cli

import graph
from extract.records import entity_id

ACFTU = entity_id("ORG", "中华全国总工会")
ANKANG = entity_id("CAMPAIGN", "“安康杯”竞赛")


@pytest.fixture(scope="module")
def G(seed_build):
    return graph.load(seed_build)


def _labels(G, n):
    d = G.nodes[n]
    return [d["label"], *filter(None, d["aliases"].split("|"))]


def test_graphml_rereads_into_an_equal_graph(seed_build, G):
    raw = nx.read_graphml(seed_build / "graph.graphml", force_multigraph=True)
    assert dict(raw.nodes(data=True)) == dict(G.nodes(data=True))
    assert sorted(raw.edges(keys=True, data=True)) == sorted(G.edges(keys=True, data=True))
    rebuilt = graph.build([SEEDS])
    assert dict(rebuilt.nodes(data=True)) == dict(G.nodes(data=True))
    assert sorted(rebuilt.edges(keys=True, data=True)) == sorted(G.edges(keys=True, data=True))


def test_gexf_is_xml_of_its_declared_schema_version(seed_build, G):
    root = ET.parse(seed_build / "graph.gexf").getroot()
    assert root.tag == "{http://www.gexf.net/1.2draft}gexf"
    assert root.attrib["version"] == "1.2"
    ns = {"g": "http://www.gexf.net/1.2draft"}
    assert len(root.findall("g:graph/g:nodes/g:node", ns)) == G.number_of_nodes()
    assert len(root.findall("g:graph/g:edges/g:edge", ns)) == G.number_of_edges()


def test_node_link_json_loads(seed_build, G):
    data = json.loads((seed_build / "graph.json").read_text("utf-8"))
    H = nx.node_link_graph(data, edges="edges")
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()


def test_rebuild_gives_byte_identical_tables(tmp_path):
    for name in ("a", "b"):
        proc = run_cli("build", str(SEEDS), "--out", str(tmp_path / name), "-q")
        assert proc.returncode == 0, proc.stderr
    for table in ("entities.csv", "edges.csv"):
        assert (tmp_path / "a" / table).read_bytes() == (tmp_path / "b" / table).read_bytes()


def test_table_columns_are_stable(seed_build):
    with open(seed_build / "entities.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0])[:6] == ["id", "type", "label", "aliases", "mentions", "articles"]
    assert {r["type"] for r in rows} <= {"PERSON", "PLACE", "ORG", "CAMPAIGN", "EVENT"}
    with open(seed_build / "edges.csv", encoding="utf-8") as f:
        edges = list(csv.DictReader(f))
    assert list(edges[0])[:5] == ["source", "target", "kind", "weight", "articles"]
    assert {e["kind"] for e in edges} <= {"co_mention", "contained_in", "located_in", "affiliated_with"}


def test_every_evidence_sentence_names_both_ends(G):
    checked = 0
    for u, v, d in G.edges(data=True):
        if d["kind"] != "co_mention":
            continue
        ev = json.loads(d["evidence"])
        assert 1 <= len(ev) <= 3
        assert len(ev) <= d["weight"]
        for e in ev:
            assert any(x in e["sentence"] for x in _labels(G, u)), (u, e["sentence"])
            assert any(x in e["sentence"] for x in _labels(G, v)), (v, e["sentence"])
            checked += 1
    assert checked > 100


def test_npmi_is_bounded_and_articles_not_above_weight(G):
    for _, _, d in G.edges(data=True):
        if d["kind"] == "co_mention":
            assert -1.0 <= d["npmi"] <= 1.0
            assert 1 <= d["articles"] <= d["weight"]


def test_acftu_comentioned_with_ankang_cup(G):
    assert G.has_edge(ACFTU, ANKANG, "co_mention") or G.has_edge(ANKANG, ACFTU, "co_mention")


def test_chen_gang_comentioned_with_acftu_with_evidence(G):
    chen = entity_id("PERSON", "陈刚")
    ev = graph.evidence(G, chen, ACFTU)
    assert ev, "no co-mention edge 陈刚 -- 中华全国总工会"
    for e in ev:
        assert "陈刚" in e["sentence"]
        assert any(x in e["sentence"] for x in _labels(G, ACFTU))


def test_contained_in_chain_from_township_to_province(G):
    node = entity_id("PLACE", "黄堡镇")
    chain = [G.nodes[node]["label"]]
    while True:
        ups = [v for _, v, k in G.out_edges(node, keys=True) if k == "contained_in"]
        if not ups:
            break
        node = ups[0]
        chain.append(G.nodes[node]["label"])
    assert chain[:4] == ["黄堡镇", "保康县", "襄阳市", "湖北省"]
    assert G.nodes[entity_id("PLACE", "保康县")]["code"] == "420626"


def test_analytics_on_every_node(G):
    for _, d in G.nodes(data=True):
        assert d["degree"] >= 0 and d["pagerank"] >= 0 and 0 <= d["betweenness"] <= 1
        assert isinstance(d["community"], int)
    top = max(G.nodes, key=lambda n: G.nodes[n]["pagerank"])
    assert G.nodes[top]["degree"] > 0


def test_duplicate_articles_count_once(seed_build):
    arts = [json.loads(x) for x in (seed_build / "articles.jsonl").read_text("utf-8").splitlines()]
    dups = [a for a in arts if a["duplicate_of"]]
    ids = {a["id"] for a in arts}
    assert dups, "000 and 001 are two captures of one page"
    assert all(a["duplicate_of"] in ids for a in dups)
    dup_ids = {a["id"] for a in dups}
    with open(seed_build / "mentions.jsonl", encoding="utf-8") as f:
        assert not any(json.loads(line)["article_id"] in dup_ids for line in f)


def test_the_untitled_story_after_a_near_duplicate_reaches_the_graph(G):
    # Issue #18: 001's second story (no headline) was glued onto a near-duplicate and lost.
    company = entity_id("ORG", "丹东欣时代生物医药科技有限公司")
    assert G.nodes[company]["type"] == "ORG"
    assert G.has_edge(company, ANKANG) or G.has_edge(ANKANG, company)


def test_window_article_links_more_than_sentence():
    sent = graph.build([SEEDS / "002_9e2da3ff70fcf467.txt"], window="sentence")
    art = graph.build([SEEDS / "002_9e2da3ff70fcf467.txt"], window="article")

    def n(G):
        return sum(1 for *_, k in G.edges(keys=True) if k == "co_mention")

    assert n(art) > n(sent)


def test_min_weight_and_types_filter(tmp_path):
    out = tmp_path / "o"
    proc = run_cli("build", str(SEEDS), "--out", str(out), "-q", "--min-weight", "2", "--types", "ORG,PLACE")
    assert proc.returncode == 0, proc.stderr
    G = graph.load(out)
    assert {d["type"] for _, d in G.nodes(data=True)} <= {"ORG", "PLACE"}
    assert all(d["weight"] >= 2 for *_, d in G.edges(data=True) if d["kind"] == "co_mention")
