"""Entity counts on disk: with the co-mention pairs, the part of a build's counts that grows with the corpus.

:class:`~newskg.graph.building.nodes.Entities` counts entities in a dict; with an
:class:`EntitySpill` it moves them to a SQLite file whenever the dict holds :data:`SPILL_ENTITIES`
of them, between articles, so the build holds at most that many whatever the corpus's size
(issue #21). An entity already on disk is merged as
:meth:`~newskg.graph.building.nodes.Entities.merge` merges a later run of articles into an
earlier one: type and label as first seen, mentions and articles added, surface forms counted
in the order first seen, the earliest and latest dates, the last code given. The file keeps the
order in which entities were first seen (its rowid) for the state, and its key gives them
sorted for the graph, so a build gives the same bytes with or without it.

>>> from collections import Counter
>>> from newskg.graph.building.nodes import EntityStats
>>> spill = EntitySpill(":memory:")
>>> spill.add({"org-甲": EntityStats("ORG", "甲", Counter({"甲": 1}), 1, 1, "2020-01-02")})
>>> spill.add({"loc-乙": EntityStats("PLACE", "乙", Counter({"乙": 2}), 2, 1),
...            "org-甲": EntityStats("ORG", "甲方", Counter({"甲方": 1, "甲": 1}), 2, 1, "2019-05-01")})
>>> [(e, st.label, dict(st.aliases), st.mentions, st.articles, st.first_date) for e, st in spill.first_seen()]
[('org-甲', '甲', {'甲': 2, '甲方': 1}, 3, 2, '2019-05-01'), ('loc-乙', '乙', {'乙': 2}, 2, 1, '')]
>>> [e for e, _ in spill.in_order()], len(spill), spill.known({"org-甲", "org-丙"})
(['loc-乙', 'org-甲'], 2, {'org-甲'})
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from newskg.graph.building.nodes import EntityStats
from newskg.graph.building.pairspill import close_scratch, scratch_db

# Entities a build holds in memory before it moves them to disk: about 60 MB of them.
SPILL_ENTITIES = 100_000
ENTITIES_SPILL = ".entities-spill.sqlite"  # beside the pairs' scratch file, deleted with it

_SCHEMA = """
CREATE TABLE entities (id TEXT PRIMARY KEY, type TEXT NOT NULL, label TEXT NOT NULL, aliases TEXT NOT NULL,
                       mentions INTEGER NOT NULL, articles INTEGER NOT NULL, first TEXT NOT NULL,
                       last TEXT NOT NULL, code TEXT NOT NULL);
"""
_COLUMNS = "id, type, label, aliases, mentions, articles, first, last, code"


class EntitySpill:
    """The entities moved to the SQLite file ``path`` (a scratch file: created new, never kept)."""

    def __init__(self, path: str | Path) -> None:
        self.path = path
        self.db = scratch_db(path, _SCHEMA)
        self.db.create_function("aliases_of", 2, _aliases_of, deterministic=True)

    def add(self, stats: Mapping[str, EntityStats]) -> None:
        """Merge ``stats`` (counted after those on disk) into the file, in their order."""
        rows = (
            (
                eid,
                st.type,
                st.label,
                _json(st.aliases),
                st.mentions,
                st.articles,
                st.first_date,
                st.last_date,
                st.code,
            )
            for eid, st in stats.items()
        )
        with self.db:
            self.db.executemany(
                f"INSERT INTO entities ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET"
                " aliases = aliases_of(aliases, excluded.aliases),"
                " mentions = mentions + excluded.mentions, articles = articles + excluded.articles,"
                " first = CASE WHEN first = '' THEN excluded.first WHEN excluded.first = '' THEN first"
                " ELSE min(first, excluded.first) END,"
                " last = max(last, excluded.last),"
                " code = CASE WHEN excluded.code = '' THEN code ELSE excluded.code END",
                rows,
            )

    def add_targets(self, targets: Iterable[tuple[str, str, str, str]]) -> None:
        """Make sure each ``(id, type, label, code)`` is an entity; a code goes only to one without."""
        with self.db:
            self.db.executemany(
                f"INSERT INTO entities ({_COLUMNS}) VALUES (?, ?, ?, '{{}}', 0, 0, '', '', ?)"
                " ON CONFLICT (id) DO UPDATE SET code = CASE WHEN code = '' THEN excluded.code ELSE code END",
                targets,
            )

    def first_seen(self) -> Iterator[tuple[str, EntityStats]]:
        """Every entity on disk, in the order first seen."""
        yield from self._rows("ORDER BY rowid")

    def in_order(self) -> Iterator[tuple[str, EntityStats]]:
        """Every entity on disk, sorted by id."""
        yield from self._rows("ORDER BY id")

    def _rows(self, order: str) -> Iterator[tuple[str, EntityStats]]:
        for eid, type_, label, aliases, *counts in self.db.execute(
            f"SELECT {_COLUMNS} FROM entities {order}"
        ):
            yield eid, EntityStats(type_, label, Counter(json.loads(aliases)), *counts)

    def ids(self) -> Iterator[str]:
        """Every entity's id on disk."""
        yield from (eid for (eid,) in self.db.execute("SELECT id FROM entities"))

    def known(self, ids: Iterable[str]) -> set[str]:
        """Those of ``ids`` that are on disk."""
        found = set()
        for eid in ids:
            if self.db.execute("SELECT 1 FROM entities WHERE id = ?", (eid,)).fetchone():
                found.add(eid)
        return found

    def __len__(self) -> int:
        return self.db.execute("SELECT count(*) FROM entities").fetchone()[0]

    def close(self) -> None:
        """Close the file and delete it (again: nothing)."""
        close_scratch(self.db, self.path)


def _json(aliases: Counter) -> str:
    return json.dumps(aliases)  # ASCII: a lone surrogate of a damaged text is escaped, not refused


def _aliases_of(before: str, after: str) -> str:
    """The surface forms of two runs of articles counted together, in the order first seen."""
    forms = json.loads(before)
    for form, n in json.loads(after).items():
        forms[form] = forms.get(form, 0) + n
    return json.dumps(forms)
