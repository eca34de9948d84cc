"""Ingestion: files, directories and globs become clean, deduplicated Article records.

Inputs are ``.txt`` and ``.md`` newspaper pages (several articles a page, split by
:mod:`newskg.extract.ingestion.pages`) and ``.jsonl`` files (one article a line: ``text`` required; ``id``,
``title``, ``date``, ``source``, ``url`` optional). Files are read as UTF-8 (with or without
a BOM) or GB18030/GBK; binary, undecodable and empty files are skipped with one warning
each (``skipped_files`` in the :class:`~newskg.extract.errors.Report`), malformed JSONL lines with
one warning each (``bad_lines``). Near-duplicates (:mod:`newskg.extract.ingestion.dedup`) keep their place
in the stream with ``duplicate_of`` set to the first article of their story.

Article records also come as ``.json`` files (an array of articles, or one) and ``.csv``
files (one article a row, under a header row naming a ``text`` column), read when named:
directories and globs take ``.txt``, ``.md`` and ``.jsonl``. Other data files named
(``.tsv``, ``.xml``, ``.xlsx``, ...) are skipped with one warning: a structured file is
never read as prose.

Size and control characters: an article of more than :data:`MAX_ARTICLE_CHARS` characters
(a 50 MB line with no paragraph breaks, a whole book) is skipped with one warning
(``long_articles``): recognising it would take minutes and gigabytes, and a real news
article is a hundred times shorter. JSONL is read a line at a time and a line over
:data:`MAX_LINE_BYTES` is skipped unread, so memory stays bounded however big the file;
a ``.txt`` or ``.md`` page is read whole. Control characters are dropped from the text
and from every JSONL field (title, id, date, source, url), so no output carries them.

Article ids come from the normalised content (title and text without spaces), so the same
corpus always gives the same ids; an exact copy gets ``-2``, ``-3``, ... after the id.

>>> arts = list(ingest(["seeds/"]))
>>> len(arts) > 30, sum(a.duplicate_of is not None for a in arts) >= 1
(True, True)
"""

from __future__ import annotations

import csv
import datetime
import glob
import hashlib
import io
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from charset_normalizer import from_bytes
from newskg.extract.errors import Report, UserError, printable, quoted
from newskg.extract.ingestion.bylines import (
    Lead,
    agency,
    format_date,
    parse_close,
    parse_credit,
    parse_lead,
    people,
)
from newskg.extract.ingestion.dates import DateOptions, date_line, dated, parse_date
from newskg.extract.ingestion.dedup import NearDuplicates
from newskg.extract.ingestion.pages import Block, paragraphs, repair, split, title_parts
from newskg.extract.records import Article, BylinePerson

# What directories and globs pick up; .json and .csv files are read when named (a folder's may be anything).
SUFFIXES = (".txt", ".md", ".jsonl")
# Structured files newskg does not read: skipped with a warning, never read as a page of text.
UNREAD_SUFFIXES = frozenset([".tsv", ".xml", ".html", ".htm", ".xlsx", ".xls", ".ods", ".docx", ".pdf"])
READ = ".txt/.md pages, .jsonl/.json article records or .csv with a text column"
MAX_ARTICLE_CHARS = 200_000  # ~10x the longest news article; longer ones are skipped (issue #11)
MAX_LINE_BYTES = 16 * 2**20  # a JSONL line longer than this is skipped unread
_WHITESPACE = re.compile(r"\s+")
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
# C0, DEL and C1 control characters: line breaks and tabs become spaces, the rest go; so do
# U+FFFE and U+FFFF, which XML 1.0 forbids (issue #20).
_FIELD_CONTROLS = str.maketrans(
    {c: " " if c in (9, 10, 13) else None for c in [*range(32), *range(127, 160), 0xFFFE, 0xFFFF]}
)
_SURROGATE = re.compile("[\ud800-\udfff]")
# A JSONL "date": ISO 8601 (a year, month or day, perhaps a time) or a Chinese date (issue #20).
_ISO_DATE = re.compile(
    r"\d{4}(?:-\d{2}(?:-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?"
    r"|--\d{2}-\d{2}"
)
_CHINESE_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_JSONL_FIELDS = ("text", "title", "id", "date", "source", "url")


