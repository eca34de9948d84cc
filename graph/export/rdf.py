"""The knowledge graph as RDF: Turtle, N-Triples and JSON-LD, in the vocabulary of :mod:`graph.export.vocab`.

Each entity is a ``schema:Person``, ``schema:Organization``, ``schema:Place``,
``schema:Event`` or ``nkg:Campaign`` with ``schema:name``, ``skos:prefLabel`` and
``rdfs:label`` (``@zh``; generic RDF tools show ``rdfs:label``) and one ``skos:altLabel``
an alias. Structural edges become
``schema:containedInPlace`` (place in place), ``schema:location`` (organisation
in place) and ``schema:affiliation`` (person with organisation; the role, when
known, on an ``nkg:Affiliation`` node). A co-mention is an ``nkg:CoMention`` node
with its two ``nkg:entity``, ``nkg:weight``, ``nkg:articles``, ``nkg:npmi`` and
``nkg:evidence`` nodes holding the sentence and ``prov:wasDerivedFrom`` its article.
Articles are ``schema:NewsArticle`` with ``schema:datePublished`` (``xsd:date``, or
``xsd:gMonthDay`` when no source gave the year) and ``nkg:dateSource`` saying where the date
came from (``inferred`` for a year read from the text: :mod:`extract.ingestion.dates`), ``schema:mentions``
of their entities, the byline's
people as ``schema:author`` (记者) or ``schema:contributor`` (通讯员; a photographer, 摄, also
``nkg:photographer``), the agency of an agency byline (新华社记者) as
``schema:sourceOrganization``, and ``nkg:continues`` from the new passages of a near-duplicate
to the article it continues.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("org-全总", type="ORG", label="全总", aliases="")
>>> g = to_rdf(G)
>>> print(g.value(entity_iri("org-全总"), SKOS.prefLabel))
全总
"""

from __future__ import annotations

import heapq
import json
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Container, Iterable, Iterator
from contextlib import ExitStack
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import networkx as nx
from newskg.extract.ingestion.dates import SOURCES
from newskg.extract.recognition import divisions
from newskg.extract.recognition.reporters import credit
from newskg.extract.recognition.tagger import card as tagger_card
from newskg.extract.records import entity_id
from newskg.graph.builddir import BuildDir
from newskg.graph.export import vocab
from newskg.graph.export.graphdb import comentions, edges_by_key, nodes_by_degree, nodes_by_id
from newskg.graph.export.vocab import (
    CLASSES,
    LEVEL_CLASSES,
    NKG,
    PREFIXES,
    affiliation_iri,
    campaign_province_iri,
    comention_iri,
    mention_iri,
    recogniser_iri,
)
from newskg.graph.query.sparql import PERSIST_BYTES, persist_store
from rdflib import Graph
from rdflib.namespace import PROV, RDF, RDFS, SDO, SKOS, XSD

# The triples are made as N-Triples text: each term is its N-Triples form (``<iri>``, ``"text"@zh``,
# ``"3"^^<...#integer>``), so a triple is one line with no rdflib object in between. On the files of
# 10,000 generated articles, making the triples took half of the writer's time under the profiler, most of
# it rdflib terms and their conversion to text (issue #21).


class _Terms:
    """A namespace's terms in N-Triples form (``<iri>``), each made once."""

    def __init__(self, ns) -> None:
        self._ns = ns

    def __getattr__(self, name: str) -> str:
        term = f"<{getattr(self._ns, name)}>"
        setattr(self, name, term)
        return term


_rdf, _rdfs, _nkg, _prov, _sdo, _skos, _xsd = (_Terms(ns) for ns in (RDF, RDFS, NKG, PROV, SDO, SKOS, XSD))
_CLASSES = {kind: f"<{iri}>" for kind, iri in CLASSES.items()}
_LEVEL_CLASSES = {level: f"<{iri}>" for level, iri in LEVEL_CLASSES.items()}
# Entities and articles are named many times over (edges, evidence, mentions): quote their IRIs once.
entity_iri = lru_cache(maxsize=1 << 18)(vocab.entity_iri)
_entity = lru_cache(maxsize=1 << 18)(lambda entity_id: f"<{vocab.entity_iri(entity_id)}>")
_article = lru_cache(maxsize=1 << 18)(lambda article_id: f"<{vocab.article_iri(article_id)}>")

