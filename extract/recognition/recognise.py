"""Entity recognition: an Article in, typed Mentions out.

The article is segmented once into a :class:`~newskg.extract.doc.Doc`, which every
component receives; components have one signature, ``Doc -> list[Mention]``, and
run in the order given by :data:`PIPELINE`; :func:`recognise` merges their output so
that mentions never overlap (earlier components and longer spans win).

- :func:`extract.recognition.events.events` and :func:`extract.recognition.campaigns.campaigns`: named events
  and campaigns, which may contain places and organisations, so they come first;
- :func:`names`: people, places and organisations, by the trained tagger
  (:mod:`newskg.extract.recognition.tagger`), which reads the hand-written :data:`RULES`' mentions as
  features.

:data:`NAMES` is the pipeline without events and campaigns, for corpora that
annotate only people, places and organisations.

>>> from newskg.extract.records import Article
>>> a = Article(id="a", source="", title="", text="习近平在北京考察。")
>>> [(m.text, m.type) for m in recognise(a)]
[('习近平', 'PERSON'), ('北京', 'PLACE')]
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence

from newskg.extract.doc import Doc, make_doc
from newskg.extract.ingestion.sentences import split_sentences
from newskg.extract.recognition import tagger
from newskg.extract.recognition.campaigns import campaigns
from newskg.extract.recognition.events import events
from newskg.extract.recognition.lexicon import ORG_HEADS_HEADS
from newskg.extract.recognition.orgs import BRAND, LISTED, orgs
from newskg.extract.recognition.people import people
from newskg.extract.recognition.places import places
from newskg.extract.recognition.validate import (
    brand_after_division,
    company_before_site,
    gazetteer_backed,
    name_to_list_comma,
    plausible,
    whole_dotted_name,
    whole_lexicon_word,
    within_brackets,
)
from newskg.extract.records import Article, Mention

Recogniser = Callable[[Doc], list[Mention]]

RULES: tuple[Recogniser, ...] = (orgs, people, places)


# Rules whose mentions the tagger's output does not override: names from the byline
# (metadata, not text the model saw in training) and transliterated names joined by a
# middle dot, which the tagger may cut at the dot (如克亚木·麦提赛地).
TRUSTED_RULES: frozenset[str] = frozenset({"people.byline", "people.dotted"})


def names(doc: Doc, *, rules: Sequence[Recogniser] = RULES, model: str = "") -> list[Mention]:
    """People, places and organisations by the trained tagger (the model file ``model``,
    default: shipped), sentence by sentence, with the ``rules``' mentions as its hints.

    A tagged span that a rule found too is the rule's mention (with its attributes, such
    as a division's code); a tagged organisation that two or more of the rules'
    organisations tile end to end is those organisations (某市总工会|某市总工会); one that no
    rule found is kept when it is :func:`~extract.recognition.validate.plausible`, and one cut
    inside a name only the lexicons know is the rules' whole name (粤港澳大湾|区); a person
    one character short of a list's comma runs on to it (索朗群|培、), and a company run on
    into a site of it is cut after the company (某某集团|淮安精品钢), and a city and a foreign
    brand tagged as two places are a company (西安|康明斯); the
    :data:`TRUSTED_RULES`' mentions come first, and
    the rules' :func:`~extract.recognition.validate.gazetteer_backed` mentions (divisions, compositional
    organisations, brands and their trade word) fill the gaps where the tagger found nothing;
    the names of a list of companies (某某、某某等快递公司) are organisations whatever the tagger
    found of them; a compositional
    organisation replaces the place at its front when that place is all the tagger found of it,
    or the body at its front when it is a unit of that body (某大学|某某学院).
    ``functools.partial(names, rules=())`` is the tagger alone, without hints.
    """
    text = doc.text
    hints = [m for component in rules for m in component(doc)]
    feats = tagger.features(text, doc.tokens, hints)
    crf = tagger.model(model)
    by_span = {(m.start, m.end, m.type): m for m in hints}
    listed = {(m.start, m.end): m for m in hints if m.source == LISTED}  # its type wins over the tagger's
    out = [m for m in hints if m.source in TRUSTED_RULES]
    for s in split_sentences(doc.article):
        for start, end, type_ in tagger.decode(text[s.start : s.end], crf.tag(feats[s.start : s.end])):
            a, b = s.start + start, s.start + end
            m = (
                listed.get((a, b))
                or by_span.get((a, b, type_))
                or within_brackets(Mention(doc.id, a, b, type_, text[a:b], source="tagger"))
            )
            if m.source == "tagger":  # cut at a bracket: the rules' mention, if they found it
                m = by_span.get((m.start, m.end, m.type), m)
            if m.source == "tagger":  # cut inside a lexicon's name: the rules' whole name
                m = company_before_site(whole_lexicon_word(m, doc, by_span), doc)
            if m.source == "tagger" and (front := _brand_front(m, out, doc)):
                out.remove(front)  # a city and a foreign brand (某市|康明斯): a company
                out.append(Mention(doc.id, front.start, b, "ORG", text[front.start : b], source="tagger"))
            elif m.source == "tagger" and type_ == "ORG" and (parts := _tiling(hints, a, b)):
                out.extend(parts)  # two organisations glued together (某市总工会|某市总工会)
            elif m.source != "tagger" or plausible(m, doc):
                out.append(whole_dotted_name(name_to_list_comma(m, doc) if m.source == "tagger" else m, doc))
    kept = {id(m) for m in out}
    backed = [m for m in hints if id(m) not in kept and gazetteer_backed(m)]
    # A compositional organisation of which the tagger found only the place at its front, with
    # a name between the place and the head (某市|物流行业|工会, not 某国|银行 or 某县|县委), is the
    # organisation: the place goes, the organisation comes first.
    starts = {(m.start, m.type): m for m in out}
    for m in backed:
        front = starts.get((m.start, "PLACE")) if m.type == "ORG" else None
        if (
            front is not None
            and front.end < m.end
            and text[front.end : m.end] not in ORG_HEADS_HEADS
            and not any(x is not front and x.start < m.end and m.start < x.end for x in out)
        ):
            out.remove(front)
            out.insert(0, m)
        elif m.type == "ORG" and (
            inner := _sub_unit(m, starts.get((m.start, "ORG")), out, doc) or _in_brand(m, out)
        ):
            for x in inner:
                out.remove(x)
            out.insert(0, m)
    return merge(out + backed)  # the others fill the gaps where the tagger found nothing


def _brand_front(m: Mention, out: list[Mention], doc: Doc) -> Mention | None:
    """The place found right before a tagged place that is a foreign brand after a division
    (:func:`~extract.recognition.validate.brand_after_division`: 西安|康明斯), which the two
    make a company; else None."""
    if m.type != "PLACE" or not brand_after_division(m, doc):
        return None
    return next(
        (x for x in out if x.type == "PLACE" and x.end == m.start and x.source not in TRUSTED_RULES), None
    )


def _sub_unit(m: Mention, front: Mention | None, out: list[Mention], doc: Doc) -> list[Mention]:
    """The mentions a compositional organisation ``m`` replaces when the tagger found only
    the body at its front and ``m`` is a unit of it, one noun and a head word of two or more
    characters after the body's head (某大学|经济学|学院, or 学院 of 学院院长): that body and
    what was found inside the unit (a name inside 马克思主义); else []."""
    if front is None or front.source != "tagger" or front.end >= m.end or not front.text.endswith(_HEAD_ENDS):
        return []
    i = bisect_left(doc.starts, front.end)
    unit = doc.tokens[i : i + 2]
    if (
        len(unit) < 2
        or unit[0].start != front.end
        or unit[0].tag not in ("n", "nz")
        or m.end - unit[1].start < 2  # a one-character head (院 of 副|院长) is too weak
        or doc.text[unit[1].start : m.end] not in ORG_HEADS_HEADS  # 学院, or 学院 of 学院|院长
    ):
        return []
    return _held(m, out, lambda x: x.source not in TRUSTED_RULES)


_HEAD_ENDS = tuple(ORG_HEADS_HEADS)


def _in_brand(m: Mention, out: list[Mention]) -> list[Mention]:
    """The tagger's mentions a brand and its trade word (某|某|速|运) holds, which it replaces
    (the tagger found the brand alone); else []."""
    return _held(m, out, lambda x: x.source == "tagger") if m.source == BRAND else []


def _held(m: Mention, out: list[Mention], replaceable: Callable[[Mention], bool]) -> list[Mention]:
    """The mentions of ``out`` that overlap ``m``, when all lie inside it and are
    ``replaceable``; else []."""
    inner = [x for x in out if x.start < m.end and m.start < x.end]
    if any(x.start < m.start or x.end > m.end or not replaceable(x) for x in inner):
        return []
    return inner


def _tiling(hints: list[Mention], start: int, end: int) -> list[Mention]:
    """The rules' organisations that tile ``start:end`` end to end, when there are two or
    more of them (a tagged span that glues names the rules keep apart), else []."""
    by_start = {m.start: m for m in hints if m.type == "ORG" and start <= m.start and m.end <= end}
    parts, at = [], start
    while at < end and at in by_start:
        parts.append(by_start[at])
        at = by_start[at].end
    return parts if at == end and len(parts) > 1 else []


NAMES: tuple[Recogniser, ...] = (names,)
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


def recognise(article: Article | Doc, pipeline: Sequence[Recogniser] = PIPELINE) -> list[Mention]:
    """Run every recogniser of ``pipeline`` over ``article`` (segmented once) and merge the results."""
    doc = article if isinstance(article, Doc) else make_doc(article)
    found: list[Mention] = []
    for component in pipeline:
        found.extend(sorted(component(doc), key=lambda m: (-(m.end - m.start), m.start)))
    return merge(found)
