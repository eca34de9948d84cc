"""PERSON mentions: Chinese names by surname and context, transliterated names, bylines.

- A surname followed by a one- or two-character given name (张敬涛); two-character
  names (陈刚) need a cue: a title before (书记, 记者) or a verb of saying after (说).
- Words jieba's dictionary tags as names (邓小平), unless they are common words
  (弘扬, 高水平 and others in ``data/person_stop.txt``).
- Transliterated names: runs of transliteration characters, and names joined by a
  middle dot (如克亚木·麦提赛地).
- A surname alone with 老/小 (老李 gives 李) or before an honorific or title (胡老, 唐外长
  give 胡, 唐).
- Names read from characters where jieba splits them (县长|吴|方军): a surname and
  given-name characters (those of jieba's dictionary names) after a title or before a
  title or a verb of saying, ending where jieba's next word starts; and names listed
  next to a found one (李亚莉、曾秀君).
- Byline people (``Doc.byline``) wherever their names occur.

>>> from newskg.extract.doc import make_doc
>>> from newskg.extract.records import Article
>>> a = make_doc(Article(id="a", source="", title="", text="市委书记张敬涛说，弘扬如克亚木·麦提赛地的精神。"))
>>> sorted({m.text for m in people(a)})
['如克亚木', '如克亚木·麦提赛地', '张敬涛']
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

import jieba.posseg
from newskg.extract.doc import Doc
from newskg.extract.recognition import lexicon, place_names
from newskg.extract.recognition.cues import place_context
from newskg.extract.recognition.gazetteer import lookup
from newskg.extract.recognition.lexicon import (
    GIVEN_CHARS,
    JAPANESE_SURNAMES,
    ORG_NAMES,
    PERSON_STOP,
    PLACE_HEADS_SUFFIX,
    SURNAMES,
    TITLES,
    TRANSLIT_CHARS,
)
from newskg.extract.recognition.tokens import Token, tag, word_cache
from newskg.extract.records import Mention

_NOT_GIVEN = lexicon.section("people_rules", "not_given")
_SAY = lexicon.section("people_rules", "say")
_SPEECH = lexicon.section("people_rules", "speech")
_DOT = "·•‧・"
_WEAK_SAY = lexicon.section("people_rules", "weak_say")
_STRONG_SAY = _SAY - _WEAK_SAY
_HONORIFIC = lexicon.section("people_rules", "honorific")
_NOT_NAME_TAGS = frozenset({"c", "p", "d", "u", "uj", "ul", "r", "f", "q", "m"})
_GIVEN_WORD_TAGS = frozenset({"a", "n", "nz", "ns", "nr", "v", "vn", "ad", "an", "t", "s"})
_NAME_SUFFIXES = lexicon.ordered("people_rules", "name_suffixes")


_SITE_ENDS = lexicon.section("people_rules", "site_ends")


# Tokens after which a name may end: punctuation, function words, common verbs.
_AFTER_NAME_TAGS = frozenset({"uj", "ul", "p", "c", "v", "d", "u", "y"})


def _boundary(t: Token) -> bool:
    """Whether a name may stop or start next to ``t`` (punctuation or a function word)."""
    return not t.text[0].isalnum() or t.tag in _AFTER_NAME_TAGS


def _likely_two_char(toks: tuple[Token, ...], i: int) -> bool:
    """A surname (``toks[i]``) and a common given-name character, between boundaries: 王芳在."""
    g = toks[i + 1]
    if g.text not in GIVEN_CHARS:
        return False
    before = toks[i - 1] if i else None
    after = toks[i + 2] if i + 2 < len(toks) else None
    left = before is None or _boundary(before)
    right = after is None or _boundary(after)
    if toks[i].tag not in ("nr", "nrfg"):
        # 柳|萍|的: a surname that is also a noun or an adjective, with a character jieba tags
        # as a name, between boundaries and not after a verb (感|党|恩)
        return (
            toks[i].tag in ("n", "a", "zg", "ng", None)
            and g.tag in ("nr", "nrfg")
            and left
            and right
            and (before is None or before.tag not in ("v", "p"))
        )
    # 杨|洁 after 姑娘: a given-name character jieba itself tags as part of a name needs one side
    return (left and right) or (g.tag in ("nr", "nrt", "ng", "zg", "ag", "g") and (left or right))


def after_cue(toks: tuple[Token, ...], i: int) -> bool:
    """Whether the token after ``toks[i]`` is a verb of saying or a title."""
    return i + 1 < len(toks) and toks[i + 1].text in _STRONG_SAY


def _name_prefix(t: Token) -> int:
    """Length of a dictionary name at the front of a longer word (邓小平理论 -> 3), or 0."""
    return _name_prefix_of(t.text) if len(t.text) >= 4 else 0


@word_cache
def _name_prefix_of(word: str) -> int:
    for k in (3, 2):
        if word[k:] in _NAME_SUFFIXES and tag(word[:k]) in ("nr", "nrfg"):
            return k
    return 0


def _is_char(t: Token) -> bool:
    return len(t.text) == 1 and "\u4e00" <= t.text <= "\u9fff"


def _given(t: Token) -> bool:
    return _is_char(t) and t.text not in _NOT_GIVEN and t.tag not in ("p", "c", "u", "y", "e", "o")


def _name_part(t: Token) -> bool:
    """A short token that can be part of a transliterated name (no function characters)."""
    if len(t.text) <= 6 and TRANSLIT_CHARS.issuperset(t.text):
        return True  # 普雷斯科特
    return (
        (len(t.text) <= 2 or (len(t.text) <= 4 and t.tag in ("nr", "nrt", "nrfg")))
        and t.tag not in ("t", "m", "f", "r")
        and all("\u4e00" <= c <= "\u9fff" and (c not in _NOT_GIVEN or c in TRANSLIT_CHARS) for c in t.text)
        and t.tag not in ("p", "c", "u", "uj", "y", "e", "o", "v", "d")
        and t.text not in TITLES
    )


@cache
def _surnames() -> tuple[frozenset[str], frozenset[str]]:
    return frozenset(w for w in SURNAMES if len(w) == 1), frozenset(w for w in SURNAMES if len(w) == 2)


def _mention(doc: Doc, start: int, end: int) -> Mention:
    return Mention(doc.id, start, end, "PERSON", doc.text[start:end], source="people")


def _three_char_name(t: Token) -> bool:
    """A three-character word of a surname and two given-name characters (辛业江, 刘彦彬)."""
    if len(t.text) != 3 or t.tag not in ("nz", "ns", "n", "nr", None) or lookup(t.text) is not None:
        return False
    return (
        t.text[0] in _surnames()[0]
        and t.text[1] in GIVEN_CHARS
        and t.text[2] in GIVEN_CHARS
        and _NOT_GIVEN.isdisjoint(t.text[1:])
        and t.text not in PERSON_STOP
    )


def _division_short(word: str) -> bool:
    """Whether ``word`` is the short form of a county or larger division (安福 for 安福县)."""
    return bool(place_names.county_codes(word))


def _translit(word: str) -> bool:
    return TRANSLIT_CHARS.issuperset(word)


def _head_compound(word: str) -> bool:
    """A word and a non-name character (纪念|章, 高新|区), unlike a name jieba knows (郭沫若)."""
    w = word
    return (w[2] in _NOT_GIVEN and tag(w[:2]) not in _NAME_TAGS) or (
        w[1] in _NOT_GIVEN and tag(w[1:]) not in _NAME_TAGS
    )


_NAME_TAGS = frozenset([None, "nr", "nrfg", "nrt"])


_DICT_NAME_TAGS = frozenset(["nr", "nrfg", "nrt"])


def _dictionary_name(t: Token) -> bool:
    """A word jieba tags as a name that looks like one."""
    if t.tag not in _DICT_NAME_TAGS or t.text in PERSON_STOP:
        return False
    if lookup(t.text) is not None or t.text in ORG_NAMES or _division_short(t.text):
        return False  # 安福: a county's short form that jieba tags as a name
    single, double = _surnames()
    if len(t.text) == 3 and (t.text[0] in single or t.text[:2] in double):
        return _FUNCTION_CHARS.isdisjoint(t.text[1:]) and not _head_compound(t.text)
    return len(t.text) >= 2 and TRANSLIT_CHARS.issuperset(t.text)


@word_cache
def _name_start(word: str) -> bool:
    """Whether a rule of :func:`_chinese_names` may start at ``word``: a surname first, a word
    jieba tags as a name, 老 or 小 first, or a name at the front of a longer word."""
    single, double = _surnames()
    return (
        word[0] in single
        or tag(word) in _DICT_NAME_TAGS
        or word in double
        or word[0] in "老小"
        or (len(word) >= 4 and _name_prefix_of(word) > 0)
    )


def _chinese_names(doc: Doc, toks: tuple[Token, ...]) -> list[Mention]:
    single, double = _surnames()
    out = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if not _name_start(t.text):
            i += 1  # no rule below can start at this word
            continue
        prev = toks[i - 1] if i else None
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if (
            len(t.text) == 1
            and t.text in single
            and t.tag in ("nr", "nrfg", "ng", None)
            and nxt is not None
            and (nxt.text in _HONORIFIC or nxt.text in TITLES)
        ):
            out.append(_mention(doc, t.start, t.end))  # 胡|老, 唐|外长: the surname alone
            i += 2
            continue
        if (
            len(t.text) >= 2
            and t.text[0] in single
            and t.text[1:] in _HONORIFIC
            and t.tag in ("nr", "nrfg", None)
        ):
            out.append(_mention(doc, t.start, t.start + 1))  # 李老师 -> 李
            i += 1
            continue
        if _dictionary_name(t):
            # 在|杜塞尔多夫: a place; 来到|王永祥|跟前: a Chinese name stays a name
            chinese = len(t.text) == 3 and _surname_at(t.text, 0) and not _translit(t.text)
            if chinese or not place_context(toks, i, i + 1):
                out.append(_mention(doc, t.start, t.end))
            i += 1
            continue
        if _three_char_name(t):
            out.append(_mention(doc, t.start, t.end))
            i += 1
            continue
        named = _name_prefix(t)
        if named:
            out.append(_mention(doc, t.start, t.start + named))
            i += 1
            continue
        if (t.text in single or t.text in double) and (t.tag == "q" or t.tag not in _NOT_NAME_TAGS):
            g = i + 1
            while g < len(toks) and g - i <= 2 and _given(toks[g]):
                g += 1
            n_given = g - i - 1
            after = toks[g] if g < len(toks) else None
            titled = prev is not None and prev.text not in _GROUP_NOUNS and prev.text.endswith(tuple(TITLES))
            # 和, 与, 及, 等 after a name are weak cues: enough only after a surname jieba tags as one.
            say = _STRONG_SAY if t.tag not in ("nr", "nrfg") else _SAY
            cue = titled or (after is not None and after.text in say)
            # 对|党|忠诚, 建|强|做|优, 解|民|忧: a common word after a verb, or a verb in the name
            # other than a character common in names (张|铁|发, 高|允|连)
            plausible = t.tag in ("nr", "nrfg") or (
                (prev is None or prev.tag not in ("v", "p"))
                and not any(x.tag == "v" and x.text not in _name_chars() for x in toks[i + 1 : g])
            )
            village = after is not None and after.text in _VILLAGE_SUFFIXES  # 郝|家|桥|村
            if n_given == 2 and (cue or ((after is None or not _given(after)) and plausible and not village)):
                out.append(_mention(doc, t.start, toks[g - 1].end))
                i = g
                continue
            if n_given == 1 and len(t.text) == 1 and (cue or (_likely_two_char(toks, i) and not village)):
                out.append(_mention(doc, t.start, toks[i + 1].end))
                i = g
                continue
            # 江宏伟说: a surname and a two-character word, with a cue.
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            after2 = toks[i + 2] if i + 2 < len(toks) else None
            given = GIVEN_CHARS
            if (
                n_given == 0
                and t.tag not in _NOT_NAME_TAGS
                and nxt is not None
                and lookup(nxt.text) is None
                and len(nxt.text) == 2
                and nxt.tag in _GIVEN_WORD_TAGS
                and nxt.text[-1] not in _SITE_ENDS  # 古|子城: a place, not a name
                and after2 is not None
                and (after2.text in say or (given.issuperset(nxt.text) and _boundary(after2)))
                and (prev is None or _boundary(prev) or cue or after2.text in _SPEECH)
                and (plausible or cue)
            ):
                out.append(_mention(doc, t.start, nxt.end))
                i += 2
                continue
            # 胡老, 王总, 王某, 王小姐: a surname with an honorific.
            if n_given == 0 and after is not None and after.text in _HONORIFIC and len(t.text) == 1:
                out.append(_mention(doc, t.start, t.end))
        # 老李, 小王: one token.
        if len(t.text) == 2 and t.text[0] in "老小" and t.text[1] in single and t.tag in ("nr", None):
            out.append(_mention(doc, t.start + 1, t.end))
        # 罗干说: a two- or three-character word led by a surname, with a cue.
        elif (
            len(t.text) in (2, 3)
            and t.text[0] in single
            and (t.tag in ("nr", "nrfg") or (t.tag == "t" and len(t.text) == 3))
            and _NOT_GIVEN.isdisjoint(t.text[1:])
            and lookup(t.text) is None
            and t.text not in PERSON_STOP
            and (len(t.text) == 3 or after_cue(toks, i))
        ):
            out.append(_mention(doc, t.start, t.end))
        i += 1
    return out


@word_cache
def _translit_word(text: str) -> bool:
    """A short word of the text (with its dictionary tag) made of transliteration characters
    that is not a common word."""
    if len(text) > 3 or not TRANSLIT_CHARS.issuperset(text):
        return False
    if len(text) > 1 and lookup(text) is not None:
        return False
    return len(text) == 1 or tag(text) in ("nr", "nrt", "ns", None)


_AFTER_TITLES = lexicon.section("people_rules", "after_titles")


def _translit_names(doc: Doc, toks: tuple[Token, ...]) -> list[Mention]:
    """Runs of three or more one-character transliteration tokens (基里延科)."""
    flags = [*map(_translit_word, [t.text for t in toks])]
    out = []
    i = 0
    while i < len(toks):
        if not flags[i]:
            i += 1  # no name starts here
            continue
        j = i
        while j < len(toks) and flags[j]:
            whole = (
                len(toks[j - 1].text) >= 3
                and toks[j - 1].tag in ("nr", "nrt")
                and not (j + 1 < len(toks) and flags[j + 1])
            )
            if j > i and (
                whole and toks[j].tag in _NOT_NAME_TAGS | {"v"} or toks[j].text in "则即便就又还也都才"
            ):
                break  # 克林顿|派: a verb after a whole name is no part of it
            j += 1
        chars = toks[j - 1].end - toks[i].start if j > i else 0
        titled = j < len(toks) and toks[j].text in _AFTER_TITLES  # 拉埃|女士, 保拉|说
        if (
            (j - i >= 2 or (j - i == 1 and toks[i].tag in ("nr", "nrt")))
            and (chars >= 3 or (chars == 2 and titled))
            and not (j < len(toks) and toks[j].text[0] in PLACE_HEADS_SUFFIX)
            and not place_context(toks, i, j)
        ):
            out.append(_mention(doc, toks[i].start, toks[j - 1].end))
        i = max(j, i + 1)
    return out


def _dotted_names(doc: Doc, toks: tuple[Token, ...]) -> list[Mention]:
    """Names joined by a middle dot: transliteration tokens before it, name tokens after it."""
    if not any(d in doc.text for d in _DOT):
        return []
    out = []
    i = 0
    while i < len(toks):
        if toks[i].text not in _DOT or i == 0:
            i += 1
            continue
        s = i
        while (
            s > 0
            and s > i - 4
            and (
                TRANSLIT_CHARS.issuperset(toks[s - 1].text)
                or (toks[s - 1].tag in ("nr", "nrt") and len(toks[s - 1].text) <= 4)
            )
            # 副司令官|马克思, 荷兰人|维姆: a title or a nationality before the name
            and not _is_title(toks[s - 1])
            and not (len(toks[s - 1].text) > 1 and toks[s - 1].text.endswith("人"))
        ):
            s -= 1
        e = i
        while e + 1 < len(toks) and (_name_part(toks[e + 1]) or toks[e + 1].text in _DOT):
            e += 1
        if s < i < e:
            out.append(_mention(doc, toks[s].start, toks[e].end))
        i = e + 1
    return out


_BYLINE = re.compile(r"(?:记者|通讯员|摄影|实习生)[ \u3000]*((?:[\u4e00-\u9fff]{2,4}[ \u3000、，,]*){1,8})")


def _byline_names(doc: Doc) -> list[Mention]:
    """Names listed after 记者/通讯员 (记者郑小丽 郝赫 朱欣), and the names of ``doc.byline``."""
    single, double = _surnames()
    out = []
    for m in _BYLINE.finditer(doc.text):
        parts = list(re.finditer(r"[\u4e00-\u9fff]+", m.group(1)))
        if len(parts) < 2 and not re.match(r"[ \u3000]*[)）]", doc.text[m.end() :]):
            continue  # one name must be closed by a bracket: (记者许春豫)
        for p in parts:
            name = p.group()
            if 2 <= len(name) <= 3 and (name[0] in single or name[:2] in double):
                start = m.start(1) + p.start()
                out.append(_mention(doc, start, start + len(name)))
    for p in doc.byline:
        if not p.name:
            continue
        for m in re.finditer(re.escape(p.name), doc.text):
            out.append(_mention(doc, m.start(), m.end()))
    return out


@cache
def _name_chars() -> frozenset[str]:
    """Characters that recur in given names: those of jieba's three-character names (tag nr)."""
    single, _ = _surnames()
    counts: Counter[str] = Counter()
    for word, pos in jieba.posseg.dt.word_tag_tab.items():
        if pos == "nr" and len(word) == 3 and word[0] in single:
            counts.update(word[1:])
    return frozenset(c for c, n in counts.items() if n >= 5 and c not in _FUNCTION_CHARS)