# N-Triples lines sorted in memory at a time; more are sorted in runs on disk and merged.
SORT_RUN = 500_000
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH_DAY = re.compile(r"^--\d{2}-\d{2}$")  # a date without its year (the page did not say)
# Node attribute -> (property, datatype) of the numeric statistics exported per entity.
_STATS = {
    "mentions": (_nkg.mentionCount, _xsd.integer),
    "articles": (_nkg.articleCount, _xsd.integer),
    "degree": (_nkg.degree, _xsd.integer),
    "weighted_degree": (_nkg.weightedDegree, _xsd.integer),
    "pagerank": (_nkg.pagerank, _xsd.decimal),
    "betweenness": (_nkg.betweenness, _xsd.decimal),
    "community": (_nkg.community, _xsd.integer),
}


# Node attribute -> property of a division's point (schema.org gives a Place its latitude and longitude).
_POINT = {"latitude": (_sdo.latitude, _xsd.decimal), "longitude": (_sdo.longitude, _xsd.decimal)}

_ESCAPE = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_ESCAPES = re.compile(r'[\\"\n\r]')


def _text(text: str, lang: str = "") -> str:
    """A string literal in N-Triples form, tagged ``lang`` if given.

    >>> print(_text('say "hi"'), _text("全总", "zh"))
    "say \\"hi\\"" "全总"@zh
    """
    if _ESCAPES.search(text):
        text = _ESCAPES.sub(lambda m: _ESCAPE[m.group()], text)
    return f'"{text}"@{lang}' if lang else f'"{text}"'


def _zh(text: str) -> str:
    return _text(text, "zh")


def _typed(text: str, datatype: str) -> str:
    return f"{_text(text)}^^{datatype}"


def _int(value) -> str:
    return f'"{int(value)}"^^{_xsd.integer}'


def _date(g, s: str, p: str, value: str) -> None:
    if _DATE.match(value):
        g.add((s, p, _typed(value, _xsd.date)))
    elif _MONTH_DAY.match(value):
        g.add((s, p, _typed(value, _xsd.gMonthDay)))


def _decimal(value) -> str:
    """An exact xsd:decimal (rdflib writes xsd:double in Turtle with six digits only)."""
    return _typed(format(Decimal(repr(float(value))), "f"), _xsd.decimal)


def _number(value, datatype: str) -> str | None:
    if value is None or value == "":
        return None
    if datatype == _xsd.decimal:
        return _decimal(value)
    return f'"{int(value)}"^^{datatype}'


def degree_ranks(G) -> Iterator[tuple[str, int]]:
    """``(id, rank)`` of every entity: its rank (1 first) among the entities of its type by degree,
    then weighted degree (both descending), then name and id. It is the order of
    ``top_organisations.rq``, stored as ``nkg:degreeRank`` so that the query reads 20 ranks where
    it sorted every organisation (issue #21). Streamed from a build's ``graph.sqlite`` (SQLite sorts).

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("org-b", type="ORG", label="b", degree=2, weighted_degree=3)
    >>> G.add_node("org-a", type="ORG", label="a", degree=2, weighted_degree=3)
    >>> G.add_node("person-c", type="PERSON", label="c", degree=9, weighted_degree=9)
    >>> list(degree_ranks(G))
    [('org-a', 1), ('org-b', 2), ('person-c', 1)]
    """
    last, rank = None, 0
    for kind, node in nodes_by_degree(G):
        rank = rank + 1 if kind == last else 1
        last = kind
        yield node, rank


# nkg:npmiRank is stored for this many co-mentions of each weight (the first by NPMI).
NPMI_RANKS = 100


class _Last:
    """A sort key reversed, so that :mod:`heapq`'s smallest item is the largest key."""

    __slots__ = ("key",)

    def __init__(self, key: tuple) -> None:
        self.key = key

    def __lt__(self, other: _Last) -> bool:
        return self.key > other.key


