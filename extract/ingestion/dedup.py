"""Near-duplicate articles: MinHash signatures in a streaming LSH index.

Two captures of the same newspaper page give the same story with small differences (a few
words changed by OCR or by an edit, one capture cut short at a page break). Each article is
reduced to the set of its character ``SHINGLE``-grams, taken after dropping everything but
letters, digits and Han characters (so punctuation and spacing differences do not count),
over at most its first ``MAX_CHARS`` characters. A MinHash signature of ``NUM_PERM`` values
estimates the Jaccard similarity of two such sets; an LSH index of ``BANDS`` bands of
``NUM_PERM // BANDS`` rows finds the candidates of a new article without comparing it to all
the others, so the cost of a corpus is linear in its size.

An article is a duplicate of the first earlier article whose estimated Jaccard similarity
is at least ``JACCARD``, or whose shingles contain at least ``CONTAINMENT`` of the smaller
set (one capture cut short at a page break: Jaccard is then about the ratio of the lengths).
Containment is estimated from the Jaccard estimate and the two set sizes,
``C = J (|A| + |B|) / ((1 + J) min(|A|, |B|))``.

Written on numpy (already a dependency) rather than datasketch: the shingles of an article
are hashed in one vectorised pass (datasketch's MinHash hashes them one at a time in
Python), and the index is a SQLite file (or database in memory) of signatures and band keys.

Measured on ``seeds/`` (exact set similarities of all 528 pairs of its 33 articles,
``python benchmarks/dedup_seeds.py``): the true pair, the two captures of 广大干部新征程上奋力担当作为
(one cut short at 下转第3版, the other running on into the next story), has Jaccard 0.58 and
containment 0.95; the most similar pair that is not a duplicate has Jaccard 0.028, and the
highest containment of any other pair is 0.13. The thresholds sit far from both. On 5,000
generated articles that recombine the seeds' sentences (``benchmarks/make_corpus.py``), a
containment rule with ``MIN_JACCARD`` 0.2 flagged 2 pairs of true Jaccard 0.13-0.14 (the
estimate of containment from a noisy Jaccard estimate is loose when the sizes differ
threefold); with 0.3 it flags none.

>>> index = NearDuplicates()
>>> story = "全国总工会今天召开执委会议，部署下半年工作，要求各级工会做好职工服务。" * 3
>>> index.add("a", story) is None
True
>>> index.add("b", story.replace("今天", "昨天"))
'a'
>>> index.add("c", "新疆生产建设兵团围绕补齐发展短板、延伸产业链，谋划了一系列重大项目。") is None
True

Passages: a near-duplicate may hold paragraphs its original lacks (a capture that runs on past
the original's page break, or into the next story). Each original keeps a fixed sample of its
shingles (those whose hash is 0 modulo ``SAMPLE``: the same shingles in every text, so the
sample of a paragraph meets the sample of an article that contains it); a paragraph whose
sampled shingles are mostly (``PASSAGE``) in the original's sample is a duplicate passage,
the others are new (:meth:`NearDuplicates.new_passages`). Short paragraphs with too few
samples to tell go with the paragraph before them.

>>> more = "各地工会开展“安康杯”竞赛，组织职工学习安全知识，排查隐患一百余处。"
>>> index.new_passages("a", [story[:70], more])
[False, True]
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import numpy as np

SHINGLE = 5  # characters per shingle
NUM_PERM = 96  # MinHash values per signature
BANDS = 32  # LSH bands of 3 rows: a pair with Jaccard 0.4 becomes a candidate with p = 0.87, 0.5 with 0.99
JACCARD = 0.5  # estimated Jaccard similarity at or above which two articles are duplicates
CONTAINMENT = 0.8  # or: share of the smaller article's shingles found in the larger one
MIN_JACCARD = 0.3  # ... provided their Jaccard similarity is at least this
MIN_SHINGLES = 20  # shorter texts (a headline, a caption) are compared by exact content only
MAX_CHARS = 200_000  # a longer text is compared on its first MAX_CHARS characters
SAMPLE = 4  # an original keeps 1 in SAMPLE (a power of 2) of its shingles, 2 bytes each, to compare passages
PASSAGE = 0.5  # share of a paragraph's sampled shingles found in the original: a duplicate passage
MIN_SAMPLES = 2  # a paragraph with fewer sampled shingles goes with the one before it

_NON_WORD = re.compile(r"[\W_]+")
_rng = np.random.default_rng(20240628)
_A = (_rng.integers(1, 2**63, NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)).reshape(-1, 1)
_B = _rng.integers(0, 2**63, NUM_PERM, dtype=np.uint64).reshape(-1, 1)
_ROWS = NUM_PERM // BANDS
_CHUNK = 8192


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads the bits of a 64-bit hash (wraps modulo 2**64)."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def shingle_hashes(text: str) -> np.ndarray:
    """Distinct 64-bit hashes of the character shingles of ``text`` (letters, digits, Han only).

    >>> len(shingle_hashes("甲乙丙丁戊己，庚")), len(shingle_hashes("短"))
    (3, 0)
    """
    chars = _NON_WORD.sub("", text[:MAX_CHARS])
    if len(chars) < SHINGLE:
        return np.zeros(0, dtype=np.uint64)
    cp = np.frombuffer(chars.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(cp) - SHINGLE + 1
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(SHINGLE):
            h = h * np.uint64(0x100000001B3) + cp[j : j + n]
        h = np.sort(_mix(h))
    return h[np.concatenate(([True], h[1:] != h[:-1]))]


def sample(hashes: np.ndarray) -> np.ndarray:
    """The fixed sample of a set of shingle hashes: those 0 modulo ``SAMPLE``, as sorted 16-bit values.

    16 bits are enough: a paragraph's sample is looked up in one article's (a few hundred values),
    where a value that is not there matches by chance about once in a hundred.

    >>> h = shingle_hashes("新疆生产建设兵团围绕补齐发展短板、延伸产业链，谋划了一系列重大项目。")
    >>> len(h), len(sample(h))
    (27, 6)
    """
    top = (hashes[(hashes & np.uint64(SAMPLE - 1)) == 0] >> np.uint64(48)).astype(np.uint16)
    return top[np.concatenate(([True], top[1:] != top[:-1]))] if len(top) else top  # hashes come sorted


def signature(hashes: np.ndarray) -> np.ndarray:
    """MinHash signature (``NUM_PERM`` uint32 values) of a set of 64-bit shingle hashes."""
    sig = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for s in range(0, len(hashes), _CHUNK):
            part = hashes[s : s + _CHUNK].reshape(1, -1)
            sig = np.minimum(sig, ((_A * part + _B) >> np.uint64(32)).min(axis=1))
    return sig.astype(np.uint32)


def similarity(a: np.ndarray, size_a: int, b: np.ndarray, size_b: int) -> tuple[float, float]:
    """Estimated Jaccard similarity and containment (of the smaller set) from two signatures."""
    j = float(np.count_nonzero(a == b)) / NUM_PERM
    c = j * (size_a + size_b) / ((1 + j) * max(1, min(size_a, size_b)))
    return j, min(1.0, c)


def is_duplicate(jaccard: float, containment: float) -> bool:
    """The rule of this module: high Jaccard, or high containment with some Jaccard."""
    return jaccard >= JACCARD or (containment >= CONTAINMENT and jaccard >= MIN_JACCARD)


def _band_keys(sigs: np.ndarray) -> np.ndarray:
    """The LSH bucket keys of signatures (one per row of ``sigs``, or one signature): a 64-bit hash
    of each band's number and values, the same in every process (no salted ``hash()``).

    Two bands with equal values have equal keys; unequal bands share a key with a chance of about
    one in 2**64, and then only add a candidate, which the signatures' similarity still judges.

    >>> sig = np.arange(NUM_PERM, dtype=np.uint32)
    >>> keys = _band_keys(sig)
    >>> keys.shape, keys.dtype, len(set(keys.tolist()))
    ((32,), dtype('uint64'), 32)
    >>> bool((_band_keys(np.stack([sig, sig]))[1] == keys).all())  # a row of many, the same keys
    True
    """
    values = np.asarray(sigs, dtype=np.uint64).reshape(-1, BANDS, _ROWS)
    with np.errstate(over="ignore"):
        keys = _mix((values * _BAND_MULT).sum(axis=2, dtype=np.uint64) + _BAND_SALT)
    return keys.reshape(sigs.shape[:-1] + (BANDS,))


# A band's key: its values times odd 64-bit numbers, summed with one for its number, then mixed.
_BAND_MULT = _rng.integers(1, 2**63, _ROWS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_BAND_SALT = _rng.integers(0, 2**63, BANDS, dtype=np.uint64)

_SCHEMA = """
PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
CREATE TABLE originals (row INTEGER PRIMARY KEY, id TEXT NOT NULL, size INTEGER NOT NULL,
                        signature BLOB NOT NULL, sample BLOB NOT NULL);
