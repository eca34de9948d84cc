"""A cache of per-article extraction results, keyed by content, in one SQLite file.

The key is :func:`newskg.graph.building.extraction.content_key`: a hash of the article's content and
of the extractor's source and data files, so an unchanged article is never extracted
twice and any change to the recogniser or resolver invalidates everything. Results
are written a batch per transaction (WAL journal): a build killed at any moment
leaves the file consistent, holding every batch committed before the kill.

The file lives in the output directory as ``cache.sqlite``. Because a build swaps
in a fresh output directory (:func:`newskg.graph.export.atomic.atomic_dir`), :func:`carry_over`
hard-links the closed cache into the new directory just before the swap.

Beside it, ``build-state.json`` (:class:`BuildState`) keeps the aggregated counts of
the build (a first line of JSON, then a line for each co-mention pair), so that a rebuild
after files were added re-reads neither the cached results of the others nor their text (see
:func:`graph.building.build.build` and :mod:`graph.building.update`). It is JSON, not a pickle
(:mod:`newskg.graph.building.state`): reading a build never runs code it holds.

>>> import tempfile, pathlib
>>> with ResultCache(pathlib.Path(tempfile.mkdtemp()) / "cache.sqlite") as c:
...     c.put_many([("k1", b"blob")])
...     c.get_many(["k1", "k2"])
{'k1': b'blob'}
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from newskg.graph.building import entityspill, pairspill, relations
from newskg.graph.building.state import (
    aggregate_doc,
    aggregate_of,
    dump,
    dumps,
    entity_of,
    entity_row,
    original_of,
    original_row,
    pair_of,
    pair_row,
    relation_of,
    relation_row,
    seen_doc,
    seen_of,
)

NAME = "cache.sqlite"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, blob BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
)


class ResultCache:
    """Encoded :class:`~newskg.graph.building.extraction.ArticleResult` blobs by content key.

    Results of another extractor ``version`` are dropped when the cache is opened, so
    the file holds one version only. A corrupt file is replaced by an empty cache (it
    only costs time); one that cannot be opened now (a full disk) is left as it is.
    """

    def __init__(self, path: str | Path, version: str = "") -> None:
        self.path = Path(path)
        try:
            self.db = self._open(version)
        except sqlite3.OperationalError:  # a full disk, a lock: the file is fine, keep it (issue #20)
            raise
        except sqlite3.DatabaseError:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self.db = self._open(version)

    def _open(self, version: str) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(_SCHEMA)
        row = db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()
        if row is None or row[0] != version:
            db.execute("BEGIN")
            db.execute("DELETE FROM results")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (version,))
            db.execute("COMMIT")
        return db

    def get_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        """The cached blobs of those ``keys`` that are present."""
        out: dict[str, bytes] = {}
        for i in range(0, len(keys), 500):
            chunk = list(keys[i : i + 500])
            marks = ",".join("?" * len(chunk))
            out.update(self.db.execute(f"SELECT key, blob FROM results WHERE key IN ({marks})", chunk))
        return out

    def put_many(self, items: Iterable[tuple[str, bytes]]) -> None:
        """Store ``(key, blob)`` pairs in one transaction."""
        items = list(items)
        if not items:
            return
        self.db.execute("BEGIN")
        self.db.executemany("INSERT OR REPLACE INTO results (key, blob) VALUES (?, ?)", items)
        self.db.execute("COMMIT")

    def close(self) -> None:
        """Checkpoint the journal into the file and close it."""
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.close()

    def __enter__(self) -> ResultCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def cache_path(out: Path, tmp: Path) -> Path:
    """Where a build into ``tmp`` (to become ``out``) keeps its cache: the previous output's if any."""
    prev = out / NAME
    return prev if prev.is_file() else tmp / NAME


def carry_over(path: Path, tmp: Path) -> None:
    """Put the closed cache at ``path`` into the new output directory ``tmp`` (a hard link if possible)."""
    if path != tmp / NAME:
        link_or_copy(path, tmp / NAME)


