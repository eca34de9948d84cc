"""``newskg query`` and the ready queries of ``queries/`` (issue #7)."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT, run_main
from newskg.extract.errors import UserError
from newskg.extract.records import entity_id
from newskg.graph.query import sparql

QUERIES = ROOT / "queries"
ACFTU = "https://newskg.org/id/org-中华全国总工会"
ANKANG = "https://newskg.org/id/" + entity_id("CAMPAIGN", "“安康杯”竞赛")
ORGS_QUERY = "SELECT ?o ?n WHERE { ?o a schema:Organization ; schema:name ?n } ORDER BY ?n"


def query_cli(data: Path, *args: str):
    return run_main("query", "--data", str(data), *args)


# ---------------------------------------------------------------- the CLI, on the hand-written build


def test_expr_as_table(hand_build):
    proc = query_cli(hand_build, "-e", ORGS_QUERY)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["o", "n"]
    assert set(lines[1]) <= {"-", " "}
    assert any(line.split() == ["id:org-中华全国总工会", "中华全国总工会"] for line in lines)
    assert lines[-1] == f"({len(lines) - 3} rows)"


def test_expr_as_csv_json_tsv_xml(hand_build):
    out = {
        fmt: query_cli(hand_build, "-e", ORGS_QUERY, "--format", fmt) for fmt in ("csv", "json", "tsv", "xml")
    }
    assert all(p.returncode == 0 for p in out.values()), {f: p.stderr for f, p in out.items()}
    rows = list(csv.DictReader(io.StringIO(out["csv"].stdout)))
    assert {"o": ACFTU, "n": "中华全国总工会"} in rows
    doc = json.loads(out["json"].stdout)
    assert doc["head"]["vars"] == ["o", "n"]
    assert {
        "o": {"type": "uri", "value": ACFTU},
        "n": {"type": "literal", "value": "中华全国总工会", "xml:lang": "zh"},
    } in doc["results"]["bindings"]
    tsv = out["tsv"].stdout.splitlines()
    assert tsv[0] == "?o\t?n"
    assert f'<{ACFTU}>\t"中华全国总工会"@zh' in tsv
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(out["xml"].stdout)
    assert [v.get("name") for v in root.findall("s:head/s:variable", ns)] == ["o", "n"]
    assert ACFTU in [u.text for u in root.findall(".//s:binding[@name='o']/s:uri", ns)]
    assert (
        len(rows) == len(doc["results"]["bindings"]) == len(tsv) - 1 == len(root.findall(".//s:result", ns))
    )


def test_query_file_and_param(hand_build):
    proc = query_cli(hand_build, str(QUERIES / "aliases.rq"), "--param", "name=全总", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert rows == [{"entity": ACFTU, "label": "中华全国总工会", "aliases": "全总"}]


def test_rdflib_engine_gives_the_same_rows(hand_build):
    ox_rows = sparql.query(hand_build, ORGS_QUERY).records()
    rd_rows = sparql.query(hand_build, ORGS_QUERY, engine="rdflib").records()
    assert ox_rows == rd_rows and {"o": ACFTU, "n": "中华全国总工会"} in ox_rows


@pytest.mark.parametrize(
    ("engine", "message"),
    [
        ("oxigraph", "error at 1:53: expected one of "),
        ("rdflib", "Expected SelectQuery, found 'LIMIT' (at char 45), (line:1, col:46)"),
    ],
)
def test_malformed_query_raises_the_parser_message_with_position(hand_build, engine, message):
    with pytest.raises(sparql.QuerySyntaxError) as exc:
        sparql.query(hand_build, "SELECT ?o WHERE { ?o a schema:Organization . LIMIT 3", engine=engine)
    assert str(exc.value).startswith(message)


def test_malformed_query_file_is_one_line_with_position_exit_2(hand_build, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("PREFIX schema: <https://schema.org/>\nSELECT * WHERE {\n  ?s schema:name \n}\n", "utf-8")
    proc = query_cli(hand_build, str(bad))
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith(f"newskg: error: malformed query ({bad}): error at 4:1: expected ")
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_update_is_refused(hand_build):
    proc = query_cli(hand_build, "-e", "PREFIX x: <urn:x#> INSERT DATA { x:a x:b x:c }")
    assert proc.returncode == 2
    assert proc.stderr == (
        "newskg: error: SPARQL Update (INSERT, DELETE, LOAD, ...) is not allowed: the data is read-only\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-e", "ASK {}", "--data", "/nonexistent"], "/nonexistent is not a newskg build with RDF"),
        ([], "give either a query file or -e 'SPARQL'"),
        (["-e", "ASK { VALUES ?a { 1 } }", "--param", "b=2"], "the query has no parameter ?b"),
    ],
)
def test_user_errors_are_one_line_exit_2(hand_build, args, message):
    proc = run_main("query", *(args if "--data" in args else ["--data", str(hand_build), *args]))
    assert proc.returncode == 2
    assert proc.stderr.startswith("newskg: error: ") and message in proc.stderr
    assert proc.stderr.count("\n") == 1


def test_ask_and_construct(hand_build):
    eng = sparql.open_engine(hand_build)
    assert sparql.run(eng, f"ASK {{ <{ACFTU}> a schema:Organization }}").boolean is True
    r = sparql.run(eng, f"CONSTRUCT {{ <{ACFTU}> skos:altLabel ?a }} WHERE {{ <{ACFTU}> skos:altLabel ?a }}")
    assert r.kind == "graph" and [t.n3() for t in r.rows[0]][2] == '"全总"@zh'


def test_row_limit_marks_truncation(hand_build):
    r = sparql.query(hand_build, "SELECT * WHERE { ?s ?p ?o }", limit=3)
    assert len(r.rows) == 3 and r.truncated
    assert sparql.render(r, "table").endswith("(3 rows, cut at the row limit)\n")


def test_persisted_store_is_built_once_and_reused(hand_build, tmp_path):
    data = tmp_path / "build"
    data.mkdir()
    (data / "graph.nt").write_bytes((hand_build / "graph.nt").read_bytes())
    sparql.persist_store(data / "graph.nt", data / "oxigraph")  # as a build does for a big graph.nt
    first = sparql.OxigraphEngine(data)
    n = first.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].value
    del first
    (data / "graph.nt").write_text("")  # the store is what is read
    again = sparql.open_engine(data)  # finds DIR/oxigraph and opens it read-only
    assert again.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].value == n
    assert int(n) == len((hand_build / "graph.nt").read_text("utf-8").splitlines())


def test_persisted_store_loaded_in_chunks_holds_every_triple(hand_build, tmp_path, monkeypatch):
    # issue #21: bulk_load held large batches in memory; the store is loaded LOAD_CHUNK triples at a time
    monkeypatch.setattr(sparql, "LOAD_CHUNK", 7)
    sparql.persist_store(hand_build / "graph.nt", tmp_path / "oxigraph")
    import pyoxigraph as ox

    bulk = ox.Store(str(tmp_path / "bulk"))  # what the store held when loaded in one bulk_load
    bulk.bulk_load(path=str(hand_build / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)
    chunked = ox.Store.read_only(str(tmp_path / "oxigraph"))
    assert len(bulk) > 7 * 3
    assert {str(q) for q in chunked} == {str(q) for q in bulk}


# ---------------------------------------------------------------- every ready query, on the seed build


@pytest.fixture(scope="module")
def seed(seed_build):
    eng = sparql.open_engine(seed_build)

    def run(file: str, /, **params: str) -> list[dict[str, str]]:
        text = sparql.bind_params((QUERIES / file).read_text("utf-8"), params)
        return sparql.run(eng, text).records()

    return run


def test_every_query_is_documented_and_tested():
    files = sorted(QUERIES.glob("*.rq"))
    assert len(files) >= 10
    tested = {n for n in globals() if n.startswith("test_query_")}
    for f in files:
        head = f.read_text("utf-8").splitlines()
        assert head[0].startswith("# ") and any(line.startswith("# Parameters:") for line in head), f.name
        assert f"test_query_{f.stem}" in tested, f"no test for {f.name}"


def test_query_top_organisations(seed):
    rows = seed("top_organisations.rq")
    assert len(rows) == 20
    assert [int(r["partners"]) for r in rows] == sorted((int(r["partners"]) for r in rows), reverse=True)
    assert "中华全国总工会" in {r["name"] for r in rows}


def test_stored_degrees_equal_counting_the_comentions(seed_build):
    """top_organisations.rq reads nkg:degree and nkg:weightedDegree: they are the co-mention counts."""
    counted = sparql.query(
        seed_build,
        """PREFIX schema: <https://schema.org/>
        PREFIX nkg: <https://newskg.org/ns#>
        SELECT ?org (COUNT(DISTINCT ?other) AS ?partners) (SUM(?w) AS ?weight) (SAMPLE(?d) AS ?degree)
               (SAMPLE(?wd) AS ?weighted)
        WHERE { ?org a schema:Organization ; nkg:degree ?d ; nkg:weightedDegree ?wd .
                ?c a nkg:CoMention ; nkg:entity ?org, ?other ; nkg:weight ?w . FILTER (?other != ?org) }
        GROUP BY ?org""",
    ).records()
    assert len(counted) > 50
    for r in counted:
        assert (r["partners"], r["weight"]) == (r["degree"], r["weighted"]), r["org"]


def test_query_campaign_partners(seed):
    rows = seed("campaign_partners.rq")
    acftu = [r for r in rows if r["other"] == ACFTU]
    assert acftu and acftu[0]["campaignName"] == "“安康杯”竞赛" and acftu[0]["type"].endswith("Organization")


def test_query_campaigns_by_province(seed):
    rows = seed("campaigns_by_province.rq", province="湖北省")
    assert {r["provinceName"] for r in rows} == {"湖北省"}
    assert any(r["campaignName"] == "“零工驿站”" and int(r["links"]) >= 1 for r in rows)
    assert len(seed("campaigns_by_province.rq")) > len(rows)  # UNDEF: every province


def test_query_people_roles(seed):
    rows = seed("people_roles.rq", organisation="中华全国总工会党组")
    chen = [r for r in rows if r["personName"] == "陈刚"]
    assert chen and "副主席" in chen[0]["role"] and chen[0]["orgName"] == "中华全国总工会党组"


def test_query_pair_evidence(seed):
    rows = seed("pair_evidence.rq", a="中华全国总工会党组")
    assert rows and all("陈刚" in r["sentence"] and "全总党组" in r["sentence"] for r in rows)
    assert rows[0]["headline"] == "全总十七届六次执委会会议召开"


def test_query_shared_entities(seed, seed_build):
    rows = seed("shared_entities.rq")
    mentioned: dict[str, set[str]] = {}
    with open(seed_build / "mentions.jsonl", encoding="utf-8") as f:
        for line in f:
            m = json.loads(line)
            mentioned.setdefault(m["article_id"], set()).add(m["label"])
    top = rows[0]
    names = set(top["entities"].split("、"))
    assert int(top["shared"]) == len(names) >= 2
    assert names <= mentioned[top["idA"]] & mentioned[top["idB"]]
    only = seed("shared_entities.rq", articleA=top["idA"], articleB=top["idB"])
    assert only == [top]


def test_query_orgs_in_province(seed):
    rows = seed("orgs_in_province.rq", province="河南")  # the short form finds the province
    assert {"provinceName": "河南省", "orgName": "河南省总工会", "placeName": "河南省"} in [
        {k: r[k] for k in ("provinceName", "orgName", "placeName")} for r in rows
    ]


def test_query_articles_with_both(seed):
    rows = seed("articles_with_both.rq", a="全总党组")
    assert [(r["nameA"], r["nameB"], r["headline"]) for r in rows] == [
        ("中华全国总工会党组", "陈刚", "全总十七届六次执委会会议召开")
    ]


def test_query_top_npmi(seed, seed_build):
    rows = seed("top_npmi.rq", minWeight="2")
    assert rows and all(int(r["weight"]) >= 2 for r in rows)
    npmi = [float(r["npmi"]) for r in rows]
    assert npmi == sorted(npmi, reverse=True)
    with open(seed_build / "entities.csv", encoding="utf-8") as f:
        label = {e["id"]: e["label"] for e in csv.DictReader(f)}
    with open(seed_build / "edges.csv", encoding="utf-8") as f:
        edges = {
            frozenset((label[e["source"]], label[e["target"]])): (float(e["npmi"]), int(e["weight"]))
            for e in csv.DictReader(f)
            if e["kind"] == "co_mention"
        }
    strong = [v for v, w in edges.values() if w >= 2]
    assert edges[frozenset((rows[0]["nameA"], rows[0]["nameB"]))][0] == npmi[0] == max(strong)


def test_query_aliases(seed):
    [acftu] = seed("aliases.rq", name="全总")  # found by its alias
    assert acftu["entity"] == ACFTU and acftu["label"] == "中华全国总工会"
    assert "全总" in acftu["aliases"].split("|")
    henan = seed("aliases.rq", name="河南省")
    assert henan and "河南" in henan[0]["aliases"].split("|")


def test_query_place_hierarchy(seed):
    rows = seed("place_hierarchy.rq", place="黄堡镇")
    chain = [(r["ancestorName"], r["code"]) for r in rows if "code" in r]  # furthest ancestor first
    assert chain == [
        ("湖北省", "420000"),
        ("襄阳市", "420600"),
        ("保康县", "420626"),
        ("黄堡镇", "420626101"),
    ]


def test_query_entity_timeline(seed, seed_build):
    rows = seed("entity_timeline.rq")
    with open(seed_build / "mentions.jsonl", encoding="utf-8") as f:
        having = {json.loads(line)["article_id"] for line in f if '"org-中华全国总工会"' in line}
    assert rows and {r["article"] for r in rows} == having
    assert all(r["entityName"] == "中华全国总工会" for r in rows)


def test_query_reporters(seed, seed_build):
    rows = seed("reporters.rq", reporter="毛浓曦")
    arts = [json.loads(line) for line in (seed_build / "articles.jsonl").read_text("utf-8").splitlines()]
    hers = {a["id"] for a in arts if any(b["name"] == "毛浓曦" for b in a["byline"])}
    assert len(hers) == 2
    with open(seed_build / "mentions.jsonl", encoding="utf-8") as f:
        covered = {
            m["entity_id"]
            for m in map(json.loads, f)
            if m["article_id"] in hers
            and m["type"] in ("ORG", "CAMPAIGN", "EVENT")
            and m.get("field") != "byline"
        }
    assert {r["reporterName"] for r in rows} == {"毛浓曦"} and {r["articles"] for r in rows} == {"2"}
    titles = {a["title"] for a in arts if a["id"] in hers}
    assert all(set(r["headlines"].split(" | ")) == titles for r in rows)
    assert {r["entity"].rsplit("/", 1)[1] for r in rows} == covered
    everyone = seed("reporters.rq")
    assert {"郑莉", "杨楠", "包秀媛"} <= {r["reporterName"] for r in everyone}
    # rdflib answers it too, with the same rows (it evaluates a join of two subqueries row by row: minutes).
    text = sparql.bind_params((QUERIES / "reporters.rq").read_text("utf-8"), {"reporter": "毛浓曦"})
    slow = sparql.run(sparql.open_engine(seed_build, "rdflib"), text).records()
    key = ("entity", "together", "articles")
    assert sorted(tuple(r[k] for k in key) for r in slow) == sorted(tuple(r[k] for k in key) for r in rows)


@pytest.mark.parametrize("engine", sparql.ENGINES)
def test_damaged_ntriples_is_a_user_error(tmp_path, engine):
    (tmp_path / "graph.nt").write_text("garbage <<<\n", "utf-8")
    with pytest.raises(UserError, match=r"^cannot read .*graph\.nt: "):
        sparql.open_engine(tmp_path, engine)


# Issue #21: the queries that find an entity by a name look it up by index (VALUES ?name { "…"@zh }
# joined to its labels), where they read every label (FILTER (STR(?label) = ?name)). Both forms
# give the same rows: the old one is made back from the new.
_LOOKUP = re.compile(r"skos:prefLabel\|skos:altLabel \?(\w+)")


def _by_filter(text: str) -> str:
    """A query's name lookups as the old label scan: ``?e skos:prefLabel|skos:altLabel ?name`` becomes
    ``?e skos:prefLabel|skos:altLabel ?name_l`` and ``FILTER (STR(?name_l) = STR(?name))``."""
    for name in _LOOKUP.findall(text):
        text = re.sub(rf"(VALUES \?{name} \{{[^}}]*\}})", rf"\1 FILTER (STR(?{name}_l) = STR(?{name}))", text)
    return _LOOKUP.sub(r"skos:prefLabel|skos:altLabel ?\1_l", text)


@pytest.mark.parametrize(
    ("file", "params"),
    [
        ("articles_with_both.rq", {"a": "全总党组", "b": "陈刚"}),
        ("entity_timeline.rq", {}),
        ("entity_timeline.rq", {"name": "全总"}),
        ("orgs_in_province.rq", {"province": "河南"}),
        ("pair_evidence.rq", {}),
        ("place_hierarchy.rq", {"place": "黄堡镇"}),
        ("place_hierarchy.rq", {"place": "无此地"}),
    ],
)
def test_lookup_by_index_gives_the_rows_of_the_label_scan(seed_build, file, params):
    eng = sparql.open_engine(seed_build)
    text = sparql.bind_params((QUERIES / file).read_text("utf-8"), params)
    assert _LOOKUP.search(text) and "@zh }" in text
    new = sparql.run(eng, text)
    old = sparql.run(eng, _by_filter(text))
    assert new.vars == old.vars
    assert sorted(map(str, new.rows)) == sorted(map(str, old.rows))
    assert new.rows or params.get("place") == "无此地"


def test_people_roles_with_its_optional_last_gives_the_rows_of_the_optional_first(seed_build):
    # Issue #21: OPTIONAL { ?a nkg:role ?role } before the joins took Oxigraph over 60 s at 10,000 articles.
    eng = sparql.open_engine(seed_build)
    text = (QUERIES / "people_roles.rq").read_text("utf-8")
    optional = next(line for line in text.splitlines() if "OPTIONAL" in line)
    first = text.replace(optional + "\n", "").replace(
        "nkg:articles ?articles .\n", "nkg:articles ?articles .\n" + optional + "\n"
    )
    assert first != text and first.count("OPTIONAL") == 1
    new, old = sparql.run(eng, text), sparql.run(eng, first)
    assert len(new.rows) > 5
    assert sorted(map(str, new.rows)) == sorted(map(str, old.rows))


# Issue #21: the forms of the ready queries before they read what the build stores (nkg:degreeRank,
# nkg:entityCount, nkg:province) or were reordered for Oxigraph's planner give the same rows.
BEFORE_21 = ROOT / "tests" / "data" / "queries_before_21"


@pytest.mark.parametrize(
    ("file", "params"),
    [
        ("top_organisations.rq", {}),
        ("entity_timeline.rq", {}),
        ("entity_timeline.rq", {"name": "全总"}),
        ("entity_timeline.rq", {"name": "无此名"}),
        ("aliases.rq", {}),
        ("aliases.rq", {"name": "全总"}),
        ("aliases.rq", {"name": "中华全国总工会"}),
        ("aliases.rq", {"name": "河南省"}),
        ("aliases.rq", {"name": "无此名"}),
        ("articles_with_both.rq", {}),
        ("articles_with_both.rq", {"a": "陈刚", "b": "全总党组"}),
        ("top_npmi.rq", {}),
        ("top_npmi.rq", {"minWeight": "1"}),
        ("top_npmi.rq", {"minWeight": "3"}),
        ("reporters.rq", {}),
        ("reporters.rq", {"reporter": "毛浓曦"}),
        ("campaigns_by_province.rq", {}),
        ("campaigns_by_province.rq", {"province": "河南省"}),
        ("campaigns_by_province.rq", {"province": "无此名"}),
        ("campaign_partners.rq", {}),
        ("campaign_partners.rq", {"campaign": "脱贫"}),
        ("campaign_partners.rq", {"campaign": "无此名"}),
    ],
)
def test_ready_query_gives_the_rows_of_its_form_before_issue_21(seed_build, file, params):
    eng = sparql.open_engine(seed_build)
    new_text = sparql.bind_params((QUERIES / file).read_text("utf-8"), params)
    old_text = sparql.bind_params((BEFORE_21 / file).read_text("utf-8"), params)
    assert new_text != old_text
    new, old = sparql.run(eng, new_text), sparql.run(eng, old_text)
    assert new.vars == old.vars
    assert sorted(map(str, new.rows)) == sorted(map(str, old.rows))
    assert new.rows or "无此名" in params.values()


def _shared(rows: list[dict]) -> list[tuple]:
    # GROUP_CONCAT's order is the engine's order of evaluation: compare the names as sets
    return [(r["idA"], r["idB"], r["shared"], frozenset(r["entities"].split("、"))) for r in rows]


def test_shared_entities_gives_the_rows_of_its_form_before_issue_21(seed, seed_build):
    old = (BEFORE_21 / "shared_entities.rq").read_text("utf-8")
    eng = sparql.open_engine(seed_build)
    top = seed("shared_entities.rq")
    assert len(top) == 50 and _shared(top) == _shared(sparql.run(eng, old).records())
    a, b, other = top[0]["idA"], top[0]["idB"], top[-1]["idB"]
    for params in (
        {"articleA": a},
        {"articleB": b},
        {"articleA": b, "articleB": a},
        {"articleA": other, "articleB": a},
        {"articleA": "无此名"},
    ):
        new_rows = seed("shared_entities.rq", **params)
        old_rows = sparql.run(eng, sparql.bind_params(old, params)).records()
        assert _shared(new_rows) == _shared(old_rows), params
        assert new_rows or "无此名" in params.values()
        if "articleA" in params and params["articleA"] != "无此名":
            assert all(params["articleA"] in (r["idA"], r["idB"]) for r in new_rows)


def test_top_organisations_by_stored_rank_keeps_the_order_and_the_minimum(seed_build):
    eng = sparql.open_engine(seed_build)
    text = (QUERIES / "top_organisations.rq").read_text("utf-8")
    old_text = (BEFORE_21 / "top_organisations.rq").read_text("utf-8")
    assert "nkg:degreeRank" in text
    new, old = sparql.run(eng, text), sparql.run(eng, old_text)
    assert len(new.rows) == 20 and list(map(str, new.rows)) == list(map(str, old.rows))  # in order
    # a minimum that cuts the list: the first ranks that pass are the sort's rows
    cut = {"minPartners": str(int(new.records()[4]["partners"]) + 1)}
    fewer = sparql.run(eng, sparql.bind_params(text, cut))
    assert 0 < len(fewer.rows) < 5
    fewer_old = sparql.run(eng, sparql.bind_params(old_text, cut))
    assert list(map(str, fewer.rows)) == list(map(str, fewer_old.rows))
