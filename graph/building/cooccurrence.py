"""Co-mention counting: which entities appear together in a window, how often, and where.

A window is a sentence (default), a paragraph or a whole article. For each pair of
distinct entities in a window we count co-occurrences, distinct articles and keep
the first ``evidence`` sentences as provenance. Significance is NPMI (normalised
pointwise mutual information) over windows: ``log(p(xy) / p(x)p(y)) / -log p(xy)``,
in [-1, 1], 1 when two entities only ever appear together.

>>> acc = Cooccurrence()
>>> acc.add_window("a1", "甲与乙。", {"x", "y"})
>>> acc.add_window("a1", "甲。", {"x"})
>>> acc.add_window("a2", "丙。", {"z"})
>>> acc.pairs[("x", "y")].count, round(acc.npmi("x", "y"), 3)
(1, 0.369)
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations
from sys import intern
from typing import Protocol

from newskg.extract.records import Article, Mention, Sentence

WINDOWS = ("sentence", "paragraph", "article")


@dataclass(slots=True)  # millions of them: no __dict__ each
class PairStats:
    """Counts and evidence of one unordered pair of entity ids.

    ``articles`` counts the distinct articles (windows of one article arrive together,
    so the last article counted is enough to tell a new one), keeping memory graph-sized.
    ``sentences`` holds the evidence flat, article id and sentence one after the other (one
    tuple: a list of pairs took 88 bytes more a pair of entities, most of which have one sentence);
    :attr:`evidence` gives them as pairs.

    >>> st = PairStats(); st.add_evidence("a1", "甲与乙。"); st.add_evidence("a2", "乙与甲。")
    >>> st.evidence, st.sentences
    ([('a1', '甲与乙。'), ('a2', '乙与甲。')], ('a1', '甲与乙。', 'a2', '乙与甲。'))
    """

    count: int = 0
    articles: int = 0
    sentences: tuple[str, ...] = ()
    last_article: str = ""

    @property
    def evidence(self) -> list[tuple[str, str]]:
        """The evidence as ``(article id, sentence)`` pairs, first seen first."""
        s = self.sentences
        return list(zip(s[::2], s[1::2], strict=True))

    def add_evidence(self, article_id: str, text: str) -> None:
        """Keep one more evidence sentence."""
        self.sentences += (article_id, text)


class Spill(Protocol):
    """Where a :class:`Cooccurrence` moves its pairs (:class:`newskg.graph.building.pairspill.PairSpill`)."""

    def add(self, pairs: dict[tuple[str, str], PairStats], windows: Counter) -> None: ...
    def windows_first_seen(self) -> Iterator[tuple[str, int]]: ...
    def windows_of(self, eid: str) -> int: ...
    def first_seen(self) -> Iterator[tuple[tuple[str, str], PairStats]]: ...
    def in_order(self) -> Iterator[tuple[tuple[str, str], PairStats]]: ...
    def get(self, pair: tuple[str, str]) -> PairStats | None: ...
    def touching(self, ids: set[str]) -> dict[tuple[str, str], PairStats]: ...
    def evidence_articles(self) -> set[str]: ...
    def close(self) -> None: ...


@dataclass
class Cooccurrence:
    """Accumulates co-mention statistics window by window (the windows of an article one after another).

    With a ``spill`` (:mod:`newskg.graph.building.pairspill`), :meth:`spill_if_full` moves the pairs of
    ``pairs`` to disk once there are many: ``pairs`` then holds only those counted since, and
    :meth:`first_seen` and :meth:`in_order` give all of them.
    """

    evidence_n: int = 3
    windows: int = 0
    entity_windows: Counter = field(default_factory=Counter)
    pairs: dict[tuple[str, str], PairStats] = field(default_factory=dict)
    spill: Spill | None = field(default=None, compare=False, repr=False)

    def spill_if_full(self, limit: int) -> None:
        """Move the pairs and the entities' window counts to the spill when there are ``limit`` or more
        pairs (call it between articles)."""
        if self.spill is not None and len(self.pairs) >= limit:
            self.spill.add(self.pairs, self.entity_windows)
            self.pairs = {}
            self.entity_windows = Counter()

    def close_spill(self) -> None:
        """Close the spill, which deletes its file, and forget it (without one: nothing)."""
        if self.spill is not None:
            self.spill.close()
            self.spill = None

    def first_seen(self) -> Iterator[tuple[tuple[str, str], PairStats]]:
        """Every pair and its counts, in the order first seen (the order of the saved state)."""
        if self.spill is None:
            yield from self.pairs.items()
        else:
            self.spill_if_full(0)
            yield from self.spill.first_seen()

    def in_order(self, consume: bool = False) -> Iterator[tuple[tuple[str, str], PairStats]]:
        """Every pair and its counts, sorted; ``consume`` lets go of each in memory once given."""
        if self.spill is not None:
            self.spill_if_full(0)
            yield from self.spill.in_order()
            return
        for pair in sorted(self.pairs):
            yield pair, self.pairs.pop(pair) if consume else self.pairs[pair]

    def windows_first_seen(self) -> Iterator[tuple[str, int]]:
        """Every entity's number of windows, in the order first seen (the order of the saved state)."""
        if self.spill is None:
            yield from self.entity_windows.items()
        else:
            self.spill_if_full(0)
            yield from self.spill.windows_first_seen()

    def windows_of(self, eid: str) -> int:
        """The number of windows that hold ``eid``."""
        n = self.entity_windows.get(eid, 0)
        return n if self.spill is None else n + self.spill.windows_of(eid)

    def get(self, pair: tuple[str, str]) -> PairStats | None:
        """The counts of ``pair`` (sorted ids), or None."""
        if self.spill is None:
            return self.pairs.get(pair)
        self.spill_if_full(0)
        return self.spill.get(pair)

    def touching(self, ids: set[str]) -> dict[tuple[str, str], PairStats]:
        """The pairs with one of ``ids``, and their counts."""
        if self.spill is None:
            return {p: st for p, st in self.pairs.items() if p[0] in ids or p[1] in ids}
        self.spill_if_full(0)
        return self.spill.touching(ids)

    def evidence_articles(self) -> set[str]:
        """The ids of the articles that give evidence of some pair."""
        used = {aid for st in self.pairs.values() for aid in st.sentences[::2]}
        return used | self.spill.evidence_articles() if self.spill is not None else used

    def add_window(self, article_id: str, text: str, entities: Iterable[str]) -> None:
        """Count one window holding ``entities`` (ids); ``text`` is kept as evidence."""
        # One string an id, whatever article it came from: pairs' keys hold millions of references to them.
        ids = sorted({intern(e) for e in entities})
        self.windows += 1
        self.entity_windows.update(ids)
        for pair in combinations(ids, 2):
            st = self.pairs.get(pair)
            if st is None:
                st = self.pairs[pair] = PairStats()
            st.count += 1
            if st.last_article != article_id:
                st.last_article = article_id
                st.articles += 1
            if len(st.sentences) < 2 * self.evidence_n:
                st.add_evidence(article_id, text)

    def npmi(self, a: str, b: str, count: int | None = None) -> float:
        """NPMI of the pair over all windows counted so far (``count``: its windows, when known)."""
        pair = (a, b) if a < b else (b, a)
        n = self.windows
        pxy = (self.get(pair).count if count is None else count) / n
        if pxy >= 1.0:
            return 1.0
        px, py = self.windows_of(a) / n, self.windows_of(b) / n
        return math.log(pxy / (px * py)) / -math.log(pxy)


def windows(
    article: Article, sentences: list[Sentence], mentions: list[Mention], window: str = "sentence"
) -> Iterator[tuple[str, set[str]]]:
    """The windows of one article as ``(text, entity ids)``, only those with an entity."""
    if window not in WINDOWS:
        raise ValueError(f"window must be one of {', '.join(WINDOWS)}")
    mentions = [m for m in mentions if "field" not in m.attrs]  # headlines and bylines give no evidence
    if window == "article":
        ids = {m.entity_id for m in mentions}
        if ids:
            yield article.text, ids
        return
    spans = [(s.start, s.end) for s in sentences] if window == "sentence" else list(article.paragraphs)
    ms = sorted(mentions, key=lambda m: m.start)
    i = 0
    for start, end in spans:
        ids: set[str] = set()
        while i < len(ms) and ms[i].start < end:
            if ms[i].start >= start:
                ids.add(ms[i].entity_id)
            i += 1
        if ids:
            yield article.text[start:end], ids
