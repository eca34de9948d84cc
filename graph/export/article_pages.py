"""Article pages: ``articles/<id>.html`` for every article of a build.

A page shows the article's title and subtitle, its date and where the date came from, its
byline (each person a link to their entity page), its text with every mention highlighted
and linked to its entity's page, and the list of the entities it mentions. A near-duplicate
links to its original, the new passages of one to the article they continue.

The pages are read from ``articles.jsonl`` and ``mentions.jsonl`` in one pass over each: the
mentions of an article follow one another in the file, in the order of the articles.
Article text is untrusted: the template escapes it (:mod:`newskg.graph.export.render`) and the pages have
the same Content-Security-Policy as the entity pages (no script, no network request).

>>> import json, tempfile
>>> out = Path(tempfile.mkdtemp())
>>> art = {"id": "a1", "title": "标题", "text": "全总召开会议。", "byline": [], "date": ""}
>>> m = {"article_id": "a1", "start": 0, "end": 2, "type": "ORG", "text": "全总", "entity_id": "org-全总"}
>>> _ = (out / "articles.jsonl").write_text(json.dumps(art) + "\\n", encoding="utf-8")
>>> _ = (out / "mentions.jsonl").write_text(json.dumps(m) + "\\n", encoding="utf-8")
>>> write_article_pages(out)
>>> 'href="../entities/org-%E5%85%A8%E6%80%BB.html" title="机构">全总</a>' in (
...     out / "articles" / "a1.html").read_text(encoding="utf-8")
True
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

from newskg.extract.recognition.reporters import credit
from newskg.extract.records import entity_id
from newskg.graph.builddir import BuildDir
from newskg.graph.building.timeline import jsonl_records
from newskg.graph.export.render import article_file, jinja_env


@dataclass
class Segment:
    """A run of an article's text: plain (``entity`` empty) or one mention of an entity."""

    text: str
    entity: str = ""
    type: str = ""


@dataclass
class Listed:
    """An entity an article mentions, for its list: id, label, type and how many times."""

    id: str
    label: str
    type: str
    count: int = 0


@dataclass
class ArticlePage:
    """What an article's page shows (see the module docstring)."""

    record: dict
    paragraphs: list[list[Segment]] = field(default_factory=list)
    entities: list[Listed] = field(default_factory=list)
    byline: list[dict] = field(default_factory=list)


def _in_text(m: dict, n: int) -> bool:
    """A mention of the article's text (not its title or byline) with offsets inside it."""
    start, end = m.get("start"), m.get("end")
    return "field" not in m and isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= n


def segments(text: str, mentions: list[dict]) -> list[list[Segment]]:
    """The paragraphs of ``text`` cut into plain runs and mentions (overlapping ones: the first kept).

    >>> cut = segments("甲乙丙\\n丁", [{"start": 1, "end": 2, "entity_id": "x"}])
    >>> [[(s.text, s.entity) for s in p] for p in cut]
    [[('甲', ''), ('乙', 'x'), ('丙', '')], [('丁', '')]]
    """
    marks = sorted((m for m in mentions if _in_text(m, len(text))), key=lambda m: (m["start"], -m["end"]))
    paras: list[list[Segment]] = [[]]
    pos = 0

    def plain(upto: int) -> None:
        for i, piece in enumerate(text[pos:upto].split("\n")):
            if i:
                paras.append([])
            if piece:
                paras[-1].append(Segment(piece))

    for m in marks:
        if m["start"] < pos:
            continue
        plain(m["start"])
        pos = m["end"]
        eid, type_ = str(m.get("entity_id") or ""), str(m.get("type") or "")
        paras[-1].append(Segment(text[m["start"] : pos], eid, type_))
    plain(len(text))
    return [p for p in paras if p]


def _listed(mentions: list[dict]) -> list[Listed]:
    found: dict[str, Listed] = {}
    for m in mentions:
        if m.get("field") == "byline" or not m.get("entity_id"):
            continue
        eid = str(m["entity_id"])
        label = str(m.get("label") or m.get("text") or eid)
        item = found.setdefault(eid, Listed(eid, label, str(m.get("type"))))
        item.count += 1
    return sorted(found.values(), key=lambda e: (-e.count, e.type, e.label))