_FUNCTION_CHARS = lexicon.section("people_rules", "function_chars")


_WORD_TAGS = frozenset(
    ["n", "v", "a", "d", "vn", "ad", "an", "t", "m", "q", "r", "p", "c", "u", "f", "l", "i"]
)


_GROUP_NOUNS = lexicon.section("people_rules", "group_nouns")
_COMMON_TAGS = frozenset(["n", "v", "vn", "a", "l", "i", "d"])


def _is_title(t: Token) -> bool:
    """A title, or a word ending in one (副参谋长, 国务委员)."""
    return _title_word(t.text)


@word_cache
def _title_word(word: str) -> bool:
    return word in TITLES or any(word[-k:] in TITLES for k in range(2, min(len(word), 5) + 1))


@cache
def _surname_firsts() -> frozenset[str]:
    """The first characters of surnames."""
    single, double = _surnames()
    return single | frozenset(w[0] for w in double)


def _surname_at(text: str, p: int) -> int:
    """Length of the surname starting at ``text[p]`` (2 for 欧阳, 1 for 王), or 0; never a function word."""
    single, double = _surnames()
    if text[p : p + 2] in double:
        return 2
    return 1 if text[p : p + 1] in single and text[p : p + 1] not in _FUNCTION_CHARS else 0


def _cued_names(doc: Doc, toks: tuple[Token, ...]) -> list[Mention]:
    """A surname and one or two given-name characters between a title and a word boundary.

    Unknown names come out of jieba as single characters or odd words (县长|吴|方军|分管),
    so the name is read from the characters: it starts after a title (or before a title
    or a verb of saying) and ends where jieba's next word starts.
    """
    chars = _name_chars()
    text = doc.text
    starts: dict[int, Token] = {}
    out = []
    firsts = _surname_firsts()
    for i, t in enumerate(toks):
        if t.text[0] not in firsts:
            continue
        p = t.start
        k = _surname_at(text, p)
        if not k:
            continue
        left_title = i > 0 and _is_title(toks[i - 1]) and toks[i - 1].text not in _GROUP_NOUNS
        left_free = i == 0 or not toks[i - 1].text[-1].isalnum() or toks[i - 1].tag in ("p", "c", "uj", "d")
        if not (left_title or left_free):
            continue
        starts = starts or {x.start: x for x in toks}
        for n in (2, 1):
            end = p + k + n
            given = text[p + k : end]
            if len(given) < n or end not in starts and end != len(text) or not chars.issuperset(given):
                continue
            word = text[p:end]
            if given[0] in _HONORIFIC or (TRANSLIT_CHARS.issuperset(text[p : end + 1]) and end < len(text)):
                break  # 胡老, 王某; 斯捷帕|申: a transliterated name goes on
            first = starts[p]
            straddles = first.end not in (p + k, end) and first.tag not in ("nr", "nrfg")
            if straddles or given in TITLES:
                break  # 程度|上, 满意|地, 向|记者: a word, not a name
            if first.end == end and first.tag in (_WORD_TAGS if n == 1 else _COMMON_TAGS):
                break  # a common word: 高度, 马上
            last = starts.get(end - 1)
            if last is not None and last.end == end and last.tag in ("c", "p", "u", "uj", "ul", "y", "r"):
                break  # 丁东|所|言: a function word ends no name
            if lookup(word) is not None or word in PERSON_STOP:
                break
            after = starts.get(end)
            say = _STRONG_SAY
            right_cue = after is not None and (_is_title(after) or after.text in say)
            if left_title or right_cue:
                out.append(_mention(doc, p, end))
            break
    return out