def npmi_ranks(
    comentions: Iterable[tuple[str, str, int, float, str, str]], keep: int = NPMI_RANKS
) -> dict[tuple[str, str], int]:
    """The rank (1 first) of each co-mention ``(u, v, weight, npmi, label of u, label of v)`` among
    those of its weight, by NPMI (descending), then the names of its two entities (the one of the
    lesser IRI first), then their IRIs; only the first ``keep`` of each weight. Keys are ``(u, v)``.

    ``top_npmi.rq`` wants the 25 strongest co-mentions by NPMI of at least a given weight: each of
    them is among the first 25 of its own weight, so the query looks up ranks 1 to 25 (a few
    thousand co-mentions: there are a few hundred distinct weights) instead of sorting every
    co-mention (issue #21). Memory: ``keep`` per weight.

    >>> rows = [("a", "b", 2, 0.5, "A", "B"), ("a", "c", 2, 0.9, "A", "C"), ("b", "c", 3, 0.1, "B", "C")]
    >>> npmi_ranks(rows) == {("a", "c"): 1, ("a", "b"): 2, ("b", "c"): 1}
    True
    """
    heaps: dict[int, list[_Last]] = {}
    for u, v, weight, npmi, label_u, label_v in comentions:
        iri_u, iri_v = str(entity_iri(u)), str(entity_iri(v))
        if iri_v < iri_u:
            iri_u, iri_v, label_u, label_v = iri_v, iri_u, label_v, label_u
        key = (-float(npmi), str(label_u), str(label_v), iri_u, iri_v, u, v)
        heap = heaps.setdefault(int(weight), [])
        if len(heap) < keep:
            heapq.heappush(heap, _Last(key))
        elif key < heap[0].key:
            heapq.heapreplace(heap, _Last(key))
    ranks = {}
    for heap in heaps.values():
        for rank, item in enumerate(sorted(item.key for item in heap), start=1):
            ranks[item[-2:]] = rank
    return ranks


def _add_entity(g, node: str, d: dict) -> int | None:
    """The triples of an entity; returns its administrative level when it is a division of China."""
    s = _entity(node)
    g.add((s, _rdf.type, _CLASSES[d["type"]]))
    g.add((s, _sdo.identifier, _text(node)))
    g.add((s, _sdo.name, _zh(d["label"])))
    g.add((s, _skos.prefLabel, _zh(d["label"])))
    g.add((s, _rdfs.label, _zh(d["label"])))
    for alias in filter(None, str(d.get("aliases") or "").split("|")):
        g.add((s, _skos.altLabel, _zh(alias)))
    for attr, (prop, datatype) in (_STATS | _POINT).items():
        lit = _number(d.get(attr), datatype)
        if lit is not None:
            g.add((s, prop, lit))
    _date(g, s, _nkg.firstDate, str(d.get("first_date") or ""))
    _date(g, s, _nkg.lastDate, str(d.get("last_date") or ""))
    code = str(d.get("code") or "")
    if code:
        g.add((s, _nkg.adminCode, _text(code)))
        division = divisions.by_code(code)
        if division and division.level in LEVEL_CLASSES:
            g.add((s, _rdf.type, _LEVEL_CLASSES[division.level]))
            return division.level
    return None


def provinces_of(
    parents: dict[str, list[str]], located: dict[str, list[str]], provinces: set[str]
) -> Iterator[tuple[str, str]]:
    """``(entity, province)`` for each place inside a province at any depth (``parents``: a place's
    ``contained_in`` targets), a province itself, and each organisation located in such a place
    (``located``: its ``located_in`` targets): what ``schema:containedInPlace*`` and
    ``schema:location`` reach. Stored as ``nkg:province``, so that ``campaigns_by_province.rq``
    reads one triple where it walked the hierarchy for every co-mention (issue #21).

    >>> parents = {"place-某县": ["place-某市"], "place-某市": ["place-某省"]}
    >>> pairs = sorted(provinces_of(parents, {"org-某厂": ["place-某县"]}, {"place-某省"}))
    >>> [entity for entity, _ in pairs], {province for _, province in pairs}
    (['org-某厂', 'place-某县', 'place-某市', 'place-某省'], {'place-某省'})
    """
    memo: dict[str, frozenset[str]] = {}

    def reach(place: str, path: frozenset[str] = frozenset()) -> frozenset[str]:
        if place not in memo:
            if place in path:  # a cycle (no real hierarchy has one): stop there
                return frozenset()
            up = frozenset({place}) & provinces
            for parent in parents.get(place, ()):
                up |= reach(parent, path | {place})
            memo[place] = up
        return memo[place]

    for place in sorted(set(parents) | provinces):
        for prov in sorted(reach(place)):
            yield place, prov
    for org, places in located.items():
        for prov in sorted(frozenset().union(*(reach(p) for p in places))):
            yield org, prov