def expand_paths(
    paths: Iterable[str | Path], report: Report | None = None, skip: Path | None = None
) -> list[Path]:
    """Files named by ``paths``: files as given, directories recursively, globs expanded.

    Directories and globs keep only ``.txt``, ``.md`` and ``.jsonl`` files, in sorted order,
    and a directory leaves out hidden files and folders (``.git``, ``.ipynb_checkpoints``). A
    file named twice is read once. Raises :class:`UserError` for a path that matches nothing.
    In a directory, unreadable folders, links to folders (not followed: a loop would never
    end) and links that lead nowhere are skipped with one ``skipped_files`` warning each in
    ``report``. Files under ``skip`` (a build's output folder, inside a folder of inputs) are left out.

    >>> [p.name for p in expand_paths(["seeds/00[01]*.txt", "seeds/000_9a75527b5092d3dd.txt"])]
    ['000_9a75527b5092d3dd.txt', '001_9edb86dbca1bfe9d.txt']
    """
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files = _walk(p, report if report is not None else Report())
            if not files:
                raise UserError(f"no .txt, .md or .jsonl files in {quoted(raw)}")
            out.extend(files)
        elif p.is_file():
            out.append(p)
        elif any(ch in str(raw) for ch in "*?["):
            matches = sorted(Path(m) for m in glob.glob(str(raw), recursive=True))
            files = [m for m in matches if m.is_file() and m.suffix.lower() in SUFFIXES]
            if not files:
                raise UserError(f"no .txt, .md or .jsonl files match {quoted(raw)}")
            out.extend(files)
        else:
            raise UserError(f"no such file or directory: {quoted(raw)}")
    first: dict[Path, Path] = {}
    skip = skip.resolve() if skip is not None else None
    for f in out:
        real = f.resolve()
        if skip is None or skip not in real.parents:
            first.setdefault(real, f)
    return list(first.values())


def _walk(root: Path, report: Report) -> list[Path]:
    """The article files under ``root`` (hidden ones left out), sorted; what cannot be read is warned of."""

    def unreadable(exc: OSError) -> None:
        report.warn("skipped_files", f"{quoted(exc.filename)}: cannot read it ({exc.strerror}), skipped")

    files = []
    for top, dirs, names in os.walk(root, onerror=unreadable):
        here = Path(top)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for d in dirs:
            if (here / d).is_symlink():
                report.warn("skipped_files", f"{quoted(here / d)}: a link to a folder, not followed, skipped")
        for name in sorted(names):
            f = here / name
            if name.startswith(".") or f.suffix.lower() not in SUFFIXES:
                continue
            if f.is_file():
                files.append(f)
            elif f.is_symlink():
                report.warn("skipped_files", f"{quoted(f)}: a link that leads to no file, skipped")
    return sorted(files)


def _binary(data: bytes) -> bool:
    """NUL bytes, or more than 1% control characters (other than tab, newlines, form feed, ESC)."""
    head = data[:65536]
    return b"\x00" in head or len(_CONTROL.findall(head)) > len(head) // 100


