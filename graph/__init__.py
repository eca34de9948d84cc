"""newskg's right half: resolved mentions in; graph, tables, RDF and HTML out.

>>> import graph
>>> G = graph.build(["seeds/"])  # doctest: +SKIP
>>> G = graph.load("out")  # doctest: +SKIP
"""

from graph.build import build
from graph.export import evidence, load

__all__ = ["build", "evidence", "load"]
