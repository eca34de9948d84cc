"""Adding articles to a build in place, and refreshing its exports when they are read.

A clean build writes every file whole and swaps the new output directory in
(:func:`newskg.graph.building.build.build`). At scale that costs the whole build each time: PageRank,
betweenness, communities and NPMI are global, so one added article changes a row of
every table and a line of every export. :func:`update` is the other way to take new
articles in, for a corpus that grows every day:

- it reads only the files added after the build's own (the build's files are checked by
  size and modification time, never read again), extracts their articles (from the
  cache where it has them) and adds their counts to the saved ones: an entry of
  ``build-state.journal`` (:class:`newskg.graph.building.cache.Added`), applied when ``build-state.json``
  is loaded, or, once the journal passes a tenth of the state, the whole state written again;
- in place, it appends their lines to ``articles.jsonl`` and ``mentions.jsonl`` and
  rewrites the pages of the entities they mention (``entities/<id>.html``: links,
  weights, NPMI, evidence and mentions current; PageRank and the like as of the last
  full write, read from ``entities.csv``, 0 for a new entity);
- the whole-graph exports (the CSV tables, GraphML, GEXF, node-link JSON, RDF and the
  overview ``graph.html``) are not rewritten: ``STALE.txt`` marks them out of date, and
  :func:`refresh` rewrites them from the saved counts, byte for byte the files of a
  clean build of the same files. ``newskg refresh OUT`` runs it. Readers never write
  (issue #20: a query that refreshed during an update left a build of 824 articles of
  900): ``newskg query``, ``newskg serve`` and :func:`newskg.graph.export.export.load` refuse a stale
  build with a one-line error saying to run ``newskg refresh OUT`` (``load(out,
  ``graph.refresh(out)`` first). An update and a refresh hold the write lock of
  ``OUT`` (:func:`newskg.graph.export.atomic.writing`).

A killed update loses nothing: ``STALE.txt`` is written first, the counts last (the journal
or the state, renamed in), and the next run cuts the JSONL files back to the sizes the
saved counts record.

>>> from newskg.graph.building.build import build
>>> out, new = fresh_out(), Path(fresh_out().parent) / "new.txt"
>>> _ = new.write_text("新闻\\n\\n山东省总工会召开会议。\\n", "utf-8")
>>> _ = build([NEWS], out)
>>> update([NEWS, new], out)
Updated(files=1, articles=1, pages=1)
>>> G = refresh(out)
>>> "org-山东省总工会" in G
True
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from newskg.extract import Report, UserError
from newskg.extract.ingestion.dates import DateOptions
from newskg.extract.ingestion.ingest import expand_paths, ingest
from newskg.extract.records import Article
from newskg.graph.builddir import STALE, BuildDir
from newskg.graph.building.aggregate import Aggregate
from newskg.graph.building.analytics import comention_view
from newskg.graph.building.assemble import add_comention, assemble
from newskg.graph.building.build import (
    aggregate,
    check_options,
    exports_of,
    graph_file_of,
    jsonl_sizes,
    state_options,
    write_outputs,
)
from newskg.graph.building.cache import (
    JOURNAL,
    NAME,
    STATE,
    Added,
    BuildState,
    ResultCache,
    append_journal,
    close_state,
    files_after,
    journal_full,
    journal_line,
    link_or_copy,
    load_state,
    save_state,
    stamp,
)
from newskg.graph.building.extraction import extractor_version
from newskg.graph.building.pairspill import PAIRS_SPILL
from newskg.graph.building.progress import Progress
from newskg.graph.export.article_pages import write_article_pages
from newskg.graph.export.atomic import atomic_dir, writing
from newskg.graph.export.graphdb import GraphDB, read_graph_db
from newskg.graph.export.html import OVERVIEW_MAX
from newskg.graph.export.pages import ego_neighbours, write_entity_pages

# Node attributes computed over the whole graph: on pages an update writes, as of the last full write.
FROZEN = {"pagerank": float, "betweenness": float, "community": int}
# What a clean build's directory holds besides the exports, kept by a refresh.
_KEPT = (NAME, STATE, JOURNAL, BuildDir(".").articles.name, BuildDir(".").mentions.name)


class CannotUpdate(Exception):
    """The build in ``out`` cannot take the new files in place (the message says why)."""


@dataclass(frozen=True)
class Updated:
    """What :func:`update` did: input files and articles added, entity pages rewritten."""

    files: int
    articles: int
    pages: int


def update(
    paths: list[str | Path],
    out: str | Path,
    *,
    window: str = "sentence",
    min_weight: int = 1,
    types: list[str] | None = None,
    evidence: int = 3,
    top: int | None = OVERVIEW_MAX,
    report: Report | None = None,
    progress: bool = False,
    jobs: int = 1,
    dates: DateOptions | None = None,
    without: Iterable[str] = (),
) -> Updated:
    """Add the articles of the files after the build's own to the build in ``out``, in place.

    ``paths`` name the build's input files first, unchanged, then the new files (as a
    rebuild would be given them); the options must be the build's. Raises
    :class:`CannotUpdate`, having changed nothing, when that is not so or ``out`` holds no
    build state: then only a build (:func:`newskg.graph.building.build.build`) can take the new files in.

    The module's docstring has an example that runs.
    """
    keep = check_options(window, types, jobs)
    exports = exports_of(min_weight, top, without)
    out = Path(out)
    with writing(out):
        counted_with = state_options(Aggregate(window, keep, evidence))
        state = load_state(out / STATE, extractor_version(), counted_with, out / PAIRS_SPILL)
        if state is None:
            raise CannotUpdate(f"{out} holds no build state of this newskg with these options")
        try:
            report = report if report is not None else Report()
            options = (keep, window, min_weight, evidence, exports, report, progress, jobs, dates)
            return _update(paths, out, state, *options)
        finally:  # the scratch files of the pairs and entities (issue #21), deleted
            close_state(state)


def _update(
    paths: list[str | Path],
    out: Path,
    state: BuildState,
    keep: frozenset[str],
    window: str,
    min_weight: int,
    evidence: int,
    exports: dict,
    report: Report,
    progress: bool,
    jobs: int,
    dates: DateOptions | None,
) -> Updated:
    if state.exports != exports:
        raise CannotUpdate(f"{out} was built with other options ({state.exports})")
    if not _roll_back(out, state):
        raise CannotUpdate(f"the JSONL files of {out} are not its build's")
    walk = Report(echo=report.echo)  # the folders' warnings: not journaled, given at each update
    files = expand_paths(paths, walk, out)
    stamps = [stamp(f) for f in files]  # before they are read, as a build does
    new = files_after(state.files, files)
    if new is None:
        raise CannotUpdate(
            f"the first files given are not the {len(state.files)} files {out} was built from, unchanged"
        )
    if not new:
        report.counts.update(walk.counts)
        report.messages.extend(walk.messages)
        return Updated(0, 0, 0)
    _mark_stale(out)
    before = state.counts["articles"]
    report.counts.update(state.counts)
    report.replay(state.messages)  # the saved build's warnings, shown again
    touched: set[str] = set()
    added: list[tuple[str, str]] = []  # (id, text) of each article, for the near-duplicate index
    delta = Aggregate(window, keep, evidence)  # the added articles' counts, journaled
    with (
        ResultCache(out / NAME, extractor_version()) as cache,
        open(BuildDir(out).articles, "a", encoding="utf-8") as arts_f,
        open(BuildDir(out).mentions, "a", encoding="utf-8") as ments_f,
    ):
        bar = Progress(progress).bar("read and extract", len(new), "files")
        articles = _recorded(
            ingest(new, report, seen=state.seen, on_file=lambda _: bar.update(), dates=dates), added
        )
        aggregate(articles, delta, cache, report, arts_f, ments_f, jobs, None, touched)
        bar.close()
    delta.prune_titles()
    done = Counter(report.counts)
    done["cache_hits"] += done.pop("extracted", 0)
    sizes = jsonl_sizes(out)
    entry = journal_line(Added(stamps, sizes, done, list(report.messages), delta, added))
    agg = state.aggregate.merge(delta, prune=False)  # shares delta's objects: written out before
    path = out / STATE
    if journal_full(path, entry):  # the journal is folded in: the state is written whole
        state.files, state.sizes, state.counts, state.messages = stamps, sizes, done, list(report.messages)
        agg.prune_titles()
        save_state(staged := path.with_name(f"{STATE}.new"), state)  # before relation targets are added
        pages = _pages(out, agg, touched, min_weight, exports, added)
        # A kill between these two leaves the state before the journal: the next update adds its files again.
        path.with_name(JOURNAL).unlink(missing_ok=True)
        os.replace(staged, path)
    else:
        pages = _pages(out, agg, touched, min_weight, exports, added)  # before the entry: a kill redoes them
        append_journal(path, entry)
    report.counts.update(walk.counts)
    report.messages.extend(walk.messages)
    return Updated(len(new), report.counts["articles"] - before, pages)


def _pages(
    out: Path, agg: Aggregate, touched: set[str], min_weight: int, exports: dict, added: list[tuple[str, str]]
) -> int:
    """The touched entities' pages, then the added articles' (which link them); none in a build
    made ``without`` HTML. The number of entity pages written."""
    if "html" in exports.get("without", ()):
        return 0
    pages = _write_pages(out, agg, touched, min_weight)
    write_article_pages(out, [aid for aid, _ in added])  # after the entity pages they link
    return pages


def _recorded(articles: Iterable[Article], added: list[tuple[str, str]]) -> Iterator[Article]:
    for art in articles:
        added.append((art.id, art.text))
        yield art


def refresh(
    out: str | Path,
    *,
    jobs: int = 1,
    report: Report | None = None,
    progress: bool = False,
    graph: bool = True,
) -> nx.MultiDiGraph | None:
    """Rewrite every export of the build in ``out`` from its saved counts, atomically; return the graph.

    The files equal those of a clean build of the same input files with the same options.
    ``progress`` shows each stage (graph, analytics, writers) as a build does; ``graph=False``
    returns None rather than read the graph back (as :func:`newskg.graph.building.build.build`).
    Raises a one-line ``UserError`` when ``out`` holds no readable build state.

    Examples
    --------
    >>> from newskg.graph.building.build import build
    >>> out = fresh_out()
    >>> _ = build([NEWS], out)
    >>> G = refresh(out)
    >>> (out / "STALE.txt").exists(), G.number_of_nodes()
    (False, 11)
    """
    out = Path(out)
    with writing(out):
        none = f"{out} holds no newskg build state ({STATE}): build it again with newskg build"
        state = load_state(out / STATE, None, None, out / PAIRS_SPILL)
        if state is None:
            raise UserError(none)
        state.seen.dedup.close()  # nothing is ingested
        spilled = state.aggregate
        try:
            if not _roll_back(out, state):
                raise UserError(none)
            agg: Aggregate = state.aggregate
            options = {"window": agg.window, **state.exports, "report": report or Report()}
            with atomic_dir(out) as tmp:
                for name in _KEPT:
                    link_or_copy(out / name, tmp / name)
                stages = Progress(progress)
                graph_file_of(
                    agg, state.exports.get("min_weight", 1), state.counts, BuildDir(tmp).graphdb, stages
                )
                spilled.close_spills()  # spent: the graph is in graph.sqlite, the writers' source (issue #21)
                del agg, state
                write_outputs(GraphDB(BuildDir(tmp).graphdb), tmp, options, jobs, stages)
        finally:
            spilled.close_spills()
    return read_graph_db(BuildDir(out).graphdb) if graph else None


def _mark_stale(out: Path) -> None:
    text = (
        "The whole-graph exports of this directory (entities.csv, edges.csv, graph.*) were written before\n"
        "`newskg build --update` added articles. `newskg refresh DIR` rewrites them; until then newskg\n"
        "query, newskg serve and graph.load(DIR) refuse the build. articles.jsonl, mentions.jsonl and the\n"
        "pages of the entities the new articles mention are current.\n"
    )
    path = out / STALE
    if not path.is_file():
        path.write_text(text, encoding="utf-8")


def _roll_back(out: Path, state: BuildState) -> bool:
    """Cut ``articles.jsonl`` and ``mentions.jsonl`` back to the state's sizes (lines of a killed update).

    False if they are shorter than the state says (not the state's files).
    """
    sizes = jsonl_sizes(out)
    if sizes is None or any(now < then for now, then in zip(sizes, state.sizes, strict=True)):
        return False
    for name, size, now in zip(("articles.jsonl", "mentions.jsonl"), state.sizes, sizes, strict=True):
        if now > size:
            os.truncate(out / name, size)
    return True


def _write_pages(out: Path, agg: Aggregate, touched: set[str], min_weight: int) -> int:
    """Rewrite the pages of ``touched`` entities from ``agg``, global analytics as in ``entities.csv``.

    The graph is only what the pages draw: the touched entities' links, then the links among
    each one's shown neighbours (:func:`newskg.graph.export.pages.ego_neighbours`), not among all of them
    (a hub's neighbours are half the graph).
    """
    agg.entities.add_relation_targets(agg.relation_targets())
    touched = agg.entities.known(touched)
    pairs = agg.cooc.touching(touched)
    nodes = set(touched).union(*pairs)
    for r, _ in agg.rels.first_seen():
        if r.source in touched or r.target in touched:
            nodes.update((r.source, r.target))
    G = assemble(agg.entities, agg.cooc, agg.rels, agg.titles, min_weight, only=nodes, pairs=pairs)
    frozen = _frozen_analytics(BuildDir(out).entities, nodes)
    H = comention_view(G)
    for n, d in G.nodes(data=True):
        d.update(frozen.get(n, {}))
        if n in touched:  # local measures are current
            d["degree"] = H.degree(n)
            d["weighted_degree"] = H.degree(n, weight="weight")
    for n in sorted(touched):
        shown = ego_neighbours(G, n)
        for a in shown:
            for b in shown:
                if a < b and not G.has_edge(a, b, "co_mention") and not G.has_edge(b, a, "co_mention"):
                    add_comention(G, agg.cooc, agg.titles, a, b, min_weight)
    write_entity_pages(G, out, sorted(touched))
    return len(touched)


def _frozen_analytics(path: Path, nodes: set[str]) -> dict[str, dict]:
    """The :data:`FROZEN` attributes (and degrees) of ``nodes`` in the ``entities.csv`` at ``path``."""
    numbers = {**FROZEN, "degree": int, "weighted_degree": int}
    found: dict[str, dict] = {}
    try:
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                if row.get("id") in nodes:
                    found[row["id"]] = {k: _number(row.get(k), t) for k, t in numbers.items()}
    except OSError:
        pass
    return found


def _number(text: str | None, kind: type) -> int | float:
    try:
        return kind(text)
    except (TypeError, ValueError):
        return kind(0)
