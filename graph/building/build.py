"""The whole pipeline in-process: paths in, a networkx graph (and its files) out.

>>> G = build([NEWS])  # in memory: no output folder
>>> G.nodes["org-中华全国总工会"]["aliases"]
'全总'
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import multiprocessing
import os
import queue
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from dataclasses import asdict
from pathlib import Path
from typing import IO

import networkx as nx
from newskg.extract import ENTITY_TYPES, Report, UserError
from newskg.extract.ingestion.dates import DateOptions
from newskg.extract.ingestion.dedup import NearDuplicates
from newskg.extract.ingestion.ingest import Seen, expand_paths, ingest
from newskg.extract.mentions import unload
from newskg.extract.recognition.recognise import Recogniser
from newskg.extract.records import Article
from newskg.graph.builddir import BuildDir
from newskg.graph.building.aggregate import Aggregate
from newskg.graph.building.analytics import add_analytics, add_analytics_db
from newskg.graph.building.assemble import assemble, assemble_db
from newskg.graph.building.cache import (
    SEEN_SPILL,
    STATE,
    BuildState,
    ResultCache,
    cache_path,
    carry_over,
    close_state,
    files_after,
    load_state,
    save_state,
    stamp,
)
from newskg.graph.building.cooccurrence import WINDOWS
from newskg.graph.building.extraction import extractor_version
from newskg.graph.building.pairspill import PAIRS_SPILL
from newskg.graph.building.parallel import dask_aggregate, die_with_parent, extract_stream, mention_lines
from newskg.graph.building.progress import QUIET, Progress
from newskg.graph.export.atomic import atomic_dir
from newskg.graph.export.export import (
    write_articles_table,
    write_gexf,
    write_graphml,
    write_node_link,
    write_tables,
)
from newskg.graph.export.graphdb import GraphDB, read_graph_db, reopened
from newskg.graph.export.html import OVERVIEW_MAX, write_html
from newskg.graph.export.rdf import write_rdf, write_vocabulary

# Writers run after the graph is assembled, each ``(G, out_dir, options) -> None``; ``G`` a networkx
# graph or a GraphDB view of the same (OUT/graph.sqlite), with the interface of the first that they use.
Writer = Callable[[nx.MultiDiGraph | GraphDB, Path, dict], None]


# The graph files, each a writer of its own, so that the processes of --jobs share them (issue #21).
def write_gexf_file(G: nx.MultiDiGraph, out: Path, options: dict) -> None:
    """``graph.gexf`` (:func:`.export.write_gexf`), its positions those of the overview's ``top`` nodes."""
    write_gexf(G, BuildDir(out).gexf, options.get("top"))


def write_graphml_file(G: nx.MultiDiGraph, out: Path, options: dict) -> None:
    """``graph.graphml`` (:func:`.export.write_graphml`)."""
    write_graphml(G, BuildDir(out).graphml)


def write_node_link_file(G: nx.MultiDiGraph, out: Path, options: dict) -> None:
    """``graph.json``, node-link JSON (:func:`.export.write_node_link`)."""
    write_node_link(G, BuildDir(out).node_link)


def write_table_files(G: nx.MultiDiGraph, out: Path, options: dict) -> None:
    """``entities.csv``, ``edges.csv`` and ``articles.csv`` (:func:`.export.write_tables`)."""
    write_tables(G, out)
    write_articles_table(out)


# The longest first, so that two processes share them evenly: at 10,000 generated articles the RDF
# took 109 s, the HTML 111 s and the graph files 28 s together, one process after another (issue #21).
WRITERS: tuple[Writer, ...] = (
    write_rdf,  # graph.ttl, graph.nt, graph.jsonld (issue #7)
    write_html,  # graph.html and entities/<id>.html (issue #8)
    write_gexf_file,
    write_graphml_file,
    write_node_link_file,
    write_table_files,  # entities.csv, edges.csv, articles.csv
    write_vocabulary,  # ontology.ttl, shapes.ttl: a build describes itself (issue #19)
)

