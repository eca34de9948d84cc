"""The trained tagger: a character CRF that labels PERSON, PLACE and ORG spans.

Each character gets a handful of string features (:func:`features`): the characters
and character pairs in a window of two, the position of the character in its jieba
word with the word's dictionary tag, the word itself when it is short enough to be
a name part, its neighbours' tags, a gazetteer class of the word (administrative
division, world place, organisation head, title, surname start), and the label the
hand-written rules give the character ("stacking": the rules are evidence the model
learns to weigh, not the final word). The model is a linear-chain CRF trained by
python-crfsuite (``newskg train``, :mod:`newskg.extract.recognition.train`) with BIOES labels; it ships
as ``extract/data/ner.crfsuite``.

>>> from newskg.extract.recognition.tokens import tokenize
>>> f = features("王明在北京", tokenize("王明在北京"), [])
>>> len(f) == 5 and "c=王" in f[0] and "c+1=明" in f[0]
True
>>> decode("王明在北京", ["B-PERSON", "E-PERSON", "O", "B-PLACE", "E-PLACE"])
[(0, 2, 'PERSON'), (3, 5, 'PLACE')]
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib import resources

import pycrfsuite
from newskg.extract.recognition import divisions
from newskg.extract.recognition.lexicon import (
    ORG_HEADS_HEADS,
    ORG_NAMES,
    SURNAMES,
    TITLES,
    WORLD_PLACES,
)
from newskg.extract.recognition.tokens import Token, word_cache
from newskg.extract.records import Mention

MODEL = "ner.crfsuite"
CARD = "ner.json"
# The rule components whose mentions are hints of their own (``Mention.source`` up to the dot).
_RULE_KEYS = {"orgs": "o", "people": "h", "places": "l"}
TYPES: tuple[str, ...] = ("PERSON", "PLACE", "ORG")


@cache
def _division_levels() -> dict[str, str]:
    levels: dict[str, str] = {}
    for d in divisions.all_divisions():
        levels.setdefault(d.name, str(d.level))
    return levels


@word_cache
def _word_class(word: str) -> str:
    """A coarse gazetteer class of a word: D1..D4 (division level), W (world place),
    N (known organisation), H (ends with an organisation head), T (title), or '-'."""
    level = _division_levels().get(word)
    if level:
        return "D" + level
    if word in WORLD_PLACES:
        return "W"
    if word in ORG_NAMES:
        return "N"
    if word in TITLES:
        return "T"
    for k in (3, 2, 1):
        if len(word) > k and word[-k:] in ORG_HEADS_HEADS:
            return "H"
    if word in ORG_HEADS_HEADS:
        return "h"
    return "-"


@cache
def _kind(ch: str) -> str:
    if ch.isdigit():
        return "d"
    if "a" <= ch.lower() <= "z":
        return "a"
    if "\u4e00" <= ch <= "\u9fff":
        return "S" if ch in SURNAMES else "h"
    return "p"


def features(text: str, tokens: Sequence[Token], hints: Sequence[Mention]) -> list[list[str]]:
    """The feature strings of every character of ``text``.

    ``tokens`` cover ``text`` exactly (offsets into it); ``hints`` are the rules'
    mentions (offsets into ``text``), given to the model as B-/I- labels by type, one set
    of labels for all rules and one for each rule component.
    """
    n = len(text)
    pos = [""] * n  # the character's position in its word, and the word's tag
    words: list[tuple[str, ...]] = [()] * n  # the word's features, shared by its characters
    last = len(tokens) - 1
    for i, t in enumerate(tokens):
        tag = t.tag or "x"
        w = t.text
        if i:
            prev = tokens[i - 1]
            pt, pc, pw = prev.tag or "x", _word_class(prev.text), prev.text
        else:
            pt = pc = pw = "^"
        if i < last:
            nxt = tokens[i + 1]
            nt, nc, nw = nxt.tag or "x", _word_class(nxt.text), nxt.text
        else:
            nt = nc = nw = "$"
        shared = (
            "w=" + w if 1 < len(w) < 5 else "w=?",
            "g=" + _word_class(w),
            "pt=" + pt,
            "nt=" + nt,
            "pg=" + pc,
            "ng=" + nc,
            "pw=" + pw,
            "nw=" + nw,
        )
        start, end = t.start, t.end
        if end - start == 1:
            pos[start] = "p=S" + tag
        else:
            pos[start] = "p=B" + tag
            for k in range(start + 1, end - 1):
                pos[k] = "p=M" + tag
            pos[end - 1] = "p=E" + tag
        for k in range(start, end):
            words[k] = shared
    rule = ["r=O"] * n
    by_rule = {key: ["r" + key + "=O"] * n for key in "ohlx"}
    for m in hints:
        if m.type in TYPES:
            key = _RULE_KEYS.get(m.source.partition(".")[0], "x")
            own = by_rule[key]
            own[m.start] = "r" + key + "=B" + m.type
            rule[m.start] = "r=B" + m.type
            for k in range(m.start + 1, m.end):
                own[k] = "r" + key + "=I" + m.type
                rule[k] = "r=I" + m.type
    ro, rh, rl = by_rule["o"], by_rule["h"], by_rule["l"]
    padded = "^^" + text + "$$"
    kinds = [_kind(ch) for ch in padded]
    out = []
    for k in range(n):
        a, b, c, d, e = padded[k : k + 5]
        f = [
            "c=" + c,
            "c-1=" + b,
            "c-2=" + a,
            "c+1=" + d,
            "c+2=" + e,
            "b-1=" + b + c,
            "b+1=" + c + d,
            "t=" + b + c + d,
            "k=" + kinds[k + 2] + kinds[k + 1] + kinds[k + 3],
            pos[k],
            rule[k],
            ro[k],
            rh[k],
            rl[k],
            rule[k] + pos[k],
        ]
        f.extend(words[k])
        out.append(f)
    return out


def labels(text: str, spans: Sequence[tuple[int, int, str]]) -> list[str]:
    """BIOES labels of ``text`` for gold ``(start, end, type)`` spans.

    >>> labels("王明在北京", [(0, 2, "PERSON"), (3, 5, "PLACE")])
    ['B-PERSON', 'E-PERSON', 'O', 'B-PLACE', 'E-PLACE']
    """
    out = ["O"] * len(text)
    for start, end, type_ in spans:
        if end - start == 1:
            out[start] = "S-" + type_
            continue
        out[start] = "B-" + type_
        for k in range(start + 1, end - 1):
            out[k] = "I-" + type_
        out[end - 1] = "E-" + type_
    return out


def decode(text: str, tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Spans from BIOES labels; a span that is not closed properly is closed where it stops."""
    out: list[tuple[int, int, str]] = []
    start, type_ = -1, ""
    for k, tag in enumerate(tags):
        head, _, t = tag.partition("-")
        if head in ("B", "S") or (head in ("I", "E") and t != type_) or head == "O":
            if start >= 0:
                out.append((start, k, type_))
            start, type_ = (k, t) if head != "O" else (-1, "")
        if head in ("E", "S") and start >= 0:
            out.append((start, k + 1, type_))
            start, type_ = -1, ""
    if start >= 0:
        out.append((start, len(tags), type_))
    return out


@cache
def card() -> dict:
    """The shipped model's card (``ner.json``, written by ``newskg train``): its corpora and their
    terms, the training command, commit and parameters, and its held-out scores."""
    return json.loads(resources.files("newskg.extract.data").joinpath(CARD).read_text("utf-8"))


@cache
def model(path: str = "") -> pycrfsuite.Tagger:
    """The model at ``path`` (default: the one shipped in the package), opened once."""
    tagger = pycrfsuite.Tagger()
    if path:
        tagger.open(path)
        return tagger
    with resources.as_file(resources.files("newskg.extract.data").joinpath(MODEL)) as p:
        tagger.open(str(p))
    return tagger


def tag(
    text: str, tokens: Sequence[Token], hints: Sequence[Mention], path: str = ""
) -> list[tuple[int, int, str]]:
    """The ``(start, end, type)`` spans the model at ``path`` (default: shipped) finds in ``text``."""
    if not text:
        return []
    return decode(text, model(path).tag(features(text, tokens, hints)))
