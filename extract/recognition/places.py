"""PLACE mentions: administrative divisions, world places, abbreviations and named sites.

The names come from the gazetteer (:mod:`.gazetteer`), the words around them from the shared
cues (:mod:`.cues`); this module is the PLACE recogniser (a rule component, the tagger's hints).

- Every level of China's divisions (:mod:`newskg.extract.recognition.divisions`), in full (河南省) and,
  for provinces, prefectures and counties, in short form (河南, 襄阳); a division's code
  goes in ``attrs["code"]`` when the name is unambiguous, else the candidates in
  ``attrs["codes"]``. A chain such as 湖北省襄阳市保康县黄堡镇 gives one mention per level.
- Countries, regions, world cities and landmarks (``data/world_places.txt``).
- One-character abbreviations in pairs (中美, 日俄) and after verbs (访华, 进京).
- Unknown names with a place suffix (南市屯村, 斯特拉斯堡市).

>>> from newskg.extract.doc import make_doc
>>> from newskg.extract.records import Article
>>> a = make_doc(Article(id="a", source="", title="", text="湖北省襄阳市保康县黄堡镇和中美两国"))
>>> [(m.text, m.attrs.get("code")) for m in places(a)][:2]
[('湖北省', '420000'), ('襄阳市', '420600')]
>>> [m.text for m in places(a)][4:]
['中', '美']
"""

from __future__ import annotations

from functools import cache

from newskg.extract.doc import Doc
from newskg.extract.recognition import divisions, lexicon, place_names
from newskg.extract.recognition.cues import COUNTRY_ABBR, country_pairs, place_context
from newskg.extract.recognition.gazetteer import lookup
from newskg.extract.recognition.lexicon import (
    PLACE_ABBR,
    PLACE_ABBR_WORDS,
    PLACE_HEADS_SUFFIX,
    PLACE_STOP,
    TRANSLIT_CHARS,
)
from newskg.extract.recognition.tokens import Token, tag, word_cache
from newskg.extract.records import Mention

_ABBR_VERBS = lexicon.section("place_rules", "abbr_verbs")
_ABBR_AFTER_VERB = lexicon.section("place_rules", "abbr_after_verb")
_ALONE = lexicon.section("place_rules", "alone")
_LEVEL_SUFFIXES = lexicon.section("place_rules", "level_suffixes")
_PLACE_TAILS = lexicon.section("place_rules", "place_tails")
_AFTER_PAIR = lexicon.section("place_rules", "after_pair")
_STATE_WORDS = lexicon.section("place_rules", "state_words")
_FUNCTION = lexicon.section("place_rules", "function")


def _name_char(word: str) -> bool:
    """A one-character token that can be part of an unknown name."""
    return len(word) == 1 and "\u4e00" <= word <= "\u9fff" and word not in _FUNCTION


def _mention(doc: Doc, start: int, end: int, codes: tuple[str, ...] = ()) -> Mention:
    attrs = {}
    if len(codes) > 1:
        levels = sorted((divisions.by_code(c).level, c) for c in codes)
        if levels[0][0] <= 2 and levels[1][0] > levels[0][0]:
            codes = (levels[0][1],)
    if len(codes) == 1:
        attrs["code"] = codes[0]
    elif codes:
        attrs["codes"] = " ".join(codes)
    return Mention(doc.id, start, end, "PLACE", doc.text[start:end], source="places", attrs=attrs)


def _pick(codes: tuple[str, ...], parent: str) -> tuple[str, ...]:
    """Narrow ambiguous codes to those under the division named just before (a chain)."""
    if len(codes) < 2 or not parent:
        return codes
    under = tuple(c for c in codes if any(a.code == parent for a in _ancestors(c)))
    return under or codes


def _ancestors(code: str) -> list[divisions.Division]:
    d = divisions.by_code(code)
    return divisions.ancestors(d) if d else []


def _abbr_run(toks: tuple[Token, ...], i: int, abbr: frozenset[str]) -> int:
    """Length (in tokens) of a run of one-character abbreviations starting at ``i``."""
    j = i
    while j < len(toks) and len(toks[j].text) == 1 and toks[j].text in abbr:
        j += 1
    return j - i


