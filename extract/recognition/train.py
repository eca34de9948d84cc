"""Train the tagger (:mod:`newskg.extract.recognition.tagger`) on public NER corpora: ``newskg train``.

The corpora are JSON Lines in the gold format of :mod:`newskg.extract.recognition.evaluate`. A tenth of
each corpus (every sentence whose id hashes to 0 mod 10) is held out and never
trained on, so that the held-out scores this command prints, and that README quotes,
are measured on text the model and its author never tuned on.

CLUENER2020 (``cluener_train.jsonl``, 2020 news snippets) follows other conventions
than the news corpus, so its sentences are taken only where every span maps cleanly
(:func:`cluener_spans`): names are people; companies and government bodies are
organisations unless the span is a bare generic word (政府, 警方); other organisations
only when they end in an organisation head (clubs by a city's name, 利物浦, would teach
that cities are organisations); addresses are places only when they are one place
name, not a street address; books, games, films and positions are no entity in the
news conventions; a sentence with a scenic spot is left out (the news corpus marks
some as places and not others).

>>> cluener_spans({"text": "王明去北京市", "entities": [
...     {"start": 0, "end": 2, "cluener_type": "name"},
...     {"start": 3, "end": 6, "cluener_type": "address"}]})
[(0, 2, 'PERSON'), (3, 6, 'PLACE')]
>>> held_out("tr00007"), held_out("tr00008")
(False, True)
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import time
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import pycrfsuite
from newskg.extract.doc import make_doc
from newskg.extract.recognition import divisions, tagger
from newskg.extract.recognition.evaluate import TYPES, Score, load_gold, report, score, systems
from newskg.extract.recognition.evaluate import tagger as evaluate_tagger
from newskg.extract.recognition.lexicon import ORG_HEADS_HEADS, ORG_NAMES, WORLD_PLACES
from newskg.extract.recognition.recognise import RULES
from newskg.extract.records import Article

# Training parameters, chosen on the held-out tenth of the news corpus.
PARAMS = {"c1": 0.1, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}

_PLACE_ENDS = tuple("省市县区镇乡村州国岛洲")
_ORG_ENDS = tuple(sorted(ORG_HEADS_HEADS, key=len, reverse=True)) + ("队",)


def held_out(sentence_id: str) -> bool:
    """Whether a sentence is in the held-out tenth (by a hash of its id)."""
    return zlib.crc32(sentence_id.encode("utf-8")) % 10 == 0


def read(path: str | Path) -> list[dict]:
    """The rows of a JSON Lines corpus."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def news_spans(row: dict) -> list[tuple[int, int, str]]:
    """The PERSON/PLACE/ORG spans of a news-corpus row."""
    return [(e["start"], e["end"], e["type"]) for e in row["entities"] if e["type"] in TYPES]


def _place(text: str) -> bool:
    if divisions.by_name(text) or text in WORLD_PLACES:
        return True
    return 2 <= len(text) <= 4 and text.endswith(_PLACE_ENDS)


def cluener_spans(row: dict) -> list[tuple[int, int, str]] | None:
    """The spans of a CLUENER row in the news conventions, or None when one does not map."""
    out = []
    for e in row["entities"]:
        kind, text = e["cluener_type"], row["text"][e["start"] : e["end"]]
        if kind == "name":
            out.append((e["start"], e["end"], "PERSON"))
        elif kind in ("company", "government"):
            if len(text) < 3 and text not in ORG_NAMES:
                return None
            out.append((e["start"], e["end"], "ORG"))
        elif kind == "organization":
            if not text.endswith(_ORG_ENDS):
                return None
            out.append((e["start"], e["end"], "ORG"))
        elif kind == "address":
            if not _place(text):
                return None
            out.append((e["start"], e["end"], "PLACE"))
        elif kind == "scene":
            return None
    return out


def examples(rows: Iterable[dict], spans=news_spans) -> Iterator[tuple[list[list[str]], list[str]]]:
    """(features, labels) of every row whose spans map, with the rules' output as hints."""
    for row in rows:
        gold = spans(row)
        if gold is None:
            continue
        text = row["text"]
        doc = make_doc(Article(id="", source="", title="", text=text))
        hints = [m for component in RULES for m in component(doc)]
        yield tagger.features(text, doc.tokens, hints), tagger.labels(text, gold)


