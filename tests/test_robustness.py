"""Bad input, --strict and endpoint abuse through the real CLI and a real server (issue #11)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import SEEDS, run_cli

GOOD, OTHER = SEEDS / "002_9e2da3ff70fcf467.txt", SEEDS / "003_5e311010456c98bd.txt"


def _tree(out: Path) -> dict[str, bytes]:
    """Every file under ``out`` by relative path, except the extraction cache (see below)."""
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.startswith("cache.sqlite")
    }


def _cache(out: Path) -> dict[str, bytes]:
    with sqlite3.connect(out / "cache.sqlite") as db:
        return dict(db.execute("SELECT key, blob FROM results"))


def _corpus_with_a_warning(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / OTHER.name).write_bytes(OTHER.read_bytes())  # a good article the previous output lacks
    broken = corpus / "broken.txt"
    broken.write_bytes(b"\x00\x01\x02" * 100)
    return corpus, broken


def test_strict_build_with_a_warning_fails_and_keeps_the_previous_output(tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", str(GOOD), "--out", str(out), "-q").returncode == 0
    before, cache_before = _tree(out), _cache(out)
    corpus, broken = _corpus_with_a_warning(tmp_path)
    proc = run_cli("build", str(corpus), "--out", str(out), "--strict", "-q")
    assert proc.returncode == 1
    assert proc.stderr == (
        f"newskg: error: --strict: 1 warning, so {out} was left as it was (fix the input or drop --strict);"
        f" the first: {broken}: binary or not text in a known encoding, skipped\n"
    )
    assert proc.stdout == ""
    assert _tree(out) == before  # byte for byte, entity pages included
    # The cache is shared across builds by design: it may only gain the results it extracted.
    assert _cache(out).items() >= cache_before.items()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "out"], "no temporary left behind"


def test_strict_build_shows_the_warnings_then_the_error_and_no_summary(tmp_path):
    corpus, broken = _corpus_with_a_warning(tmp_path)
    proc = run_cli("build", str(corpus), "--out", str(tmp_path / "out"), "--strict")
    assert proc.returncode == 1
    warning, error = proc.stderr.splitlines()
    assert warning == f"warning: {broken}: binary or not text in a known encoding, skipped"
    assert error.startswith("newskg: error: --strict: 1 warning, so ")
    assert "articles:" not in proc.stdout
    assert not (tmp_path / "out").exists()


def test_the_same_build_without_strict_succeeds_and_counts_the_warning(tmp_path):
    corpus, _ = _corpus_with_a_warning(tmp_path)
    proc = run_cli("build", str(corpus), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert "skipped files: 1; warnings: 1" in proc.stdout


def test_strict_build_without_warnings_succeeds(tmp_path):
    proc = run_cli("build", str(GOOD), "--out", str(tmp_path / "out"), "--strict", "-q")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "entities.csv").is_file()
