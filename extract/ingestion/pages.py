"""Newspaper pages: repair OCR'd text, then split a page into articles.

A page is a sequence of paragraphs (one a non-empty line). Three passes, each linear:

1. :func:`paragraphs` normalises every line (full-width ASCII digits and letters become
   half-width, Chinese punctuation is kept, runs of spaces collapse), reads markdown
   headings (``#`` to ``######``) and takes the continuation markers ``(上接第1版)`` and
   ``（下转第3版）`` off the text, keeping them on the paragraph.
2. :func:`repair` joins a paragraph that stops mid-sentence with the next one when the next
   continues it (``突`` + ``出强调`` -> ``突出强调``), and keeps real breaks: headings,
   short title lines, bylines, leads, lines ending in final punctuation.
3. :func:`split` groups paragraphs into :class:`Block` s, one an article. A run of title
   lines (short, no final punctuation, or markdown headings) starts an article when a
   heading of level 1 or 2 is in it, when it is followed by a byline (``本报记者 陈曦``), a
   lead (``本报讯(记者 刘强)``, ``新华社北京6月28日电``) or a marker (``(上接第1版)``), when
   it holds a ``——`` subtitle, when it heads a photo caption (a short paragraph ending in a
   credit such as ``杨楠 摄/人民图片``), or when the previous article has ended (``（下转第3
   版）``, ``(新华社北京10月9日电)``). Other title lines are section heads inside an article
   (``### 解决痛点，破解难题``). A lead or an ``(上接第1版)`` further down an article starts a
   new article without a title, and so does a story told from the reporter's visit (``日前，当
   记者走进某公司``, ``data/story_leads.txt``) to somewhere the article never named. Two or
   more title lines before an article's head with no article open (a page's list of
   headlines) are dropped and kept on the block as ``dropped``.

>>> blocks = split(repair(paragraphs("标题\\n\\n本报讯(记者 刘强)今天开\\n\\n会。\\n\\n小标题\\n\\n正文。")))
>>> [(b.head[0].text, [p.text for p in b.body]) for b in blocks]
[('标题', ['本报讯(记者 刘强)今天开会。', '小标题', '正文。'])]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from newskg.extract.ingestion.bylines import is_byline, parse_close, parse_credit, parse_lead
from newskg.extract.recognition import lexicon

# Full-width ASCII digits and letters -> half-width; ideographic and no-break spaces -> space;
# control characters other than tab and newline are dropped, and so are U+FFFE and U+FFFF (XML
# 1.0 forbids them, issue #20).
_FULLWIDTH = {
    cp: cp - 0xFEE0
    for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
    for cp in range(r[0], r[1] + 1)
}
_TRANSLATE = str.maketrans(
    {
        **_FULLWIDTH,
        0x3000: " ",
        0xA0: " ",
        **{c: None for c in range(32) if c not in (9, 10)},
        0x7F: None,
        0xFFFE: None,
        0xFFFF: None,
    }
)
_SPACES = re.compile(r"[ \t\u2000-\u200b\u202f\u205f\ufeff]+")
_HEADING = re.compile(r"(#{1,6})[ \t]+(.*)")
_PAGE = r"\s*第?\s*[0-9一二三四五六七八九十]+\s*版)\s*[）)]"
_OPENS = re.compile(r"[（(]\s*((?:上接|紧接|接)" + _PAGE)
_CLOSES = re.compile(r"[（(]\s*((?:下转|转)" + _PAGE + "$")

_TERMINAL = frozenset("。！？!?…；;：:”’」』）)】》—")  # a paragraph ending so is complete
_NOT_TITLE_END = frozenset("。…；;，,、：:")
_SENTENCE_END = frozenset("。！？!?…")
_CLOSE_QUOTES = frozenset("”’」』")
_CONTINUES = lexicon.section("page_rules", "continues")
_CLAUSE_END = frozenset("，。、；：,;:")
_FUNCTION_END = lexicon.section("page_rules", "function_end")
_PAIRS = (("“", "”"), ("（", "）"), ("(", ")"), ("《", "》"), ("『", "』"), ("「", "」"))
_SLOGAN = re.compile(r"\S{2,8}(?: \S{2,8})+")

TITLE_MAX = 50  # longest title line, in characters (64 for a kicker ending in "——")
HEADING_MAX = 64  # a markdown heading longer than this is a paragraph of text


@dataclass(slots=True)
class Para:
    """One paragraph of a page: its text, markdown heading level (0: none) and page markers."""

    text: str
    level: int = 0
    opens: str = ""
    closes: str = ""
    kind: str = "text"  # text | byline | credit | close (a closing dateline) | empty (only a marker)


@dataclass(slots=True)
class Block:
    """The paragraphs of one article: head lines, byline paragraphs, body, credits, page markers."""

    head: list[Para] = field(default_factory=list)
    bylines: list[Para] = field(default_factory=list)
    body: list[Para] = field(default_factory=list)
    credits: list[Para] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    caption: bool = False
    dropped: list[Para] = field(default_factory=list)  # headline lines before the head, in no article


def normalise(line: str) -> str:
    """Full-width digits and letters to half-width, spaces collapsed, Chinese punctuation kept.

    >>> normalise("２０２１年　ＡＰＰ上线，“好”！")
    '2021年 APP上线，“好”！'
    """
    return _SPACES.sub(" ", line.translate(_TRANSLATE)).strip()


def paragraphs(text: str) -> list[Para]:
    """The non-empty lines of a page as :class:`Para` records, normalised, markers taken off.

    >>> page = "## 标题\\n\\n(上接第1版)正文。（下转第3版）"
    >>> [(p.text, p.level, p.opens, p.closes) for p in paragraphs(page)]
    [('标题', 2, '', ''), ('正文。', 0, '上接第1版', '下转第3版')]
    """
    out: list[Para] = []
    for raw in text.splitlines():
        line = normalise(raw)
        if not line:
            continue
        level = 0
        if line[0] == "#":
            m = _HEADING.match(line)
            if m and m.group(2).strip():
                # A "heading" longer than any title is text (a page of one long "# ..." line, issue #20).
                level, line = len(m.group(1)) if len(m.group(2)) <= HEADING_MAX else 0, m.group(2).strip()
        p = Para(line, level)
        m = _OPENS.match(line, 0, 24)
        if m:
            p.opens, line = _squash(m.group(1)), line[m.end() :].lstrip()
        m = _CLOSES.search(line, max(0, len(line) - 24))
        if m:
            p.closes, line = _squash(m.group(1)), line[: m.start()].rstrip()
        p.text = line
        if not line:
            p.kind = "empty"
        elif not level and (c := parse_close(line)) and c[0] == 0:
            p.kind = "close"
        elif not level and len(line) <= 60 and is_byline(line):
            p.kind = "byline"
        elif not level and len(line) <= 40 and (c := parse_credit(line)) and c[0] == 0:
            p.kind = "credit"
        out.append(p)
    return out


def _squash(marker: str) -> str:
    return "".join(marker.split())


def _balanced(t: str) -> bool:
    return all(t.count(a) == t.count(b) for a, b in _PAIRS)


def _fragment(t: str) -> bool:
    """A short line that cannot be a title: it holds a sentence end, an open quote, or ends on a particle."""
    return "。" in t or not _balanced(t) or t[-1] in _FUNCTION_END


def title_like(p: Para) -> bool:
    """A markdown heading, or a short line that could be a title or section head.

    >>> title_like(Para("围绕中心任务，增强干部践行担当的行动自觉")), title_like(Para("疾风知劲草。中心任"))
    (True, False)
    """
    if p.level:
        return True
    t = p.text
    if p.kind != "text" or not t:
        return False
    n = len(t)
    if n > 64 or (n > TITLE_MAX and not t.endswith("——")) or _fragment(t):
        return False
    last = t[-1]
    if last in _NOT_TITLE_END:
        return False
    if last in "？！?!":
        return n <= 30 and not any(c in t for c in "，,。")
    return not (last in _CLOSE_QUOTES and n > 1 and t[-2] in _SENTENCE_END)


def _continues(t: str) -> bool:
    """The paragraph starts mid-sentence: with punctuation, a particle, or a one-character clause."""
    return t[0] in _CONTINUES or (len(t) > 1 and t[1] in _CLAUSE_END)


def _signal(p: Para | None) -> bool:
    """A paragraph that follows an article's head: a byline, a lead, a marker or a —— subtitle."""
    if p is None:
        return False
    if p.kind == "byline" or p.opens or p.level:
        return True
    if p.text.startswith("——") and title_like(p):
        return True
    return p.kind == "text" and parse_lead(p.text) is not None


