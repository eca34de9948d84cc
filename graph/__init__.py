"""newskg's right half: resolved mentions in; graph, tables, RDF and HTML out.

Names are imported on first use (PEP 562): ``newskg.graph.query.sparql`` and the query command
load neither the extraction stack nor pandas.

>>> from newskg import graph
>>> G = graph.build([NEWS], fresh_out())  # NEWS: two short articles; fresh_out(): a new folder
>>> G = graph.load(OUT)                   # OUT: their build
>>> graph.top(G, "ORG", n=2)["label"].tolist()
['中华全国总工会', '河南省总工会']
"""

from newskg.extract.lazy import install

# public name -> the module that defines it
install(
    __name__,
    {
        **dict.fromkeys(
            [
                "TYPE_COLORS",
                "by_province",
                "communities",
                "ego",
                "entities",
                "find",
                "find_build",
                "province_of",
                "strongest",
                "top",
            ],
            "newskg.graph.query.analysis",
        ),
        "chinese_font": "newskg.graph.query.fonts",
        "plot_labels": "newskg.graph.query.fonts",
        "run_query": "newskg.graph.query.frames",
        "view": "newskg.graph.query.view",
        "build": "newskg.graph.building.build",
        "evidence": "newskg.graph.export.export",
        "load": "newskg.graph.export.export",
        "refresh": "newskg.graph.building.update",
        "update": "newskg.graph.building.update",
    },
)