def places(doc: Doc) -> list[Mention]:
    """PLACE mentions of ``doc`` (see the module docstring)."""
    toks = doc.tokens
    suffixes = PLACE_HEADS_SUFFIX
    cues = _single_cues()
    out: list[Mention] = []
    parent = ""
    i = 0
    while i < len(toks):
        t = toks[i]
        if len(t.text) == 1 and t.text not in cues and (t.tag in _NOT_NAME_TAGS or not _name_char(t.text)):
            parent = ""
            i += 1  # punctuation or a function word: no rule below starts here
            continue
        if _inert(t.text) and nxt_text(toks, i) not in _DIVISION_SUFFIXES:
            parent = ""
            i += 1  # a common word: no rule below starts here either
            continue
        codes = lookup(t.text)
        if codes is not None and len(t.text) > 1 and nxt_text(toks, i) in _NOT_AFTER_PLACE:
            i += 1  # 北京时间, 挪威克朗: a time zone or a currency, not the place
            continue
        if codes is not None and len(t.text) > 1:
            codes = _pick(codes, parent)
            end = t.end
            nxt = toks[i + 1].text if i + 1 < len(toks) else ""
            if nxt in _LEVEL_SUFFIXES and lookup(t.text + nxt) is None:
                end = toks[i + 1].end  # 邢台县, 维也纳市: a former or foreign division
                i += 1
            out.append(_mention(doc, t.start, end, codes))
            parent = codes[0] if len(codes) == 1 else ""
            i += 1
            continue
        parent = ""
        # 白湖乡, 拉贾斯坦邦: one word that ends in a division suffix; 书房|村, 塔科马|市: two.
        n = _suffixed(toks, i) or _translit_place(toks, i)
        if n:
            out.append(_mention(doc, t.start, toks[i + n - 1].end))
            i += n
            continue
        # 去怀柔, 首都温得和克, 本报保定五月十五日电: a division's short form or a word jieba
        # tags as a place, where the words around it say it is one.
        short = _short_codes(t.text)
        if short is not None and (
            (short and place_context(toks, i, i + 1)) or ((short or t.tag == "ns") and _dateline(toks, i))
        ):
            out.append(_mention(doc, t.start, t.end, short))
            i += 1
            continue
        # 印度政府, 法国人, 俄总统: a place at the front of a longer word.
        k = _place_prefix(t.text)
        if k:
            out.append(
                _mention(doc, t.start, t.start + k, lookup(t.text[:k]) or () if k < len(t.text) else ())
            )
            i += 1
            continue
        # 京剧, 华侨, 奥运会: a word that begins with a place abbreviation; 中华|民族: a longer stem.
        stem = _word_stem(t.text)
        if stem:
            out.append(_mention(doc, t.start, t.start + stem))
            i += 1
            continue
        if len(t.text) > 1 and t.text[0] not in PLACE_ABBR and t.text[0] not in _ABBR_VERBS:
            i += 1  # the rules below all start with an abbreviation, a verb or one character
            continue
        # 俄, 韩 standing alone; 中、阿: abbreviations in a list.
        if t.text in _ALONE or (t.text in COUNTRY_ABBR and _listed(toks, i)):
            out.append(_mention(doc, t.start, t.end))
            i += 1
            continue
        # 中美, 日俄 (one token or several one-character tokens): each character a place.
        pair_word = _after_pair(toks, i)
        if (
            2 <= len(t.text) <= 3
            and PLACE_ABBR.issuperset(t.text)
            and (t.tag in ("ns", "j", None) or pair_word or t.text in country_pairs())
            and t.tag not in _COMMON_PAIR_TAGS  # 非法, 加法, 越加: common words
            and t.text not in PLACE_STOP  # 美德
        ):
            out.extend(_mention(doc, t.start + k, t.start + k + 1) for k in range(len(t.text)))
            i += 1
            continue
        if len(t.text) > 3 and PLACE_ABBR.issuperset(t.text[:2]) and t.text[2:] in _AFTER_PAIR:
            out.extend(_mention(doc, t.start + k, t.start + k + 1) for k in range(2))
            i += 1
            continue
        run = _abbr_run(toks, i, PLACE_ABBR)
        after_run = _after_pair(toks, i + run - 1) if run else False
        if 2 <= run <= 3 and ("".join(x.text for x in toks[i : i + run]) in country_pairs() or after_run):
            out.extend(_mention(doc, x.start, x.end) for x in toks[i : i + run])
            i += run
            continue
        # 访华, 进京: a verb token ending in a one-character abbreviation (or two tokens);
        # 驻华使馆, 对华关系, 来华访问: a word that begins with one.
        if len(t.text) >= 2 and (
            (t.text[0] in _ABBR_VERBS and t.text[1] in _ABBR_AFTER_VERB)
            or (t.text[0] in "访赴驻抵" and t.text[1] in COUNTRY_ABBR)
        ):
            out.append(_mention(doc, t.start + 1, t.start + 2))
            i += 1
            continue
        prev = toks[i - 1].text if i else ""
        nxt = toks[i + 1].text if i + 1 < len(toks) else ""
        if (
            prev
            and len(prev) == 1
            and (
                (t.text in _ABBR_AFTER_VERB and prev in _ABBR_VERBS)
                or (t.text in COUNTRY_ABBR and prev in "访赴驻抵")
            )
        ):
            out.append(_mention(doc, t.start, t.end))
            i += 1
            continue
        # 俄政府, 中方: a country abbreviation before a word about the state.
        if (len(t.text) == 1 and t.text in COUNTRY_ABBR and nxt in _STATE_WORDS) or (
            len(t.text) == 2 and t.text[0] in COUNTRY_ABBR and t.text[1] == "方"
        ):
            out.append(_mention(doc, t.start, t.start + 1))
            i += 1
            continue
        # Unknown name + place suffix: 南市屯 + 村, 斯特拉斯堡 + 市; a village or township
        # suffix ends the name (红|庄|乡|陈|沟|村 gives 陈沟村, not 乡陈沟村).
        j = i
        while (
            j < len(toks)
            and j - i < 5
            and _name_char(toks[j].text)
            and toks[j].tag not in _NOT_NAME_TAGS
            and toks[j].text not in _VILLAGE_ENDS
        ):
            j += 1
        if j < len(toks) and toks[j].text in suffixes and j - i >= 1:
            k = i
            while k < j and toks[k].text in _FUNCTION:
                k += 1
            if j - k >= 2:
                out.append(_mention(doc, toks[k].start, toks[j].end))
                i = j + 1
                continue
        i += 1
    return out


