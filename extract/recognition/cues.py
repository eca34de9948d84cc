"""Cues shared by the recognisers: the words around a name that say it is a place, and the
one-character country abbreviations that pair into compounds (中美, 美日).

>>> "中美" in country_pairs()
True
"""

from __future__ import annotations

from functools import cache

from newskg.extract.recognition import lexicon
from newskg.extract.recognition.tokens import Token

COUNTRY_ABBR = lexicon.section("place_rules", "country_abbr")
_PLACE_BEFORE = lexicon.section("place_rules", "place_before")
_PLACE_AFTER = lexicon.section("place_rules", "place_after")


_PERSON_AFTER = lexicon.section("place_rules", "person_after")


def place_context(toks: tuple[Token, ...], i: int, j: int) -> bool:
    """Whether the words around ``toks[i:j]`` say it is a place (在 ... 举行)."""
    after = toks[j].text if j < len(toks) else ""
    return (
        i > 0 and toks[i - 1].text in _PLACE_BEFORE and after not in _PERSON_AFTER
    ) or after in _PLACE_AFTER


_CONTINENT_ABBR = lexicon.section("place_rules", "continent_abbr")


@cache
def country_pairs() -> frozenset[str]:
    """Two- and three-country compounds written as one-character tokens: 中美, 美日."""
    countries = (COUNTRY_ABBR | _CONTINENT_ABBR) - {"以"}  # 中以2∶0 is more often a score
    pairs = {a + b for a in countries for b in countries if a != b}
    return frozenset(pairs)