def decode(data: bytes) -> str | None:
    """Text of UTF-8 (BOM or not), UTF-16 (with BOM), GB18030/GBK or another detected encoding; else None.

    >>> decode("工会".encode("gb18030")), decode("\\ufeff工会".encode("utf-8")), decode(b"\\x00\\x01PK")
    ('工会', '工会', None)
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if _binary(data):
        return None
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    best = from_bytes(data[:65536]).best()
    if best is None:
        return None
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def article_id(text: str) -> str:
    """A stable id from normalised content: the same text (up to whitespace) always gives the same id.

    >>> article_id("工会 召开\\n会议") == article_id("工会召开会议")
    True
    """
    norm = _WHITESPACE.sub("", text)
    return "a" + hashlib.sha1(norm.encode("utf-8")).hexdigest()[:12]


@dataclass
class Seen:
    """What ingest remembers of the articles it has given: their ids and the near-duplicate index.

    Saved with a build (:mod:`newskg.graph.building.cache`), it lets the next build ingest only the files
    added since, with the same ids and duplicates as a build that read everything.
    """

    ids: set[str] = field(default_factory=set)
    dedup: NearDuplicates = field(default_factory=NearDuplicates)


def ingest(
    paths: Iterable[str | Path],
    report: Report | None = None,
    max_chars: int | None = MAX_ARTICLE_CHARS,
    seen: Seen | None = None,
    on_file: Callable[[Path], object] | None = None,
    dates: DateOptions | None = None,
) -> Iterator[Article]:
    """Stream the articles of every file named by ``paths``, near-duplicates marked.

    Parameters
    ----------
    paths : files, directories (searched recursively) or globs.
    report : counts ``files``, ``skipped_files``, ``bad_lines`` and ``long_articles`` (with one
        warning each), and ``headline_lines_dropped`` (a page's list of headlines, which belongs
        to no article).
    max_chars : skip articles longer than this, and JSONL lines over :data:`MAX_LINE_BYTES`;
        None for no limit.
    seen : the :class:`Seen` of articles ingested before (updated in place), so that ids stay
        unique and duplicates of them are marked; None starts afresh.
    on_file : called with each file as its reading starts (a progress bar's update).
    dates : the dates the user gives (``--date``, ``--dates``); each article gets ``date`` and
        ``date_source`` from its input record, its page, its file's name, these, or its text
        (:mod:`newskg.extract.ingestion.dates`).

    Examples
    --------
    >>> r = Report()
    >>> first = next(ingest(["seeds/000_9a75527b5092d3dd.txt"], r))
    >>> first.title, first.subtitle, r.counts["files"]
    ('广大干部新征程上奋力担当作为', '各地激励干部担当作为工作综述', 1)
    """
    report = report if report is not None else Report()
    seen = seen if seen is not None else Seen()
    for art in _articles(expand_paths(paths), report, max_chars, dates or DateOptions(), on_file):
        yield from passages(art, seen, report)


def _unique_id(art: Article, seen: Seen) -> None:
    base, n = art.id, 1
    while art.id in seen.ids:
        n += 1
        art.id = f"{base}-{n}"
    seen.ids.add(art.id)


def passages(art: Article, seen: Seen, report: Report) -> list[Article]:
    """``art`` with its id made unique and near-duplicates marked, passage by passage.

    A near-duplicate's paragraphs that its original holds stay in it (``duplicate_of`` set,
    counted once: ``duplicate_passages``); those the original lacks become an article of their
    own that ``continues`` the original, so what only the later capture says reaches the graph.

    >>> seen, r = Seen(), Report()
    >>> story = "全国总工会今天召开执委会议，部署下半年工作，要求各级工会做好职工服务。"
    >>> first = passages(Article(id="a", source="", title="会议", text=story), seen, r)
    >>> more = "丹东一家药企开展“安康杯”竞赛，组织职工学习安全知识，排查隐患一百余处。"
    >>> again = passages(Article(id="b", source="", title="会议", text=story + "\\n" + more), seen, r)
    >>> [(a.text[:6], a.duplicate_of, a.continues) for a in again], r.counts["duplicate_passages"]
    ([('全国总工会今', 'a', None), ('丹东一家药企', None, 'a')], 1)
    """
    _unique_id(art, seen)
    original = seen.dedup.add(art.id, art.text)
    if original is None:
        return [art]
    paras = [art.text[s:e] for s, e in art.paragraphs]
    new = seen.dedup.new_passages(original, paras)
    old = [p for p, fresh in zip(paras, new, strict=True) if not fresh]
    report.count("duplicate_passages", len(old))
    if len(old) == len(paras):
        art.duplicate_of = original
        return [art]
    text = "\n".join(p for p, fresh in zip(paras, new, strict=True) if fresh)
    out = []
    if old:  # the capture keeps its id and the passages its original holds
        out.append(replace(art, text="\n".join(old), paragraphs=(), duplicate_of=original))
        art = replace(art, id=article_id(art.title + "\n" + text))
        _unique_id(art, seen)
    rest = replace(art, text=text, paragraphs=(), continues=original)
    seen.dedup.keep(rest.id, rest.text)
    return [*out, rest]


def _too_long(n: int, where: str, report: Report, max_chars: int | None) -> bool:
    if max_chars is None or n <= max_chars:
        return False
    report.warn(
        "long_articles",
        f"{where}: {n:,} characters in one article, over the limit of {max_chars:,};"
        " skipped (split it into articles)",
    )
    return True


def _read_text(path: Path, report: Report) -> str | None:
    """The decoded text of a whole file, or None with one ``skipped_files`` warning."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        report.warn("skipped_files", f"{quoted(path)}: cannot read it ({exc.strerror}), skipped")
        return None
    text = decode(data)
    if text is None:
        report.warn("skipped_files", f"{quoted(path)}: binary or not text in a known encoding, skipped")
        return None
    if not text.strip():
        report.warn("skipped_files", f"{quoted(path)}: empty file, skipped")
        return None
    return text


