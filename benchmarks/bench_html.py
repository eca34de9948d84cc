"""How fast graph.html becomes usable in a browser, at 500, 2,000 and 5,000 nodes (issues #8, #22).

Generated graphs (seeded: a power-law cluster graph, about three edges a node, random
types, Chinese labels, aliases and two evidence sentences an edge) are written with
:mod:`graph.html`, then opened from disk in Debian's chromium (Playwright,
every network request blocked). The time is from navigation start until the network is
drawn and stable: the page sets ``newskg.readyMs`` at the first draw with physics off,
or at the first draw after the stabilisation run with physics on (labels included). The time
filter's time is from moving its slider (24 months, set to the second half of the first year)
until the next frame is drawn (issue #22: within 300 ms at 5,000 nodes). Median of ``--runs``.

    .venv/bin/python benchmarks/bench_html.py [--sizes 500,2000,5000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

import networkx as nx
from newskg.graph.building.timeline import Months
from newskg.graph.export.html import PHYSICS_MAX_NODES, write_overview
from newskg.graph.export.pages import write_entity_pages
from playwright.sync_api import sync_playwright

TYPES = ("PERSON", "PLACE", "ORG", "CAMPAIGN", "EVENT")
CHARS = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
WORDS = "总工会委员会人民政府研究院集团公司协会大学医院社区街道竞赛活动会议论坛"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def synthetic(n: int, seed: int = 1) -> nx.MultiDiGraph:
    """A graph shaped like a build's: typed nodes with analytics attributes, weighted co-mentions."""
    rng = random.Random(seed)
    H = nx.powerlaw_cluster_graph(n, 3, 0.3, seed=seed)
    for u, v in H.edges:
        H.edges[u, v]["weight"] = rng.choice((1, 1, 1, 2, 2, 3, 5, 8))
    pr = nx.pagerank(H, weight="weight")
    community = {m: i for i, c in enumerate(nx.community.louvain_communities(H, seed=seed)) for m in c}
    G = nx.MultiDiGraph()
    for m in H:
        label = "".join(rng.choice(CHARS) for _ in range(2)) + "".join(rng.sample(WORDS, 3)) + str(m)
        G.add_node(
            f"n{m}",
            type=rng.choice(TYPES),
            label=label,
            aliases=label[:3] + "|" + label[-3:],
            mentions=rng.randint(1, 50),
            articles=rng.randint(1, 20),
            degree=H.degree(m),
            weighted_degree=H.degree(m, weight="weight"),
            pagerank=round(pr[m], 8),
            community=community[m],
        )
    for u, v, d in H.edges(data=True):
        a, b = G.nodes[f"n{u}"]["label"], G.nodes[f"n{v}"]["label"]
        ev = [
            {"article": f"a{i}", "title": f"新闻标题{i}", "sentence": f"{a}与{b}共同出席了第{i}次会议。"}
            for i in (1, 2)
        ]
        G.add_edge(
            f"n{u}",
            f"n{v}",
            key="co_mention",
            kind="co_mention",
            weight=d["weight"],
            articles=1,
            npmi=0.5,
            evidence=json.dumps(ev, ensure_ascii=False),
        )
    return G


MONTHS = [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)]


def synthetic_months(G: nx.MultiDiGraph, seed: int = 1) -> Months:
    """Counts by month for :func:`synthetic`'s edges (each weight spread over :data:`MONTHS`) and nodes."""
    rng = random.Random(seed)
    pairs: dict[tuple[str, str], Counter] = {}
    nodes: dict[str, Counter] = {n: Counter() for n in G}
    for u, v, d in G.edges(data=True):
        counts = Counter(rng.choice(MONTHS) for _ in range(int(d["weight"])))
        pairs[tuple(sorted((u, v)))] = counts
        nodes[u].update(counts)
        nodes[v].update(counts)
    return MONTHS, pairs, nodes


FILTER = """() => new Promise(done => {
  const to = document.getElementById('time-to'), t0 = performance.now();
  newskg.network.once('afterDrawing', () => done(performance.now() - t0));
  document.getElementById('time-from').value = 6;
  to.value = 11;
  to.dispatchEvent(new Event('input'));
})"""


# Polls inside one function compiled by the DevTools protocol: page.wait_for_function evals the
# predicate's text on each poll, which graph.html's CSP (no 'unsafe-eval') refuses.
WAIT_READY = """(ms) => new Promise((resolve, reject) => {
  const t0 = performance.now();
  (function poll() {
    if (window.newskg && window.newskg.ready) resolve(true);
    else if (performance.now() - t0 > ms) reject(new Error(`graph.html not ready after ${ms} ms`));
    else setTimeout(poll, 50);
  })();
})"""


def time_page(browser, page_path: Path) -> tuple[float, float]:
    """Milliseconds from navigation start until ``newskg.ready`` (drawn, stable), and of the time filter."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    blocked: list[str] = []
    context.route(
        "**/*",
        lambda r: r.continue_() if r.request.url.startswith("file:") else (blocked.append(1), r.abort()),
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_path.resolve().as_uri())
    page.evaluate(WAIT_READY, 120_000)
    ms = page.evaluate("newskg.readyMs")
    page.evaluate("() => newskg.network.setOptions({physics: {enabled: false}})")
    filter_ms = page.evaluate(FILTER)
    context.close()
    if errors or blocked:
        raise SystemExit(f"{page_path}: errors {errors}, blocked requests {len(blocked)}")
    return ms, filter_ms


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="500,2000,5000")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    rows = []
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for n in (int(s) for s in args.sizes.split(",")):
            G = synthetic(n)
            out = Path(tmp) / str(n)
            out.mkdir()
            t0 = time.perf_counter()
            write_overview(G, out / "graph.html", months=synthetic_months(G))
            t1 = time.perf_counter()
            write_entity_pages(G, out)
            t2 = time.perf_counter()
            times = [time_page(browser, out / "graph.html") for _ in range(args.runs)]
            ms = statistics.median(t[0] for t in times)
            filter_ms = statistics.median(t[1] for t in times)
            mb = (out / "graph.html").stat().st_size / 1e6
            physics = "on" if n <= PHYSICS_MAX_NODES else "off"
            rows.append(
                f"| {n:,} | {G.number_of_edges():,} | {physics} | {t1 - t0:.1f} | {t2 - t1:.1f} | {mb:.1f} "
                f"| {ms / 1000:.2f} | {filter_ms:.0f} |"
            )
        browser.close()
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"{machine}; browser time: median of {args.runs} loads")
    print()
    print(
        "| nodes | edges | physics | write graph.html (s) | write entity pages (s) | graph.html (MB) "
        "| drawn and stable in chromium (s) | time filter (ms) |"
    )
    print("|---:|---:|:---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
