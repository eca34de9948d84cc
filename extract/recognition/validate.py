"""Checks and repairs of the tagger's spans: what no name looks like, whatever the corpus.

A model trained on one decade's news glues words onto names in another's (工会牵头联合银行,
企业问成立工会) and tags bare heads as organisations (联合会, 全国工会). A tagged span that
no rule found too is kept only when it is :func:`plausible`: no sentence punctuation and no
unpaired bracket inside (:func:`within_brackets` cuts a span at one first);
and an organisation starts with no function word, is no generic word
(:func:`newskg.extract.recognition.orgs.generic_word`), holds no verb that organisation names do not hold
(``data/org_heads.txt`` [inner]) unless it is a company's name (超越电子有限公司), and,
when it ends in a head, has a name before it (not nothing, one character, a number or one
common word: 委员会, 第一届委员会, 产业工会). No tagged span is one word jieba knows as an
adverb (大大) or ends inside a reduplicated word (某某处|处); no place is a foreign brand
after its city (西安|康明斯: the two are a company), and no place, read only as a
township or a county, stands right before a division two levels above it (某某|西安); no
person ends inside a verbal noun (某某制|作); no organisation starts with a word for a kind
of places (村镇|街办; [unit_chars]), with a verb that opens a phrase or with the head of the name before it
(``data/validate_rules.txt`` [verb_starts]: 深化|某地|工会; 联合会|第一届委员会),
ends in a word for people (an honour, a group: 某地|大工匠, 某省|职工; [person_ends]) or is
common words ending in a verb (某某|兜底|管理).

:func:`whole_dotted_name` repairs a dotted name cut inside a word, :func:`whole_lexicon_word`
a span cut inside a name only the lexicons know (粤港澳大湾|区), :func:`name_to_list_comma`
a person cut one character before the comma of a list (索朗群|培、), :func:`company_before_site`
a company run on into a site of it (某某集团|某地精品钢), and
:func:`gazetteer_backed` says which rule mentions fill the gaps the tagger leaves.

>>> from newskg.extract.doc import make_doc
>>> from newskg.extract.records import Article
>>> d = make_doc(Article(id="a", source="", title="", text="市工会牵头联合银行，联合会和浙江大学。"))
>>> [plausible(Mention("a", s, e, "ORG", d.text[s:e]), d) for s, e in ((0, 10), (10, 13), (14, 18))]
[False, False, True]
"""

from __future__ import annotations

from bisect import bisect_right

from newskg.extract.doc import Doc
from newskg.extract.recognition import place_names
from newskg.extract.recognition.gazetteer import lookup
from newskg.extract.recognition.lexicon import (
    ORG_HEADS_HEADS,
    ORG_HEADS_INNER,
    ORG_HEADS_TRADE,
    ORG_NAMES,
    PERSON_STOP,
    TRANSLIT_CHARS,
    WORLD_PLACES,
    section,
)
from newskg.extract.recognition.orgs import BRAND, LISTED, generic_word
from newskg.extract.recognition.tokens import tag
from newskg.extract.records import Mention

# Punctuation that ends a clause or quotes a phrase: no name holds it (·, brackets and
# dashes may: 如克亚木·麦提赛地, 中国（上海）自由贸易试验区).
_PUNCT = frozenset('，,：:；;“”"‘’！？!?。、+＋')


