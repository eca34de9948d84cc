"""Abbreviations: fixed short forms of national bodies, and the 总工会 short-form pattern.

Fixed short forms (全总 = 中华全国总工会, 中组部 = 中央组织部, 国网 = 国家电网) are
general knowledge and live in ``data/abbreviations.tsv``. Trade unions at every
level are called ``X省总`` / ``X市总`` / ``X区总`` / ``X县总`` for ``X…总工会``;
:func:`union_full_name` expands those.

Examples
--------
>>> lookup("全总")
('中华全国总工会', 'ORG')
>>> union_full_name("北京市怀柔区总")
'北京市怀柔区总工会'
>>> union_full_name("区总"), union_full_name("总经理")
('区总工会', None)
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from newskg.extract.recognition import lexicon

# Level characters that end a division name and take the 总工会 short form.
UNION_LEVELS = "省市区县"
UNION_HEAD = "总工会"

_NOT_UNION_NEXT = lexicon.section("abbreviation_rules", "not_union_next")
_UNION_SHORT = re.compile(f"[{UNION_LEVELS}]总$")


@cache
def _table() -> dict[str, tuple[str, str]]:
    text = resources.files("newskg.extract.data").joinpath("abbreviations.tsv").read_text("utf-8")
    table = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            short, full, type_ = line.split("\t")
            table[short] = (full, type_)
    return table


def lookup(text: str) -> tuple[str, str] | None:
    """``(full name, type)`` of a fixed short form, or None.

    >>> lookup("中组部"), lookup("河南")
    (('中央组织部', 'ORG'), None)
    """
    return _table().get(text)


def strip_prefix(name: str) -> str:
    """``name`` without a leading national body's short or full name (国网山东… -> 山东…).

    >>> strip_prefix("国网山东莒县供电公司"), strip_prefix("河南省总工会")
    ('山东莒县供电公司', '河南省总工会')
    """
    for short, (full, type_) in _table().items():
        if type_ != "ORG":
            continue
        for form in (full, short):
            if name.startswith(form) and len(name) > len(form):
                return name[len(form) :]
    return name


def union_full_name(text: str) -> str | None:
    """``X省总`` -> ``X省总工会`` (likewise 市总, 区总, 县总); None for anything else."""
    return text + UNION_HEAD[1:] if _UNION_SHORT.search(text) else None


def is_union_short_at(text: str, end: int) -> bool:
    """True if ``text[:end]`` ends with ``省总`` (etc.) and the next character keeps it a short form.

    >>> is_union_short_at("河南省总支持下", 4), is_union_short_at("河南省总书记", 4)
    (True, False)
    """
    if not _UNION_SHORT.search(text[:end]):
        return False
    return text[end : end + 1] not in _NOT_UNION_NEXT and text[end : end + 2] != "支部"
