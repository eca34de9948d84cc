"""People's roles in organisations, where the text states them next to the name.

Two shapes are read: ``ORG role、role… name`` (全总党组书记、副主席李四;
时任X工会主席的张三) and ``name，ORG role，`` (an apposition). A role that
starts with 工会 or 团委 belongs to that body of the organisation: ``X工会主席张三``
is 主席 of ``X工会``.

Examples
--------
>>> role_between("党组书记、副主席、书记处第一书记")
('', '党组书记、副主席、书记处第一书记')
>>> role_between("工会主席"), role_between("召开会议")
(('工会', '主席'), None)
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from newskg.extract.recognition import lexicon

SUB_BODIES = lexicon.ordered("role_rules", "sub_bodies")
_MAX_GAP = 30


@cache
def _role_pattern() -> re.Pattern[str]:
    roles = "|".join(sorted(_titles(), key=len, reverse=True))
    item = rf"[\u4e00-\u9fff]{{0,8}}?(?:{roles})"
    bodies = "|".join(SUB_BODIES)
    return re.compile(rf"({bodies})?({item}(?:[、兼]{item})*)的?")


def role_between(gap: str) -> tuple[str, str] | None:
    """``(sub-body, role)`` if ``gap`` is nothing but a role (list), else None."""
    if not gap or len(gap) > _MAX_GAP:
        return None
    m = _role_pattern().fullmatch(gap)
    return (m.group(1) or "", m.group(2)) if m else None


@cache
def _titles() -> frozenset[str]:
    text = resources.files("newskg.extract.data").joinpath("roles.txt").read_text("utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


def is_title(text: str) -> bool:
    """True if ``text`` is exactly one title word (书记, 主席, ...).

    >>> is_title("书记"), is_title("书记处")
    (True, False)
    """
    return text in _titles()
