"""Numbered national meetings: party congresses and plenums, NPC and CPPCC sessions.

Each has many short forms and one full name computed from its numbers, so that every
short form is one node (resolution reads :func:`full_name`):

- 党的二十大, 中共二十大, 二十大, 中共第二十次全国代表大会 -> 中国共产党第二十次全国代表大会
  (a bare 二十大 needs a number from 11 to 29: 八大, 十大 alone are "the eight, ten big"; after another
  body, 中国工会十八大 and 团十九大 are that body's; 第二十次全国代表大会 without the party's
  name is any body's, left to :mod:`newskg.extract.recognition.events`);
- 十九届六中全会, 党的十九届中央委员会第六次全体会议
  -> 中国共产党第十九届中央委员会第六次全体会议;
- 十四届全国人大一次会议 -> 第十四届全国人民代表大会第一次会议, 十四届全国人大常委会第五次会议
  -> 第十四届全国人民代表大会常务委员会第五次会议;
- 全国政协十四届一次会议 -> 中国人民政治协商会议第十四届全国委员会第一次会议.

The party's names (``[party]``), other bodies that hold numbered congresses
(``[other_bodies]``) and the words that make a bare 十八大 something else (``[not_after]``)
live in ``data/congresses.txt``, which the segmenter does not read.

>>> [full_name(t) for t in ("党的二十大", "二十大", "十九届六中全会")]  # doctest: +NORMALIZE_WHITESPACE
['中国共产党第二十次全国代表大会', '中国共产党第二十次全国代表大会',
 '中国共产党第十九届中央委员会第六次全体会议']
>>> [m.group() for m in find("迎接党的二十大，学习十九届六中全会精神，十八大类产品。")]
['党的二十大', '十九届六中全会']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from newskg.extract.recognition import lexicon

_N = "[一二三四五六七八九十百零〇两]+"
# a bare 十一大 .. 二十九大: 十大 alone is "the ten big", and no congress is numbered 30 yet
_BARE = "(?:十[一二三四五六七八九]|二十[一二三四五六七八九]?)"
_NOT_NUM = "(?<![一二三四五六七八九十百零〇两第])"

# (pattern, full name) pairs; the pattern's named groups fill the full name.
_FORMS = (
    (
        "{party}第(?P<a>{n})次全国代表大会|{party}(?P<b>{n})大|{not_num}{not_body}(?P<c>{bare})大(?!{not_after})",
        "中国共产党第{a}次全国代表大会",
    ),
    (
        "{party}?第?(?P<a>{n})届(?:中央委员会第?|中央)?(?P<b>{n})中全会"
        "|{party}?第?(?P<c>{n})届中央委员会第(?P<d>{n})次全体会议",
        "中国共产党第{a}届中央委员会第{b}次全体会议",
    ),
    (
        "第?(?P<a>{n})届全国(?:人大|人民代表大会)第?(?P<b>{n})次会议",
        "第{a}届全国人民代表大会第{b}次会议",
    ),
    (
        "第?(?P<a>{n})届全国(?:人大|人民代表大会)(?:常委会|常务委员会)第?(?P<b>{n})次会议",
        "第{a}届全国人民代表大会常务委员会第{b}次会议",
    ),
    (
        "(?:中国人民政治协商会议|全国政协|政协)第?(?P<a>{n})届(?:全国委员会)?第?(?P<b>{n})次会议",
        "中国人民政治协商会议第{a}届全国委员会第{b}次会议",
    ),
)


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    party = "(?:" + "|".join(sorted(lexicon.section("congresses", "party"), key=len, reverse=True)) + ")"
    not_after = "|".join(sorted(lexicon.section("congresses", "not_after"), key=len, reverse=True))
    not_body = "".join(f"(?<!{b})" for b in sorted(lexicon.section("congresses", "other_bodies")))
    words = {"party": party, "n": _N, "bare": _BARE, "not_num": _NOT_NUM, "not_body": not_body}
    return tuple((re.compile(form.format(**words, not_after=not_after)), full) for form, full in _FORMS)


def _numbers(m: re.Match[str]) -> list[str]:
    return [v for v in m.groups() if v]


def find(text: str) -> Iterator[re.Match[str]]:
    """The numbered national meetings named in ``text``, form by form."""
    for pattern, _ in _patterns():
        yield from pattern.finditer(text)


def full_name(name: str) -> str | None:
    """The full name of a numbered national meeting written ``name``, or None.

    >>> full_name("全国政协十四届一次会议"), full_name("全总十七届六次执委会")
    ('中国人民政治协商会议第十四届全国委员会第一次会议', None)
    """
    for pattern, full in _patterns():
        m = pattern.fullmatch(name)
        if m:  # the numbers as a and b, whichever alternative matched
            return full.format(**dict(zip("ab", _numbers(m), strict=False)))
    return None
