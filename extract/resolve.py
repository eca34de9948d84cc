"""Entity resolution: mentions get a canonical label and a stable entity id.

>>> from extract.records import Mention
>>> [m.entity_id for m in resolve([Mention("a", 0, 6, "ORG", "中华全国总工会"[:6])])]
['org-中华全国总工']
"""

from __future__ import annotations

from extract import divisions
from extract.records import Article, Mention, Relation, entity_id


def resolve(mentions: list[Mention], article: Article | None = None) -> list[Mention]:
    """Fill ``label`` and ``entity_id`` of each mention (identity resolution for now)."""
    for m in mentions:
        m.label = m.label or m.text
        m.entity_id = entity_id(m.type, m.label)
    return mentions


def relations(mentions: list[Mention], article: Article | None = None) -> list[Relation]:
    """Structural facts implied by resolved mentions: each place's chain of parents.

    A PLACE mention whose ``attrs["code"]`` names a division is contained in that
    division's parent, and so on up to the province.
    """
    out: list[Relation] = []
    seen: set[str] = set()
    aid = article.id if article is not None else ""
    for m in mentions:
        code = m.attrs.get("code", "")
        if m.type != "PLACE" or not code or m.entity_id in seen:
            continue
        seen.add(m.entity_id)
        child = m.entity_id
        div = divisions.by_code(code)
        for parent in divisions.ancestors(div) if div else []:
            pid = entity_id("PLACE", parent.name)
            out.append(
                Relation("contained_in", child, pid, "PLACE", parent.name, aid, target_code=parent.code)
            )
            child = pid
    return out
