"""Bylines as entities: the people who reported an article, and what they reported on.

Each person of ``Article.byline`` becomes a PERSON mention marked ``field: byline`` (its
offsets index the name, not the text), with the same entity id as the person's name in any
text, so a reporter quoted or named in an article is one node. A news agency written in a
byline, lead or dateline (``新华社记者``) is an ORG mention of the same kind. Relations:

- ``reported``: from each byline person to every entity the article mentions (once an
  article, so the aggregated weight counts articles), with the byline role;
- ``affiliated_with``: from a person to the agency written with their name (role 记者).

:func:`credit` says what a role makes a person of the article (``data/byline_roles.txt``):
``author``, ``contributor`` or ``photographer``.

>>> from newskg.extract.records import Article, BylinePerson
>>> by = (BylinePerson("周文斌", "记者", "新华社"),)
>>> a = Article(id="a1", source="", title="", text="工会召开会议。", byline=by)
>>> [(m.entity_id, m.attrs["role"]) for m in byline_mentions(a)]
[('person-周文斌', '记者'), ('org-新华社', 'agency')]
"""

from __future__ import annotations

from functools import cache

from newskg.extract.recognition import lexicon
from newskg.extract.records import Article, Mention, Relation, entity_id

CREDITS = ("author", "contributor", "photographer")
AGENCY_ROLE = "agency"


@cache
def _credits() -> dict[str, str]:
    return {role: kind for kind in CREDITS for role in lexicon.section("byline_roles", kind)}


def credit(role: str) -> str:
    """``author``, ``contributor`` or ``photographer``: what a byline role makes a person of the article.

    >>> credit("特约记者"), credit("通讯员"), credit("摄"), credit("")
    ('author', 'contributor', 'photographer', 'author')
    """
    return _credits().get(role, "author")


def _mention(article: Article, type_: str, name: str, role: str) -> Mention:
    return Mention(
        article.id,
        0,
        len(name),
        type_,
        name,
        entity_id=entity_id(type_, name),
        source="byline",
        attrs={"field": "byline", "role": role},
    )


def byline_mentions(article: Article) -> list[Mention]:
    """The byline's people (PERSON) and agencies (ORG) of ``article`` as mentions, ``field: byline``."""
    out = [_mention(article, "PERSON", p.name, p.role) for p in article.byline]
    agencies = dict.fromkeys([article.agency, *(p.agency for p in article.byline)])
    out += [_mention(article, "ORG", a, AGENCY_ROLE) for a in agencies if a]
    return out


def reported(article: Article, mentions: list[Mention]) -> list[Relation]:
    """``reported`` relations of the byline people to the entities of ``mentions``, and their agencies.

    >>> from newskg.extract.records import BylinePerson
    >>> a = Article(id="a1", source="", title="", text="工会。", byline=(BylinePerson("周文斌", "记者"),))
    >>> m = Mention("a1", 0, 2, "ORG", "工会", entity_id="org-工会")
    >>> [(r.kind, r.source, r.target, r.role) for r in reported(a, [m])]
    [('reported', 'person-周文斌', 'org-工会', '记者')]
    """
    covered = {m.entity_id: m for m in mentions if m.attrs.get("field") != "byline"}
    out = []
    for p in dict.fromkeys(article.byline):
        pid = entity_id("PERSON", p.name)
        out += [
            Relation("reported", pid, eid, m.type, m.label, article.id, p.role)
            for eid, m in sorted(covered.items())
            if eid != pid
        ]
        if p.agency:
            out.append(
                Relation(
                    "affiliated_with", pid, entity_id("ORG", p.agency), "ORG", p.agency, article.id, p.role
                )
            )
    return out
