"""The RDF export: vocabulary, IRIs, two independent parsers, SHACL shapes (issue #7)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from conftest import ROOT
from newskg.extract.records import entity_id
from newskg.graph.building.build import build
from newskg.graph.export.rdf import to_rdf, write_rdf
from newskg.graph.export.vocab import NKG, article_iri, comention_iri, entity_iri, iri_quote
from rdflib import RDF, RDFS, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, SDO, SKOS, XSD

SHAPES = ROOT / "graph" / "export" / "shapes.ttl"
ONTOLOGY = ROOT / "graph" / "export" / "ontology.ttl"
HAND_NEWS = ROOT / "tests" / "data" / "hand_news.jsonl"
ACFTU_ID, ANKANG_ID = "org-中华全国总工会", entity_id("CAMPAIGN", "“安康杯”竞赛")
ACFTU, ANKANG = entity_iri(ACFTU_ID), entity_iri(ANKANG_ID)


@pytest.fixture(scope="module")
def hand_graph(hand_build) -> rdflib.Graph:
    return rdflib.Graph().parse(hand_build / "graph.ttl", format="turtle")


@pytest.fixture(scope="module")
def seed_graph(seed_build) -> rdflib.Graph:
    return rdflib.Graph().parse(seed_build / "graph.ttl", format="turtle")


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _validate(g: rdflib.Graph) -> tuple[bool, str]:
    shapes = rdflib.Graph().parse(SHAPES)
    conforms, _, text = pyshacl.validate(g, shacl_graph=shapes, inference="none")
    return conforms, text


# ---------------------------------------------------------------- files and parsers


def test_build_writes_turtle_ntriples_and_jsonld(hand_build):
    for name in ("graph.ttl", "graph.nt", "graph.jsonld"):
        assert (hand_build / name).stat().st_size > 0, name


@pytest.mark.parametrize("which", ["hand", "seed"])
def test_turtle_parses_with_rdflib_and_pyoxigraph_alike(which, request):
    out = request.getfixturevalue("hand_build" if which == "hand" else "seed_build")
    data = (out / "graph.ttl").read_bytes()
    g = rdflib.Graph().parse(data=data, format="turtle")
    quads = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    assert len(quads) == len(g) > 0
    # The same triples: pyoxigraph's terms, read back as rdflib terms, compare equal (by value).
    assert {tuple(_from_ox(t) for t in (q.subject, q.predicate, q.object)) for q in quads} == set(g)


def _from_ox(term):
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)
    return Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def test_ntriples_and_jsonld_hold_the_same_graph_as_turtle(hand_build, hand_graph):
    nt = rdflib.Graph().parse(hand_build / "graph.nt", format="nt")
    jl = rdflib.Graph().parse(hand_build / "graph.jsonld", format="json-ld")
    assert isomorphic(nt, hand_graph)
    assert isomorphic(jl, hand_graph)


def test_ntriples_are_sorted_and_rebuilds_are_identical(hand_build, tmp_path):
    lines = (hand_build / "graph.nt").read_text("utf-8").splitlines()
    assert lines == sorted(lines)
    build([HAND_NEWS], tmp_path / "again")  # in-process (another hash seed), without the CLI's start-up
    for name in ("graph.nt", "graph.ttl", "graph.jsonld"):
        assert (tmp_path / "again" / name).read_bytes() == (hand_build / name).read_bytes(), name


# ---------------------------------------------------------------- what the export says


def test_every_entity_has_class_labels_in_chinese_and_identifier(hand_build, hand_graph):
    entities = _rows(hand_build / "entities.csv")
    assert entities
    classes = {"PERSON": SDO.Person, "ORG": SDO.Organization, "PLACE": SDO.Place, "CAMPAIGN": NKG.Campaign}
    for row in entities:
        s = entity_iri(row["id"])
        assert (s, RDF.type, classes.get(row["type"], SDO.Event)) in hand_graph
        assert hand_graph.value(s, SDO.name) == Literal(row["label"], lang="zh")
        assert hand_graph.value(s, SKOS.prefLabel) == Literal(row["label"], lang="zh")
        assert hand_graph.value(s, SDO.identifier) == Literal(row["id"])
        aliases = {str(a) for a in hand_graph.objects(s, SKOS.altLabel)}
        assert aliases == set(filter(None, row["aliases"].split("|")))
        assert all(a.language == "zh" for a in hand_graph.objects(s, SKOS.altLabel))


def test_comention_nodes_match_edges_csv(hand_build, hand_graph):
    edges = [e for e in _rows(hand_build / "edges.csv") if e["kind"] == "co_mention"]
    assert len(set(hand_graph.subjects(RDF.type, NKG.CoMention))) == len(edges) > 0
    for e in edges:
        c = comention_iri(e["source"], e["target"])
        assert set(hand_graph.objects(c, NKG.entity)) == {entity_iri(e["source"]), entity_iri(e["target"])}
        assert hand_graph.value(c, NKG.weight).toPython() == int(e["weight"])
        assert hand_graph.value(c, NKG.articles).toPython() == int(e["articles"])
        assert float(hand_graph.value(c, NKG.npmi)) == float(e["npmi"])
        evidence = json.loads(e["evidence"])
        nodes = list(hand_graph.objects(c, NKG.evidence))
        assert len(nodes) == len(evidence) > 0
        sentences = {str(hand_graph.value(n, NKG.sentence)) for n in nodes}
        assert sentences == {ev["sentence"] for ev in evidence}
        for n in nodes:
            assert hand_graph.value(n, PROV.wasDerivedFrom) in {article_iri("t-001"), article_iri("t-002")}


def test_acftu_and_ankang_cup_comention_with_evidence(hand_graph):
    c = comention_iri(ACFTU_ID, ANKANG_ID)
    assert hand_graph.value(c, NKG.weight).toPython() == 2
    sentences = [str(hand_graph.value(n, NKG.sentence)) for n in hand_graph.objects(c, NKG.evidence)]
    assert any("中华全国总工会" in s and "安康杯" in s for s in sentences)


def test_articles_have_headline_date_and_mentions(hand_graph):
    a = article_iri("t-002")
    assert (a, RDF.type, SDO.NewsArticle) in hand_graph
    assert hand_graph.value(a, SDO.headline) == Literal("湖北乡镇开展竞赛", lang="zh")
    assert hand_graph.value(a, SDO.datePublished) == Literal("2024-05-08", datatype=XSD.date)
    assert (a, SDO.mentions, ANKANG) in hand_graph
    assert (a, SDO.mentions, ACFTU) not in hand_graph


def test_place_hierarchy_codes_and_levels(hand_graph):
    baokang = entity_iri("place-保康县")
    assert (baokang, SDO.containedInPlace, entity_iri("place-襄阳市")) in hand_graph
    assert (entity_iri("place-襄阳市"), SDO.containedInPlace, entity_iri("place-湖北省")) in hand_graph
    assert hand_graph.value(baokang, NKG.adminCode) == Literal("420626")
    assert (baokang, RDF.type, NKG.County) in hand_graph
    assert (entity_iri("place-湖北省"), RDF.type, NKG.Province) in hand_graph


def test_organisation_located_in_its_province(hand_graph):
    assert (entity_iri("org-河南省总工会"), SDO.location, entity_iri("place-河南省")) in hand_graph


# ---------------------------------------------------------------- IRIs


@pytest.mark.parametrize(
    "eid",
    [
        'person-a b"c"<d>#e',
        "org-100%的 工会",
        "place-é\u0301/../x?y",
        "campaign-\u200b\tz",
        "event-\U0001f600",
    ],
)
def test_any_id_gives_a_valid_iri_both_parsers_read_back(eid):
    G = nx.MultiDiGraph()
    G.add_node(eid, type="PERSON", label=eid, aliases="a|b")
    g = to_rdf(G)
    iri = entity_iri(eid)
    ox.NamedNode(str(iri))  # raises ValueError on an invalid IRI
    assert not set(str(iri)[len("https://") :]) & set(' "<>#?\\{}|^`\t')
    data = g.serialize(format="turtle").encode("utf-8")
    assert (iri, SDO.identifier, Literal(eid)) in rdflib.Graph().parse(data=data, format="turtle")
    quads = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    assert {str(q.subject.value) for q in quads} == {str(iri)}


def test_iris_are_readable_and_stable():
    assert str(entity_iri("org-中华全国总工会")) == "https://newskg.org/id/org-中华全国总工会"
    assert str(article_iri("a1b2")) == "https://newskg.org/article/a1b2"
    assert iri_quote("a b#c") == "a%20b%23c"
    assert comention_iri("b", "a") == comention_iri("a", "b")


# ---------------------------------------------------------------- bylines (issue #18)


def _article_titled(g: rdflib.Graph, title: str):
    (a,) = g.subjects(SDO.headline, Literal(title, lang="zh"))
    return a


def test_byline_people_are_authors_contributors_and_photographers(seed_graph):
    a = _article_titled(seed_graph, "北京市密云区总为劳模免费体检")
    assert set(seed_graph.objects(a, SDO.author)) == {entity_iri("person-赖志凯")}
    assert set(seed_graph.objects(a, SDO.contributor)) == {entity_iri("person-包秀媛")}
    photo = _article_titled(seed_graph, "“零工驿站”促就业")
    assert set(seed_graph.objects(photo, NKG.photographer)) == {entity_iri("person-杨楠")}
    assert entity_iri("person-杨楠") in set(seed_graph.objects(photo, SDO.contributor))
    assert (entity_iri("person-杨楠"), RDF.type, SDO.Person) in seed_graph


def test_an_agency_byline_gives_the_source_organisation(seed_graph):
    # 据新华社银川8月22日电（记者许春豫）: the reporter works for 新华社, which is an organisation.
    a = _article_titled(seed_graph, "第五届中国阿博览会开创中阿合作新境界")
    xinhua = entity_iri("org-新华社")
    assert set(seed_graph.objects(a, SDO.sourceOrganization)) == {xinhua}
    assert set(seed_graph.objects(a, SDO.author)) == {entity_iri("person-许春豫")}
    assert (xinhua, RDF.type, SDO.Organization) in seed_graph
    assert (entity_iri("person-许春豫"), SDO.affiliation, xinhua) in seed_graph
    assert (a, SDO.mentions, xinhua) not in seed_graph  # a byline is no mention


# ---------------------------------------------------------------- shapes and ontology


@pytest.mark.parametrize("which", ["hand", "seed"])
def test_build_conforms_to_shapes(which, request):
    g = request.getfixturevalue("hand_graph" if which == "hand" else "seed_graph")
    conforms, text = _validate(g)
    assert conforms, text[:3000]


def test_shapes_reject_an_entity_without_name_and_a_bad_npmi(hand_graph):
    g = rdflib.Graph()
    for t in hand_graph:
        g.add(t)
    g.remove((ACFTU, SDO.name, None))
    c = next(iter(g.subjects(RDF.type, NKG.CoMention)))
    g.set((c, NKG.npmi, Literal("1.5", datatype=XSD.decimal)))
    conforms, text = _validate(g)
    assert not conforms
    assert "schema:name" in text and "nkg:npmi" in text


def test_ontology_defines_every_own_term_in_english_and_chinese():
    onto = rdflib.Graph().parse(ONTOLOGY)
    for name in NKG.__annotations__:
        term = NKG[name]
        labels = {lit.language for lit in onto.objects(term, RDFS.label)}
        comments = {lit.language for lit in onto.objects(term, RDFS.comment)}
        assert labels == {"en", "zh"}, name
        assert comments == {"en", "zh"}, name


def test_export_uses_only_terms_the_ontology_defines(seed_graph):
    onto = rdflib.Graph().parse(ONTOLOGY)
    defined = set(onto.subjects(RDFS.label, None))
    used = {p for p in seed_graph.predicates() if str(p).startswith(str(NKG))}
    used |= {o for o in seed_graph.objects(None, RDF.type) if str(o).startswith(str(NKG))}
    assert used and used <= defined


def test_hostile_text_survives_every_written_format(tmp_path):
    label = 'a "b" \\c\nd\re\t<f>#'
    G = nx.MultiDiGraph()
    G.add_node('person-a b"<>#', type="PERSON", label=label, aliases="x\\y|“z”")
    G.add_node("org-o", type="ORG", label="o")
    ev = json.dumps([{"article": 'a"1', "title": "t", "sentence": label}])
    attrs = {"kind": "co_mention", "weight": 1, "articles": 1, "npmi": 0.5, "evidence": ev}
    G.add_edge('person-a b"<>#', "org-o", key="co_mention", **attrs)
    article = {"id": 'a"1', "title": label, "source": "c:\\x"}
    (tmp_path / "articles.jsonl").write_text(json.dumps(article) + "\n", "utf-8")
    write_rdf(G, tmp_path)
    expected = to_rdf(G, [article])
    for name, fmt in (("graph.nt", "nt"), ("graph.ttl", "turtle"), ("graph.jsonld", "json-ld")):
        g = rdflib.Graph().parse(tmp_path / name, format=fmt)
        assert isomorphic(g, expected), name
        assert (entity_iri('person-a b"<>#'), SDO.name, Literal(label, lang="zh")) in g
    formats = {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD}
    for name, fmt in ((f"graph.{ext}", fmt) for ext, fmt in formats.items()):
        assert len(list(ox.parse(path=str(tmp_path / name), format=fmt))) == len(expected), name


def test_every_mention_says_what_found_it(seed_graph, seed_build):  # issue #24: provenance
    from newskg.extract.recognition import tagger

    q = """
    PREFIX nkg: <https://newskg.org/ns#> PREFIX prov: <http://www.w3.org/ns/prov#>
    PREFIX schema: <https://schema.org/>
    SELECT ?a ?e (COUNT(?agent) AS ?n) WHERE {
      ?a schema:mentions ?e .
      OPTIONAL { ?m nkg:inArticle ?a ; nkg:ofEntity ?e ; prov:wasAttributedTo ?agent .
                 ?agent a prov:SoftwareAgent }
    } GROUP BY ?a ?e"""
    rows = list(seed_graph.query(q))
    assert rows and all(int(r.n) >= 1 for r in rows)
    sha = next(seed_graph.objects(rdflib.URIRef("https://newskg.org/recogniser/tagger"), NKG_MODEL_SHA))
    assert str(sha) == tagger.card()["sha256"]
    with open(seed_build / "mentions.jsonl", encoding="utf-8") as f:
        assert all(json.loads(line)["recogniser"] for line in f)


NKG_MODEL_SHA = rdflib.URIRef("https://newskg.org/ns#modelSha256")


NKG_NS = "https://newskg.org/ns#"


def test_degree_rank_orders_each_class_by_degree_weighted_degree_and_name(seed_graph):
    # issue #21: top_organisations.rq looks up ranks 1..20 instead of sorting every organisation
    q = f"""PREFIX nkg: <{NKG_NS}> PREFIX schema: <https://schema.org/>
    SELECT ?class ?e ?rank ?d ?w ?name WHERE {{
      VALUES ?class {{ schema:Person schema:Organization schema:Place schema:Event nkg:Campaign }}
      ?e a ?class ; nkg:degreeRank ?rank ; nkg:degree ?d ; nkg:weightedDegree ?w ; schema:name ?name }}"""
    by_class: dict[str, list] = {}
    for r in seed_graph.query(q):
        by_class.setdefault(str(r["class"]), []).append((int(r.rank), -int(r.d), -int(r.w), str(r["name"])))
    entities = {
        str(c): n
        for c, n in seed_graph.query(
            "SELECT ?c (COUNT(?e) AS ?n) WHERE { ?e a ?c ; <https://schema.org/identifier> ?i } GROUP BY ?c"
        )
    }
    assert len(by_class) == 5
    for cls, ranked in by_class.items():
        assert len(ranked) == int(entities[cls])  # every entity has its rank
        assert [r[0] for r in sorted(ranked)] == list(range(1, len(ranked) + 1)), cls
        assert [r[1:] for r in sorted(ranked)] == sorted(r[1:] for r in ranked), cls


def test_entity_count_of_an_article_is_its_number_of_mentions(seed_graph, seed_build):
    # issue #21: entity_timeline.rq reads it instead of counting every article's mentions
    q = f"""PREFIX nkg: <{NKG_NS}> PREFIX schema: <https://schema.org/>
    SELECT ?a (SAMPLE(?n) AS ?stored) (COUNT(DISTINCT ?e) AS ?counted) WHERE {{
      ?a a schema:NewsArticle ; nkg:entityCount ?n . OPTIONAL {{ ?a schema:mentions ?e }} }} GROUP BY ?a"""
    rows = [(str(r.a), int(r.stored), int(r.counted)) for r in seed_graph.query(q)]
    with open(seed_build / "articles.jsonl", encoding="utf-8") as f:
        assert len(rows) == sum(1 for line in f if line.strip())  # every article has one
    assert all(stored == counted for _, stored, counted in rows)
    assert len({stored for _, stored, _ in rows}) > 5


def test_npmi_rank_orders_the_comentions_of_each_weight_by_npmi(seed_graph):
    # issue #21: top_npmi.rq looks up ranks 1..25 of every weight instead of sorting every co-mention
    q = f"""PREFIX nkg: <{NKG_NS}>
    SELECT ?m ?w ?npmi ?rank WHERE {{ ?m a nkg:CoMention ; nkg:weight ?w ; nkg:npmi ?npmi .
                                      OPTIONAL {{ ?m nkg:npmiRank ?rank }} }}"""
    by_weight: dict[int, list] = {}
    for r in seed_graph.query(q):
        by_weight.setdefault(int(r.w), []).append(
            (int(r.rank) if r.rank is not None else None, -float(r.npmi))
        )
    assert len(by_weight) > 3 and max(map(len, by_weight.values())) > 100  # some weight has unranked ones
    for weight, rows in by_weight.items():
        ranked = sorted(r for r in rows if r[0] is not None)
        assert [r[0] for r in ranked] == list(range(1, min(len(rows), 100) + 1)), weight
        assert [r[1] for r in ranked] == sorted(r[1] for r in rows)[: len(ranked)], weight


def test_ranks_streamed_from_graph_sqlite_equal_the_ranks_of_the_networkx_graph(seed_build):
    # issue #21: SQLite sorts the entities of a build; networkx's graph (to_rdf) is sorted in Python
    from newskg.graph.export.graphdb import GraphDB, comentions, read_graph_db
    from newskg.graph.export.rdf import degree_ranks, npmi_ranks

    V, G = GraphDB(seed_build / "graph.sqlite"), read_graph_db(seed_build / "graph.sqlite")
    try:
        assert list(degree_ranks(V)) == list(degree_ranks(G)) and len(list(degree_ranks(V))) == len(G)
        assert npmi_ranks(comentions(V)) == npmi_ranks(comentions(G)) != {}
    finally:
        V.close()


def test_jsonld_nodes_are_the_text_json_dumps_gives_even_for_hostile_literals():
    # The JSON-LD is written as text from the N-Triples lines (issue #21); it must be json.dumps's text.
    from newskg.graph.export.rdf import _jsonld_nodes, _text

    texts = ["tab\there", 'quote " and \\ back', "line\nbreak\r", "\x00\x1f\x7f", "\u2028sep", "全总", ""]
    s, tabbed = "<https://newskg.org/id/x>", _text("a\tb")
    lines = sorted(
        [f"{s} <https://schema.org/name> {_text(t, 'zh')} ." for t in texts]
        + [f"{s} <https://schema.org/identifier> {tabbed} .", f'{s} <{NKG.weight}> "3"^^<{XSD.integer}> .']
        + [
            f"{s} <{RDF.type}> <{SDO.Person}> .",
            f"{s} <{SDO.affiliation}> <https://newskg.org/comention/a/b> .",
        ]
    )
    (node,) = _jsonld_nodes(lines)
    parsed = json.loads(node)
    assert node == json.dumps(parsed, ensure_ascii=False)
    assert sorted(v["@value"] for v in parsed["schema:name"]) == sorted(texts)
    assert parsed["@type"] == ["schema:Person"] and parsed["schema:identifier"] == [{"@value": "a\tb"}]
    assert parsed["nkg:weight"] == [{"@value": "3", "@type": "xsd:integer"}]
    assert parsed["schema:affiliation"] == [{"@id": "https://newskg.org/comention/a/b"}]