def _articles(
    files: list[Path],
    report: Report,
    max_chars: int | None,
    dates: DateOptions,
    on_file: Callable[[Path], object] | None = None,
) -> Iterator[Article]:
    for path in files:
        if on_file is not None:
            on_file(path)
        if _SURROGATE.search(str(path)):
            report.warn(
                "file_names",
                f"{quoted(path)}: the file name is not UTF-8; read, with its bytes as \\x escapes in source",
            )
        suffix = path.suffix.lower()
        if suffix == ".jsonl":
            yield from _jsonl_file(path, report, max_chars, dates)
            continue
        if suffix in UNREAD_SUFFIXES:
            report.warn(
                "skipped_files", f"{quoted(path)}: a {suffix} file is not read (newskg reads {READ}), skipped"
            )
            continue
        text = _read_text(path, report)
        if text is None:
            continue
        if suffix in (".json", ".csv"):
            read = _json_records if suffix == ".json" else _csv_records
            yield from _record_articles(path, read(path, text, report), report, max_chars, dates)
            continue
        report.count("files")
        paras = paragraphs(text)
        report.count("paragraphs", sum(p.kind != "empty" for p in paras))
        lines = [(p, date_line(p.text) if len(p.text) <= 40 else "") for p in paras]
        page = next((d for _, d in lines if d), "")
        report.count("date_lines", sum(bool(d) for _, d in lines))
        paras = [p for p, d in lines if not d]
        page_text = "\n".join(p.text for p in paras)
        found = 0
        for block in split(repair(paras)):
            if block.dropped:
                report.count("headline_lines_dropped", len(block.dropped))
            if _too_long(sum(len(p.text) for p in block.body), quoted(path), report, max_chars):
                found += 1
                continue
            if (art := _article(block, printable(path))) is not None:
                found += 1
                _date(art, [("page", page), *dates.sources(path)], page_text)
                report.count("title_lines", len(block.head))
                report.count("byline_lines", len(block.bylines) + len(block.credits))
                yield art
            else:
                report.count("lines_in_no_article", len(block.head) + len(block.bylines) + len(block.credits))
        if not found:
            report.warn("empty_pages", f"{quoted(path)}: no article text (only headings or markers), skipped")


def _date(art: Article, sources: list[tuple[str, str]], text: str | None = None) -> None:
    """Give ``art`` its date and date_source: its dateline's in the year of the first of ``sources``,
    or a year inferred from ``text`` (default: the article's)."""
    art.date, art.date_source = dated(art.date, sources, art.text if text is None else text)


def page_articles(text: str, source: str = "") -> list[Article]:
    """The articles of one newspaper page (``.txt`` or ``.md`` text), repaired and split.

    >>> [a.title for a in page_articles("标题\\n\\n本报讯(记者 刘强)今天开\\n\\n会。")]
    ['标题']
    >>> page_articles("标题\\n\\n本报讯(记者 刘强)今天开\\n\\n会。")[0].text
    '今天开会。'
    """
    blocks = split(repair(paragraphs(text)))
    return [art for block in blocks if (art := _article(block, source)) is not None]


def _decode_line(raw: bytes) -> str | None:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return None