CREATE INDEX originals_id ON originals (id, row);
CREATE TABLE bands (key INTEGER NOT NULL, row INTEGER NOT NULL, PRIMARY KEY (key, row)) WITHOUT ROWID;
CREATE TABLE exact (key BLOB PRIMARY KEY, id TEXT NOT NULL) WITHOUT ROWID;
"""
_CANDIDATES = f"SELECT DISTINCT row FROM bands WHERE key IN ({', '.join('?' * BANDS)}) ORDER BY row"
_ORIGINAL = "SELECT signature, size, id FROM originals WHERE row = ?"
COMMIT_EVERY = 1000  # originals added in one transaction of the scratch file


class NearDuplicates:
    """A streaming index: :meth:`add` each article once, in order; it names the original of a duplicate.

    Only originals are indexed (a duplicate points at the first article of its story). The index is
    a SQLite file at ``path`` (a scratch file: created new, deleted by :meth:`close`), or held in
    memory when ``path`` is None. Per original it holds a signature of ``NUM_PERM`` 32-bit values,
    its ``BANDS`` bucket keys (a B-tree, so a lookup reads a few pages) and its shingle sample: about
    1.6 KB an article on disk, which in numpy arrays and a dict of ids was the build process's largest
    part that grew with the corpus (issue #21). Ingesting the 50,000 generated articles of
    ``benchmarks/make_corpus.py`` took 60 s and 54 MiB of RSS with the index on disk (an 87 MB file),
    45 s and 169 MiB with the numpy index it replaced; the same duplicates.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = path
        if path is not None:
            Path(path).unlink(missing_ok=True)
        self.db = sqlite3.connect(":memory:" if path is None else str(path))
        self.db.executescript(_SCHEMA)
        self._count = 0  # originals added
        self._pending = 0  # originals added since the last commit

    def __len__(self) -> int:
        """The number of originals indexed by their signature."""
        return self._count

    def add(self, article_id: str, text: str) -> str | None:
        """Index ``text``; return the id of an earlier article it nearly duplicates, else None."""
        hashes = shingle_hashes(text)
        if len(hashes) < MIN_SHINGLES:
            key = _NON_WORD.sub("", text)
            original = self._first_of_content(key, article_id) if key else article_id
            return None if original == article_id else original
        sig = signature(hashes)
        keys = _band_keys(sig)
        for (row,) in self.db.execute(_CANDIDATES, keys.view(np.int64).tolist()).fetchall():
            theirs, size, their_id = self.db.execute(_ORIGINAL, (row,)).fetchone()
            if is_duplicate(*similarity(sig, len(hashes), np.frombuffer(theirs, "<u4"), size)):
                return their_id
        self._insert(article_id, len(hashes), sig, sample(hashes), keys)
        return None

    def keep(self, article_id: str, text: str) -> None:
        """Index ``text`` as an original, whatever it resembles (the new passages of a near-duplicate)."""
        hashes = shingle_hashes(text)
        if len(hashes) < MIN_SHINGLES:
            self._first_of_content(_NON_WORD.sub("", text), article_id)
            return
        sig = signature(hashes)
        self._insert(article_id, len(hashes), sig, sample(hashes), _band_keys(sig))

    def _first_of_content(self, key: str, article_id: str) -> str:
        """The first article of this exact content (``article_id`` if none was before it)."""
        digest = _digest(key)
        self.db.execute("INSERT OR IGNORE INTO exact VALUES (?, ?)", (digest, article_id))
        return self.db.execute("SELECT id FROM exact WHERE key = ?", (digest,)).fetchone()[0]

    def _insert(
        self, article_id: str, size: int, sig: np.ndarray, kept: np.ndarray, keys: np.ndarray
    ) -> None:
        row = self._count
        self.db.execute(
            "INSERT INTO originals VALUES (?, ?, ?, ?, ?)",
            (row, article_id, size, sig.astype("<u4").tobytes(), kept.astype("<u2").tobytes()),
        )
        self.db.executemany(
            "INSERT OR IGNORE INTO bands VALUES (?, ?)", ((k, row) for k in keys.view(np.int64).tolist())
        )
        self._count += 1
        self._pending += 1
        if self._pending >= COMMIT_EVERY:
            self.db.commit()
            self._pending = 0

    def new_passages(self, original: str, paragraphs: list[str]) -> list[bool]:
        """Which of ``paragraphs`` (of a near-duplicate of ``original``) the original does not hold.

        An original compared by exact content only (too short for shingles) holds none of them.
        """
        found = self.db.execute(
            "SELECT sample FROM originals WHERE id = ? ORDER BY row DESC LIMIT 1", (original,)
        ).fetchone()
        if found is None:
            return [False] * len(paragraphs)
        kept = np.frombuffer(found[0], "<u2")
        verdicts: list[bool] = []
        for text in paragraphs:
            mine = sample(shingle_hashes(text))
            if len(mine) < MIN_SAMPLES:
                verdicts.append(verdicts[-1] if verdicts else False)
                continue
            hits = np.count_nonzero(np.isin(mine, kept, assume_unique=True))
            verdicts.append(bool(hits < PASSAGE * len(mine)))
        return verdicts

    def originals(self) -> Iterator[tuple[str, int, bytes, bytes]]:
        """Each original, in the order added: its id, shingle count, signature (``NUM_PERM`` little-endian
        uint32) and shingle sample (little-endian uint16), to save the index as data
        (:mod:`newskg.graph.building.state`); :meth:`add_original` takes them back."""
        yield from self.db.execute("SELECT id, size, signature, sample FROM originals ORDER BY row")

    def exact(self) -> Iterator[tuple[bytes, str]]:
        """The exact-content index of short texts: a digest of each content and its first article."""
        yield from self.db.execute("SELECT key, id FROM exact ORDER BY key")

    def add_original(self, article_id: str, size: int, sig: bytes, kept: bytes) -> None:
        """Index an original of :meth:`originals` again, after those added before it.

        >>> index = NearDuplicates()
        >>> story = "全国总工会今天召开执委会议，部署下半年工作，要求各级工会做好职工服务。" * 3
        >>> _ = index.add("a", story)
        >>> again = NearDuplicates()
        >>> for row in index.originals():
        ...     again.add_original(*row)
        >>> again.add("b", story.replace("今天", "昨天")), again.new_passages("a", [story])
        ('a', [False])
        """
        if len(sig) != 4 * NUM_PERM or len(kept) % 2:
            raise ValueError("not an original of a near-duplicate index")
        values = np.frombuffer(sig, "<u4").astype(np.uint32)
        self._insert(str(article_id), int(size), values, np.frombuffer(kept, "<u2"), _band_keys(values))

    def add_exact(self, digest: bytes, article_id: str) -> None:
        """Index a short text of :meth:`exact` again."""
        self.db.execute("INSERT OR IGNORE INTO exact VALUES (?, ?)", (bytes(digest), str(article_id)))

    def close(self) -> None:
        """Close the index and delete its file (again: nothing)."""
        self.db.close()
        if self.path is not None:
            Path(self.path).unlink(missing_ok=True)


def _digest(content: str) -> bytes:
    """16 bytes that stand for a short text's content (any text: a lone surrogate is encoded as is)."""
    return hashlib.blake2b(content.encode("utf-8", "surrogatepass"), digest_size=16).digest()
