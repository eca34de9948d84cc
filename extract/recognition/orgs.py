"""ORG mentions (and named sites, which are PLACEs) built from a name plus a head noun.

A run of name-like tokens that ends in an organisation head (工会, 有限公司, 部, 队 ...,
``data/org_heads.txt``) and starts with a proper name (a place, a known body, a word
jieba tags as a name) is one organisation: 河南省机械冶金建材工会, 国网山东莒县供电公司.
Runs ending in a site head (体育馆, 机场, ``data/place_heads.txt``) are places.
Well-known bodies (新华社, 中华全国总工会, ``data/org_names.txt``) are organisations on
their own. Generic phrases (各级工会, 基层工会) have no proper name and are skipped.

>>> from newskg.extract.doc import make_doc
>>> from newskg.extract.records import Article
>>> a = make_doc(Article(id="a", source="", title="", text="河南省机械冶金建材工会和各级工会，新华社报道。"))
>>> [(m.text, m.type) for m in orgs(a)]
[('河南省机械冶金建材工会', 'ORG'), ('新华社', 'ORG')]
"""

from __future__ import annotations

import re
from functools import cache

from newskg.extract.doc import Doc
from newskg.extract.recognition import divisions, lexicon, place_names
from newskg.extract.recognition.cues import country_pairs
from newskg.extract.recognition.gazetteer import lookup
from newskg.extract.recognition.lexicon import (
    EVENTS_HEADS,
    ORG_HEADS_ENDINGS,
    ORG_HEADS_GENERIC,
    ORG_HEADS_HEADS,
    ORG_HEADS_INNER,
    ORG_HEADS_NOT,
    ORG_HEADS_TERMED,
    ORG_HEADS_TRADE,
    ORG_NAMES,
    PERSON_STOP,
    PLACE_ABBR,
    PLACE_HEADS_FACILITY,
    PLACE_STOP,
    TITLES,
    TRANSLIT_CHARS,
)
from newskg.extract.recognition.tokens import Token, tag, word_cache
from newskg.extract.records import Mention

_NOUN_TAGS = frozenset({"n", "nz", "ns", "nt", "nr", "nrt", "nrfg", "j", "eng", "vn", "b", "an", "ng", "l"})
_BREAK = lexicon.section("org_rules", "break")
_HEAD_TITLES = lexicon.section("org_rules", "head_titles")
# Inside a name (never at its start): numbers, as in 九十中学 (not counts: 两国, 一些).
_RUN_TAGS = _NOUN_TAGS | {"m"}
_NUMERALS = lexicon.section("org_rules", "numerals")
_PROPER_TAGS = frozenset({"ns", "nt", "nz", "nr", "nrt", "nrfg", "j", "eng"})
_STOP_CHARS = lexicon.section("org_rules", "stop_chars")
_MAX_TOKENS = 8


