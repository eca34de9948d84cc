"""Running per-article extraction: in-process, in a process pool, or on a Dask cluster.

All three give the same graph, because :func:`newskg.graph.building.extraction.extract_article` is a
pure function and results are aggregated in input order.

- :func:`extract_stream` (``--jobs N``) reads articles in batches, looks each batch up
  in the cache, extracts the misses (in ``N`` processes when ``N > 1``, the next batch
  running while the previous ones are aggregated) and yields ``(Article, ArticleResult)``
  in input order. Memory holds three batches, whatever the corpus size. The pool is
  only started when a batch has more than :data:`POOL_MIN_ARTICLES` misses, so a
  rebuild that adds a few articles extracts them in-process.
- :func:`dask_aggregate` (``--dask-scheduler tcp://HOST:PORT``) sends partitions of
  articles to an existing dask.distributed cluster. Each task extracts its partition
  and aggregates it (:class:`newskg.graph.building.aggregate.Aggregate`: entity stats and per-partition
  co-mention counters); partial aggregates stay on the workers and are merged pairwise
  there, in order, and only the final one (the graph's statistics) comes back.

>>> from newskg.extract.records import Article
>>> arts = [Article(id="a1", source="", title="", text="他在北京。")]
>>> [(a.id, len(r.sentences)) for a, r in extract_stream(arts)]
[('a1', 1)]
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import multiprocessing
import os
import signal
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from itertools import islice

from newskg.extract import Report, UserError
from newskg.extract.mentions import extract_article, mention_record
from newskg.extract.recognition.recognise import Recogniser
from newskg.extract.records import Article, ArticleResult, Mention
from newskg.graph.building.aggregate import Aggregate
from newskg.graph.building.cache import ResultCache
from newskg.graph.building.extraction import content_key, decode_result, encode_result

# A process pool is started once a batch has more articles than this to extract.
POOL_MIN_ARTICLES = 4


PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when the thread that made it dies


def die_with_parent(parent: int) -> None:
    """In a forked worker of the process ``parent``: be killed when it dies, even by ``kill -9``.

    Linux's ``prctl(PR_SET_PDEATHSIG, SIGKILL)``; elsewhere nothing. A parent that died
    before the request makes the worker exit at once (issue #20: orphaned writers of a
    killed ``--jobs 2`` build ran on for minutes, holding gigabytes).

    >>> ctx = multiprocessing.get_context("fork")
    >>> with ctx.Pool(1, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
    ...     pool.apply(os.getppid) == os.getpid()
    True
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def mention_lines(mentions: Iterable[Mention]) -> str:
    """The ``mentions.jsonl`` lines of some mentions."""
    return "".join(
        json.dumps({"article_id": m.article_id, **mention_record(m)}, ensure_ascii=False) + "\n"
        for m in mentions
    )


def _batches(items: Iterable, n: int) -> Iterator[list]:
    it = iter(items)
    while batch := list(islice(it, n)):
        yield batch


def _replay(report: Report, result: ArticleResult) -> None:
    report.counts.update(result.counts)
    report.replay(result.warnings)


def _lookup(batch: list[Article], cache: ResultCache | None) -> tuple[list[str], dict[str, bytes]]:
    if cache is None:
        return [], {}
    keys = [content_key(a) for a in batch]
    return keys, cache.get_many(keys)


def extract_stream(
    articles: Iterable[Article],
    cache: ResultCache | None = None,
    jobs: int = 1,
    report: Report | None = None,
    batch: int = 32,
    pipeline: Sequence[Recogniser] | None = None,
) -> Iterator[tuple[Article, ArticleResult]]:
    """Extraction results of ``articles`` in input order, from ``cache`` when present.

    ``pipeline``: the recognisers, when not the shipped :data:`~newskg.extract.recognition.recognise.PIPELINE`
    (its components go to the worker processes by reference: module-level functions).

    Counts ``cache_hits`` and ``extracted`` in ``report``, and replays into it what
    resolution counted for each article (cached or not).
    """
    report = report if report is not None else Report()
    if jobs < 1:
        raise UserError(f"--jobs must be at least 1, not {jobs}")
    extract = extract_article if pipeline is None else partial(extract_article, pipeline=pipeline)
    pool = None
    try:
        pending: deque = deque()
        for arts in _batches(articles, batch):
            keys, hits = _lookup(arts, cache)
            todo = [a for i, a in enumerate(arts) if not keys or keys[i] not in hits]
            if pool is None and jobs > 1 and len(todo) > POOL_MIN_ARTICLES:
                # Started when a batch has enough to extract (not for the few articles added to a
                # cached corpus). The lexicons are loaded here first, so forked workers share them.
                extract(Article(id="", source="", title="", text="北京。"))
                methods = multiprocessing.get_all_start_methods()
                ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
                pool = ctx.Pool(jobs, initializer=die_with_parent, initargs=(os.getpid(),))
            if pool is not None:
                job = pool.map_async(extract, todo, chunksize=max(1, len(todo) // (4 * jobs)))
            else:
                job = [extract(a) for a in todo]
            pending.append((arts, keys, hits, job))
            if len(pending) > 2:
                yield from _finish(*pending.popleft(), cache, report)
        while pending:
            yield from _finish(*pending.popleft(), cache, report)
    finally:
        if pool is not None:
            pool.terminate()


def _finish(
    arts: list[Article],
    keys: list[str],
    hits: dict[str, bytes],
    job,
    cache: ResultCache | None,
    report: Report,
) -> Iterator[tuple[Article, ArticleResult]]:
    fresh = iter(job if isinstance(job, list) else job.get())
    new: list[tuple[str, bytes]] = []
    for i, art in enumerate(arts):
        blob = hits.get(keys[i]) if keys else None
        if blob is not None:
            res = decode_result(blob)
            report.count("cache_hits")
        else:
            res = next(fresh)
            report.count("extracted")
            if cache is not None:
                new.append((keys[i], encode_result(res)))
        _replay(report, res)
        yield art, res
    if cache is not None:
        cache.put_many(new)


def _partition_task(
    arts: list[Article],
    cached: dict[int, bytes],
    window: str,
    keep: frozenset[str],
    evidence: int,
    pipeline: Sequence[Recogniser] | None = None,
) -> tuple[list[tuple[int, bytes]], str, Counter, list[str], Aggregate]:
    """On a worker: extract what is not cached, aggregate the partition."""
    agg = Aggregate(window, keep, evidence)
    new: list[tuple[int, bytes]] = []
    lines: list[str] = []
    report = Report()
    for i, art in enumerate(arts):
        if i in cached:
            res = decode_result(cached[i])
            report.count("cache_hits")
        else:
            res = extract_article(art) if pipeline is None else extract_article(art, pipeline)
            new.append((i, encode_result(res)))
            report.count("extracted")
        _replay(report, res)
        mentions = agg.add(art, res)
        report.count("mentions", len(mentions))
        lines.append(mention_lines(mentions))
    agg.prune_titles()
    return new, "".join(lines), report.counts, report.messages, agg


def _meta(out: tuple) -> tuple:
    return out[:4]


def _aggregate_of(out: tuple) -> Aggregate:
    return out[4]


def _merge(left: Aggregate, right: Aggregate) -> Aggregate:
    return left.merge(right)


def connect(address: str):
    """A ``distributed.Client`` of the scheduler at ``address``, or a one-line :class:`UserError`."""
    from distributed import Client

    scheme = address.split("://", 1)[0] if "://" in address else "tcp"
    if scheme not in ("tcp", "tls", "ws", "wss", "ucx"):
        raise UserError(f"--dask-scheduler must be a network address like tcp://HOST:PORT, not {address!r}")
    try:
        return Client(address, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise UserError(f"cannot reach the Dask scheduler at {address}: {exc}") from None


def dask_aggregate(
    articles: Iterable[Article],
    address: str,
    agg: Aggregate,
    cache: ResultCache | None,
    report: Report,
    mentions_file=None,
    partition: int = 50,
    pipeline: Sequence[Recogniser] | None = None,
) -> Aggregate:
    """Extract and aggregate ``articles`` on the Dask cluster at ``address`` (see the module docstring).

    At most a few partitions per worker are in flight; partial aggregates are reduced
    pairwise on the cluster like a binary counter, keeping input order.
    """
    with connect(address) as client:
        inflight = max(2, 2 * len(client.scheduler_info().get("workers", {})))
        queue: deque = deque()
        stack: list[tuple[int, object]] = []  # (level, future of an Aggregate), oldest first

        def drain_one() -> None:
            keys, meta_f, agg_f = queue.popleft()
            new, lines, counts, messages = meta_f.result()
            if cache is not None:
                cache.put_many((keys[i], blob) for i, blob in new)
            if mentions_file is not None:
                mentions_file.write(lines)
            report.counts.update(counts)
            report.replay(messages)
            level = 0
            while stack and stack[-1][0] == level:
                _, left = stack.pop()
                agg_f = client.submit(_merge, left, agg_f, pure=False)
                level += 1
            stack.append((level, agg_f))

        for arts in _batches(articles, partition):
            keys, hits = _lookup(arts, cache)
            cached = {i: hits[k] for i, k in enumerate(keys) if k in hits}
            out = client.submit(
                _partition_task, arts, cached, agg.window, agg.keep, agg.evidence, pipeline, pure=False
            )
            queue.append((keys, client.submit(_meta, out, pure=False), client.submit(_aggregate_of, out)))
            if len(queue) > inflight:
                drain_one()
        while queue:
            drain_one()
        if not stack:
            return agg
        total = stack.pop()[1]
        while stack:
            total = client.submit(_merge, stack.pop()[1], total, pure=False)
        return agg.merge(total.result())