# The outputs a build may go ``without`` (``newskg build --without rdf,html``): the two writers that
# take most of a large build's time and disk (issue #21), the RDF with the vocabulary that describes it.
# The tables and graph files stay: an update reads entities.csv, and graph.load reads graph.sqlite.
OPTIONAL: dict[str, tuple[Writer, ...]] = {"rdf": (write_rdf, write_vocabulary), "html": (write_html,)}


def check_without(without: Iterable[str]) -> list[str]:
    """The outputs to leave out, sorted; a one-line ``UserError`` for one that is not :data:`OPTIONAL`."""
    names = sorted(set(without))
    unknown = [n for n in names if n not in OPTIONAL]
    if unknown:
        raise UserError(f"--without takes {', '.join(OPTIONAL)}, not {unknown[0]!r}")
    return names


def exports_of(min_weight: int, top: int | None, without: Iterable[str] = ()) -> dict:
    """The options a build's exports are written with, as its state keeps them (an update must match).

    >>> exports_of(1, 5000), exports_of(2, None, ["html", "rdf"])
    ({'min_weight': 1, 'top': 5000}, {'min_weight': 2, 'top': None, 'without': ['html', 'rdf']})
    """
    names = check_without(without)
    return {"min_weight": min_weight, "top": top, **({"without": names} if names else {})}


def writers_of(options: dict) -> tuple[Writer, ...]:
    """:data:`WRITERS` less those of the outputs ``options["without"]`` names."""
    left_out = {w for n in options.get("without", ()) for w in OPTIONAL[n]}
    return tuple(w for w in WRITERS if w not in left_out)


class StrictFailure(UserError):
    """``strict=True`` and the run had warnings: no output was written (the CLI exits 1)."""


class NothingRead(UserError):
    """Every file was skipped (or held no article): no output was written (the CLI exits 1)."""


def _check_read(report: Report, out: str | Path | None) -> None:
    if report.counts["articles"]:
        return
    kept = f"; {out} was left as it was" if out is not None else ""
    n = len(report.messages)
    first = f" (warnings: {n}; the first: {report.messages[0]})" if n else ""
    raise NothingRead(f"nothing was read: no article in any input file{kept}{first}")


def _check_strict(report: Report, strict: bool, out: str | Path | None) -> None:
    if strict and report.messages:
        n = len(report.messages)
        kept = f", so {out} was left as it was" if out is not None else ""
        raise StrictFailure(
            f"--strict: {n} warning{'s' if n != 1 else ''}{kept} (fix the input or drop --strict);"
            f" the first: {report.messages[0]}"
        )


def _article_record(a: Article) -> dict:
    rec = asdict(a)
    rec["byline"] = [asdict(b) for b in a.byline]
    return rec


