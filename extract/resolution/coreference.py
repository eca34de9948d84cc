"""Further mentions of what an article already names: the mentions the recogniser missed and
resolution adds before it resolves (:func:`with_further_mentions`).

- a declared alias's full name and each later use of its short form (``华东重型机械装备有限公司
  （以下简称华重装备）``, then 华重装备: :mod:`.aliases`);
- union short forms after a chain of divisions (北京市怀柔区总) and relative forms (区总,
  该市总工会, 该公司), the latter kept only if resolution finds what they refer to;
- the first part of a ·-joined full name (阿依古丽 of 阿依古丽·买买提).

>>> from newskg.extract.records import Mention
>>> ms = [Mention("a", 0, 8, "PERSON", "阿依古丽·买买提")]
>>> [(m.text, m.source) for m in with_further_mentions(ms, [], "阿依古丽·买买提说，阿依古丽来了。", "a")]
[('阿依古丽·买买提', ''), ('阿依古丽', 'partial_name')]
"""

from __future__ import annotations

import re
from collections import Counter

from newskg.extract.recognition import place_names
from newskg.extract.records import Mention
from newskg.extract.resolution import abbreviations, aliases

# Mentions added here that resolution drops again when nothing resolves them.
TENTATIVE = "resolve_context"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_UNION_AT = re.compile(f"[{abbreviations.UNION_LEVELS}]总")
# 区总, 该市总工会, 该公司, 该集团: short forms naming the head of an earlier organisation.
_HEADS = f"[{abbreviations.UNION_LEVELS}]总(?:工会)?|公司|集团"
_ANAPHOR = re.compile(f"该({_HEADS})")
_MAX_CHAIN = 14


def with_further_mentions(
    ms: list[Mention], declared: list[aliases.Alias], text: str, aid: str
) -> list[Mention]:
    """``ms`` (sorted) with the aliases ``declared``, short forms and partial names of ``text`` added."""
    found = [*_alias_mentions(declared, text, aid), *_short_forms(text, aid), *_partial_names(ms, text, aid)]
    return _with_added(ms, found, max([len(text), *(m.end for m in ms)]))


def _with_added(ms: list[Mention], found: list[Mention], size: int) -> list[Mention]:
    """``ms`` plus each of ``found`` (in order) that does not overlap a mention partly.

    A found mention replaces the mentions strictly inside it (the PLACE 北京市 inside
    the found ORG 北京市怀柔区总); one that overlaps a mention partly is skipped.
    Linear in the text length plus the mentions.
    """
    pool = list(ms)
    alive = [True] * len(pool)
    owner = [-1] * size  # which mention of ``pool`` covers each character
    for i, m in enumerate(pool):
        owner[m.start : m.end] = [i] * (m.end - m.start)
    for new in found:
        inside = {owner[k] for k in range(new.start, new.end)} - {-1}
        if any(
            pool[j].start < new.start
            or pool[j].end > new.end
            or pool[j].end - pool[j].start == new.end - new.start
            for j in inside
        ):
            continue
        for j in inside:
            alive[j] = False
        owner[new.start : new.end] = [len(pool)] * (new.end - new.start)
        pool.append(new)
        alive.append(True)
    return sorted((m for m, keep in zip(pool, alive, strict=True) if keep), key=lambda m: (m.start, m.end))


def _alias_mentions(declared: list[aliases.Alias], text: str, aid: str) -> list[Mention]:
    """The declared full names, and each later use of their short forms."""
    out = []
    for a in declared:
        out.append(Mention(aid, a.start, a.end, a.type, a.full, source="alias"))
        for hit in re.finditer(re.escape(a.short), text[a.declared_at :]):
            s = a.declared_at + hit.start()
            out.append(Mention(aid, s, s + len(a.short), a.type, a.short, source="alias"))
    return out


def _place_chain_before(text: str, end: int) -> int | None:
    """Start of the longest chain of division names that ends exactly at ``end``."""
    for k in range(min(end, _MAX_CHAIN), 1, -1):
        chain, n = place_names.parse_chain(text[end - k : end], short_levels=2)
        if chain and n == k:
            return end - k
    return None


def _short_forms(text: str, aid: str) -> list[Mention]:
    """Mentions for X省总 / 区总 / 该市总工会 / 该公司 (the latter kept only if resolved)."""
    out = []
    for hit in _UNION_AT.finditer(text):
        i, e = hit.start(), hit.end()
        if not abbreviations.is_union_short_at(text, e):
            continue
        start = _place_chain_before(text, i + 1)
        if start is not None:
            out.append(Mention(aid, start, e, "ORG", text[start:e], source="union_short"))
        elif i == 0 or not _CJK.match(text[i - 1]):
            out.append(Mention(aid, i, e, "ORG", text[i:e], source=TENTATIVE))
    for hit in _ANAPHOR.finditer(text):
        form = hit.group(1)
        if form.endswith("总") and not abbreviations.is_union_short_at(text, hit.end()):
            continue
        out.append(Mention(aid, hit.start(), hit.end(), "ORG", hit.group(), source=TENTATIVE))
    return out


def _partial_names(ms: list[Mention], text: str, aid: str) -> list[Mention]:
    """Mentions for the first part of a ·-joined full name (阿依古丽 of 阿依古丽·买买提)."""
    firsts = Counter(m.split("·")[0] for m in {m.text for m in ms if m.type == "PERSON"} if "·" in m)
    out = []
    for first, n in firsts.items():
        if n == 1 and len(first) >= 2:
            for hit in re.finditer(re.escape(first) + "(?!·)", text):
                out.append(Mention(aid, hit.start(), hit.end(), "PERSON", first, source="partial_name"))
    return out
