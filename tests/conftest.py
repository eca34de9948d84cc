"""Shared fixtures: the real CLI as a subprocess or in-process, and one seed build per session."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
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


def run_main(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``newskg ARGS`` in this process (``main(argv)``, as sqlite-utils' CliRunner runs its CLI):
    the exit code, stdout and stderr as :func:`run_cli` gives them, without a new interpreter's
    imports and first segmentation. The subprocess tests of tests/test_cli.py guard the console
    script itself, one per command."""
    from newskg.graph.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd or ROOT), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code if isinstance(exc.code, int) else 1
    return subprocess.CompletedProcess(["newskg", *args], code, out.getvalue(), err.getvalue())


def warning_lines(stderr: str) -> list[str]:
    """The warnings among a command's lines of stderr (a build also says there how far it has got)."""
    return [line for line in stderr.splitlines() if line.startswith("warning: ")]


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


@contextlib.contextmanager
def serving(*args: str) -> Iterator[tuple[subprocess.Popen, int]]:
    """``newskg serve ARGS`` on a free port, as a user starts it (no --host: it binds 127.0.0.1).

    Yields the process and its port once the workers have loaded the data; stops it after.
    """
    cmd = [str(NEWSKG), "serve", *args, "--port", "0", "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()  # printed once the workers have loaded the data
        m = re.search(r"at http://127\.0\.0\.1:(\d+)/sparql", line)
        assert m, f"no address in {line!r}; stderr: {proc.stderr.read() if proc.poll() is not None else ''}"
        yield proc, int(m.group(1))
    finally:
        proc.terminate()
        proc.wait(30)
