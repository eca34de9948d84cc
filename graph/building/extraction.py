"""Per-article extraction for a build: the driver's results, cached by content.

:func:`newskg.extract.mentions.extract_article` is a pure function ``Article -> ArticleResult``.

Everything the graph needs from one article (its sentences, resolved mentions,
structural relations and the counts resolution reported) depends on that article
alone, so it can be cached by content (:mod:`newskg.graph.building.cache`), run in a process pool
or on a Dask cluster (:mod:`newskg.graph.building.parallel`) and aggregated in a stream
(:mod:`newskg.graph.building.aggregate`). Options that only filter or group the result (``--types``,
``--window``) are applied during aggregation, so one cached result serves them all.

>>> from newskg.extract.mentions import extract_article
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
from dataclasses import asdict, fields
from functools import cache
from pathlib import Path

from newskg import extract
from newskg.extract.records import Article, ArticleResult, Mention, Relation, Sentence

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
