"""``newskg eval``: exact span-and-type scoring of the recogniser on a gold file (issue #4)."""

from __future__ import annotations

import json

from conftest import ROOT, run_main
from newskg.extract.recognition.evaluate import load_gold, score, tagger
from newskg.extract.recognition.recognise import NAMES


def _gold(tmp_path, rows):
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


ROWS = [
    {
        "id": "s1",
        "text": "市委书记张敬涛在北京会见美国客人。",
        "entities": [
            {"start": 0, "end": 2, "type": "ORG", "text": "市委"},
            {"start": 4, "end": 7, "type": "PERSON", "text": "张敬涛"},
            {"start": 8, "end": 10, "type": "PLACE", "text": "北京"},
            {"start": 12, "end": 14, "type": "PLACE", "text": "美国"},
        ],
    },
    {"id": "s2", "text": "今天天气很好。", "entities": []},
]


def test_perfect_sentence_scores_one(tmp_path):
    s = score(load_gold(_gold(tmp_path, ROWS)), tagger(NAMES))
    assert (s.table["ALL"].tp, s.table["ALL"].pred, s.table["ALL"].gold) == (4, 4, 4)
    assert s.table["PERSON"].f1 == 1.0 and s.chars == len(ROWS[0]["text"]) + len(ROWS[1]["text"])


def test_wrong_span_counts_as_both_false_positive_and_false_negative(tmp_path):
    rows = [
        {
            "id": "x",
            "text": "张敬涛说。",
            "entities": [{"start": 0, "end": 2, "type": "PERSON", "text": "张敬"}],
        }
    ]
    s = score(load_gold(_gold(tmp_path, rows)))
    c = s.table["PERSON"]
    assert (c.tp, c.pred, c.gold, c.precision, c.recall) == (0, 1, 1, 0.0, 0.0)
    assert {e[0] for e in s.errors} == {"FP", "FN"}


def test_cli_prints_every_type_overall_and_speed(tmp_path):
    proc = run_main("eval", str(_gold(tmp_path, ROWS)))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["type", "P", "R", "F1", "gold"]
    assert [line.split()[0] for line in lines[1:5]] == ["PERSON", "PLACE", "ORG", "ALL"]
    assert lines[4].split()[1:4] == ["1.000", "1.000", "1.000"]
    assert lines[5].startswith("speed: ") and "chars/s" in lines[5]


def test_cli_bad_gold_line_is_one_line_error(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "text": "x", "entities": []}\n{"id": "b"}\n', "utf-8")
    proc = run_main("eval", str(path))
    assert proc.returncode == 2
    assert proc.stderr == f"newskg: error: {path}:2: not a gold line with 'text' and 'entities'\n"


def test_cli_missing_gold_file_is_one_line_error(tmp_path):
    proc = run_main("eval", str(tmp_path / "none.jsonl"))
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"newskg: error: cannot read gold file {tmp_path / 'none.jsonl'}")
    assert proc.stderr.count("\n") == 1


def test_org_errors_classes_each_error_by_what_it_overlaps():
    """benchmarks/org_errors.py (issue #24's ORG error analysis): made-up spans."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("org_errors", ROOT / "benchmarks" / "org_errors.py")
    org_errors = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(org_errors)
    classify = org_errors.classify
    gold = (0, 8, "ORG")  # 某市某某机械厂 as one organisation
    assert classify(gold, [], "FN") == "FN missed"
    assert classify(gold, [(0, 8, "PLACE")], "FN") == "FN wrong type (PLACE)"
    assert classify(gold, [(0, 2, "PLACE")], "FN") == "FN too short (PLACE end cut)"
    assert classify(gold, [(2, 8, "ORG")], "FN") == "FN too short (ORG front cut)"
    assert classify(gold, [(0, 10, "ORG")], "FN") == "FN too long (ORG)"
    assert classify(gold, [(0, 2, "PLACE"), (2, 8, "ORG")], "FN") == "FN split into ORG+PLACE"
    pred = (0, 6, "ORG")  # 某地市场 tagged an organisation
    assert classify(pred, [], "FP") == "FP spurious"
    assert classify(pred, [(0, 2, "PLACE")], "FP") == "FP contains gold PLACE"
    assert classify(pred, [(0, 9, "ORG")], "FP") == "FP inside gold ORG"
    assert classify(pred, [(4, 9, "ORG")], "FP") == "FP crossing gold ORG"
