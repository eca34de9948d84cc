"""Generate a realistic corpus of N news articles, deterministic by seed.

Every article is made of sentences drawn from the seed articles (``seeds/``) and
recombined into paragraphs, with the names in them swapped: each person (jieba tag
``nr``) becomes a new name from common surnames and given-name characters
(``data/names.txt``), each place (``ns``) a random division of the official table
(:mod:`newskg.extract.recognition.divisions`), full or short form. A name is swapped the same way
throughout one article, so co-mentions repeat as they do in real news. Article ``i``
depends only on ``(seed, i)``: a corpus of 1,000 is the first 1,000 articles of a
corpus of 10,000.

Output: ``DIR/corpus-00000.jsonl``, ... with 1,000 articles a file, one JSON object a
line with ``title``, ``text`` and ``date``.

Usage::

    python benchmarks/make_corpus.py 10000 --out /tmp/corpus10k --seed 1

>>> arts = list(generate(2, seed=1))
>>> arts == list(generate(2, seed=1)) and arts[0]["text"] != arts[1]["text"]
True
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
PER_FILE = 1000


@cache
def _names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    parts: dict[str, tuple[str, ...]] = {}
    for line in (Path(__file__).parent / "data" / "names.txt").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            key, _, chars = line.partition(":")
            parts[key] = tuple(chars.split())
    return parts["surnames"], parts["given"]


@cache
def _places() -> tuple[tuple[str, str], ...]:
    from newskg.extract.recognition import divisions

    return tuple((d.name, d.short) for d in divisions.all_divisions() if d.level <= 3)


@cache
def _pool() -> tuple[tuple[tuple[tuple[str, str], ...], ...], tuple[tuple[tuple[str, str], ...], ...]]:
    """Tokenised (word, jieba flag) sentences and titles of the seed articles."""
    import jieba
    import jieba.posseg as pseg
    from newskg.extract import split_sentences
    from newskg.extract.ingestion.ingest import ingest

    jieba.setLogLevel(60)
    sentences, titles = [], []
    for art in ingest([SEEDS]):
        if art.duplicate_of:
            continue
        if art.title:
            titles.append(tuple((w.word, w.flag) for w in pseg.cut(art.title)))
        for s in split_sentences(art):
            text = art.text[s.start : s.end]
            if len(text) >= 8:
                sentences.append(tuple((w.word, w.flag) for w in pseg.cut(text)))
    return tuple(sentences), tuple(titles)


def _render(tokens: tuple[tuple[str, str], ...], swap: dict[str, str], rng: random.Random) -> str:
    out = []
    for word, flag in tokens:
        if len(word) > 1 and flag in ("nr", "ns"):
            if word not in swap:
                swap[word] = _new_name(flag, rng) if rng.random() < 0.85 else word
            word = swap[word]
        out.append(word)
    return "".join(out)


def _new_name(flag: str, rng: random.Random) -> str:
    if flag == "nr":
        surnames, given = _names()
        return rng.choice(surnames) + "".join(rng.choice(given) for _ in range(rng.choice((1, 2, 2))))
    full, short = rng.choice(_places())
    return full if rng.random() < 0.6 else short


def article(i: int, seed: int = 0) -> dict:
    """Article number ``i`` of the corpus of ``seed``: ``{"title", "text", "date"}``."""
    sentences, titles = _pool()
    rng = random.Random(f"{seed}:{i}")
    swap: dict[str, str] = {}
    paragraphs = []
    for _ in range(rng.randint(4, 16)):
        sents = [rng.choice(sentences) for _ in range(rng.randint(1, 4))]
        paragraphs.append("".join(_render(s, swap, rng) for s in sents))
    day = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(3650))
    return {"title": _render(rng.choice(titles), swap, rng), "text": "\n".join(paragraphs), "date": str(day)}


def generate(n: int, seed: int = 0) -> Iterator[dict]:
    """The first ``n`` articles of the corpus of ``seed``."""
    for i in range(n):
        yield article(i, seed)


def write_corpus(n: int, out: str | Path, seed: int = 0) -> int:
    """Write ``n`` articles to ``out/corpus-NNNNN.jsonl`` files; return the characters of their texts."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    chars = 0
    for start in range(0, n, PER_FILE):
        with open(out / f"corpus-{start // PER_FILE:05d}.jsonl", "w", encoding="utf-8") as f:
            for i in range(start, min(n, start + PER_FILE)):
                art = article(i, seed)
                chars += len(art["text"])
                f.write(json.dumps(art, ensure_ascii=False) + "\n")
    return chars


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("n", type=int, help="number of articles")
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = p.parse_args(argv)
    if args.n < 1:
        p.error("N must be at least 1")
    chars = write_corpus(args.n, args.out, args.seed)
    print(f"wrote {args.n} articles ({chars:,} chars) to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