def campaign_provinces(
    partners: dict[str, set[str]], province_of: dict[str, list[str]]
) -> Iterator[tuple[str, str, int]]:
    """``(campaign, province, links)``: for each campaign of ``partners`` (the entities it is
    co-mentioned with), the number of those entities that lie in each province (``province_of``,
    the ``nkg:province`` of :func:`provinces_of`). Stored as ``nkg:CampaignInProvince`` nodes, so
    that ``campaigns_by_province.rq`` reads one node per row where it joined every co-mention of
    every campaign (3.1 to 3.9 s at 50,000 articles, issue #21).

    >>> partners = {"campaign-安康杯": {"org-某厂", "place-某县", "person-某人"}}
    >>> province_of = {"org-某厂": ["place-某省"], "place-某县": ["place-某省"]}
    >>> list(campaign_provinces(partners, province_of))
    [('campaign-安康杯', 'place-某省', 2)]
    """
    for campaign in sorted(partners):
        links = Counter(prov for via in partners[campaign] for prov in province_of.get(via, ()))
        for prov, n in sorted(links.items()):
            yield campaign, prov, n


def _add_campaign_province(g, campaign: str, prov: str, links: int) -> None:
    node = f"<{campaign_province_iri(campaign, prov)}>"
    g.add((node, _rdf.type, _nkg.CampaignInProvince))
    g.add((node, _nkg.campaign, _entity(campaign)))
    g.add((node, _nkg.province, _entity(prov)))
    g.add((node, _nkg.links, _int(links)))


def _add_comention(g, u: str, v: str, d: dict) -> None:
    iri = comention_iri(u, v)
    c = f"<{iri}>"
    g.add((c, _rdf.type, _nkg.CoMention))
    g.add((c, _nkg.entity, _entity(u)))
    g.add((c, _nkg.entity, _entity(v)))
    g.add((c, _nkg.weight, _int(d["weight"])))
    g.add((c, _nkg.articles, _int(d["articles"])))
    g.add((c, _nkg.npmi, _decimal(d["npmi"])))
    for i, ev in enumerate(json.loads(d.get("evidence") or "[]")):
        e = f"<{iri}/evidence/{i}>"
        g.add((c, _nkg.evidence, e))
        g.add((e, _rdf.type, _nkg.Evidence))
        g.add((e, _nkg.sentence, _zh(ev["sentence"])))
        g.add((e, _prov.wasDerivedFrom, _article(ev["article"])))


def _add_affiliation(g, u: str, v: str, d: dict) -> None:
    g.add((_entity(u), _sdo.affiliation, _entity(v)))
    a = f"<{affiliation_iri(u, v)}>"
    g.add((a, _rdf.type, _nkg.Affiliation))
    g.add((a, _nkg.person, _entity(u)))
    g.add((a, _nkg.organization, _entity(v)))
    g.add((a, _nkg.articles, _int(d.get("articles") or 0)))
    if d.get("role"):
        g.add((a, _nkg.role, _zh(str(d["role"]))))


# What a byline role makes a person of the article (extract.recognition.reporters.credit) -> properties.
_CREDITS = {
    "author": (_sdo.author,),
    "contributor": (_sdo.contributor,),
    "photographer": (_sdo.contributor, _nkg.photographer),
}


def _add_article(g, rec: dict, nodes: Container[str] = ()) -> None:
    s = _article(rec["id"])
    g.add((s, _rdf.type, _sdo.NewsArticle))
    g.add((s, _sdo.identifier, _text(rec["id"])))
    if rec.get("title"):
        g.add((s, _sdo.headline, _zh(rec["title"])))
        g.add((s, _rdfs.label, _zh(rec["title"])))
    _date(g, s, _sdo.datePublished, str(rec.get("date") or ""))
    if rec.get("date_source") in SOURCES:
        g.add((s, _nkg.dateSource, _text(rec["date_source"])))
    if rec.get("source"):
        g.add((s, _nkg.source, _text(rec["source"])))
    if rec.get("url"):
        g.add((s, _sdo.url, _typed(rec["url"], _xsd.anyURI)))
    if rec.get("duplicate_of"):
        g.add((s, _nkg.duplicateOf, _article(rec["duplicate_of"])))
    if rec.get("continues"):
        g.add((s, _nkg.continues, _article(rec["continues"])))
    _add_byline(g, s, rec, nodes)


