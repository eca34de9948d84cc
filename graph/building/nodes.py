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
from collections.abc import Iterable
from dataclasses import dataclass, field
from sys import intern

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


@dataclass
class Entities:
    """Accumulates :class:`EntityStats` by entity id."""

    stats: dict[str, EntityStats] = field(default_factory=dict)

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

    def add_relation_targets(self, relations: Iterable[Relation]) -> None:
        """Make sure every relation target exists as an entity, even if never mentioned."""
        for r in relations:
            st = self._get(r.target, r.target_type, r.target_label)
            if r.target_code and not st.code:
                st.code = r.target_code
