"""CAMPAIGN mentions: named campaigns, programmes, competitions and initiatives.

- A quoted name followed by a head noun (“安康杯”竞赛, “六有六规范”建设,
  “不忘初心、牢记使命”主题教育); the mention includes the quotes.
- A quoted name that is a campaign on its own by its last word (“工会创业贷”).
- Nationwide campaigns by name (脱贫攻坚, 乡村振兴, 党史学习教育; ``data/campaigns.txt``).

>>> from extract.doc import make_doc
>>> from extract.records import Article
>>> a = make_doc(Article(id="a", source="", title="", text="开展“安康杯”竞赛，助力乡村振兴。"))
>>> [m.text for m in campaigns(a)]
['“安康杯”竞赛', '安康杯', '乡村振兴']
"""

from __future__ import annotations

import re
from functools import cache

from extract import lexicon
from extract.doc import Doc
from extract.records import Mention

_QUOTED = re.compile(r"[“\"「『]([^”\"」』\n]{1,30})[”\"」』]")


@cache
def _names() -> re.Pattern[str]:
    names = sorted(lexicon.section("campaigns", "names"), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


@cache
def _heads() -> tuple[str, ...]:
    return tuple(sorted(lexicon.section("campaigns", "heads"), key=len, reverse=True))


def _mention(doc: Doc, start: int, end: int) -> Mention:
    return Mention(doc.id, start, end, "CAMPAIGN", doc.text[start:end], source="campaigns")


def campaigns(doc: Doc) -> list[Mention]:
    """CAMPAIGN mentions of ``doc`` (see the module docstring)."""
    text = doc.text
    out = []
    suffixes = tuple(lexicon.section("campaigns", "quoted_suffix"))
    for m in _QUOTED.finditer(text):
        head = next((h for h in _heads() if text.startswith(h, m.end())), "")
        if head:
            out.append(_mention(doc, m.start(), m.end() + len(head)))
        elif m.group(1).endswith(suffixes) and len(m.group(1)) >= 3:
            out.append(_mention(doc, m.start(), m.end()))
    out.extend(_mention(doc, m.start(), m.end()) for m in _names().finditer(text))
    return out
