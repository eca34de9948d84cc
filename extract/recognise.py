"""Entity recognition: an Article in, typed Mentions out.

Recognisers are components with one signature, ``Article -> list[Mention]``, run
in the order given by :data:`PIPELINE`; :func:`recognise` merges their output so
that mentions never overlap (earlier components and longer spans win).

>>> from extract.records import Article
>>> a = Article(id="a", source="", title="", text="习近平在北京考察。")
>>> ("北京", "PLACE") in [(m.text, m.type) for m in recognise(a)]
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import jieba
import jieba.posseg as pseg

from extract.records import Article, Mention

Recogniser = Callable[[Article], list[Mention]]

jieba.setLogLevel(60)

_POS_TYPES = {"nr": "PERSON", "ns": "PLACE", "nt": "ORG"}


def jieba_pos(article: Article) -> list[Mention]:
    """Mentions from jieba's part-of-speech tags (nr, ns, nt): the baseline."""
    out: list[Mention] = []
    pos = 0
    for word, flag in pseg.cut(article.text):
        start = article.text.index(word, pos)
        pos = start + len(word)
        type_ = _POS_TYPES.get(flag)
        if type_ and len(word) > 1:
            out.append(Mention(article.id, start, pos, type_, word, source="jieba_pos"))
    return out


PIPELINE: tuple[Recogniser, ...] = (jieba_pos,)


def merge(mentions: list[Mention]) -> list[Mention]:
    """Drop mentions that overlap an earlier-kept one; keep component order, then length."""
    kept: list[Mention] = []
    taken: set[int] = set()
    for m in mentions:
        span = range(m.start, m.end)
        if not taken.intersection(span):
            kept.append(m)
            taken.update(span)
    return sorted(kept, key=lambda m: (m.start, m.end))


def recognise(article: Article, pipeline: Sequence[Recogniser] = PIPELINE) -> list[Mention]:
    """Run every recogniser of ``pipeline`` over ``article`` and merge the results."""
    found: list[Mention] = []
    for component in pipeline:
        found.extend(sorted(component(article), key=lambda m: (-(m.end - m.start), m.start)))
    return merge(found)
