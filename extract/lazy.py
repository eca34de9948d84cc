"""Packages that import their public names on first use (PEP 562), for a command line that starts fast.

``newskg query`` needs ``extract.errors`` and ``graph.sparql``; importing the packages'
``__init__`` must not load the recogniser, jieba or pandas on the way. A package calls
:func:`install` with where each public name lives. A name that is also a submodule
(``extract.ingest``, ``graph.build``) stays the function once that submodule is imported,
as it was when the packages imported everything up front.

>>> import extract
>>> import extract.ingest
>>> callable(extract.ingest), extract.ingest.__module__
(True, 'extract.ingest')
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType


def install(package: str, where: dict[str, str]) -> None:
    """Make the package ``package`` import each name of ``where`` (name -> module) when first used."""

    class LazyPackage(ModuleType):
        def __getattr__(self, name: str):
            if name not in where:
                raise AttributeError(f"module {package!r} has no attribute {name!r}")
            value = getattr(import_module(where[name]), name)
            super().__setattr__(name, value)
            return value

        def __setattr__(self, name: str, value) -> None:
            # Importing a submodule of the same name sets the package's attribute to the module.
            if isinstance(value, ModuleType) and where.get(name) == value.__name__:
                value = getattr(value, name)
            super().__setattr__(name, value)

        def __dir__(self) -> list[str]:
            return sorted({*self.__dict__, *where})

    module = sys.modules[package]
    module.__all__ = sorted(where)
    module.__class__ = LazyPackage