def _add_byline(g, s, rec: dict, nodes: Container[str]) -> None:
    """schema:author, schema:contributor (nkg:photographer) and schema:sourceOrganization of an article."""
    byline = rec.get("byline")
    for person in byline if isinstance(byline, list) else ():
        if not isinstance(person, dict):
            continue
        pid = entity_id("PERSON", str(person.get("name") or ""))
        if pid in nodes:
            for prop in _CREDITS[credit(str(person.get("role") or ""))]:
                g.add((s, prop, _entity(pid)))
    agency = str(rec.get("agency") or "")
    if agency and (oid := entity_id("ORG", agency)) in nodes:
        g.add((s, _sdo.sourceOrganization, _entity(oid)))


def to_rdf(G: nx.MultiDiGraph, articles: Iterable[dict] = (), mentions: Iterable[dict] = ()) -> Graph:
    """The RDF graph of ``G``, its articles and their mentions (records of the JSONL files).

    Parameters
    ----------
    G : the knowledge graph of :func:`newskg.graph.building.build.build`.
    articles : records of ``articles.jsonl`` (``id``, ``title``, ``date``, ...).
    mentions : records of ``mentions.jsonl`` (``article_id``, ``entity_id``, ...).

    Returns
    -------
    An ``rdflib.Graph`` with the prefixes of :data:`newskg.graph.export.vocab.PREFIXES` bound.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("place-湖北省", type="PLACE", label="湖北省", code="420000")
    >>> g = to_rdf(G)
    >>> (entity_iri("place-湖北省"), RDF.type, NKG.Province) in g
    True
    """
    lines = _Lines()
    _populate(lines, G, articles, mentions)
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g.parse(data="\n".join(lines), format="nt")


class _Lines(list):
    """N-Triples lines, in the order they are added (duplicates kept)."""

    def add(self, triple: tuple[str, str, str]) -> None:
        s, p, o = triple
        self.append(f"{s} {p} {o} .")


def _populate(g, G: nx.MultiDiGraph, articles: Iterable[dict], mentions: Iterable[dict]) -> None:
    """Add the triples of ``G``, its articles and mentions to ``g`` (anything with ``add(triple)``), each
    term in its N-Triples form."""
    provinces: set[str] = set()
    campaigns: set[str] = set()
    for node, d in nodes_by_id(G):
        if _add_entity(g, node, d) == 1:
            provinces.add(node)
        if d["type"] == "CAMPAIGN":
            campaigns.add(node)
    parents: dict[str, list[str]] = {}  # contained_in and located_in targets: for nkg:province
    located: dict[str, list[str]] = {}
    partners: dict[str, set[str]] = {}  # a campaign's co-mentioned entities: for nkg:CampaignInProvince
    for node, rank in degree_ranks(G):  # the lines are sorted at the end: no need to hold the ranks
        g.add((_entity(node), _nkg.degreeRank, _int(rank)))
    for (u, v), rank in npmi_ranks(comentions(G)).items():
        g.add((f"<{comention_iri(u, v)}>", _nkg.npmiRank, _int(rank)))
    for u, v, d in edges_by_key(G):
        kind = d["kind"]
        if kind == "co_mention":
            _add_comention(g, u, v, d)
            for c, other in ((u, v), (v, u)):
                if c in campaigns and other != c:
                    partners.setdefault(c, set()).add(other)
        elif kind == "contained_in":
            g.add((_entity(u), _sdo.containedInPlace, _entity(v)))
            parents.setdefault(u, []).append(v)
        elif kind == "located_in":
            g.add((_entity(u), _sdo.location, _entity(v)))
            located.setdefault(u, []).append(v)
        elif kind == "affiliated_with":
            _add_affiliation(g, u, v, d)
    province_of: dict[str, list[str]] = {}
    linked = set().union(*partners.values())
    for node, prov in provinces_of(parents, located, provinces):
        g.add((_entity(node), _nkg.province, _entity(prov)))
        if node in linked:
            province_of.setdefault(node, []).append(prov)
    for campaign, prov, links in campaign_provinces(partners, province_of):
        _add_campaign_province(g, campaign, prov, links)
    known, nodes = set(), set(G)
    for rec in articles:
        _add_article(g, rec, nodes)
        known.add(rec["id"])
    found: dict[tuple[str, str], Counter] = {}  # (article, entity) -> recognisers, one article at a time
    agents: set[str] = set()
    counted: set[str] = set()  # articles given their nkg:entityCount
    for m in mentions:
        if m["article_id"] in known and m["entity_id"] in nodes and m.get("field") != "byline":
            g.add((_article(m["article_id"]), _sdo.mentions, _entity(m["entity_id"])))
            if found and next(iter(found))[0] != m["article_id"]:
                _add_mentions(g, found, agents, counted)
            found.setdefault((m["article_id"], m["entity_id"]), Counter())[
                m.get("recogniser") or "unknown"
            ] += 1
    _add_mentions(g, found, agents, counted)
    for aid in sorted(known - counted):  # an article that names no entity
        g.add((_article(aid), _nkg.entityCount, _int(0)))
    for name in sorted(agents):
        _add_recogniser(g, name)


