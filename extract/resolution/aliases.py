"""Aliases an article declares itself: ``X（以下简称Y）``, ``X（简称Y）``, ``“Y”（X）``.

A declaration pairs a full name with the short form the article uses from then
on. The full name is the mention that ends right before the parenthesis; when
the recogniser found none, it is the longest run of characters before the
parenthesis that starts with the short form's first character and contains the
short form's characters in order (Chinese abbreviations keep a name's characters
in order: 华东重型机械装备有限公司 -> 华重装备).

Examples
--------
>>> text = "华东重型机械装备有限公司（以下简称华重装备）工会召开大会。"
>>> [(a.short, a.full) for a in declared(text, [])]
[('华重装备', '华东重型机械装备有限公司')]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newskg.extract.records import Mention

_OPEN, _CLOSE = "（(", "）)"
_Q = '“”"‘’「」『』'
# （以下简称X） and its variants; the short form may be quoted.
_DECL = re.compile(
    rf"[{_OPEN}](?:以下|下文|下)?(?:简称|称)[：:]?[{_Q}]?([^{_Q}{_CLOSE}、，,。]{{2,12}}?)[{_Q}]?[{_CLOSE}]"
)
# “X”（Y） and Y（“X”）: a quoted name next to a parenthesised one.
_QUOTED_THEN_PAREN = re.compile(rf"“([^”]{{2,20}})”[{_OPEN}]([^{_CLOSE}，,。]{{2,30}})[{_CLOSE}]")
_PAREN_QUOTED = re.compile(rf"[{_OPEN}]“([^”]{{2,20}})”[{_CLOSE}]")
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9·]")
_MAX_FULL = 40


@dataclass(frozen=True, slots=True)
class Alias:
    """``short`` stands for ``full`` (a name spanning ``text[start:end]``) after offset ``declared_at``."""

    short: str
    full: str
    type: str
    start: int
    end: int
    declared_at: int


def is_abbreviation(short: str, full: str, anchored: bool = True) -> bool:
    """True if ``short`` is shorter than ``full`` and keeps its characters in order.

    ``anchored`` also requires the same first character.

    >>> is_abbreviation("华重装备", "华东重型机械装备有限公司"), is_abbreviation("2022年", "零工驿站")
    (True, False)
    """
    if not (2 <= len(short) < len(full)) or (anchored and short[0] != full[0]):
        return False
    it = iter(full)
    return all(ch in it for ch in short)


def _full_before(text: str, end: int, short: str, mentions: Sequence[Mention]) -> tuple[int, str] | None:
    """Start and type of the full name ending at ``end`` (type "" when no mention gives one)."""
    for m in mentions:
        if m.end == end and is_abbreviation(short, m.text, anchored=False):
            return m.start, m.type
    start = None
    for p in range(end - len(short), max(end - _MAX_FULL, 0) - 1, -1):
        if not _NAME_CHAR.match(text[p]):
            break
        if text[p] == short[0] and is_abbreviation(short, text[p:end]):
            start = p
    return (start, "") if start is not None else None


def _type_of(full_type: str, short: str, mentions: Sequence[Mention]) -> str:
    if full_type:
        return full_type
    return next((m.type for m in mentions if m.text == short), "ORG")


def _declared_after_full(
    pattern: re.Pattern, text: str, context: str, mentions: Sequence[Mention]
) -> list[Alias]:
    """Aliases whose short form (group 1 of ``pattern``) follows the full name it declares."""
    out: list[Alias] = []
    for m in pattern.finditer(text):
        short = m.group(1)
        found = _full_before(context, m.start(), short, mentions)
        if found:
            start, type_ = found
            alias_type = _type_of(type_, short, mentions)
            out.append(Alias(short, text[start : m.start()], alias_type, start, m.start(), m.end()))
    return out


def declared(text: str, mentions: Sequence[Mention]) -> list[Alias]:
    """Every alias the text declares, in order of declaration.

    >>> [(a.short, a.full) for a in declared("他加入了“全国总工会”（中华全国总工会）。", [])]
    [('全国总工会', '中华全国总工会')]
    """
    out = _declared_after_full(_DECL, text, text.rstrip(), mentions)
    for m in _QUOTED_THEN_PAREN.finditer(text):
        a, b = m.group(1), m.group(2)
        short, full, start, end = (
            (a, b, m.start(2), m.end(2)) if len(a) < len(b) else (b, a, m.start(1), m.end(1))
        )
        if is_abbreviation(short, full, anchored=False):
            out.append(Alias(short, full, _type_of("", full, mentions), start, end, m.end()))
    out += _declared_after_full(_PAREN_QUOTED, text, text, mentions)
    return sorted(out, key=lambda a: a.declared_at)
