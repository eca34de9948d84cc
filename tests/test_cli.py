"""The CLI end to end, as a user runs it (issue #2)."""

from __future__ import annotations

import csv
from collections import Counter

from conftest import SEEDS, run_cli


def test_build_writes_every_output(seed_build):
    names = {p.name for p in seed_build.iterdir()}
    assert {"entities.csv", "edges.csv", "graph.graphml", "graph.gexf", "graph.json"} <= names
    assert {"mentions.jsonl", "articles.jsonl"} <= names
    with open(seed_build / "entities.csv", encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header[:6] == ["id", "type", "label", "aliases", "mentions", "articles"]


def test_build_prints_a_summary_that_matches_what_it_wrote(tmp_path):
    out = tmp_path / "o"
    proc = run_cli("build", str(SEEDS / "002_9e2da3ff70fcf467.txt"), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    lines = dict(line.split(": ", 1) for line in proc.stdout.splitlines() if ": " in line)
    with open(out / "entities.csv", encoding="utf-8") as f:
        types = Counter(row["type"] for row in csv.DictReader(f))
    said = dict(part.split(" ") for part in lines["entities"].split(", "))
    assert {t: int(n) for t, n in said.items()} == {t: types[t] for t in said}
    assert sum(types.values()) == sum(int(n) for n in said.values())
    with open(out / "edges.csv", encoding="utf-8") as f:
        kinds = Counter(row["kind"] for row in csv.DictReader(f))
    said = dict(part.split(" ") for part in lines["edges"].split(", "))
    assert {k: int(n) for k, n in said.items()} == dict(kinds)
    wrote = proc.stdout.splitlines()[-1]
    assert wrote.startswith(f"wrote {out}/: ")
    assert wrote.split(": ", 1)[1].split() == sorted(p.name for p in out.iterdir())


def test_missing_path_is_one_line_exit_2(tmp_path):
    proc = run_cli("build", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert proc.stderr == f"newskg: error: no such file or directory: {tmp_path / 'nope.txt'}\n"
    assert not (tmp_path / "o").exists()


def test_bad_option_is_one_line_exit_2(tmp_path):
    proc = run_cli("build", str(SEEDS), "--out", str(tmp_path / "o"), "--window", "page")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1
    assert "--window" in proc.stderr and "Traceback" not in proc.stderr


def test_unknown_type_is_one_line_exit_2(tmp_path):
    proc = run_cli("build", str(SEEDS), "--out", str(tmp_path / "o"), "--types", "ORG,THING")
    assert proc.returncode == 2
    assert "unknown type 'THING'" in proc.stderr


def test_failed_build_keeps_previous_output(tmp_path):
    out = tmp_path / "o"
    assert run_cli("build", str(SEEDS / "002_9e2da3ff70fcf467.txt"), "--out", str(out), "-q").returncode == 0
    before = (out / "entities.csv").read_bytes()
    proc = run_cli("build", str(tmp_path / "missing"), "--out", str(out), "-q")
    assert proc.returncode == 2
    assert (out / "entities.csv").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["o"], "no temporary directory left behind"
