"""Entity resolution: each mention gets a canonical label and a stable entity id.

Before the rules, the mentions the recogniser missed of what the article already names are
added (:mod:`.coreference`); after them, :mod:`.relations` reads the structural facts off the
resolved mentions.

Rules run per article, in one pass over its mentions in text order, and each
merge is counted under the rule's name (``merged_<rule>`` in the build report):

``alias``
    The article declares a short form: ``华东重型机械装备有限公司（以下简称华重装备）``;
    later ``华重装备`` (and ``华重装备工会``) use the full name (:mod:`newskg.extract.resolution.aliases`).
``abbreviation``
    Fixed short forms of national bodies: 全总 = 中华全国总工会, 中组部 = 中央组织部
    (:mod:`newskg.extract.resolution.abbreviations`).
``union_short``
    ``X省总`` / ``X市总`` / ``X区总`` / ``X县总`` = ``X…总工会`` (北京市怀柔区总).
``context``
    Names relative to the article's own places or subject (``市委``, ``县纪委``, ``区总``,
    ``该市总工会``, ``该公司``: a level of division and an organisation head, or 该 and a
    head) take the nearest EARLIER organisation whose name ends the same way (襄阳市委).
    With no such name they are dropped, counted as ``unresolved_relative``: one node
    市委 for every city's party committee would merge strangers. A level standing alone
    before a longer name (``省|梅园研究会``, ``市|青年志愿者协会``) is the same kind of
    reference; unresolved, the name goes without the level (``level_prefix``: 梅园研究会).
``place_chain``
    The recogniser gives ``北京市|密云区总工会`` as a place and an organisation (as news
    NER corpora mark them); the organisation takes the whole name 北京市密云区总工会.
``place_prefix``
    An organisation named without its place prefix (``怀柔区总工会``) after its full
    name (``北京市怀柔区总工会``) in the same article.
``place``
    Place names become the canonical division name with its code (河南 -> 河南省,
    新疆 -> 新疆维吾尔自治区); ambiguous ones (朝阳) are settled by the other places
    of the article or left as written (:mod:`newskg.extract.recognition.place_names`).
``name_suffix``
    ``湾区工会`` after ``粤港澳大湾区工会``: the end of exactly one earlier organisation's
    name, with two characters or more before its head noun.
``legal_form``
    ``星光电器公司工会`` after ``湖南星光电器有限公司工会``: the same company with its legal
    form (有限公司, 股份有限公司, 有限责任公司) written as 公司, and its places left out.
``partial_name``
    ``阿依古丽`` after ``阿依古丽·买买提``.
``surname_title``
    ``张书记`` (or the bare surname 张 of 张书记, 老张, 张某) is the article's only
    person surnamed 张, if there is exactly one; with two or more (or none) it is not
    merged, since any choice would be a guess, and a bare surname left unresolved is
    dropped (counted as ``unresolved_surname``): one node 张 for every 张 would be wrong.
    Likewise an unresolved one-character place (阿 of 中阿: 阿拉伯? 阿根廷?) is dropped,
    counted as ``unresolved_abbreviation``.
``congress``
    Numbered national meetings take their full name, computed from their numbers
    (:mod:`newskg.extract.recognition.congresses`): 党的二十大, 二十大 -> 中国共产党第二十次全国代表大会,
    十九届六中全会 -> 中国共产党第十九届中央委员会第六次全体会议; one the recogniser
    typed as an organisation is an event.
``event_short``
    An event named short (2021智博会) after or before its full name in the same article
    (2021中国国际智能产业博览会): the same numbers, fewer characters kept in order, and
    exactly one such longer event.
``campaign_spelling``
    A campaign written with other separators in the same article (“双服务 为民生”活动 in
    the headline, “双服务·为民生”活动 in the text) takes the first one's label.
``false_names`` (before all the rules above)
    Place names that their context shows to be no names are dropped or cut
    (:mod:`newskg.extract.recognition.false_names`): 中华 of 中华民族, a one-character short form outside an
    abbreviation context (京 of 京东; 中阿, 粤港澳 and 在京 keep theirs), 河南县 of 河南县以上
    (the place is 河南); counted as ``unresolved_people_word``, ``unresolved_single_character``,
    ``unresolved_level_range``.

Across articles the same canonical label and type give the same entity id
(:func:`newskg.extract.records.entity_id`), so ids are readable and stable across builds.

Examples
--------
>>> from newskg.extract.records import Article, Mention
>>> a = Article("a", "", "", "全总召开会议。")
>>> [(m.label, m.entity_id, m.rule) for m in resolve([Mention("a", 0, 2, "ORG", "全总")], a)]
[('中华全国总工会', 'org-中华全国总工会', 'abbreviation')]
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from newskg.extract.errors import Report
from newskg.extract.recognition import congresses, divisions, false_names, lexicon, place_names, roles
from newskg.extract.recognition.divisions import Division
from newskg.extract.recognition.lexicon import ORG_HEADS_HEADS
from newskg.extract.recognition.tokens import tokenize
from newskg.extract.records import Article, Mention, entity_id
from newskg.extract.resolution import abbreviations, aliases, coreference
from newskg.extract.resolution.coreference import TENTATIVE

# Mentions added by resolution itself that are dropped again when nothing resolves them.


def resolve(
    mentions: list[Mention], article: Article | None = None, report: Report | None = None
) -> list[Mention]:
    """Fill ``label``, ``entity_id`` and ``rule`` of each mention of one article.

    Parameters
    ----------
    mentions : the recogniser's mentions of ``article``.
    article : the article (its text lets resolution read alias declarations and
        short forms the recogniser missed; without it only the mentions are used).
    report : counts merged mentions per rule as ``merged_<rule>``.

    Returns
    -------
    The mentions in text order, possibly with mentions added for declared aliases
    and short forms that the recogniser did not find.

    Examples
    --------
    >>> from newskg.extract.records import Article, Mention
    >>> a = Article("a", "", "", "河南省总工会成立。河南省总支持下")
    >>> [(m.text, m.label) for m in resolve([Mention("a", 0, 6, "ORG", "河南省总工会")], a)]
    [('河南省总工会', '河南省总工会'), ('河南省总', '河南省总工会')]
    """
    text = article.text if article is not None else ""
    ms = sorted(mentions, key=lambda m: (m.start, m.end))
    declared: list[aliases.Alias] = []
    if text:
        aid = article.id if article is not None else ""
        declared = aliases.declared(text, ms)
        ms = coreference.with_further_mentions(ms, declared, text, aid)
        judged = false_names.judge(ms, text)
        ms = [m for m, why in judged if not why]
        if report is not None:
            for why, n in sorted(Counter(why for _, why in judged if why).items()):
                report.count(f"unresolved_{why}", n)
    _resolve_events(ms)
    _resolve_campaigns(ms)
    _resolve_places(ms, article)
    _join_place_chains(ms, text)
    ms = _resolve_orgs(ms, declared)
    ms = _resolve_people(ms)
    # A bare surname (张), one-character place (阿) or relative organisation (市委) that
    # resolution left as it was names no one thing: one node 张 for every 张 would merge strangers.
    is_bare = [_unresolved(m) for m in ms]
    ms = [m for m, b in zip(ms, is_bare, strict=True) if not b]
    if report is not None:
        for what, n in sorted(Counter(filter(None, is_bare)).items()):
            report.count(f"unresolved_{what}", n)
    counts: Counter[str] = Counter()
    for m in ms:
        m.label = m.label or m.text
        m.entity_id = entity_id(m.type, m.label)
        if m.rule:
            counts[m.rule] += 1
    if report is not None:
        for rule, n in sorted(counts.items()):
            report.count(f"merged_{rule}", n)
    return ms


def _unresolved(m: Mention) -> str | None:
    """What kind of name ``m`` still is if resolution could not tell what it names, else None."""
    label = m.label or m.text
    if m.type in ("PERSON", "PLACE") and len(label) == 1:
        return "surname" if m.type == "PERSON" else "abbreviation"
    if m.type == "ORG" and _relative_core(label):
        return "relative"
    return None


# -- events --------------------------------------------------------------------------------------


_NUMBERS = re.compile("[0-9０-９一二三四五六七八九十百零〇两]+")


def _resolve_events(ms: list[Mention]) -> None:
    """Numbered national meetings (党的二十大) by their full names, as EVENTs; then short
    names of the article's other events by theirs (``event_short``)."""
    for m in ms:
        if m.type in ("EVENT", "ORG") and (full := congresses.full_name(m.text)):
            m.type, m.label = "EVENT", full
            m.rule = "congress" if full != m.text else ""
    names = {m.label for m in ms if m.type == "EVENT"}
    for m in ms:
        if m.type == "EVENT" and not m.rule:
            longer = [n for n in names if _event_short_form(m.text, n)]
            if len(longer) == 1:
                m.label, m.rule = longer[0], "event_short"


