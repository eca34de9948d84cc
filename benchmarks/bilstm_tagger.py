"""A character BiLSTM-CRF against the shipped CRF tagger (issue 24): same data, same features, same scorer.

An experiment, not package code: it needs torch (and onnx, onnxruntime for the export), which the
package does not depend on. It answers "would a small BiLSTM-CRF serve better than the CRF?".

- **Data**: exactly the CRF's (:func:`newskg.extract.recognition.train.main`): news_ner_train plus the
  CLUENER rows whose spans map (:func:`~newskg.extract.recognition.train.cluener_spans`), less the held-out
  tenth of each (CRC-32 of the id 0 mod 10), turned into (features, BIOES labels) by
  :func:`~newskg.extract.recognition.train.examples`, i.e. with the rules' mentions as hints.
- **Inputs**: the CRF's own feature strings (:func:`newskg.extract.recognition.tagger.features`), one
  embedding table per template: the character (100 dims), the character pairs before and after it
  (one shared bigram table, 32), the trigram around it (16), the jieba word (32; rare strings of these
  four are UNK), and 16 dims each for the characters' kinds, the position in the word with its
  dictionary tag, the gazetteer class of the word and its neighbours, the neighbours' tags, and the
  rules' hint, alone and with the word position. The neighbour characters' own templates (c-1, c+1)
  are left out: the LSTM reads its neighbours.
- **Model**: embeddings, dropout, one BiLSTM layer, a linear layer to 13 BIOES labels, and a linear-chain
  CRF (:class:`CRF`, written here: the forward algorithm for the loss, Viterbi for decoding).
  Adam, batches of 32 rows of similar length, one thread.
- **Tuning**: ``tune`` trains on the training rows less a tune tenth (CRC-32 of the id 1 mod 10) and
  scores the tune tenth (tagger spans, no rules) after every epoch; the held-out tenths and the dev file
  are not looked at. ``train`` then trains on all training rows for the chosen number of epochs.
- **Scoring**: ``score`` puts the BiLSTM in the CRF's place inside newskg's own pipeline
  (:func:`newskg.extract.recognition.recognise.names`: the rules' hints, the trusted rules, the
  post-processing and the gap-filling rules are the same), scores both with
  :func:`newskg.extract.recognition.evaluate.score` on the held-out news and CLUENER tenths and (``--dev``)
  the dev file, and also an ensemble (the mean of the CRF's and the BiLSTM-CRF's per-character label
  marginals, decoded by Viterbi under BIOES constraints). Speed: the taggers alone over the same
  precomputed features of the dev sentences (CPU time, one thread): the CRF, the BiLSTM in torch, and
  the BiLSTM exported to ONNX in onnxruntime (numpy Viterbi).

Usage (from the repository root, the venv's python, ``pip install torch==2.13.0 onnx onnxruntime``)::

    python benchmarks/bilstm_tagger.py tune  --minutes 18 [--hidden 128] [--dropout 0.3]
    python benchmarks/bilstm_tagger.py train --epochs N --minutes 20
    python benchmarks/bilstm_tagger.py score [--dev]

Files go to ``--work`` (default ``/tmp/bilstm_tagger``): the features (``data.pkl``), the model
(``model.pt``, ``vocab.pkl``, ``model.onnx``) and the scores (``scores.json``).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import random
import sys
import time
import zlib
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import torch
from newskg.extract.doc import make_doc
from newskg.extract.ingestion.sentences import split_sentences
from newskg.extract.recognition import tagger
from newskg.extract.recognition.evaluate import TYPES, load_gold, score, systems
from newskg.extract.recognition.evaluate import tagger as pipeline_tagger
from newskg.extract.recognition.recognise import RULES
from newskg.extract.recognition.train import cluener_gold, cluener_spans, examples, held_out, read
from newskg.extract.records import Article
from torch import nn

NEWS = Path("/work/shared/ner/news_ner_train.jsonl")
CLUENER = Path("/work/shared/ner/cluener_train.jsonl")
DEV = Path("/work/shared/benchmarks/news_ner_dev.jsonl")
LABELS = ["O"] + [f"{h}-{t}" for t in TYPES for h in "BIES"]
L2I = {label: i for i, label in enumerate(LABELS)}

# Embedding tables: (name, columns of tagger.features' tuple, dims, max vocabulary, min count).
TABLES = [
    ("char", (0,), 100, 8000, 1),
    ("bigram", (3, 4), 32, 30000, 3),
    ("trigram", (5,), 16, 10000, 3),
    ("word", (10,), 32, 15000, 3),
    ("kind", (6,), 16, 0, 1),
    ("pos", (7,), 16, 0, 1),
    ("hint", (8,), 16, 0, 1),
    ("hintpos", (9,), 16, 0, 1),
    ("class", (11,), 16, 0, 1),
    ("tags", (12, 13), 16, 0, 1),
    ("nclass", (14, 15), 16, 0, 1),
]
COLUMNS = [c for _, cols, *_ in TABLES for c in cols]


def tune_row(sentence_id: str) -> bool:
    """The tune tenth of the training rows (never a held-out row)."""
    return zlib.crc32(sentence_id.encode("utf-8")) % 10 == 1


# --- data -----------------------------------------------------------------------------------


def prepare(work: Path) -> dict:
    """The training rows' features and labels, as the CRF gets them (cached in ``work``)."""
    cache = work / "data.pkl"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    t0 = time.monotonic()
    news = [r for r in read(NEWS) if not held_out(r["id"])]
    clue_all = [r for r in read(CLUENER) if not held_out(r["id"])]
    clue = [r for r in clue_all if cluener_spans(r) is not None]
    rows = []
    for corpus, rs, spans in (("news", news, None), ("cluener", clue, cluener_spans)):
        pairs = examples(rs, spans) if spans else examples(rs)
        for r, (x, y) in zip(rs, pairs, strict=True):
            rows.append({"id": r["id"], "corpus": corpus, "x": x, "y": y})
    data = {"rows": rows, "seconds": time.monotonic() - t0}
    print(f"features of {len(news)} news + {len(clue)} CLUENER rows in {data['seconds']:.0f} s", flush=True)
    work.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    return data


