"""The saved counts of a build as JSON: data that cannot run code when it is read.

``build-state.pickle`` ran any code a crafted file held, on ``newskg build`` and, once
``STALE.txt`` was there, on ``newskg query`` and ``newskg serve`` (issue #20): a user who
queried a build someone sent them was exposed. The state is now plain JSON, records as rows
of field values (as :func:`newskg.graph.building.extraction.encode_result` does for the cache), and the
near-duplicate signatures a base64 string of their ``uint32`` bytes; a file that is not such
a document is not a state, whatever it holds.

>>> from newskg.graph.building.aggregate import Aggregate
>>> agg = Aggregate()
>>> agg.cooc.add_window("a1", "甲与乙。", {"x", "y"})
>>> aggregate_of(json.loads(dumps(aggregate_doc(agg)))) == agg
True
>>> import io
>>> f = io.StringIO()
>>> dump(aggregate_doc(agg), f)  # the same text, its rows made one at a time
>>> f.getvalue() == dumps(aggregate_doc(agg))
True
>>> seen = Seen({"a1"})
>>> seen.dedup.add("a1", "短讯")  # too short for shingles: indexed by its exact content
>>> again = seen_of(json.loads(json.dumps(seen_doc(seen))))
>>> again.ids, again.dedup.add("a2", "短讯。")
({'a1'}, 'a1')
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import astuple, fields
from pathlib import Path
from typing import IO

from newskg.extract.ingestion.dedup import NUM_PERM, NearDuplicates
from newskg.extract.ingestion.ingest import Seen
from newskg.extract.records import Relation
from newskg.graph.building.aggregate import Aggregate
from newskg.graph.building.cooccurrence import Cooccurrence, PairStats
from newskg.graph.building.nodes import Entities, EntityStats
from newskg.graph.building.relations import Relations

_RELATION_FIELDS = len(fields(Relation))


def aggregate_doc(agg: Aggregate, rows: bool = True) -> dict:
    """A JSON-ready document of ``agg`` (lists in the aggregate's own order); without its entities and
    co-mention pairs when ``rows`` is False (a saved state gives them a line each: :func:`entity_row`,
    :func:`pair_row`).

    Its long lists are iterators, each row made when :func:`dump` writes it: a copy of the whole
    aggregate as rows, and its text, were the build's largest peak of memory (issue #21).
    """
    c = agg.cooc
    cooc = {"evidence_n": c.evidence_n, "windows": c.windows}
    cooc["entity_windows"] = c.windows_first_seen()
    doc = {"window": agg.window, "keep": sorted(agg.keep), "evidence": agg.evidence}
    if rows:
        doc["entities"] = (entity_row(eid, st) for eid, st in agg.entities.first_seen())
        cooc["pairs"] = (pair_row(pair, st) for pair, st in c.first_seen())
    doc["cooc"] = cooc
    if rows:
        doc["rels"] = (relation_row(r, n) for r, n in agg.rels.first_seen())
    doc["titles"] = iter(agg.titles.items())
    return doc


def entity_row(eid: str, st: EntityStats) -> list:
    """One entity and its counts as a JSON-ready row (:func:`entity_of` reads it).

    >>> row = entity_row("org-甲", EntityStats("ORG", "甲", Counter({"甲": 2}), 2))
    >>> eid, st = entity_of(json.loads(dumps(row)))
    >>> eid, st.label, st.aliases, st.mentions
    ('org-甲', '甲', Counter({'甲': 2}), 2)
    """
    counts = [st.mentions, st.articles, st.first_date, st.last_date, st.code]
    return [eid, st.type, st.label, list(st.aliases.items()), *counts]


def entity_of(row: list) -> tuple[str, EntityStats]:
    """The id and counts of a row of :func:`entity_row`."""
    return row[0], EntityStats(row[1], row[2], Counter(dict(row[3])), *row[4:9])


def relation_row(r: Relation, articles: int) -> list:
    """One relation and its articles as a JSON-ready row (:func:`relation_of` reads it)."""
    return [*astuple(r), articles]


def relation_of(row: list) -> tuple[Relation, int]:
    """The relation and articles of a row of :func:`relation_row`."""
    return Relation(*row[:_RELATION_FIELDS]), row[_RELATION_FIELDS]


def pair_row(pair: tuple[str, str], st: PairStats) -> list:
    """One co-mention pair and its counts as a JSON-ready row (:func:`pair_of` reads it).

    >>> pair_of(json.loads(dumps(pair_row(("x", "y"), PairStats(2, 1, ("a1", "甲乙。"), "a1")))))
    (('x', 'y'), PairStats(count=2, articles=1, sentences=('a1', '甲乙。'), last_article='a1'))
    """
    return [pair[0], pair[1], st.count, st.articles, st.last_article, [list(e) for e in st.evidence]]


def pair_of(row: list) -> tuple[tuple[str, str], PairStats]:
    """The pair and counts of a row of :func:`pair_row`."""
    a, b, count, articles, last, evidence = row
    return (a, b), PairStats(count, articles, tuple(x for e in evidence for x in e), last)


def aggregate_of(doc: dict) -> Aggregate:
    """The :class:`Aggregate` of a document of :func:`aggregate_doc` (no entities or pairs if it has none)."""
    stats = dict(map(entity_of, doc.get("entities", ())))
    c = doc["cooc"]
    pairs = dict(map(pair_of, c.get("pairs", ())))
    cooc = Cooccurrence(c["evidence_n"], c["windows"], Counter(dict(c["entity_windows"])), pairs)
    rels = Relations({(r.kind, r.source, r.target): [r, n] for r, n in map(relation_of, doc.get("rels", ()))})
    keep = frozenset(doc["keep"])
    return Aggregate(doc["window"], keep, doc["evidence"], Entities(stats), cooc, rels, dict(doc["titles"]))


def seen_doc(seen: Seen) -> dict:
    """A JSON-ready document of the ids and exact-content index of :class:`extract.ingestion.ingest.Seen`;
    its near-duplicate index's originals are rows of their own (:func:`original_row`)."""
    return {
        "ids": sorted(seen.ids),
        "exact": [[_b64(digest), aid] for digest, aid in seen.dedup.exact()],
    }


def seen_of(doc: dict, path: Path | None = None) -> Seen:
    """The :class:`newskg.extract.ingestion.ingest.Seen` of a document of :func:`seen_doc`, its
    near-duplicate index in the SQLite file ``path`` (in memory if None) and without originals yet
    (:func:`original_of` gives each)."""
    dedup = NearDuplicates(path)
    try:
        for digest, aid in doc["exact"]:
            dedup.add_exact(base64.b64decode(digest, validate=True), aid)
    except (KeyError, TypeError, ValueError):
        dedup.close()
        raise
    return Seen(set(doc["ids"]), dedup)


def original_row(original: tuple[str, int, bytes, bytes]) -> list:
    """One original of a near-duplicate index (``NearDuplicates.originals``) as a JSON-ready row: its
    id, shingle count, and signature and shingle sample as base64.

    >>> original_of(json.loads(dumps(original_row(("a1", 30, bytes(4 * NUM_PERM), b"\\x01\\x00")))))[::3]
    ('a1', b'\\x01\\x00')
    """
    aid, size, sig, sample = original
    return [aid, size, _b64(sig), _b64(sample)]


def original_of(row: list) -> tuple[str, int, bytes, bytes]:
    """The original of a row of :func:`original_row` (ValueError if its signature is not one)."""
    aid, size, sig, sample = row
    raw = base64.b64decode(sig, validate=True)
    if len(raw) != 4 * NUM_PERM:
        raise ValueError("not a near-duplicate signature")
    return str(aid), int(size), raw, base64.b64decode(sample, validate=True)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def dumps(doc: object) -> str:
    """One line of compact JSON (no NaN: a state holds none, and JSON has none); iterators are lists."""
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_listed)


def _listed(value: object) -> list:
    if isinstance(value, Iterator):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def dump(doc: object, f: IO[str]) -> None:
    """Write :func:`dumps` of ``doc`` to ``f``, the same text, a dict's item or an iterator's row at a time:
    neither the rows of an iterator nor the whole text are ever held."""
    if isinstance(doc, dict):
        f.write("{")
        for i, (key, value) in enumerate(doc.items()):
            f.write(("," if i else "") + dumps(str(key)) + ":")
            dump(value, f)
        f.write("}")
    elif isinstance(doc, Iterator):
        f.write("[")
        for i, row in enumerate(doc):
            f.write(("," if i else "") + dumps(row))
        f.write("]")
    else:
        f.write(dumps(doc))