def _byline(rec: dict) -> list[dict]:
    people = rec.get("byline") if isinstance(rec.get("byline"), list) else []
    return [
        {
            "name": str(p.get("name") or ""),
            "role": str(p.get("role") or ""),
            "credit": credit(str(p.get("role") or "")),
            "id": entity_id("PERSON", str(p.get("name") or "")),
        }
        for p in people
        if isinstance(p, dict) and p.get("name")
    ]


def page_of(rec: dict, mentions: list[dict]) -> ArticlePage:
    """The :class:`ArticlePage` of an ``articles.jsonl`` record and its ``mentions.jsonl`` records."""
    text = rec.get("text") if isinstance(rec.get("text"), str) else ""
    return ArticlePage(rec, segments(text, mentions), _listed(mentions), _byline(rec))


def article_html(page: ArticlePage, has_page: Callable[[str], bool] = lambda eid: True) -> str:
    """The HTML text of an article's page; the byline's people and agency are linked where ``has_page``
    (their entity is in the graph: not so when ``--types`` left people or organisations out)."""
    rec = page.record
    agency = str(rec.get("agency") or "")
    for person in page.byline:
        person["linked"] = has_page(person["id"])
    return (
        jinja_env()
        .get_template("article.html")
        .render(
            a=rec,
            title=str(rec.get("title") or ""),
            paragraphs=page.paragraphs,
            entities=page.entities,
            byline=page.byline,
            agency=agency,
            agency_id=entity_id("ORG", agency) if agency and has_page(entity_id("ORG", agency)) else "",
            article_file=article_file,
        )
    )


def _some_pages(out: Path, only: Collection[str]) -> Iterator[ArticlePage]:
    """The articles of ``only`` with their mentions (lines of other articles are skipped unparsed)."""
    mentions: dict[str, list[dict]] = {}
    for m in jsonl_records(BuildDir(out).mentions, "article_id", only):
        if m.get("article_id") in only:
            mentions.setdefault(m["article_id"], []).append(m)
    for rec in jsonl_records(BuildDir(out).articles, "id", only):
        if rec.get("id") in only:
            yield page_of(rec, [] if rec.get("duplicate_of") else mentions.get(rec["id"], []))


def _pages(out: Path) -> Iterator[ArticlePage]:
    """Each article of ``out`` with its mentions.

    The mentions of the articles come in the articles' order, a run an article (articles
    without mentions have none), so the two files are read side by side; a run met before
    its article is kept until the article comes.
    """
    order = {rec.get("id"): i for i, rec in enumerate(jsonl_records(BuildDir(out).articles))}
    groups = groupby(jsonl_records(BuildDir(out).mentions), key=lambda m: m.get("article_id"))
    waiting: dict[object, list[dict]] = {}
    ahead: tuple[object, list[dict]] | None = None  # the next run, of a later article
    for i, rec in enumerate(jsonl_records(BuildDir(out).articles)):
        aid = rec.get("id")
        while ahead is None or order.get(ahead[0], -1) <= i:
            if ahead is not None:
                waiting.setdefault(ahead[0], []).extend(ahead[1])
            nxt = next(groups, None)
            ahead = None if nxt is None else (nxt[0], list(nxt[1]))
            if ahead is None:
                break
        mentions = waiting.pop(aid, [])
        if isinstance(aid, str):
            yield page_of(rec, [] if rec.get("duplicate_of") else mentions)


def write_article_pages(out: str | Path, only: Collection[str] | None = None) -> None:
    """Write ``out/articles/<id>.html`` for the articles of ``out/articles.jsonl`` (those of ``only``:
    the articles an update added).

    Each page replaces the previous one atomically (written beside it, then renamed). Write the
    entity pages first: an article's byline links its people's pages where they exist.
    """
    out = Path(out)
    folder = out / "articles"
    folder.mkdir(exist_ok=True)
    for page in _pages(out) if only is None else _some_pages(out, set(only)):
        name = article_file(page.record["id"])
        tmp = folder / f".{name}.tmp"
        tmp.write_text(
            article_html(page, lambda eid: (out / "entities" / f"{eid}.html").is_file()), encoding="utf-8"
        )
        os.replace(tmp, folder / name)
