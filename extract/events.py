"""EVENT mentions: named one-off meetings, congresses and expos.

An event name is an ordinal or session (第五届, 十七届六次, 2021) followed by a short
name and an event head noun (博览会, 执委会, 智博会; ``data/events.txt``), optionally
preceded by the body that holds it (全总十七届六次执委会). Numbered national meetings
(党的二十大, 十九届六中全会, 十四届全国人大一次会议) are found by :mod:`extract.congresses`,
which also gives their full names to resolution. An event named inside a campaign's
quoted name (“喜迎二十大 建功新时代”主题宣传教育) is part of the campaign's name, not a
mention of its own.

>>> from extract.doc import make_doc
>>> from extract.records import Article
>>> a = make_doc(Article(id="a", source="", title="", text="出席第五届中阿博览会和2021智博会。"))
>>> [m.text for m in events(a)]
['第五届中阿博览会', '2021智博会']
>>> [m.text for m in events(make_doc(Article(id="a", source="", title="", text="党的二十大召开。")))]
['党的二十大']
"""

from __future__ import annotations

import re
from functools import cache

from extract import congresses, lexicon
from extract.campaigns import campaigns
from extract.doc import Doc
from extract.records import Mention

_NUM = "[0-9０-９一二三四五六七八九十百零〇两]"


@cache
def _pattern() -> re.Pattern[str]:
    heads = "|".join(map(re.escape, sorted(lexicon.section("events", "heads"), key=len, reverse=True)))
    session = f"(?:第?{_NUM}{{1,3}}届(?:{_NUM}{{1,3}}[次中]?)?|(?:19|20)[0-9]{{2}}年?|第{_NUM}{{1,3}}次)"
    return re.compile(f"(?:[\u4e00-\u9fff]{{2}})?{session}[\u4e00-\u9fffA-Za-z]{{0,10}}?(?:{heads})")


def events(doc: Doc) -> list[Mention]:
    """EVENT mentions of ``doc`` (see the module docstring)."""
    text = doc.text
    out = [
        Mention(doc.id, m.start(), m.end(), "EVENT", m.group(), source="congresses")
        for m in congresses.find(text)
    ]
    for m in _pattern().finditer(text):
        start = m.start()
        body = m.group()[:2]
        if not re.match(f"第|{_NUM}|[0-9]", body) and body not in lexicon.section("events", "bodies"):
            start += 2
        out.append(Mention(doc.id, start, m.end(), "EVENT", text[start : m.end()], source="events"))
    inside = [(c.start, c.end) for c in campaigns(doc)]
    return [m for m in out if not any(s <= m.start and m.end <= e for s, e in inside)]