@cache
def _heads() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(multi-character org heads, one-character org heads, site heads)."""
    return (
        frozenset(w for w in ORG_HEADS_HEADS if len(w) > 1),
        frozenset(w for w in ORG_HEADS_HEADS if len(w) == 1),
        PLACE_HEADS_FACILITY,
    )


# The per-token predicates below depend on a token's text and tag only; the recogniser asks
# them many times of the same words, so they are cached by (text, tag).


def _head_type(t: Token) -> str | None:
    """ORG or PLACE when ``t`` ends an organisation or a site name, else None."""
    return _head_type_of(t.text, t.tag)


@word_cache
def _head_type_of(text: str, tag_: str | None) -> str | None:
    multi, single, sites = _heads()
    if text in sites or (len(text) > 3 and (text[-3:] in sites or text[-2:] in sites)):
        return "PLACE"  # 美术馆, 中国美术馆, 国家大剧院: a site
    if text in ORG_HEADS_NOT or text.endswith(("政府", "关系")):
        return None
    if text[-2:] in ORG_HEADS_ENDINGS:
        return None  # 新格局, 公共场所
    if (
        len(text) > 2
        and text[-1] != "党"
        and text[-1] in single
        and tag_ in ("n", "nr", "nz", "nt", "j", "v")
    ):
        return "ORG"
    if text in multi or text in single or text in ORG_NAMES or _compound_word(text):
        return "ORG"
    if tag_ == "nz" and _named_body(text):
        return "ORG"  # 雅戈尔集团
    if tag_ == "nt" and (_ends_with_head(text) or text.endswith("台") or _ends_with_body(text)):
        return "ORG"  # 新华社, 中央气象台, 中共十五大
    if len(text) > 1 and text[-1] in single and tag_ in ("nt", None):
        return "ORG"
    return None


def _ends_with_head(word: str) -> bool:
    """Whether ``word`` ends with an organisation head (新华社, 中国队), unlike 新进展."""
    multi, single, _ = _heads()
    return word[-1] in single or any(word[-k:] in multi for k in range(2, min(7, len(word))))


def _ends_with_body(word: str) -> bool:
    """Whether ``word`` ends with a well-known body of ``data/org_names.txt`` (中共|十五大)."""
    return any(word[-k:] in ORG_NAMES for k in range(2, len(word)))


def _compound(t: Token) -> bool:
    """A one-token place or name + head: 智利队, 突尼斯女队, 雅戈尔集团."""
    return _compound_word(t.text) or (t.tag == "nz" and _named_body(t.text))


@word_cache
def _compound_word(text: str) -> bool:
    multi, single, _ = _heads()
    for k in range(2, len(text)):
        head = text[k:]
        if (head in multi or head in single) and lookup(text[:k]) is not None:
            return True
    return False


@word_cache
def _named_body(text: str) -> bool:
    """A proper name and a head of two characters or more in one dictionary word (雅戈尔集团/nz),
    unlike a common modifier or a trade and a head (全国工会, 钢铁集团)."""
    multi = _heads()[0]
    return not generic_word(text) and any(
        text[k:] in multi and tag(text[:k]) in _NAME_FRONT_TAGS for k in range(2, len(text) - 1)
    )


_NAME_FRONT_TAGS = frozenset([None, "nz", "nr", "nrt", "ns", "j"])


_STARTERS = lexicon.section("org_rules", "starters")


def _proper(t: Token) -> bool:
    return _proper_word(t.text, t.tag)


@word_cache
def _proper_word(text: str, tag_: str | None) -> bool:
    if generic_word(text):
        return False  # 深化|工会, 全国工会, 联合会: a common modifier or a bare head
    # 荣获: a common word that jieba tags as a name is no proper name
    common = tag_ in ("nr", "nrfg") and text in PERSON_STOP
    return (
        text in _STARTERS
        or (tag_ in _PROPER_TAGS and not common)
        or lookup(text) is not None
        or text in ORG_NAMES
        or (tag_ is None and text.isalnum())
        or _compound_word(text)
    )


@word_cache
def generic_word(text: str) -> bool:
    """A word that starts no name: a common modifier of ``data/org_heads.txt`` [generic] (深化,
    新一轮), a bare head (联合会), or a modifier or a trade and a head in one word (全国工会,
    公立医院, 钢铁集团, 美国公司); a well-known body (全国政协) is a name.

    >>> [generic_word(w) for w in ("新一轮", "联合会", "全国工会", "钢铁集团", "全国政协", "人大", "国家队")]
    [True, True, True, True, False, False, False]
    """
    if text in ORG_HEADS_GENERIC:
        return True
    if text in ORG_NAMES or text in _STARTERS:
        return False  # 中央 starts a name (中央政法委) as well as ending one
    multi, single, _ = _heads()
    if text in multi and text not in ORG_HEADS_TERMED and not text.endswith("队"):
        return True  # 联合会, but 人大 and 政协 (bodies elected for a term) and 国家队 name one body
    for k in range(1, len(text) - 1):
        front, head = text[:k], text[k:]
        if front in ORG_HEADS_GENERIC and (head in multi or head in single):
            return True
        if head in ORG_HEADS_TRADE and (tag(front) in ("n", "vn") or lookup(front) is not None):
            return True  # 钢铁集团, 美国公司: a trade or a country and a company, no name
    return False


def _places_list(toks: tuple[Token, ...]) -> bool:
    """Words of one-character place abbreviations that list several places: 粤港澳, 京津冀,
    湘赣|闽, 中美 (not 闽江, a name that may be read so)."""
    return sum(len(t.text) for t in toks) >= 2 and all(_abbr_chunk(t.text, t.tag) for t in toks)


@word_cache
def _abbr_chunk(text: str, tag_: str | None) -> bool:
    return (
        len(text) <= 3
        and PLACE_ABBR.issuperset(text)
        and (len(text) != 2 or tag_ == "j" or text in country_pairs())
        and tag_ in ("ns", "j", "n", None)
        and lookup(text) is None
        and text not in PLACE_STOP
    )


_JOINERS = lexicon.section("org_rules", "joiners")


def _eligible(t: Token) -> bool:
    return _eligible_word(t.text, t.tag)


@word_cache
def _eligible_word(text: str, tag_: str | None) -> bool:
    if text in _STOP_CHARS or text[-1] == "的" or text in _BREAK or text in _JOINERS or not text.isalnum():
        return False
    if text in TITLES and _head_type_of(text, tag_) is None:
        return False  # 舰队|司令|巴克: a title ends an organisation name
    if text in ORG_HEADS_NOT and _head_type_of(text, tag_) is None:
        return False
    if text.isdigit() or tag_ == "t" or (tag_ == "m" and not _NUMERALS.issuperset(text)):
        return False
    if text in ORG_HEADS_INNER:
        return False  # only between nouns, see _inner_verb
    if tag_ in _RUN_TAGS or tag_ is None:
        return True
    return _proper_word(text, tag_) or _head_type_of(text, tag_) is not None


def _mention(doc: Doc, start: int, end: int, type_: str) -> Mention:
    return Mention(doc.id, start, end, type_, doc.text[start:end], source="orgs")


def _title_split(word: str) -> str:
    """The known body at the front of a body+title word: 市委书记 -> 市委."""
    for k in range(len(word) - 1, 1, -1):
        if word[:k] in ORG_NAMES and word[k:] in TITLES:
            return word[:k]
    return ""


def _split_titles(toks: tuple[Token, ...]) -> list[Token]:
    """Split body+title words into two tokens: 市委书记 -> 市委|书记, 财政部长 -> 财政部|长."""
    if not any(map(_splits, [t.text for t in toks])):
        return list(toks)
    out: list[Token] = []
    for t in toks:
        if t.text in _HEAD_TITLES and out and out[-1].tag in _NOUN_TAGS and len(out[-1].text) > 1:
            prev = out[-1]
            # 澳门日报|社长 -> 澳门日报社|长, but 商务部|部长 stays
            joined = prev.text + t.text[0]
            if _head_type(prev) is None or (prev.text[-1] != t.text[0] and _ends_with_head(joined)):
                out[-1] = Token(joined, prev.start, t.start + 1, "nt")
                out.append(Token(t.text[1:], t.start + 1, t.end, "n"))
                continue
        body, tag_ = _body_title(t.text)
        if body:
            k = t.start + len(body)
            out.append(Token(body, t.start, k, tag_))
            out.append(Token(t.text[len(body) :], k, t.end, "n"))
        else:
            out.append(t)
    return out


@word_cache
def _splits(word: str) -> bool:
    """Whether :func:`_split_titles` splits ``word`` or the word before it."""
    return word in _HEAD_TITLES or bool(_body_title(word)[0])


@word_cache
def _body_title(word: str) -> tuple[str, str]:
    """The body at the front of a body+title word and the tag it gets, or ("", "")."""
    if word[-1] not in _title_ends():
        return "", ""  # every split below leaves a title (or 长) at the end
    body = _title_split(word)
    if body:
        return body, "nt"
    body = _head_title_split(word)
    if body:
        return body, "n"  # a bare head (党组) is no name on its own
    if len(word) > 2 and word[-1] == "长" and _known_body(word[:-1]):
        return word[:-1], "nt"
    return "", ""


@cache
def _title_ends() -> frozenset[str]:
    return frozenset(t[-1] for t in TITLES) | {"长"}


def _head_title_split(word: str) -> str:
    """The organisation head at the front of a head+title word: 党组书记 -> 党组, 银行行长 -> 银行."""
    multi = _heads()[0]
    if len(word) < 4 or (word[-2:] not in TITLES and word[-3:] not in TITLES):
        return ""
    for k in range(len(word) - 1, 1, -1):
        if word[:k] in multi and word[k:] in TITLES and word[:k] not in _PARTY_ORGANS:
            return word[:k]
    return ""


_PARTY_ORGANS = lexicon.section("org_rules", "party_organs")


def _known_body(word: str) -> bool:
    return word in ORG_NAMES or tag(word) == "nt"


# A periodical by its title in book quotes, with the place before it: 《朝日新闻》, 美国《时代》周刊.
_PERIODICAL = re.compile(
    r"《([^《》\s]{1,12}(?:日报|晚报|时报|周报|报|新闻|周刊|杂志|画报|月刊|旬刊))》"
    r"|《[^《》\s]{1,12}》(?:周刊|杂志|画报|月刊|日报|晚报)"
)


def _periodicals(doc: Doc, toks: list[Token]) -> list[Mention]:
    out = []
    for m in _PERIODICAL.finditer(doc.text):
        start, end = (m.start(1), m.end(1)) if m.group(1) else (m.start(), m.end())
        if not m.group(1):  # 美国《时代》周刊: the place before the title belongs to it
            before = [t for t in toks if t.end == m.start()]
            if before and lookup(before[0].text) is not None:
                start = before[0].start
        out.append(_mention(doc, start, end, "ORG"))
    return out


# A named craft: a quoted name, 号 and the kind of craft (“青岛”号导弹驱逐舰, “发现”号航天飞机).
# Ships and shuttles are organisations (a crew under a name); stations, probes and unmanned
# spacecraft are sites (“和平”号空间站, “旅行者”号探测器).
_CRAFT = re.compile(
    r"[“\"]([^“”\"\s]{1,12})[”\"]号([\u4e00-\u9fff]{0,4}?)"
    r"(?:(舰|船|艇|潜艇|航天飞机)|(空间站|探测器|飞船|卫星))"
)


def _crafts(doc: Doc) -> list[Mention]:
    return [
        _mention(doc, m.start(), m.end(), "ORG" if m.group(3) else "PLACE") for m in _CRAFT.finditer(doc.text)
    ]


def orgs(doc: Doc) -> list[Mention]:
    """ORG mentions, and PLACE mentions of named sites, of ``doc``."""
    toks = _join_translit(_split_titles(doc.tokens))
    out: list[Mention] = _periodicals(doc, toks) + _crafts(doc)
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        # a level of division may start a run after a word boundary (村|党支部, see
        # _level_start), not continue one (三元|朱|村|团支部)
        level = t.text in _LEVELS and (i == 0 or _before_level(toks[i - 1]))
        if not (_eligible_word(t.text, t.tag) or level) or (t.text == "所" and _particle(toks, i)):
            if t.text in ORG_NAMES:
                out.append(_mention(doc, t.start, t.end, "ORG"))
            i += 1
            continue
        j = i + 1  # toks[i] is eligible and no particle
        while (
            j < n
            and (
                _eligible_word(toks[j].text, toks[j].tag)
                or _inner_verb(toks, j, i)
                or _body_noun(toks, j, i)
                or _bridge(toks, j, i)
                or (toks[j].text.isdigit() and toks[j - 1].text == "第")  # 国民党|第|96|军
            )
            and not (toks[j].text == "所" and _particle(toks, j))
        ):
            j += 1
        out.extend(_in_run(doc, tuple(toks[i:j])))
        i = j
    ends = {t.end: t for t in toks} if any(d in doc.text for d in _DOTS) else {}
    out = [_at_last_division(doc, _with_dotted_front(doc, ends, _with_term(doc, m))) for m in out]
    if out:
        out = [_with_lone_front(doc, {t.end: t for t in toks}, m) for m in out]
    return (
        [m for m in out if not _names_a_competition(doc.text, m)]
        + _team_lists(doc, toks)
        + _brands(doc)
        + _company_lists(doc)
    )


LISTED = "orgs.listed"  # the source of :func:`_company_lists`' mentions, which the tagger's type yields to
_LIST_HEADS = lexicon.section("org_rules", "list_heads")
_LIST_PEOPLE = tuple(lexicon.section("org_rules", "list_people"))
_CLAUSE_END = frozenset("，,。；;：:！？!?（）()“”\n")  # noqa: RUF001


def _company_lists(doc: Doc) -> list[Mention]:
    """The names of a list that 等 closes before a word for companies (某某、某某等主要快递公司):
    each a company, when two or more names of two to four characters, no place among them."""
    toks, text, out = doc.tokens, doc.text, []
    for k, t in enumerate(toks):
        if t.text not in ("等", "等等") or k < 3:
            continue
        if not _heads_the_list(toks, k, text):
            continue
        items, j = [], k - 1
        while True:
            a = j
            while (
                a >= 0 and toks[a].text != "、" and toks[j].end - toks[a].start <= 4 and _list_word(toks[a])
            ):
                a -= 1
            start, end = toks[a + 1].start, toks[j].end
            if a == j or not 2 <= end - start <= 4:
                break
            items.append((start, end))
            if a < 1 or toks[a].text != "、":
                break
            j = a - 1
        names = [text[a:b] for a, b in items]
        if len(items) >= 2 and not any(lookup(n) is not None for n in names):
            out.extend(Mention(doc.id, a, b, "ORG", text[a:b], source=LISTED) for a, b in items)
    return out


def _heads_the_list(toks: tuple[Token, ...], k: int, text: str) -> bool:
    """Whether a word for companies follows 等 at ``toks[k]`` within a few words of the
    clause, and no word for their people follows it (等公司|高管: people, not companies)."""
    for i in range(k + 1, min(k + 13, len(toks))):
        t = toks[i]
        if t.text in _CLAUSE_END or (i == k + 1 and t.text.startswith("地")):
            return False
        if t.text in _LIST_HEADS and not text.startswith(_LIST_PEOPLE, t.end):
            return True
    return False


def _list_word(t: Token) -> bool:
    return t.text.isalnum() and t.text not in _STOP_CHARS and not (len(t.text) > 1 and t.tag == "v")


_TRADE_WORDS = lexicon.section("org_rules", "trade_words")
_CLAUSE_CHARS = lexicon.section("org_rules", "clause_chars")
_TRADE_LENGTHS = sorted({len(w) for w in _TRADE_WORDS}, reverse=True)


def _brands(doc: Doc) -> list[Mention]:
    """Companies named by a brand that jieba cut into characters and a trade word: a run of
    two to four one-character words (no function word, pronoun, number, measure or time word;
    no modal or causative verb first, ``data/org_rules.txt`` [clause_chars]) that, with the word after
    it, ends in a trade word after two or three characters (某|某|快递, 某|某|速|运), and no
    head follows (某|某|科技|公司 is the company rules' own)."""
    toks, out, i = doc.tokens, [], 0
    while i < len(toks):
        j = i
        while j < len(toks) and _lone_char(toks[j].text) and toks[j].tag not in ("m", "q", "t", "r"):
            j += 1
        if j - i < 2:
            i = j + 1
            continue
        if toks[i].text in _CLAUSE_CHARS:  # a modal or causative verb opens a clause (要|靠|科技)
            i += 1
            continue
        end = toks[j].end if j < len(toks) and toks[j].text in _TRADE_WORDS else toks[j - 1].end
        after = j + 1 if end != toks[j - 1].end else j
        text = doc.text[toks[i].start : end]
        trade = next((k for k in _TRADE_LENGTHS if text[-k:] in _TRADE_WORDS), 0)
        if trade and 2 <= len(text) - trade <= 3 and (after >= len(toks) or _head_type(toks[after]) is None):
            out.append(
                Mention(doc.id, toks[i].start, end, "ORG", doc.text[toks[i].start : end], source=BRAND)
            )
        i = j + 1
    return out


BRAND = "orgs.brand"  # the source of :func:`_brands`' mentions, which fill the tagger's gaps


def _lone_char(text: str) -> bool:
    return (
        len(text) == 1 and "\u4e00" <= text <= "\u9fff" and text not in _STOP_CHARS and text not in _NUMERALS
    )


def _at_last_division(doc: Doc, m: Mention) -> Mention:
    """An organisation named after a chain of divisions starts at the last of them, as news
    NER corpora mark it (长沙市|芙蓉区人民法院): the divisions before are places of their own.
    Resolution joins the parts again (``place_chain`` in extract.resolution.resolve), so the graph keeps
    one node 长沙市芙蓉区人民法院."""
    k = place_names.last_division_at(m.text)
    return _mention(doc, m.start + k, m.end, "ORG") if k else m


@cache
def _event_heads() -> tuple[str, ...]:
    return tuple(sorted(EVENTS_HEADS))


_TEAM_ENDS = lexicon.ordered("org_rules", "team_ends")


def _names_a_competition(text: str, m: Mention) -> bool:
    """A team kind before an event's head noun: 世界女篮|锦标赛 names a championship, not a team
    (but 欧佩克|会议 is the meeting of an organisation)."""
    return m.text.endswith(_TEAM_ENDS) and text.startswith(_event_heads(), m.end)


_LIST_JOINERS = lexicon.section("org_rules", "list_joiners")
_TEAMS_AFTER = lexicon.section("org_rules", "teams_after")


def _team_lists(doc: Doc, toks: list[Token]) -> list[Mention]:
    """Places listed as teams: after a group of a draw (e组的|美国、俄罗斯), before 强队
    (中国、丹麦、韩国等强队), or beside a team (美国和|俄罗斯队): each is an organisation."""
    n = len(toks)
    joined = [j for j in range(1, n - 1) if toks[j].text in _LIST_JOINERS]
    if not any(_team_member(toks[j - 1]) and _team_member(toks[j + 1]) for j in joined):
        return []  # no two places joined: no list
    out: list[Mention] = []
    i = 0
    while i < n:
        if not _team_member(toks[i]):
            i += 1
            continue
        members = [i]
        j = i + 1
        while j + 1 < n and toks[j].text in _LIST_JOINERS and _team_member(toks[j + 1]):
            members.append(j + 1)
            j += 2
        after = toks[j + 1].text if j + 1 < n and toks[j].text == "等" else toks[j].text if j < n else ""
        drawn = (
            i >= 3
            and toks[i - 1].text == "的"
            and toks[i - 2].text == "组"
            and (_draw_letter(toks[i - 3].text) or toks[i - 3].text.startswith("第"))
        )
        team = any(toks[k].text.endswith("队") for k in members)
        if len(members) >= 2 and (drawn or after in _TEAMS_AFTER or team):
            out.extend(
                _mention(doc, toks[k].start, toks[k].end, "ORG")
                for k in members
                if lookup(toks[k].text) is not None
            )
        i = j
    return out


def _draw_letter(word: str) -> bool:
    """The letter of a group of a draw: e, F (e组)."""
    return len(word) == 1 and word.isascii() and word.isalpha()


def _team_member(t: Token) -> bool:
    """A place name, or a place and a team head in one word (俄罗斯队)."""
    if len(t.text) < 2:
        return False
    return lookup(t.text) is not None or (t.text.endswith("队") and lookup(t.text[:-1]) is not None)


_DOTS = "·•‧・"


def _with_dotted_front(doc: Doc, ends: dict[int, Token], m: Mention) -> Mention:
    """An organisation named after a person with a middle dot: 乔治·|梅森大学 -> 乔治·梅森大学."""
    start = m.start
    while m.type == "ORG" and start > 0 and doc.text[start - 1] in _DOTS:
        t = ends.get(start - 1)
        if t is None or not 1 < len(t.text) <= 4 or t.tag not in ("nr", "nrt", "nrfg"):
            break
        start = t.start
    return m if start == m.start else _mention(doc, start, m.end, "ORG")


def _with_lone_front(doc: Doc, ends: dict[int, Token], m: Mention) -> Mention:
    """An organisation whose name jieba cut into characters starts at a verb-like character
    alone between a clause boundary and it: ，超|鹏|日化|公司 -> 超鹏日化公司 (a lone character
    after a comma or at the start is no word of its own)."""
    first = ends.get(m.start)  # the token before the mention
    if m.type != "ORG" or first is None or len(first.text) != 1 or first.tag not in ("v", None):
        return m
    if ends.get(m.start + 1) is None or not doc.text[m.start].isalpha():
        return m  # the name's own first word is longer than one character, or no letter
    before = ends.get(first.start)
    if first.start > 0 and (before is None or before.text.isalnum()):
        return m  # after a word, not after punctuation or at the start
    return _mention(doc, first.start, m.end, "ORG")


_TERM = re.compile(r"第?[〇零一二三四五六七八九十百0-9]+届$")


def _with_term(doc: Doc, m: Mention) -> Mention:
    """A body elected by term with the term before it: 第六届|全国人大 -> 第六届全国人大."""
    if m.type != "ORG" or not m.text.endswith(tuple(ORG_HEADS_TERMED)):
        return m
    term = _TERM.search(doc.text, max(0, m.start - 6), m.start)
    return _mention(doc, term.start(), m.end, "ORG") if term else m


# Nouns that head an organisation's name only after a proper name (欧佩克|组织, 非统|组织), as
# they are also verbs or common nouns (学校组织学生).
_BODY_NOUNS = frozenset(["组织"])


def _body_noun(toks: list[Token] | tuple[Token, ...], j: int, start: int) -> bool:
    """``toks[j]`` is a body noun after a proper name that is no organisation itself."""
    t = toks[j]
    if j <= start or t.text not in _BODY_NOUNS:
        return False
    prev = toks[j - 1]
    if prev.text in ORG_NAMES or prev.tag == "nt":
        return True  # 欧佩克|组织
    return prev.tag in ("j", "eng", "nrt") and _head_type(prev) is None


def _join_translit(toks: list[Token]) -> list[Token]:
    """One-character transliteration tokens before a multi-character head are one name:
    劳|拉|公司 -> 劳拉|公司."""
    multi = _heads()[0]
    if multi.isdisjoint([t.text for t in toks]):
        return toks
    out: list[Token] = []
    i = 0
    while i < len(toks):
        j = i
        while j < len(toks) and len(toks[j].text) == 1 and toks[j].text in TRANSLIT_CHARS:
            j += 1
        if j - i >= 2 and j < len(toks) and toks[j].text in multi:
            out.append(Token("".join(t.text for t in toks[i:j]), toks[i].start, toks[j - 1].end, "nrt"))
            i = j
            continue
        out.append(toks[i])
        i += 1
    return out


def _bridge(toks: list[Token], j: int, start: int) -> bool:
    """A modifier between a known body and a common head: 中国共产党|友好|代表团,
    中央电视台|心连心|艺术团 (not 党组织|成为|学校, a verb; nor 公安部|嘉奖|省公安厅, a name)."""
    if j <= start or j + 1 >= len(toks) or len(toks[j].text) < 2 or toks[j].tag not in _BRIDGE_TAGS:
        return False
    prev, head = toks[j - 1], toks[j + 1]
    return (
        (prev.tag == "nt" or prev.text in ORG_NAMES)
        and prev.text not in _BREAK
        and head.text in _heads()[0]
        and head.tag not in ("nt", "ns", "nz")
    )


_BRIDGE_TAGS = frozenset(["a", "i", "vn", "l"])


def _particle(toks: list[Token], j: int) -> bool:
    """所 before a verb is the particle, no head: 学者丁东|所|言, 印度|所|面临."""
    if toks[j].text != "所" or j + 1 >= len(toks):
        return False
    nxt = toks[j + 1] if toks[j + 1].text not in "“\"'‘" or j + 2 >= len(toks) else toks[j + 2]
    return (nxt.tag or "").startswith("v")


def _inner_verb(toks: list[Token], j: int, start: int) -> bool:
    """A verb of ``data/org_heads.txt`` [inner] between nouns or other such verbs:
    残疾人|工作|协调|委员会, 中国|就业|培训|技术|指导|中心."""
    return (
        toks[j].text in ORG_HEADS_INNER
        and j > start
        and (toks[j - 1].tag in _NOUN_TAGS or toks[j - 1].text in ORG_HEADS_INNER)
        and j + 1 < len(toks)
        and (
            toks[j + 1].tag in _NOUN_TAGS
            or toks[j + 1].text in ORG_HEADS_INNER
            or _head_type(toks[j + 1]) is not None
        )
    )


# Levels of division that start the name of a body of the division the text is about
# (市|青年志愿者协会, 乡|卫生院, 村|党支部), which extract.resolution.resolve ties to a full name
# before them; not 盟 and 旗, common words too (联盟, 国旗).
_LEVELS = frozenset(divisions.LEVEL_CHARS) - set("盟旗")


def _before_level(t: Token) -> bool:
    """Whether a level of division after ``t`` stands alone: after punctuation, a verb or a
    function word (在|乡|卫生院), not after a name (朱|村)."""
    return not t.text[-1].isalnum() or t.tag in _BEFORE_LEVEL_TAGS


_BEFORE_LEVEL_TAGS = frozenset(["p", "c", "u", "uj", "ul", "uz", "ud", "v", "d", "f", "r", "y"])


def _level_start(run: tuple[Token, ...], a: int) -> bool:
    """A level of division alone before a name-like word (not after a place: 温泉|市; not
    before a count or a determiner: 县|三级|工会)."""
    if run[a].text not in _LEVELS or a + 1 >= len(run) or (a > 0 and lookup(run[a - 1].text) is not None):
        return False
    nxt = run[a + 1]
    return len(nxt.text) >= 2 and nxt.tag not in ("b", "m", "r", "q") and nxt.text not in _JOINERS


_DIRECTIONS = lexicon.section("org_rules", "directions")
_CENTRE_COMPOUNDS = lexicon.section("org_rules", "centre_compounds")


def _in_run(doc: Doc, run: tuple[Token, ...]) -> list[Mention]:
    """Organisations and sites in a run of eligible tokens, left to right, longest first."""
    out: list[Mention] = []
    a = 0
    while a < len(run):
        if not _proper(run[a]) and not _level_start(run, a):
            a += 1
            continue
        best = None
        for b in range(a, min(len(run), a + _MAX_TOKENS)):
            kind = "ORG" if _body_noun(run, b, a) else _head_type(run[b])
            if (
                kind is not None
                and len(run[b].text) == 1
                and (len(run[b - 1].text) == 1 or _DIRECTIONS.issuperset(run[b - 1].text))
            ):
                kind = None  # 吴军: after a one-character word; 西北部: after a direction
            if run[b].text == "中心" and b + 1 < len(run) and run[b + 1].text in _CENTRE_COMPOUNDS:
                kind = None  # 国家|中心|城市, 中心|任务: 中心 as a modifier, no head
            if kind is not None and (
                b > a or run[b].tag == "nt" or run[b].text in ORG_NAMES or _compound(run[b])
            ):
                best = (b, kind)
            if (
                best is not None
                and b + 1 < len(run)
                and lookup(run[b + 1].text) is not None
                and any(x.text == run[b].text for x in run[b + 2 : a + _MAX_TOKENS])
            ):
                break  # 洛阳市总工会|成都市总工会: the same head again names the next one
        if best is None:
            a += 1
            continue
        b, kind = best
        if kind == "ORG" and run[b].text in _heads()[0] and _places_list(run[a:b]):
            a = b  # 粤港澳|工会, 湘赣|闽|工会: the bodies of several places, no one organisation
            continue
        named_after = False  # 上海中心|大厦: a site's bare head right after an organisation's
        if kind == "PLACE":  # 郑州铁路分局|月山车站: an organisation before a named site ends first
            org_b = [k for k in range(a + 1, b) if _head_type(run[k]) == "ORG"]
            named_after = bool(org_b) and org_b[-1] == b - 1
            if org_b and not named_after:
                b, kind = org_b[-1], "ORG"
        if b == a and lookup(run[a].text) is not None:
            a += 1
            continue
        if kind == "PLACE" and b > a + 1 and lookup(run[a].text) is not None and not named_after:
            a += 1  # 上海|虹口体育馆: a site name does not include the city before it
        out.append(_mention(doc, run[a].start, run[b].end, kind))
        a = b + 1
    return out