def _japanese_names(doc: Doc, toks: tuple[Token, ...]) -> list[Mention]:
    """Japanese names by a family name of ``data/japanese_surnames.txt``: a dictionary word
    (冈田武史, 东条英机); the family name and a given name of two or three characters before
    a title, a verb of saying or another verb (谷口|清|太郎|等, 久间|章|生|转达); or the
    family name alone before a title or a verb of saying (桥本|首相, 桥本|还|表示)."""
    text = doc.text
    firsts = _japanese_firsts()
    say = _STRONG_SAY | {"等"}
    starts: dict[int, int] = {}
    out = []
    for t in toks:
        if t.text[0] not in firsts:
            continue
        p = t.start
        for n in (3, 2):
            sur = text[p : p + n]
            if sur not in JAPANESE_SURNAMES:
                continue
            rest = t.text[n:]
            if 2 <= len(rest) <= 3 and t.tag in ("nr", "nrfg", "nrt", "n") and tag(rest) in _NAME_TAGS:
                if _FUNCTION_CHARS.isdisjoint(rest):
                    out.append(_mention(doc, t.start, t.end))  # 松下幸之助
                break
            if lookup(sur) is not None or sur in ORG_NAMES:
                break  # 和田, 松下: also a place or a company
            starts = starts or {x.start: k for k, x in enumerate(toks)}
            j = starts.get(p + n)
            if j is None:
                break  # the family name ends inside a word
            nxt = toks[j] if j < len(toks) else None
            if nxt is not None and (_is_title(nxt) or nxt.text in say or nxt.text in _HONORIFIC):
                out.append(_mention(doc, p, p + n))  # 桥本|首相
                break
            if (
                nxt is not None
                and nxt.tag == "d"
                and len(nxt.text) == 1
                and j + 1 < len(toks)
                and toks[j + 1].text in say
            ):
                out.append(_mention(doc, p, p + n))  # 桥本|还|表示
                break
            g = j
            while g < len(toks) and toks[g].end - (p + n) <= 3 and _given_part(toks[g]):
                g += 1
                after = toks[g] if g < len(toks) else None
                cue = after is not None and (
                    _is_title(after) or after.text in say or (after.tag == "v" and len(after.text) > 1)
                )
                if toks[g - 1].end - (p + n) >= 2 and cue:
                    out.append(_mention(doc, p, toks[g - 1].end))  # 谷口|清|太郎|等
                    break
            break
    return out