def _event_short_form(short: str, full: str) -> bool:
    """Whether ``short`` names the event ``full`` with the same numbers and fewer characters,
    kept in order (2021智博会 of 2021中国国际智能产业博览会, not 全总十七届执委会 of 全总十七届六次执委会).

    >>> _event_short_form("2021智博会", "2021中国国际智能产业博览会")
    True
    >>> _event_short_form("全总十七届执委会", "全总十七届六次执委会")
    False
    """
    return _NUMBERS.findall(short) == _NUMBERS.findall(full) and aliases.is_abbreviation(
        short, full, anchored=False
    )


# -- campaigns -----------------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s·・•]")


def _resolve_campaigns(ms: list[Mention]) -> None:
    """Campaigns written with other separators in one article (“甲 乙”活动, “甲·乙”活动) take
    the label of the first one in text order (``campaign_spelling``)."""
    first: dict[str, str] = {}
    for m in ms:
        if m.type == "CAMPAIGN":
            label = first.setdefault(_SEPARATORS.sub("", m.label), m.label)
            if label != m.label:
                m.label, m.rule = label, "campaign_spelling"


# -- places --------------------------------------------------------------------------------------


def _place_candidates(m: Mention) -> tuple[tuple[Division, ...], list[Division]]:
    """Candidate divisions of a place mention, and places its own text implies (a chain)."""
    if m.attrs.get("code"):
        d = divisions.by_code(m.attrs["code"])
        return ((d,) if d else ()), []
    if m.attrs.get("codes"):
        return tuple(d for c in m.attrs["codes"].split() if (d := divisions.by_code(c))), []
    cands = place_names.candidates(m.text)
    if cands:
        return cands, []
    chain, n = place_names.parse_chain(m.text)
    if chain and n == len(m.text):
        return (chain[-1],), chain[:-1]
    return (), []


