"""pytest plugin: the doctests of ``extract/`` and ``graph/``, run in the modules as installed.

The folders install as ``newskg.extract`` and ``newskg.graph`` (setuptools ``package-dir``), a
mapping pytest's own doctest collector cannot see: it would import ``extract/ingestion/ingest.py``
a second time as ``extract.ingestion.ingest``. This collector imports each file by its
``newskg`` name instead, so a doctest runs against the very module the package uses.

The API's examples (``graph.build``, ``graph.load``, ``newskg.graph.query.sparql.query``...) run on
a small build made once per session: the names they use are given by :func:`_doctest_names`.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from _pytest.doctest import DoctestItem, DoctestModule

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {"extract": "newskg.extract", "graph": "newskg.graph"}


class InstalledDoctestModule(DoctestModule):
    """A module's doctests, the module imported by its ``newskg.…`` name."""

    def _getobj(self):
        rel = self.path.relative_to(ROOT).with_suffix("").parts
        parts = [PACKAGES[rel[0]], *rel[1:]]
        if parts[-1] == "__init__":
            parts.pop()
        return importlib.import_module(".".join(parts))


def pytest_collect_file(file_path: Path, parent):
    if file_path.suffix != ".py" or not file_path.is_relative_to(ROOT):
        return None
    if file_path.relative_to(ROOT).parts[0] not in PACKAGES:
        return None
    return InstalledDoctestModule.from_parent(parent, path=file_path)


@pytest.fixture(scope="session")
def small_build(tmp_path_factory) -> Path:
    """A build of ``tests/data/hand_news.jsonl`` (two short articles written for the tests)."""
    from newskg import graph

    out = tmp_path_factory.mktemp("doctest") / "out"
    graph.build([ROOT / "tests" / "data" / "hand_news.jsonl"], out)
    return out


@pytest.fixture(autouse=True)
def _doctest_names(request, doctest_namespace) -> None:
    """The names the API's examples use: ``NEWS`` (a small corpus), ``OUT`` (its build, shared by
    the examples that only read it) and ``fresh_out()`` (a new, empty output directory)."""
    if not isinstance(request.node, DoctestItem):
        return
    news = ROOT / "tests" / "data" / "hand_news.jsonl"
    doctest_namespace["NEWS"] = str(news)
    doctest_namespace["QUERIES"] = ROOT / "queries"
    if "OUT" in request.node.dtest.docstring:
        doctest_namespace["OUT"] = request.getfixturevalue("small_build")
    factory = request.getfixturevalue("tmp_path_factory")
    doctest_namespace["fresh_out"] = lambda: factory.mktemp("doctest-out") / "out"