def _add_mentions(g, found: dict[tuple[str, str], Counter], agents: set[str], counted: set[str]) -> None:
    """One nkg:Mention node per (article, entity): its count, and prov:wasAttributedTo each
    recogniser that found one of the mentions; and each article's ``nkg:entityCount``, the number
    of entities it mentions (``entity_timeline.rq`` reads it where it counted them, issue #21)."""
    for aid, n in sorted(Counter(aid for aid, _ in found).items()):
        g.add((_article(aid), _nkg.entityCount, _int(n)))
        counted.add(aid)
    for (aid, eid), by in sorted(found.items()):
        node = f"<{mention_iri(aid, eid)}>"
        g.add((node, _rdf.type, _nkg.Mention))
        g.add((node, _nkg.inArticle, _article(aid)))
        g.add((node, _nkg.ofEntity, _entity(eid)))
        g.add((node, _nkg.mentionCount, _int(sum(by.values()))))
        for name in sorted(by):
            g.add((node, _prov.wasAttributedTo, f"<{recogniser_iri(name)}>"))
            agents.add(name)
    found.clear()


def _add_recogniser(g, name: str) -> None:
    """A recogniser as a prov:SoftwareAgent; the tagger with its model card (corpora, terms,
    training command and commit, held-out scores)."""
    node = f"<{recogniser_iri(name)}>"
    g.add((node, _rdf.type, _prov.SoftwareAgent))
    g.add((node, _rdfs.label, _text(_RECOGNISER_LABELS.get(name.partition(".")[0], f"rule {name}"), "en")))
    if name != "tagger":
        return
    card = tagger_card()
    g.add((node, _nkg.modelSha256, _text(card["sha256"])))
    g.add((node, _nkg.trainingCommand, _text(f"{card['command']} at commit {card['commit']}")))
    for c in card["corpora"]:
        g.add((node, _nkg.trainingCorpus, _text(f"{c['file']} ({c['sentences']} sentences): {c['terms']}")))
    for corpus, scores in sorted(card["scores"].items()):
        g.add((node, _nkg.heldOutF1, _text(f"{corpus} ALL {scores['ALL']}")))


_RECOGNISER_LABELS = {
    "tagger": "newskg CRF tagger (python-crfsuite), trained by newskg train",
    "people": "newskg rule: people",
    "orgs": "newskg rule: organisations",
    "places": "newskg rule: places and divisions",
    "campaigns": "newskg rule: campaigns",
    "events": "newskg rule: events",
}


VOCABULARY = ("ontology.ttl", "shapes.ttl")