def link_or_copy(src: Path, dst: Path) -> None:
    """Make ``dst`` the file ``src`` (if it exists): a hard link where possible, else a copy."""
    if not src.is_file():
        return
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


STATE = "build-state.json"
# A file name that is not UTF-8 holds lone surrogates (os.fsdecode): written as \udcNN, which
# in a JSON string is the escape json.loads reads back as that surrogate (a raw backslash of the
# data is always escaped as \\ by json.dumps, so nothing else is read differently).
JSON_ERRORS = "backslashreplace"
# 2: the pairs a line each, after the rest; 3: the entities and relations too, before the pairs;
# 4: the near-duplicate index's originals too, before the entities (issue #21)
_FORMAT = "newskg-build-state/4"
SEEN_SPILL = ".near-duplicates.sqlite"  # a build's near-duplicate index, beside the pairs' scratch file
# One input file as a build read it: resolved path, size in bytes, modification time in ns.
FileStamp = tuple[str, int, int]


def stamp(path: Path) -> FileStamp:
    """The :data:`FileStamp` of ``path`` now."""
    st = path.stat()
    return (str(path.resolve()), st.st_size, st.st_mtime_ns)


def files_after(old: Sequence[FileStamp], files: Sequence[Path]) -> list[Path] | None:
    """``files`` after the first ``len(old)``, if those are the files stamped ``old``, unchanged; else None.

    >>> import tempfile, pathlib
    >>> a = pathlib.Path(tempfile.mkdtemp()) / "a.txt"; _ = a.write_text("甲")
    >>> b = a.with_name("b.txt"); _ = b.write_text("乙")
    >>> [p.name for p in files_after([stamp(a)], [a, b])], files_after([stamp(b)], [a, b])
    (['b.txt'], None)
    """
    if len(files) < len(old) or any(stamp(f) != s for f, s in zip(files, old, strict=False)):
        return None
    return list(files[len(old) :])


@dataclass
class BuildState:
    """What a build aggregated, saved beside its outputs so the next build can start from it.

    ``files`` are the input files the build read, in order, as :data:`FileStamp`: when the
    next build's files begin with the same files, unchanged (same size and modification
    time), :attr:`aggregate` (taken before relation targets were added) stands for them,
    ``seen`` (ids and the near-duplicate index, :class:`newskg.extract.ingestion.ingest.Seen`) lets ingest go
    on with the files after them, and their ``articles.jsonl`` and ``mentions.jsonl`` lines
    (``sizes`` bytes) are kept. ``counts`` and ``messages`` are what the build reported;
    ``exports`` the options the exports were written with (:func:`newskg.graph.building.update.refresh`).
    """

    version: str
    options: tuple
    files: list[FileStamp]
    seen: object
    sizes: tuple[int, int]
    counts: Counter
    messages: list[str]
    aggregate: object
    exports: dict = field(default_factory=dict)  # how the exports were written: min_weight, top


def save_state(path: Path, state: BuildState) -> None:
    """Write ``state`` to ``path`` (a file of the build's output) as JSON, replacing it atomically."""
    doc = {
        "format": _FORMAT,
        "version": state.version,
        "options": [state.options[0], list(state.options[1]), state.options[2]],
        "files": state.files,
        "seen": seen_doc(state.seen),
        "sizes": state.sizes,
        "counts": state.counts,
        "messages": state.messages,
        "aggregate": aggregate_doc(state.aggregate, rows=False),
        "exports": state.exports,
        # lines of near-duplicate originals, of entities, then of relations, then a pair a line
        "originals": len(state.seen.dedup),
        "entities": len(state.aggregate.entities),
        "relations": len(state.aggregate.rels),
    }
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", errors=JSON_ERRORS) as f, _no_gc():
        dump(doc, f)
        for original in state.seen.dedup.originals():
            f.write("\n" + dumps(original_row(original)))
        for eid, st in state.aggregate.entities.first_seen():
            f.write("\n" + dumps(entity_row(eid, st)))
        for r, n in state.aggregate.rels.first_seen():
            f.write("\n" + dumps(relation_row(r, n)))
        for pair, st in state.aggregate.cooc.first_seen():
            f.write("\n" + dumps(pair_row(pair, st)))
        f.write("\n")
    os.replace(tmp, path)


