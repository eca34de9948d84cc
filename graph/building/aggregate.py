"""Streaming, mergeable aggregation of per-article results into graph statistics.

An :class:`Aggregate` consumes ``(Article, ArticleResult)`` pairs one at a time and
keeps only graph-sized state: entity statistics, co-mention pair counts and
relations. Two aggregates over consecutive runs of articles merge into the
aggregate of the whole run (:meth:`Aggregate.merge`), so a cluster can count
co-mentions partition by partition and reduce the partial counts pairwise; the
result equals a sequential pass over the same articles in the same order.

>>> from newskg.extract.records import Article
>>> from newskg.extract.mentions import extract_article
>>> texts = ["他在北京和上海。", "上海很大。"]
>>> arts = [Article(id=f"a{i}", source="", title="", text=t) for i, t in enumerate(texts)]
>>> whole, left, right = Aggregate(), Aggregate(), Aggregate()
>>> for a in arts:
...     _ = whole.add(a, extract_article(a))
>>> _ = left.add(arts[0], extract_article(arts[0]))
>>> _ = right.add(arts[1], extract_article(arts[1]))
>>> left.merge(right).cooc.entity_windows == whole.cooc.entity_windows
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from newskg.extract import ENTITY_TYPES
from newskg.extract.ingestion.dates import full
from newskg.extract.records import Article, ArticleResult, Relation
from newskg.graph.building import entityspill, pairspill, relations
from newskg.graph.building.cooccurrence import Cooccurrence, windows
from newskg.graph.building.nodes import Entities
from newskg.graph.building.relations import Relations


@dataclass
class Aggregate:
    """Entity, co-mention and relation statistics of a run of articles (see the module docstring)."""

    window: str = "sentence"
    keep: frozenset[str] = frozenset(ENTITY_TYPES)
    evidence: int = 3
    entities: Entities = field(default_factory=Entities)
    cooc: Cooccurrence | None = None
    rels: Relations = field(default_factory=Relations)
    titles: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.cooc is None:
            self.cooc = Cooccurrence(evidence_n=self.evidence)

    def add(self, article: Article, result: ArticleResult) -> list:
        """Count one article; return its mentions of the kept types."""
        mentions = [m for m in result.mentions if m.type in self.keep]
        # First and last dates come from articles dated with their year only (not --06-28).
        self.entities.add_mentions(mentions, article.date if full(article.date) else "")
        had_title = False
        for text, ids in windows(article, result.sentences, mentions, self.window):
            self.cooc.add_window(article.id, text, ids)
            if len(ids) > 1 and not had_title:
                # Only articles that can give evidence need their title kept.
                self.titles[article.id] = article.title
                had_title = True
        keep = self.keep
        self.rels.add_article(
            r for r in result.relations if r.target_type in keep and r.source.split("-", 1)[0].upper() in keep
        )
        self._spill_if_full()
        return mentions

    def merge(self, later: Aggregate, prune: bool = True) -> Aggregate:
        """Fold ``later`` (the aggregate of the articles after ours) into this one; return self.

        ``prune=False`` keeps the titles of articles that no longer give evidence (to prune once,
        after many merges: :meth:`prune_titles` reads every pair).
        """
        self.entities.merge(later.entities)
        c, o = self.cooc, later.cooc
        c.windows += o.windows
        c.entity_windows.update(o.entity_windows)
        for pair, st in o.first_seen():
            mine = c.pairs.get(pair)
            if mine is None:
                c.pairs[pair] = st
                continue
            mine.count += st.count
            mine.articles += st.articles  # partitions hold different articles
            mine.last_article = st.last_article
            mine.sentences += st.sentences[: max(0, 2 * c.evidence_n - len(mine.sentences))]
        self.rels.merge(later.rels)
        self.titles.update(later.titles)
        self._spill_if_full()
        if prune:
            self.prune_titles()
        return self

    def spill_to(self, pairs: Path) -> None:
        """Move the co-mention pairs to the new SQLite file ``pairs``, and the entities and relations
        to files beside it (:data:`~newskg.graph.building.entityspill.ENTITIES_SPILL`,
        :data:`~newskg.graph.building.relations.RELATIONS_SPILL`), whenever there are many of them
        (issue #21); :meth:`close_spills` deletes the files."""
        self.cooc.spill = pairspill.PairSpill(pairs, self.cooc.evidence_n)
        self.entities.spill = entityspill.EntitySpill(Path(pairs).with_name(entityspill.ENTITIES_SPILL))
        self.rels.spill = relations.RelationSpill(Path(pairs).with_name(relations.RELATIONS_SPILL))
        self._spill_if_full()

    def _spill_if_full(self) -> None:
        self.cooc.spill_if_full(pairspill.SPILL_PAIRS)
        self.entities.spill_if_full(entityspill.SPILL_ENTITIES)
        self.rels.spill_if_full(relations.SPILL_RELATIONS)

    def close_spills(self) -> None:
        """Close the files of :meth:`spill_to`, which deletes them (without them: nothing)."""
        self.cooc.close_spill()
        self.entities.close_spill()
        self.rels.close_spill()

    def prune_titles(self) -> None:
        """Forget the titles of articles that give no evidence sentence."""
        used = self.cooc.evidence_articles()
        self.titles = {a: t for a, t in self.titles.items() if a in used}

    def relation_targets(self) -> Iterable[Relation]:
        """The first relation seen for each (kind, source, target)."""
        return (r for r, _ in self.rels.first_seen())
