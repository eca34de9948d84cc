"""EVENT mentions: named one-off meetings, congresses and expos.

- An ordinal, session or year (第五届, 十七届六次, 2022年) followed by a short name and an
  event head noun (博览会, 执委会, 智博会, 大赛; ``data/events.txt``), optionally preceded by
  the body that holds it (全总十七届六次执委会, 中国工会|第十八次全国代表大会: a short name
  of ``[bodies]`` or a word the segmenter tags as an organisation). No word of
  ``[not_inside]`` (以来, 召开, 的) nor a preposition, conjunction, adverb or pronoun (第一次|从|
  北京人民大会) stands between the number and the head, a session without 第 or body
  stands right before its head (十七届六次执委会, not 四届|打入|世界杯), and
  a number and a head alone (第一次会议, 第三次联席会议) name no event: whose meeting, they
  do not say (like 市委, they would merge every body's first meeting into one node).
- A meeting named by its purpose: 庆祝/纪念 … N周年大会 (庆祝某某协会成立50周年大会), and
  全国/中央 … 工作会议/座谈会/研讨会 (全国工会宣传工作会议).

Rule-only words live in ``data/event_rules.txt``. Numbered national meetings
(党的二十大, 十九届六中全会, 十四届全国人大一次会议) are found by :mod:`extract.recognition.congresses`,
which also gives their full names to resolution. An event named inside a campaign's
quoted name (“喜迎二十大 建功新时代”主题宣传教育) is part of the campaign's name, not a
mention of its own.

>>> from newskg.extract.doc import make_doc
>>> from newskg.extract.records import Article
>>> a = make_doc(Article(id="a", source="", title="", text="出席第五届中阿博览会和2021智博会。"))
>>> [m.text for m in events(a)]
['第五届中阿博览会', '2021智博会']
>>> [m.text for m in events(make_doc(Article(id="a", source="", title="", text="党的二十大召开。")))]
['党的二十大']
>>> t = "召开全国工会宣传工作会议，举办2022年全省职工职业技能大赛。"
>>> [m.text for m in events(make_doc(Article(id="a", source="", title="", text=t)))]
['全国工会宣传工作会议', '2022年全省职工职业技能大赛']
"""

from __future__ import annotations

import bisect
import re
from functools import cache

from newskg.extract.doc import Doc
from newskg.extract.recognition import congresses, divisions, lexicon
from newskg.extract.recognition.campaigns import campaigns
from newskg.extract.recognition.tokens import Token
from newskg.extract.records import Mention

_NUM = "[0-9０-９一二三四五六七八九十百零〇两]"


_NAME = "[\u4e00-\u9fffA-Za-z·]"
_MAX_BODY = 20


def _alternation(file: str, part: str) -> str:
    return "|".join(map(re.escape, sorted(lexicon.section(file, part), key=len, reverse=True)))


_SESSION = f"(?:第?{_NUM}{{1,3}}届(?:{_NUM}{{1,3}}[次中]?)?|(?:19|20)[0-9]{{2}}年?|第{_NUM}{{1,3}}次)"


@cache
def _pattern() -> re.Pattern[str]:
    heads = _alternation("events", "heads")
    return re.compile(f"(?:[\u4e00-\u9fff]{{2}})?{_SESSION}[\u4e00-\u9fffA-Za-z]{{0,12}}?(?:{heads})")


@cache
def _bare() -> re.Pattern[str]:
    """A number and a head alone (第一次会议, 第五次全体会议): whose meeting, it does not say."""
    return re.compile(f"{_SESSION}(?:{_alternation('event_rules', 'generic_heads')})")


# jieba tags of words that cannot stand inside an event's name: prepositions, conjunctions,
# adverbs, pronouns (第一次|从|北京人民大会…).
_NOT_IN_NAME = ("p", "c", "d", "r")


def _has_function_word(doc: Doc, starts: list[int], a: int, b: int) -> bool:
    """Whether a word of ``doc`` inside ``[a, b)`` is a preposition, conjunction, adverb or pronoun."""
    i = bisect.bisect_left(starts, a)
    while i < len(starts) and doc.tokens[i].end <= b:
        if (doc.tokens[i].tag or "x").startswith(_NOT_IN_NAME):
            return True
        i += 1
    return False


