"""Publication dates with years, and where each came from.

An article's date is its dateline's month and day (``本报北京6月28日电``) in the year of the
first source that gives a full date, in this order (``date_source``):

- ``input``: the ``date`` field of a JSONL (or CSV) record;
- ``page``: a date line of the page (``2022年6月29日 星期三``), or a dateline with its year;
- ``filename``: a date in the file's name (``2022-06-29``, ``20220629``);
- ``sidecar``: the date a sidecar table gives the file (``--dates dates.csv``: ``file,date``);
- ``option``: the date given for every file (``--date 2022-06-29``);
- ``inferred``: no source gives a year, but the article has a dateline: the latest year the text
  states (``2022年以来``), when no date the text gives in that year comes after the dateline's;
- ``none``: no full date. ``date`` is then the dateline's ``--MM-DD`` (ISO 8601 without a
  year), or empty.

A dateline's month and day take the source's year, or the year before when they come after
the source's date (a page of 2 January carries stories of 31 December).

>>> dated("--06-28", [("filename", "2022-06-29")], "")
('2022-06-28', 'filename')
>>> dated("--06-28", [], "2022年以来，各级工会……2021年9月，……")
('2022-06-28', 'inferred')
>>> dated("--06-28", [], "2022年10月，……"), dated("", [], "")
(('--06-28', 'none'), ('', 'none'))
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from newskg.extract.errors import UserError

SOURCES = ("input", "page", "filename", "sidecar", "option", "inferred", "none")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_FORMS = re.compile(
    r"\s*(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?"
    r"|(\d{2})(\d{2}))(?:[T ][\d:.+Z-]*)?\s*"
)
# A page's date line: the date alone, with the weekday, the page number or a masthead.
_DATE_LINE = re.compile(
    r"(?:\S{2,12}\s+)?(\d{4})年(\d{1,2})月(\d{1,2})日(?:\s*[(（]?(?:星期|周)[一二三四五六日天][)）]?)?"
    r"(?:\s*(?:农历\S{2,12}|第\s*\d+\s*版|\S{0,6}版))*"
)
_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)")
# A year the text states as past or present: not the end of a range or a target (2022年~2024年,
# 到2025年, 2025年前).
_YEAR = re.compile(r"(?<![~～—\-到至])((?:19|20)\d{2})\s*年(?![底末]?前)")
_ISO_MD = re.compile(r"--\d{2}-\d{2}")
_YEAR_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")


@dataclass(frozen=True)
class DateOptions:
    """The dates a user gives: ``option`` for every file (``--date``), ``sidecar`` by file (``--dates``)."""

    option: str = ""
    sidecar: dict[str, str] = field(default_factory=dict)

    def sources(self, path: str | Path) -> list[tuple[str, str]]:
        """The ``(date_source, date)`` pairs a file's name and these options give, in order of trust.

        >>> DateOptions("2022-01-01", {"b.txt": "2022-03-03"}).sources("x/b.txt")
        [('filename', ''), ('sidecar', '2022-03-03'), ('option', '2022-01-01')]
        """
        return [
            ("filename", filename_date(path)),
            ("sidecar", sidecar_date(self.sidecar, path)),
            ("option", self.option),
        ]


def full(date: str) -> bool:
    """True for a date with its year (``2022-06-28``), False for ``--06-28`` or "".

    >>> full("2022-06-28"), full("--06-28")
    (True, False)
    """
    return _ISO.fullmatch(date) is not None


def iso(year: int | str, month: int | str, day: int | str) -> str:
    """``YYYY-MM-DD`` of a real calendar date, else "".

    >>> iso(2022, 2, 29), iso("2024", "2", "29")
    ('', '2024-02-29')
    """
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return ""


def parse_date(text: str) -> str:
    """A full date written as ISO, ``2022/6/29``, ``2022.6.29``, ``2022年6月29日`` or ``20220629``; else "".

    >>> parse_date("2022年6月29日"), parse_date("2022-06-29T08:00:00+08:00"), parse_date("6月29日")
    ('2022-06-29', '2022-06-29', '')
    """
    m = _FORMS.fullmatch(text)
    if m is None:
        return ""
    y, *rest = m.groups()
    month, day = next((a, b) for a, b in zip(rest[::2], rest[1::2], strict=True) if a)
    return iso(y, month, day)


def date_line(text: str) -> str:
    """The date of a page's date line (``2022年6月29日 星期三``), or "" for any other paragraph.

    >>> date_line("2022年6月29日 星期三"), date_line("工人日报 2022年6月29日 第3版")
    ('2022-06-29', '2022-06-29')
    >>> date_line("2022年6月29日，会议召开。")
    ''
    """
    m = _DATE_LINE.fullmatch(text.strip())
    return iso(*m.groups()) if m else ""


def filename_date(path: str | Path) -> str:
    """A date in a file's name, or "".

    >>> filename_date("news/2022-06-29_p3.txt"), filename_date("20220629.md"), filename_date("000_9a7.txt")
    ('2022-06-29', '2022-06-29', '')
    """
    m = _IN_NAME.search(Path(path).name)
    return iso(*m.groups()) if m else ""


def read_sidecar(path: str | Path) -> dict[str, str]:
    """The ``file,date`` rows of a sidecar CSV table: file name (or path) -> ISO date.

    Raises :class:`UserError` (one line) for a missing file, a missing column or a bad date.
    """
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as exc:
        raise UserError(f"cannot read the dates table {path}: {exc.strerror}") from None
    except (UnicodeDecodeError, csv.Error):
        raise UserError(f"{path} is not a UTF-8 CSV table with columns file,date") from None
    out = {}
    for n, row in enumerate(rows, 2):
        name, value = (row.get("file") or "").strip(), (row.get("date") or "").strip()
        if not name or not (date := parse_date(value)):
            raise UserError(f"{path}:{n}: needs a file and a date such as 2022-06-29 (columns file,date)")
        out[name] = date
    return out


def option_date(value: str) -> str:
    """The ISO date of ``--date``; :class:`UserError` when it is not a full date."""
    date = parse_date(value)
    if not date:
        raise UserError(f"--date takes a full date such as 2022-06-29, not {value!r}")
    return date


def sidecar_date(table: dict[str, str], path: str | Path) -> str:
    """The date ``table`` gives the file at ``path`` (by its path as given, or its name), or ""."""
    p = Path(path)
    return table.get(str(path)) or table.get(p.as_posix()) or table.get(p.name) or ""


def infer(month_day: str, text: str) -> str:
    """The dateline's ``--MM-DD`` in the latest year ``text`` states, unless a date of that year is later.

    ``text`` is the article's, or its whole page's (the stories of a page share its date).
    Years that end a range or name a target (``2022年~2024年``, ``到2025年``) are not stated.

    >>> infer("--06-28", "2021年起……2022年以来，规划2022年~2024年"), infer("--06-28", "2022年9月")
    ('2022-06-28', '')
    >>> infer("--06-28", "没有年份")
    ''
    """
    years = [int(y) for y in _YEAR.findall(text)]
    if not years or not _ISO_MD.fullmatch(month_day):
        return ""
    year = max(years)
    md = (int(month_day[2:4]), int(month_day[5:7]))
    for y, m, d in _YEAR_DATE.findall(text):
        if int(y) == year and (int(m), int(d or 1)) > md:
            return ""
    return iso(year, *md)


def dated(dateline: str, sources: Iterable[tuple[str, str]], text: str) -> tuple[str, str]:
    """``(date, date_source)`` of an article: its dateline (ISO or ``--MM-DD``) given a year by ``sources``.

    ``sources`` are ``(name, ISO date or "")`` pairs in order of trust; ``text`` is read to infer.
    """
    if _ISO.fullmatch(dateline):
        return dateline, "page"
    for name, date in sources:
        if not date:
            continue
        if not _ISO_MD.fullmatch(dateline):
            return date, name
        year, md = int(date[:4]), dateline[2:]
        if md > date[5:]:
            year -= 1
        return iso(year, md[:2], md[3:]) or date, name
    if dateline and (guess := infer(dateline, text)):
        return guess, "inferred"
    return dateline, "none"