def train(pairs: Iterable[tuple[list[list[str]], list[str]]], model: str | Path, log=print) -> None:
    """Train a CRF on ``pairs`` and write it to ``model``."""
    trainer = pycrfsuite.Trainer(verbose=False)
    n = 0
    for xseq, yseq in pairs:
        trainer.append(xseq, yseq)
        n += 1
    trainer.set_params(PARAMS)
    log(f"training on {n} sentences ({PARAMS})")
    t0 = time.monotonic()
    trainer.train(str(model))
    log(f"trained in {time.monotonic() - t0:.0f} s: {model} ({Path(model).stat().st_size / 1e6:.1f} MB)")


def cluener_gold(rows: Iterable[dict]) -> list[dict]:
    """CLUENER rows with the plain type mapping (name, address, company, government,
    organization), for the cross-domain score."""
    keep = {"PERSON", "PLACE", "ORG"}
    return [{**r, "entities": [e for e in r["entities"] if e["type"] in keep]} for r in rows]


def evaluate(
    model: str, news: Path, cluener: Path | None = None, dev: Path | None = None, log=print
) -> dict[str, Score]:
    """Scores of the pipeline with the tagger ``model`` on the held-out tenths of the
    corpora (CLUENER with the plain type mapping) and on ``dev``."""
    tag = evaluate_tagger(systems(model)["newskg"])
    out = {"news held-out": score([r for r in read(news) if held_out(r["id"])], tag)}
    if cluener is not None:
        out["cluener held-out"] = score(cluener_gold(r for r in read(cluener) if held_out(r["id"])), tag)
    if dev is not None:
        out["dev"] = score(load_gold(dev), tag)
    for name, s in out.items():
        log(f"== {name}\n{report(s)}")
    return out


def main(news: Path, cluener: Path | None, model: Path, dev: Path | None = None, log=print) -> dict:
    """Train on the news corpus (and CLUENER) less their held-out tenths, score the model,
    and write its card (:func:`card`) beside it as ``.json``; return the card."""
    rows = [r for r in read(news) if not held_out(r["id"])]
    pairs = list(examples(rows))
    corpora = [{"file": news.name, "sentences": len(pairs), "terms": TERMS["news"]}]
    if cluener is not None:
        clue = [r for r in read(cluener) if not held_out(r["id"])]
        extra = list(examples(clue, cluener_spans))
        log(f"CLUENER: {len(extra)} of {len(clue)} sentences map to the news conventions")
        pairs += extra
        corpora.append({"file": cluener.name, "sentences": len(extra), "terms": TERMS["cluener"]})
    t0 = time.monotonic()
    train(pairs, model, log)
    seconds = time.monotonic() - t0
    tagger.model.cache_clear()
    scores = evaluate(str(model), news, cluener, dev, log)
    info = card(model, corpora, scores, seconds)
    model.with_suffix(".json").write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return info


# What the corpora are and on what terms a model trained on them is shipped (see README).
TERMS = {
    "news": "MSRA NER (SIGHAN 2006) and People's Daily 1998 NER, research corpora redistributed in "
    "public repositories; no licence of their own is stated, and a model trained on them inherits "
    "their terms (research use)",
    "cluener": "CLUENER2020 (CLUEbenchmark), Sina news snippets of about 2020; no licence file; a "
    "model trained on it inherits its terms (research use)",
}


def card(model: Path, corpora: list[dict], scores: dict[str, Score], seconds: float) -> dict:
    """The model's provenance and measured quality: what README and the build's RDF cite."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=Path(__file__).parent
    ).stdout.strip()
    return {
        "model": model.name,
        "bytes": model.stat().st_size,
        "sha256": hashlib.sha256(model.read_bytes()).hexdigest(),
        "kind": "linear-chain CRF (python-crfsuite), character BIOES labels",
        "params": PARAMS,
        "corpora": corpora,
        "held_out": "every sentence whose id's CRC-32 is 0 mod 10, never trained on",
        "command": "newskg train (make model)",
        "commit": commit,
        "training_seconds": round(seconds),
        "scores": {name: {t: round(c.f1, 4) for t, c in s.table.items()} for name, s in scores.items()},
    }