def _joinable(prev: Para, cur: Para, after: Para | None, after2: Para | None) -> bool:
    if prev.kind != "text" or cur.kind != "text" or prev.level or cur.level or prev.closes or cur.opens:
        return False
    if prev.text[-1] in _TERMINAL or prev.text.startswith("——") or parse_lead(cur.text) is not None:
        return False
    if title_like(prev):
        return _fragment(prev.text) or _continues(cur.text)
    if _continues(cur.text):
        return True
    return not (
        title_like(cur)
        and (_signal(after) or (after is not None and title_like(after)) or _caption_follows(after, after2))
    )


def repair(paras: list[Para]) -> list[Para]:
    """Join paragraphs broken mid-sentence (at a page or column break); keep real breaks.

    >>> [p.text for p in repair(paragraphs("疾风知劲草。中心任\\n\\n务、大战大考。\\n\\n小标题\\n\\n正文。"))]
    ['疾风知劲草。中心任务、大战大考。', '小标题', '正文。']
    """
    out: list[Para] = []
    pieces: list[list[str]] = []  # the parts of each joined paragraph, concatenated once at the end
    n = len(paras)
    for i, cur in enumerate(paras):
        prev = out[-1] if out else None
        after = paras[i + 1] if i + 1 < n else None
        after2 = paras[i + 2] if i + 2 < n else None
        if prev is not None and _joinable(prev, cur, after, after2):
            sep = " " if prev.text[-1].isascii() and prev.text[-1].isalpha() and cur.text[0].isascii() else ""
            pieces[-1] += (sep, cur.text)
            # prev.text stands in for the joined text in later checks, which only look at its
            # start, its end and whether it is short: keep it bounded so joining stays linear.
            joined = prev.text + sep + cur.text[:200]
            prev.text = joined if len(joined) <= 200 else joined[:100] + cur.text[-100:]
            prev.closes = cur.closes
            continue
        out.append(cur)
        pieces.append([cur.text])
    for p, parts in zip(out, pieces, strict=True):
        if len(parts) > 1:
            p.text = "".join(parts)
    return out


