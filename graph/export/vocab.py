"""The RDF vocabulary of the export, declared once: namespaces, terms and IRIs.

Reused vocabularies: schema.org (``SDO``: Person, Organization, Place, Event,
NewsArticle, mentions, containedInPlace, location, affiliation, name, headline,
datePublished), SKOS (prefLabel, altLabel) and PROV (wasDerivedFrom). What they
lack lives in our own namespace :class:`NKG` (``https://newskg.org/ns#``),
described in ``graph/export/ontology.ttl``.

Entity and article IRIs are the base plus the id, quoted by :func:`iri_quote`:
letters of any script stay readable, everything an IRI cannot hold is
percent-encoded, so the same id always gives the same valid IRI. So are the
characters every parser does not read alike (issue #20): separators and format
characters (U+2028 ends a line for rdflib's N-Triples reader) and ``.`` (a final one
becomes ``article:news\\.`` in Turtle, which rdflib rejects).

>>> str(entity_iri("org-中华全国总工会"))
'https://newskg.org/id/org-中华全国总工会'
>>> str(entity_iri('person-a b"<>#'))
'https://newskg.org/id/person-a%20b%22%3C%3E%23'
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from newskg.graph.export.prefixes import PREFIXES
from rdflib import Namespace, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace

NS = PREFIXES["nkg"]
ID = Namespace(PREFIXES["id"])
ARTICLE = Namespace(PREFIXES["article"])
COMENTION = Namespace("https://newskg.org/comention/")
AFFILIATION = Namespace("https://newskg.org/affiliation/")
CAMPAIGN_PROVINCE = Namespace("https://newskg.org/campaign-province/")
MENTION = Namespace("https://newskg.org/mention/")
RECOGNISER = Namespace("https://newskg.org/recogniser/")


class NKG(DefinedNamespace):
    """Terms of ``https://newskg.org/ns#`` (see ``graph/export/ontology.ttl`` for their meaning)."""

    _NS = Namespace(NS)
    _fail = True

    # classes
    Campaign: URIRef
    CoMention: URIRef
    Evidence: URIRef
    Affiliation: URIRef
    CampaignInProvince: URIRef
    Province: URIRef
    Prefecture: URIRef
    County: URIRef
    Township: URIRef
    # co-mentions and their evidence
    entity: URIRef
    weight: URIRef
    articles: URIRef
    npmi: URIRef
    npmiRank: URIRef
    evidence: URIRef
    sentence: URIRef
    # affiliations
    person: URIRef
    organization: URIRef
    role: URIRef
    # entity statistics
    mentionCount: URIRef
    articleCount: URIRef
    firstDate: URIRef
    lastDate: URIRef
    adminCode: URIRef
    degree: URIRef
    weightedDegree: URIRef
    pagerank: URIRef
    betweenness: URIRef
    community: URIRef
    degreeRank: URIRef
    province: URIRef
    # campaigns by province
    campaign: URIRef
    links: URIRef
    # articles
    source: URIRef
    duplicateOf: URIRef
    continues: URIRef
    photographer: URIRef
    dateSource: URIRef
    entityCount: URIRef
    # mentions and what found them
    Mention: URIRef
    inArticle: URIRef
    ofEntity: URIRef
    modelSha256: URIRef
    trainingCommand: URIRef
    trainingCorpus: URIRef
    heldOutF1: URIRef


# Entity type (node attribute ``type``) -> RDF class.
CLASSES = {
    "PERSON": SDO.Person,
    "ORG": SDO.Organization,
    "PLACE": SDO.Place,
    "EVENT": SDO.Event,
    "CAMPAIGN": NKG.Campaign,
}
# Administrative level (``newskg.extract.recognition.divisions``) -> extra class of a place.
LEVEL_CLASSES = {1: NKG.Province, 2: NKG.Prefecture, 3: NKG.County, 4: NKG.Township}
# Prefixes bound in every serialisation and known to the query command: graph.export.prefixes, rdflib's own.
assert {k: PREFIXES[k] for k in ("schema", "skos", "prov", "rdf", "rdfs", "xsd")} == {
    "schema": str(SDO),
    "skos": str(SKOS),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}

# IRI characters allowed unencoded (RFC 3987 iunreserved): ASCII unreserved plus ucschar ranges.
_UCSCHAR = (
    (0xA0, 0xD7FF),
    (0xF900, 0xFDCF),
    (0xFDF0, 0xFFEF),
    *((p + 0x0000, p + 0xFFFD) for p in range(0x10000, 0xE0000, 0x10000)),
    (0xE1000, 0xEFFFD),
)
_ASCII_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_~")


def _keep(ch: str) -> bool:
    if ch in _ASCII_SAFE:
        return True
    cp = ord(ch)
    return (
        cp >= 0xA0
        and any(lo <= cp <= hi for lo, hi in _UCSCHAR)
        and unicodedata.category(ch)[0] not in "ZC"  # no separators, format or private-use characters
    )


@lru_cache(maxsize=1 << 16)  # an article's or an entity's id is quoted in many IRIs of a build
def iri_quote(text: str) -> str:
    """Quote ``text`` for one IRI path segment: readable Unicode kept, the rest percent-encoded.

    >>> iri_quote("安康杯 #1/2"), iri_quote("news."), iri_quote("a\u2028b")
    ('安康杯%20%231%2F2', 'news%2E', 'a%E2%80%A8b')
    """
    return "".join(
        ch if _keep(ch) else "".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass")) for ch in text
    )


def entity_iri(entity_id: str) -> URIRef:
    """The IRI of an entity (graph node) id."""
    return ID[iri_quote(entity_id)]


def article_iri(article_id: str) -> URIRef:
    """The IRI of an article id: ``https://newskg.org/article/<id>``."""
    return ARTICLE[iri_quote(article_id)]


def comention_iri(a: str, b: str) -> URIRef:
    """The IRI of the co-mention node of entities ``a`` and ``b`` (order-free)."""
    a, b = sorted((a, b))
    return COMENTION[f"{iri_quote(a)}/{iri_quote(b)}"]


def mention_iri(article_id: str, entity_id: str) -> URIRef:
    """The IRI of an article's mentions of one entity."""
    return MENTION[f"{iri_quote(article_id)}/{iri_quote(entity_id)}"]


def recogniser_iri(name: str) -> URIRef:
    """The IRI of a recogniser (``tagger``, a rule such as ``people.byline``), a prov:SoftwareAgent."""
    return RECOGNISER[iri_quote(name)]


def affiliation_iri(person: str, org: str) -> URIRef:
    """The IRI of the affiliation node of ``person`` with ``org``."""
    return AFFILIATION[f"{iri_quote(person)}/{iri_quote(org)}"]


def campaign_province_iri(campaign: str, province: str) -> URIRef:
    """The IRI of the node that counts ``campaign``'s links into ``province`` (nkg:CampaignInProvince)."""
    return CAMPAIGN_PROVINCE[f"{iri_quote(campaign)}/{iri_quote(province)}"]