def _state_of(doc: dict, seen: Path | None = None) -> BuildState:
    """The :class:`BuildState` of a :func:`save_state` document (KeyError, TypeError, ValueError if not),
    without the rows that follow it; its near-duplicate index in the SQLite file ``seen`` (in memory
    if None)."""
    if doc["format"] != _FORMAT:
        raise ValueError("not a build state of this newskg")
    window, keep, evidence = doc["options"]
    state = BuildState(
        str(doc["version"]),
        (window, tuple(keep), evidence),
        [(str(p), int(n), int(t)) for p, n, t in doc["files"]],
        None,
        tuple(doc["sizes"]),
        Counter(doc["counts"]),
        [str(m) for m in doc["messages"]],
        aggregate_of(doc["aggregate"]),
        dict(doc["exports"]),
    )
    state.seen = seen_of(doc["seen"], seen)  # last: it may open a file
    return state


def close_state(state: BuildState) -> None:
    """Close the scratch files of a state loaded with a ``spill`` (:func:`load_state`), which deletes them."""
    state.aggregate.close_spills()
    state.seen.dedup.close()


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the garbage collector: a state makes or walks millions of small objects, none garbage."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def load_state(
    path: Path, version: str | None, options: tuple | None, spill: Path | None = None
) -> BuildState | None:
    """The state saved at ``path`` by a build of the same extractor ``version`` and ``options``, or None.

    ``version`` and ``options`` None take the state of any build. With ``spill``, the co-mention
    pairs go to that SQLite file as they are read, :data:`~newskg.graph.building.pairspill.SPILL_PAIRS`
    at a time, the entities and relations to files beside it
    (:meth:`~newskg.graph.building.aggregate.Aggregate.spill_to`; issue #21: the whole state of
    50,000 generated articles took 2.6 GB once loaded), and the near-duplicate index to
    :data:`SEEN_SPILL` beside it; the caller closes them (:func:`close_state`), which deletes them.

    The file is JSON (:mod:`newskg.graph.building.state`), so a crafted one cannot run code: at worst it is
    not a state. A missing, stale or unreadable file is ignored: the build aggregates from the cache.
    The entries of the journal beside it (:class:`Added`, by ``newskg build --update``) are
    applied to it in order.
    The garbage collector is paused while the millions of small objects are made (it
    would scan them again and again: 4.1 s against 1.5 s for the pickled state of 10,000 articles).
    """
    state = None
    try:
        with open(path, encoding="utf-8") as f, _no_gc():
            doc = json.loads(f.readline())  # the state but its rows, one line
            state = _state_of(doc, None if spill is None else spill.with_name(SEEN_SPILL))
            if (version is not None and state.version != version) or (
                options is not None and state.options != options
            ):
                close_state(state)
                return None
            dedup = state.seen.dedup
            for line in islice(f, int(doc["originals"])):  # an original a line, in the order added
                dedup.add_original(*original_of(json.loads(line)))
            agg = state.aggregate
            if spill is not None:
                agg.spill_to(spill)
            entities = agg.entities
            for line in islice(f, int(doc["entities"])):  # an entity a line, in the order first seen
                eid, st = entity_of(json.loads(line))
                entities.stats[eid] = st
                entities.spill_if_full(entityspill.SPILL_ENTITIES)
            rels = agg.rels
            for line in islice(f, int(doc["relations"])):  # a relation a line, in the order first seen
                r, n = relation_of(json.loads(line))
                rels.found[(r.kind, r.source, r.target)] = [r, n]
                rels.spill_if_full(relations.SPILL_RELATIONS)
            cooc = agg.cooc
            for line in f:  # a pair a line, in the order first seen
                pair, st = pair_of(json.loads(line))
                cooc.pairs[pair] = st
                cooc.spill_if_full(pairspill.SPILL_PAIRS)
        entries = list(_journal(path.with_name(JOURNAL)))
        for entry in entries:
            _apply(state, entry)
        if entries:
            state.aggregate.prune_titles()
    except (OSError, KeyError, IndexError, TypeError, ValueError, RecursionError, sqlite3.Error):
        if state is not None and state.seen is not None:
            close_state(state)
        return None  # not a state (or one of an older newskg, or a damaged one)
    return state


