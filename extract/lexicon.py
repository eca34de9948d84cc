"""Word lists that the recognisers read, loaded once from ``extract/data/``.

Each data file is UTF-8 text: ``#`` lines are comments naming the source, other lines
hold whitespace-separated entries, and ``[name]`` lines start named sections.

>>> "王" in words("surnames")
True
>>> "竞赛" in section("campaigns", "heads")
True
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def _sections(name: str) -> dict[str, frozenset[str]]:
    text = resources.files("extract.data").joinpath(f"{name}.txt").read_text("utf-8")
    out: dict[str, set[str]] = {"": set()}
    current = ""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            out.setdefault(current, set())
            continue
        out[current].update(line.split())
    return {k: frozenset(v) for k, v in out.items()}


@cache
def words(name: str) -> frozenset[str]:
    """All entries of data file ``name`` (every section)."""
    return frozenset().union(*_sections(name).values())


@cache
def section(name: str, part: str) -> frozenset[str]:
    """The entries of section ``[part]`` of data file ``name``."""
    return _sections(name).get(part, frozenset())
