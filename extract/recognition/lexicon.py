"""Word lists that the recognisers read, loaded once from ``extract/data/``.

Each data file is UTF-8 text: ``#`` lines are comments naming the source, other lines
hold whitespace-separated entries, and ``[name]`` lines start named sections.

>>> "王" in words("surnames")
True
>>> "竞赛" in section("campaigns", "heads")
True

A rule's own words are a section of ``<module>_rules.txt`` (``people_rules.txt`` for
:mod:`.people`): no word list is written in Python.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def _entries(name: str) -> dict[str, tuple[str, ...]]:
    """Section name -> its entries in file order (``""``: the entries before any section)."""
    text = resources.files("newskg.extract.data").joinpath(f"{name}.txt").read_text("utf-8")
    out: dict[str, dict[str, None]] = {"": {}}
    current = ""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            out.setdefault(current, {})
            continue
        out[current].update(dict.fromkeys(line.split()))
    return {k: tuple(v) for k, v in out.items()}


@cache
def _sections(name: str) -> dict[str, frozenset[str]]:
    return {k: frozenset(v) for k, v in _entries(name).items()}


@cache
def words(name: str) -> frozenset[str]:
    """All entries of data file ``name`` (every section)."""
    return frozenset().union(*_sections(name).values())


@cache
def section(name: str, part: str) -> frozenset[str]:
    """The entries of section ``[part]`` of data file ``name``."""
    return _sections(name).get(part, frozenset())


def ordered(name: str, part: str) -> tuple[str, ...]:
    """The entries of section ``[part]`` of data file ``name`` in the file's order, for lists
    whose order is a rule (longest suffix first).

    >>> ordered("division_rules", "suffixes")[:2]
    ('特别行政区', '自治区')
    """
    return _entries(name).get(part, ())


# The lists the recognisers test every word against, loaded once at import (all of extract/data/
# takes about 3 ms): a module constant costs a global lookup where a call to words() costs a call.
EVENTS_HEADS = section("events", "heads")
GIVEN_CHARS = words("given_chars")
JAPANESE_SURNAMES = words("japanese_surnames")
ORG_HEADS_ENDINGS = section("org_heads", "endings")
ORG_HEADS_GENERIC = section("org_heads", "generic")
ORG_HEADS_HEADS = section("org_heads", "heads")
ORG_HEADS_INNER = section("org_heads", "inner")
ORG_HEADS_NOT = section("org_heads", "not")
ORG_HEADS_TERMED = section("org_heads", "termed")
ORG_HEADS_TRADE = section("org_heads", "trade")
ORG_NAMES = words("org_names")
PERSON_STOP = words("person_stop")
PLACE_ABBR = words("place_abbr")
PLACE_ABBR_WORDS = section("place_abbr", "words")
PLACE_HEADS_FACILITY = section("place_heads", "facility")
PLACE_HEADS_SUFFIX = section("place_heads", "suffix")
PLACE_STOP = words("place_stop")
SURNAMES = words("surnames")
TITLES = words("titles")
TRANSLIT_CHARS = words("translit_chars")
WORLD_PLACES = words("world_places")