def _capped_lines(f, cap: int | None) -> Iterator[bytes | None]:
    """The lines of a binary file; None for a line over ``cap`` bytes, which is skipped unread."""
    if cap is None:
        yield from f
        return
    while line := f.readline(cap + 1):
        if len(line) > cap and not line.endswith(b"\n"):
            while (rest := f.readline(2**20)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield line


def _jsonl_file(path: Path, report: Report, max_chars: int | None, dates: DateOptions) -> Iterator[Article]:
    """Stream a JSONL file line by line: a file of millions of articles is never held in memory."""
    try:
        with path.open("rb") as f:
            head = f.read(65536)
            lines: Iterable[bytes | str | None] = _capped_lines(
                f, None if max_chars is None else MAX_LINE_BYTES
            )
            readable = not _binary(head)
            if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16: its lines are not byte lines
                text = decode(head + f.read())
                readable, lines = text is not None, (text or "").splitlines()
            if not readable:
                report.warn(
                    "skipped_files", f"{quoted(path)}: binary or not text in a known encoding, skipped"
                )
                return
            if not head.strip():
                report.warn("skipped_files", f"{quoted(path)}: empty file, skipped")
                return
            report.count("files")
            f.seek(0)
            for lineno, raw in enumerate(lines, 1):
                if raw is None:
                    report.warn(
                        "long_articles",
                        f"{quoted(path)}:{lineno}: a line over {MAX_LINE_BYTES // 2**20} MB;"
                        " skipped unread (split it into articles)",
                    )
                    continue
                line = raw if isinstance(raw, str) else _decode_line(raw)
                if line is None:
                    report.warn(
                        "bad_lines", f"{quoted(path)}:{lineno}: not UTF-8 or GB18030 text, line skipped"
                    )
                    continue
                if (art := _jsonl_article(path, lineno, line, report, max_chars, dates)) is not None:
                    yield art
    except OSError as exc:
        report.warn("skipped_files", f"{quoted(path)}: cannot read it ({exc.strerror}), skipped")


def _field(value: object) -> str:
    """A metadata field (JSONL title, id, date, url; a source) as one line without control characters.

    >>> _field("标题\\x00\\x1b[1m\\n续"), _field(None), _field(7)
    ('标题[1m 续', '', '7')
    """
    return "" if value is None else str(value).translate(_FIELD_CONTROLS).strip()


def _json_records(path: Path, text: str, report: Report) -> Iterator[tuple[str, object]] | None:
    """``(where, record)`` of a ``.json`` file: an array of article objects, or one; None if neither."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"{quoted(path)}: not valid JSON ({exc.msg} at line {exc.lineno})"
        report.warn("skipped_files", f"{where}, skipped")
        return None
    except (ValueError, RecursionError):  # a number too long for int(), or nesting too deep
        report.warn(
            "skipped_files", f"{quoted(path)}: not valid JSON (a number too long, or too deep), skipped"
        )
        return None
    if isinstance(doc, dict):
        doc = [doc]
    if not isinstance(doc, list):
        report.warn("skipped_files", f"{quoted(path)}: JSON that is not an array of article objects, skipped")
        return None
    return ((f"{quoted(path)}[{i}]", obj) for i, obj in enumerate(doc))


def _csv_records(path: Path, text: str, report: Report) -> Iterator[tuple[str, object]] | None:
    """``(where, row)`` of a ``.csv`` file with a header row naming a ``text`` column; None without one."""
    rows = csv.DictReader(io.StringIO(text, newline=""))
    fields = [(f or "").strip().lower() for f in rows.fieldnames or []]
    if "text" not in fields:
        report.warn(
            "skipped_files",
            f"{quoted(path)}: a CSV file needs a header row with a text column"
            " (and optionally id, title, date, source, url), skipped",
        )
        return None
    rows.fieldnames = fields
    return ((f"{quoted(path)}:{rows.line_num}", row) for row in rows)


def _record_articles(
    path: Path,
    records: Iterable[tuple[str, object]] | None,
    report: Report,
    max_chars: int | None,
    dates: DateOptions,
) -> Iterator[Article]:
    """The articles of a file of records (``.json``, ``.csv``); bad records are warned about and skipped."""
    if records is None:
        return
    report.count("files")
    with _csv_field_limit():
        for where, obj in records:
            if (art := _record_article(path, where, obj, report, max_chars, dates)) is not None:
                yield art


@contextmanager
def _csv_field_limit() -> Iterator[None]:
    """Let the csv module read fields as long as an article may be (its default stops at 128 KB)."""
    old = csv.field_size_limit(MAX_LINE_BYTES)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _jsonl_article(
    path: Path, lineno: int, line: str, report: Report, max_chars: int | None, dates: DateOptions
) -> Article | None:
    """The article of one JSONL line, or None (with a warning unless the line is blank)."""
    if not line.strip():
        return None
    where = f"{quoted(path)}:{lineno}"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        report.warn("bad_lines", f"{where}: not valid JSON ({exc.msg}), line skipped")
        return None
    except ValueError:  # a number of over 4,300 digits (int() refuses it)
        report.warn("bad_lines", f"{where}: not valid JSON (a number too long to read), line skipped")
        return None
    except RecursionError:
        report.warn("bad_lines", f"{where}: not valid JSON (nested too deeply to read), line skipped")
        return None
    return _record_article(path, where, obj, report, max_chars, dates)


def _record_article(
    path: Path, where: str, obj: object, report: Report, max_chars: int | None, dates: DateOptions
) -> Article | None:
    """The article of one record (a JSON object or a CSV row), or None with a ``bad_lines`` warning."""
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not obj["text"].strip():
        what = "a row with" if path.suffix.lower() == ".csv" else "a JSON object with"
        report.warn("bad_lines", f'{where}: needs {what} a non-empty "text", skipped')
        return None
    if any(isinstance(obj.get(k), str) and _SURROGATE.search(obj[k]) for k in _JSONL_FIELDS):
        report.warn("bad_lines", f"{where}: a lone surrogate (\\ud800-\\udfff) is not text, line skipped")
        return None
    if _too_long(len(obj["text"]), where, report, max_chars):
        return None
    paras = repair([p for p in paragraphs(obj["text"]) if p.kind != "empty"])
    k = next((i for i, p in enumerate(paras) if p.kind != "byline"), len(paras))
    block = Block(bylines=paras[:k], body=paras[k:])
    art = _article(block, str(obj.get("source") or printable(path)), title=_field(obj.get("title")))
    if art is None:
        report.warn("bad_lines", f'{where}: "text" has no words, skipped')
        return None
    if aid := _field(obj.get("id")):
        art.id = aid
    given = _field(obj.get("date"))
    full = parse_date(given)  # ISO, 2022年6月28日, 2022/6/28, 20220628: the input's date
    if given and not full and not (short := jsonl_date(given)):
        report.warn("bad_dates", f'{where}: "date" is not a date (ISO 8601 or 2022年6月28日), dropped')
    elif given and not full and not art.date:
        art.date = short  # --06-28: a dateline's month and day
    _date(art, [("input", full), *dates.sources(path)])
    art.url = _field(obj.get("url"))
    return art


def jsonl_date(text: str) -> str:
    """The ISO 8601 form of a JSONL ``date``: as given when ISO 8601, a Chinese date converted; else "".

    >>> jsonl_date("2022-06-28"), jsonl_date("2022年6月28日"), jsonl_date("6月28日"), jsonl_date("=1+1")
    ('2022-06-28', '2022-06-28', '--06-28', '')
    """
    if _ISO_DATE.fullmatch(text):
        day = text[:10]
        try:
            if len(day) == 10 and not day.startswith("--"):
                datetime.date.fromisoformat(day)
        except ValueError:
            return ""
        return text
    if m := _CHINESE_DATE.fullmatch(text):
        year, month, day = m.groups()
        return jsonl_date(format_date(year, month, day))
    return ""


def _article(block: Block, source: str, title: str = "") -> Article | None:
    """An Article from a block: head to title, bylines and leads to people, body to text."""
    if not title:
        title, subtitle = title_parts(block.head)
    else:
        subtitle = ""
    byline: list[BylinePerson] = [person for p in block.bylines for person in people(p.text)]
    sources = [agency(p.text) for p in block.bylines]
    body = [p.text for p in block.body]
    lead = Lead(end=0)
    if body and (found := parse_lead(body[0])):
        lead, body[0] = found, body[0][found.end :]
        byline.extend(lead.people)
        sources.append(lead.agency)
    place, date = lead.place, lead.date
    for p in block.credits:
        if (close := parse_close(p.text)) is not None:
            place, date = place or close[1].place, date or close[1].date
            sources.append(close[1].agency)
        else:
            credit = parse_credit(p.text)
            byline.extend(credit[1] if credit else people(p.text))
            sources.append(agency(p.text))
    if body and (close := parse_close(body[-1])) is not None:
        body[-1] = body[-1][: close[0]].rstrip()
        place, date = place or close[1].place, date or close[1].date
        sources.append(close[1].agency)
    if body and (credit := parse_credit(body[-1])) is not None and (block.caption or credit[0] > 0):
        sources.append(agency(body[-1][credit[0] :]))
        body[-1] = body[-1][: credit[0]].rstrip()
        byline.extend(credit[1])
    body = [t.strip() for t in body if t.strip()]
    if not body:
        return None
    text = "\n".join(body)
    spans, start = [], 0
    for t in body:
        spans.append((start, start + len(t)))
        start += len(t) + 1
    return Article(
        id=article_id(title + "\n" + text),
        source=_field(source),  # a file name, or a JSONL "source": either may hold control characters
        title=title,
        text=text,
        subtitle=subtitle,
        byline=tuple(dict.fromkeys(byline)),
        dateline_place=place,
        agency=next(filter(None, sources), ""),
        date=date,
        pages=tuple(block.pages),
        paragraphs=tuple(spans),
    )
