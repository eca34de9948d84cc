"""Score a recogniser on a gold file: exact span and type, per type and overall.

The gold format is one JSON object a line, ``{"id", "text", "entities": [{"start",
"end", "type", "text"}]}`` (``/work/shared/benchmarks/news_ner_dev.jsonl``). Only the
types the gold file annotates (PERSON, PLACE, ORG by default) are scored, and the
recogniser runs without components for other types, whose longer spans would
otherwise hide the names inside them.

>>> gold = [{"id": "s", "text": "习近平在北京。", "entities": [
...     {"start": 0, "end": 3, "type": "PERSON", "text": "习近平"}]}]
>>> s = score(gold)
>>> s.table["PERSON"].recall, s.table["PLACE"].precision
(1.0, 0.0)
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from newskg.extract.errors import UserError
from newskg.extract.recognition.recognise import NAMES, RULES, Recogniser, names, recognise
from newskg.extract.records import Article, Mention

TYPES: tuple[str, ...] = ("PERSON", "PLACE", "ORG")


def systems(model: str = "") -> dict[str, tuple[Recogniser, ...]]:
    """The pipelines ``newskg eval --system`` scores, with the tagger reading ``model``
    (default: shipped): newskg (the tagger over the rules' hints), the tagger without
    hints, and the hand-written rules alone."""
    return {
        "newskg": (partial(names, model=model),),
        "tagger": (partial(names, rules=(), model=model),),
        "rules": RULES,
    }


@dataclass
class Counts:
    """True positives, predicted and gold counts of one type."""

    tp: int = 0
    pred: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    """Counts per type and overall (``table["ALL"]``), with throughput."""

    table: dict[str, Counts] = field(default_factory=dict)
    chars: int = 0
    seconds: float = 0.0
    errors: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def chars_per_s(self) -> float:
        return self.chars / self.seconds if self.seconds else 0.0

    def markdown(self, name: str = "newskg") -> str:
        """One markdown table row per type and overall."""
        rows = []
        for t in (*TYPES, "ALL"):
            c = self.table[t]
            rows.append(f"| {name} | {t} | {c.precision:.3f} | {c.recall:.3f} | {c.f1:.3f} |")
        return "\n".join(rows)


def load_gold(path: str | Path) -> list[dict]:
    """The gold sentences of a JSON Lines file; a bad line is a one-line UserError."""
    rows = []
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read gold file {path}: {exc}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            row["text"], row["entities"]  # noqa: B018 - both keys are required
        except (ValueError, KeyError, TypeError):
            raise UserError(f"{path}:{n}: not a gold line with 'text' and 'entities'") from None
        rows.append(row)
    return rows


def tagger(pipeline: Sequence[Recogniser] = NAMES) -> Callable[[str], list[Mention]]:
    """A function from text to mentions using ``pipeline``."""
    return lambda text: recognise(Article(id="", source="", title="", text=text), pipeline)


def score(
    gold: Iterable[dict],
    tag: Callable[[str], list[Mention]] | None = None,
    types: Sequence[str] = TYPES,
) -> Score:
    """Score ``tag`` (default: :func:`tagger`) on ``gold`` rows.

    Timing covers tagging only and counts CPU time of this process, so that other
    jobs on the machine do not change the figure.
    """
    tag = tag or tagger()
    tag("预热。")  # load dictionaries before timing
    s = Score(table={t: Counts() for t in (*types, "ALL")})
    for row in gold:
        text = row["text"]
        t0 = time.process_time()
        found = tag(text)
        s.seconds += time.process_time() - t0
        s.chars += len(text)
        pred = {(m.start, m.end, m.type) for m in found if m.type in types}
        want = {(e["start"], e["end"], e["type"]) for e in row["entities"] if e["type"] in types}
        for key, c in ((k, s.table[k[2]]) for k in pred | want):
            hit = key in pred and key in want
            for counts in (c, s.table["ALL"]):
                counts.tp += hit
                counts.pred += key in pred
                counts.gold += key in want
            if not hit:
                kind = "FP" if key in pred else "FN"
                s.errors.append((kind, key[2], text[key[0] : key[1]], text))
    return s


def report(s: Score) -> str:
    """A plain-text table of precision, recall and F1, and the throughput."""
    lines = [f"{'type':<8} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}"]
    for t, c in s.table.items():
        lines.append(f"{t:<8} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} {c.gold:6d}")
    lines.append(f"speed: {s.chars_per_s:,.0f} chars/s ({s.chars} chars in {s.seconds:.2f} s of CPU time)")
    return "\n".join(lines)
