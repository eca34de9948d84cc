"""newskg's right half: resolved mentions in; graph, tables, RDF and HTML out.

Names are imported on first use (PEP 562): ``graph.sparql`` and the query command
load neither the extraction stack nor pandas.

>>> import graph
>>> G = graph.build(["seeds/"])  # doctest: +SKIP
>>> G = graph.load("out")  # doctest: +SKIP
>>> graph.top(G, "ORG", n=5)  # doctest: +SKIP
"""

import sys
from importlib import import_module
from types import ModuleType

# public name -> the module that defines it
_WHERE = {
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
}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'graph' has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])


class _Package(ModuleType):
    """``graph.build`` and ``graph.update`` stay the functions when their modules are imported.

    Importing ``graph.build`` sets the package's attribute ``build`` to the module; the
    functions of the same name have always been what ``graph.build`` means.
    """

    def __setattr__(self, name: str, value) -> None:
        if isinstance(value, ModuleType) and _WHERE.get(name) == value.__name__:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
