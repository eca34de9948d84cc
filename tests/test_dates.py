"""Dates with years and where each came from (issue #18): input, page, file name, sidecar, option, text."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import rdflib
from conftest import SEEDS, run_main
from newskg import graph
from newskg.extract import Report
from newskg.extract.ingestion.dates import DateOptions
from newskg.extract.ingestion.ingest import ingest
from newskg.graph.cli import main
from newskg.graph.export.export import csv_cell, write_articles_table
from newskg.graph.export.vocab import NKG, article_iri
from rdflib import Literal
from rdflib.namespace import SDO, XSD

STORY = "本报北京6月28日电(记者 周文斌)2022年以来，市总工会为职工办实事。"
UNDATED = "市总工会召开全委会议，部署下半年工作。"


def _page(tmp_path: Path, name: str, *paragraphs: str) -> Path:
    path = tmp_path / name
    path.write_text("\n\n".join(paragraphs) + "\n", "utf-8")
    return path


def _dates(paths, **kw) -> list[tuple[str, str, str]]:
    return [(a.title, a.date, a.date_source) for a in ingest(paths, **kw)]


def test_every_seed_article_has_a_date_source():
    # README ("Dates"): of the seed articles, how many get a full date, and from which source.
    arts = list(ingest([SEEDS]))
    sources = Counter(a.date_source for a in arts)
    assert sources == {"none": 31, "inferred": 4}
    full = sorted((a.date, a.date_source) for a in arts if a.date[:1].isdigit())
    assert full == [
        ("2021-10-09", "inferred"),
        ("2022-06-28", "inferred"),
        ("2022-06-28", "inferred"),
        ("2023-03-01", "inferred"),
    ]
    assert {a.date for a in arts if a.date_source == "none"} == {"", "--08-22"}


def test_a_page_date_line_dates_its_articles_and_is_no_title(tmp_path):
    paras = ("2022年6月29日 星期三", "工会要闻", STORY, "职工之家", "本报记者 王明", UNDATED)
    page = _page(tmp_path, "p.txt", *paras)
    report = Report()
    assert _dates([page], report=report) == [
        ("工会要闻", "2022-06-28", "page"),
        ("职工之家", "2022-06-29", "page"),
    ]
    assert (report.counts["paragraphs"], report.counts["date_lines"], report.counts["title_lines"]) == (
        6,
        1,
        2,
    )


def test_a_date_in_the_file_name_gives_the_year_and_a_later_page_the_year_before(tmp_path):
    page = _page(tmp_path, "20230102.txt", "标题", STORY.replace("6月28日", "12月31日"))
    assert _dates([page]) == [("标题", "2022-12-31", "filename")]


def test_sidecar_before_option_and_the_text_is_not_read_when_one_gives_a_year(tmp_path):
    a = _page(tmp_path, "a.txt", "甲", STORY)
    b = _page(tmp_path, "b.txt", "乙", UNDATED)
    opts = DateOptions("2021-03-01", {"a.txt": "2020-07-01"})
    assert _dates([a, b], dates=opts) == [("甲", "2020-06-28", "sidecar"), ("乙", "2021-03-01", "option")]


def test_no_year_anywhere_keeps_the_month_and_day_and_says_none(tmp_path):
    page = _page(tmp_path, "p.txt", "标题", STORY.replace("2022年以来，", ""))
    assert _dates([page]) == [("标题", "--06-28", "none")]


def test_a_later_date_of_the_stated_year_stops_the_inference(tmp_path):
    page = _page(tmp_path, "p.txt", "标题", STORY + "2022年9月，工会还将举办技能大赛。")
    assert _dates([page]) == [("标题", "--06-28", "none")]


def test_input_dates_are_read_and_a_bad_one_is_a_counted_warning(tmp_path):
    rows = [
        {"id": "x1", "title": "甲", "text": STORY, "date": "2022年6月29日"},
        {"id": "x2", "title": "乙", "text": UNDATED, "date": "上周三"},
    ]
    src = tmp_path / "news.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    report = Report()
    assert _dates([src], report=report) == [("甲", "2022-06-28", "input"), ("乙", "", "none")]
    assert report.counts["bad_dates"] == 1
    assert report.messages == [f'{src}:2: "date" is not a date (ISO 8601 or 2022年6月28日), dropped']


def test_entity_dates_come_from_dated_articles_only(tmp_path):
    dated = _page(tmp_path, "2022-07-01.txt", "甲", "北京市总工会召开会议。")
    undated = _page(tmp_path, "b.txt", "乙", "本报讯(记者 周文斌)12月3日，北京市总工会召开会议。")
    G = graph.build([dated, undated])
    d = G.nodes["org-北京市总工会"]
    assert (d["articles"], d["first_date"], d["last_date"]) == (2, "2022-07-01", "2022-07-01")


def test_cli_date_options_reach_csv_and_rdf(tmp_path):
    a = _page(tmp_path, "a.txt", "甲", STORY)
    b = _page(tmp_path, "b.txt", "乙", UNDATED)
    table = tmp_path / "dates.csv"
    table.write_text("file,date\nb.txt,2022年7月2日\n", "utf-8")
    out = tmp_path / "out"
    assert main(["build", str(a), str(b), "--out", str(out), "--dates", str(table), "--quiet"]) == 0
    with open(out / "articles.csv", encoding="utf-8") as f:
        rows = {r["title"]: (r["date"], r["date_source"]) for r in csv.DictReader(f)}
    assert rows == {"甲": ("2022-06-28", "inferred"), "乙": ("2022-07-02", "sidecar")}
    g = rdflib.Graph().parse(out / "graph.ttl")
    arts = {
        r["title"]: r["id"] for r in map(json.loads, (out / "articles.jsonl").read_text("utf-8").splitlines())
    }
    inferred = article_iri(arts["甲"])
    assert g.value(inferred, SDO.datePublished) == Literal("2022-06-28", datatype=XSD.date)
    assert g.value(inferred, NKG.dateSource) == Literal("inferred")
    assert g.value(article_iri(arts["乙"]), NKG.dateSource) == Literal("sidecar")


def test_cli_bad_date_options_are_one_line_errors(tmp_path):
    page = _page(tmp_path, "a.txt", "甲", UNDATED)
    proc = run_main("build", str(page), "--out", str(tmp_path / "out"), "--date", "6月29日")
    assert (proc.returncode, proc.stderr) == (
        2,
        "newskg: error: --date takes a full date such as 2022-06-29, not '6月29日'\n",
    )
    table = tmp_path / "dates.csv"
    table.write_text("file,date\na.txt,soon\n", "utf-8")
    proc = run_main("build", str(page), "--out", str(tmp_path / "out"), "--dates", str(table))
    assert proc.returncode == 2
    assert proc.stderr == (
        f"newskg: error: {table}:2: needs a file and a date such as 2022-06-29 (columns file,date)\n"
    )
    assert not (tmp_path / "out").exists()


def test_cli_date_option_dates_every_file_without_one(tmp_path):
    page = _page(tmp_path, "a.txt", "甲", UNDATED)
    out = tmp_path / "out"
    proc = run_main("build", str(page), "--out", str(out), "--date", "2022-06-29", "--quiet")
    assert proc.returncode == 0, proc.stderr
    (rec,) = map(json.loads, (out / "articles.jsonl").read_text("utf-8").splitlines())
    assert (rec["date"], rec["date_source"]) == ("2022-06-29", "option")


def test_the_seed_builds_articles_table_has_every_article_and_its_date_source(seed_build):
    recs = [json.loads(x) for x in (seed_build / "articles.jsonl").read_text("utf-8").splitlines()]
    with open(seed_build / "articles.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["id"], r["date"], r["date_source"]) for r in rows] == [
        (r["id"], csv_cell(r["date"]), r["date_source"])
        for r in recs  # '--08-22: no formula
    ]
    assert Counter(r["date_source"] for r in rows) == {"none": 31, "inferred": 4}


def test_the_articles_table_neutralises_cells_that_start_like_a_formula(tmp_path):
    rec = {"id": "f1", "title": '=HYPERLINK("http://evil","x")', "text": UNDATED, "byline": [], "date": ""}
    (tmp_path / "articles.jsonl").write_text(json.dumps(rec) + "\n", "utf-8")
    write_articles_table(tmp_path)
    with open(tmp_path / "articles.csv", encoding="utf-8", newline="") as f:
        (row,) = csv.DictReader(f)
    assert row["title"] == "'" + rec["title"]