def _translit_place(toks: tuple[Token, ...], i: int) -> int:
    """Tokens in a transliterated place name at ``i`` (three or more characters), or 0."""
    if toks[i].text[0] not in TRANSLIT_CHARS:
        return 0
    j = i
    while j < len(toks) and j - i < 6 and len(toks[j].text) <= 6 and TRANSLIT_CHARS.issuperset(toks[j].text):
        j += 1
    chars = toks[j - 1].end - toks[i].start if j > i else 0
    if chars < 3 or not place_context(toks, i, j):
        return 0
    # 丘布特|省; a township or a village of a transliterated name (阿克苏|乡) too
    suffixes = _LEVEL_SUFFIXES | _VILLAGE_ENDS | {"大区"}
    return j - i + 1 if j < len(toks) and toks[j].text in suffixes else j - i


_DIVISION_SUFFIXES = lexicon.section("place_rules", "division_suffixes")
_NAME_TAGS = frozenset(["ns", "nz", "nr", "nrt", None])


def _suffixed(toks: tuple[Token, ...], i: int) -> int:
    """Tokens of an unknown place name ending in a division suffix at ``toks[i]``, or 0."""
    t = toks[i]
    nxt = toks[i + 1].text if i + 1 < len(toks) else ""
    if t.text[-1] not in _DIVISION_SUFFIXES and nxt not in _DIVISION_SUFFIXES:
        return 0
    if (
        len(t.text) >= 3
        and t.text[-1] in _DIVISION_SUFFIXES
        and t.tag in _NAME_TAGS
        and t.text.isalnum()
        and not _DIVISION_SUFFIXES.issuperset(t.text)  # 市县乡
        and not t.text.endswith(_GENERIC_ENDS)  # 大城市, 百强县
    ):
        return 1 if _FUNCTION.isdisjoint(t.text) else 0
    if i + 1 < len(toks) and toks[i + 1].text in _DIVISION_SUFFIXES and len(t.text) >= 2 and t.text.isalnum():
        village = (
            toks[i + 1].text in "村乡镇"
            and t.tag == "n"
            and _DIVISION_SUFFIXES.isdisjoint(t.text)
            and not t.text.endswith("民")  # 渔民|村
        )
        if (t.tag in _NAME_TAGS or village) and _FUNCTION.isdisjoint(t.text):
            return 2
    return 0


_VILLAGE_ENDS = lexicon.section("place_rules", "village_ends")
_COMMON_PAIR_TAGS = frozenset(["b", "v", "d", "a"])
# Tags of one-character words that are no part of a place name (派|强|用|好|驻|村, 村|改|社区).
_NOT_NAME_TAGS = frozenset(["v", "a", "p", "d", "ad", "vd", "c", "u"])