def _resolve_places(ms: list[Mention], article: Article | None) -> None:
    places = [m for m in ms if m.type == "PLACE"]
    pending: list[tuple[Mention, tuple[Division, ...]]] = []
    anchors: list[Division] = []
    if article is not None and article.dateline_place:
        d = place_names.choose(place_names.candidates(article.dateline_place))
        anchors += [d] if d else []
    for m in places:
        fixed = abbreviations.lookup(m.text)
        if fixed and fixed[1] == "PLACE":
            m.label, m.rule = fixed[0], "abbreviation"
            continue
        cands, implied = _place_candidates(m)
        anchors += implied
        certain = m.attrs.get("code") or implied  # the recogniser's code, or a chain 北京市怀柔区
        d = cands[0] if certain and cands else place_names.choose(cands, (), m.text)
        if d is not None:
            _set_place(m, d)
            anchors.append(d)
        elif cands:
            pending.append((m, cands))
    for m, cands in pending:
        d = place_names.choose(cands, anchors, m.text)
        if d is not None:
            _set_place(m, d)


def _set_place(m: Mention, d: Division) -> None:
    m.label = place_names.canonical_label(d)
    m.attrs["code"] = d.code
    if m.label != m.text:
        m.rule = "place"


# -- organisations -------------------------------------------------------------------------------


@cache
def _head_endings() -> tuple[str, ...]:
    return tuple(sorted(ORG_HEADS_HEADS))