def plausible(m: Mention, doc: Doc) -> bool:
    """Whether a tagged span can be a name (see the module docstring)."""
    if not _PUNCT.isdisjoint(m.text) or _unbalanced(m.text):
        return False
    toks = list(_inside(doc, m))
    if len(toks) == 1 and toks[0].start == m.start and toks[0].end == m.end and toks[0].tag in _NO_NAME_TAGS:
        return False  # one word jieba knows as an adverb or a modifier (大大, 常常)
    after = toks[-1] if toks and toks[-1].end > m.end else None  # the word the span ends inside
    if after is not None and len(after.text) == 2 and after.text[0] == after.text[1]:
        return False  # no name ends inside a reduplicated word: 某某处|处 (of 处处), 某某人|人
    if m.type == "PERSON" and after is not None and after.tag == "vn":
        return False  # a name does not end inside a verbal noun: 马包制|作 (of 制作)
    if m.type == "PERSON" and (
        m.text in PERSON_STOP
        or (toks and toks[0].start == m.start and toks[0].end <= m.end and toks[0].text in PERSON_STOP)
    ):
        return False  # an ordinary word that looks like a name, or starts one (data/person_stop.txt)
    if m.type == "PLACE" and brand_after_division(m, doc):
        return False  # 西安|康明斯: a company's foreign brand after its city, no place
    if m.type == "PLACE" and _before_larger(m, doc):
        return False  # a township's name before a city (某某|西安): addresses run from large to small
    if m.type != "ORG":
        return True
    if not toks or generic_word(m.text) or toks[0].tag in _NO_ORG_START_TAGS:
        return False
    if toks[-1].tag in ("v", "vn") and all(
        t.tag in _COMMON_TAGS and len(t.text) > 1 and t.text not in _HEADS for t in toks
    ):
        return False  # common words ending in a verb, no head: an activity (某某|兜底|管理), not a body
    if _kind_of_places(toks[0].text):
        return False  # 村镇|街办: the offices of many villages and towns, not one body
    if toks[0].text in _VERB_STARTS or toks[-1].text in _PERSON_ENDS or m.text.endswith(_PROJECT_ENDS):
        return False  # a verb and its object (深化|某地|工会); people (某地|大|工匠) or a project, not a body
    if len(toks) > 1 and all(lookup(t.text) is not None for t in toks):
        return False  # a chain of places (某省|某市|某县) names no organisation; one place may (a team)
    if toks[0].text in _HEADS and toks[0].text not in _STARTERS and len(toks) > 1:
        return False  # the head of the name before: (办事)处|前线指挥部, (某行业)联合会|第一届委员会
    if not m.text.endswith(_COMPANY) and any(
        t.tag == "v" and t.text not in ORG_HEADS_INNER and t.end < m.end for t in toks
    ):
        return False  # 全总联合有关部门; a company's own name may hold a verb (超越电子有限公司)
    head = next((m.text[-k:] for k in range(min(len(m.text), 5), 0, -1) if m.text[-k:] in _HEADS), "")
    if not head:  # a head inside a span that does not end in one: words glued on (江苏工会|惠企稳岗)
        return not any(t.text in _HEADS and t.end < m.end for t in toks)
    front = m.text[: -len(head)]
    front_toks = [t for t in toks if t.end <= m.end - len(head)]
    if not front or len(front) == 1 or (front_toks and all(t.tag in _NUMBER_TAGS for t in front_toks)):
        return False  # 处, 作委员会, 第一届委员会
    return front in ORG_NAMES or tag(front) not in _COMMON_TAGS  # 产业工会, 律师事务所, 书记处


_HEADS = ORG_HEADS_HEADS
_COMPANY = (*sorted(ORG_HEADS_TRADE), "工会")  # company heads, and a company's union
_HEAD_ENDS = tuple(_HEADS)
_TRADE_ENDS = tuple(ORG_HEADS_TRADE)

_STARTERS = section("org_rules", "starters")
_VERB_STARTS = section("validate_rules", "verb_starts")
_PERSON_ENDS = section("validate_rules", "person_ends")
_PROJECT_ENDS = tuple(section("validate_rules", "project_ends"))
_UNIT_CHARS = section("validate_rules", "unit_chars")

# jieba dictionary tags: words that are no name on their own (adverbs, distinguishing words:
# 大大, 常常), words that start no name, numbers and ordinals, and common words.
_NO_NAME_TAGS = frozenset({"d", "ad", "b"})
_NO_ORG_START_TAGS = frozenset({"c", "p", "u", "uj", "ul", "d", "r", "y", "e", "o"})
_NUMBER_TAGS = frozenset({"m", "q", "mq"})
_COMMON_TAGS = frozenset({"n", "vn", "v", "a", "an", "b", "f", "s", "t", "d", "l", "i"})


def _before_larger(m: Mention, doc: Doc) -> bool:
    """Whether a place, no world place, is read only as divisions at least two levels below
    the division right after it (a township before a city: 某某|西安, a brand that shares a
    township's name): addresses run from the larger to the smaller."""
    own = place_names.candidates(m.text)
    i = bisect_right(doc.starts, m.end - 1)
    if not own or m.text in WORLD_PLACES or i >= len(doc.tokens) or doc.tokens[i].start != m.end:
        return False
    after = place_names.candidates(doc.tokens[i].text)
    return bool(after) and min(d.level for d in after) <= min(d.level for d in own) - 2