JOURNAL = "build-state.journal"
# A journal longer than this share of the state is folded into it (the state written whole).
JOURNAL_SHARE = 0.1


@dataclass
class Added:
    """One entry of the journal: what ``newskg build --update`` added to the state before it.

    ``aggregate`` counts the added articles only, merged into the state's when it is loaded;
    ``articles`` are the ``(id, text)`` of every added article, in order, given again to the
    near-duplicate index; the other fields replace the state's.
    """

    files: list[FileStamp]
    sizes: tuple[int, int]
    counts: Counter
    messages: list[str]
    aggregate: object
    articles: list[tuple[str, str]]


def journal_line(entry: Added) -> bytes:
    """One line of the journal: ``entry`` as JSON (see :mod:`newskg.graph.building.state`)."""
    doc = {
        "files": entry.files,
        "sizes": entry.sizes,
        "counts": entry.counts,
        "messages": entry.messages,
        "aggregate": aggregate_doc(entry.aggregate),
        "articles": entry.articles,
    }
    return (dumps(doc) + "\n").encode("utf-8", JSON_ERRORS)


def _journal(path: Path) -> Iterator[Added]:
    """The entries of the journal at ``path``, in order (none if there is none)."""
    if not path.is_file():
        return
    with open(path, encoding="utf-8") as f, _no_gc():
        for line in f:
            doc = json.loads(line)
            yield Added(
                [(str(p), int(n), int(t)) for p, n, t in doc["files"]],
                tuple(doc["sizes"]),
                Counter(doc["counts"]),
                [str(m) for m in doc["messages"]],
                aggregate_of(doc["aggregate"]),
                [(str(a), str(t)) for a, t in doc["articles"]],
            )


def _apply(state: BuildState, entry: Added) -> None:
    state.aggregate.merge(entry.aggregate, prune=False)
    for aid, text in entry.articles:
        state.seen.ids.add(aid)
        state.seen.dedup.add(aid, text)
    state.files, state.sizes, state.counts, state.messages = (
        entry.files,
        entry.sizes,
        entry.counts,
        entry.messages,
    )


def journal_full(path: Path, entry: bytes) -> bool:
    """Whether the journal beside the state at ``path``, ``entry`` (a :func:`journal_line`) added,
    should be folded in."""
    journal = path.with_name(JOURNAL)
    size = journal.stat().st_size if journal.is_file() else 0
    return size + len(entry) > JOURNAL_SHARE * (path.stat().st_size if path.is_file() else 0)


def append_journal(path: Path, entry: bytes) -> None:
    """Add a :func:`journal_line` to the journal beside the state at ``path``, atomically.

    The journal is short (see :data:`JOURNAL_SHARE`), so it is copied with the entry added
    and renamed over the old one: a kill leaves the old journal or the new, never a torn one.
    """
    journal = path.with_name(JOURNAL)
    tmp = journal.with_name(JOURNAL + ".tmp")
    with open(tmp, "wb") as f:
        if journal.is_file():
            f.write(journal.read_bytes())
        f.write(entry)
    os.replace(tmp, journal)
