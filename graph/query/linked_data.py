"""The build as Linked Data: what ``newskg serve`` answers for an entity's IRI and the ontology's.

An entity IRI ``https://newskg.org/id/<id>`` is served at ``/id/<id>``: an RDF client
gets the entity's triples, the labels of what they point to and the labelled things
that point to it (Turtle, N-Triples, RDF/XML or JSON-LD by ``Accept``; Turtle to
``*/*``); a browser (``text/html`` first) is sent to its page ``/entities/<id>.html``
(303 See Other). The ontology ``https://newskg.org/ns#`` is served at ``/ns`` from the
build's ``ontology.ttl``.

>>> representation("text/html,application/xhtml+xml,*/*;q=0.8"), representation("text/turtle, */*;q=0.1")
('html', 'turtle')
>>> entity_id_of("/id/org-%E5%85%A8%E6%80%BB")
'org-全总'
"""

from __future__ import annotations

import contextlib
from urllib.parse import unquote

from newskg.graph.export.vocab import entity_iri

ONTOLOGY_PATH = "/ns"
ENTITY_PREFIX = "/id/"
HTML_TYPES = ("text/html", "application/xhtml+xml")
# Media types of RDF -> syntax (sparql.GRAPH_FORMATS); anything else an RDF client may take gets Turtle.
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/turtle": "turtle",
    "application/x-turtle": "turtle",
    "text/n3": "turtle",
    "text/rdf+n3": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/rdf+xml": "rdfxml",
    "application/xml": "rdfxml",
    "text/xml": "rdfxml",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
}
WILDCARDS = ("*/*", "text/*", "application/*")


def accepted(header: str) -> list[str]:
    """Media types of an ``Accept`` header, best first (q-values honoured, q=0 dropped).

    >>> accepted("text/csv;q=0.5, application/json")
    ['application/json', 'text/csv']
    """
    items = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                with contextlib.suppress(ValueError):
                    q = float(f[2:])
        if fields[0] and q > 0:
            items.append((-q, i, fields[0].lower()))
    return [m for _, _, m in sorted(items)]


def representation(accept: str) -> str | None:
    """``html``, or the RDF syntax an ``Accept`` header prefers for a resource; None if it takes neither."""
    for media in accepted(accept or "*/*"):
        if media in HTML_TYPES:
            return "html"
        if media in RDF_TYPES:
            return RDF_TYPES[media]
        if media in WILDCARDS:
            return "turtle"
    return None


def entity_id_of(path: str) -> str | None:
    """The entity id of a URL path ``/id/<id>`` (percent-decoded); None for any other path."""
    if not path.startswith(ENTITY_PREFIX):
        return None
    eid = unquote(path[len(ENTITY_PREFIX) :])
    return eid if eid and "/" not in eid and "\x00" not in eid else None


def describe_query(entity_id: str) -> str:
    """A CONSTRUCT of the entity's own triples, the labels of their objects, and what names it, labelled.

    Articles that mention the entity are left out (thousands for a common place): query
    ``?a schema:mentions <iri>`` for them.

    >>> "<https://newskg.org/id/org-全总>" in describe_query("org-全总")
    True
    """
    iri = f"<{entity_iri(entity_id)}>"  # quoted by iri_quote: nothing in it can end the IRI
    return f"""CONSTRUCT {{ {iri} ?p ?o . ?o rdfs:label ?ol . ?s ?q {iri} . ?s rdfs:label ?sl }}
WHERE {{
  {{ {iri} ?p ?o OPTIONAL {{ ?o rdfs:label ?ol }} }}
  UNION
  {{ ?s ?q {iri} . ?s rdfs:label ?sl FILTER(?q != schema:mentions) }}
}}"""
