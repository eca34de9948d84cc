"""pytest plugin: the doctests of ``extract/`` and ``graph/``, run in the modules as installed.

The folders install as ``newskg.extract`` and ``newskg.graph`` (setuptools ``package-dir``), a
mapping pytest's own doctest collector cannot see: it would import ``extract/ingestion/ingest.py``
a second time as ``extract.ingestion.ingest``. This collector imports each file by its
``newskg`` name instead, so a doctest runs against the very module the package uses.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from _pytest.doctest import DoctestModule

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