def build(
    paths: Iterable[str | Path],
    out: str | Path | None = None,
    *,
    window: str = "sentence",
    min_weight: int = 1,
    types: Iterable[str] | None = None,
    evidence: int = 3,
    top: int | None = OVERVIEW_MAX,
    report: Report | None = None,
    progress: bool = False,
    jobs: int = 1,
    dask_scheduler: str | None = None,
    cache: bool = True,
    strict: bool = False,
    dates: DateOptions | None = None,
    pipeline: Sequence[Recogniser] | None = None,
    graph: bool = True,
    without: Iterable[str] = (),
) -> nx.MultiDiGraph | None:
    """Run ingest, recognition, resolution and aggregation; write every output to ``out``.

    Parameters
    ----------
    paths : files, directories or globs of ``.txt``, ``.md`` or ``.jsonl`` articles.
    out : output directory, replaced atomically; None builds in memory only.
    window : ``sentence``, ``paragraph`` or ``article``: what counts as a co-mention.
    min_weight : drop co-mention edges seen fewer times than this.
    types : keep only entities of these types (default: all).
    evidence : evidence sentences kept per edge.
    top : keep the ``top`` most important nodes (by PageRank) in the HTML overview; None keeps all.
    jobs : extraction processes on this machine.
    dask_scheduler : ``tcp://HOST:PORT`` of a dask.distributed scheduler to extract and
        count co-mentions on instead (see :mod:`newskg.graph.building.parallel`).
    cache : reuse per-article results cached in ``out/cache.sqlite`` (see :mod:`newskg.graph.building.cache`);
        ``report.counts["cache_hits"]`` and ``["extracted"]`` say how many were reused.
    strict : raise :class:`StrictFailure` if there were warnings, before anything is written
        (``out`` keeps its previous content; only its extraction cache may gain entries).
    dates : dates given for the files (``--date``, ``--dates``): see :mod:`newskg.extract.ingestion.dates`.
    pipeline : the recognisers, each a module-level function ``Doc -> list[Mention]``, instead of
        the shipped :data:`~newskg.extract.recognition.recognise.PIPELINE`; such a build uses no
        cache (cached results are the shipped pipeline's).
        :class:`NothingRead` is raised the same way when no file held an article.
    graph : return the graph; False returns None (with ``out``, the graph is written to
        ``out/graph.sqlite`` and freed before the writers run, which read it from there: the
        build's memory does not hold it twice; ``True`` reads it back at the end).
    without : outputs to leave out, of :data:`OPTIONAL`: ``"rdf"`` (graph.nt, .ttl, .jsonld and
        the Oxigraph store) and ``"html"`` (graph.html, the entity and article pages).

    Returns
    -------
    The knowledge graph as a ``networkx.MultiDiGraph`` (edge key = edge kind), or None.

    Examples
    --------
    >>> G = build([NEWS], fresh_out(), window="sentence")
    >>> sorted({d["type"] for _, d in G.nodes(data=True)})
    ['CAMPAIGN', 'ORG', 'PLACE']
    """
    keep = check_options(window, types, jobs)
    exports = exports_of(min_weight, top, without)
    cache = cache and pipeline is None
    report = report if report is not None else Report()
    options = {"window": window, **exports, "report": report}
    agg = Aggregate(window, keep, evidence)
    stages = Progress(progress)
    run = {
        "report": report,
        "progress": stages,
        "jobs": jobs,
        "dask_scheduler": dask_scheduler,
        "dates": dates,
        "pipeline": pipeline,
    }
    if out is None:
        G = _run(paths, None, agg, min_weight, None, **run)
        _check_read(report, None)
        _check_strict(report, strict, None)
        return G
    with atomic_dir(out, paths) as tmp:
        path = cache_path(Path(out).resolve(), tmp)
        store = ResultCache(path, extractor_version()) if cache else None
        try:
            prev = Path(out).resolve() if cache else None
            _run(paths, tmp, agg, min_weight, store, prev=prev, exports=exports, skip=Path(out), **run)
            del agg  # spent: its counts are in graph.sqlite
        finally:
            if store is not None:
                store.close()
        _check_read(report, out)  # before the swap: OUT keeps its previous content
        _check_strict(report, strict, out)  # likewise a failed --strict build
        if store is not None:
            carry_over(path, tmp)
        # The graph is in tmp/graph.sqlite, and the writers read it there (issue #21).
        write_outputs(GraphDB(BuildDir(tmp).graphdb), tmp, options, jobs, stages)
    return read_graph_db(BuildDir(out).graphdb) if graph else None


def check_options(window: str, types: Iterable[str] | None, jobs: int) -> frozenset[str]:
    """The entity types to keep; a one-line ``UserError`` for a bad window, type or job count."""
    if window not in WINDOWS:
        raise UserError(f"--window must be one of {', '.join(WINDOWS)}, not {window!r}")
    keep = set(types) if types else set(ENTITY_TYPES)
    unknown = keep - set(ENTITY_TYPES)
    if unknown:
        raise UserError(f"unknown entity type {sorted(unknown)[0]!r}: use {', '.join(ENTITY_TYPES)}")
    if jobs < 1:
        raise UserError(f"--jobs must be at least 1, not {jobs}")
    return frozenset(keep)


