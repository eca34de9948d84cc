"""Structural relations of a run of articles, counted: each ``(kind, source, target)`` once, with the
first :class:`~newskg.extract.records.Relation` seen of it and the number of articles that state it.

Like the entities and the co-mention pairs, they grow with the corpus (about three new ones an
article on the generated corpus of the benchmarks); with a :class:`RelationSpill` they move to a
SQLite scratch file whenever :data:`SPILL_RELATIONS` are in memory (issue #21), merged as
:meth:`Relations.merge` merges a later run: the first relation kept, the articles added.

>>> from newskg.extract.records import Relation
>>> r = Relation("located_in", "org-甲工会", "place-甲市", "PLACE", "甲市", "a1")
>>> rels, later = Relations(), Relations()
>>> rels.add_article([r, r])
>>> later.add_article([Relation("located_in", "org-甲工会", "place-甲市", "PLACE", "甲市", "a2")])
>>> rels.merge(later)
>>> [(r.source, r.article_id, n) for r, n in rels.first_seen()]
[('org-甲工会', 'a1', 2)]
>>> spilled = Relations(spill=RelationSpill(":memory:"))
>>> spilled.add_article([r]); spilled.spill_if_full(0); spilled.merge(later)
>>> list(spilled.first_seen()) == list(rels.first_seen())
True
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import astuple, dataclass, field
from pathlib import Path

from newskg.extract.records import Relation
from newskg.graph.building.pairspill import close_scratch, scratch_db

Key = tuple[str, str, str]
# Relations a build holds in memory before it moves them to disk: about 30 MB of them.
SPILL_RELATIONS = 100_000
RELATIONS_SPILL = ".relations-spill.sqlite"  # beside the pairs' scratch file, deleted with it


@dataclass
class Relations:
    """Relations by ``(kind, source, target)``: the first seen and its number of articles."""

    found: dict[Key, list] = field(default_factory=dict)  # key -> [Relation, articles]
    spill: RelationSpill | None = field(default=None, compare=False, repr=False)

    def add_article(self, relations: Iterable[Relation]) -> None:
        """Count the relations of one article: each key once, however often the article states it."""
        seen: set[Key] = set()
        for r in relations:
            key = (r.kind, r.source, r.target)
            entry = self.found.setdefault(key, [r, 0])
            if key not in seen:  # articles are counted, not kept: memory stays graph-sized
                seen.add(key)
                entry[1] += 1

    def merge(self, later: Relations) -> None:
        """Fold ``later`` (the relations of the articles after ours) into these."""
        for r, n in later.first_seen():
            self.found.setdefault((r.kind, r.source, r.target), [r, 0])[1] += n

    def spill_if_full(self, limit: int) -> None:
        """Move the relations to the spill when there are ``limit`` or more (call it between articles)."""
        if self.spill is not None and len(self.found) >= limit:
            self.spill.add(self.found)
            self.found = {}

    def close_spill(self) -> None:
        """Close the spill, which deletes its file, and forget it (without one: nothing)."""
        if self.spill is not None:
            self.spill.close()
            self.spill = None

    def first_seen(self) -> Iterator[tuple[Relation, int]]:
        """Every relation and its articles, in the order first seen (the order of the saved state)."""
        if self.spill is None:
            yield from ((r, n) for r, n in self.found.values())
        else:
            self.spill_if_full(0)
            yield from self.spill.rows("ORDER BY rowid")

    def in_order(self) -> Iterator[tuple[Relation, int]]:
        """Every relation and its articles, sorted by ``(kind, source, target)``."""
        if self.spill is None:
            yield from ((r, n) for _, (r, n) in sorted(self.found.items()))
        else:
            self.spill_if_full(0)
            yield from self.spill.rows("ORDER BY kind, source, target")

    def __len__(self) -> int:
        if self.spill is None:
            return len(self.found)
        self.spill_if_full(0)
        return len(self.spill)


class RelationSpill:
    """The relations moved to the SQLite file ``path`` (a scratch file: created new, never kept)."""

    def __init__(self, path: str | Path) -> None:
        self.path = path
        self.db = scratch_db(
            path,
            "CREATE TABLE relations (kind TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL,"
            " relation TEXT NOT NULL, articles INTEGER NOT NULL, PRIMARY KEY (kind, source, target));",
        )

    def add(self, found: dict[Key, list]) -> None:
        """Merge ``found`` (counted after those on disk) into the file, in their order."""
        rows = ((*key, json.dumps(astuple(r)), n) for key, (r, n) in found.items())
        with self.db:
            self.db.executemany(
                "INSERT INTO relations VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT DO UPDATE SET articles = articles + excluded.articles",
                rows,
            )

    def rows(self, order: str) -> Iterator[tuple[Relation, int]]:
        """Every relation on disk and its articles, in ``order`` (an ORDER BY clause)."""
        for relation, n in self.db.execute(f"SELECT relation, articles FROM relations {order}"):
            yield Relation(*json.loads(relation)), n

    def __len__(self) -> int:
        return self.db.execute("SELECT count(*) FROM relations").fetchone()[0]

    def close(self) -> None:
        """Close the file and delete it (again: nothing)."""
        close_scratch(self.db, self.path)
