"""``newskg serve``: a real server process queried by a real SPARQL client (issue #7)."""

from __future__ import annotations

import csv
import http.client
import io
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
import rdflib
from conftest import ROOT, run_cli, serving
from rdflib.namespace import SKOS
from SPARQLWrapper import CSV, JSON, POST, TSV, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

ACFTU = "https://newskg.org/id/org-中华全国总工会"
ORGS = """PREFIX schema: <https://schema.org/>
SELECT ?o ?n WHERE { ?o a schema:Organization ; schema:name ?n } ORDER BY ?n"""
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # ~10^12 rows: never finishes
MAX_ROWS, TIMEOUT, MAX_BODY = 50, 2, 4000


@pytest.fixture(scope="module")
def endpoint(seed_build):
    """``newskg serve`` on the seed build with small limits; yields its URL."""
    limits = ["--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS), "--max-body", str(MAX_BODY)]
    with serving("--data", str(seed_build), *limits) as (_, port):
        yield f"http://127.0.0.1:{port}"


def client(url: str, query: str, fmt: str, conneg: bool = True) -> SPARQLWrapper:
    sw = SPARQLWrapper(url + "/sparql")
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    sw.setOnlyConneg(conneg)  # True: only the Accept header says which format is wanted
    return sw


def test_json_through_sparqlwrapper(endpoint):
    res = client(endpoint, ORGS, JSON).query()
    assert res.info()["content-type"].startswith("application/sparql-results+json")
    bindings = res.convert()["results"]["bindings"]
    assert {
        "o": {"type": "uri", "value": ACFTU},
        "n": {"type": "literal", "value": "中华全国总工会", "xml:lang": "zh"},
    } in bindings


def test_xml_through_sparqlwrapper(endpoint):
    doc = client(endpoint, ORGS, XML).query().convert()
    uris = [u.firstChild.data for u in doc.getElementsByTagName("uri")]
    assert ACFTU in uris


@pytest.mark.parametrize("conneg", [True, False])
def test_csv_and_tsv_through_sparqlwrapper(endpoint, conneg):
    rows = list(csv.DictReader(io.StringIO(client(endpoint, ORGS, CSV, conneg).query().convert().decode())))
    assert {"o": ACFTU, "n": "中华全国总工会"} in rows
    tsv = client(endpoint, ORGS, TSV, conneg).query().convert().decode().splitlines()
    assert tsv[0] == "?o\t?n" and f'<{ACFTU}>\t"中华全国总工会"@zh' in tsv
    assert len(tsv) - 1 == len(rows)


def test_post_form_and_direct_post_give_the_same_rows(endpoint):
    sw = client(endpoint, ORGS, JSON)
    sw.setMethod(POST)
    form = sw.query().convert()
    sw.setRequestMethod("postdirectly")
    direct = sw.query().convert()
    get = client(endpoint, ORGS, JSON).query().convert()
    assert form == direct == get


def test_a_ready_query_through_the_endpoint(endpoint):
    text = (ROOT / "queries" / "campaign_partners.rq").read_text("utf-8")
    rows = client(endpoint, text, JSON).query().convert()["results"]["bindings"]
    acftu = [r for r in rows if r["other"]["value"] == ACFTU]
    assert acftu and acftu[0]["campaignName"]["value"] == "“安康杯”竞赛"
    assert int(acftu[0]["weight"]["value"]) >= 1


def test_update_is_refused(endpoint):
    sw = client(endpoint, "PREFIX x: <urn:x#> INSERT DATA { x:a x:b x:c }", JSON)
    sw.setMethod(POST)  # SPARQLWrapper sends it as an update= form field
    with pytest.raises(urllib.error.HTTPError) as exc:
        sw.query()
    assert exc.value.code == 403
    for body, ctype in [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "application/sparql-update"),
        ("CLEAR ALL", "application/sparql-query"),
        ("query=" + urllib.parse.quote("LOAD <http://example.org/x>"), "application/x-www-form-urlencoded"),
    ]:
        status, _, text = _post(endpoint, body, ctype)
        assert status == 403 and "read-only" in text, body
    ask = client(endpoint, "ASK { <urn:a> <urn:b> <urn:c> }", JSON).query().convert()
    assert ask == {"head": {}, "boolean": False}


