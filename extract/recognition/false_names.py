"""Recognised place names that their context shows to be no names, found in the seed graph.

- A place name right before a word of ``people_words`` (中华|民族) names a people, not
  the place: the mention is dropped.
- A one-character short form (京, 港, 中) is a place only in an abbreviation context: next
  to another one-character place (中阿, 粤港澳, 京津冀), after a verb of travel (在京,
  访华) or in a compound of short forms (中方, 台商, 港人); elsewhere (京东, 抗台, 藏医) it
  is dropped.
- A place name ending in a level (河南县) right before ``after_level`` words (以上, 以下,
  级) ends before the level: 河南县以上 names 河南, at county level and above. An
  organisation whose name holds such a level (河南县以上工会: the unions of Henan at county
  level and above) is no one organisation: it becomes the place before the level, if any.

The word lists live in ``data/false_names.txt``.

>>> from newskg.extract.records import Mention
>>> text = "中华民族和中阿合作，京东在京设厂，河南县以上工会。"
>>> ms = [Mention("a", text.index(w), text.index(w) + len(w), "PLACE", w)
...       for w in ("中华", "中", "京", "河南县")]
>>> [(m.text, why) for m, why in judge(ms, text)]
[('中华', 'people_word'), ('中', ''), ('京', 'single_character'), ('河南', '')]
>>> [(m.text, m.type) for m, _ in judge([Mention("a", 17, 24, "ORG", "河南县以上工会")], text)]
[('河南', 'PLACE')]
"""

from __future__ import annotations

from dataclasses import replace

from newskg.extract.recognition import lexicon, place_names
from newskg.extract.recognition.divisions import LEVEL_CHARS
from newskg.extract.records import Mention


def _words(part: str) -> tuple[str, ...]:
    return tuple(sorted(lexicon.section("false_names", part), key=len, reverse=True))


def _one_char_places() -> frozenset[str]:
    return frozenset(w for w in lexicon.words("place_abbr") if len(w) == 1)


def in_abbreviation_context(text: str, start: int) -> bool:
    """Whether the one-character place short form at ``text[start]`` stands as a place: next
    to another one, maybe across a 、 (中阿, 中、叙), after a verb of travel (在京, 访华), or
    before a character that makes it a country's or region's short form (中方, 台商, 港人).

    >>> in_abbreviation_context("粤港澳大湾区", 1), in_abbreviation_context("华为、京东", 3)
    (True, False)
    >>> in_abbreviation_context("代表团在京出席", 3), in_abbreviation_context("中、叙两国", 0)
    (True, True)
    """
    places = _one_char_places()
    before = text[max(start - 2, 0) : start].removesuffix("、")[-1:]
    after = text[start + 1 : start + 3].removeprefix("、")[:1]
    return (
        before in places
        or after in places
        or text[start - 1 : start] in _words("short_form_verbs")
        or text[start + 1 : start + 2] in _words("short_form_after")
    )


def _level_cut(m: Mention, text: str) -> int:
    """How many characters end ``m`` before a level word such as 以上 (河南县|以上 -> 1), else 0."""
    if m.text[-1:] in LEVEL_CHARS and len(m.text) > 2 and text.startswith(_words("after_level"), m.end):
        return 1
    return 0


def _is_place(name: str) -> bool:
    if place_names.candidates(name):
        return True
    chain, n = place_names.parse_chain(name)
    return bool(chain) and n == len(name)


def _level_range(m: Mention) -> tuple[Mention | None, str]:
    """An organisation named by a range of levels (河南县以上工会) as the place before the level."""
    for word in _words("after_level"):
        i = m.text.find(word, 1)
        if i > 0 and m.text[i - 1] in LEVEL_CHARS and word != "级":
            place = m.text[: i - 1]
            if len(place) >= 2 and _is_place(place):
                s = m.start
                return Mention(m.article_id, s, s + len(place), "PLACE", place, source=m.source), ""
            return None, "level_range"
    return m, ""


def judge(mentions: list[Mention], text: str) -> list[tuple[Mention, str]]:
    """Each mention of ``mentions`` as it stands (possibly shortened), and why it is no name
    ("people_word", "single_character", "level_range") or "" if it is one.
    """
    out: list[tuple[Mention, str]] = []
    for m in mentions:
        why = ""
        if m.type == "ORG":
            new, why = _level_range(m)
            m = new or m
        elif m.type == "PLACE" and m.end <= len(text) and text[m.start : m.end] == m.text:
            if text.startswith(_words("people_words"), m.end):
                why = "people_word"
            elif len(m.text) == 1 and not in_abbreviation_context(text, m.start):
                why = "single_character"
            elif cut := _level_cut(m, text):
                m = replace(m, end=m.end - cut, text=m.text[:-cut], label=m.text[:-cut], attrs={})
        out.append((m, why))
    return out
