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
from pathlib import Path
from urllib.parse import quote, unquote

import networkx as nx
import pytest
from conftest import run_cli
from playwright.sync_api import sync_playwright

from extract.errors import UserError
from graph.build import build
from graph.html import OVERVIEW_MAX, PHYSICS_MAX_NODES, overview_html, write_html

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
    proc = run_cli("build", str(src), "--out", str(out), "--quiet")
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM.exists(), "chromium is missing: apt-get install -y chromium (.ci/run does this)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


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
        self.page.wait_for_function("window.newskg && window.newskg.ready", timeout=30_000)

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


def check_overview(browser, out: Path, shot: Path, ankang_xfail: bool) -> None:
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
        if ankang is None and ankang_xfail:
            pytest.xfail("the recogniser does not emit the 安康杯 campaign on this build yet")
        assert ankang is not None
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
    check_overview(browser, small_build, tmp_path / "graph.png", ankang_xfail=False)


def test_overview_of_the_seeds_in_browser_offline(browser, seed_build, tmp_path):
    check_overview(browser, seed_build, tmp_path / "seed-graph.png", ankang_xfail=True)


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
    assert all(n["value"] == n["pagerank"] for n in data["nodes"])
    assert all(e["value"] == e["weight"] for e in data["edges"])
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
    proc = run_cli("build", str(small_build.parent / "articles.jsonl"), "--out", str(out), "--top", "3", "-q")
    assert proc.returncode == 0, proc.stderr
    page = (out / "graph.html").read_text(encoding="utf-8")
    total = len(_entities(out))
    assert len(_data(page)["nodes"]) == 3 < total and f"共 {total} 个" in page
    assert len(list((out / "entities").glob("*.html"))) == total  # every entity keeps its page
    assert inspect.signature(build).parameters["top"].default == OVERVIEW_MAX
    assert f"default {OVERVIEW_MAX:,}" in " ".join(run_cli("build", "--help").stdout.split())


def test_top_must_be_positive(tmp_path):
    # through the API: the CLI passes --top straight to this writer
    with pytest.raises(UserError, match="^--top must be a positive number of nodes, not 0$"):
        write_html(_random_graph(3), tmp_path, {"top": 0})
    assert not (tmp_path / "graph.html").exists()


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
        link = opened.page.locator("#info .evidence a.title").first
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
    proc = run_cli("build", str(src), "--out", str(out), "--quiet")
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
    import graph

    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("标题一\n\n本报讯(记者 刘强)北京市总工会召开会议。\n", "utf-8")
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
    page.write_text("标题\n\n本报讯(记者 刘强)北京市总工会召开会议。\n", "utf-8")
    out = tmp_path / "out"
    proc = run_cli("build", str(page), "--out", str(out), "--types", "ORG", "--quiet")
    assert proc.returncode == 0, proc.stderr
    (article,) = (out / "articles").iterdir()
    html = article.read_text("utf-8")
    links = re.findall(r'href="\.\./entities/([^"]+)"', html)
    assert links and all((out / "entities" / unquote(x)).is_file() for x in links)
    assert "刘强" in html and "person-" not in html
