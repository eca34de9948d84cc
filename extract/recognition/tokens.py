"""Word tokens with offsets and part-of-speech tags: the base every recogniser reads.

Segmentation is jieba's dictionary segmentation with the HMM off (unknown words come
out as single characters, which the name rules then assemble), on a private tokenizer
whose dictionary also holds the place and organisation lexicons, so that 河南省 or
新华社 is always one token. Tags come from jieba's dictionary (``None`` when a word is
not in it). The segmenter is jieba's algorithm re-written in one pass (:func:`_cut`, twice
as fast as ``jieba.Tokenizer.cut``, the same words). A text is segmented once, into the
:class:`~newskg.extract.doc.Doc` every recogniser receives.

>>> [t.text for t in tokenize("湖北省襄阳市保康县")]
['湖北省', '襄阳市', '保康县']
>>> tokenize("记者")[0].tag
'n'
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial
from itertools import accumulate
from math import log
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
    words.append(lexicon.section("org_heads", "portfolios"))  # 人力资源和社会保障: not cut at 和
    for w in frozenset().union(*words):
        if len(w) > 1:
            tk.add_word(w, max(_FREQ, tk.FREQ.get(w, 0)))
    return tk


# The text is cut into blocks by jieba's own patterns, each block segmented on its own.
_BLOCK, _SKIP = jieba.re_han_default, jieba.re_skip_default
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


@cache
def _log_freq() -> tuple[dict[str, int], dict[str, float | None], float]:
    """The tokenizer's dictionary (word or word prefix -> frequency, 0 for a prefix), a cache of
    its entries' log frequencies less the log of the total (None for a prefix), filled as they
    are met, and that log."""
    tk = _tokenizer()
    return tk.FREQ, {}, log(tk.total)


_MISSING: float = -1.0  # a marker (compared by identity) for an entry not yet in the cache


def _cut_block(s: str, out: list[str]) -> None:
    """Append to ``out`` the words of ``jieba.Tokenizer.cut(s, HMM=False)`` for one block ``s``.

    jieba builds a dict of every start's word ends (``get_DAG``), then finds the most probable
    path backwards (``calc``, ties to the longer word); here both happen in one backward pass,
    with each dictionary entry looked up once and its log computed once; the scores are the
    same floats, so the words are the same.
    """
    freq, logp, logtotal = _log_freq()
    n = len(s)
    score = [0.0] * (n + 1)
    ends = list(range(1, n + 1))
    missing = _MISSING
    for k in range(n - 1, -1, -1):
        best = None
        i = k + 1
        frag = s[k]
        while True:
            lp = logp.get(frag, missing)
            if lp is missing:
                f = freq.get(frag)
                if f is None:
                    break  # no word starts with frag
                lp = logp[frag] = log(f) - logtotal if f else None
            if lp is not None:
                v = lp + score[i]
                if best is None or v >= best:  # ties: the later end, as jieba's max over (score, end)
                    best = v
                    ends[k] = i
            if i == n:
                break
            i += 1
            frag = s[k:i]
        score[k] = -logtotal + score[k + 1] if best is None else best
    buf = ""
    x = 0
    while x < n:
        y = ends[x]
        if y - x == 1 and s[x] in _ASCII_ALNUM:  # single letters and digits run together
            buf += s[x]
        else:
            if buf:
                out.append(buf)
                buf = ""
            out.append(s[x:y])
        x = y
    if buf:
        out.append(buf)


def _cut(text: str) -> list[str]:
    """The words of ``text`` as ``_tokenizer().cut(text, HMM=False)`` gives them: blocks of
    ``_BLOCK`` characters segmented, the rest cut into whitespace runs and single characters
    (``re.split`` with a group: the blocks and the whitespace are the odd items)."""
    out: list[str] = []
    for j, blk in enumerate(_BLOCK.split(text)):
        if j % 2:
            _cut_block(blk, out)
        elif blk:
            for jj, x in enumerate(_SKIP.split(blk)):
                if jj % 2:
                    out.append(x)
                else:
                    out.extend(x)
    return out


def tag(word: str) -> str | None:
    """jieba's dictionary part-of-speech tag of ``word``, or None."""
    return jieba.posseg.dt.word_tag_tab.get(word)


def tokenize(text: str) -> tuple[Token, ...]:
    """The tokens of ``text``, in order, covering it exactly."""
    global _calls
    _calls += 1
    if _calls % _TRIM_EVERY == 0:
        _trim_word_caches()
    words = _cut(text)
    ends = list(accumulate(map(len, words)))
    starts = [0, *ends[:-1]] if ends else []
    tags = map(jieba.posseg.dt.word_tag_tab.get, words)
    # Token(...) without NamedTuple's Python-level __new__, in C loops
    return tuple(map(_new_token, zip(words, starts, ends, tags, strict=True)))


_new_token = partial(tuple.__new__, Token)
