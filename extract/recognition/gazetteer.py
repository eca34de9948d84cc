"""The place gazetteer: every name a PLACE may have, with its division codes.

China's divisions at every level in full (河南省) and, for provinces, prefectures and
counties whose short form is no other word, in short form (河南, 襄阳), from the
division table (:mod:`.divisions`); and the world's countries, regions, cities and
landmarks (``data/world_places.txt``), with no code.
"""

from __future__ import annotations

from functools import cache

from newskg.extract.recognition import divisions
from newskg.extract.recognition.lexicon import PLACE_STOP, WORLD_PLACES
from newskg.extract.recognition.tokens import tag


@cache
def _names() -> dict[str, tuple[str, ...]]:
    """Place name -> division codes (empty for world places)."""
    out: dict[str, list[str]] = {}
    for d in divisions.all_divisions():
        if d.name in PLACE_STOP:
            continue
        out.setdefault(d.name, []).append(d.code)
        # County short forms only where jieba does not know them as another word (合作, 资源).
        # nor, for a county or district, where the short form names a region, a mountain or a
        # lake of its own (a district named after a mountain range is not the range).
        short_ok = d.level <= 2 or (tag(d.short) in (None, "ns", "nrt") and d.short not in WORLD_PLACES)
        if d.level <= 3 and d.short != d.name and d.short not in PLACE_STOP and short_ok:
            out.setdefault(d.short, []).append(d.code)
    names = {k: tuple(v) for k, v in out.items()}
    for w in WORLD_PLACES:
        names.setdefault(w, ())
    return names


def lookup(word: str) -> tuple[str, ...] | None:
    """Division codes for a place name (``()`` for a world place), or None if not a place.

    >>> lookup("河南"), lookup("巴黎"), lookup("弘扬")
    (('410000', '632324'), (), None)
    """
    return _names().get(word)
