"""The knowledge graph: co-mention edges, evidence, structure, analytics, exports (issue #6)."""

from __future__ import annotations

import csv
import json
import shutil
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from conftest import SEEDS, run_main
from newskg import graph
from newskg.extract.records import entity_id

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
    assert sorted((u, v, d["kind"], d) for u, v, d in raw.edges(data=True)) == sorted(
        G.edges(keys=True, data=True)
    )
    assert all(k == d["kind"] for *_, k, d in G.edges(keys=True, data=True))  # load() keys edges by kind
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
    H = nx.node_link_graph(data, edges="links")
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()


def test_rebuild_gives_byte_identical_tables(tmp_path):
    for name in ("a", "b"):
        proc = run_main("build", str(SEEDS), "--out", str(tmp_path / name), "-q")
        assert proc.returncode == 0, proc.stderr
    for table in ("entities.csv", "edges.csv", "graph.graphml", "graph.gexf", "graph.json"):
        assert (tmp_path / "a" / table).read_bytes() == (tmp_path / "b" / table).read_bytes()


def test_table_columns_are_stable(seed_build):
    with open(seed_build / "entities.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0])[:6] == ["id", "type", "label", "aliases", "mentions", "articles"]
    assert {r["type"] for r in rows} <= {"PERSON", "PLACE", "ORG", "CAMPAIGN", "EVENT"}
    with open(seed_build / "edges.csv", encoding="utf-8") as f:
        edges = list(csv.DictReader(f))
    assert list(edges[0])[:5] == ["source", "target", "kind", "weight", "articles"]
    assert {e["kind"] for e in edges} <= {
        "co_mention",
        "contained_in",
        "located_in",
        "affiliated_with",
        "reported",
    }


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


def test_chen_gang_comentioned_with_the_acftu_party_group_with_evidence(G):
    # the sentence names 全总党组 (the ACFTU's party group), one node 中华全国总工会党组 (issue #24)
    chen = entity_id("PERSON", "陈刚")
    group = entity_id("ORG", "中华全国总工会党组")
    ev = graph.evidence(G, chen, group)
    assert ev, "no co-mention edge 陈刚 -- 中华全国总工会党组"
    for e in ev:
        assert "陈刚" in e["sentence"]
        assert any(x in e["sentence"] for x in _labels(G, group))


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


def test_byline_people_are_person_nodes_with_reported_edges(G, seed_build):
    # Issue #18: 记者郑莉 郝赫 朱欣 wrote the lead story of 002; each reported on its entities.
    arts = [json.loads(x) for x in (seed_build / "articles.jsonl").read_text("utf-8").splitlines()]
    (lead,) = [a for a in arts if [b["name"] for b in a["byline"]] == ["郑莉", "郝赫", "朱欣"]]
    with open(seed_build / "mentions.jsonl", encoding="utf-8") as f:
        covered = {
            m["entity_id"]
            for m in map(json.loads, f)
            if m["article_id"] == lead["id"] and m.get("field") != "byline"
        }
    zheng = entity_id("PERSON", "郑莉")
    assert G.nodes[zheng]["type"] == "PERSON"
    reported = {v for _, v, k in G.out_edges(zheng, keys=True) if k == "reported"}
    assert reported == covered - {zheng}
    for v in reported:
        d = G.edges[zheng, v, "reported"]
        assert (d["kind"], d["weight"], d["articles"], d["role"]) == ("reported", 1, 1, "记者")
    assert not any(k == "co_mention" for _, _, k in G.edges(zheng, keys=True))


def test_reported_edges_count_articles(G, seed_build):
    # 毛浓曦 is in the bylines of two seed articles: each edge's weight is how many of them name the entity.
    arts = [json.loads(x) for x in (seed_build / "articles.jsonl").read_text("utf-8").splitlines()]
    hers = {a["id"] for a in arts if any(b["name"] == "毛浓曦" for b in a["byline"])}
    per_entity: dict[str, set] = {}
    with open(seed_build / "mentions.jsonl", encoding="utf-8") as f:
        for m in map(json.loads, f):
            if m["article_id"] in hers and m.get("field") != "byline":
                per_entity.setdefault(m["entity_id"], set()).add(m["article_id"])
    mao = entity_id("PERSON", "毛浓曦")
    weights = {v: d["weight"] for _, v, k, d in G.out_edges(mao, keys=True, data=True) if k == "reported"}
    assert len(hers) == 2 and weights == {e: len(a) for e, a in per_entity.items()}


def test_a_reporter_named_in_the_text_is_one_node_with_the_byline(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(
        "杭州市总工会召开职工技能大赛表彰会\n\n本报讯(记者 王晓东 通讯员 李春梅)杭州市总工会昨天召开表彰会。"
        "王晓东在会场看到，获奖职工来自三十家企业。\n",
        "utf-8",
    )
    G = graph.build([page])
    wang = entity_id("PERSON", "王晓东")
    assert [n for n in G if G.nodes[n]["label"] == "王晓东"] == [wang]
    assert G.nodes[wang]["articles"] == 1
    assert G.has_edge(wang, "org-杭州市总工会", "reported")
    assert G.edges[entity_id("PERSON", "李春梅"), "org-杭州市总工会", "reported"]["role"] == "通讯员"


def test_window_article_links_more_than_sentence():
    sent = graph.build([SEEDS / "002_9e2da3ff70fcf467.txt"], window="sentence")
    art = graph.build([SEEDS / "002_9e2da3ff70fcf467.txt"], window="article")

    def n(G):
        return sum(1 for *_, k in G.edges(keys=True) if k == "co_mention")

    assert n(art) > n(sent)


def test_min_weight_and_types_filter(tmp_path):
    out = tmp_path / "o"
    proc = run_main("build", str(SEEDS), "--out", str(out), "-q", "--min-weight", "2", "--types", "ORG,PLACE")
    assert proc.returncode == 0, proc.stderr
    G = graph.load(out)
    assert {d["type"] for _, d in G.nodes(data=True)} <= {"ORG", "PLACE"}
    assert all(d["weight"] >= 2 for *_, d in G.edges(data=True) if d["kind"] == "co_mention")


def shout_slogans(doc):
    """A custom component written for the test: every “quoted” run is a CAMPAIGN."""
    import re

    from newskg.extract.records import Mention

    return [
        Mention(doc.article.id, m.start(), m.end(), "CAMPAIGN", m.group(), source="test.slogans")
        for m in re.finditer(r"“[^”]{2,12}”", doc.text)
    ]


def test_build_runs_a_custom_pipeline(tmp_path):
    # build(pipeline=...): the recognisers are components Doc -> list[Mention]; a user's own runs
    # beside (or instead of) the shipped ones, in worker processes too, and the cache is not used.
    from newskg.extract.recognition.recognise import PIPELINE

    page = tmp_path / "a.jsonl"  # more articles than a process pool starts for (POOL_MIN_ARTICLES)
    rows = [{"id": f"a{i}", "text": f"第{i}批志愿者被称为“小蜜蜂”，北京市总工会表示感谢。"} for i in range(8)]
    page.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")

    def campaigns(G):
        return [d["label"] for _, d in G.nodes(data=True) if d["type"] == "CAMPAIGN"]

    assert campaigns(graph.build([page])) == []
    for jobs in (1, 2):
        G = graph.build([page], tmp_path / f"out{jobs}", pipeline=(shout_slogans, *PIPELINE), jobs=jobs)
        assert campaigns(G) == ["“小蜜蜂”"]
        assert "org-北京市总工会" in G.nodes
        assert not (tmp_path / f"out{jobs}" / "cache.sqlite").exists()
    only = graph.build([page], pipeline=(shout_slogans,))
    assert {d["type"] for _, d in only.nodes(data=True)} == {"CAMPAIGN"}


# ---------------------------------------------------------------- subgraphs (issue #21)


def filtered(G, types=None, min_weight=None, around=None, hops=1):
    """The specification of graph.load's filters, on the whole graph: the nodes of ``types``
    within ``hops`` of ``around`` over the edges of at least ``min_weight``, and those edges."""
    H = G.subgraph([n for n, d in G.nodes(data=True) if types is None or d["type"] in types]).copy()
    if min_weight is not None:
        H.remove_edges_from(
            [(u, v, k) for u, v, k, d in H.edges(keys=True, data=True) if d["weight"] < min_weight]
        )
    if around is not None:
        U = H.to_undirected(as_view=True)
        near = set()
        for centre in around:
            if centre in H:
                near |= set(nx.single_source_shortest_path_length(U, centre, cutoff=hops))
        H = H.subgraph(near).copy()
    return H


def _assert_same_graph(H, expected):
    assert dict(H.nodes(data=True)) == dict(expected.nodes(data=True))
    assert sorted(H.edges(keys=True, data=True)) == sorted(expected.edges(keys=True, data=True))
    assert H.graph == expected.graph


def test_subgraph_of_every_type_streams_the_whole_graph(seed_build, G, monkeypatch):
    # The tables carry every attribute GraphML does, typed alike; the GraphML is not parsed.
    monkeypatch.setattr(nx, "read_graphml", lambda *a, **k: pytest.fail("read the whole GraphML"))
    H = graph.load(seed_build, types={"PERSON", "ORG", "PLACE", "CAMPAIGN", "EVENT"})
    _assert_same_graph(H, G)
    assert any("longitude" in d for _, d in H.nodes(data=True))


@pytest.mark.parametrize(("types", "min_weight"), [({"ORG", "PERSON"}, None), (None, 2), ({"ORG"}, 3)])
def test_subgraph_by_type_and_weight_is_the_filtered_whole_graph(seed_build, G, types, min_weight):
    H = graph.load(seed_build, types=types, min_weight=min_weight)
    expected = filtered(G, types, min_weight)
    assert 0 < len(H) <= len(G) and H.number_of_edges() < G.number_of_edges()
    _assert_same_graph(H, expected)


@pytest.mark.parametrize(("hops", "min_weight"), [(0, None), (1, None), (2, None), (1, 2)])
def test_subgraph_around_an_entity_is_its_neighbourhood(seed_build, G, hops, min_weight):
    hub = max((n for n, d in G.nodes(data=True) if d["type"] == "ORG"), key=lambda n: (G.degree(n), n))
    types = {"ORG", "PERSON", "PLACE"}
    H = graph.load(seed_build, around=[hub], hops=hops, min_weight=min_weight, types=types)
    _assert_same_graph(H, filtered(G, types, min_weight, [hub], hops))
    assert hub in H and (len(H) > 1) >= (hops > 0 and min_weight is None)
    # The entity's name finds it as its id does.
    by_name = graph.load(
        seed_build, around=[G.nodes[hub]["label"]], hops=hops, min_weight=min_weight, types=types
    )
    _assert_same_graph(by_name, H)


def test_subgraph_around_an_entity_reads_its_neighbourhood_only(seed_build, G, tmp_path, monkeypatch):
    """With graph.sqlite, ``around`` finds its entities and follows each node's edges by index (no table
    is read); a build without it (made before issue #21's graph on disk) gives the same from the tables."""
    from newskg.graph.query import subgraph

    hub = max(G, key=lambda n: (G.degree(n), n))
    read = subgraph._rows

    def no_table(path, columns):
        raise AssertionError(f"read the whole of {path.name}")

    monkeypatch.setattr(subgraph, "_rows", no_table)
    H = graph.load(seed_build, around=[hub], hops=2, min_weight=2)
    _assert_same_graph(H, filtered(G, None, 2, [hub], 2))
    assert len(H) > 2
    by_alias = next(n for n, d in G.nodes(data=True) if d["aliases"] and d["type"] == "ORG")
    alias = G.nodes[by_alias]["aliases"].split("|")[0]
    near = graph.load(seed_build, around=alias, types={"ORG", "PERSON"})  # one name, not its characters
    _assert_same_graph(near, filtered(G, {"ORG", "PERSON"}, None, [by_alias], 1))
    monkeypatch.setattr(subgraph, "_rows", read)
    old = tmp_path / "out"
    shutil.copytree(seed_build, old)
    (old / "graph.sqlite").unlink()
    _assert_same_graph(graph.load(old, around=[hub], hops=2, min_weight=2), H)


def test_subgraph_of_an_unknown_entity_or_type_is_one_clear_error(seed_build):
    from newskg.extract import UserError

    with pytest.raises(UserError, match=r"^no entity with the id, name or alias '无此实体' in this build$"):
        graph.load(seed_build, around=["无此实体"])
    with pytest.raises(
        UserError,
        match=r"^unknown entity type ORGANIZATION: the types are PERSON, ORG, PLACE, CAMPAIGN, EVENT$",
    ):
        graph.load(seed_build, types={"ORGANIZATION"})
