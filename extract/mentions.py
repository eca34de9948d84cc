"""Mentions of articles as JSON records: the contract of ``newskg extract``.

:func:`extract_paths` recognises and resolves the articles of some files
(``{"id", "source", "title", "mentions"}``); :func:`extract_jsonl` does the same for
lines ``{"id", "text", ...}`` and keeps offsets into that exact ``text``
(``{"id", "mentions"}``). Each mention is ``{"start", "end", "type", "text", "label"}``
where ``label`` is the canonical name given by :func:`newskg.extract.resolution.resolve.resolve`.

>>> import json, tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "in.jsonl")
>>> _ = open(path, "w", encoding="utf-8").write(json.dumps({"id": "a", "text": "习近平在北京。"}) + "\\n")
>>> [(m["text"], m["type"]) for m in next(extract_jsonl(path))["mentions"]]
[('习近平', 'PERSON'), ('北京', 'PLACE')]
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from newskg.extract.errors import Report, UserError
from newskg.extract.ingestion.ingest import ingest
from newskg.extract.recognition.recognise import recognise
from newskg.extract.records import Article, Mention
from newskg.extract.resolution.resolve import resolve


def mention_records(article: Article) -> list[dict]:
    """The resolved mentions of ``article`` as JSON-ready dicts, in text order."""
    ms: list[Mention] = resolve(recognise(article), article)
    return [
        {"start": m.start, "end": m.end, "type": m.type, "text": m.text, "label": m.label}
        for m in sorted(ms, key=lambda m: (m.start, m.end))
    ]


def extract_paths(paths: Iterable[str | Path], report: Report | None = None) -> Iterator[dict]:
    """One record per article of ``paths`` (files, directories or globs, as ``newskg build``)."""
    for a in ingest(paths, report=report):
        yield {"id": a.id, "source": a.source, "title": a.title, "mentions": mention_records(a)}


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
