"""Reliability (issue #20): no input stops a build, no command deletes what is not ours,
no reader sees a half-written build. Each test reproduces one break of the issue."""

from __future__ import annotations

import csv
import json
import os
import pickle
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import psutil
import pyoxigraph as ox
import pytest
import rdflib
from conftest import NEWSKG, ROOT, run_cli, run_main, serving, warning_lines
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from newskg.graph.builddir import MARKER
from newskg.graph.building.cache import STATE, load_state
from newskg.graph.export.atomic import writing
from newskg.graph.export.export import write_tables
from newskg.graph.export.rdf import write_rdf

# Sentences written for these tests.
TEXT = "河西市总工会召开职工代表大会，会议由主席王立新主持。"
OTHER = "东湖区工会组织职工参加技能竞赛，共有三百名职工参加。"


def warnings_of(stderr: str) -> str:
    """The ``warning:`` lines of a command's stderr, as it prints them (progress lines left out)."""
    return "".join(line + "\n" for line in warning_lines(stderr))


def _page(path: Path, text: str = TEXT) -> Path:
    path.write_text(f"职工代表大会召开\n\n{text}\n", encoding="utf-8")
    return path


def _articles(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "articles.jsonl").read_text("utf-8").splitlines()]


# ---------------------------------------------------------------- 1. --out protection