def _next_writer(counter, writers: Sequence[Writer]) -> Writer | None:
    """The next of ``writers`` nobody has taken (``counter``: a shared integer), None when all are."""
    with counter.get_lock():
        i = counter.value
        counter.value += 1
    return writers[i] if i < len(writers) else None


def _forked_writers(
    parent: int, G: nx.MultiDiGraph, out: Path, options: dict, counter, done, writers: Sequence[Writer]
) -> None:
    """In a forked process (which inherits ``G``, nothing pickled): run writers until none is left,
    putting each one's name on the queue ``done``, then None; or the exception that stopped it."""
    die_with_parent(parent)
    G = reopened(G)
    try:
        while (writer := _next_writer(counter, writers)) is not None:
            writer(G, out, options)
            done.put(writer.__name__)
    except BaseException as exc:  # the parent raises it: a full disk is one line there too
        done.put(exc)
        return
    done.put(None)


def give_back_memory() -> None:
    """Collect garbage and hand the heap's free memory back to the system (glibc's ``malloc_trim``; elsewhere
    only the collection): the RSS of this process, and of any it forks, stops counting freed pages."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


def write_outputs(
    G: nx.MultiDiGraph, out: Path, options: dict, jobs: int = 1, progress: Progress = QUIET
) -> None:
    """Run the writers of :data:`WRITERS` on ``G`` into ``out`` (those of the outputs ``options["without"]``
    names left out: :func:`writers_of`); in ``jobs`` processes when ``jobs > 1``.

    The writers are independent (each reads ``G`` and the JSONL files of ``out``), so
    ``jobs - 1`` forked processes that inherit ``G`` and this one take them one after
    another, side by side; each file is the same. This process works too rather than wait:
    a forked process's RSS counts every page it shares with this one, so each fork
    adds the whole graph to the sum of the build's RSS (issue #21).
    """
    writers = writers_of(options)
    bar = progress.bar("write", len(writers), "writers")
    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for writer in writers:
            progress.line(f"write: {writer.__name__}")  # a line a writer where there is no bar
            writer(G, out, options)
            bar.update()
        bar.close()
        return
    give_back_memory()  # what the aggregate held, before the fork copies this process's page tables
    ctx = multiprocessing.get_context("fork")
    counter, done = ctx.Value("i", 0), ctx.Queue()
    args = (os.getpid(), G, out, options, counter, done, writers)
    forks = [ctx.Process(target=_forked_writers, args=args) for _ in range(min(jobs, len(writers)) - 1)]
    try:
        for f in forks:
            f.start()
        while (writer := _next_writer(counter, writers)) is not None:
            writer(G, out, options)
            progress.line(f"write: {writer.__name__} done")
            bar.update()
        running = len(forks)
        while running:
            exited = all(f.exitcode is not None for f in forks)  # before the wait: what it had sent is queued
            try:
                item = done.get(timeout=1)
            except queue.Empty:
                if exited or any(f.exitcode not in (None, 0) for f in forks):
                    codes = sorted({f.exitcode for f in forks}, key=str)
                    raise RuntimeError(
                        f"a writer process ended before its writers did (exit {codes})"
                    ) from None
                continue
            if isinstance(item, BaseException):
                raise item
            if item is None:
                running -= 1
            else:
                progress.line(f"write: {item} done")
                bar.update()
    finally:
        for f in forks:
            if f.pid is not None:
                f.join(timeout=0 if f.exitcode is not None else 5)
                if f.is_alive():
                    f.kill()
                    f.join()
        bar.close()


def _run(
    paths: Iterable[str | Path],
    tmp: Path | None,
    agg: Aggregate,
    min_weight: int,
    cache: ResultCache | None,
    *,
    report: Report,
    progress: Progress,
    jobs: int,
    dask_scheduler: str | None,
    dates: DateOptions | None = None,
    prev: Path | None = None,
    exports: dict | None = None,
    skip: Path | None = None,
    pipeline: Sequence[Recogniser] | None = None,
) -> nx.MultiDiGraph | None:
    """Read, extract and aggregate ``paths``: the graph when ``tmp`` is None, else None once it is
    written to ``tmp/graph.sqlite`` (with its analytics)."""
    walk = Report(echo=report.echo)  # the folders' warnings: not saved with the state, given at each build
    files = expand_paths(paths, walk, skip)
    # Stamped before they are read: a file changed during the build is read again next time.
    stamps = [stamp(f) for f in files]
    spill = tmp / PAIRS_SPILL if tmp is not None else None  # the co-mention pairs go to disk (issue #21)
    resumed = _resume(files, prev, agg, spill) if prev is not None else None
    seen = Seen(dedup=NearDuplicates(tmp / SEEN_SPILL if tmp is not None else None))
    if resumed is not None:
        seen.dedup.close()
        state, files = resumed
        agg, seen = state.aggregate, state.seen
        report.counts.update(state.counts)
        report.replay(state.messages)  # the saved build's warnings, shown again
    if spill is not None and agg.cooc.spill is None:
        agg.spill_to(spill)
    try:
        with ExitStack() as stack:
            out = BuildDir(tmp) if tmp else None
            arts_f = stack.enter_context(open(out.articles, "w", encoding="utf-8")) if out else None
            ments_f = stack.enter_context(open(out.mentions, "w", encoding="utf-8")) if out else None
            if resumed is not None and arts_f and ments_f:
                for name, f in (("articles.jsonl", arts_f), ("mentions.jsonl", ments_f)):
                    with open(prev / name, encoding="utf-8") as old:
                        shutil.copyfileobj(old, f, 1 << 20)
            bar = progress.bar("read and extract", len(files), "files")
            articles = ingest(files, report, seen=seen, on_file=lambda _: bar.update(), dates=dates)
            agg = aggregate(
                articles, agg, cache, report, arts_f, ments_f, jobs, dask_scheduler, pipeline=pipeline
            )
            bar.close()
        if tmp is not None and cache is not None:
            agg.prune_titles()
            sizes = (BuildDir(tmp).articles.stat().st_size, BuildDir(tmp).mentions.stat().st_size)
            done = Counter(report.counts)
            done["cache_hits"] += done.pop("extracted", 0)  # next time, all of these come from the state
            state = BuildState(
                extractor_version(), state_options(agg), stamps, seen, sizes, done, list(report.messages), agg
            )
            state.exports = dict(exports or {})
            save_state(tmp / STATE, state)  # before relation targets are added to the entities
        seen.dedup.close()  # saved: the near-duplicate index is not held through the graph
        seen = state = resumed = None
        report.counts.update(walk.counts)
        report.messages.extend(walk.messages)  # echoed as they came (walk's echo is the report's)
        if tmp is None:
            return graph_of(agg, min_weight, report.counts, progress)
        graph_file_of(agg, min_weight, report.counts, BuildDir(tmp).graphdb, progress)
        return None
    finally:  # scratch files: never part of the build's output
        agg.close_spills()
        if seen is not None:
            seen.dedup.close()


def aggregate(
    articles: Iterable[Article],
    agg: Aggregate,
    cache: ResultCache | None,
    report: Report,
    arts_f: IO[str] | None = None,
    ments_f: IO[str] | None = None,
    jobs: int = 1,
    dask_scheduler: str | None = None,
    touched: set[str] | None = None,
    pipeline: Sequence[Recogniser] | None = None,
) -> Aggregate:
    """Extract ``articles`` (from ``cache`` where it has them) and count them into ``agg``; return it.

    Every article's line goes to ``arts_f`` and its mentions' lines to ``ments_f``;
    near-duplicates are counted (``duplicates``) and not extracted. The ids of the entities
    mentioned are added to ``touched`` when given (not with ``dask_scheduler``).
    """

    def originals() -> Iterable[Article]:
        for art in articles:
            report.count("articles")
            if arts_f:
                arts_f.write(json.dumps(_article_record(art), ensure_ascii=False) + "\n")
            if art.duplicate_of:
                report.count("duplicates")
                continue
            yield art

    if dask_scheduler:
        return dask_aggregate(originals(), dask_scheduler, agg, cache, report, ments_f, pipeline=pipeline)
    for n, (art, result) in enumerate(extract_stream(originals(), cache, jobs, report, pipeline=pipeline), 1):
        mentions = agg.add(art, result)
        report.count("mentions", len(mentions))
        if ments_f:
            ments_f.write(mention_lines(mentions))
        if touched is not None:
            touched.update(m.entity_id for m in mentions)
        if n % 20000 == 0:
            agg.prune_titles()
    return agg


def graph_of(agg: Aggregate, min_weight: int, counts: Counter, progress: Progress = QUIET) -> nx.MultiDiGraph:
    """The graph of an aggregate, with its analytics (``counts``: the build's, for ``G.graph``).

    Adds the relations' targets to ``agg``'s entities and empties its co-mention pairs (each
    pair's counts and evidence go as its edge is made, so the two are not held at once):
    save the aggregate before.
    """
    with progress.stage(f"graph of {len(agg.entities):,} entities"):
        agg.prune_titles()
        agg.entities.add_relation_targets(agg.relation_targets())
        G = assemble(agg.entities, agg.cooc, agg.rels, agg.titles, min_weight, consume=True)
    with progress.stage(f"analytics (PageRank, betweenness, communities) of {len(G):,} entities"):
        add_analytics(G)
    G.graph.update(window=agg.window, articles=counts["articles"], duplicates=counts["duplicates"])
    return G


def graph_file_of(
    agg: Aggregate, min_weight: int, counts: Counter, path: Path, progress: Progress = QUIET
) -> None:
    """:func:`graph_of` written to the SQLite file ``path`` (:mod:`newskg.graph.export.graphdb`) a row at a
    time, and the analytics computed from it: the graph is never held whole (issue #21).

    Empties the aggregate (its counts are the file's): save it before.
    """
    with progress.stage(f"graph of {len(agg.entities):,} entities"):
        agg.prune_titles()
        agg.entities.add_relation_targets(agg.relation_targets())
        attrs = {"window": agg.window, "articles": counts["articles"], "duplicates": counts["duplicates"]}
        assemble_db(path, attrs, agg.entities, agg.cooc, agg.rels, agg.titles, min_weight)
        n = len(agg.entities)
        agg.entities.stats.clear()
        agg.cooc.entity_windows.clear()
        agg.rels.found.clear()
        agg.titles.clear()
        unload()  # the lexicons and the model: the writers do not need them
        give_back_memory()
    with progress.stage(f"analytics (PageRank, betweenness, communities) of {n:,} entities"):
        add_analytics_db(path)


def state_options(agg: Aggregate) -> tuple:
    """The options an aggregate was counted with: a saved state applies only to the same ones."""
    return (agg.window, tuple(sorted(agg.keep)), agg.evidence)


def _resume(
    files: list[Path], prev: Path, agg: Aggregate, spill: Path | None
) -> tuple[BuildState, list[Path]] | None:
    """The previous build's state and the files after its own, when the corpus only grew by files at its end.

    The state applies when it was saved by the same extractor with the same options, its
    JSONL files are as it left them, and the first of ``files`` are the files it read,
    unchanged (:func:`newskg.graph.building.cache.files_after`). Nothing is read but the state;
    its pairs go to the file ``spill`` (see :func:`~newskg.graph.building.cache.load_state`).
    """
    state = load_state(prev / STATE, extractor_version(), state_options(agg), spill)
    if state is None:
        return None
    new = files_after(state.files, files) if jsonl_sizes(prev) == state.sizes else None
    if new is None:
        close_state(state)
    return None if new is None else (state, new)


def jsonl_sizes(out: Path) -> tuple[int, int] | None:
    """Sizes of ``articles.jsonl`` and ``mentions.jsonl`` in ``out`` (None if one is missing)."""
    try:
        return (BuildDir(out).articles.stat().st_size, BuildDir(out).mentions.stat().st_size)
    except OSError:
        return None
