"""Shared fixtures: the real CLI as a subprocess, and one seed build per session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
NEWSKG = Path(sys.executable).with_name("newskg")


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 300, **kw) -> subprocess.CompletedProcess:
    """Run the installed ``newskg`` console script; return the completed process."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.run(
        [str(NEWSKG), *args], cwd=cwd or ROOT, capture_output=True, text=True, timeout=timeout, env=env, **kw
    )


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> Path:
    """The output directory of ``newskg build seeds/`` run once through the real CLI."""
    out = tmp_path_factory.mktemp("seed") / "out"
    proc = run_cli("build", str(SEEDS), "--out", str(out), "--quiet")
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="session")
def hand_build(tmp_path_factory) -> Path:
    """The build of ``tests/data/hand_news.jsonl``: two short articles written for the tests, so the
    RDF and SPARQL mechanics do not depend on what the recogniser finds in the seeds (issue #7)."""
    out = tmp_path_factory.mktemp("hand") / "out"
    proc = run_cli("build", str(ROOT / "tests" / "data" / "hand_news.jsonl"), "--out", str(out), "--quiet")
    assert proc.returncode == 0, proc.stderr
    return out
