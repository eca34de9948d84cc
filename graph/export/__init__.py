"""Stage 5, export: the graph in, files out.

Graph files and the networkx loader (:mod:`.export`), RDF on the ontology ``ontology.ttl``
(:mod:`.rdf`, :mod:`.vocab`, :mod:`.prefixes`), the HTML overview and pages
(:mod:`.html`, :mod:`.pages`, :mod:`.article_pages`, :mod:`.render` with ``templates/``,
:mod:`.layout`), all written atomically (:mod:`.atomic`).
"""