def write_vocabulary(G: nx.MultiDiGraph, out: str | Path, options: dict | None = None) -> None:
    """Copy the ontology and the SHACL shapes (``ontology.ttl``, ``shapes.ttl``) into ``out``.

    A build is then self-describing: its RDF, the meaning of the ``nkg:`` terms and the
    shapes it conforms to travel together. A build writer (``newskg.graph.building.build.WRITERS``).

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> write_vocabulary(nx.MultiDiGraph(), d)
    >>> sorted(p.name for p in d.iterdir())
    ['ontology.ttl', 'shapes.ttl']
    """
    for name in VOCABULARY:
        shutil.copyfile(Path(__file__).with_name(name), Path(out) / name)


def _records(path: Path) -> Iterable[dict]:
    if not path.is_file():
        return
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def write_rdf(G: nx.MultiDiGraph, out: str | Path, options: dict | None = None) -> None:
    """Write ``graph.nt`` (sorted lines), ``graph.ttl`` and ``graph.jsonld`` of a build into ``out``.

    The triples are those of :func:`to_rdf`, written as N-Triples lines; JSON-LD is written
    from the same sorted lines, one node object a line with the prefixes as its context, and
    pyoxigraph turns the N-Triples file into Turtle. Rebuilds give byte-identical files. Reads
    ``articles.jsonl`` and ``mentions.jsonl`` from ``out`` when they are there. A build
    registers this as one of its writers (``newskg.graph.building.build.WRITERS``). Above
    :data:`newskg.graph.query.sparql.PERSIST_BYTES` of N-Triples it also writes the Oxigraph store
    ``oxigraph/`` that queries open read-only.

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
    import pyoxigraph as ox

    out = Path(out)
    nt = BuildDir(out).ntriples
    with tempfile.TemporaryDirectory(dir=out, prefix=".rdf-") as scratch:
        sink = _NTriples(Path(scratch))
        _populate(sink, G, _records(BuildDir(out).articles), _records(BuildDir(out).mentions))
        # One pass over the sorted lines, as a stream (memory does not grow with the number of
        # triples), writes the N-Triples and the JSON-LD, one node a line.
        with open(nt, "w", encoding="utf-8") as f, open(BuildDir(out).jsonld, "w", encoding="utf-8") as j:
            j.write('{"@context": ' + json.dumps(PREFIXES) + ',\n "@graph": [\n')
            nodes = _jsonld_nodes(_tee(sink.sorted_lines(), f))
            j.writelines(sep + node for sep, node in _separated(nodes))
            j.write("\n]}\n")
    ox.serialize(
        ox.parse(path=str(nt), format=ox.RdfFormat.N_TRIPLES),
        str(BuildDir(out).turtle),
        format=ox.RdfFormat.TURTLE,
        prefixes=PREFIXES,
    )
    if nt.stat().st_size > PERSIST_BYTES:  # queries open it read-only: readers never write (issue #20)
        persist_store(nt, BuildDir(out).store)


class _NTriples:
    """Collects N-Triples lines (deduplicated) through an ``add`` like rdflib Graph's, without a Graph.

    On a build of 1,000 generated articles (468,253 triples) an rdflib Graph and its
    Turtle and JSON-LD writers took 86 s; these lines, pyoxigraph's Turtle writer and
    the JSON-LD of :func:`_jsonld_nodes` take 16 s. Above ``chunk`` lines, sorted runs go
    to files in ``scratch`` and are merged (an external sort), so memory stays bounded.
    """

    def __init__(self, scratch: Path, chunk: int | None = None) -> None:
        self.lines: set[str] = set()
        self.scratch, self.chunk = scratch, chunk or SORT_RUN
        self.runs: list[Path] = []

    def add(self, triple) -> None:
        s, p, o = triple
        self.lines.add(f"{s} {p} {o} .")
        if len(self.lines) >= self.chunk:
            self._spill()

    def _spill(self) -> None:
        path = self.scratch / f"run-{len(self.runs)}.nt"
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(line + "\n" for line in sorted(self.lines))
        self.runs.append(path)
        self.lines = set()

    def sorted_lines(self) -> Iterator[str]:
        """Every line once, sorted: held in memory, or merged from sorted runs of ``chunk`` lines."""
        if not self.runs:
            yield from sorted(self.lines)
            return
        self._spill()
        with ExitStack() as files:
            runs = [(line[:-1] for line in files.enter_context(open(p, encoding="utf-8"))) for p in self.runs]
            last = None
            for line in heapq.merge(*runs):
                if line != last:
                    yield line
                    last = line


_NAMESPACES = tuple(PREFIXES.values())
_XSD_STRING = f"^^<{XSD.string}>"


def _compact(iri: str) -> str:
    if not iri.startswith(_NAMESPACES):  # a co-mention's, a mention's: no prefix of ours
        return iri
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _tee(lines: Iterable[str], f) -> Iterator[str]:
    """``lines``, each written to ``f`` (with its newline) as it passes."""
    for line in lines:
        f.write(line + "\n")
        yield line


def _separated(items: Iterable) -> Iterator[tuple[str, object]]:
    """``(separator, item)``: nothing before the first item, a comma and a newline before the others."""
    sep = ""
    for item in items:
        yield sep, item
        sep = ",\n"


# What json.dumps escapes in a string (besides non-ASCII, which it keeps with ensure_ascii=False).
_JSON_ESCAPED = re.compile(r'["\\\x00-\x1f]')
_CONTROL = re.compile(r"[\x00-\x1f]")


def _json_str(text: str) -> str:
    """``json.dumps(text, ensure_ascii=False)``, without the encoder for the text that needs no escape.

    >>> _json_str("id:org-全总"), _json_str('a"b')
    ('"id:org-全总"', '"a\\\\"b"')
    """
    return f'"{text}"' if not _JSON_ESCAPED.search(text) else json.dumps(text, ensure_ascii=False)


def _jsonld_value(term: str, key) -> str:
    """The JSON-LD value, as JSON text, of an object in N-Triples form (an IRI, or a literal as
    :func:`_text` writes it); ``key`` gives an IRI's compact form as a JSON string."""
    if term[0] == "<":
        return '{"@id": ' + key(term[1:-1]) + "}"
    end = term.rindex('"')
    # N-Triples' four escapes (of a backslash, a quote, a newline, a return) are JSON's, so a literal
    # with no other control character is its own JSON string; one with a tab, say, is decoded and
    # encoded again (json.dumps escapes it, N-Triples holds it as it is).
    value = term[: end + 1]
    if _CONTROL.search(value):
        value = json.dumps(json.loads(value, strict=False), ensure_ascii=False)
    suffix = term[end + 1 :]
    if suffix.startswith("@"):
        return '{"@value": ' + value + ', "@language": ' + _json_str(suffix[1:]) + "}"
    if not suffix or suffix == _XSD_STRING:
        return '{"@value": ' + value + "}"
    return '{"@value": ' + value + ', "@type": ' + key(suffix[3:-1]) + "}"