def _given_part(t: Token) -> bool:
    """A token that may be part of a Japanese given name (章, 太郎, 正义; not 会长, 在)."""
    if not all("\u4e00" <= c <= "\u9fff" and c not in _FUNCTION_CHARS for c in t.text):
        return False
    if len(t.text) == 1:
        return t.tag in ("q", "m", "d") or t.tag not in _NOT_NAME_TAGS
    if t.text[-1] in "地得":
        return False  # 坦率地: an adverb
    return t.tag in _JP_GIVEN_TAGS and not _is_title(t) and lookup(t.text) is None


# Tags of words that are Japanese given names or parts of them (太郎/n, 纯一/b, 纪子/n, 正义/n).
_JP_GIVEN_TAGS = frozenset(["n", "nr", "nrt", "nrfg", "nz", "b", "t", None])


@cache
def _japanese_firsts() -> frozenset[str]:
    return frozenset(w[0] for w in JAPANESE_SURNAMES)


# 对 pairs players (吕钦对许银川) or speakers (王明对李刚说).
_LIST_SEPARATORS = "、和与及／/对"
_VILLAGE_SUFFIXES = lexicon.section("people_rules", "village_suffixes")


def _listed_names(doc: Doc, toks: tuple[Token, ...], found: list[Mention]) -> list[Mention]:
    """Names listed next to a found name (李亚莉、曾秀君): a surname and one or two given-name
    characters between a separator and the next word boundary, repeated along the list."""
    text = doc.text
    todo = [m.end for m in found if m.end < len(text) and text[m.end] in _LIST_SEPARATORS]
    if not todo:
        return []
    chars = _name_chars()
    bounds = {t.start for t in toks} | {len(text)}
    spans = {(m.start, m.end) for m in found}
    out: list[Mention] = []
    while todo:
        p = todo.pop()
        if p >= len(text) or text[p] not in _LIST_SEPARATORS:
            continue
        if text[p] == "对" and p + 1 not in bounds:
            continue  # 对 of a pairing (吕钦|对|许银川), not of a word (对付)
        p += 1
        k = _surname_at(text, p)
        for n in (2, 1) if k else ():
            end = p + k + n
            given = text[p + k : end]
            after = text[end : end + 1]
            if (
                len(given) == n
                and end in bounds
                and chars.issuperset(given)
                and (
                    not after
                    or after in _LIST_SEPARATORS
                    or not after.isalnum()
                    or after in "等"
                    or _token_at(toks, end, min_len=2)
                )
                and (p, end) not in spans
                and lookup(text[p:end]) is None
            ):
                out.append(_mention(doc, p, end))
                spans.add((p, end))
                todo.append(end)
                break
    return out


