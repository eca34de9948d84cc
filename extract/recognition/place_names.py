"""Place names to divisions: short forms, chains and context-based disambiguation.

A place named in text (``河南``, ``襄阳市``, ``北京市怀柔区``) is resolved to one
division of the official table (:mod:`newskg.extract.recognition.divisions`) when the data and the
article allow it, and left alone when they do not (``朝阳`` with no other place
nearby). Canonical labels are the division's name, qualified by its parents only
for all but one of the divisions that share a name (``朝阳区`` vs ``长春市朝阳区``).

Examples
--------
>>> [d.name for d in candidates("河南")][:2]
['河南省', '河南蒙古族自治县']
>>> choose(candidates("河南")).name
'河南省'
>>> choose(candidates("朝阳")) is None, choose(candidates("中原"), name="中原")
(True, None)
>>> [d.name for d in parse_chain("北京市怀柔区总工会")[0]]
['北京市', '怀柔区']
>>> canonical_label(choose(candidates("朝阳区"), context=candidates("长春")))
'长春市朝阳区'
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache

from newskg.extract.recognition import divisions
from newskg.extract.recognition.divisions import Division
from newskg.extract.recognition.lexicon import WORLD_PLACES

# The root of the place hierarchy: every province-level division is contained in it.
COUNTRY = "中国"
_MAX_NAME = 12


@cache
def _short_index() -> dict[str, tuple[Division, ...]]:
    index: dict[str, list[Division]] = {}
    for d in divisions.all_divisions():
        # A county's or a township's short form that names a region, a mountain or a lake of
        # its own (a district named after a mountain range) is that place, not the division.
        if d.short != d.name and not (d.level >= 3 and d.short in WORLD_PLACES):
            index.setdefault(d.short, []).append(d)
    return {k: tuple(v) for k, v in index.items()}


def candidates(name: str) -> tuple[Division, ...]:
    """Every division whose full name or short form is ``name`` (full names first)."""
    return divisions.by_name(name) + _short_index().get(name, ())


def county_codes(name: str) -> tuple[str, ...]:
    """Codes of the counties or larger divisions (levels 1 to 3) that ``name`` names in full or
    in short form, in the order of :func:`candidates`; one lookup, as the recognisers ask it of
    every word.

    >>> county_codes("河南"), county_codes("黄堡镇"), county_codes("发展")
    (('410000', '632324'), (), ())
    """
    return _county_index().get(name, ())


@cache
def _county_index() -> dict[str, tuple[str, ...]]:
    names = {n for d in divisions.all_divisions() if d.level <= 3 for n in (d.name, d.short)}
    return {n: tuple(d.code for d in candidates(n) if d.level <= 3) for n in names}


def _near(cands: list[Division], context: list[Division], name: str) -> list[Division]:
    """The candidates most closely tied to a place of ``context``, or [] if none is.

    Closest first: the same place; its parent or a sibling; for a full name also
    its grandparent; a place it contains. A province alone is too weak a tie for a
    township of a common name (中华 in an article on 四川 is not 四川's 中华镇).
    """
    codes = {o.code for o in context}
    parents = {o.parent for o in context if o.parent}
    below = {a.code for o in context for a in divisions.ancestors(o)}

    def closeness(c: Division) -> int:
        up = divisions.ancestors(c)
        if c.code in codes:
            return 4
        if (up and up[0].code in codes) or c.parent in parents:
            return 3
        if c.name == name and len(up) > 1 and up[1].code in codes:
            return 2
        return 1 if c.code in below else 0

    scored = [(closeness(c), c) for c in cands]
    best = max((k for k, _ in scored), default=0)
    return [c for k, c in scored if k == best] if best else []


def choose(cands: Iterable[Division], context: Iterable[Division] = (), name: str = "") -> Division | None:
    """The one division a name most likely means, or None when it stays ambiguous.

    1. The candidates most closely tied to a place of ``context`` (the same place,
       its parent or sibling, ...) win when the highest-level one of them is unique.
    2. Otherwise townships give way to any larger division, and city districts
       (``西安区``) to a province or prefecture of the same short form: a short form
       alone names the larger place in news text (``西安`` = ``西安市``). A city
       district's or a township's short form (``name`` given and not the full name:
       中原, 牡丹, a brand named like a township) needs context: alone it is more often a
       region, a word or a company than the district or the township.
    3. What is left must be a single division, or a single province.

    >>> choose(candidates("西安")).name, choose(candidates("新疆")).name
    ('西安市', '新疆维吾尔自治区')
    >>> choose(candidates("朝阳"), context=candidates("北京市")).code
    '110105'
    """
    cands = list(dict.fromkeys(cands))
    context = list(context)
    if context:
        near = _near(cands, context, name)
        if near:
            top = min(c.level for c in near)
            best = [c for c in near if c.level == top]
            if len(best) == 1:
                return best[0]
    if any(c.level < 4 for c in cands):
        cands = [c for c in cands if c.level < 4]
    if name:
        cands = [
            c
            for c in cands
            if not ((c.level >= 4 or (c.level == 3 and c.name.endswith("区"))) and c.name != name)
        ]
    if any(c.level <= 2 for c in cands):
        cands = [c for c in cands if not (c.level == 3 and c.name.endswith("区"))]
    if len(cands) <= 1:
        return cands[0] if cands else None
    top = min(c.level for c in cands)
    best = [c for c in cands if c.level == top]
    return best[0] if top == 1 and len(best) == 1 else None


def parse_chain(
    text: str, context: Iterable[Division] = (), short_levels: int = 4
) -> tuple[list[Division], int]:
    """The chain of divisions that ``text`` starts with, and how many characters it spans.

    Each step takes the longest name that is a division inside the previous one
    (``北京市`` then ``怀柔区``; ``山东`` then ``莒县``). The first name may be a
    short form only for divisions of level ``short_levels`` or above (1 = province).

    >>> chain, n = parse_chain("国网山东莒县供电公司"[2:])
    >>> [d.name for d in chain], n
    (['山东省', '莒县'], 4)
    """
    steps = chain_steps(text, context, short_levels)
    return [d for d, _ in steps], (steps[-1][1] if steps else 0)


def chain_steps(
    text: str, context: Iterable[Division] = (), short_levels: int = 4
) -> list[tuple[Division, int]]:
    """Like :func:`parse_chain`, with the end offset of each division's name.

    >>> [(d.name, end) for d, end in chain_steps("北京市怀柔区总工会")]
    [('北京市', 3), ('怀柔区', 6)]
    """
    steps: list[tuple[Division, int]] = []
    pos = 0
    context = list(context)
    while pos < len(text):
        found: tuple[Division, int] | None = None
        for end in range(min(len(text), pos + _MAX_NAME), pos + 1, -1):
            name = text[pos:end]
            cands = candidates(name)
            if steps:
                prev = steps[-1][0].code
                cands = tuple(c for c in cands if prev in {a.code for a in divisions.ancestors(c)})
            elif name not in {d.name for d in divisions.by_name(name)}:
                cands = tuple(c for c in cands if c.level <= short_levels)
            pick = choose(cands, [*(d for d, _ in steps), *context], name)
            if pick is not None:
                found = (pick, end)
                break
        if found is None:
            break
        steps.append(found)
        pos = found[1]
    return steps


def canonical_label(d: Division) -> str:
    """The division's name; for a repeated name, qualified by parents except on its first use.

    Names repeat across China (two 黄堡镇, two 朝阳区, hundreds of 城关镇). The
    division with the lowest code keeps the plain name (湖北's 黄堡镇, Beijing's
    朝阳区); each other one is prefixed with its parents' names until it is unique
    (陕西's 王益区黄堡镇, 长春市朝阳区). Labels, and so ids, depend on the table only:
    stable across builds, and distinct divisions never share an id.

    >>> canonical_label(divisions.by_code("420626101")), canonical_label(divisions.by_code("610202100"))
    ('黄堡镇', '王益区黄堡镇')
    >>> canonical_label(divisions.by_code("110105")), canonical_label(divisions.by_code("220104"))
    ('朝阳区', '长春市朝阳区')
    """
    return _canonical(d.code)


@lru_cache(maxsize=1 << 16)
def last_division_at(name: str) -> int:
    """Where the last of two or more divisions at the front of a longer ``name`` starts; 0 if none.

    >>> last_division_at("北京市密云区总工会"), last_division_at("河南省总工会")
    (3, 0)
    """
    steps = chain_steps(name)
    return steps[-2][1] if len(steps) >= 2 and steps[-1][1] < len(name) else 0


@cache
def _canonical(code: str) -> str:
    d = divisions.by_code(code)
    assert d is not None
    namesakes = divisions.by_name(d.name)
    if d.code == min(o.code for o in namesakes):
        return d.name
    others = [o for o in namesakes if o.code != d.code]
    label = d.name
    chain = divisions.ancestors(d)
    depth = 0
    while others and depth < len(chain):
        label = chain[depth].name + label
        others = [
            o
            for o in others
            if len(divisions.ancestors(o)) > depth and divisions.ancestors(o)[depth].name == chain[depth].name
        ]
        depth += 1
    return label


def containment(d: Division) -> list[tuple[Division, Division | None]]:
    """``(child, parent)`` steps from ``d`` up to the country (``None`` stands for 中国).

    >>> [(c.name, p.name if p else COUNTRY) for c, p in containment(divisions.by_code("420626"))]
    [('保康县', '襄阳市'), ('襄阳市', '湖北省'), ('湖北省', '中国')]
    """
    chain = [d, *divisions.ancestors(d)]
    return [(c, p) for c, p in zip(chain, [*chain[1:], None], strict=True)]
