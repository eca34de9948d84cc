"""Ingestion: files, directories and globs become Article records.

Inputs are ``.txt`` and ``.md`` newspaper pages (several articles a page) and
``.jsonl`` files (one article a line). Files that cannot be decoded are skipped
with one warning each, counted in the :class:`~extract.errors.Report`.

>>> arts = list(ingest(["seeds/"]))
>>> len(arts) > 5
True
"""

from __future__ import annotations

import glob
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from extract.errors import Report, UserError
from extract.records import Article

SUFFIXES = (".txt", ".md", ".jsonl")


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named by ``paths``: files as given, directories recursively, globs expanded.

    Raises :class:`UserError` for a path that matches nothing.
    """
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix in SUFFIXES))
        elif p.is_file():
            out.append(p)
        elif any(ch in str(raw) for ch in "*?["):
            matches = sorted(Path(m) for m in glob.glob(str(raw), recursive=True))
            files = [m for m in matches if m.is_file()]
            if not files:
                raise UserError(f"no files match {raw}")
            out.extend(files)
        else:
            raise UserError(f"no such file or directory: {raw}")
    return out


def decode(data: bytes) -> str | None:
    """Decode UTF-8 (with or without BOM) or GB18030; None for binary or undecodable bytes."""
    if b"\x00" in data[:4096]:
        return None
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return None


def article_id(text: str) -> str:
    """A stable id from normalised content: the same text always gives the same id."""
    norm = re.sub(r"\s+", "", text)
    return "a" + hashlib.sha1(norm.encode("utf-8")).hexdigest()[:12]


def ingest(paths: Iterable[str | Path], report: Report | None = None) -> Iterator[Article]:
    """Stream the articles of every file named by ``paths``."""
    report = report if report is not None else Report()
    for path in expand_paths(paths):
        try:
            data = path.read_bytes()
        except OSError as exc:
            report.warn("skipped_files", f"{path}: cannot read ({exc.strerror})")
            continue
        text = decode(data)
        if text is None:
            report.warn("skipped_files", f"{path}: not text in UTF-8 or GB18030, skipped")
            continue
        report.count("files")
        if path.suffix == ".jsonl":
            yield from _jsonl_articles(path, text, report)
        else:
            yield from _page_articles(path, text)


def _jsonl_articles(path: Path, text: str, report: Report) -> Iterator[Article]:
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            body = obj["text"]
            if not isinstance(body, str):
                raise TypeError
        except (json.JSONDecodeError, KeyError, TypeError):
            report.warn("bad_lines", f"{path}:{lineno}: not a JSON object with a text field, skipped")
            continue
        yield Article(
            id=str(obj.get("id") or article_id(body)),
            source=str(obj.get("source") or path),
            title=str(obj.get("title") or ""),
            text=body,
            date=str(obj.get("date") or ""),
            url=str(obj.get("url") or ""),
        )


def _page_articles(path: Path, text: str) -> Iterator[Article]:
    """Split a page on markdown headings of level 1 or 2 (a first cut)."""
    title = ""
    lines: list[str] = []

    def flush() -> Iterator[Article]:
        body = "\n".join(x.strip() for x in lines if x.strip())
        if body:
            yield Article(id=article_id(title + body), source=str(path), title=title, text=body)

    for line in text.splitlines():
        m = re.match(r"^#{1,2}\s+(.*)", line)
        if m:
            yield from flush()
            title, lines = m.group(1).strip(), []
        else:
            lines.append(line)
    yield from flush()
