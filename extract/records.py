"""Typed records passed between pipeline stages.

Every stage is a function from records to records::

    paths --ingest--> Article --sentences--> Sentence
    Article --recognise--> Mention (raw, typed) --resolve--> Mention (with label and entity id)

Offsets are always character offsets into ``Article.text`` (end exclusive), so
``article.text[m.start:m.end] == m.text`` holds for every mention.

Examples
--------
>>> a = Article(id="a1", source="x.txt", title="标题", text="河南省总工会召开会议。")
>>> m = Mention(article_id="a1", start=0, end=6, type="ORG", text="河南省总工会")
>>> a.text[m.start:m.end] == m.text
True
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

ENTITY_TYPES: tuple[str, ...] = ("PERSON", "PLACE", "ORG", "CAMPAIGN", "EVENT")


@dataclass(frozen=True, slots=True)
class BylinePerson:
    """A person named in a byline, e.g. ``BylinePerson("余嘉熙", "记者")``.

    ``role`` is the word written before the name (记者, 特约记者, 通讯员) or 摄 (photographer);
    ``agency`` the news agency written with it (``新华社记者 许春豫``), "" for the paper's own.
    """

    name: str
    role: str
    agency: str = ""


@dataclass(slots=True)
class Article:
    """One news article, cleaned, with offsets that later stages refer to.

    ``paragraphs`` holds ``(start, end)`` spans into ``text``. ``duplicate_of``
    names the original article when this one is a near-duplicate of it; such
    articles are kept in ``articles.jsonl`` but counted once in the graph. The
    paragraphs of a near-duplicate that its original lacks are an article of their
    own, which ``continues`` the original's story. ``date`` is ISO (``2022-06-28``), or
    ``--06-28`` when no source gave the year; ``date_source`` says where the year came from
    (:mod:`newskg.extract.ingestion.dates`).
    """

    id: str
    source: str
    title: str
    text: str
    subtitle: str = ""
    byline: tuple[BylinePerson, ...] = ()
    dateline_place: str = ""
    agency: str = ""
    date: str = ""
    date_source: str = "none"
    pages: tuple[str, ...] = ()
    paragraphs: tuple[tuple[int, int], ...] = ()
    url: str = ""
    duplicate_of: str | None = None
    continues: str | None = None

    def __post_init__(self) -> None:
        if not self.paragraphs:
            self.paragraphs = paragraph_spans(self.text)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence span of an article: ``article.text[start:end]``."""

    article_id: str
    index: int
    start: int
    end: int
    paragraph: int


@dataclass(slots=True)
class Mention:
    """A typed entity mention. ``label`` is the canonical name once resolved.

    ``entity_id`` is filled by resolution (see :func:`entity_id`); ``rule``
    names the resolution rule that changed the label, if any.
    """

    article_id: str
    start: int
    end: int
    type: str
    text: str
    label: str = ""
    entity_id: str = ""
    rule: str = ""
    source: str = ""
    attrs: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.label:
            self.label = self.text


@dataclass(frozen=True, slots=True)
class Relation:
    """A structural fact between two entities, found by resolution.

    ``kind`` is ``contained_in`` (place in place), ``located_in`` (organisation in
    place) or ``affiliated_with`` (person with organisation, ``role`` set when the
    text states it). The target may be an entity no article mentions (湖北省 for a
    mention of 保康县), so it carries its own type and label.
    """

    kind: str
    source: str
    target: str
    target_type: str
    target_label: str
    article_id: str = ""
    role: str = ""
    target_code: str = ""


def paragraph_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of the non-empty lines of ``text`` (paragraphs are one line each).

    >>> paragraph_spans("甲。\\n\\n乙。")
    ((0, 2), (4, 6))
    """
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        if m.group().strip():
            spans.append((m.start(), m.end()))
    return tuple(spans)


_UNSAFE = re.compile(r"[^\w]", re.UNICODE)
MAX_SLUG = 40  # characters: 160 bytes of UTF-8 at most, with room for the type, hash and ".html"


def entity_id(type_: str, label: str) -> str:
    """A readable, stable, IRI- and filename-safe id from a type and a canonical name.

    Word characters (any script) are kept, up to :data:`MAX_SLUG` of them, so that the id
    makes a file name on any file system (255 bytes); anything else is dropped, and then a
    short hash of the full label is appended so that distinct labels never collide.

    >>> entity_id("ORG", "中华全国总工会")
    'org-中华全国总工会'
    >>> entity_id("CAMPAIGN", "“安康杯”竞赛")
    'campaign-安康杯竞赛-ce7b10'
    >>> len(entity_id("ORG", "志愿服务" * 40).encode("utf-8")) < 200
    True
    """
    slug = _UNSAFE.sub("", label)[:MAX_SLUG]
    base = f"{type_.lower()}-{slug}"
    if slug != label or not slug:
        base += "-" + hashlib.sha1(label.encode("utf-8")).hexdigest()[:6]
    return base


@dataclass(slots=True)
class ArticleResult:
    """What extraction found in one article; ``counts`` and ``warnings`` replay into a build's Report."""

    article_id: str
    sentences: list[Sentence]
    mentions: list[Mention]
    relations: list[Relation]
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