def test_out_with_files_of_its_own_is_refused_and_nothing_is_touched(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "thesis.txt").write_text("x\n")
    proc = run_main("build", str(_page(tmp_path / "a.txt")), "--out", str(docs))
    assert proc.returncode == 2
    assert proc.stderr == (
        f"newskg: error: --out {docs} is not empty and not a newskg build (no {MARKER} file; it holds"
        " thesis.txt): nothing was changed; name a new or empty directory\n"
    )
    assert [p.name for p in docs.iterdir()] == ["thesis.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "docs"], "no temporary left behind"


def test_a_build_of_an_older_newskg_without_the_marker_is_replaced_if_it_holds_only_build_files(tmp_path):
    old = tmp_path / "old"
    (old / "entities").mkdir(parents=True)
    for name in ("graph.nt", "build-state.pickle", "articles.jsonl", "entities/org-x.html"):
        (old / name).write_text("x\n")
    page = _page(tmp_path / "a.txt")
    assert run_main("build", str(page), "--out", str(old), "-q").returncode == 0
    assert (old / MARKER).is_file() and not (old / "build-state.pickle").exists()
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    (mixed / "graph.nt").write_text("x\n")
    (mixed / "notes.md").write_text("mine\n")
    proc = run_main("build", str(page), "--out", str(mixed), "-q")
    assert proc.returncode == 2 and "it holds notes.md" in proc.stderr
    assert sorted(p.name for p in mixed.iterdir()) == ["graph.nt", "notes.md"]


def test_a_build_replaces_an_empty_directory_and_its_own_previous_build(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    assert run_main("build", str(_page(tmp_path / "a.txt")), "--out", str(out), "-q").returncode == 0
    assert (out / MARKER).is_file()
    proc = run_main("build", str(_page(tmp_path / "b.txt", OTHER)), "--out", str(out), "-q")
    assert proc.returncode == 0, proc.stderr
    assert [a["text"] for a in _articles(out)] == [OTHER]


def test_out_equal_to_an_input_is_refused_and_the_inputs_are_kept(tmp_path):
    _page(tmp_path / "a.txt")
    proc = run_main("build", ".", "--out", ".", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == (
        f"newskg: error: --out {tmp_path} holds the input ., and a build replaces --out:"
        " write the build to another directory\n"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


@pytest.mark.parametrize("given", ["out/a.txt", "out/*.txt"])
def test_out_that_contains_an_input_is_refused(tmp_path, given):
    out = tmp_path / "out"
    assert run_main("build", str(_page(tmp_path / "a.txt")), "--out", str(out), "-q").returncode == 0
    _page(out / "a.txt")
    proc = run_main("build", given, "--out", "out", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"newskg: error: --out {out} holds the input {given}, ")
    assert (out / "a.txt").is_file() and (out / "articles.jsonl").is_file()


def test_a_build_inside_its_input_folder_does_not_read_its_own_outputs(tmp_path):
    _page(tmp_path / "a.txt")
    for _ in range(2):
        proc = run_main("build", ".", "--out", "out", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert "articles: 1 " in proc.stdout and "from 1 files" in proc.stdout


# ---------------------------------------------------------------- 2. one bad record is one warning


def test_bad_jsonl_records_are_counted_warnings_and_the_rest_is_built(tmp_path):
    good = json.dumps({"id": "good", "text": TEXT}, ensure_ascii=False)
    f = tmp_path / "bad.jsonl"
    f.write_text(
        "\n".join(
            [
                f'{{"id": "big", "text": "{OTHER}", "n": {"7" * 5000}}}',
                "[" * 100_000,
                '{"id": "sur", "text": "东湖\\ud800区工会"}',
                good,
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    proc = run_main("build", str(f), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert warning_lines(proc.stderr) == [
        f"warning: {f}:1: not valid JSON (a number too long to read), line skipped",
        f"warning: {f}:2: not valid JSON (nested too deeply to read), line skipped",
        f"warning: {f}:3: a lone surrogate (\\ud800-\\udfff) is not text, line skipped",
    ]
    assert "articles: 1 " in proc.stdout and "warnings: 3" in proc.stdout
    assert [a["id"] for a in _articles(tmp_path / "out")] == ["good"]


def test_an_undecodable_file_name_is_read_with_one_warning(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / os.fsdecode(b"x\xff\xfe.txt")).write_text(f"标题\n\n{TEXT}\n", encoding="utf-8")
    _page(corpus / "y.txt", OTHER)
    proc = run_main("build", str(corpus), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert warnings_of(proc.stderr) == (
        f"warning: '{corpus}/x\\xff\\xfe.txt': the file name is not UTF-8;"
        " read, with its bytes as \\x escapes in source\n"
    )
    assert "articles: 2 " in proc.stdout
    assert [a["source"] for a in _articles(tmp_path / "out")] == [
        f"{corpus}/x\\xff\\xfe.txt",
        f"{corpus}/y.txt",
    ]


def test_a_file_name_with_a_newline_cannot_forge_a_warning_line(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a\nwarning: all is well.txt").write_bytes(b"")
    _page(corpus / "b.txt")
    proc = run_main("build", str(corpus), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert (
        warnings_of(proc.stderr) == f"warning: '{corpus}/a\\nwarning: all is well.txt': empty file, skipped\n"
    )


# ---------------------------------------------------------------- 3. a long "# ..." line


@pytest.mark.parametrize("repeat", [10, 15_000])
def test_a_page_of_one_long_heading_line_is_text_not_lost(tmp_path, repeat):
    f = tmp_path / "page.txt"
    f.write_text("# " + TEXT * repeat + "\n", encoding="utf-8")
    proc = run_main("build", str(f), "--out", str(tmp_path / "out"))
    if len(TEXT) * repeat <= 200_000:
        assert proc.returncode == 0, proc.stderr
        assert "articles: 1 " in proc.stdout and "warnings: 0" in proc.stdout
    else:  # over the article limit: a warning, as any huge input gets, and nothing read (exit 1)
        assert proc.returncode == 1, proc.stderr
        assert "characters in one article, over the limit" in proc.stderr
        assert "newskg: error: nothing was read" in proc.stderr


def test_a_page_of_headings_only_is_a_warning(tmp_path):
    f = tmp_path / "page.txt"
    f.write_text("# 职工代表大会\n\n## 第二部分\n", encoding="utf-8")
    proc = run_main("build", str(f), _page(tmp_path / "b.txt").name, "--out", "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (
        warnings_of(proc.stderr)
        == "warning: " + str(f) + ": no article text (only headings or markers), skipped\n"
    )
    assert "articles: 1 " in proc.stdout and "warnings: 1" in proc.stdout


# ---------------------------------------------------------------- 4. links and unreadable folders


def test_links_to_folders_and_links_to_nothing_are_counted_and_named(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    _page(corpus / "a.txt")
    (corpus / "sub" / "loop").symlink_to("..")
    (corpus / "gone.txt").symlink_to("nowhere.txt")
    (corpus / "self.txt").symlink_to("self.txt")
    proc = run_main("build", str(corpus), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert warning_lines(proc.stderr) == [
        f"warning: {corpus}/gone.txt: a link that leads to no file, skipped",
        f"warning: {corpus}/self.txt: a link that leads to no file, skipped",
        f"warning: {corpus}/sub/loop: a link to a folder, not followed, skipped",
    ]
    assert "articles: 1 " in proc.stdout and "skipped files: 3; warnings: 3" in proc.stdout


def _as_nobody() -> list[str]:
    """A command prefix that runs as an unprivileged user (root reads every folder), or skip."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: an unreadable folder cannot be made")
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def test_an_unreadable_folder_is_counted_and_named():
    prefix = _as_nobody()
    work = Path(tempfile.mkdtemp())  # not under tmp_path: its parents are closed to other users
    try:
        (work / "corpus" / "locked").mkdir(parents=True)
        _page(work / "corpus" / "a.txt")
        _page(work / "corpus" / "locked" / "b.txt", OTHER)
        for p in (work, work / "corpus"):
            p.chmod(0o777)
        (work / "corpus" / "a.txt").chmod(0o644)
        (work / "corpus" / "locked").chmod(0o000)
        proc = subprocess.run(
            [*prefix, str(NEWSKG), "build", "corpus", "--out", "out"],
            cwd=work,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "HOME": str(work)},
        )
    finally:
        (work / "corpus" / "locked").chmod(0o755)
        shutil.rmtree(work)
    assert proc.returncode == 0, proc.stderr
    assert warnings_of(proc.stderr) == "warning: corpus/locked: cannot read it (Permission denied), skipped\n"
    assert "articles: 1 " in proc.stdout and "skipped files: 1; warnings: 1" in proc.stdout


# ---------------------------------------------------------------- 5. a full disk


def _files(out: Path) -> dict[str, bytes]:
    """The files of a build, but SQLite's own journal files beside the cache (``cache.sqlite-wal``)."""
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and "sqlite-" not in p.name}


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs at ``tmp_path/disk`` (root only), unmounted after."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs: {mounted.stderr.decode().strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_full_disk_is_one_line_and_the_previous_build_is_untouched(tmp_path, small_disk):
    out = small_disk / "out"
    assert run_main("build", str(_page(tmp_path / "a.txt")), "--out", str(out), "-q").returncode == 0
    before = _files(out)
    free = shutil.disk_usage(small_disk).free
    (small_disk / "filler").write_bytes(b"\0" * max(0, free - 20_000))
    proc = run_main("build", str(_page(tmp_path / "b.txt", OTHER)), "--out", str(out), "-q")
    assert proc.returncode == 1
    assert proc.stderr == (
        f"newskg: error: no space left on device while writing {out}; the previous build is untouched\n"
    )
    assert _files(out) == before, "cache.sqlite too (it was deleted as if corrupt)"


# ---------------------------------------------------------------- 8-10. untrusted text into XML, CSV, IRIs


def _jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_xml_forbidden_code_points_leave_graphml_and_gexf_well_formed(tmp_path):
    f = _jsonl(
        tmp_path / "a.jsonl",
        [{"id": "x\ufffe1", "title": "标题\uffff", "text": TEXT.replace("，", "\ufffe，\uffff")}],
    )
    out = tmp_path / "out"
    proc = run_main("build", str(f), "--out", str(out), "--strict", "-q")
    assert proc.returncode == 0, proc.stderr
    assert nx.read_graphml(out / "graph.graphml").number_of_nodes() > 0
    gexf = ET.parse(out / "graph.gexf").getroot()  # well-formed XML (networkx refuses per-edge directions)
    assert gexf.find(".//{http://www.gexf.net/1.2draft}node") is not None
    for p in out.rglob("*"):
        if p.suffix in (".graphml", ".gexf", ".html", ".nt", ".ttl", ".jsonl", ".csv"):
            assert not {"\ufffe", "\uffff"} & set(p.read_text("utf-8")), p.name


FORMULAS = ['=HYPERLINK("http://evil","x")', "@SUM(1+1)", "+1+1", "-1+1", "=cmd|' /C calc'!A0"]


def test_dates_that_are_not_dates_are_dropped_with_a_warning(tmp_path):
    records = [{"id": f"d{i}", "text": TEXT, "date": d} for i, d in enumerate(FORMULAS)]
    records += [
        {"id": "iso", "text": OTHER, "date": "2024-03-05"},
        {"id": "zh", "text": OTHER, "date": "2024年3月6日"},
    ]
    f = _jsonl(tmp_path / "a.jsonl", records)
    out = tmp_path / "out"
    proc = run_main("build", str(f), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert warning_lines(proc.stderr) == [
        f'warning: {f}:{i}: "date" is not a date (ISO 8601 or 2022年6月28日), dropped' for i in range(1, 6)
    ]
    assert [a["date"] for a in _articles(out)] == ["", "", "", "", "", "2024-03-05", "2024-03-06"]
    with open(out / "entities.csv", encoding="utf-8", newline="") as table:
        dates = {row["first_date"] for row in csv.DictReader(table)}
    assert dates <= {"", "2024-03-05", "2024-03-06"}


def test_table_cells_that_start_like_a_formula_are_neutralised(tmp_path):
    G = nx.MultiDiGraph()
    for i, text in enumerate([*FORMULAS, "\tx", "\rx"]):
        G.add_node(f"org-{i}", type="ORG", label=text, aliases=text, first_date=text)
    G.add_edge(
        "org-0", "org-1", key="co_mention", kind="co_mention", weight=1, npmi=-0.5, evidence=FORMULAS[0]
    )
    write_tables(G, tmp_path)
    for name in ("entities.csv", "edges.csv"):
        with open(tmp_path / name, encoding="utf-8", newline="") as table:
            rows = list(csv.DictReader(table))
        for row in rows:
            for key, cell in row.items():
                if key != "npmi":
                    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, key, cell)
        assert name == "entities.csv" or rows[0]["npmi"] == "-0.5", "numbers stay numbers"
    with open(tmp_path / "entities.csv", encoding="utf-8", newline="") as table:
        assert next(csv.DictReader(table))["label"] == "'" + FORMULAS[0]


def test_ids_that_broke_rdflib_give_rdf_both_engines_read(tmp_path):
    f = _jsonl(tmp_path / "a.jsonl", [{"id": "news.", "text": TEXT}, {"id": "a\u2028b", "text": OTHER}])
    out = tmp_path / "out"
    assert run_main("build", str(f), "--out", str(out), "-q").returncode == 0
    for name, fmt in (("graph.ttl", "turtle"), ("graph.nt", "nt"), ("graph.jsonld", "json-ld")):
        assert len(rdflib.Graph().parse(out / name, format=fmt)) > 0
    ask = "SELECT ?id { ?a a schema:NewsArticle ; schema:identifier ?id } ORDER BY ?id"
    for engine in ("rdflib", "oxigraph"):
        proc = run_main("query", "--data", str(out), "--engine", engine, "--format", "json", "-e", ask)
        assert proc.returncode == 0, proc.stderr
        rows = json.loads(proc.stdout)["results"]["bindings"]
        assert [r["id"]["value"] for r in rows] == ["a\u2028b", "news."]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(aid=st.text(min_size=1, max_size=12), text=st.text(min_size=1, max_size=40))
def test_any_id_and_text_give_rdf_that_rdflib_and_pyoxigraph_parse(tmp_path_factory, aid, text):
    out = tmp_path_factory.mktemp("rdf")
    G = nx.MultiDiGraph()
    G.add_node("org-x", type="ORG", label=text, aliases=text, first_date=text)
    G.add_node(f"person-{aid}", type="PERSON", label=aid)
    ev = json.dumps([{"article": aid, "title": text, "sentence": text}], ensure_ascii=False)
    G.add_edge(
        "org-x",
        f"person-{aid}",
        key="co_mention",
        kind="co_mention",
        weight=1,
        articles=1,
        npmi=0.5,
        evidence=ev,
    )
    record = {
        "id": aid,
        "title": text,
        "text": text,
        "source": text,
        "url": text,
        "date": text,
        "duplicate_of": aid,
    }
    _jsonl(out / "articles.jsonl", [record])
    _jsonl(out / "mentions.jsonl", [{"article_id": aid, "entity_id": "org-x"}])
    write_rdf(G, out)
    for name, fmt, ox_fmt in (
        ("graph.nt", "nt", ox.RdfFormat.N_TRIPLES),
        ("graph.ttl", "turtle", ox.RdfFormat.TURTLE),
        ("graph.jsonld", "json-ld", ox.RdfFormat.JSON_LD),
    ):
        g = rdflib.Graph().parse(out / name, format=fmt)
        assert (None, None, rdflib.Literal(aid)) in g, name
        assert len(list(ox.parse(path=str(out / name), format=ox_fmt))) == len(g), name


# ---------------------------------------------------------------- 6-7. readers and writers at once


def test_a_writer_is_refused_while_another_holds_the_build(tmp_path):
    out = tmp_path / "out"
    page = _page(tmp_path / "a.txt")
    assert run_main("build", str(page), "--out", str(out), "-q").returncode == 0
    before = _files(out)
    message = (
        f"newskg: error: another newskg (build, update or refresh) is writing {out}:"
        " try again when it is done\n"
    )
    with writing(out):  # as a running build, update or refresh holds it
        for args in (["build", str(page)], ["build", str(page), "--update"]):
            proc = run_cli(*args, "--out", str(out), "-q")
            assert (proc.returncode, proc.stderr) == (2, message), args
        proc = run_cli("refresh", str(out), "-q")
        assert (proc.returncode, proc.stderr) == (2, message)
        proc = run_main("query", "--data", str(out), "-e", "ASK { ?s ?p ?o }")  # readers take no lock
        assert (proc.returncode, proc.stdout) == (0, "true\n"), proc.stderr
    assert _files(out) == before
    assert run_main("build", str(page), "--out", str(out), "-q").returncode == 0, "released"


def test_forked_writers_die_with_a_killed_build(tmp_path):
    # Orphaned writers of a killed --jobs 2 build ran on for minutes, holding gigabytes.
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), "400", "--out", str(tmp_path / "c")],
        check=True,
        timeout=120,
    )
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [str(NEWSKG), "build", str(tmp_path / "c"), "--out", str(out), "-q", "--jobs", "2"]
    )
    parent = psutil.Process(proc.pid)
    deadline = time.time() + 300
    while (
        time.time() < deadline and proc.poll() is None and not list(tmp_path.glob(".out.tmp-*/graph.graphml"))
    ):
        time.sleep(0.05)
    children = parent.children(recursive=True)
    # --jobs 2: one forked writer beside the build process, which writes too (issue #21)
    assert proc.poll() is None and len(children) >= 1, "the writers did not start before the build ended"
    parent.kill()
    proc.wait()
    _, alive = psutil.wait_procs(children, timeout=3)
    for p in alive:
        p.kill()
    assert not alive, f"{len(alive)} writers outlived their parent"


# ---------------------------------------------------------------- 11-14. the endpoint and the query command

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # never finishes


def _ask(port: int, query: str, timeout: float = 30) -> tuple[int, float]:
    """Status and seconds of one GET /sparql."""
    url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": query})
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as res:
            status = res.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, time.monotonic() - start


def test_clients_looping_expensive_queries_do_not_starve_a_short_one(hand_build):
    # Before: a third client's ASK got 503, 503, then 200 after 15.5 s (replaced workers reloaded the data).
    with serving("--data", str(hand_build), "--timeout", "3") as (_, port):
        stop = threading.Event()
        slow: list[int] = []

        def loop() -> None:
            while not stop.is_set():
                slow.append(_ask(port, SLOW)[0])

        threads = [threading.Thread(target=loop) for _ in range(2)]
        for t in threads:
            t.start()
        try:
            time.sleep(1)
            answers = []
            for _ in range(12):
                answers.append(_ask(port, "ASK { ?s ?p ?o }"))
                time.sleep(0.4)
        finally:
            stop.set()
            for t in threads:
                t.join(30)
    assert [status for status, _ in answers] == [200] * 12
    assert max(seconds for _, seconds in answers) < 1.0, answers
    assert slow and set(slow) == {503}


def _exchange(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request)
        s.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def _status(response: bytes) -> int:
    """The status of an HTTP response; 0 if it does not start with a status line."""
    m = re.match(rb"HTTP/1\.[01] (\d{3}) ", response)
    return int(m.group(1)) if m else 0


@pytest.fixture(scope="module")
def endpoint(hand_build):
    """``newskg serve`` of the hand build that also answers to the name ``kg.example.org``."""
    with serving("--data", str(hand_build), "--allow-host", "kg.example.org") as (_, port):
        yield port


ASK = "/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D"


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("evil.example", 400),
        ("evil.example:{port}", 400),
        ("localhost:{port}", 200),
        ("127.0.0.1:{port}", 200),
    ]
    + [("kg.example.org", 200), ("[::1]:{port}", 200)],
)
def test_only_the_servers_own_host_names_are_answered(endpoint, host, status):
    # DNS rebinding: a web page the user visits resolves its own name to 127.0.0.1 and queries us.
    request = f"GET {ASK} HTTP/1.1\r\nHost: {host.format(port=endpoint)}\r\n\r\n"
    assert _status(_exchange(endpoint, request.encode())) == status


def test_conflicting_content_lengths_are_400(endpoint):
    body = b"query=ASK%20%7B%7D"
    request = (
        b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: %d\r\nContent-Length: 3\r\n\r\n" % len(body)
    ) + body
    assert _status(_exchange(endpoint, request)) == 400


@pytest.mark.parametrize("line", [b"GARBAGE", b"GET /", b"GET", b"GET / HTTP/1.1 extra"])
def test_a_malformed_request_line_gets_a_status_line_and_400(endpoint, line):
    assert _status(_exchange(endpoint, line + b"\r\n\r\n")) == 400


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_query_refuses_service_unless_allowed(hand_build, engine):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.setblocking(False)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        query = f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}"
        proc = run_main("query", "--data", str(hand_build), "--engine", engine, "-e", query)
        assert proc.returncode == 2
        assert proc.stderr.startswith("newskg: error: SERVICE (a federated query) is not allowed: ")
        assert "--allow-service" in proc.stderr
        with pytest.raises(BlockingIOError):  # nothing was fetched
            listener.accept()


def test_an_iri_parameter_must_be_one_iri(hand_build):
    # Through aliases.rq, this value closed the VALUES block and added a SERVICE clause.
    value = "<urn:a> } SERVICE SILENT <http://127.0.0.1:9/> { ?x ?y ?z } VALUES ?zz { <urn:b>"
    proc = run_main(
        "query", str(ROOT / "queries" / "aliases.rq"), "--data", str(hand_build), "--param", f"name={value}"
    )
    assert proc.returncode == 2
    assert proc.stderr == (
        f"newskg: error: --param name: {value!r} is not one IRI (no spaces, control characters"
        ' or <>{}"|^`\\ inside the <...>)\n'
    )


# ---------------------------------------------------------------- 15. a build someone sent you


class _Payload:
    """A pickle that runs ``touch PATH`` when it is loaded."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self):
        return (os.system, (f"touch {self.path}",))


@pytest.mark.parametrize("name", ["build-state.pickle", "build-state.json", "build-state.journal"])
def test_a_crafted_state_file_in_out_runs_no_code(tmp_path, name):
    out = tmp_path / "out"
    page = _page(tmp_path / "a.txt")
    assert run_main("build", str(page), "--out", str(out), "-q").returncode == 0
    ran = tmp_path / "ran"
    (out / name).write_bytes(pickle.dumps(_Payload(ran)))
    (out / "STALE.txt").write_text("stale\n")
    run_main("query", "--data", str(out), "-e", "ASK { ?s ?p ?o }")
    run_main(
        "build", str(page), _page(tmp_path / "b.txt", OTHER).name, "--out", str(out), "--update", cwd=tmp_path
    )
    run_main("refresh", str(out))
    assert run_main("build", str(page), "--out", str(out), "-q").returncode == 0
    assert not ran.exists(), f"{name} ran code"


# ---------------------------------------------------------------- 16. the same input, the same bytes


def _build_with_seed(inputs: list[Path], out: Path, seed: int, *args: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}  # a set's order differs from process to process
    proc = subprocess.run(
        [str(NEWSKG), *args, *map(str, inputs), *(["--out", str(out)] if inputs else []), "-q"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr


def _all_files(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.startswith("cache.sqlite")
    }


def test_builds_and_refreshes_of_the_same_input_are_byte_identical(tmp_path):
    texts = [
        "河西市总工会主席王立新与东湖区工会负责人李明会见了南山镇职工代表。",
        "王立新表示，河西市总工会将与东湖区工会共同举办劳动竞赛，南山镇职工踊跃报名。",
        "李明在东湖区工会会议上说，北岭县总工会和西川市总工会也将参加。",
    ]
    f = _jsonl(tmp_path / "a.jsonl", [{"id": f"n{i}", "text": t} for i, t in enumerate(texts)])
    outs = [tmp_path / f"out{seed}" for seed in (1, 2, 3)]
    for seed, out in zip((1, 2, 3), outs, strict=True):
        _build_with_seed([f], out, seed, "build", "--top", "4")
    first = _all_files(outs[0])
    assert "graph.gexf" in first and time.strftime("%Y-%m-%d").encode() not in first["graph.gexf"]
    for out in outs[1:]:
        assert _all_files(out) == first
    for seed in (4, 5):
        _build_with_seed([], outs[0], seed, "refresh", str(outs[0]))
        assert _all_files(outs[0]) == first


def test_the_json_state_reads_back_short_articles_and_undecodable_file_names(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _page(corpus / os.fsdecode(b"x\xff.txt"))  # a text too short for the near-duplicate index
    out = tmp_path / "out"
    assert run_main("build", str(corpus), "--out", str(out), "-q").returncode == 0
    state = load_state(out / STATE, None, None)
    assert state is not None, "the next build could not start from it"
    assert [Path(p).name for p, _, _ in state.files] == [os.fsdecode(b"x\xff.txt")]
    (out / STATE).read_text("utf-8")  # valid UTF-8


def test_out_in_folders_that_do_not_exist_yet_is_made(tmp_path):
    # --out a/b/out with no a/b: made as `mkdir -p` would (it was a traceback from mkdtemp)
    from newskg.graph.cli import main

    page = tmp_path / "p.txt"
    page.write_text("标题\n\n河南省总工会召开会议。\n", "utf-8")
    out = tmp_path / "a" / "b" / "out"
    assert main(["build", str(page), "--out", str(out), "--quiet"]) == 0
    assert (out / "graph.graphml").is_file()
    blocked = tmp_path / "file"
    blocked.write_text("x")
    assert main(["build", str(page), "--out", str(blocked / "out"), "--quiet"]) == 2
    assert blocked.read_text() == "x"


def test_a_forked_writers_error_is_raised_by_the_build(tmp_path, monkeypatch):
    # The writers' processes are forked (they inherit the graph); what stops one reaches the
    # build as the same exception, as it does from a writer in the build process.
    import time

    import networkx as nx
    from newskg.graph.building import build as build_module

    parent = os.getpid()

    def writer(G, out, options):
        if os.getpid() != parent:
            raise ValueError("disk says no")
        time.sleep(0.5)  # the build process is slow: the fork takes a writer

    monkeypatch.setattr(build_module, "WRITERS", (writer, writer, writer))
    with pytest.raises(ValueError, match="disk says no"):
        build_module.write_outputs(nx.MultiDiGraph(), tmp_path, {}, jobs=2)
    monkeypatch.setattr(build_module, "WRITERS", (writer,))
    build_module.write_outputs(nx.MultiDiGraph(), tmp_path, {}, jobs=2)  # one writer: no fork
