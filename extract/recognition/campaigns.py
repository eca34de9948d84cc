"""CAMPAIGN mentions: named campaigns, programmes, competitions and initiatives (and the
organisations that quoted names are, which the quotes delimit better than the tagger).

- A quoted name followed by a head noun (“安康杯”竞赛, “三有三化”建设,
  “不忘初心、牢记使命”主题教育); the mention includes the quotes. The head may be led by
  modifiers (“中国梦·劳动美——喜迎二十大 建功新时代”主题宣传教育 = 主题 + 宣传 + 教育).
- Several quoted names sharing one head (“大学习”“大调研”活动, “送温暖”、“金秋助学”等活动):
  each quoted name is a campaign of its own, labelled with the shared head (“大学习”活动,
  “大调研”活动), so that the one a later article names alone is the same node; its mention
  is the quoted name.
- A quoted name that is a campaign on its own by its last word (“工会创业贷”), unless it is a
  sentence (it holds a comma) or ends in an organisation head (“某某银行”, “某某联盟”): with
  three characters or more before the head, such a name is an ORG (the name inside the quotes,
  “某某省劳模创新工作室联盟”), since the quotes mark where it starts, unless it is a title
  (被评为“红旗党支部”, “模范大队”荣誉称号).
- An unquoted programme: a head (改革, 战略, 工程, 行动, 计划) after a modifier of four
  characters or two words, governed by a verb (实施|职工素质提升|工程,
  深化|产业工人队伍建设|改革); generic ones (推进各项改革, 重点工程) are none.
- Nationwide campaigns by name (脱贫攻坚, 乡村振兴, 党史学习教育; ``data/campaigns.txt``).

Word lists: ``data/campaigns.txt`` (names and head nouns) and ``data/campaign_rules.txt``.

>>> from newskg.extract.doc import make_doc
>>> from newskg.extract.records import Article
>>> a = make_doc(Article(id="a", source="", title="", text="开展“安康杯”竞赛，助力乡村振兴。"))
>>> [m.text for m in campaigns(a)]
['“安康杯”竞赛', '安康杯', '乡村振兴']
>>> a = make_doc(Article(id="a", source="", title="", text="开展“读好书”“练技能”活动。"))
>>> [(m.text, m.label) for m in campaigns(a)]
[('“读好书”', '“读好书”活动'), ('“练技能”', '“练技能”活动')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from newskg.extract.doc import Doc
from newskg.extract.recognition import lexicon
from newskg.extract.recognition.tokens import Token
from newskg.extract.records import Mention

_QUOTED = re.compile(r"[“\"「『]([^”\"」』\n]{1,30})[”\"」』]")
# What may stand between two quoted names that share a head, and before the head: nothing, a
# list comma or a conjunction.
_RUN_GAP = frozenset(["", "、"]) | lexicon.section("campaign_rules", "run_joiners")
_BEFORE_HEAD = "等"
# Punctuation and symbols that make a quoted span a sentence or a formula, not a name.
_SENTENCE = re.compile("[，,。！？!?：:；;＞<>＜=＝]")
_NAME = re.compile("[\u4e00-\u9fffA-Za-z0-9·]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# jieba tags of words that cannot be part of a programme's name: pronouns, numerals,
# prepositions, conjunctions, particles, adverbs (also adjectives used as adverbs, 努力/ad),
# people's names.
_NOT_IN_NAME = ("r", "m", "p", "c", "u", "d", "ad", "nr")
_MAX_MODIFIER = 14


def _alternation(words: frozenset[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


@cache
def _names() -> re.Pattern[str]:
    return re.compile(_alternation(lexicon.section("campaigns", "names")))


@cache
def _head() -> re.Pattern[str]:
    mods = _alternation(lexicon.section("campaign_rules", "head_modifiers"))
    return re.compile(f"(?:{mods}){{0,4}}(?:{_alternation(lexicon.section('campaigns', 'heads'))})")


def _rules(part: str) -> frozenset[str]:
    return lexicon.section("campaign_rules", part)


def _mention(doc: Doc, start: int, end: int, label: str = "") -> Mention:
    text = doc.text[start:end]
    return Mention(doc.id, start, end, "CAMPAIGN", text, label=label or text, source="campaigns")


def _runs(text: str) -> Iterator[list[re.Match[str]]]:
    """Runs of quoted names next to each other (“大学习”“大调研”, “甲”、“乙”和“丙”)."""
    run: list[re.Match[str]] = []
    for m in _QUOTED.finditer(text):
        if run and text[run[-1].end() : m.start()] not in _RUN_GAP:
            yield run
            run = []
        run.append(m)
    if run:
        yield run


def _quoted(doc: Doc) -> list[Mention]:
    text = doc.text
    out = []
    suffixes = tuple(lexicon.section("campaigns", "quoted_suffix"))
    for run in _runs(text):
        end = run[-1].end()
        etc = text.startswith(_BEFORE_HEAD, end)
        head = _head().match(text, end + len(_BEFORE_HEAD) if etc else end)
        if head and len(run) == 1 and not etc:
            out.append(_mention(doc, run[0].start(), head.end()))
        elif head:
            out.extend(_mention(doc, m.start(), m.end(), m.group() + head.group()) for m in run)
        else:
            out.extend(
                _mention(doc, m.start(), m.end()) for m in run if _campaign_by_suffix(m.group(1), suffixes)
            )
            if not _is_title(text, run[0].start(), end):
                out.extend(_org(doc, m) for m in run if _org_head(m.group(1)))
    return out


def _is_title(text: str, start: int, end: int) -> bool:
    """Whether the quoted names in ``text[start:end]`` are titles (评为“红旗党支部”, “…”荣誉称号)."""
    before = text[max(start - 6, 0) : start]  # 评出十个“…”: a measure word may come between
    return any(w in before for w in _rules("title_before")) or text.startswith(
        tuple(_rules("title_after")), end
    )


def _org_head(name: str) -> str:
    """The organisation head ``name`` ends in after three characters or more (某某工作室|联盟), or ""."""
    if not _NAME.fullmatch(name):
        return ""  # “法院+工会”: a mechanism, not one body
    return next((h for h in _long_org_heads() if name.endswith(h) and len(name) - len(h) >= 3), "")


@cache
def _long_org_heads() -> tuple[str, ...]:
    return tuple(sorted((h for h in lexicon.ORG_HEADS_HEADS if len(h) > 1), key=len, reverse=True))


def _org(doc: Doc, m: re.Match[str]) -> Mention:
    """A quoted organisation's name, without the quotes: “某某省劳模工匠创新人才工作室联盟”."""
    return Mention(doc.id, m.start(1), m.end(1), "ORG", m.group(1), source="campaigns.quoted_org")


