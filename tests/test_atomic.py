"""A build that fails or is killed midway leaves the previous output intact (issue #11)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time

from conftest import NEWSKG, SEEDS, run_main
from newskg.graph.export.atomic import recover

DEAD_PID = 2**22 + 12345  # above the default pid_max: never a live process


def _corpus(path, n):
    sentences = [
        line.strip()
        for f in sorted(SEEDS.iterdir())
        for line in f.read_text("utf-8").splitlines()
        if len(line.strip()) > 20 and not line.startswith("#")
    ]
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            text = "".join(sentences[(i * 7 + k) % len(sentences)] for k in range(5))
            f.write(json.dumps({"id": f"k{i}", "text": text}, ensure_ascii=False) + "\n")


def _outputs(out):
    """The build's output files; the extraction cache (SQLite, its own crash recovery) is left out."""
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and not p.name.startswith("cache.")}


def test_sigkill_midway_keeps_previous_output_then_rebuild_succeeds(tmp_path):
    out = tmp_path / "out"
    assert run_main("build", str(SEEDS / "002_9e2da3ff70fcf467.txt"), "--out", str(out), "-q").returncode == 0
    before = _outputs(out)
    big = tmp_path / "big.jsonl"
    _corpus(big, 3000)
    proc = subprocess.Popen([str(NEWSKG), "build", str(big), "--out", str(out), "-q"])
    deadline = time.time() + 60
    while time.time() < deadline and not any(p.name.startswith(".out.tmp-") for p in tmp_path.iterdir()):
        time.sleep(0.05)
    time.sleep(0.5)
    assert proc.poll() is None, "the build finished before it could be killed: make the corpus larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _outputs(out) == before
    proc = run_main("build", str(SEEDS / "002_9e2da3ff70fcf467.txt"), "--out", str(out), "-q")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.jsonl", "out"], "stale temporaries removed"


def test_output_swapped_out_by_a_killed_run_is_restored(tmp_path):
    out = tmp_path / "out"
    old = tmp_path / f".out.old-{DEAD_PID}"
    old.mkdir()
    (old / "entities.csv").write_text("id\n")
    stale = tmp_path / f".out.tmp-{DEAD_PID}-abc"
    stale.mkdir()
    recover(out)
    assert (out / "entities.csv").read_text() == "id\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_out_that_is_a_file_is_a_user_error(tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("keep me")
    proc = run_main("build", str(SEEDS / "002_9e2da3ff70fcf467.txt"), "--out", str(target))
    assert proc.returncode == 2
    assert proc.stderr == f"newskg: error: --out {target} exists and is not a directory\n"
    assert target.read_text() == "keep me"
