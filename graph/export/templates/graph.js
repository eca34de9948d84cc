// newskg overview: labels by importance, colouring, filters (type, weight, time), search, info panel,
// expand / hide / path, the map, exports. All text from articles goes into the page through
// textContent / text nodes, never innerHTML.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  // vis-network draws no label (the label layer below does): a node's text is its `name`.
  const nodes = new vis.DataSet(data.nodes.map((n) => Object.assign({}, n, { name: n.label, label: undefined })));
  const edges = new vis.DataSet(data.edges);
  const hiddenTypes = new Set();
  const hiddenNodes = new Set(); // hidden one by one (the panel's 隐藏 button)
  const forced = new Set(); // shown whatever the type filter: expanded neighbours, a path
  const forcedEdges = new Set(); // shown whatever the minimum weight
  let minWeight = 1;
  let showReported = true; // reported edges (byline person -> entity): shown, or hidden by their own box

  // The time filter: months [timeFrom, timeTo] of data.months; entities mentioned and co-mention
  // edges counted in the range stay, edge weights recounted for it (``m``: [[month, count]]).
  // An entity never mentioned in a dated article (a relation's target, say) has no time: it stays.
  let timeFrom = 0, timeTo = data.months.length - 1;
  const timed = () => timeFrom > 0 || timeTo < data.months.length - 1;
  const inRange = (m) => {
    let sum = 0;
    for (const [i, c] of m || []) if (i >= timeFrom && i <= timeTo) sum += c;
    return sum;
  };
  const weightOf = (e) => (timed() && e.kind === "co_mention" ? inRange(e.m) : e.weight);

  // Filters hide nodes and edges in place (vis-network's ``hidden`` option, see refresh()): a
  // DataView would remove and add them, and vis-network builds an edge anew for each add (some
  // 40 µs an edge), the time filter's moves taking a second at 15,000 edges.
  const nodeData = new Map(data.nodes.map((n) => [n.id, n]));
  const edgeData = new Map(data.edges.map((e) => [e.id, e]));
  const shownNode = (n) => Boolean(n) && !hiddenNodes.has(n.id) &&
    (forced.has(n.id) || (!hiddenTypes.has(n.group) && (!timed() || !(n.m || []).length || inRange(n.m) > 0)));
  const visible = (id) => shownNode(nodeData.get(id));
  const shownEdge = (e) => Boolean(e) && visible(e.from) && visible(e.to) &&
    (forcedEdges.has(e.id) || ((showReported || e.kind !== "reported") && weightOf(e) >= minWeight && weightOf(e) > 0));

  const adjacency = new Map();
  const link = (e) => {
    for (const end of [e.from, e.to]) {
      if (!adjacency.has(end)) adjacency.set(end, []);
      adjacency.get(end).push(e.id);
    }
  };
  data.edges.forEach(link);

  const container = document.getElementById("network");
  const network = new vis.Network(container, { nodes, edges }, data.options);
  const state = (window.newskg = {
    network, nodes, edges, selected: null, ready: false, readyMs: null, stabilizedMs: null,
    pinned: () => [],
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

  // ------------------------------------------------------------------ labels
  // Drawn after each frame, most important first (selected, hovered, then by PageRank), at a
  // fixed size on screen (12-18 px by PageRank); a label that would overlap one already drawn
  // tries the other sides of its node (the 40 most important also smaller sizes, down to 10 px),
  // then is skipped: more labels appear as one zooms in.
  // newskg.labels lists what the last frame drew, in DOM pixels of the network's container.
  const byRank = [], prOf = new Map(), names = new Map();
  function rank(list) {
    for (const n of list) { byRank.push(n.id); prOf.set(n.id, n.pagerank); names.set(n.id, n.label); }
    byRank.sort((a, b) => prOf.get(b) - prOf.get(a) || (a < b ? -1 : 1));
  }
  rank(data.nodes);
  const maxPr = prOf.size ? Math.max(...prOf.values()) || 1 : 1;
  const labelPx = (id) => Math.round(12 + 6 * Math.sqrt(Math.min(Math.max(prOf.get(id) || 0, 0) / maxPr, 1)));
  const widths = new Map();
  // A label tries below, above, right and left of its node, then its corners, then below and above slid sideways; at most CANDIDATES nodes on screen are
  // tried a frame (the most important), which bounds the cost of a frame of a large graph.
  const CELL = 64, PAD = 0, CANDIDATES = 1500, SHRINKING = 40, MIN_PX = 10;
  const SIDES = [
    (x, y, r, w, h) => [x - w / 2, y + r + 2],
    (x, y, r, w, h) => [x - w / 2, y - r - 2 - h],
    (x, y, r, w, h) => [x + r + 3, y - h / 2],
    (x, y, r, w, h) => [x - r - 3 - w, y - h / 2],
    (x, y, r, w, h) => [x + r * 0.7, y + r * 0.7],
    (x, y, r, w, h) => [x - r * 0.7 - w, y + r * 0.7],
    (x, y, r, w, h) => [x + r * 0.7, y - r * 0.7 - h],
    (x, y, r, w, h) => [x - r * 0.7 - w, y - r * 0.7 - h],
    // below and above, slid sideways by a third of the label (a long name near the view's edge)
    (x, y, r, w, h) => [x - w / 6, y + r + 2],
    (x, y, r, w, h) => [x - (5 * w) / 6, y + r + 2],
    (x, y, r, w, h) => [x - w / 6, y - r - 2 - h],
    (x, y, r, w, h) => [x - (5 * w) / 6, y - r - 2 - h],
    // a row further out, where that stays beside the node (see near)
    (x, y, r, w, h) => [x - w / 2, y + r + 4 + h],
    (x, y, r, w, h) => [x - w / 2, y - r - 4 - 2 * h],
    (x, y, r, w, h) => [x + r + 3, y - h / 2 - h - 2],
    (x, y, r, w, h) => [x + r + 3, y + h / 2 + 2],
    (x, y, r, w, h) => [x - r - 3 - w, y - h / 2 - h - 2],
    (x, y, r, w, h) => [x - r - 3 - w, y + h / 2 + 2],
  ];
  // Every spot whose centre is near the node, nearest first, 4 px apart: the most important labels'
  // last resort in a crowd.
  const around = (x, y, r, w, h) => {
    const reach = r + Math.max(w, h) / 2 + 4, out = [];
    for (let dx = -reach; dx <= reach; dx += 4) {
      for (let dy = -reach; dy <= reach; dy += 4) {
        if (Math.abs(dx) > r + w / 2 || Math.abs(dy) > r + h / 2) out.push([x + dx - w / 2, y + dy - h / 2, dx * dx + dy * dy]);
      }
    }
    return out.sort((a, b) => a[2] - b[2]).map(([bx, by]) => [bx, by]);
  };
  // A label's centre stays within its node's radius and half its longer side of the node's centre.
  const near = (bx, by, x, y, r, w, h) => {
    const reach = r + Math.max(w, h) / 2 + 4;
    return Math.abs(bx + w / 2 - x) <= reach && Math.abs(by + h / 2 - y) <= reach;
  };
  let hovered = null;
  state.labels = [];
  function widthOf(ctx, id, px) {
    const key = px + "|" + id;
    let w = widths.get(key);
    if (w === undefined) {
      ctx.font = px + "px " + data.font;
      w = ctx.measureText(names.get(id)).width;
      widths.set(key, w);
    }
    return w;
  }
  function drawLabels(ctx) {
    const view = network.body.view, scale = view.scale, tx = view.translation.x, ty = view.translation.y;
    const W = container.clientWidth, H = container.clientHeight;
    const cols = Math.ceil(W / CELL) + 1, grid = new Map(), drawn = [];
    const cellsOf = (b, visit) => {
      for (let i = Math.floor(b.x / CELL); i <= Math.floor((b.x + b.w) / CELL); i++) {
        for (let j = Math.floor(b.y / CELL); j <= Math.floor((b.y + b.h) / CELL); j++) {
          if (visit(j * cols + i) === false) return false;
        }
      }
      return true;
    };
    const clear = (b) => cellsOf(b, (k) => !(grid.get(k) || []).some((o) =>
      b.x < o.x + o.w + PAD && o.x < b.x + b.w + PAD && b.y < o.y + o.h + PAD && o.y < b.y + b.h + PAD));
    // the nodes on screen are obstacles too: no label hides a node
    let obstacles = 0;
    for (const id of byRank) {
      const node = network.body.nodes[id];
      if (!node || node.options.hidden) continue;
      const x = node.x * scale + tx, y = node.y * scale + ty, r = Math.max(node.options.size * scale, 2);
      if (x < -r || y < -r || x > W + r || y > H + r) continue;
      if (++obstacles > CANDIDATES) break;
      const box = { id: null, x: x - r, y: y - r, w: 2 * r, h: 2 * r };
      cellsOf(box, (k) => { if (!grid.has(k)) grid.set(k, []); grid.get(k).push(box); });
    }
    const first = [state.selected, hovered, ...state.pinned()].filter(Boolean);
    const seen = new Set();
    let tried = 0;
    for (const id of first.concat(byRank)) {
      if (seen.has(id)) continue;
      seen.add(id);
      const node = network.body.nodes[id];
      if (!node || node.options.hidden) continue;
      const x = node.x * scale + tx, y = node.y * scale + ty, r = node.options.size * scale;
      if (x < -r || y < -r || x > W + r || y > H + r) continue;
      if (++tried > CANDIDATES) break;
      // the most important labels may shrink, down to MIN_PX, before they give up their place
      const sizes = tried <= SHRINKING ? [labelPx(id), 12, 11, MIN_PX] : [labelPx(id)];
      placing: for (const px of sizes.filter((p, i) => i === 0 || p < sizes[0])) {
        const w = widthOf(ctx, id, px), h = Math.round(px * 1.25);
        const spots = SIDES.map((side) => side(x, y, r, w, h));
        if (tried <= SHRINKING) spots.push(...around(x, y, r, w, h));
        for (const [bx, by] of spots) {
          if (bx < 0 || by < 0 || bx + w > W || by + h > H || !near(bx, by, x, y, r, w, h)) continue;
          const box = { id, px, text: names.get(id), x: bx, y: by, w, h };
          if (!clear(box)) continue;
          cellsOf(box, (k) => { if (!grid.has(k)) grid.set(k, []); grid.get(k).push(box); });
          drawn.push(box);
          break placing;
        }
      }
    }
    ctx.save();
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#ffffff";
    ctx.lineWidth = 3 / scale;
    for (const b of drawn) {
      ctx.font = b.px / scale + "px " + data.font;
      ctx.fillStyle = b.id === state.selected ? "#000000" : "#222222";
      const x = (b.x - tx) / scale, y = (b.y + b.px * 0.1 - ty) / scale;
      ctx.strokeText(b.text, x, y);
      ctx.fillText(b.text, x, y);
    }
    ctx.restore();
    state.labels = drawn.map(({ id, text, px, x, y, w, h }) => ({ id, text, px, x, y, w, h }));
  }
  network.on("afterDrawing", drawLabels);
  network.on("hoverNode", (p) => { hovered = p.node; });
  network.on("blurNode", () => { hovered = null; });

  // ------------------------------------------------------------------ colour: by type or by community
  const communityColour = new Map(data.communities.map((c) => [c.id, c.color]));
  const otherColour = "#c8c8c8";
  const paint = (c) => ({ background: c, border: c, highlight: { background: c, border: "#222222" } });
  function colourBy(mode) {
    state.colourBy = mode;
    nodes.update([...nodeData.values()].map((n) => ({
      id: n.id,
      color: paint(mode === "community" ? communityColour.get(n.community) || otherColour
        : (data.types[n.group] || {}).color || "#888888"),
    })));
    document.body.classList.toggle("by-community", mode === "community");
    const legend = document.getElementById("communities");
    const coloured = data.communities.filter((c) => c.color !== otherColour);
    const rest = data.communities.length - coloured.length;
    legend.replaceChildren(...coloured.map((c) => el("li", { "data-community": String(c.id) },
      el("span", { class: "swatch", style: "background:" + c.color }), c.name + " 等 " + c.size + " 个")),
      ...(rest ? [el("li", {}, el("span", { class: "swatch", style: "background:" + otherColour }), "其他 " + rest + " 个社区")] : []));
    legend.hidden = mode !== "community";
    if (!document.getElementById("map").hidden) state.drawMap();
  }
  const colourSelect = document.getElementById("colour-by");
  colourSelect.addEventListener("change", () => colourBy(colourSelect.value));
  state.colourBy = "type";

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
  // An article's page: articles/<id>.html for a plain id (graph.render.article_file), none for another
  // (its file name is a hash of the id).
  const articleOf = (id) => (/^[A-Za-z0-9_-]{1,100}$/.test(String(id)) ? "articles/" + id + ".html" : null);
  const articleTitle = (x) => {
    const text = "《" + (x.title || x.article || "") + "》", href = articleOf(x.article);
    return href ? el("a", { href, class: "article" }, text) : text;
  };
  const typeName = (t) => (data.types[t] ? data.types[t].name : t);
  const fmt = (x, digits) => (x === null || x === undefined ? "—" : Number(x).toFixed(digits));
  const info = document.getElementById("info");
  const fill = (...items) => info.replaceChildren(...items.filter((x) => x !== null && x !== undefined));
  function nodeLink(id, extra) {
    const n = nodes.get(id);
    const a = el("a", { class: "node", href: "#" + encodeURIComponent(id), onclick: (ev) => { ev.preventDefault(); select(id); } },
      n ? n.name : id);
    return el("li", {}, a, extra ? el("span", { class: "muted" }, " " + extra) : null);
  }

  // ------------------------------------------------------------------ info panel
  function showNode(id) {
    const n = nodes.get(id);
    if (!n) return;
    const swatch = el("span", { class: "swatch", style: "background:" + colourOf(id) });
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
    const terms = (m) => [m.name, ...m.aliases];
    const best = strongest(linked).map(([e, x]) => {
      const m = nodes.get(other(e));
      return el("li", {}, highlighted(String(x.sentence || ""), terms(n).concat(m ? terms(m) : [])),
        el("span", { class: "title" },
          articleTitle(x),
          m ? " · " : null, m ? el("a", { href: pageOf(m.id), class: "entity" }, m.name) : null));
    });
    fill(
      el("h2", {}, swatch, n.name),
      dl,
      el("p", {}, el("a", { href: pageOf(id), id: "entity-page" }, "打开实体页（提及原句、邻居网络）")),
      actions(id),
      best.length ? el("h3", {}, "最强证据") : null,
      best.length ? el("ol", { class: "evidence", id: "strongest" }, ...best) : null,
      el("h3", {}, "共现最多的实体"),
      co.length ? coList : el("p", { class: "muted" }, "无"),
      rel.length ? el("h3", {}, "结构关系") : null,
      rel.length ? relList : null,
    );
  }

  // ------------------------------------------------------------------ expand, hide, path
  const reserveNodes = new Map(data.reserve.nodes.map((n) => [n.id, n]));
  const reserveEdges = data.reserve.edges;
  let pathFrom = null;
  state.path = null;
  state.pinned = () => (state.path || []).concat(pathFrom ? [pathFrom] : []);
  const button = (text, attrs, onclick) => el("button", Object.assign({ type: "button", onclick }, attrs), text);

  // The node's neighbours not on screen: hidden by a filter or one by one, or left out by the --top cap.
  function hiddenNeighbours(id) {
    const out = new Set((data.reserve.of[id] || []).filter((m) => !nodes.get(m)));
    for (const eid of adjacency.get(id) || []) {
      const e = edges.get(eid), m = e.from === id ? e.to : e.from;
      if (!shownEdge(edgeData.get(eid)) || !visible(m)) out.add(m);
    }
    out.delete(id);
    return [...out];
  }
  function expand(id) {
    const centre = network.getPositions([id])[id] || { x: 0, y: 0 };
    const added = (data.reserve.of[id] || []).filter((m) => !nodes.get(m));
    nodes.add(added.map((m, i) => {
      const a = (2 * Math.PI * i) / added.length, n = reserveNodes.get(m);
      return Object.assign({}, n, { name: n.label, label: undefined, x: centre.x + 90 * Math.cos(a), y: centre.y + 90 * Math.sin(a) });
    }));
    const loaded = reserveEdges.filter((e) => !edges.get(e.id) && nodes.get(e.from) && nodes.get(e.to));
    edges.add(loaded);
    loaded.forEach(link);
    loaded.forEach((e) => edgeData.set(e.id, e));
    added.forEach((m) => nodeData.set(m, reserveNodes.get(m)));
    rank(added.map((m) => reserveNodes.get(m)));
    if (state.colourBy === "community") colourBy("community");
    for (const m of hiddenNeighbours(id)) { forced.add(m); hiddenNodes.delete(m); }
    forced.add(id);
    hiddenNodes.delete(id);
    for (const eid of adjacency.get(id) || []) forcedEdges.add(eid);
    refresh();
    showNode(id);
  }
  function hide(id) {
    hiddenNodes.add(id);
    if (state.selected === id) { state.selected = null; fill(el("p", { class: "hint" }, "已隐藏 " + nodes.get(id).name)); }
    refresh();
  }
  function unhideAll() {
    hiddenNodes.clear();
    refresh();
  }
  // Fewest steps from ``a`` to ``b`` over the page's edges (any kind, whatever the filters); null if none.
  function shortestPath(a, b) {
    const prev = new Map([[a, null]]);
    const queue = [a];
    for (let i = 0; i < queue.length && !prev.has(b); i++) {
      for (const eid of adjacency.get(queue[i]) || []) {
        const e = edges.get(eid), m = e.from === queue[i] ? e.to : e.from;
        if (!prev.has(m)) { prev.set(m, [queue[i], eid]); queue.push(m); }
      }
    }
    if (!prev.has(b)) return null;
    const ids = [b], via = [];
    for (let at = b; prev.get(at); at = prev.get(at)[0]) { via.push(prev.get(at)[1]); ids.push(prev.get(at)[0]); }
    return { nodes: ids.reverse(), edges: via.reverse() };
  }
  function showPath(a, b) {
    const path = shortestPath(a, b);
    state.path = path ? path.nodes : null;
    if (!path) {
      fill(el("h2", {}, nodes.get(a).name + " → " + nodes.get(b).name), el("p", { id: "path", class: "muted" }, "没有路径"));
      return;
    }
    for (const m of path.nodes) { forced.add(m); hiddenNodes.delete(m); }
    for (const eid of path.edges) forcedEdges.add(eid);
    refresh();
    network.setSelection({ nodes: path.nodes, edges: path.edges }, { highlightEdges: false });
    network.fit({ nodes: path.nodes, animation: { duration: 300 } });
    fill(
      el("h2", {}, "最短路径（" + path.edges.length + " 步）"),
      el("ol", { id: "path" }, ...path.nodes.map((m) => nodeLink(m))),
    );
  }
  function actions(id) {
    const more = hiddenNeighbours(id).length;
    const row = el("p", { class: "actions" },
      button("展开邻居（" + more + "）", { id: "expand", title: "显示被筛选或数量上限隐藏的邻居" }, () => expand(id)),
      button("隐藏", { id: "hide" }, () => hide(id)),
      button("设为路径起点", { id: "path-from" }, () => { pathFrom = id; showNode(id); }));
    if (pathFrom && pathFrom !== id && nodes.get(pathFrom)) {
      row.append(button("从“" + nodes.get(pathFrom).name + "”到此的最短路径", { id: "path-to" }, () => showPath(pathFrom, id)));
    }
    if (more === 0) row.firstChild.disabled = true;
    return row;
  }
  Object.assign(state, { expand, hide, unhideAll, shortestPath, showPath });

  // The three evidence sentences of a node's heaviest edges (then highest NPMI), each sentence once.
  function strongest(linked) {
    const out = [], seen = new Set();
    const order = linked.slice().sort((a, b) => b.weight - a.weight || (b.npmi || 0) - (a.npmi || 0));
    for (const e of order) {
      for (const x of e.evidence) {
        const s = String(x.sentence || "");
        if (out.length < 3 && s && !seen.has(s)) { seen.add(s); out.push([e, x]); }
      }
    }
    return out;
  }

  function showEdge(eid) {
    const e = edges.get(eid);
    if (!e) return;
    const a = nodes.get(e.from), b = nodes.get(e.to);
    const dl = el("dl");
    const rows = [
      ["关系", (data.kinds[e.kind] || e.kind) + (e.role ? "：" + e.role : "")],
      ["权重", String(e.weight) + (timed() && e.kind === "co_mention" ? "（" + data.months[timeFrom] + " 至 " +
        data.months[timeTo] + "：" + weightOf(e) + "）" : "")],
      ["NPMI", fmt(e.npmi, 3)],
      ["文章数", String(e.articles)],
    ];
    for (const [k, v] of rows) dl.append(el("dt", {}, k), el("dd", {}, v));
    const terms = [a.name, ...a.aliases, b.name, ...b.aliases];
    const ev = el("ol", { class: "evidence" }, ...e.evidence.map((x) =>
      el("li", {}, highlighted(String(x.sentence || ""), terms),
        el("span", { class: "title" }, articleTitle(x)))));
    fill(
      el("h2", {}, a.name + (e.kind === "co_mention" ? " — " : " → ") + b.name),
      el("ul", {}, nodeLink(e.from), nodeLink(e.to)),
      dl,
      e.evidence.length ? el("h3", {}, "证据句") : null,
      e.evidence.length ? ev : null,
    );
  }

  function select(id) {
    const n = nodes.get(id);
    if (!n) return false;
    if (hiddenNodes.delete(id)) refresh();
    if (hiddenTypes.has(n.group) && !forced.has(id)) {
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
  const unhide = document.getElementById("unhide");
  unhide.addEventListener("click", unhideAll);
  // Edge widths follow the weights shown (recounted for a time range), scaled from the least to the
  // most as graph/html.py does; set on vis-network's edges (its own scaling by value costs 20 µs an
  // edge on every change of the data).
  const scale = (x, lo, hi, a, b) => a + (hi === lo ? 0.5 : (x - lo) / (hi - lo)) * (b - a);
  function syncWidths() {
    const drawn = network.body.edges, ids = network.body.edgeIndices;
    if (!ids.length) return;
    const weights = ids.map((id) => weightOf(edgeData.get(id)));
    const lo = Math.min(...weights), hi = Math.max(...weights);
    ids.forEach((id, i) => { drawn[id].options.width = Math.round(scale(weights[i], lo, hi, 1, 8) * 100) / 100; });
  }
  // Apply the filters: each node and edge of the network hidden or shown where it is, drawn once.
  function refresh() {
    const body = network.body;
    for (const id in body.nodes) body.nodes[id].options.hidden = !visible(id);
    for (const id in body.edges) body.edges[id].options.hidden = !shownEdge(edgeData.get(body.edges[id].id));
    network._updateVisibleIndices();
    syncWidths();
    network.redraw();
    if (!mapBox.hidden) drawMap();
    unhide.hidden = hiddenNodes.size === 0;
    unhide.textContent = "显示已隐藏的 " + hiddenNodes.size + " 个节点";
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
    refresh();
  });
  const reported = document.getElementById("show-reported");
  reported.addEventListener("change", () => {
    showReported = reported.checked;
    refresh();
  });
  function setTime(from, to) {
    [timeFrom, timeTo] = [Math.min(from, to), Math.max(from, to)];
    refresh();
    document.getElementById("time-range").value = data.months[timeFrom] + " 至 " + data.months[timeTo];
  }
  const timeInputs = [document.getElementById("time-from"), document.getElementById("time-to")];
  for (const input of timeInputs) {
    if (input) input.addEventListener("input", () => setTime(Number(timeInputs[0].value), Number(timeInputs[1].value)));
  }
  Object.assign(state, { setTime, weightOf });
  const physics = document.getElementById("physics");
  physics.addEventListener("change", () => network.setOptions({ physics: { enabled: physics.checked } }));

  // ------------------------------------------------------------------ map
  // Places with a point (graph/geo.py: provinces, prefectures, counties; townships at their county's)
  // on a plain projection (longitude scaled by the cosine of 35°N), sized by mentions, each with the
  // organisations located in it around it; the provinces' names where their points are. Filtered as
  // the network is (types, time, hidden nodes). No tiles and no outlines: nothing to fetch.
  const SVG = "http://www.w3.org/2000/svg";
  const mapBox = document.getElementById("map");
  function svgEl(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "onclick") node.addEventListener("click", v);
      else node.setAttribute(k, v);
    }
    node.append(...children);
    return node;
  }
  const DEG = 20, K = Math.cos((35 * Math.PI) / 180);
  const project = ([lon, lat]) => [Math.round((lon - 72) * K * DEG * 10) / 10, Math.round((54.5 - lat) * DEG * 10) / 10];
  const located = new Map();
  for (const e of data.edges) {
    if (e.kind !== "located_in") continue;
    if (!located.has(e.to)) located.set(e.to, []);
    located.get(e.to).push(e.from);
  }
  const colourOf = (id) => ((nodes.get(id) || {}).color || {}).background ||
    (data.types[(nodeData.get(id) || {}).group] || {}).color || "#888888";
  const pick = (id) => () => { state.selected = id; network.selectNodes([id]); showNode(id); };
  function drawMap() {
    const places = [...nodeData.values()].filter((n) => n.geo && visible(n.id));
    places.sort((a, b) => b.mentions - a.mentions || (a.id < b.id ? -1 : 1));
    const most = Math.max(1, ...places.map((n) => n.mentions));
    const [w, h] = project([136, 17]);
    const svg = svgEl("svg", { id: "map-svg", viewBox: "0 0 " + w + " " + h, role: "img", "aria-label": "地点地图" });
    // The 30 most mentioned places are named where the name overlaps no other; then the provinces'
    // names where they overlap none of these nor each other (a province's point is named by its label).
    const taken = [], overlaps = (b) => taken.some((o) => b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h);
    const provinceNames = new Set(data.provinces.map(([name]) => name));
    const provinceLabels = svgEl("g", {});
    const points = svgEl("g", { class: "points" }), names = svgEl("g", { class: "names" });
    places.forEach((n, i) => {
      const [x, y] = project(n.geo), r = Math.round((3 + 9 * Math.sqrt(n.mentions / most)) * 10) / 10;
      points.append(svgEl("circle", { cx: x, cy: y, r, fill: colourOf(n.id), "data-id": n.id, onclick: pick(n.id) },
        svgEl("title", {}, n.label + "：" + n.mentions + " 次提及")));
      const orgs = (located.get(n.id) || []).filter(visible);
      orgs.forEach((o, j) => {
        const a = j * 2.399963, d = r + 5 + 2 * Math.sqrt(j);
        points.append(svgEl("rect", { x: x + d * Math.cos(a) - 3, y: y + d * Math.sin(a) - 3, width: 6, height: 6,
          fill: colourOf(o), "data-id": o, "data-place": n.id, onclick: pick(o) },
          svgEl("title", {}, (nodeData.get(o) || {}).label + "（位于" + n.label + "）")));
      });
      const box = { x: x + r + 3, y: y - 8, w: 12 * n.label.length, h: 14 };
      if (i < 30 && !provinceNames.has(n.label) && !overlaps(box)) {
        taken.push(box);
        names.append(svgEl("text", { class: "place-name", x: box.x, y: y + 4 }, n.label));
      }
    });
    for (const [name, lon, lat] of data.provinces) {
      const [x, y] = project([lon, lat]), box = { x: x - 6.5 * name.length, y: y - 11, w: 13 * name.length, h: 14 };
      if (!overlaps(box)) {
        taken.push(box);
        provinceLabels.append(svgEl("text", { class: "province", x, y }, name));
      }
    }
    svg.append(provinceLabels, points, names);
    if (!places.length) svg.append(svgEl("text", { class: "hint", x: 20, y: 30 }, "没有可定位的地点（或已被筛选隐藏）"));
    mapBox.replaceChildren(svg);
  }
  const viewSelect = document.getElementById("view");
  viewSelect.addEventListener("change", () => {
    const map = viewSelect.value === "map";
    mapBox.hidden = !map;
    container.hidden = map;
    if (map) drawMap();
    else network.redraw();
  });
  state.drawMap = drawMap;

  // ------------------------------------------------------------------ export what is on screen
  // Files are made in the page and saved through a link to a blob: URL (no request leaves the page;
  // Chromium caps URLs at 2 MB, and the GraphML of 5,000 nodes is larger than that as a data: URL).
  function save(name, blob) {
    const a = el("a", { href: URL.createObjectURL(blob), download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
  }
  const onScreen = () => ({
    nodes: network.body.nodeIndices.map((id) => nodes.get(id)),
    edges: network.body.edgeIndices.map((id) => edges.get(id)).filter(Boolean),
  });
  // Article text may hold anything: characters XML forbids are dropped, markup characters escaped.
  const xml = (s) => String(s)
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const NODE_KEYS = [["label", "string", (n) => n.name], ["type", "string", (n) => n.group],
    ["community", "int", (n) => n.community], ["pagerank", "double", (n) => n.pagerank],
    ["mentions", "int", (n) => n.mentions], ["articles", "int", (n) => n.articles]];
  const EDGE_KEYS = [["kind", "string", (e) => e.kind], ["weight", "double", (e) => e.weight]];
  function graphml() {
    const { nodes: ns, edges: es } = onScreen();
    const keys = (what, list) => list.map(([k, t]) =>
      '  <key id="' + what[0] + "_" + k + '" for="' + what + '" attr.name="' + k + '" attr.type="' + t + '"/>');
    const values = (what, list, item) => list.map(([k, , f]) =>
      '<data key="' + what[0] + "_" + k + '">' + xml(f(item)) + "</data>").join("");
    const pos = network.getPositions(ns.map((n) => n.id));
    const lines = ['<?xml version="1.0" encoding="UTF-8"?>',
      '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
      ...keys("node", NODE_KEYS),
      '  <key id="node_x" for="node" attr.name="x" attr.type="double"/>',
      '  <key id="node_y" for="node" attr.name="y" attr.type="double"/>',
      ...keys("edge", EDGE_KEYS),
      '  <graph id="newskg" edgedefault="directed">'];
    for (const n of ns) {
      lines.push('    <node id="' + xml(n.id) + '">' + values("node", NODE_KEYS, n) +
        '<data key="node_x">' + pos[n.id].x + '</data><data key="node_y">' + pos[n.id].y + "</data></node>");
    }
    for (const e of es) {
      lines.push('    <edge id="e' + xml(e.id) + '" source="' + xml(e.from) + '" target="' + xml(e.to) + '">' +
        values("edge", EDGE_KEYS, e) + "</edge>");
    }
    lines.push("  </graph>", "</graphml>", "");
    return lines.join("\n");
  }
  // A cell a spreadsheet would run as a formula gets a leading apostrophe; every cell is quoted.
  const cell = (v) => {
    const s = typeof v === "number" ? String(v) : String(v ?? "").replace(/^[=+\-@\t\r]/, "'$&");
    return '"' + s.replace(/"/g, '""') + '"';
  };
  const csv = (rows) => rows.map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
  function nodesCsv() {
    return csv([["id", ...NODE_KEYS.map(([k]) => k)],
      ...onScreen().nodes.map((n) => [n.id, ...NODE_KEYS.map(([, , f]) => f(n))])]);
  }
  function edgesCsv() {
    const name = (id) => nodes.get(id).name;
    return csv([["source", "target", "source_label", "target_label", "kind", "weight"],
      ...onScreen().edges.map((e) => [e.from, e.to, name(e.from), name(e.to), e.kind, e.weight])]);
  }
  // The canvas on a white ground (vis-network draws on a transparent one), labels included.
  function png(done) {
    const src = container.querySelector("canvas");
    const out = el("canvas", { width: src.width, height: src.height });
    const ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(src, 0, 0);
    out.toBlob(done, "image/png");
  }
  const text = (s, type) => new Blob([s], { type: type + ";charset=utf-8" });
  document.getElementById("export-graphml").addEventListener("click", () =>
    save("newskg-visible.graphml", text(graphml(), "application/graphml+xml")));
  document.getElementById("export-nodes").addEventListener("click", () =>
    save("newskg-visible-nodes.csv", text("\ufeff" + nodesCsv(), "text/csv")));
  document.getElementById("export-edges").addEventListener("click", () =>
    save("newskg-visible-edges.csv", text("\ufeff" + edgesCsv(), "text/csv")));
  document.getElementById("export-png").addEventListener("click", () => png((b) => save("newskg-view.png", b)));
  Object.assign(state, { graphml, nodesCsv, edgesCsv });

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
    return hits.map((h) => h[2]);
  }
  state.find = find;
  // The matches list shows PAGE at a time; its last item shows the next ones, or says there is no match.
  const PAGE = 12;
  const search = document.getElementById("search");
  const matches = document.getElementById("matches");
  let found = [];
  function showMatches(count) {
    const items = found.slice(0, count).map((id) => {
      const n = nodes.get(id);
      return el("li", { "data-id": id, onclick: () => { select(id); matches.hidden = true; } },
        n.name, el("span", { class: "type" }, " " + typeName(n.group)));
    });
    if (!found.length) items.push(el("li", { class: "none" }, "无匹配"));
    else if (count < found.length) {
      const more = () => { showMatches(count + PAGE); setActive(count); search.focus(); };
      items.push(el("li", { class: "more", onclick: more },
        "显示更多（已列 " + count + " 个，共 " + found.length + " 个匹配）"));
    }
    matches.replaceChildren(...items);
    matches.hidden = !search.value.trim();
  }
  function setActive(i) {
    const items = [...matches.children];
    items.forEach((li, k) => li.classList.toggle("active", k === i));
    if (items[i]) items[i].scrollIntoView({ block: "nearest" });
    if (items[i] && items[i].dataset.id) select(items[i].dataset.id);
  }
  search.addEventListener("input", () => {
    found = find(search.value);
    showMatches(PAGE);
    if (found.length) setActive(0);
  });
  search.addEventListener("keydown", (ev) => {
    const items = [...matches.children];
    const at = items.findIndex((li) => li.classList.contains("active"));
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      if (!found.length) return;
      setActive((at + (ev.key === "ArrowDown" ? 1 : items.length - 1)) % items.length);
    } else if (ev.key === "Enter" && items[at] && items[at].classList.contains("more")) {
      items[at].click();
    } else if (ev.key === "Enter" || ev.key === "Escape") {
      matches.hidden = true;
    }
  });
  search.addEventListener("blur", () => setTimeout(() => {
    if (document.activeElement !== search) matches.hidden = true;
  }, 200));
})();