@cache
def _visit_pattern() -> re.Pattern[str]:
    times = "|".join(sorted(lexicon.section("story_leads", "times"), key=len, reverse=True))
    verbs = "|".join(sorted(lexicon.section("story_leads", "verbs"), key=len, reverse=True))
    after = r"(?:^|[。！？!?”」])\s*"  # the opening starts a sentence
    return re.compile(rf"{after}(?:{times})[，,]\s*当?(?:本报)?记者(?:{verbs})([\u4e00-\u9fff]{{4}})")


def visited(text: str) -> str | None:
    """What a reporter's-visit opening in the first 100 characters names (four characters), or None.

    >>> visited("“报名了吗？”日前，当记者走进东方机械厂，工人们正在讨论。"), visited("记者从会上获悉。")
    ('东方机械', None)
    >>> visited("近日，记者走进该公司车间。") is None  # what was visited was named before
    True
    """
    m = _visit_pattern().search(text, 0, 100)
    if m is None or m.group(1).startswith(tuple(lexicon.section("story_leads", "anaphora"))):
        return None
    return m.group(1)


def _new_story(p: Para, cur: Block) -> bool:
    """``p`` opens a story of its own: a lead, a marker, or a visit to somewhere ``cur`` never named."""
    if p.opens:
        return True
    if p.kind != "text":
        return False
    if parse_lead(p.text) is not None:
        return True
    where = visited(p.text)
    return where is not None and not any(where in q.text for q in (*cur.head, *cur.body))


def _caption_follows(p: Para | None, q: Para | None) -> bool:
    """``p`` (and a credit line ``q`` after it) read as a photo caption: short text ending in a credit."""
    if p is None or p.kind != "text" or len(p.text) > 400 or p.level:
        return False
    return parse_credit(p.text) is not None or (q is not None and q.kind == "credit")


def _slogan(t: str) -> bool:
    return _SLOGAN.fullmatch(t) is not None


def _main(p: Para) -> bool:
    t = p.text
    return not (t.startswith("——") or t.endswith("——") or _slogan(t))


def _head_start(run: list[Para]) -> int:
    """Where the head of the next article begins in a run of title lines (earlier lines are not its)."""
    first_top = next((k for k, p in enumerate(run) if 0 < p.level <= 2), None)
    if first_top is not None:
        k = first_top
        while k > 0 and run[k - 1].level:
            k -= 1
        return k
    k = len(run) - 1
    while k > 0 and len(run) - k < 4:
        prev, head = run[k - 1], run[k:]
        both_md = prev.level and all(p.level for p in head)
        kicker = prev.text.endswith("——") or _slogan(prev.text) or len(prev.text) <= 8
        if not both_md and any(_main(p) for p in head) and not kicker:
            break
        k -= 1
    return k


