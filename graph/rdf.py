"""The knowledge graph as RDF: Turtle, N-Triples and JSON-LD, in the vocabulary of :mod:`graph.vocab`.

Each entity is a ``schema:Person``, ``schema:Organization``, ``schema:Place``,
``schema:Event`` or ``nkg:Campaign`` with ``schema:name`` and ``skos:prefLabel``
(``@zh``) and one ``skos:altLabel`` an alias. Structural edges become
``schema:containedInPlace`` (place in place), ``schema:location`` (organisation
in place) and ``schema:affiliation`` (person with organisation; the role, when
known, on an ``nkg:Affiliation`` node). A co-mention is an ``nkg:CoMention`` node
with its two ``nkg:entity``, ``nkg:weight``, ``nkg:articles``, ``nkg:npmi`` and
``nkg:evidence`` nodes holding the sentence and ``prov:wasDerivedFrom`` its article.
Articles are ``schema:NewsArticle`` with ``schema:mentions`` of their entities.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("org-全总", type="ORG", label="全总", aliases="")
>>> g = to_rdf(G)
>>> print(g.value(entity_iri("org-全总"), SKOS.prefLabel))
全总
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import networkx as nx
from rdflib import RDF, Graph, Literal
from rdflib.namespace import PROV, SDO, SKOS, XSD

from extract import divisions
from graph.vocab import (
    CLASSES,
    LEVEL_CLASSES,
    NKG,
    PREFIXES,
    affiliation_iri,
    article_iri,
    comention_iri,
    entity_iri,
)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH_DAY = re.compile(r"^--\d{2}-\d{2}$")  # a date without its year (the page did not say)
# Node attribute -> (property, datatype) of the numeric statistics exported per entity.
_STATS = {
    "mentions": (NKG.mentionCount, XSD.integer),
    "articles": (NKG.articleCount, XSD.integer),
    "degree": (NKG.degree, XSD.integer),
    "weighted_degree": (NKG.weightedDegree, XSD.integer),
    "pagerank": (NKG.pagerank, XSD.decimal),
    "betweenness": (NKG.betweenness, XSD.decimal),
    "community": (NKG.community, XSD.integer),
}


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _date(g: Graph, s, p, value: str) -> None:
    if _DATE.match(value):
        g.add((s, p, Literal(value, datatype=XSD.date)))
    elif _MONTH_DAY.match(value):
        g.add((s, p, Literal(value, datatype=XSD.gMonthDay)))


def _decimal(value) -> Literal:
    """An exact xsd:decimal (rdflib writes xsd:double in Turtle with six digits only)."""
    return Literal(format(Decimal(repr(float(value))), "f"), datatype=XSD.decimal)


def _number(value, datatype) -> Literal | None:
    if value is None or value == "":
        return None
    if datatype == XSD.decimal:
        return _decimal(value)
    return Literal(int(value), datatype=datatype)


def _add_entity(g: Graph, node: str, d: dict) -> None:
    s = entity_iri(node)
    g.add((s, RDF.type, CLASSES[d["type"]]))
    g.add((s, SDO.identifier, Literal(node)))
    g.add((s, SDO.name, _zh(d["label"])))
    g.add((s, SKOS.prefLabel, _zh(d["label"])))
    for alias in filter(None, str(d.get("aliases") or "").split("|")):
        g.add((s, SKOS.altLabel, _zh(alias)))
    for attr, (prop, datatype) in _STATS.items():
        lit = _number(d.get(attr), datatype)
        if lit is not None:
            g.add((s, prop, lit))
    _date(g, s, NKG.firstDate, str(d.get("first_date") or ""))
    _date(g, s, NKG.lastDate, str(d.get("last_date") or ""))
    code = str(d.get("code") or "")
    if code:
        g.add((s, NKG.adminCode, Literal(code)))
        division = divisions.by_code(code)
        if division and division.level in LEVEL_CLASSES:
            g.add((s, RDF.type, LEVEL_CLASSES[division.level]))


def _add_comention(g: Graph, u: str, v: str, d: dict) -> None:
    c = comention_iri(u, v)
    g.add((c, RDF.type, NKG.CoMention))
    g.add((c, NKG.entity, entity_iri(u)))
    g.add((c, NKG.entity, entity_iri(v)))
    g.add((c, NKG.weight, Literal(int(d["weight"]), datatype=XSD.integer)))
    g.add((c, NKG.articles, Literal(int(d["articles"]), datatype=XSD.integer)))
    g.add((c, NKG.npmi, _decimal(d["npmi"])))
    for i, ev in enumerate(json.loads(d.get("evidence") or "[]")):
        e = c + f"/evidence/{i}"
        g.add((c, NKG.evidence, e))
        g.add((e, RDF.type, NKG.Evidence))
        g.add((e, NKG.sentence, _zh(ev["sentence"])))
        g.add((e, PROV.wasDerivedFrom, article_iri(ev["article"])))


def _add_affiliation(g: Graph, u: str, v: str, d: dict) -> None:
    g.add((entity_iri(u), SDO.affiliation, entity_iri(v)))
    a = affiliation_iri(u, v)
    g.add((a, RDF.type, NKG.Affiliation))
    g.add((a, NKG.person, entity_iri(u)))
    g.add((a, NKG.organization, entity_iri(v)))
    g.add((a, NKG.articles, Literal(int(d.get("articles") or 0), datatype=XSD.integer)))
    if d.get("role"):
        g.add((a, NKG.role, _zh(str(d["role"]))))


def _add_article(g: Graph, rec: dict) -> None:
    s = article_iri(rec["id"])
    g.add((s, RDF.type, SDO.NewsArticle))
    g.add((s, SDO.identifier, Literal(rec["id"])))
    if rec.get("title"):
        g.add((s, SDO.headline, _zh(rec["title"])))
    _date(g, s, SDO.datePublished, str(rec.get("date") or ""))
    if rec.get("source"):
        g.add((s, NKG.source, Literal(rec["source"])))
    if rec.get("url"):
        g.add((s, SDO.url, Literal(rec["url"], datatype=XSD.anyURI)))
    if rec.get("duplicate_of"):
        g.add((s, NKG.duplicateOf, article_iri(rec["duplicate_of"])))


def to_rdf(G: nx.MultiDiGraph, articles: Iterable[dict] = (), mentions: Iterable[dict] = ()) -> Graph:
    """The RDF graph of ``G``, its articles and their mentions (records of the JSONL files).

    Parameters
    ----------
    G : the knowledge graph of :func:`graph.build.build`.
    articles : records of ``articles.jsonl`` (``id``, ``title``, ``date``, ...).
    mentions : records of ``mentions.jsonl`` (``article_id``, ``entity_id``, ...).

    Returns
    -------
    An ``rdflib.Graph`` with the prefixes of :data:`graph.vocab.PREFIXES` bound.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("place-湖北省", type="PLACE", label="湖北省", code="420000")
    >>> g = to_rdf(G)
    >>> (entity_iri("place-湖北省"), RDF.type, NKG.Province) in g
    True
    """
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    for node, d in sorted(G.nodes(data=True)):
        _add_entity(g, node, d)
    for u, v, d in sorted(G.edges(data=True), key=lambda e: (e[0], e[1], e[2]["kind"])):
        kind = d["kind"]
        if kind == "co_mention":
            _add_comention(g, u, v, d)
        elif kind == "contained_in":
            g.add((entity_iri(u), SDO.containedInPlace, entity_iri(v)))
        elif kind == "located_in":
            g.add((entity_iri(u), SDO.location, entity_iri(v)))
        elif kind == "affiliated_with":
            _add_affiliation(g, u, v, d)
    known = set()
    for rec in articles:
        _add_article(g, rec)
        known.add(rec["id"])
    for m in mentions:
        if m["article_id"] in known and m["entity_id"] in G:
            g.add((article_iri(m["article_id"]), SDO.mentions, entity_iri(m["entity_id"])))
    return g


def _records(path: Path) -> Iterable[dict]:
    if not path.is_file():
        return
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def write_rdf(G: nx.MultiDiGraph, out: str | Path, options: dict | None = None) -> None:
    """Write ``graph.ttl``, ``graph.nt`` (sorted lines) and ``graph.jsonld`` of a build into ``out``.

    Reads ``articles.jsonl`` and ``mentions.jsonl`` from ``out`` when they are there.
    A build registers this as one of its writers (``graph.build.WRITERS``).

    Examples
    --------
    >>> import networkx as nx, tempfile
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("org-全总", type="ORG", label="全总")
    >>> d = Path(tempfile.mkdtemp())
    >>> write_rdf(G, d)
    >>> sorted(p.name for p in d.iterdir())
    ['graph.jsonld', 'graph.nt', 'graph.ttl']
    """
    out = Path(out)
    g = to_rdf(G, _records(out / "articles.jsonl"), _records(out / "mentions.jsonl"))
    g.serialize(out / "graph.ttl", format="turtle", encoding="utf-8")
    lines = sorted(set(g.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()) - {""})
    (out / "graph.nt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    doc = json.loads(g.serialize(format="json-ld", context=dict(PREFIXES)))
    (out / "graph.jsonld").write_text(json.dumps(_sorted(doc), ensure_ascii=False, indent=1) + "\n", "utf-8")


def _sorted(value):
    """JSON-LD with its node lists and value arrays (unordered sets) sorted, so rebuilds are identical."""
    if isinstance(value, dict):
        return {k: _sorted(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return sorted(
            (_sorted(v) for v in value), key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True)
        )
    return value
