"""Per-article extraction as a pure function: ``Article -> ArticleResult``.

Everything the graph needs from one article (its sentences, resolved mentions,
structural relations and the counts resolution reported) depends on that article
alone, so it can be cached by content (:mod:`newskg.graph.building.cache`), run in a process pool
or on a Dask cluster (:mod:`newskg.graph.building.parallel`) and aggregated in a stream
(:mod:`newskg.graph.building.aggregate`). Options that only filter or group the result (``--types``,
``--window``) are applied during aggregation, so one cached result serves them all.

>>> from newskg.extract.records import Article
>>> r = extract_article(Article(id="a1", source="", title="", text="习近平在北京考察。"))
>>> [(m.text, m.type) for m in r.mentions if m.text == "北京"]
[('北京', 'PLACE')]
>>> decode_result(encode_result(r)) == r
True
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import asdict, dataclass, field, fields, replace
from functools import cache
from pathlib import Path

from newskg import extract
from newskg.extract import Report, split_sentences
from newskg.extract.recognition.recognise import recognise
from newskg.extract.recognition.reporters import byline_mentions, reported
from newskg.extract.records import Article, Mention, Relation, Sentence
from newskg.extract.resolution.resolve import relations as find_relations
from newskg.extract.resolution.resolve import resolve


@dataclass(slots=True)
class ArticleResult:
    """What extraction found in one article; ``counts`` and ``warnings`` replay into the build's Report."""

    article_id: str
    sentences: list[Sentence]
    mentions: list[Mention]
    relations: list[Relation]
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def extract_article(article: Article) -> ArticleResult:
    """Sentences, resolved mentions (all types) and relations of one article.

    Examples
    --------
    >>> from newskg.extract.records import Article
    >>> r = extract_article(Article(id="a1", source="", title="", text="他在北京。他回到上海。"))
    >>> len(r.sentences), r.article_id
    (2, 'a1')

    Mentions in the headline have offsets into ``article.title`` and ``attrs["field"] == "title"``;
    the byline's people and agencies come last, ``field: byline`` (:mod:`extract.recognition.reporters`):

    >>> a = Article(id="a2", source="", title="全总召开会议", text="中华全国总工会召开会议。")
    >>> r = extract_article(a)
    >>> [(m.text, m.label, m.attrs.get("field")) for m in r.mentions]
    [('中华全国总工会', '中华全国总工会', None), ('全总', '中华全国总工会', 'title')]
    """
    report = Report()
    if not article.title:
        mentions = resolve(recognise(article), article, report)
        return _result(article, mentions, find_relations(mentions, article), report)
    # The headline is resolved together with the text, as a last line after it, so that a
    # short form in the headline (密云区总工会) gets the full name the text gives; then its
    # mentions are moved back to offsets into the title and marked ``field: title``.
    k = len(article.text) + 1
    both = replace(article, text=f"{article.text}\n{article.title}")
    headline = recognise(replace(article, text=article.title))
    found = recognise(article) + [replace(m, start=m.start + k, end=m.end + k) for m in headline]
    mentions = []
    for m in resolve(found, both, report):
        if m.start >= k:
            m = replace(m, start=m.start - k, end=m.end - k, attrs={**m.attrs, "field": "title"})
        mentions.append(m)
    rels = find_relations([m for m in mentions if "field" not in m.attrs], article)
    return _result(article, mentions, rels, report)


def _result(article: Article, mentions: list[Mention], rels: list[Relation], report: Report) -> ArticleResult:
    """The result of an article, its byline people and agencies added (:mod:`.reporters`)."""
    rels = rels + reported(article, mentions)
    mentions = mentions + byline_mentions(article)
    return ArticleResult(
        article.id, split_sentences(article), mentions, rels, dict(report.counts), report.messages
    )


_MENTION_FIELDS = tuple(f.name for f in fields(Mention))
_RELATION_FIELDS = tuple(f.name for f in fields(Relation))
_SENTENCE_FIELDS = ("index", "start", "end", "paragraph")


def encode_result(r: ArticleResult) -> bytes:
    """Compact, compressed JSON of a result (rows of field values, not objects), for the cache."""
    doc = [
        r.article_id,
        [[getattr(s, f) for f in _SENTENCE_FIELDS] for s in r.sentences],
        [[getattr(m, f) for f in _MENTION_FIELDS] for m in r.mentions],
        [[getattr(x, f) for f in _RELATION_FIELDS] for x in r.relations],
        r.counts,
        r.warnings,
    ]
    return zlib.compress(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1)


def decode_result(blob: bytes) -> ArticleResult:
    """The inverse of :func:`encode_result`."""
    aid, sents, ments, rels, counts, warnings = json.loads(zlib.decompress(blob))
    return ArticleResult(
        aid,
        [Sentence(aid, *row) for row in sents],
        [Mention(*row) for row in ments],
        [Relation(*row) for row in rels],
        counts,
        warnings,
    )


@cache
def extractor_version() -> str:
    """A hash of every source and data file of :mod:`extract` and of this module.

    Changing the recogniser, the resolver or a lexicon changes it, and so invalidates
    cached results.
    """
    h = hashlib.sha256()
    root = Path(extract.__file__).parent
    files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for p in [*files, Path(__file__)]:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def content_key(article: Article) -> str:
    """Cache key of an article: its content (not where it was read from) and the extractor version."""
    rec = asdict(article)
    rec.pop("source")
    rec.pop("duplicate_of")
    data = json.dumps(rec, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(extractor_version().encode() + data).hexdigest()