def build_vocab(rows: list[dict]) -> list[dict[bytes, int]]:
    """One dict a feature column: feature string -> id (0 padding, 1 unknown); the columns of one
    table share ids (a pair is the same pair before or after the character)."""
    per_column: list[dict[bytes, int]] = [{} for _ in range(16)]
    for _, cols, _, cap, min_count in TABLES:
        counts: dict[bytes, int] = {}
        for r in rows:
            for f in r["x"]:
                for c in cols:
                    key = f[c].partition(b"=")[2]
                    counts[key] = counts.get(key, 0) + 1
        keep = sorted((k for k, n in counts.items() if n >= min_count), key=lambda k: -counts[k])
        if cap:
            keep = keep[:cap]
        ids = {k: i + 2 for i, k in enumerate(keep)}
        prefixes = {c: f[c].partition(b"=")[0] + b"=" for c in cols for f in rows[0]["x"][:1]}
        for c in cols:
            per_column[c] = {prefixes[c] + k: i for k, i in ids.items()}
    return per_column


def table_sizes(vocab: list[dict[bytes, int]]) -> list[int]:
    return [max(vocab[cols[0]].values(), default=1) + 1 for _, cols, *_ in TABLES]


def encode(x: list[tuple[bytes, ...]], vocab: list[dict[bytes, int]]) -> np.ndarray:
    """Feature strings of a sentence -> ids, shape (columns, characters)."""
    cols = list(zip(*x, strict=True))
    return np.array([[vocab[c].get(f, 1) for f in cols[c]] for c in COLUMNS], dtype=np.int64)


# --- model ----------------------------------------------------------------------------------