def _relative_core(name: str) -> str | None:
    """The part of a relative name that the full name ends with, or None for other names.

    Relative: a level of division and a head (市委), a level standing alone before a
    name that ends in a head (市|青年志愿者协会, not 市场|监督管理局), or 该 and a head.

    >>> _relative_core("市委"), _relative_core("该区总"), _relative_core("该公司"), _relative_core("襄阳市委")
    ('市委', '区总工会', '公司', None)
    >>> _relative_core("市青年志愿者协会"), _relative_core("市场监督管理局")
    ('市青年志愿者协会', None)
    """
    anaphor = name.startswith("该")
    core = name[1:] if anaphor else name
    core = abbreviations.union_full_name(core) or core
    if (
        len(core) > 1
        and core[0] in divisions.LEVEL_CHARS
        and (
            core[1:] in ORG_HEADS_HEADS
            or (core.endswith(_head_endings()) and tokenize(core)[0].text == core[0])
        )
    ):
        return core
    return core if anaphor and core in ("公司", "集团") else None


class _EarlierOrgs:
    """The organisations named so far in an article, indexed for the context rules.

    ``recent`` lists the full names, latest last (for 市委, 区总, 该公司);
    ``by_legal_form[name]`` is the first company name that is ``name`` once its legal form is
    reduced to 公司 and, optionally, its leading places dropped;
    ``without_place[name]`` is the latest full name that is ``name`` preceded by
    places (北京市 + 怀柔区总工会), only for names that themselves start with a place,
    so a bare 总工会 never takes a place union's name.
    """

    def __init__(self) -> None:
        self.recent: list[str] = []
        self.without_place: dict[str, str] = {}
        self.by_legal_form: dict[str, str] = {}
        self._seen: set[str] = set()
        self.labels: list[str] = []

    def ending(self, core: str) -> str | None:
        """The latest full name ending in ``core`` and longer than it."""
        return next((x for x in reversed(self.recent) if x.endswith(core) and len(x) > len(core)), None)

    def add(self, label: str) -> None:
        if not _relative_core(label):
            self.recent.append(label)
        if label not in self._seen:
            self._seen.add(label)
            self.labels.append(label)
            for short in place_short_forms(label):
                self.without_place.setdefault(short, label)
            if any(f in label for f in _LEGAL_FORMS) or "公司" in label:
                # 湖南星光电器有限公司工会 is also 星光电器公司工会 (its places may go too)
                ends = [0] + [end for _, end in place_names.chain_steps(label, short_levels=2)]
                for end in ends:
                    if end == 0 or _named_part(label[end:]):
                        self.by_legal_form.setdefault(without_legal_form(label[end:]), label)


_LEGAL_FORMS = lexicon.ordered("resolve_rules", "legal_forms")


def without_legal_form(name: str) -> str:
    """A company's name with its legal form reduced to 公司, so that the ways one company is
    written in one article compare equal.

    >>> without_legal_form("超群日化有限公司工会"), without_legal_form("超群日化公司工会")
    ('超群日化公司工会', '超群日化公司工会')
    """
    for form in _LEGAL_FORMS:
        if form in name:
            return name.replace(form, "公司", 1)
    return name


def place_short_forms(label: str) -> list[str]:
    """An organisation's name without its leading places, while a place still leads it.

    >>> place_short_forms("北京市密云区总工会"), place_short_forms("河南省总工会")
    (['密云区总工会'], [])
    """
    return [label[end:] for _, end in place_names.chain_steps(label, short_levels=2)[:-1]]


def _join_place_chains(ms: list[Mention], text: str) -> None:
    """Name an organisation right after the places of its chain by the whole chain (北京市|密云区总工会)."""
    for i, m in enumerate(ms):
        if m.type != "ORG" or m.rule:
            continue
        start, j = m.start, i - 1
        while j >= 0 and ms[j].type == "PLACE" and ms[j].end == start:
            start, j = ms[j].start, j - 1
        if start < m.start and place_names.last_division_at(text[start : m.end]) == m.start - start:
            m.label, m.rule = text[start : m.end], "place_chain"