@cache
def _session_alone() -> re.Pattern[str]:
    """A session without 第 (十七届六次) directly before its head: 十七届六次执委会, not 四届|打入|世界杯."""
    cn = "[一二三四五六七八九十百零〇两]"
    return re.compile(f"{cn}{{1,3}}届(?:{cn}{{1,3}}[次中]?)?(?:{_alternation('events', 'heads')})")


@cache
def _purpose_patterns() -> tuple[re.Pattern[str], ...]:
    purpose = _alternation("event_rules", "purpose_heads")
    anniversary = _alternation("event_rules", "anniversary_heads")
    return (
        re.compile(f"(?:庆祝|纪念){_NAME}{{2,24}}?{_NUM}{{1,4}}周年(?:{anniversary})"),
        re.compile(f"(?:全国|中央){_NAME}{{1,14}}?(?:{purpose})"),
    )


@cache
def _not_inside() -> re.Pattern[str]:
    return re.compile(_alternation("event_rules", "not_inside"))


def _is_place(tok: Token) -> bool:
    return tok.tag == "ns" or bool(divisions.by_name(tok.text))


def _body_start(doc: Doc, ends: list[int], start: int) -> int:
    """Start of the organisation's name that ends at ``start``, else ``start``: a word the
    segmenter tags as one (中国科协|第十次…) or a known body, or an organisation head after
    places (河南省|总工会|第十五次…; a bare 工会 is no name). ``ends`` are the ends of
    ``doc``'s tokens."""
    i = bisect.bisect_left(ends, start)
    if i >= len(ends) or ends[i] != start:
        return start
    tok, first = doc.tokens[i], i
    while first > 0 and _is_place(doc.tokens[first - 1]) and start - doc.tokens[first - 1].start <= _MAX_BODY:
        first -= 1
    if tok.tag == "nt" or tok.text in lexicon.ORG_NAMES:
        return doc.tokens[first].start
    if tok.text in lexicon.ORG_HEADS_HEADS and first < i:
        return doc.tokens[first].start
    return start


def events(doc: Doc) -> list[Mention]:
    """EVENT mentions of ``doc`` (see the module docstring)."""
    text = doc.text
    out = [
        Mention(doc.id, m.start(), m.end(), "EVENT", m.group(), source="congresses")
        for m in congresses.find(text)
    ]
    numbered = [(m.start, m.end) for m in out]
    starts, ends = [t.start for t in doc.tokens], [t.end for t in doc.tokens]
    for m in _pattern().finditer(text):
        start = inner = m.start()
        body = m.group()[:2]
        if body in lexicon.section("events", "bodies"):
            inner += 2
        elif not re.match(f"第|{_NUM}|[0-9]", body):
            inner += 2
            start = _body_start(doc, ends, inner)
        if any(s < m.end() and start < e for s, e in numbered):
            continue  # 中央|十九届六中全会: the national meeting's own rule names it
        if start == inner and _bare().fullmatch(text, inner, m.end()):
            continue
        cn_session = re.match("[一二三四五六七八九十百零〇两]", text[inner : inner + 1])
        if start == inner and cn_session and not _session_alone().fullmatch(text, inner, m.end()):
            continue
        if not _not_inside().search(text, inner, m.end()) and not _has_function_word(
            doc, starts, inner, m.end()
        ):
            out.append(Mention(doc.id, start, m.end(), "EVENT", text[start : m.end()], source="events"))
    for pattern in _purpose_patterns():
        for m in pattern.finditer(text):
            if not _not_inside().search(text, m.start() + 2, m.end()):
                out.append(Mention(doc.id, m.start(), m.end(), "EVENT", m.group(), source="events"))
    inside = [(c.start, c.end) for c in campaigns(doc)]
    kept = [m for m in out if not any(s <= m.start and m.end <= e for s, e in inside)]
    return sorted(kept, key=lambda m: (m.start, m.end))
