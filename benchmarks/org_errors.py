"""Classify the organisation errors of the pipeline on a gold file (issue #24's ORG analysis).

Every gold ORG the pipeline does not find exactly, and every predicted ORG that is not gold,
is put in one class by what it overlaps on the other side:

- FN missed: nothing predicted overlaps the gold organisation;
- FN wrong type (T): the same span predicted as T;
- FN too short (T, front/end cut): one predicted span of type T inside the gold one;
- FN too long (T): one predicted span containing it;
- FN crossing / split into: one crossing span, or several spans;
- FP spurious: the predicted organisation overlaps no gold span;
- FP wrong type (gold T), FP inside / contains / crossing gold T, FP merges (several gold spans).

Prints the counts, largest first, and with ``--examples FILE`` writes every error with the
span on the other side and its sentence. Tune on the held-out tenths of the training corpora
(``newskg.extract.recognition.train.held_out``), not on the dev file.

Usage::

    python benchmarks/org_errors.py GOLD.jsonl [--model M] [--examples FILE]
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict

from newskg.extract.recognition.evaluate import TYPES, load_gold, systems, tagger


def overlaps(a: tuple, b: tuple) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def classify(g: tuple, others: list[tuple], miss: str) -> str:
    """The class of the error ``g`` (a gold FN when ``miss`` is "FN", a predicted FP when "FP")
    given the spans of the other side that overlap it."""
    if not others:
        return "FN missed" if miss == "FN" else "FP spurious"
    same = [o for o in others if o[:2] == g[:2]]
    if same:
        return f"FN wrong type ({same[0][2]})" if miss == "FN" else f"FP wrong type (gold {same[0][2]})"
    if len(others) > 1:
        kinds = "+".join(sorted(o[2] for o in others))
        return f"FN split into {kinds}" if miss == "FN" else f"FP merges {kinds}"
    o = others[0]
    inside = o[0] >= g[0] and o[1] <= g[1]
    around = o[0] <= g[0] and o[1] >= g[1]
    if miss == "FN":
        if inside:
            cut = (" front cut" if o[0] > g[0] else "") + (" end cut" if o[1] < g[1] else "")
            return f"FN too short ({o[2]}{cut})"
        return f"FN too long ({o[2]})" if around else f"FN crossing ({o[2]})"
    if inside:
        return f"FP contains gold {o[2]}"
    return f"FP inside gold {o[2]}" if around else f"FP crossing gold {o[2]}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold")
    ap.add_argument("--model", default="", help="a tagger model file (default: the shipped one)")
    ap.add_argument("--examples", help="write every error with its sentence to this file")
    args = ap.parse_args()
    tag = tagger(systems(args.model)["newskg"])
    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    for row in load_gold(args.gold):
        text = row["text"]
        pred = {(m.start, m.end, m.type) for m in tag(text) if m.type in TYPES}
        want = {(e["start"], e["end"], e["type"]) for e in row["entities"] if e["type"] in TYPES}
        for side, errors, other in (("FN", want - pred, pred), ("FP", pred - want, want)):
            for e in errors:
                if e[2] != "ORG":
                    continue
                near = sorted(o for o in other if overlaps(o, e))
                k = classify(e, near, side)
                counts[k] += 1
                shown = ";".join(f"{text[o[0] : o[1]]}/{o[2]}" for o in near)
                examples[k].append(f"  [{text[e[0] : e[1]]}] vs [{shown}]  {text}")
    for k, n in counts.most_common():
        print(f"{n:5d}  {k}")
    if args.examples:
        with open(args.examples, "w", encoding="utf-8") as f:
            for k, n in counts.most_common():
                f.write(f"## {k} ({n})\n" + "\n".join(examples[k]) + "\n")


if __name__ == "__main__":
    main()