def _resolve_orgs(ms: list[Mention], declared: list[aliases.Alias]) -> list[Mention]:
    earlier = _EarlierOrgs()
    out = []
    for m in ms:
        if m.type != "ORG":
            out.append(m)
            continue
        if m.rule != "place_chain":
            _resolve_org(m, declared, earlier)
        if m.source == TENTATIVE and not m.rule:
            continue
        if (m.label == m.text or m.rule == "place_chain") and (shorts := place_short_forms(m.label)):
            m.attrs["short_forms"] = "|".join(shorts)  # aliases of the node: 密云区总工会
        out.append(m)
        earlier.add(m.label)
    return out


def _expanded_body(text: str) -> str:
    """The full name of a body named by an organisation's short form and a head (全总党组:
    中华全国总工会党组), or ''.

    >>> _expanded_body("全总党组"), _expanded_body("党组")
    ('中华全国总工会党组', '')
    """
    for k in range(len(text) - 1, 1, -1):
        if text[k:] in ORG_HEADS_HEADS:
            fixed = abbreviations.lookup(text[:k])
            if fixed and fixed[1] == "ORG":
                return fixed[0] + text[k:]
    return ""


def _resolve_org(m: Mention, declared: list[aliases.Alias], earlier: _EarlierOrgs) -> None:
    t = m.text
    for a in declared:
        if a.end <= m.start and t.startswith(a.short):  # the short form in the declaration too
            m.label, m.rule = a.full + t[len(a.short) :], "alias"
            return
    fixed = abbreviations.lookup(t)
    if fixed and fixed[1] == "ORG":
        m.label, m.rule = fixed[0], "abbreviation"
        return
    expanded = _expanded_body(t)
    if expanded:
        m.label, m.rule = expanded, "abbreviation"
        return
    core = _relative_core(t)
    if core:
        full = earlier.ending(core)
        if full:
            m.label, m.rule = full, "context"
        elif core == t and core[1:] not in ORG_HEADS_HEADS:
            m.label, m.rule = core[1:], "level_prefix"  # 省|梅园研究会: the name, not one node per province
        return
    union = abbreviations.union_full_name(t)
    if union:
        m.label, m.rule = earlier.without_place.get(union, union), "union_short"
        return
    full = earlier.without_place.get(t)
    if full:
        m.label, m.rule = full, "place_prefix"
        return
    same = earlier.by_legal_form.get(without_legal_form(t))
    if same and same != t:
        m.label, m.rule = same, "legal_form"  # 某某有限公司, later 某某公司: one company
        return
    longer = {x for x in earlier.labels if x.endswith(t) and len(x) > len(t)}
    if len(longer) == 1 and _named_part(t):
        m.label, m.rule = longer.pop(), "name_suffix"


def _named_part(name: str) -> bool:
    """Whether ``name`` has two characters or more before its organisation head (湾区|工会)."""
    return any(name.endswith(h) and len(name) - len(h) >= 2 for h in ORG_HEADS_HEADS)


# -- people --------------------------------------------------------------------------------------


def _resolve_people(ms: list[Mention]) -> list[Mention]:
    people = [m for m in ms if m.type == "PERSON"]
    full_by_first: dict[str, set[str]] = {}
    by_surname: dict[str, set[str]] = {}
    for m in people:
        if "·" in m.text:
            full_by_first.setdefault(m.text.split("·")[0], set()).add(m.text)
        elif 2 <= len(m.text) <= 4 and not roles.is_title(m.text[1:]):
            by_surname.setdefault(m.text[0], set()).add(m.text)
    for m in people:
        fulls = full_by_first.get(m.text, set())
        if "·" not in m.text and len(fulls) == 1:
            m.label, m.rule = next(iter(fulls)), "partial_name"
        elif len(m.text) == 1 or roles.is_title(m.text[1:]):
            names = by_surname.get(m.text[0], set())
            if len(names) == 1:
                m.label, m.rule = next(iter(names)), "surname_title"
    return ms


# -- relations -----------------------------------------------------------------------------------
