// newskg overview: filters, search, info panel. All text from articles goes into the page
// through textContent / text nodes, never innerHTML.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(data.edges);
  const hiddenTypes = new Set();
  let minWeight = 1;
  let showReported = true; // reported edges (byline person -> entity): shown, or hidden by their own box

  const visible = (id) => {
    const n = nodes.get(id);
    return Boolean(n) && !hiddenTypes.has(n.group);
  };
  const nodeView = new vis.DataView(nodes, { filter: (n) => !hiddenTypes.has(n.group) });
  const edgeView = new vis.DataView(edges, {
    filter: (e) => e.weight >= minWeight && (showReported || e.kind !== "reported") && visible(e.from) && visible(e.to),
  });

  const adjacency = new Map();
  for (const e of data.edges) {
    for (const end of [e.from, e.to]) {
      if (!adjacency.has(end)) adjacency.set(end, []);
      adjacency.get(end).push(e.id);
    }
  }

  const container = document.getElementById("network");
  const network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);
  const state = (window.newskg = {
    network, nodes, edges, nodeView, edgeView, selected: null, ready: false, readyMs: null, stabilizedMs: null,
  });

  // Ready = drawn and stable: the first draw with physics off, the first draw after the
  // (hidden) stabilisation run with physics on.
  let stabilising = data.options.physics.enabled && data.nodes.length > 0;
  network.once("stabilizationIterationsDone", () => { stabilising = false; });
  network.once("stabilized", () => { state.stabilizedMs = performance.now(); });
  const onDraw = () => {
    if (stabilising || state.ready) return;
    state.ready = true;
    state.readyMs = performance.now();
    network.off("afterDrawing", onDraw);
    document.body.dataset.ready = "1";
    const target = decodeURIComponent(location.hash.slice(1));
    if (target) select(target);
  };
  network.on("afterDrawing", onDraw);

  // ------------------------------------------------------------------ DOM helpers
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "onclick") node.addEventListener("click", v);
      else node.setAttribute(k, v);
    }
    node.append(...children.filter((c) => c !== null && c !== undefined));
    return node;
  }
  function highlighted(text, terms) {
    const frag = document.createDocumentFragment();
    terms = [...new Set(terms.filter(Boolean))].sort((a, b) => b.length - a.length);
    let i = 0;
    for (;;) {
      let at = -1, term = "";
      for (const t of terms) {
        const j = text.indexOf(t, i);
        if (j >= 0 && (at < 0 || j < at)) { at = j; term = t; }
      }
      if (at < 0) break;
      frag.append(text.slice(i, at), el("mark", {}, term));
      i = at + term.length;
    }
    frag.append(text.slice(i));
    return frag;
  }
  const pageOf = (id) => "entities/" + encodeURIComponent(id) + ".html";
  // An evidence's article, linked to its page (articles/<id>.html; graph.render.article_file: plain ids only).
  function articleLink(x) {
    const id = String(x.article || ""), text = "《" + (x.title || id) + "》";
    return /^[A-Za-z0-9_-]{1,100}$/.test(id)
      ? el("a", { class: "title", href: "articles/" + id + ".html" }, text)
      : el("span", { class: "title" }, text);
  }
  const typeName = (t) => (data.types[t] ? data.types[t].name : t);
  const fmt = (x, digits) => (x === null || x === undefined ? "—" : Number(x).toFixed(digits));
  const info = document.getElementById("info");
  const fill = (...items) => info.replaceChildren(...items.filter((x) => x !== null && x !== undefined));
  function nodeLink(id, extra) {
    const n = nodes.get(id);
    const a = el("a", { class: "node", href: "#" + encodeURIComponent(id), onclick: (ev) => { ev.preventDefault(); select(id); } },
      n ? n.label : id);
    return el("li", {}, a, extra ? el("span", { class: "muted" }, " " + extra) : null);
  }

  // ------------------------------------------------------------------ info panel
  function showNode(id) {
    const n = nodes.get(id);
    if (!n) return;
    const swatch = el("span", { class: "swatch", style: "background:" + (data.types[n.group] || {}).color });
    const rows = [
      ["类型", typeName(n.group) + " (" + n.group + ")"],
      ["别名", n.aliases.length ? n.aliases.join("、") : "—"],
      ["提及", n.mentions + " 次，" + n.articles + " 篇文章"],
      ["日期", n.first_date ? n.first_date + (n.last_date !== n.first_date ? " 至 " + n.last_date : "") : "—"],
      ["度", n.degree + "（加权 " + fmt(n.weighted_degree, 0) + "）"],
      ["PageRank", fmt(n.pagerank, 5)],
    ];
    const dl = el("dl");
    for (const [k, v] of rows) dl.append(el("dt", {}, k), el("dd", {}, v));
    const linked = (adjacency.get(id) || []).map((eid) => edges.get(eid));
    const co = linked.filter((e) => e.kind === "co_mention").sort((a, b) => b.weight - a.weight).slice(0, 10);
    const other = (e) => (e.from === id ? e.to : e.from);
    const coList = el("ul", {}, ...co.map((e) => nodeLink(other(e), "×" + e.weight)));
    const rel = linked.filter((e) => e.kind !== "co_mention");
    const relList = el("ul", {}, ...rel.map((e) =>
      nodeLink(other(e), (data.kinds[e.kind] || e.kind) + (e.role ? "：" + e.role : "") + (e.from === id ? " →" : " ←"))));
    fill(
      el("h2", {}, swatch, n.label),
      dl,
      el("p", {}, el("a", { href: pageOf(id), id: "entity-page" }, "打开实体页（提及原句、邻居网络）")),
      el("h3", {}, "共现最多的实体"),
      co.length ? coList : el("p", { class: "muted" }, "无"),
      rel.length ? el("h3", {}, "结构关系") : null,
      rel.length ? relList : null,
    );
  }

  function showEdge(eid) {
    const e = edges.get(eid);
    if (!e) return;
    const a = nodes.get(e.from), b = nodes.get(e.to);
    const dl = el("dl");
    const rows = [
      ["关系", (data.kinds[e.kind] || e.kind) + (e.role ? "：" + e.role : "")],
      ["权重", String(e.weight)],
      ["NPMI", fmt(e.npmi, 3)],
      ["文章数", String(e.articles)],
    ];
    for (const [k, v] of rows) dl.append(el("dt", {}, k), el("dd", {}, v));
    const terms = [a.label, ...a.aliases, b.label, ...b.aliases];
    const ev = el("ol", { class: "evidence" }, ...e.evidence.map((x) =>
      el("li", {}, highlighted(String(x.sentence || ""), terms),
        articleLink(x))));
    fill(
      el("h2", {}, a.label + (e.kind === "co_mention" ? " — " : " → ") + b.label),
      el("ul", {}, nodeLink(e.from), nodeLink(e.to)),
      dl,
      e.evidence.length ? el("h3", {}, "证据句") : null,
      e.evidence.length ? ev : null,
    );
  }

  function select(id) {
    const n = nodes.get(id);
    if (!n) return false;
    if (hiddenTypes.has(n.group)) {
      hiddenTypes.delete(n.group);
      document.querySelector('#types input[data-type="' + CSS.escape(n.group) + '"]').checked = true;
      refresh();
    }
    state.selected = id;
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300 } });
    showNode(id);
    return true;
  }
  Object.assign(state, { select, showNode, showEdge });

  network.on("click", (p) => {
    if (p.nodes.length) { state.selected = p.nodes[0]; showNode(p.nodes[0]); }
    else if (p.edges.length) { state.selected = null; showEdge(p.edges[0]); }
    else state.selected = null;
  });
  network.on("hoverNode", (p) => { if (!state.selected) showNode(p.node); });
  network.on("doubleClick", (p) => { if (p.nodes.length) location.href = pageOf(p.nodes[0]); });

  // ------------------------------------------------------------------ filters
  function refresh() {
    nodeView.refresh();
    edgeView.refresh();
  }
  for (const box of document.querySelectorAll("#types input[data-type]")) {
    box.addEventListener("change", () => {
      if (box.checked) hiddenTypes.delete(box.dataset.type);
      else hiddenTypes.add(box.dataset.type);
      refresh();
    });
  }
  const weight = document.getElementById("min-weight");
  weight.addEventListener("input", () => {
    minWeight = Number(weight.value);
    document.getElementById("min-weight-value").value = weight.value;
    edgeView.refresh();
  });
  const reported = document.getElementById("show-reported");
  reported.addEventListener("change", () => {
    showReported = reported.checked;
    edgeView.refresh();
  });
  const physics = document.getElementById("physics");
  physics.addEventListener("change", () => network.setOptions({ physics: { enabled: physics.checked } }));

  // ------------------------------------------------------------------ search
  const index = data.nodes.map((n) => ({
    id: n.id, pr: n.pagerank, names: [n.label, ...n.aliases].map((s) => String(s).toLowerCase()),
  }));
  function find(query) {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const hits = [];
    for (const it of index) {
      let best = 3;
      for (const s of it.names) best = Math.min(best, s === q ? 0 : s.startsWith(q) ? 1 : s.includes(q) ? 2 : 3);
      if (best < 3) hits.push([best, -it.pr, it.id]);
    }
    hits.sort((a, b) => a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : 1));
    return hits.slice(0, 12).map((h) => h[2]);
  }
  state.find = find;
  const search = document.getElementById("search");
  const matches = document.getElementById("matches");
  search.addEventListener("input", () => {
    const ids = find(search.value);
    matches.replaceChildren(...ids.map((id, i) => {
      const n = nodes.get(id);
      return el("li", { class: i === 0 ? "active" : "", "data-id": id,
        onclick: () => { select(id); matches.hidden = true; } },
        n.label, el("span", { class: "type" }, " " + typeName(n.group)));
    }));
    matches.hidden = ids.length === 0;
    if (ids.length) select(ids[0]);
  });
  search.addEventListener("keydown", (ev) => {
    const items = [...matches.children];
    const at = items.findIndex((li) => li.classList.contains("active"));
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      if (!items.length) return;
      const next = (at + (ev.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      items.forEach((li, i) => li.classList.toggle("active", i === next));
      select(items[next].dataset.id);
    } else if (ev.key === "Enter" || ev.key === "Escape") {
      matches.hidden = true;
    }
  });
  search.addEventListener("blur", () => setTimeout(() => { matches.hidden = true; }, 200));
})();
