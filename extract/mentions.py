"""The per-article driver: one article in, its sentences, resolved mentions and relations out.

:func:`extract_article` is the whole pipeline of one article, the one both ``newskg extract``
and ``newskg build`` run (the build caches its result and aggregates it): recognition of the
text and the headline, resolution of both together, the relations the text states, and the
byline's people and agencies. :func:`mention_record` is one mention as JSON, the same in
``newskg extract``'s output and in a build's ``mentions.jsonl``.

:func:`extract_paths` gives the records of the articles of some files
(``{"id", "source", "title", "mentions"}``); :func:`extract_jsonl` does the same for lines
``{"id", "text", ...}`` and keeps offsets into that exact ``text`` (``{"id", "mentions"}``).

>>> import json, tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "in.jsonl")
>>> _ = open(path, "w", encoding="utf-8").write(json.dumps({"id": "a", "text": "习近平在北京。"}) + "\\n")
>>> [(m["text"], m["type"], m["label"]) for m in next(extract_jsonl(path))["mentions"]]
[('习近平', 'PERSON', '习近平'), ('北京', 'PLACE', '北京市')]
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from newskg.extract.errors import Report, UserError
from newskg.extract.ingestion.ingest import ingest
from newskg.extract.ingestion.sentences import split_sentences
from newskg.extract.recognition.recognise import PIPELINE, Recogniser, recognise
from newskg.extract.recognition.reporters import byline_mentions, reported
from newskg.extract.records import Article, ArticleResult, Mention, Relation
from newskg.extract.resolution.relations import relations as find_relations
from newskg.extract.resolution.resolve import resolve


def unload() -> int:
    """Empty every cache of the extractor's modules (the lexicons, the model, the segmenter's dictionary,
    the per-word caches); each loads again when next used. Returns the number of entries dropped.

    A build calls it once its articles are extracted, so that the writers, and the processes they
    fork, do not carry what only extraction needs (about 90 MiB, issue #21).

    >>> _ = extract_article(Article(id="a", source="", title="", text="习近平在北京。"))
    >>> unload() > 0, unload()
    (True, 0)
    """
    dropped = 0
    for name, module in list(sys.modules.items()):
        if name.startswith("newskg.extract.") and module is not None:
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)) and callable(
                    getattr(value, "cache_info", None)
                ):
                    dropped += value.cache_info().currsize
                    value.cache_clear()
    return dropped


def extract_article(article: Article, pipeline: Sequence[Recogniser] = PIPELINE) -> ArticleResult:
    """Sentences, resolved mentions (all types) and relations of one article.

    ``pipeline``: the recognisers to run (:data:`~.recognise.PIPELINE` unless given), each a
    function ``Doc -> list[Mention]``.

    Examples
    --------
    >>> r = extract_article(Article(id="a1", source="", title="", text="他在北京。他回到上海。"))
    >>> len(r.sentences), r.article_id
    (2, 'a1')

    Mentions in the headline have offsets into ``article.title`` and ``attrs["field"] == "title"``;
    the byline's people and agencies come last, ``field: byline`` (:mod:`.reporters`):

    >>> a = Article(id="a2", source="", title="全总召开会议", text="中华全国总工会召开会议。")
    >>> r = extract_article(a)
    >>> [(m.text, m.label, m.attrs.get("field")) for m in r.mentions]
    [('中华全国总工会', '中华全国总工会', None), ('全总', '中华全国总工会', 'title')]
    """
    report = Report()
    if not article.title:
        mentions = resolve(recognise(article, pipeline), article, report)
        return _result(article, mentions, find_relations(mentions, article), report)
    # The headline is resolved together with the text, as a last line after it, so that a
    # short form in the headline (密云区总工会) gets the full name the text gives; then its
    # mentions are moved back to offsets into the title and marked ``field: title``.
    k = len(article.text) + 1
    both = replace(article, text=f"{article.text}\n{article.title}")
    headline = recognise(replace(article, text=article.title), pipeline)
    found = recognise(article, pipeline) + [replace(m, start=m.start + k, end=m.end + k) for m in headline]
    mentions = []
    for m in resolve(found, both, report):
        if m.start >= k:
            m = replace(m, start=m.start - k, end=m.end - k, attrs={**m.attrs, "field": "title"})
        mentions.append(m)
    rels = find_relations([m for m in mentions if "field" not in m.attrs], article)
    return _result(article, mentions, rels, report)


def _result(article: Article, mentions: list[Mention], rels: list[Relation], report: Report) -> ArticleResult:
    """The result of an article, its byline people and agencies added."""
    rels = rels + reported(article, mentions)
    mentions = mentions + byline_mentions(article)
    return ArticleResult(
        article.id, split_sentences(article), mentions, rels, dict(report.counts), report.messages
    )


def mention_record(m: Mention) -> dict:
    """One mention as JSON: offsets, type, text, canonical ``label`` and ``entity_id``.

    ``recogniser`` names what found it (``tagger``, a rule such as ``people.byline`` or
    ``campaigns``, a resolution rule such as ``partial_name``, or ``byline``); ``field: title``
    when the offsets are into the headline, ``field: byline`` (and the ``role``) for a person
    or agency of the byline.

    >>> m = Mention("a1", 0, 2, "ORG", "全总", "中华全国总工会", "org-中华全国总工会", source="tagger")
    >>> mention_record(m)  # doctest: +NORMALIZE_WHITESPACE
    {'start': 0, 'end': 2, 'type': 'ORG', 'text': '全总', 'label': '中华全国总工会',
     'entity_id': 'org-中华全国总工会', 'recogniser': 'tagger'}
    """
    rec = {k: getattr(m, k) for k in _MENTION_KEYS}
    rec["recogniser"] = m.source
    field = m.attrs.get("field")
    if field in ("title", "byline"):
        rec["field"] = field
    if field == "byline":
        rec["role"] = m.attrs.get("role", "")
    return rec


_MENTION_KEYS = ("start", "end", "type", "text", "label", "entity_id")


def mention_records(article: Article, report: Report | None = None) -> list[dict]:
    """The mentions of ``article`` as :func:`mention_record` dicts, in the order a build keeps them.

    The result's counts and warnings go into ``report`` when given.
    """
    result = extract_article(article)
    if report is not None:
        report.counts.update(result.counts)
        report.replay(result.warnings)
    return [mention_record(m) for m in result.mentions]


def extract_paths(paths: Iterable[str | Path], report: Report | None = None) -> Iterator[dict]:
    """One record per article of ``paths`` (files, directories or globs, as ``newskg build``).

    A near-duplicate of an earlier article is counted (``duplicates``) and not extracted, as in
    a build: its text is the earlier article's.
    """
    for a in ingest(paths, report=report):
        if a.duplicate_of:
            if report is not None:
                report.count("duplicates")
            continue
        yield {"id": a.id, "source": a.source, "title": a.title, "mentions": mention_records(a, report)}


def extract_jsonl(path: str | Path) -> Iterator[dict]:
    """One record per line ``{"id", "text", ...}`` of ``path``; a bad line is a one-line UserError."""
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {path}: {exc}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text = row["text"]
            if not isinstance(text, str):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            raise UserError(f"{path}:{n}: not a JSON object with a string 'text'") from None
        aid = str(row.get("id", n))
        yield {"id": row.get("id", aid), "mentions": mention_records(Article(aid, str(path), "", text))}


def write_jsonl(records: Iterable[dict], out: str | Path) -> int:
    """Write ``records`` as JSON Lines to ``out`` (replaced only when all are written); the count."""
    out = Path(out)
    tmp = out.with_name(out.name + ".tmp")
    n = 0
    try:
        with tmp.open("w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
                n += 1
        tmp.replace(out)
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return n