def split(paras: list[Para]) -> list[Block]:
    """Group repaired paragraphs into articles (see the module docstring for the rules).

    >>> page = "职工游家乡\\n\\n2月28日,职工乘火车游览。 本报通讯员 胡青飞\\n\\n标题\\n\\n本报讯 正文。"
    >>> [(b.head[0].text, b.caption) for b in split(repair(paragraphs(page)))]
    [('职工游家乡', True), ('标题', False)]
    """
    blocks: list[Block] = []
    cur: Block | None = None
    closed = True
    i, n = 0, len(paras)
    while i < n:
        p = paras[i]
        if title_like(p):
            j = i
            while j < n and title_like(paras[j]):
                j += 1
            run = paras[i:j]
            after = paras[j] if j < n else None
            after2 = paras[j + 1] if j + 1 < n else None
            caption = _caption_follows(after, after2)
            starts = (
                closed
                or cur is None
                or any(0 < q.level <= 2 for q in run)
                or any(q.text.startswith("——") for q in run[1:])
                or _signal(after)
                or caption
            )
            if starts and after is None and not any(0 < q.level <= 2 for q in run):
                starts = False  # short lines ending the page, with no text under them: text
            if starts:
                k = _head_start(run)
                dropped: list[Para] = []
                if k and cur is not None and not closed:
                    cur.body.extend(run[:k])
                elif k > 1 and _signal(after):
                    dropped = run[:k]  # a list of headlines before an article: not an article
                elif k:
                    blocks.append(Block(body=run[:k]))
                cur = Block(head=run[k:], caption=caption, dropped=dropped)
                blocks.append(cur)
                closed = False
            else:
                if cur is None or closed:
                    cur = Block()
                    blocks.append(cur)
                    closed = False
                cur.body.extend(run)
            i = j
            continue
        i += 1
        if p.kind == "byline" and cur is not None and not closed and not cur.body and not cur.credits:
            cur.bylines.append(p)
            continue
        if cur is None or closed or ((cur.body or cur.credits) and _new_story(p, cur)):
            cur = Block()
            blocks.append(cur)
            closed = False
        if p.opens:
            cur.pages.append(p.opens)
        if p.kind in ("byline", "credit"):
            cur.credits.append(p)
            closed = cur.caption
        elif p.kind == "close":
            cur.credits.append(p)
            closed = True
        elif p.kind == "text":
            cur.body.append(p)
            if parse_close(p.text) is not None or (cur.caption and parse_credit(p.text) is not None):
                closed = True
        if p.closes:
            cur.pages.append(p.closes)
            closed = True
    return blocks


def title_parts(head: list[Para]) -> tuple[str, str]:
    """The title and the subtitle (other head lines, kicker first, joined by " / ") of a head.

    The title is the level-1 markdown heading if there is one, else the first line that is
    not a ``——`` subtitle, a kicker ending in ``——`` or a slogan (``活动共办 经验互鉴``). A short
    first line (8 characters or fewer, such as an organisation) is the start of the title
    broken over two lines.

    >>> title_parts([Para("深化交流合作 聚焦协同发展"), Para("粤港澳大湾区工会第三次联席会议召开")])
    ('粤港澳大湾区工会第三次联席会议召开', '深化交流合作 聚焦协同发展')
    >>> title_parts([Para("西安市总工会"), Para("发布消费帮扶点推介名单")])
    ('西安市总工会发布消费帮扶点推介名单', '')
    """
    if not head:
        return "", ""
    texts = [p.text for p in head]
    main = next((k for k, p in enumerate(head) if p.level == 1), None)
    if main is None:
        main = next((k for k, p in enumerate(head) if _main(p)), None)
    if main is None:
        main = next((k for k, t in enumerate(texts) if not t.startswith("——")), 0)
    title = texts[main]
    rest = texts[:main] + texts[main + 1 :]
    if (
        not head[main].level
        and len(title) <= 8
        and main + 1 < len(head)
        and not head[main + 1].level
        and _main(head[main + 1])
    ):
        title += texts[main + 1]
        rest.remove(texts[main + 1])
    return title, " / ".join(t.strip("—") for t in rest if t.strip("—"))
