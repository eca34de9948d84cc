"""Packages that import their public names on first use (PEP 562), for a command line that starts fast.

``newskg query`` needs ``newskg.extract.errors`` and ``newskg.graph.query.sparql``; importing the
packages' ``__init__`` must not load the recogniser, jieba or pandas on the way. A package calls
:func:`install` with where each public name lives; the name is imported from there when first
used, and kept.

>>> from newskg import extract
>>> extract.UserError.__module__
'newskg.extract.errors'
"""

from __future__ import annotations

import sys
from importlib import import_module


def install(package: str, where: dict[str, str]) -> None:
    """Make the package ``package`` import each name of ``where`` (name -> module) when first used."""
    module = sys.modules[package]

    def __getattr__(name: str):
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(where[name]), name)
        setattr(module, name, value)
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(module), *where})

    module.__getattr__ = __getattr__
    module.__dir__ = __dir__
    module.__all__ = sorted(where)
