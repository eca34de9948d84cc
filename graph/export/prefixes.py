"""The namespace prefixes of every RDF serialisation and of SPARQL queries, as plain strings.

Kept apart from :mod:`newskg.graph.export.vocab` (which builds rdflib namespaces from them) so that
``newskg query`` does not import rdflib just to know them.

>>> PREFIXES["schema"], PREFIXES["id"]
('https://schema.org/', 'https://newskg.org/id/')
"""

PREFIXES = {
    "nkg": "https://newskg.org/ns#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "id": "https://newskg.org/id/",
    "article": "https://newskg.org/article/",
}