def brand_after_division(m: Mention, doc: Doc) -> bool:
    """Whether a tagged place is one word of transliteration characters that no gazetteer
    knows and jieba's dictionary tags a name (nr, nrt, nz), right after a division of China:
    a joint venture's foreign brand after its city (某市|康明斯, 某市|万达), not a place.

    >>> from newskg.extract.doc import make_doc
    >>> from newskg.extract.records import Article
    >>> d = make_doc(Article(id="a", source="", title="", text="参观了西安康明斯工厂"))
    >>> brand_after_division(Mention("a", 5, 8, "PLACE", "康明斯"), d)
    True
    """
    toks = list(_inside(doc, m))
    if len(toks) != 1 or (toks[0].start, toks[0].end) != (m.start, m.end) or toks[0].tag not in _NAME_TAGS:
        return False
    if not TRANSLIT_CHARS.issuperset(m.text) or m.text in WORLD_PLACES or lookup(m.text) is not None:
        return False
    i = bisect_right(doc.starts, m.start - 1) - 1
    return i >= 0 and doc.tokens[i].end == m.start and bool(lookup(doc.tokens[i].text))


_NAME_TAGS = frozenset({"nr", "nrt", "nz"})


def _kind_of_places(word: str) -> bool:
    """A word of two or more characters of administrative units that names no place (村镇,
    省市; not 湖州 or 通州, ``data/validate_rules.txt`` [unit_chars])."""
    return len(word) > 1 and _UNIT_CHARS.issuperset(word) and lookup(word) is None


def _unbalanced(text: str) -> bool:
    """Whether a bracket of ``text`` opens or closes without its pair (某党委(党组)."""
    depth = 0
    for c in text:
        if c in _OPENING:
            depth += 1
        elif c in _CLOSING:
            depth -= 1
            if depth < 0:
                return True
    return depth != 0


def within_brackets(m: Mention) -> Mention:
    """A tagged span cut at a bracket that opens in it and does not close (某党委|(党组), or
    with its lone closing bracket off its end (ＡＢＣ|）); other spans as they are.

    >>> within_brackets(Mention("a", 0, 8, "ORG", "某市党委(党组")).text
    '某市党委'
    """
    text = m.text
    if not _unbalanced(text):
        return m
    if text[-1] in _CLOSING and not _unbalanced(text[:-1]):
        end = m.end - 1
    else:
        cut = next((i for i, c in enumerate(text) if c in _OPENING and not _unbalanced(text[:i])), -1)
        if cut <= 0 or _unbalanced(text[:cut]):
            return m
        end = m.start + cut
    return Mention(m.article_id, m.start, end, m.type, text[: end - m.start], source=m.source)


_OPENING, _CLOSING = "(（[［【", ")）]］】"


def whole_dotted_name(m: Mention, doc: Doc) -> Mention:
    """A dotted name (艾力·吐) run on over the one-character words after it (吐|尔|逊|纪念馆:
    艾力·吐尔逊), which a model cuts where the characters of an unknown name stop looking
    like one; other mentions as they are."""
    if m.type != "PERSON" or "·" not in m.text:
        return m
    end = m.end
    i = bisect_right(doc.starts, end - 1) - 1
    toks = doc.tokens
    if toks[i].end > end:  # the span ends inside a word: to the word's end
        end = toks[i].end
    i += 1
    while i < len(toks) and len(toks[i].text) == 1 and _name_char(toks[i]):
        end = toks[i].end
        i += 1
    if end == m.end:
        return m
    return Mention(m.article_id, m.start, end, m.type, doc.text[m.start : end], source=m.source)


def whole_lexicon_word(m: Mention, doc: Doc, found: dict[tuple[int, int, str], Mention]) -> Mention:
    """The rules' mention of the words a tagged span cuts, when one of the words it cuts is a
    name only the lexicons know (a word jieba's dictionary lacks, so the model has not seen
    it whole: 粤港澳大湾|区) and a rule found those words as a name of the span's type;
    other mentions as they are. ``found`` maps ``(start, end, type)`` to the rules' mentions.

    The cut words of jieba's own dictionary are left alone: the news corpora cut names
    inside them (中|美, 青|藏高原).
    """
    toks = doc.tokens
    first = toks[bisect_right(doc.starts, m.start) - 1]
    last = toks[bisect_right(doc.starts, m.end - 1) - 1]
    if not any(
        (t.start < m.start or t.end > m.end) and t.tag is None and len(t.text) > 1 for t in (first, last)
    ):
        return m
    return found.get((first.start, last.end, m.type), m)