_NOT_AFTER_PLACE = lexicon.section("place_rules", "not_after_place")
_DATELINE_SOURCES = lexicon.section("place_rules", "dateline_sources")


def _dateline(toks: tuple[Token, ...], i: int) -> bool:
    """Whether ``toks[i]`` is the place of a dateline: 本报|保定|五月十五日|电."""
    nxt = toks[i + 1].text if i + 1 < len(toks) else ""
    return (
        i > 0 and toks[i - 1].text in _DATELINE_SOURCES and (nxt[:1].isdigit() or nxt.endswith(("月", "日")))
    )


def _listed(toks: tuple[Token, ...], i: int) -> bool:
    """Whether ``toks[i]`` and a neighbour across a 、 are both country abbreviations: 中、阿."""
    after = i + 2 < len(toks) and toks[i + 1].text == "、" and toks[i + 2].text in COUNTRY_ABBR
    before = i >= 2 and toks[i - 1].text == "、" and toks[i - 2].text in COUNTRY_ABBR
    return after or before


def _after_pair(toks: tuple[Token, ...], i: int) -> bool:
    """Whether the word after ``toks[i]`` (or the next two, 等|地) says a pair of places."""
    return nxt_text(toks, i) in _AFTER_PAIR or nxt_text(toks, i) + nxt_text(toks, i + 1) in _AFTER_PAIR


def nxt_text(toks: tuple[Token, ...], i: int) -> str:
    return toks[i + 1].text if i + 1 < len(toks) else ""


@cache
def _stems() -> dict[str, int]:
    """Words of ``place_abbr.txt`` [words] -> length of the place at their front."""
    return {w.replace("|", ""): w.index("|") if "|" in w else 1 for w in PLACE_ABBR_WORDS}


def _word_stem(word: str) -> int:
    """Length of the place at the front of a word of ``place_abbr.txt`` [words] (京剧 -> 1,
    中华|民族 -> 2), or 0."""
    return _stems().get(word, 0)


@word_cache
def _inert(word: str) -> bool:
    """Whether no rule of :func:`places` starts at ``word`` (two characters or more) unless a
    division suffix follows it (渔民|村): no place, no place at its front, no abbreviation or
    verb first, no transliteration, no short form. One cached answer per word, so that the
    common words of a text cost one lookup.

    >>> _inert("发展"), _inert("河南"), _inert("访华")
    (True, False, False)
    """
    if (
        len(word) < 2
        or lookup(word) is not None
        or word[-1] in _DIVISION_SUFFIXES
        or word[0] in TRANSLIT_CHARS
        or word[0] in PLACE_ABBR
        or word[0] in _ABBR_VERBS
    ):
        return False
    short = _short_codes(word)
    if short or (short is not None and tag(word) == "ns"):
        return False
    return not _place_prefix(word) and not _word_stem(word)


def _short_codes(word: str) -> tuple[str, ...] | None:
    """Codes of the counties or larger divisions ``word`` may be a short form of, or None
    when ``word`` is too short, not a word or a listed common word (``place_stop.txt``)."""
    if len(word) < 2 or not word.isalnum() or word in PLACE_STOP:
        return None
    return place_names.county_codes(word)


@cache
def _single_cues() -> frozenset[str]:
    """One-character words that a rule of :func:`places` other than a name character starts at."""
    return TRANSLIT_CHARS | PLACE_ABBR | _ABBR_AFTER_VERB | COUNTRY_ABBR | _ALONE | frozenset(_stems())


@word_cache
def _place_prefix(word: str) -> int:
    """Length of a place name at the front of ``word`` when the rest is an ordinary word, else 0."""
    if len(word) < 3 or lookup(word) is not None or word in PLACE_STOP:
        return 0
    if word[0] in COUNTRY_ABBR and word[1:] in _STATE_WORDS:
        return 1
    for k in range(len(word) - 1, 1, -1):
        rest = word[k:]
        if rest in _LEVEL_SUFFIXES and lookup(word[:k]) is not None:
            return len(word)  # 邢台县, 青浦县: a former division named after a current one
        if (
            lookup(word[:k]) is not None
            and rest not in _NOT_AFTER_PLACE
            and (rest in _PLACE_TAILS or (len(rest) > 1 and tag(rest) is not None))
        ):
            return k  # not 挪威|克朗, a currency
    return 0


_GENERIC_ENDS = lexicon.ordered("place_rules", "generic_ends")
