"""newskg's right half: resolved mentions in; graph, tables, RDF and HTML out.

Names are imported on first use (PEP 562): ``graph.sparql`` and the query command
load neither the extraction stack nor pandas.

>>> import graph
>>> G = graph.build(["seeds/"])  # doctest: +SKIP
>>> G = graph.load("out")  # doctest: +SKIP
>>> graph.top(G, "ORG", n=5)  # doctest: +SKIP
"""

from extract.lazy import install

# public name -> the module that defines it
install(
    __name__,
    {
        **dict.fromkeys(
            [
                "by_province",
                "chinese_font",
                "communities",
                "ego",
                "entities",
                "find",
                "find_build",
                "plot_labels",
                "province_of",
                "run_query",
                "strongest",
                "top",
                "view",
            ],
            "graph.analysis",
        ),
        "build": "graph.build",
        "evidence": "graph.export",
        "load": "graph.export",
        "refresh": "graph.update",
        "update": "graph.update",
    },
)