def _token_at(toks: tuple[Token, ...], start: int, min_len: int) -> bool:
    """Whether a word of ``min_len`` characters or more starts at ``start``."""
    return any(t.start == start and len(t.text) >= min_len for t in toks)


def people(doc: Doc) -> list[Mention]:
    """PERSON mentions of ``doc`` (see the module docstring)."""
    toks = doc.tokens
    found = (
        _sourced(_dotted_names(doc, toks), "people.dotted")
        + _chinese_names(doc, toks)
        + _cued_names(doc, toks)
        + _sourced(_translit_names(doc, toks), "people.translit")
        + _sourced(_japanese_names(doc, toks), "people.japanese")
    )
    ends = {t.end: t for t in toks} if found else {}
    found = _sourced(_byline_names(doc), "people.byline") + [m for m in found if not _after_place(ends, m)]
    found += _listed_names(doc, toks, found)
    return [m for m in found + _repeated(doc, found) if not _thing(doc.text, m)]


def _sourced(found: list[Mention], source: str) -> list[Mention]:
    """``found``, each marked as found by the rule named ``source`` (the tagger trusts some)."""
    for m in found:
        m.source = source
    return found


def _after_place(ends: dict[int, Token], m: Mention) -> bool:
    """Whether ``m`` follows a place name with nothing between: a company, a brand or a site
    (西安|康明斯, 日本|雅马哈, 天水市|伏羲庙), not a person."""
    prev = ends.get(m.start)
    return prev is not None and len(prev.text) > 1 and lookup(prev.text) is not None