def _campaign_by_suffix(name: str, suffixes: tuple[str, ...]) -> bool:
    """Whether a quoted ``name`` with no head after it is a campaign by its last word (工会创业贷),
    not a sentence (“博物馆不仅为…服务”) nor an organisation (“某某银行”, “某某联盟”)."""
    return (
        len(name) >= 3
        and name.endswith(suffixes)
        and not _SENTENCE.search(name)
        and not any(name.endswith(h) for h in _long_org_heads())
    )


def _is_programme_head(word: str) -> bool:
    heads = _rules("programme_heads")
    return word in heads or any(
        word.endswith(h) and word[: -len(h)] in _rules("head_modifiers") for h in heads
    )


def _continues(tok: Token | None) -> bool:
    """Whether ``tok`` continues the word before it (战略|合作, 改革|举措): a noun or unknown word."""
    return (
        tok is not None
        and bool(_CJK.match(tok.text))
        and (tok.tag is None or tok.tag[0] == "n" or tok.tag == "vn")
    )


def _governs(tok: Token) -> bool:
    return any(tok.text.endswith(v) for v in _rules("programme_verbs"))


def _programme_start(toks: tuple[Token, ...], i: int) -> int | None:
    """Index of the first token of the programme whose head is ``toks[i]``, or None."""
    j = i - 1
    while j >= 0 and toks[i].start - toks[j].start <= _MAX_MODIFIER:
        t = toks[j]
        if _governs(t):
            break
        if not _CJK.match(t.text) or (t.tag or "x").startswith(_NOT_IN_NAME):
            return None
        j -= 1
    if j < 0 or j == i - 1 or not _governs(toks[j]):
        return None
    modifier = toks[j + 1 : i]
    chars = sum(len(t.text) for t in modifier)
    if chars < 4 and len(modifier) < 2 or chars > _MAX_MODIFIER:
        return None
    if all(t.text in _rules("generic_modifiers") for t in modifier):
        return None
    return j + 1


def _programmes(doc: Doc) -> list[Mention]:
    toks = doc.tokens
    names = lexicon.section("campaigns", "names")
    out = []
    for i, t in enumerate(toks):
        if not _is_programme_head(t.text) or _continues(toks[i + 1] if i + 1 < len(toks) else None):
            continue
        start = _programme_start(toks, i)
        if start is None or doc.text[toks[start].start : t.start] in names:
            continue  # 乡村振兴|战略 is the campaign 乡村振兴
        out.append(_mention(doc, toks[start].start, t.end))
    return out


def campaigns(doc: Doc) -> list[Mention]:
    """CAMPAIGN mentions of ``doc``, and ORG mentions of quoted organisation names (see the
    module docstring)."""
    out = _quoted(doc) + _programmes(doc)
    out.extend(_mention(doc, m.start(), m.end()) for m in _names().finditer(doc.text))
    return out
