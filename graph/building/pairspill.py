"""Co-mention pairs on disk: the part of a build's counts that grows with the corpus (issue #21).

A :class:`~newskg.graph.building.cooccurrence.Cooccurrence` counts pairs in a dict; with a
:class:`PairSpill` it moves them to a SQLite file whenever the dict holds :data:`SPILL_PAIRS`
of them, between articles, and the build's memory holds at most that many pairs whatever the
corpus's size. A pair already on disk is merged as :meth:`Aggregate.merge` merges a later run of
articles into an earlier one: counts and articles added, evidence kept in the order first seen, up to
the limit. The file keeps the order in which pairs were first seen (its rowid) for the state and
a sorted index for the graph, so a build gives the same bytes with or without it.

>>> from newskg.graph.building.cooccurrence import PairStats
>>> spill = PairSpill(":memory:", evidence_n=1)
>>> spill.add({("x", "y"): PairStats(1, 1, ("a1", "甲乙。"), "a1")}, {"x": 1, "y": 1})
>>> spill.add({("u", "v"): PairStats(1, 1, ("a2", "丙丁。"), "a2"),
...            ("x", "y"): PairStats(2, 1, ("a2", "乙甲。"), "a2")}, {"y": 2, "u": 1})
>>> [(p, st.count, st.articles, st.sentences) for p, st in spill.first_seen()]
[(('x', 'y'), 3, 2, ('a1', '甲乙。')), (('u', 'v'), 1, 1, ('a2', '丙丁。'))]
>>> [p for p, _ in spill.in_order()], list(spill.windows_first_seen()), spill.windows_of("y")
([('u', 'v'), ('x', 'y')], [('x', 1), ('y', 3), ('u', 1)], 3)
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from pathlib import Path

from newskg.graph.building.cooccurrence import PairStats

# Pairs a build holds in memory before it moves them to disk. Aggregating the 50,000 generated articles
# of the benchmark from a full cache (1,313,982 pairs; a /tmp script, one process): all in memory 86 s
# and 1,051 MiB at most; moved every 500,000 pairs 99 s and 817 MiB; every 100,000, 106 s and 709 MiB.
SPILL_PAIRS = 100_000
PAIRS_SPILL = ".pairs-spill.sqlite"  # in the build's temporary folder, deleted before it is swapped in

_SCHEMA = """
CREATE TABLE pairs (a TEXT NOT NULL, b TEXT NOT NULL, count INTEGER NOT NULL, articles INTEGER NOT NULL,
                    last TEXT NOT NULL, n INTEGER NOT NULL, evidence TEXT NOT NULL);
CREATE UNIQUE INDEX pairs_ab ON pairs (a, b);
CREATE TABLE windows (id TEXT PRIMARY KEY, n INTEGER NOT NULL);
"""


class PairSpill:
    """The pairs moved to the SQLite file ``path`` (a scratch file: created new, never kept)."""

    def __init__(self, path: str | Path, evidence_n: int) -> None:
        self.path = path
        self.evidence_n = evidence_n
        self.db = scratch_db(path, _SCHEMA)
        self.db.create_function("evidence_of", 2, self._evidence, deterministic=True)

    def _evidence(self, before: str, after: str) -> str:
        keep = 2 * self.evidence_n
        return json.dumps((json.loads(before) + json.loads(after))[:keep])

    def add(self, pairs: Mapping[tuple[str, str], PairStats], windows: Mapping[str, int]) -> None:
        """Merge ``pairs`` and the entities' ``windows`` (counted after those on disk) into the file,
        in their order."""
        rows = (
            (a, b, st.count, st.articles, st.last_article, len(st.sentences) // 2, _json(st.sentences))
            for (a, b), st in pairs.items()
        )
        with self.db:
            self.db.executemany(
                "INSERT INTO pairs VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (a, b) DO UPDATE SET"
                " count = count + excluded.count, articles = articles + excluded.articles,"
                " last = excluded.last,"
                f" evidence = CASE WHEN n >= {int(self.evidence_n)} OR excluded.n = 0 THEN evidence"
                " ELSE evidence_of(evidence, excluded.evidence) END,"
                f" n = min(n + excluded.n, {int(self.evidence_n)})",
                rows,
            )
            self.db.executemany(
                "INSERT INTO windows VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET n = n + excluded.n",
                windows.items(),
            )

    def first_seen(self) -> Iterator[tuple[tuple[str, str], PairStats]]:
        """Every pair on disk, in the order first seen."""
        yield from self._rows("ORDER BY rowid")

    def in_order(self) -> Iterator[tuple[tuple[str, str], PairStats]]:
        """Every pair on disk, sorted."""
        yield from self._rows("ORDER BY a, b")

    def _rows(self, order: str) -> Iterator[tuple[tuple[str, str], PairStats]]:
        for a, b, count, articles, last, evidence in self.db.execute(
            f"SELECT a, b, count, articles, last, evidence FROM pairs {order}"
        ):
            yield (a, b), PairStats(count, articles, tuple(json.loads(evidence)), last)

    def windows_first_seen(self) -> Iterator[tuple[str, int]]:
        """Every entity's windows on disk, in the order first seen."""
        yield from self.db.execute("SELECT id, n FROM windows ORDER BY rowid")

    def windows_of(self, eid: str) -> int:
        """The windows of one entity on disk (0 if none)."""
        row = self.db.execute("SELECT n FROM windows WHERE id = ?", (eid,)).fetchone()
        return 0 if row is None else row[0]

    def get(self, pair: tuple[str, str]) -> PairStats | None:
        """One pair's counts on disk, or None."""
        row = self.db.execute(
            "SELECT count, articles, last, evidence FROM pairs WHERE a = ? AND b = ?", pair
        ).fetchone()
        return None if row is None else PairStats(row[0], row[1], tuple(json.loads(row[3])), row[2])

    def touching(self, ids: set[str]) -> dict[tuple[str, str], PairStats]:
        """The pairs on disk with one of ``ids``, and their counts (every pair is read)."""
        found = {}
        for pair, st in self._rows(""):
            if pair[0] in ids or pair[1] in ids:
                found[pair] = st
        return found

    def __len__(self) -> int:
        return self.db.execute("SELECT count(*) FROM pairs").fetchone()[0]

    def evidence_articles(self) -> set[str]:
        """The ids of the articles of the evidence on disk."""
        rows = self.db.execute("SELECT DISTINCT value FROM pairs, json_each(evidence) WHERE key % 2 = 0")
        return {aid for (aid,) in rows}

    def close(self) -> None:
        """Close the file and delete it (again: nothing)."""
        close_scratch(self.db, self.path)


def scratch_db(path: str | Path, schema: str) -> sqlite3.Connection:
    """A new SQLite file at ``path`` (any old one deleted) with ``schema``, neither journalled nor synced:
    a scratch file that a crash leaves useless and the next build replaces."""
    if str(path) != ":memory:":
        Path(path).unlink(missing_ok=True)
    db = sqlite3.connect(str(path))
    db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + schema)
    return db


def close_scratch(db: sqlite3.Connection, path: str | Path) -> None:
    """Close a file of :func:`scratch_db` and delete it (again: nothing)."""
    db.close()
    if str(path) != ":memory:":
        Path(path).unlink(missing_ok=True)


def _json(sentences: tuple[str, ...]) -> str:
    return json.dumps(sentences)  # ASCII: a lone surrogate of a damaged text is escaped, not refused
