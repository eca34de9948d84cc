"""The trained tagger: a character CRF that labels PERSON, PLACE and ORG spans.

Each character gets 16 string features (:func:`features`): the character and its
neighbours, the two pairs and the three characters around it, their kinds (digit, letter,
surname, other Han, punctuation), the position of the character in its jieba word with the
word's dictionary tag, the word itself when it is short enough to be a name part, a
gazetteer class of the word (administrative division, world place, known organisation,
organisation head, title) and its neighbours' tags and classes, and the label the
hand-written rules give the character, alone and with its word position ("stacking": the
rules are evidence the model learns to weigh, not the final word). The model is a linear-chain CRF trained by
python-crfsuite (``newskg train``, :mod:`newskg.extract.recognition.train`) with BIOES labels; it ships
as ``extract/data/ner.crfsuite``.

>>> from newskg.extract.recognition.tokens import tokenize
>>> f = features("王明在北京", tokenize("王明在北京"), [])
>>> len(f) == 5 and "c=王".encode() in f[0] and "c+1=明".encode() in f[0]
True
>>> decode("王明在北京", ["B-PERSON", "E-PERSON", "O", "B-PLACE", "E-PLACE"])
[(0, 2, 'PERSON'), (3, 5, 'PLACE')]
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from itertools import repeat
from operator import add, itemgetter

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


@word_cache
def _word_features(word: str, tag: str | None) -> tuple[bytes, ...]:
    """A word's feature strings, encoded: as the word itself (w=, g=), as the word before
    (pt=, pg=) and as the word after (nt=, ng=)."""
    g, pg, ng = _class_strings(_word_class(word))
    pt, nt = _tag_strings(tag)
    return (b"w=" + word.encode() if 1 < len(word) < 5 else b"w=?", g, pt, pg, nt, ng)


@cache
def _class_strings(g: str) -> tuple[bytes, bytes, bytes]:
    return ("g=" + g).encode(), ("pg=" + g).encode(), ("ng=" + g).encode()


@cache
def _tag_strings(tag: str | None) -> tuple[bytes, bytes]:
    return ("pt=" + (tag or "x")).encode(), ("nt=" + (tag or "x")).encode()


_EDGE_BEFORE = (b"pt=^", b"pg=^")
_EDGE_AFTER = (b"nt=$", b"ng=$")


@cache
def _char_features(ch: str) -> tuple[bytes, ...]:
    """A character's own feature strings, encoded: itself at each place of the window
    (c=, c-1=, c+1=), and itself alone."""
    return tuple((p + ch).encode() for p in ("c=", "c-1=", "c+1=", ""))


@cache
def _word_position(where: str, tag: str | None) -> bytes:
    return ("p=" + where + (tag or "x")).encode()


@cache
def _hint(label: str) -> bytes:
    return ("r=" + label).encode()


def features(text: str, tokens: Sequence[Token], hints: Sequence[Mention]) -> list[tuple[bytes, ...]]:
    """The feature strings of every character of ``text``, UTF-8 encoded (what the CRF reads,
    and what it would otherwise encode itself, string by string).

    ``tokens`` cover ``text`` exactly (offsets into it); ``hints`` are the rules'
    mentions (offsets into ``text``), given to the model as B-/I- labels by type. The
    strings of a word and of a character are made once (cached) and shared.
    """
    n = len(text)
    pos: list[bytes] = [b""] * n  # the character's position in its word, and the word's tag
    words: list[tuple[bytes, ...]] = [()] * n  # the word's features, shared by its characters
    wf = [_word_features(t.text, t.tag) for t in tokens]
    last = len(tokens) - 1
    for i, t in enumerate(tokens):
        own = wf[i]
        before = wf[i - 1][2:4] if i else _EDGE_BEFORE
        after = wf[i + 1][4:6] if i < last else _EDGE_AFTER
        shared = (own[0], own[1], before[0], after[0], before[1], after[1])
        start, end = t.start, t.end
        if end - start == 1:
            pos[start] = _word_position("S", t.tag)
        else:
            pos[start] = _word_position("B", t.tag)
            middle = _word_position("M", t.tag)
            for k in range(start + 1, end - 1):
                pos[k] = middle
            pos[end - 1] = _word_position("E", t.tag)
        for k in range(start, end):
            words[k] = shared
    rule = [b"r=O"] * n
    for m in hints:
        if m.type in TYPES:
            rule[m.start] = _hint("B" + m.type)
            inside = _hint("I" + m.type)
            for k in range(m.start + 1, m.end):
                rule[k] = inside
    # Column by column in C loops (map, zip), then one tuple a character.
    chars = list(map(_char_features, "^" + text + "$"))
    one = list(map(_SELF, chars))  # the characters, encoded
    pairs = list(map(add, one, one[1:]))  # pairs[j]: characters j and j+1 of the padded text
    kinds = list(map(_kind_bytes, "^" + text + "$"))
    columns = (
        map(_C0, chars[1:-1]),
        map(_C1, chars[:-2]),
        map(_C2, chars[2:]),
        map(add, repeat(b"b-1="), pairs[:-1]),
        map(add, repeat(b"b+1="), pairs[1:]),
        map(add, repeat(b"t="), map(add, pairs[:-1], one[2:])),
        map(add, repeat(b"k="), map(add, kinds[1:-1], map(add, kinds[:-2], kinds[2:]))),
        pos,
        rule,
        map(add, rule, pos),
    )
    return list(map(add, zip(*columns, strict=True), words))


_C0, _C1, _C2, _SELF = (itemgetter(i) for i in range(4))


@cache
def _kind_bytes(ch: str) -> bytes:
    return _kind(ch).encode()


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
        if tag == "O":  # most labels: close the open span, if any
            if start >= 0:
                out.append((start, k, type_))
                start, type_ = -1, ""
            continue
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
