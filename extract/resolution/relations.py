"""Structural facts an article states between its resolved entities: a place contained in
another (the division table's hierarchy), an organisation located in a place, a person
affiliated with an organisation (an apposition: 河南省总工会主席 张三).

See :func:`relations` for an example.
"""

from __future__ import annotations

import re

from newskg.extract.recognition import divisions, place_names, roles
from newskg.extract.recognition.divisions import Division
from newskg.extract.records import Article, Mention, Relation, entity_id
from newskg.extract.resolution import abbreviations


def relations(mentions: list[Mention], article: Article | None = None) -> list[Relation]:
    """Structural facts implied by the resolved mentions of one article.

    - ``contained_in``: each division's chain of parents from the official table,
      up to the root place ``中国`` (湖北省 ← 襄阳市 ← 保康县 ← 黄堡镇).
    - ``located_in``: an organisation whose name starts with places is located in
      the most specific of them (国网山东莒县供电公司 -> 莒县).
    - ``affiliated_with``: a person and the organisation the text names next to
      them, with the stated role (全总党组书记、副主席李四 -> 中华全国总工会).

    Examples
    --------
    >>> from newskg.extract.records import Article, Mention
    >>> from newskg.extract.resolution.resolve import resolve
    >>> a = Article("a", "", "", "河南省总工会")
    >>> ms = resolve([Mention("a", 0, 6, "ORG", "河南省总工会")], a)
    >>> [(r.kind, r.target_label) for r in relations(ms, a)]
    [('located_in', '河南省'), ('contained_in', '中国')]
    """
    aid = article.id if article is not None else (mentions[0].article_id if mentions else "")
    out: list[Relation] = []
    done: set[str] = set()
    seen: set[str] = set()
    for m in mentions:
        if m.entity_id in seen:
            continue
        seen.add(m.entity_id)
        if m.type == "PLACE" and m.attrs.get("code"):
            d = divisions.by_code(m.attrs["code"])
            if d is not None:
                out += _containment(d, aid, done)
        elif m.type == "ORG":
            name = abbreviations.strip_prefix(m.label)
            chain, n = place_names.parse_chain(name, short_levels=2)
            if chain and n < len(name):
                d = chain[-1]
                out.append(_place_relation("located_in", m.entity_id, d, aid))
                out += _containment(d, aid, done)
    if article is not None:
        out += _affiliations(mentions, article.text, aid)
    return out


def _place_relation(kind: str, source: str, d: Division | None, aid: str) -> Relation:
    label = place_names.canonical_label(d) if d else place_names.COUNTRY
    return Relation(
        kind, source, entity_id("PLACE", label), "PLACE", label, aid, target_code=d.code if d else ""
    )


def _containment(d: Division, aid: str, done: set[str]) -> list[Relation]:
    out = []
    for child, parent in place_names.containment(d):
        if child.code in done:
            break
        done.add(child.code)
        out.append(
            _place_relation(
                "contained_in", entity_id("PLACE", place_names.canonical_label(child)), parent, aid
            )
        )
    return out


_APPOSITION_OPEN = frozenset("，,（(")
_APPOSITION_CLOSE = re.compile(r"[，,）)。；;、\s]")


def _affiliations(ms: list[Mention], text: str, aid: str) -> list[Relation]:
    """Person-organisation links with the role stated between or after them."""
    out = []
    for i, p in enumerate(ms):
        if p.type != "PERSON":
            continue
        org, role = None, None
        prev = ms[i - 1] if i > 0 else None
        if prev is not None and prev.type == "ORG":
            org, role = prev, roles.role_between(text[prev.end : p.start])
        nxt = ms[i + 1] if i + 1 < len(ms) else None
        if (
            role is None
            and nxt is not None
            and nxt.type == "ORG"
            and nxt.start == p.end + 1
            and text[p.end : nxt.start] in _APPOSITION_OPEN
        ):
            close = _APPOSITION_CLOSE.search(text, nxt.end)
            if close:
                org, role = nxt, roles.role_between(text[nxt.end : close.start()])
        if org is None or role is None:
            continue
        body, title = role
        label = org.label + body
        out.append(
            Relation("affiliated_with", p.entity_id, entity_id("ORG", label), "ORG", label, aid, role=title)
        )
    return out
