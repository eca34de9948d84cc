"""Bylines, leads, datelines and photo credits of Chinese news articles.

A newspaper article names its authors in a byline paragraph (``本报记者 余嘉熙 本报通讯员
董君亚``), in the lead (``本报讯(记者赖小凯 通讯员王小明)``, ``本报北京6月28日电(记者郑小丽
郝赫 朱欣)``), in a closing dateline (``(新华社乌鲁木齐6月28日电)``) or, under a photo, in a
credit (``杨楠 摄/人民图片``). These functions recognise each form and return the people with
their roles; the caller strips the matched text from the article body.

Every pattern is compiled once and applied to a bounded prefix or suffix of a paragraph, so
the cost per paragraph does not grow with its length.

>>> [(p.name, p.role) for p in people("记者郑小丽 郝赫 朱欣")]
[('郑小丽', '记者'), ('郝赫', '记者'), ('朱欣', '记者')]
>>> lead = parse_lead("本报北京6月28日电(记者郑小丽)2022年以来,各级工会……")
>>> lead.place, lead.date, lead.end
('北京', '--06-28', 17)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newskg.extract.records import BylinePerson

_HAN = r"\u4e00-\u9fff"
_AGENCY = r"本报|新华社|中新社|中新网|人民日报|人民网|央视网|光明日报|经济日报|工人日报"
_ROLE = r"特约记者|实习记者|首席记者|摄影记者|见习记者|记者|特约通讯员|通讯员|实习生"
# A name: two to four Han characters, or a transliterated name joined by "·".
_NAME = rf"[{_HAN}]{{2,4}}|[{_HAN}]{{1,10}}(?:·[{_HAN}]{{1,10}})+"

# A role word (optionally after an agency) or a name, scanned left to right by people().
_TOKEN = re.compile(rf"(?:({_AGENCY}))?({_ROLE})|(摄)|((?:(?!{_AGENCY}|{_ROLE}|摄)[{_HAN}·])+)")
_AGENCY_RE = re.compile(_AGENCY)
OWN_PAPER = "本报"  # "this paper": an agency word that names no organisation

# A byline paragraph: role words and names only, e.g. "本报记者 毛小曦" or "新华社记者".
# Names are separated by a space or a comma (or by the next role word), never run together:
# a run of Han characters can then be read as names in one way only, so matching stays linear.
_NAMES = rf"(?:{_NAME})(?:[ 、，,]+(?:{_NAME}))*"
_ROLE_G = rf"(?:{_ROLE})"
_BYLINE = re.compile(rf"(?:(?:{_AGENCY})?(?:{_ROLE}) *(?:{_NAMES})?[ 、，,]*)+")

# A lead: 本报讯 / 新华社北京6月28日电 / 据新华社银川8月22日电, then an optional (credit).
_LEAD = re.compile(
    rf"(?:据)?(?:(?P<agency>{_AGENCY})讯|(?P<agency2>{_AGENCY})?(?P<place>[{_HAN}]{{1,8}}?)"
    rf"(?:(?P<year>\d{{4}})年)?(?P<month>\d{{1,2}})月(?P<day>\d{{1,2}})日(?:电|讯))"
    r"\s*(?:[（(](?P<credit>[^（()）]{0,40})[）)])?\s*"
)

# A closing dateline in brackets at the end of an article: (新华社乌鲁木齐6月28日电), (完).
_CLOSE = re.compile(
    rf"[（(](?:(?P<agency>{_AGENCY})?(?P<place>[{_HAN}]{{1,8}}?)(?:(?P<year>\d{{4}})年)?"
    r"(?P<month>\d{1,2})月(?P<day>\d{1,2})日电|完)[）)]$"
)

# A photo credit at the end of a paragraph: 新华社发（田晓丽摄）, 新华社记者 王全超摄,
# 杨楠 摄/人民图片, or (after a full stop or a space) 本报记者 李昱霖 本报通讯员 陈剑超.
_CREDIT = re.compile(
    rf"(?:(?:{_AGENCY})发?\s*[（(](?P<a>[^（()）]{{2,20}})摄[）)]"
    rf"|(?:^|(?<=[。！？”）)\s]))(?:(?P<b>(?:(?:{_AGENCY})?{_ROLE_G})? *{_NAMES}"
    rf"(?: *(?:{_AGENCY})?{_ROLE_G} *{_NAMES})* *摄"
    rf"(?:\s*/\s*[{_HAN}]{{2,6}})?)|(?P<c>(?:(?:{_AGENCY})?{_ROLE_G} *{_NAMES} *)+)))$"
)


@dataclass(frozen=True, slots=True)
class Lead:
    """What a lead says: dateline place and date, agency, credited people; ``end``: where the body starts."""

    end: int
    place: str = ""
    date: str = ""
    people: tuple[BylinePerson, ...] = ()
    agency: str = ""


def people(text: str) -> tuple[BylinePerson, ...]:
    """The people named in a byline or credit, each with the role written before (or 摄 after) them.

    >>> [(p.name, p.role) for p in people("通讯员李晚玉 记者刘建林")]
    [('李晚玉', '通讯员'), ('刘建林', '记者')]
    >>> people("新华社记者 王全超摄")
    (BylinePerson(name='王全超', role='摄', agency='新华社'),)
    """
    out: list[BylinePerson] = []
    role = agency = ""
    group_start = 0
    for m in _TOKEN.finditer(text):
        if m.group(2):
            role, group_start = m.group(2), len(out)
            agency = _agency(m.group(1) or "")
        elif m.group(3):
            out[group_start:] = [BylinePerson(p.name, "摄", p.agency) for p in out[group_start:]]
            group_start = len(out)
        elif re.fullmatch(_NAME, m.group(4)):
            out.append(BylinePerson(m.group(4), role, agency))
    return tuple(out)


def _agency(word: str) -> str:
    return "" if word == OWN_PAPER else word


def agency(text: str) -> str:
    """The first news agency a byline, lead or credit names, other than the paper's own (本报); or "".

    >>> agency("新华社记者"), agency("本报记者 陈曦"), agency("新华社发（田晓丽摄）")
    ('新华社', '', '新华社')
    """
    return next((a for m in _AGENCY_RE.finditer(text) if (a := _agency(m.group()))), "")


def is_byline(text: str) -> bool:
    """True for a paragraph that is only a byline, such as ``本报记者 余嘉熙 本报通讯员 董君亚``.

    >>> is_byline("新华社记者"), is_byline("本报记者 陈曦"), is_byline("记者从会上获悉。")
    (True, True, False)
    """
    return len(text) <= 60 and _BYLINE.fullmatch(text.strip()) is not None


def format_date(year: str | None, month: str, day: str) -> str:
    """ISO 8601 date, or ``--MM-DD`` (ISO 8601's form without a year) when the year is unknown.

    >>> format_date("2022", "6", "28"), format_date(None, "6", "28")
    ('2022-06-28', '--06-28')
    """
    m, d = int(month), int(day)
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return ""
    return f"{year}-{m:02d}-{d:02d}" if year else f"--{m:02d}-{d:02d}"


def parse_lead(paragraph: str) -> Lead | None:
    """The lead at the start of a paragraph (本报讯, 本报北京6月28日电(记者…)), or None.

    >>> parse_lead("本报讯(记者 刘强)10月9日,西安市……").people
    (BylinePerson(name='刘强', role='记者', agency=''),)
    >>> parse_lead("据新华社兰州5月3日电（记者周文斌）记者从……").people
    (BylinePerson(name='周文斌', role='记者', agency='新华社'),)
    >>> parse_lead("记者从会上获悉") is None
    True
    """
    m = _LEAD.match(paragraph[:80])
    if m is None or not (m.group("agency") or m.group("agency2") or m.group("credit") is not None):
        return None
    date = format_date(m.group("year"), m.group("month"), m.group("day")) if m.group("month") else ""
    source = _agency(m.group("agency") or m.group("agency2") or "")
    credited = tuple(
        BylinePerson(p.name, p.role, p.agency or source) for p in people(m.group("credit") or "")
    )
    return Lead(end=m.end(), place=m.group("place") or "", date=date, people=credited, agency=source)


def parse_close(paragraph: str) -> tuple[int, Lead] | None:
    """A closing dateline at the end of a paragraph: its start offset and what it says, or None.

    >>> parse_close("……前行。(新华社北京3月1日电)")
    (5, Lead(end=5, place='北京', date='--03-01', people=(), agency='新华社'))
    """
    tail_start = max(0, len(paragraph) - 40)
    m = _CLOSE.search(paragraph, tail_start)
    if m is None:
        return None
    date = format_date(m.group("year"), m.group("month"), m.group("day")) if m.group("month") else ""
    source = _agency(m.group("agency") or "")
    return m.start(), Lead(end=m.start(), place=m.group("place") or "", date=date, agency=source)


def parse_credit(paragraph: str) -> tuple[int, tuple[BylinePerson, ...]] | None:
    """A photo or author credit ending a paragraph: its start offset and the people, or None.

    >>> parse_credit("……保障学生乘车安全。新华社发（田晓丽摄）")
    (11, (BylinePerson(name='田晓丽', role='摄', agency='新华社'),))
    >>> parse_credit("杨楠 摄/人民图片")
    (0, (BylinePerson(name='杨楠', role='摄', agency=''),))
    """
    m = _CREDIT.search(paragraph, max(0, len(paragraph) - 40))
    if m is None:
        return None
    if m.group("a"):
        source = agency(m.group())
        found = tuple(BylinePerson(p.name, "摄", source) for p in people(m.group("a")))
    else:
        found = people((m.group("b") or m.group("c")).split("/")[0])
    return (m.start(), found) if found else None