def _jsonld_nodes(lines: Iterable[str]) -> Iterator[str]:
    """Compact JSON-LD node objects (IRIs as ``prefix:local``) of sorted N-Triples lines as
    :func:`_populate` makes them (no blank node, no space in an IRI), one by one, each as the
    text ``json.dumps(node, ensure_ascii=False)`` gives. The text is made here, the literals'
    N-Triples escapes kept as JSON's: decoding each literal and encoding it again took a third
    of the RDF writer at 10,000 articles under the profiler (issue #21).

    >>> lines = ['<https://newskg.org/id/org-a> <https://schema.org/name> "全总"@zh .']
    >>> list(_jsonld_nodes(lines))
    ['{"@id": "id:org-a", "schema:name": [{"@value": "全总", "@language": "zh"}]}']
    """
    key = lru_cache(maxsize=65536)(lambda iri: _json_str(_compact(iri)))  # predicates, classes... repeat
    rdf_type = f"<{RDF.type}>"
    node: dict[str, list[str]] | None = None
    subject = last = None
    for line in lines:
        s, predicate, obj = line[:-2].split(" ", 2)
        if s != last:
            if node is not None:
                yield _node_text(subject, node)
            last, subject, node = s, _json_str(_compact(s[1:-1])), {}
        if predicate == rdf_type:
            node.setdefault('"@type"', []).append(key(obj[1:-1]))
        else:
            node.setdefault(key(predicate[1:-1]), []).append(_jsonld_value(obj, key))
    if node is not None:
        yield _node_text(subject, node)


def _node_text(subject: str, node: dict[str, list[str]]) -> str:
    members = ", ".join(f"{k}: [{', '.join(values)}]" for k, values in node.items())
    return '{"@id": ' + subject + ", " + members + "}"
