"""Entity recognition: an Article in, typed Mentions out.

Recognisers are components with one signature, ``Article -> list[Mention]``, run
in the order given by :data:`PIPELINE`; :func:`recognise` merges their output so
that mentions never overlap (earlier components and longer spans win).

- :func:`extract.events.events` and :func:`extract.campaigns.campaigns`: named events
  and campaigns, which may contain places and organisations, so they come first;
- :func:`extract.orgs.orgs`: organisations (and named sites), which contain places;
- :func:`extract.people.people`: people;
- :func:`extract.places.places`: places.

:data:`NAMES` is the pipeline without events and campaigns, for corpora that
annotate only people, places and organisations.

>>> from extract.records import Article
>>> a = Article(id="a", source="", title="", text="习近平在北京考察。")
>>> [(m.text, m.type) for m in recognise(a)]
[('习近平', 'PERSON'), ('北京', 'PLACE')]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from extract.campaigns import campaigns
from extract.events import events
from extract.orgs import orgs
from extract.people import people
from extract.places import places
from extract.records import Article, Mention

Recogniser = Callable[[Article], list[Mention]]

NAMES: tuple[Recogniser, ...] = (orgs, people, places)
PIPELINE: tuple[Recogniser, ...] = (events, campaigns, *NAMES)


def merge(mentions: list[Mention]) -> list[Mention]:
    """Drop mentions that overlap an earlier-kept one; keep component order, then length."""
    kept: list[Mention] = []
    taken: set[int] = set()
    for m in mentions:
        span = range(m.start, m.end)
        if m.end > m.start and not taken.intersection(span):
            kept.append(m)
            taken.update(span)
    return sorted(kept, key=lambda m: (m.start, m.end))


def recognise(article: Article, pipeline: Sequence[Recogniser] = PIPELINE) -> list[Mention]:
    """Run every recogniser of ``pipeline`` over ``article`` and merge the results."""
    found: list[Mention] = []
    for component in pipeline:
        found.extend(sorted(component(article), key=lambda m: (-(m.end - m.start), m.start)))
    return merge(found)
