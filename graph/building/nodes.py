"""Entity (node) statistics accumulated from resolved mentions.

>>> from newskg.extract.records import Mention
>>> acc = Entities()
>>> m = Mention("a1", 0, 2, "ORG", "全总", label="中华全国总工会", entity_id="org-中华全国总工会")
>>> acc.add_mentions([m], date="2021-07-01")
>>> e = acc.stats["org-中华全国总工会"]
>>> e.label, e.aliases_text(), e.mentions, e.articles
('中华全国总工会', '全总', 1, 1)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from sys import intern
from typing import Protocol

from newskg.extract.records import Mention, Relation


@dataclass(slots=True)  # hundreds of thousands of them: no __dict__ each
class EntityStats:
    """What we know of one entity: its type, label, surface forms and how often it occurs.

    ``articles`` is a count, not a set of ids, so memory does not grow with the corpus.
    """

    type: str
    label: str
    aliases: Counter = field(default_factory=Counter)
    mentions: int = 0
    articles: int = 0
    first_date: str = ""
    last_date: str = ""
    code: str = ""

    def aliases_text(self) -> str:
        """Surface forms other than the label, most frequent first, joined by ``|``."""
        forms = sorted((a for a in self.aliases if a != self.label), key=lambda a: (-self.aliases[a], a))
        return "|".join(forms)


class EntitySpill(Protocol):
    """Where :class:`Entities` moves its counts (:class:`newskg.graph.building.entityspill.EntitySpill`)."""

    def add(self, stats: dict[str, EntityStats]) -> None: ...
    def add_targets(self, targets: Iterable[tuple[str, str, str, str]]) -> None: ...
    def first_seen(self) -> Iterator[tuple[str, EntityStats]]: ...
    def in_order(self) -> Iterator[tuple[str, EntityStats]]: ...
    def ids(self) -> Iterator[str]: ...
    def known(self, ids: Iterable[str]) -> set[str]: ...
    def __len__(self) -> int: ...
    def close(self) -> None: ...


@dataclass
class Entities:
    """Accumulates :class:`EntityStats` by entity id.

    With a ``spill`` (:mod:`newskg.graph.building.entityspill`), :meth:`spill_if_full` moves the
    entities of ``stats`` to disk once there are many: ``stats`` then holds only those counted
    since, and :meth:`first_seen` and :meth:`in_order` give all of them.
    """

    stats: dict[str, EntityStats] = field(default_factory=dict)
    spill: EntitySpill | None = field(default=None, compare=False, repr=False)

    def _get(self, eid: str, type_: str, label: str) -> EntityStats:
        st = self.stats.get(eid)
        if st is None:
            st = self.stats[intern(eid)] = EntityStats(type_, label)
        return st

    def add_mentions(self, mentions: Iterable[Mention], date: str = "") -> None:
        """Count the mentions of one article (published on ``date``, ISO, when known).

        Each call is one article: an entity's ``articles`` count goes up once per call.
        """
        seen: set[str] = set()
        for m in mentions:
            st = self._get(m.entity_id, m.type, m.label)
            st.mentions += 1
            st.aliases[m.text] += 1
            for form in filter(None, m.attrs.get("short_forms", "").split("|")):
                st.aliases[form] += 0  # a name it goes by, derived (北京市密云区总工会 -> 密云区总工会)
            if m.entity_id not in seen:
                seen.add(m.entity_id)
                st.articles += 1
            if m.attrs.get("code"):
                st.code = m.attrs["code"]
            if date:
                st.first_date = min(st.first_date or date, date)
                st.last_date = max(st.last_date or date, date)

    def merge(self, later: Entities) -> None:
        """Fold ``later`` (the entities of the articles after ours) into these."""
        for eid, st in later.first_seen():
            mine = self.stats.get(eid)
            if mine is None:
                self.stats[eid] = st
                continue
            mine.mentions += st.mentions
            mine.aliases.update(st.aliases)
            mine.articles += st.articles
            mine.code = st.code or mine.code
            mine.first_date = min(filter(None, (mine.first_date, st.first_date)), default="")
            mine.last_date = max(mine.last_date, st.last_date)

    def add_relation_targets(self, relations: Iterable[Relation]) -> None:
        """Make sure every relation target exists as an entity, even if never mentioned."""
        if self.spill is not None:
            self.spill_if_full(0)
            self.spill.add_targets(
                (r.target, r.target_type, r.target_label, r.target_code) for r in relations
            )
            return
        for r in relations:
            st = self._get(r.target, r.target_type, r.target_label)
            if r.target_code and not st.code:
                st.code = r.target_code

    def spill_if_full(self, limit: int) -> None:
        """Move the entities to the spill when there are ``limit`` or more (call it between articles)."""
        if self.spill is not None and len(self.stats) >= limit:
            self.spill.add(self.stats)
            self.stats = {}

    def close_spill(self) -> None:
        """Close the spill, which deletes its file, and forget it (without one: nothing)."""
        if self.spill is not None:
            self.spill.close()
            self.spill = None

    def first_seen(self) -> Iterator[tuple[str, EntityStats]]:
        """Every entity and its counts, in the order first seen (the order of the saved state)."""
        if self.spill is None:
            yield from self.stats.items()
        else:
            self.spill_if_full(0)
            yield from self.spill.first_seen()

    def in_order(self) -> Iterator[tuple[str, EntityStats]]:
        """Every entity and its counts, sorted by id."""
        if self.spill is None:
            yield from ((eid, self.stats[eid]) for eid in sorted(self.stats))
        else:
            self.spill_if_full(0)
            yield from self.spill.in_order()

    def ids(self) -> Iterator[str]:
        """Every entity's id (in no set order)."""
        if self.spill is None:
            yield from self.stats
        else:
            self.spill_if_full(0)
            yield from self.spill.ids()

    def known(self, ids: set[str]) -> set[str]:
        """Those of ``ids`` that are entities."""
        if self.spill is None:
            return ids & self.stats.keys()
        self.spill_if_full(0)
        return self.spill.known(ids)

    def __len__(self) -> int:
        if self.spill is None:
            return len(self.stats)
        self.spill_if_full(0)
        return len(self.spill)