_THING_ENDS = lexicon.ordered("people_rules", "thing_ends")
_THING_AFTER = lexicon.ordered("people_rules", "thing_after")


def _thing(text: str, m: Mention) -> bool:
    """Whether a transliterated-looking mention names a thing, not a person."""
    if m.text.endswith(_THING_ENDS) and len(m.text) >= 3:
        return True
    if _surname_at(m.text, 0) and not _translit(m.text):
        return False  # 李肇星: a Chinese name
    if m.text.endswith("星") and len(m.text) >= 3:
        return True
    after = text[m.end : m.end + 2].lstrip("”\"'’")
    return after.startswith(_THING_AFTER)


def _repeated(doc: Doc, found: list[Mention]) -> list[Mention]:
    """Other occurrences of a name found once (a name cued once is a name everywhere).

    Only names of three characters or more, or two-character ones that are not common
    words, at word boundaries of jieba's segmentation.
    """
    text = doc.text
    names = {m.text for m in found if len(m.text) >= 3 or tag(m.text) in (None, "nr", "nrfg", "nrt")}
    if not names:
        return []
    starts = {t.start for t in doc.tokens} | {len(text)}
    have = {(m.start, m.end) for m in found}
    out = []
    for name in names:
        if len(name) < 2:
            continue
        pos = text.find(name)
        while pos >= 0:
            end = pos + len(name)
            if (pos, end) not in have and pos in starts and end in starts:
                out.append(_mention(doc, pos, end))
            pos = text.find(name, end)
    return out
