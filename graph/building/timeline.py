"""Months of a build: co-mentions of each edge and mentions of each entity, counted by month.

The explorer's time filter and the entity pages' timelines read these. An article's month is
the year and month of its ``date`` (``2024-03-01`` -> ``2024-03``); an article dated without a
year (``--10-09``, as OCR'd pages often are) has none and is left out of the counts by month, so
a build with no dated article has no months at all and the pages show no time controls.

Counts are recounted from the build's ``articles.jsonl`` and ``mentions.jsonl`` with the
build's window (:func:`newskg.graph.building.cooccurrence.windows`), for the pairs asked only: when every
article is dated, an edge's counts by month add up to its weight.

>>> month_of("2024-03-01"), month_of("2024-03"), month_of("--10-09"), month_of(None)
('2024-03', '2024-03', '', '')
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Container, Iterable, Iterator
from itertools import combinations
from pathlib import Path
from typing import IO, TypeVar

from newskg.extract.ingestion.sentences import split_sentences
from newskg.extract.records import Article, Mention
from newskg.graph.builddir import BuildDir
from newskg.graph.building.cooccurrence import windows

# The corpus's months, co-mentions of pairs by month, mentions of entities by month.
Months = tuple[list[str], dict[tuple[str, str], Counter], dict[str, Counter]]
T = TypeVar("T")
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])(?:\D|$)")


def month_of(date: object) -> str:
    """The ``YYYY-MM`` of an ISO date, or "" when it has no year and month."""
    m = _MONTH.match(date) if isinstance(date, str) else None
    return f"{m.group(1)}-{m.group(2)}" if m else ""


def json_field(line: str, key: str) -> str | None:
    """The string value of ``key`` in a JSON line, found without parsing the line (None if absent).

    In a JSON line a quote inside a value is escaped, so ``"key": "`` can only start that key.
    """
    tag = f'"{key}": "'
    i = line.find(tag)
    if i < 0:
        return None
    i += len(tag)
    return line[i : line.find('"', i)]


def article_months(out: str | Path) -> dict[str, str]:
    """The month of each dated article of the build in ``out`` (near-duplicates left out).

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> lines = [{"id": "a1", "date": "2024-03-01"}, {"id": "a2", "date": "--10-09"}]
    >>> _ = (out / "articles.jsonl").write_text("".join(json.dumps(x) + "\\n" for x in lines))
    >>> article_months(out)
    {'a1': '2024-03'}
    """
    path = BuildDir(out).articles
    months: dict[str, str] = {}
    if not path.is_file():
        return months
    with open(path, encoding="utf-8") as f:
        for line in f:
            aid, month = json_field(line, "id"), month_of(json_field(line, "date"))
            if aid and month and json_field(line, "duplicate_of") is None:
                months[aid] = month
    return months


def jsonl_records(path: Path, key: str = "", wanted: Container[str] | None = None) -> Iterator[dict]:
    """The records of a build's JSONL file (objects only; a line that is not one is skipped),
    all of them or those whose string field ``key`` is in ``wanted``, or may be.

    A line is parsed only if the value after its first ``"key": "`` is wanted (or holds an
    escape, or is not found): an update's few entities skip most of a big file unparsed.
    """
    if not path.is_file():
        return
    with open(path, encoding="utf-8") as f:
        for line in f:
            value = json_field(line, key) if wanted is not None else None
            if value is not None and "\\" not in value and value not in wanted:
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(rec, dict):
                yield rec


def in_file_order(path: Path, items: Iterable[tuple[str, T]]) -> Iterator[tuple[dict, T]]:
    """Each ``(article id, item)`` of ``items`` with the article's record in the JSONL file at ``path``
    (articles without one are left out).

    The file is read forward once when ``items`` come in its order, as a build's mentions do
    against its articles; an article behind the reading point is looked for from the top again.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "articles.jsonl"
    >>> _ = path.write_text('{"id": "a1", "text": "x"}\\n{"id": "a2", "text": "y"}\\n')
    >>> [(rec["text"], n) for rec, n in in_file_order(path, [("a2", 1), ("a1", 2), ("a3", 3)])]
    [('y', 1), ('x', 2)]
    """
    if not path.is_file():
        return
    f = None
    try:
        for aid, item in items:
            for _ in range(2):  # forward from where the last one was, then once from the top
                f = f or open(path, encoding="utf-8")  # noqa: SIM115 (open across items; closed below)
                rec = _next_record(f, aid)
                if rec is not None:
                    yield rec, item
                    break
                f.close()
                f = None
    finally:
        if f is not None:
            f.close()


def _next_record(f: IO[str], aid: str) -> dict | None:
    """The record of article ``aid`` among the next lines of ``f`` (None at the end of the file)."""
    for line in f:
        value = json_field(line, "id")
        if value is not None and "\\" not in value and value != aid:
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(rec, dict) and rec.get("id") == aid:
            return rec
    return None


def edge_months(out: str | Path, pairs: Collection[tuple[str, str]], window: str = "sentence") -> Months:
    """The corpus's months, co-mentions of ``pairs`` by month, and mentions of their entities by month.

    ``pairs`` are unordered pairs of entity ids written in sorted order. Only the dated
    articles that mention one of these entities are read again.

    Examples
    --------
    >>> import tempfile
    >>> edge_months(tempfile.mkdtemp(), [("a", "b")])
    ([], {}, {})
    """
    out = Path(out)
    months = article_months(out)
    wanted = set(pairs)
    ids = {n for p in wanted for n in p}
    entities: dict[str, Counter] = defaultdict(Counter)

    def groups() -> Iterator[tuple[str, list[Mention]]]:
        """The wanted mentions of each dated article, an article at a time (its lines are consecutive)."""
        aid, found = None, []
        for rec in jsonl_records(BuildDir(out).mentions, "entity_id", ids):
            eid, at = rec.get("entity_id"), rec.get("article_id")
            if eid not in ids or at not in months:
                continue
            entities[eid][months[at]] += 1
            if at != aid and found:
                yield aid, found
                found = []
            aid = at
            attrs = {"field": "title"} if rec.get("field") == "title" else {}
            found.append(
                Mention(
                    at, int(rec.get("start", 0)), int(rec.get("end", 0)), "", "", entity_id=eid, attrs=attrs
                )
            )
        if found:
            yield aid, found

    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    # One article's mentions at a time: the overview's entities are most of a corpus's mentions (issue #21).
    for rec, mentions in in_file_order(BuildDir(out).articles, groups()):
        aid, text = rec.get("id"), rec.get("text")
        if not isinstance(text, str):
            continue
        spans = tuple(tuple(p) for p in rec.get("paragraphs") or () if isinstance(p, list) and len(p) == 2)
        article = Article(id=aid, source="", title="", text=text, paragraphs=spans)
        sentences = split_sentences(article) if window == "sentence" else []
        for _, found in windows(article, sentences, mentions, window):
            for pair in combinations(sorted(found), 2):
                if pair in wanted:
                    counts[pair][months[aid]] += 1
    return sorted(set(months.values())), dict(counts), dict(entities)