def name_to_list_comma(m: Mention, doc: Doc) -> Mention:
    """A tagged person of two or more characters run on over one character that stands
    alone between it and the comma of a list (某某群|培、): a name of four characters (Tibetan,
    transliterated) that the model cut where Chinese names stop; other mentions as they
    are. In the training corpora (22,000 sentences) a person and a list's comma have one
    character between them five times: a cup named after people (某某|杯、) and a form of
    address after a lone surname (马|叔、), which the two characters a span needs leave out.

    >>> from newskg.extract.doc import make_doc
    >>> from newskg.extract.records import Article
    >>> d = make_doc(Article(id="a", source="", title="", text="教师索朗平措、王某"))
    >>> name_to_list_comma(Mention("a", 2, 5, "PERSON", "索朗平"), d).text
    '索朗平措'
    """
    text, end = doc.text, m.end
    if m.type != "PERSON" or len(m.text) < 2 or text[end + 1 : end + 2] != "、":
        return m
    t = doc.tokens[bisect_right(doc.starts, end) - 1]
    if t.start != end or t.end != end + 1 or not _name_char(t):
        return m
    return Mention(m.article_id, m.start, end + 1, m.type, text[m.start : end + 1], source=m.source)


def company_before_site(m: Mention, doc: Doc) -> Mention:
    """A tagged organisation that ends in no head, cut after its last word ending in a
    company head (集团, 公司: ``data/org_heads.txt`` [trade]) when a place follows that word:
    the company and a site or product of it (某某钢铁集团|淮安|精品钢), not one body's name;
    other mentions as they are. What follows a company head with no place (某某公司|董事会)
    is left whole.

    >>> from newskg.extract.doc import make_doc
    >>> from newskg.extract.records import Article
    >>> d = make_doc(Article(id="a", source="", title="", text="宏达钢铁集团南京精品钢项目"))
    >>> company_before_site(Mention("a", 0, 11, "ORG", "宏达钢铁集团南京精品钢"), d).text
    '宏达钢铁集团'
    """
    if m.type != "ORG" or m.text.endswith(_HEAD_ENDS):
        return m
    toks = list(_inside(doc, m))
    ends = [
        a.end
        for a, b in zip(toks, toks[1:], strict=False)
        if a.text.endswith(_TRADE_ENDS) and lookup(b.text) is not None
    ]
    if not ends:
        return m
    return Mention(m.article_id, m.start, ends[-1], m.type, doc.text[m.start : ends[-1]], source=m.source)


def _name_char(t) -> bool:
    return "\u4e00" <= t.text <= "\u9fff" and t.tag not in _NO_ORG_START_TAGS and t.tag not in ("m", "q", "f")


def gazetteer_backed(m: Mention) -> bool:
    """Whether a rule's mention rests on a gazetteer: a division with its code, a
    compositional organisation, a place or known body and a head (河南省机械冶金建材工会),
    or a brand and a trade word (:data:`newskg.extract.recognition.orgs.BRAND`).

    >>> [gazetteer_backed(Mention("a", 0, len(t), "ORG", t)) for t in ("中国黄金协会", "产业工会")]
    [True, False]
    """
    if m.type == "PLACE":
        return "code" in m.attrs
    if m.source in (BRAND, LISTED):
        return True  # a brand cut into characters and a trade word (某|某|快递), a listed company
    t = m.text
    if m.type != "ORG" or not t.endswith(_HEAD_ENDS):
        return False
    return any(
        t[:k] in WORLD_PLACES or t[:k] in ORG_NAMES or place_names.candidates(t[:k])
        for k in range(2, min(len(t) - 1, 9))
    )


def _inside(doc: Doc, m: Mention):
    toks = doc.tokens
    i = max(bisect_right(doc.starts, m.start) - 1, 0)
    while i < len(toks) and toks[i].start < m.end:
        if toks[i].start >= m.start:
            yield toks[i]
        i += 1
