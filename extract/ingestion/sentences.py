"""Sentence splitting with offsets into the article text.

A sentence ends at 。！？；!? (with any closing quotes that follow) or at a
paragraph break.

>>> from newskg.extract.records import Article
>>> a = Article(id="a", source="", title="", text="他说：“好。”然后走了！\\n第二段")
>>> [a.text[s.start:s.end] for s in split_sentences(a)]
['他说：“好。”', '然后走了！', '第二段']
"""

from __future__ import annotations

import re

from newskg.extract.records import Article, Sentence

_END = re.compile(r"[^。！？；!?;]*(?:[。！？；!?;]+[”’」』）)]*|$)")


def split_sentences(article: Article) -> list[Sentence]:
    """The sentences of ``article``, paragraph by paragraph."""
    out: list[Sentence] = []
    text = article.text
    for p, (start, end) in enumerate(article.paragraphs):
        for m in _END.finditer(text, start, end):
            s, e = m.start(), m.end()
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                out.append(Sentence(article.id, len(out), s, e, p))
    return out
