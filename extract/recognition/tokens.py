"""Word tokens with offsets and part-of-speech tags: the base every recogniser reads.

Segmentation is jieba's dictionary segmentation with the HMM off (unknown words come
out as single characters, which the name rules then assemble), on a private tokenizer
whose dictionary also holds the place and organisation lexicons, so that 河南省 or
新华社 is always one token. Tags come from jieba's dictionary (``None`` when a word is
not in it). A text is segmented once, into the :class:`~newskg.extract.doc.Doc` every
recogniser receives.

>>> [t.text for t in tokenize("湖北省襄阳市保康县")]
['湖北省', '襄阳市', '保康县']
>>> tokenize("记者")[0].tag
'n'
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import NamedTuple, TypeVar

import jieba
import jieba.posseg
from newskg.extract.recognition import divisions, lexicon

jieba.setLogLevel(60)

T = TypeVar("T")

# Added words get this frequency: enough to win over splitting, not so much that they
# swallow their neighbours.
_FREQ = 3000


class Token(NamedTuple):
    """One word of the text: ``text == article_text[start:end]`` (a tuple: cheap to make)."""

    text: str
    start: int
    end: int
    tag: str | None


# Caches of word-level predicates (:func:`word_cache`), emptied now and then when one has
# grown past _WORD_CACHE_LIMIT entries, so that memory stays bounded on a large corpus.
_WORD_CACHES: list = []
_WORD_CACHE_LIMIT = 1 << 17
_TRIM_EVERY = 256
_calls = 0


def word_cache(f: Callable[..., T]) -> Callable[..., T]:
    """``functools.cache`` for a function of a word (and its tag) that the recognisers ask
    again and again of the same words; unlike ``lru_cache(maxsize=...)`` a hit costs no
    bookkeeping, and :func:`tokenize` empties a cache that grows too large.

    >>> @word_cache
    ... def long_word(word: str) -> bool:
    ...     return len(word) > 3
    >>> long_word("中华人民共和国"), long_word.cache_info().currsize
    (True, 1)
    """
    cached = cache(f)
    _WORD_CACHES.append(cached)
    return cached


def _trim_word_caches() -> None:
    for c in _WORD_CACHES:
        if c.cache_info().currsize > _WORD_CACHE_LIMIT:
            c.cache_clear()


@cache
def _tokenizer() -> jieba.Tokenizer:
    tk = jieba.Tokenizer()
    tk.initialize()
    for d in divisions.all_divisions():
        tk.add_word(d.name, _FREQ)
    words = [
        lexicon.words(name) for name in ("world_places", "org_names", "campaigns", "events", "place_heads")
    ]
    words.append(lexicon.section("org_heads", "heads") | lexicon.section("org_heads", "not"))
    for w in frozenset().union(*words):
        if len(w) > 1:
            tk.add_word(w, max(_FREQ, tk.FREQ.get(w, 0)))
    return tk


def tag(word: str) -> str | None:
    """jieba's dictionary part-of-speech tag of ``word``, or None."""
    return jieba.posseg.dt.word_tag_tab.get(word)


def tokenize(text: str) -> tuple[Token, ...]:
    """The tokens of ``text``, in order, covering it exactly."""
    global _calls
    _calls += 1
    if _calls % _TRIM_EVERY == 0:
        _trim_word_caches()
    tab = jieba.posseg.dt.word_tag_tab
    new = tuple.__new__  # Token(...) without NamedTuple's Python-level __new__
    out = []
    pos = 0
    for w in _tokenizer().cut(text, HMM=False):
        end = pos + len(w)
        out.append(new(Token, (w, pos, end, tab.get(w))))
        pos = end
    return tuple(out)
