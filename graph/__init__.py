"""newskg's right half: resolved mentions in; graph, tables, RDF and HTML out.

>>> import graph
>>> G = graph.build(["seeds/"])  # doctest: +SKIP
>>> G = graph.load("out")  # doctest: +SKIP
>>> graph.top(G, "ORG", n=5)  # doctest: +SKIP
"""

from graph.analysis import (
    by_province,
    chinese_font,
    communities,
    ego,
    entities,
    find,
    find_build,
    plot_labels,
    province_of,
    run_query,
    strongest,
    top,
    view,
)
from graph.build import build
from graph.export import evidence, load
from graph.update import refresh, update

__all__ = [
    "build",
    "by_province",
    "chinese_font",
    "communities",
    "ego",
    "entities",
    "evidence",
    "find",
    "find_build",
    "load",
    "plot_labels",
    "province_of",
    "refresh",
    "run_query",
    "strongest",
    "top",
    "update",
    "view",
]