def test_malformed_query_is_400_with_position(endpoint):
    with pytest.raises(QueryBadFormed) as exc:
        client(endpoint, "SELECT ?o WHERE { ?o ?p }", JSON).query()
    assert "error at 1:" in str(exc.value)


def test_row_limit(endpoint):
    req = urllib.request.Request(
        endpoint + "/sparql?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(req, timeout=60) as resp:
        assert resp.headers["X-Truncated"] == "true" and resp.headers["X-Row-Limit"] == str(MAX_ROWS)
        assert len(json.load(resp)["results"]["bindings"]) == MAX_ROWS


def test_timeout_stops_the_query_and_the_server_keeps_answering(endpoint):
    start = time.monotonic()
    status, _, text = _post(endpoint, SLOW, "application/sparql-query")
    elapsed = time.monotonic() - start
    assert status == 503 and "timeout" in text
    assert TIMEOUT <= elapsed < TIMEOUT + 20
    rows = client(endpoint, ORGS, JSON).query().convert()["results"]["bindings"]
    assert rows


def test_body_over_the_limit_is_413(endpoint):
    status, _, _ = _post(endpoint, "ASK {}" + " " * MAX_BODY, "application/sparql-query")
    assert status == 413


def test_unacceptable_format_is_406(endpoint):
    req = urllib.request.Request(
        endpoint + "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}), headers={"Accept": "image/png"}
    )
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(req, timeout=60)
    assert exc.value.code == 406


def test_serves_build_files_and_nothing_outside(endpoint, seed_build):
    status, ctype, body = _get(endpoint, "/graph.ttl")
    assert status == 200 and ctype.startswith("text/turtle")
    assert body == (seed_build / "graph.ttl").read_bytes()
    status, ctype, body = _get(endpoint, "/")  # the overview
    assert status == 200 and ctype == "text/html; charset=utf-8"
    assert body == (seed_build / "graph.html").read_bytes()
    page = sorted((seed_build / "entities").glob("*.html"))[0]  # an entity page, its name percent-encoded
    status, ctype, body = _get(endpoint, "/entities/" + urllib.parse.quote(page.name))
    assert status == 200 and ctype.startswith("text/html") and body == page.read_bytes()
    for path in [
        "/../conftest.py",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "//etc/passwd",
        "/entities/../../out/graph.ttl",
        "/mentions.jsonl",  # not an HTML view or an export
        "/.hidden.html",
        "/graph.ttl%00.html",
    ]:
        assert _get(endpoint, path)[0] == 404, path


def _post(base: str, body: str, ctype: str) -> tuple[int, str, str]:
    req = urllib.request.Request(base + "/sparql", data=body.encode("utf-8"), headers={"Content-Type": ctype})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.headers["Content-Type"], resp.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read().decode("utf-8")


def _get(base: str, path: str) -> tuple[int, str, bytes]:
    """GET ``path`` exactly as written (no client-side normalisation of ``..``)."""
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    conn.request("GET", path)
    resp = conn.getresponse()
    out = (resp.status, resp.getheader("Content-Type") or "", resp.read())
    conn.close()
    return out


def test_taken_port_is_one_line_exit_2(seed_build):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        proc = run_cli("serve", "--data", str(seed_build), "--port", str(port), timeout=120)
    assert proc.returncode == 2
    assert proc.stderr == f"newskg: error: cannot listen on 127.0.0.1:{port}: Address already in use\n"


def test_describe_answers_the_rdf_syntax_asked_for(endpoint):
    req = urllib.request.Request(
        endpoint + "/sparql",
        data=f"DESCRIBE <{ACFTU}>".encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "text/turtle"},
    )
    with urllib.request.urlopen(req, timeout=60) as resp:
        assert resp.headers["Content-Type"] == "text/turtle; charset=utf-8"
        g = rdflib.Graph().parse(data=resp.read().decode("utf-8"), format="turtle")
    assert (rdflib.URIRef(ACFTU), SKOS.prefLabel, rdflib.Literal("中华全国总工会", lang="zh")) in g


def test_sparql_without_query_shows_a_form(endpoint):
    status, ctype, body = _get(endpoint, "/sparql")
    assert status == 200 and ctype == "text/html; charset=utf-8"
    assert b'<form method="get" action="/sparql">' in body and b'href="/graph.html"' in body
