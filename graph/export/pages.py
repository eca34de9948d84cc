"""Entity pages: ``entities/<id>.html`` for every entity of a build.

A page shows the entity's ego network (radius 1, capped at :data:`EGO_MAX`
neighbours, drawn as inline SVG, each a link), its links with their evidence and up
to :data:`MENTIONS_MAX` of its mentions in their sentences, grouped by article.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_edge("person-甲", "org-乙", key="co_mention", kind="co_mention", weight=2)
'co_mention'
>>> "org-%E4%B9%99.html" in entity_html(G, "person-甲")
True
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from markupsafe import Markup
from newskg.extract.ingestion.sentences import split_sentences
from newskg.extract.records import Article
from newskg.graph.builddir import BuildDir
from newskg.graph.building.timeline import article_months, json_field, jsonl_records
from newskg.graph.export.graphdb import edges_among, nodes_by_id
from newskg.graph.export.render import aliases_of, evidence_of, jinja_env, number

# Neighbours drawn in an entity page's ego network, and mentions listed on it.
EGO_MAX = 30
MENTIONS_MAX = 100
# Entities whose pages are made from one pass over mentions.jsonl: the mentions and sentences held are
# one batch's, not the corpus's (issue #21), for a pass over the file per batch.
PAGES_BATCH = 25_000
PAGES_MENTIONS = 200_000  # mentions held for one run of pages (with their sentences: about 200 MB)
SPLIT_BUFFER = 4 << 20  # characters of mention lines held before they are appended to their runs' files


@dataclass
class _Mentions:
    """Mentions of each entity (at most :data:`MENTIONS_MAX` kept) and the articles they are in.

    Only the sentences of the kept mentions are kept, not the texts of their articles,
    so memory is bounded by the number of entities, not the size of the corpus.
    """

    by_entity: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    articles: dict[str, dict] = field(default_factory=dict)
    months: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    _parts: dict[tuple, tuple[str, str, str] | None] = field(default_factory=dict)

    @classmethod
    def read(
        cls,
        out: Path,
        keep: Iterable[str],
        dated: dict[str, str],
        offsets: dict[str, int],
        mentions: Path | None = None,
    ) -> _Mentions:
        """The mentions of ``keep``'s entities (``dated``: :func:`article_months` of ``out``), read
        from ``mentions`` (default: the build's ``mentions.jsonl``), their articles found in
        ``articles.jsonl`` by their ``offsets`` (:func:`article_offsets`)."""
        m = cls()
        keep = set(keep)
        needed: dict[str, list[dict]] = defaultdict(list)
        for rec in jsonl_records(mentions or BuildDir(out).mentions, "entity_id", keep):
            eid = rec.get("entity_id")
            if eid not in keep:
                continue
            m.counts[eid] += 1
            if rec.get("article_id") in dated:
                m.months[eid][dated[rec["article_id"]]] += 1
            if len(m.by_entity[eid]) < MENTIONS_MAX:
                m.by_entity[eid].append(rec)
                needed[rec.get("article_id")].append(rec)
        for rec in _records_at(BuildDir(out).articles, sorted(offsets[a] for a in needed if a in offsets)):
            aid = rec.get("id")
            if aid in needed and isinstance(rec.get("text"), str):
                m.articles[aid] = {k: rec.get(k) for k in ("id", "title", "date", "date_source", "source")}
                spans = None
                for men in needed.pop(aid):
                    key = _part_key(men)
                    if key in m._parts:
                        continue
                    if men.get("field") == "title":
                        m._parts[key] = _cut_title(str(rec.get("title") or ""), men)
                    elif men.get("field") == "byline":
                        m._parts[key] = _byline_part(men)
                    else:
                        if spans is None:
                            a = Article(id=aid, source="", title="", text=rec["text"])
                            spans = [(s.start, s.end) for s in split_sentences(a)]
                        m._parts[key] = _cut(rec["text"], spans, men)
        return m

    def sentence(self, rec: dict) -> tuple[str, str, str] | None:
        """The sentence around a mention, cut into (before, mention, after)."""
        return self._parts.get(_part_key(rec)) if rec.get("article_id") in self.articles else None


def _part_key(rec: dict) -> tuple:
    """What a mention's sentence is cut by: its article, field and span, and for a byline (no span
    in the text: every name of one byline has the same) the name itself."""
    name = rec.get("text") if rec.get("field") == "byline" else None
    return (rec.get("article_id"), rec.get("field"), rec.get("start", 0), rec.get("end", 0), name)


def _byline_part(rec: dict) -> tuple[str, str, str]:
    """A person or agency of a byline: 署名 and the name with its role (记者, 摄)."""
    role = str(rec.get("role") or "")
    return "署名：", str(rec.get("text") or ""), f"（{role}）" if role and role != "agency" else ""


def _cut_title(title: str, rec: dict) -> tuple[str, str, str] | None:
    """A mention in the headline: the headline from the mention on."""
    start, end = int(rec.get("start", 0)), int(rec.get("end", 0))
    return ("", title[start:end], title[end:]) if 0 <= start < end <= len(title) else None


def _cut(text: str, spans: list[tuple[int, int]], rec: dict) -> tuple[str, str, str] | None:
    """The sentence of ``text`` (sentences at ``spans``) around the mention ``rec``, in three parts."""
    try:
        start, end = int(rec.get("start", 0)), int(rec.get("end", 0))
    except (TypeError, ValueError):
        return None
    if not 0 <= start < end <= len(text):
        return None
    i = bisect_right([s for s, _ in spans], start) - 1
    s, e = spans[i] if i >= 0 and spans[i][1] >= end else (max(0, start - 40), min(len(text), end + 40))
    return text[s:start], text[start:end], text[end:e]


def _strength(G: nx.MultiDiGraph, m: str, links: list[dict]) -> tuple:
    """Sort key of a neighbour ``m`` by its ``links``: heaviest first, then by PageRank, then by id."""
    return (-sum(number(d.get("weight"), 1.0) for d in links), -number(G.nodes[m].get("pagerank")), m)


def _links(G: nx.MultiDiGraph, n: str) -> dict[str, list[dict]]:
    """The edges of ``n`` (either direction, any kind) by neighbour."""
    links: dict[str, list[dict]] = defaultdict(list)
    for u, v, d in list(G.out_edges(n, data=True)) + list(G.in_edges(n, data=True)):
        other = v if u == n else u
        if other != n:
            links[other].append(d)
    return links


def _ranked(G: nx.MultiDiGraph, links: dict[str, list[dict]]) -> list[str]:
    return sorted(links, key=lambda m: _strength(G, m, links[m]))


def ego_neighbours(G: nx.MultiDiGraph, n: str) -> list[str]:
    """The neighbours of ``n`` its page draws, strongest first: at most :data:`EGO_MAX`."""
    return _ranked(G, _links(G, n))[:EGO_MAX]


def _ego(G: nx.MultiDiGraph, n: str) -> tuple[list[dict], list[tuple[int, int, float]], int]:
    """Neighbours of ``n`` (strongest first, capped), the edges among them, and how many in all."""
    links = _links(G, n)
    ranked = _ranked(G, links)
    kept = ranked[:EGO_MAX]
    index = {m: i for i, m in enumerate(kept)}
    among = [(index[u], index[v], number(w, 1.0)) for u, v, w in edges_among(G, kept) if u != v]
    neighbours = []
    for m in kept:
        d = G.nodes[m]
        neighbours.append(
            {
                "id": m,
                "label": str(d.get("label") or m),
                "type": str(d.get("type") or ""),
                "pagerank": number(d.get("pagerank")),
                "links": [
                    {
                        "kind": str(e.get("kind") or ""),
                        "weight": number(e.get("weight"), 1.0),
                        "npmi": e.get("npmi"),
                        "role": str(e.get("role") or ""),
                        "evidence": evidence_of(e),
                    }
                    for e in links[m]
                ],
            }
        )
    return neighbours, among, len(ranked)


def _ego_svg(G: nx.MultiDiGraph, n: str, neighbours: list[dict], among: list) -> dict:
    """Coordinates for the ego network drawing: the entity in the centre, neighbours on rings."""
    k = len(neighbours)
    ring = [200.0 if k <= 14 or i % 2 == 0 else 290.0 for i in range(k)]
    angles = [2 * math.pi * i / max(k, 1) - math.pi / 2 for i in range(k)]
    pts = [(r * math.cos(a), r * math.sin(a)) for r, a in zip(ring, angles, strict=True)]
    prs = [nb["pagerank"] for nb in neighbours] + [number(G.nodes[n].get("pagerank"))]
    top = max(prs) or 1.0

    def radius(pr: float) -> float:
        return round(7 + 13 * math.sqrt(pr / top), 1)

    max_w = max([lk["weight"] for nb in neighbours for lk in nb["links"]] + [1.0])
    spokes = [
        {
            "x": round(x, 1),
            "y": round(y, 1),
            "w": round(1 + 5 * max(lk["weight"] for lk in nb["links"]) / max_w, 1),
            "dashed": all(lk["kind"] != "co_mention" for lk in nb["links"]),
        }
        for nb, (x, y) in zip(neighbours, pts, strict=True)
    ]
    chords = [
        {
            "x1": round(pts[a][0], 1),
            "y1": round(pts[a][1], 1),
            "x2": round(pts[b][0], 1),
            "y2": round(pts[b][1], 1),
        }
        for a, b, _ in among
    ]
    nodes = [
        {**nb, "x": round(x, 1), "y": round(y, 1), "r": radius(nb["pagerank"])}
        for nb, (x, y) in zip(neighbours, pts, strict=True)
    ]
    extent = max([abs(c) for p in pts for c in p] + [60.0]) + 60
    return {"spokes": spokes, "chords": chords, "nodes": nodes, "r": radius(prs[-1]), "extent": round(extent)}


def timeline(months: Counter | None) -> list[dict]:
    """Bars of mentions by month, every month from the first to the last (gaps at 0), for an SVG.

    Examples
    --------
    >>> [(b["month"], b["count"], b["h"]) for b in timeline(Counter({"2024-01": 2, "2024-03": 1}))]
    [('2024-01', 2, 60.0), ('2024-02', 0, 0.0), ('2024-03', 1, 30.0)]
    """
    if not months:
        return []
    first, last = min(months), max(months)
    y, m = int(first[:4]), int(first[5:])
    top = max(months.values())
    bars = []
    while f"{y:04d}-{m:02d}" <= last:
        key = f"{y:04d}-{m:02d}"
        bars.append({"month": key, "count": months.get(key, 0), "h": round(60 * months.get(key, 0) / top, 1)})
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return bars


def entity_html(G: nx.MultiDiGraph, n: str, mentions: _Mentions | None = None) -> str:
    """The HTML text of the page of entity ``n``: ego network, links with evidence, mentions.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("person-甲", "org-乙", key="co_mention", kind="co_mention", weight=2)
    'co_mention'
    >>> "org-%E4%B9%99.html" in entity_html(G, "person-甲")
    True
    """
    d = G.nodes[n]
    neighbours, among, degree = _ego(G, n)
    mentions = mentions or _Mentions()
    by_article: dict[str, list[Markup]] = defaultdict(list)
    order: list[str] = []
    for rec in mentions.by_entity.get(n, []):
        parts = mentions.sentence(rec)
        if parts is None:
            continue
        aid = rec["article_id"]
        if aid not in by_article:
            order.append(aid)
        by_article[aid].append(Markup("{}<mark>{}</mark>{}").format(*parts))
    arts = [
        {
            "id": aid,
            "title": mentions.articles[aid].get("title") or "",
            "date": mentions.articles[aid].get("date") or "",
            "date_source": mentions.articles[aid].get("date_source") or "",
            "source": mentions.articles[aid].get("source") or "",
            "sentences": by_article[aid],
        }
        for aid in order
    ]
    return (
        jinja_env()
        .get_template("entity.html")
        .render(
            id=n,
            node=d,
            type=str(d.get("type") or ""),
            label=str(d.get("label") or n),
            aliases=aliases_of(d),
            neighbours=neighbours,
            degree=degree,
            ego=_ego_svg(G, n, neighbours, among),
            articles=arts,
            mention_count=mentions.counts.get(n, 0),
            timeline=timeline(mentions.months.get(n)),
            mentions_listed=sum(len(a["sentences"]) for a in arts),
        )
    )


def page_batches(G: nx.MultiDiGraph, nodes: Iterable[str]) -> Iterator[list[str]]:
    """``nodes`` in runs whose pages are written from one reading of ``mentions.jsonl``: at most
    :data:`PAGES_BATCH` entities, and at most :data:`PAGES_MENTIONS` mentions kept for them (each
    entity's ``mentions``, at most :data:`MENTIONS_MAX`). A run of hubs (the provinces and cities, whose
    ids sort together) is shorter: at 50,000 articles the last runs of 25,000 entities, the places,
    took the build process from 728 to 1,101 MiB (issue #21).

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("a", {"mentions": 3}), ("b", {"mentions": 250}), ("c", {"mentions": 1})])
    >>> [len(b) for b in page_batches(G, G.nodes)], PAGES_MENTIONS >= MENTIONS_MAX
    ([3], True)
    """
    batch: list[str] = []
    kept = 0
    for n in nodes:
        k = min(int(G.nodes[n].get("mentions") or 0), MENTIONS_MAX)
        if batch and (len(batch) >= PAGES_BATCH or kept + k > PAGES_MENTIONS):
            yield batch
            batch, kept = [], 0
        batch.append(n)
        kept += k
    if batch:
        yield batch


def article_offsets(path: Path) -> dict[str, int]:
    """The byte offset of each article's line in a build's ``articles.jsonl`` (the first, if an id
    repeats), so that a run of pages seeks to the articles it needs instead of reading the file.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "articles.jsonl"
    >>> _ = p.write_text('{"id": "a1", "text": "甲"}\\n[1]\\n{"id": "a2", "text": "乙"}\\n', encoding="utf-8")
    >>> offsets = article_offsets(p)
    >>> offsets, [r["text"] for r in _records_at(p, sorted(offsets.values()))]
    ({'a1': 0, 'a2': 32}, ['甲', '乙'])
    """
    offsets: dict[str, int] = {}
    if not path.is_file():
        return offsets
    with open(path, "rb") as f:
        pos = 0
        for line in f:
            rec = _record(line)
            if rec is not None and isinstance(rec.get("id"), str):
                offsets.setdefault(rec["id"], pos)
            pos += len(line)
    return offsets


def _record(line: bytes) -> dict | None:
    try:
        rec = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return rec if isinstance(rec, dict) else None


def _records_at(path: Path, offsets: Iterable[int]) -> Iterator[dict]:
    """The records of the JSONL file at ``path`` whose lines start at ``offsets`` (ascending)."""
    offsets = list(offsets)
    if not offsets:
        return
    with open(path, "rb") as f:
        for pos in offsets:
            f.seek(pos)
            if (rec := _record(f.readline())) is not None:
                yield rec


def _split_mentions(path: Path, firsts: list[str], folder: Path) -> list[Path]:
    """Copy the lines of ``mentions.jsonl`` at ``path`` into one file per run of pages, a mention
    into the run whose first entity id (``firsts``, ascending) is the last not after its own: each
    run then reads its own mentions, not the whole file (at 50,000 articles, 16 runs read its
    360 MB 16 times; the runs grow with the corpus, so that reading grew with its square, issue #21).
    """
    parts = [folder / f"run-{k}.jsonl" for k in range(len(firsts))]
    held: dict[int, list[str]] = defaultdict(list)
    size = 0

    def flush() -> None:
        for k, lines in held.items():
            with open(parts[k], "a", encoding="utf-8") as f:
                f.writelines(lines)
        held.clear()

    with open(path, encoding="utf-8") as f:
        for line in f:
            eid = json_field(line, "entity_id")
            if eid is None or "\\" in eid:  # absent or escaped: read it properly
                rec = _record(line.encode("utf-8"))
                eid = rec.get("entity_id") if rec is not None else None
            if not isinstance(eid, str) or (k := bisect_right(firsts, eid) - 1) < 0:
                continue
            held[k].append(line if line.endswith("\n") else line + "\n")
            size += len(line)
            if size > SPLIT_BUFFER:
                flush()
                size = 0
    flush()
    return parts


def write_entity_pages(G: nx.MultiDiGraph, out: str | Path, nodes: Iterable[str] | None = None) -> None:
    """Write ``out/entities/<id>.html`` for ``nodes`` (default: all), mentions from ``out/mentions.jsonl``.

    The pages are made in runs (:func:`page_batches`) of entities in id order. With more than one
    run, the mentions are first split into a file per run (in a temporary folder in ``out``),
    so the corpus is read once, not once a run. Each page replaces the previous one atomically
    (written beside it, then renamed).
    """
    out = Path(out)
    folder = out / "entities"
    folder.mkdir(exist_ok=True)

    chosen = None if nodes is None else sorted(nodes)  # read twice below: a generator only once

    def ids() -> Iterable[str]:
        return (n for n, _ in nodes_by_id(G)) if chosen is None else chosen

    firsts = [batch[0] for batch in page_batches(G, ids())]
    dated = article_months(out)
    offsets = article_offsets(BuildDir(out).articles)
    with tempfile.TemporaryDirectory(dir=out, prefix=".pages-") as tmp:
        parts = (
            _split_mentions(BuildDir(out).mentions, firsts, Path(tmp))
            if len(firsts) > 1
            else [None] * len(firsts)
        )
        for part, batch in zip(parts, page_batches(G, ids()), strict=True):
            mentions = _Mentions.read(out, batch, dated, offsets, part)
            for n in batch:
                name = f"{n}.html"
                if os.sep in name or name.startswith("."):
                    continue  # entity ids are file-safe by construction; never write outside the folder
                page = folder / f".{name}.tmp"
                page.write_text(entity_html(G, n, mentions), encoding="utf-8")
                os.replace(page, folder / name)
            del mentions
            if part is not None:
                part.unlink(missing_ok=True)  # a run whose entities have no mention has no file