class CRF(nn.Module):
    """A linear-chain CRF over emission scores: transition, start and end scores; the negative
    log-likelihood by the forward algorithm; marginals and Viterbi in numpy for inference."""

    def __init__(self, n: int):
        super().__init__()
        self.trans = nn.Parameter(torch.zeros(n, n))
        self.start = nn.Parameter(torch.zeros(n))
        self.end = nn.Parameter(torch.zeros(n))

    def nll(self, em: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """em (B, T, L), tags (B, T), mask (B, T) with every row's first position set."""
        m = mask.float()
        gold = self.start[tags[:, 0]] + (em.gather(2, tags.unsqueeze(2)).squeeze(2) * m).sum(1)
        gold = gold + (self.trans[tags[:, :-1], tags[:, 1:]] * m[:, 1:]).sum(1)
        last = tags.gather(1, (mask.sum(1) - 1).unsqueeze(1)).squeeze(1)
        gold = gold + self.end[last]
        alpha = self.start + em[:, 0]
        for t in range(1, em.shape[1]):
            nxt = torch.logsumexp(alpha.unsqueeze(2) + self.trans + em[:, t].unsqueeze(1), dim=1)
            alpha = torch.where(mask[:, t : t + 1], nxt, alpha)
        return (torch.logsumexp(alpha + self.end, 1) - gold).sum()


def viterbi(em: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[int]:
    """The best label path of emission scores ``em`` (T, L)."""
    score_ = start + em[0]
    back = np.empty(em.shape, dtype=np.int64)
    for t in range(1, len(em)):
        s = score_[:, None] + trans
        back[t] = s.argmax(0)
        score_ = s.max(0) + em[t]
    best = [int((score_ + end).argmax())]
    for t in range(len(em) - 1, 0, -1):
        best.append(int(back[t][best[-1]]))
    return best[::-1]


def _lse(a: np.ndarray, axis: int) -> np.ndarray:
    m = a.max(axis=axis, keepdims=True)
    return (m + np.log(np.exp(a - m).sum(axis=axis, keepdims=True))).squeeze(axis)


def marginals(em: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Per-position label marginals (T, L) by forward-backward."""
    n = len(em)
    alpha = np.empty_like(em)
    beta = np.zeros_like(em)
    alpha[0] = start + em[0]
    for t in range(1, n):
        alpha[t] = _lse(alpha[t - 1][:, None] + trans, 0) + em[t]
    beta[-1] = end
    for t in range(n - 2, -1, -1):
        beta[t] = _lse(trans + (em[t + 1] + beta[t + 1])[None, :], 1)
    g = alpha + beta
    return np.exp(g - _lse(g, 1)[:, None])


class BiLSTMCRF(nn.Module):
    def __init__(self, sizes: list[int], hidden: int = 128, dropout: float = 0.3):
        super().__init__()
        self.embeds = nn.ModuleList(
            nn.Embedding(n, d, padding_idx=0) for n, (_, _, d, *_) in zip(sizes, TABLES, strict=True)
        )
        self.slots = [i for i, (_, cols, *_) in enumerate(TABLES) for _ in cols]
        width = sum(TABLES[i][2] for i in self.slots)
        self.drop = nn.Dropout(dropout)
        self.lstm = nn.LSTM(width, hidden, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * hidden, len(LABELS))
        self.crf = CRF(len(LABELS))

    def emissions(self, ids: torch.Tensor, lengths: torch.Tensor | None = None) -> torch.Tensor:
        """ids (B, columns, T) -> emission scores (B, T, labels)."""
        x = torch.cat([self.embeds[k](ids[:, j]) for j, k in enumerate(self.slots)], dim=2)
        x = self.drop(x)
        if lengths is None:
            h, _ = self.lstm(x)
        else:
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
            h, _ = self.lstm(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=x.shape[1])
        return self.out(self.drop(h))

    def forward(self, ids: torch.Tensor) -> torch.Tensor:  # what ONNX exports: one sentence, no padding
        return self.emissions(ids)


def batches(items: list[tuple[np.ndarray, np.ndarray]], size: int, rng: random.Random):
    """Batches of rows of similar length, in random order."""
    order = sorted(range(len(items)), key=lambda i: (len(items[i][1]), rng.random()))
    groups = [order[i : i + size] for i in range(0, len(order), size)]
    rng.shuffle(groups)
    for g in groups:
        n = max(len(items[i][1]) for i in g)
        ids = np.zeros((len(g), len(COLUMNS), n), dtype=np.int64)
        tags = np.zeros((len(g), n), dtype=np.int64)
        lengths = np.array([len(items[i][1]) for i in g])
        for b, i in enumerate(g):
            ids[b, :, : lengths[b]] = items[i][0]
            tags[b, : lengths[b]] = items[i][1]
        mask = np.arange(n)[None, :] < lengths[:, None]
        yield torch.from_numpy(ids), torch.from_numpy(tags), torch.from_numpy(mask), torch.from_numpy(lengths)


class Tagger:
    """The BiLSTM-CRF behind the CRF's ``.tag(features)`` interface, so that newskg's pipeline runs
    it unchanged; ``backend`` 'torch' or 'onnx'."""

    def __init__(self, model: BiLSTMCRF, vocab, onnx_path: Path | None = None):
        self.model, self.vocab = model.eval(), vocab
        crf = model.crf
        self.trans, self.start, self.end = (
            p.detach().numpy().astype(np.float64) for p in (crf.trans, crf.start, crf.end)
        )
        self.session = None
        if onnx_path is not None:
            import onnxruntime as ort

            opts = ort.SessionOptions()
            opts.intra_op_num_threads = opts.inter_op_num_threads = 1
            self.session = ort.InferenceSession(str(onnx_path), opts, providers=["CPUExecutionProvider"])

    def emissions(self, x) -> np.ndarray:
        ids = encode(x, self.vocab)[None]
        if self.session is not None:
            return self.session.run(None, {"ids": ids})[0][0].astype(np.float64)
        with torch.no_grad():
            return self.model(torch.from_numpy(ids))[0].numpy().astype(np.float64)

    def tag(self, x) -> list[str]:
        if not x:
            return []
        return [LABELS[i] for i in viterbi(self.emissions(x), self.trans, self.start, self.end)]

    def marginals(self, x) -> np.ndarray:
        return marginals(self.emissions(x), self.trans, self.start, self.end)


def _allowed() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """BIOES constraints as transition, start and end scores (0 allowed, -1e9 not)."""
    n = len(LABELS)
    trans = np.full((n, n), -1e9)
    start, end = np.full(n, -1e9), np.full(n, -1e9)
    for i, a in enumerate(LABELS):
        ha, _, ta = a.partition("-")
        start[i] = 0 if ha in "OBS" else -1e9
        end[i] = 0 if ha in "OES" else -1e9
        for j, b in enumerate(LABELS):
            hb, _, tb = b.partition("-")
            ok = hb in "OBS" if ha in "OES" else (hb in "IE" and tb == ta)
            trans[i, j] = 0 if ok else -1e9
    return trans, start, end


class Ensemble:
    """The mean of the CRF's and the BiLSTM-CRF's label marginals, decoded under BIOES constraints."""

    def __init__(self, crf, lstm: Tagger):
        self.crf, self.lstm = crf, lstm
        self.crf_labels = [L2I[y] for y in crf.labels()]
        self.allowed = _allowed()

    def tag(self, x) -> list[str]:
        if not x:
            return []
        p = self.lstm.marginals(x)
        self.crf.set(x)
        q = np.zeros_like(p)
        for j, y in zip(self.crf_labels, self.crf.labels(), strict=True):
            q[:, j] = [self.crf.marginal(y, t) for t in range(len(x))]
        em = np.log((p + q) / 2 + 1e-12)
        return [LABELS[i] for i in viterbi(em, *self.allowed)]


@contextmanager
def in_pipeline(model):
    """newskg's pipeline with ``model`` (anything with ``.tag(features)``) in the CRF's place."""
    saved = tagger.model
    tagger.model = lambda path="": model
    try:
        yield
    finally:
        tagger.model = saved


# --- training -------------------------------------------------------------------------------


def span_f1(model: BiLSTMCRF, vocab, rows: list[dict]) -> float:
    """Tagger-level span F1 (no rules, no post-processing) on encoded rows."""
    t = Tagger(model, vocab)
    tp = pred = gold = 0
    for r in rows:
        p = set(tagger.decode("x" * len(r["y"]), t.tag(r["x"])))
        g = set(tagger.decode("x" * len(r["y"]), r["y"]))
        tp, pred, gold = tp + len(p & g), pred + len(p), gold + len(g)
    model.train()
    return 2 * tp / (pred + gold) if pred + gold else 0.0


def fit(args, rows: list[dict], tune: list[dict] | None) -> tuple[BiLSTMCRF, list, list[dict]]:
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    vocab = build_vocab(rows)
    items = [(encode(r["x"], vocab), np.array([L2I[y] for y in r["y"]])) for r in rows]
    model = BiLSTMCRF(table_sizes(vocab), args.hidden, args.dropout)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    history, best, best_state = [], -1.0, None
    t0 = time.process_time()
    w0 = time.monotonic()
    print(
        f"{len(items)} rows, {sum(len(y) for _, y in items)} chars, "
        f"{sum(p.numel() for p in model.parameters()):,} parameters",
        flush=True,
    )
    for epoch in range(1, args.epochs + 1):
        model.train()
        total, done = 0.0, 0
        for ids, tags, mask, lengths in batches(items, args.batch, rng):
            opt.zero_grad()
            loss = model.crf.nll(model.emissions(ids, lengths), tags, mask)
            (loss / len(lengths)).backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            total += loss.item()
            done += 1
            if time.monotonic() - w0 > args.minutes * 60:
                break
        entry = {
            "epoch": epoch,
            "batches": done,
            "loss": round(total / len(items), 3),
            "cpu_s": round(time.process_time() - t0),
            "wall_s": round(time.monotonic() - w0),
        }
        if tune is not None:
            entry["tune_f1"] = round(span_f1(model, vocab, tune), 4)
            if entry["tune_f1"] > best:
                best, best_state = entry["tune_f1"], {k: v.clone() for k, v in model.state_dict().items()}
        history.append(entry)
        print(json.dumps(entry), flush=True)
        if time.monotonic() - w0 > args.minutes * 60:
            print(f"time box of {args.minutes} min reached", flush=True)
            break
    if best_state is not None:
        model.load_state_dict(best_state)
    return model, vocab, history


def save(model: BiLSTMCRF, vocab, args, history, work: Path) -> None:
    torch.save(
        {
            "state": model.state_dict(),
            "hidden": args.hidden,
            "dropout": args.dropout,
            "sizes": table_sizes(vocab),
            "history": history,
        },
        work / "model.pt",
    )
    (work / "vocab.pkl").write_bytes(pickle.dumps(vocab))
    ids = torch.ones((1, len(COLUMNS), 7), dtype=torch.int64)
    model.eval()
    torch.onnx.export(
        model,
        (ids,),
        str(work / "model.onnx"),
        input_names=["ids"],
        output_names=["em"],
        dynamic_axes={"ids": {2: "t"}, "em": {1: "t"}},
        dynamo=False,
    )


def load(work: Path) -> tuple[BiLSTMCRF, list]:
    saved = torch.load(work / "model.pt")
    model = BiLSTMCRF(saved["sizes"], saved["hidden"], saved["dropout"])
    model.load_state_dict(saved["state"])
    return model.eval(), pickle.loads((work / "vocab.pkl").read_bytes())


# --- scoring --------------------------------------------------------------------------------


def dev_features(rows: list[dict]) -> list:
    """The features of every sentence of ``rows`` as newskg's pipeline gives them to the tagger."""
    out = []
    for r in rows:
        doc = make_doc(Article(id="", source="", title="", text=r["text"]))
        hints = [m for component in RULES for m in component(doc)]
        feats = tagger.features(doc.text, doc.tokens, hints)
        out.extend(feats[s.start : s.end] for s in split_sentences(doc.article))
    return out


def speed(model, sentences: list) -> float:
    model.tag(sentences[0])
    t0 = time.process_time()
    for x in sentences:
        model.tag(x)
    return sum(map(len, sentences)) / (time.process_time() - t0)


def run_score(args, work: Path) -> None:
    model, vocab = load(work)
    crf = tagger.model("")
    lstm = Tagger(model, vocab)
    onnx = Tagger(model, vocab, work / "model.onnx")
    ens = Ensemble(crf, onnx)
    sets = {
        "news held-out": [r for r in read(NEWS) if held_out(r["id"])],
        "cluener held-out": cluener_gold(r for r in read(CLUENER) if held_out(r["id"])),
    }
    if args.dev:
        sets["dev"] = load_gold(DEV)
    systems_ = {"CRF (shipped)": crf, "BiLSTM-CRF": onnx, "ensemble": ens}
    out: dict = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"torch {torch.__version__}",
        "load_before": os.getloadavg(),
    }
    pipe = pipeline_tagger(systems("")["newskg"])
    for name, m in systems_.items():
        out[name] = {}
        for set_name, rows in sets.items():
            with in_pipeline(m):
                s = score(rows, pipe)
            out[name][set_name] = {
                t: [round(c.precision, 4), round(c.recall, 4), round(c.f1, 4)] for t, c in s.table.items()
            }
            out[name][set_name]["pipeline_chars_per_s"] = round(s.chars_per_s)
            print(name, set_name, json.dumps(out[name][set_name]), flush=True)
    sentences = [x for x in dev_features(load_gold(DEV)) if x]
    torch.set_num_threads(1)
    out["tagger chars/s on the dev sentences' features"] = {
        "CRF (shipped)": round(speed(crf, sentences)),
        "BiLSTM-CRF, torch": round(speed(lstm, sentences)),
        "BiLSTM-CRF, onnxruntime": round(speed(onnx, sentences)),
        "ensemble (onnxruntime)": round(speed(ens, sentences[:500])),
    }
    out["model MB"] = {
        "CRF (shipped)": round(tagger.card()["bytes"] / 1e6, 2),
        "BiLSTM-CRF onnx": round((work / "model.onnx").stat().st_size / 1e6, 2),
        "BiLSTM-CRF vocabulary (pickle)": round((work / "vocab.pkl").stat().st_size / 1e6, 2),
    }
    out["training"] = {
        "CRF (shipped, card)": tagger.card()["training_seconds"],
        "BiLSTM-CRF": torch.load(work / "model.pt")["history"],
    }
    out["load_after"] = os.getloadavg()
    print(json.dumps(out["tagger chars/s on the dev sentences' features"]), json.dumps(out["model MB"]))
    (work / "scores.json").write_text(json.dumps(out, ensure_ascii=False, indent=1))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=["tune", "train", "score"])
    ap.add_argument("--work", type=Path, default=Path("/tmp/bilstm_tagger"))
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--minutes", type=float, default=20)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--dropout", type=float, default=0.3)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dev", action="store_true", help="score the dev file too (rarely)")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"load average {os.getloadavg()}", flush=True)
    if args.command == "score":
        run_score(args, args.work)
        return
    rows = prepare(args.work)["rows"]
    if args.command == "tune":
        train_rows = [r for r in rows if not tune_row(r["id"])]
        tune = [r for r in rows if tune_row(r["id"])]
        fit(args, train_rows, tune)
        return
    model, vocab, history = fit(args, rows, None)
    save(model, vocab, args, history, args.work)
    print(f"saved to {args.work}", file=sys.stderr)


if __name__ == "__main__":
    main()
