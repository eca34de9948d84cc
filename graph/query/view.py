"""Interactive views of a graph for notebooks: a pyvis (vis-network) drawing with no network access.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("org-甲", type="ORG", label="甲")
>>> "vis-network" in view(G).document
True
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from newskg.graph.export.render import TYPE_STYLE


@dataclass(frozen=True, repr=False)
class HtmlView:
    """A self-contained HTML document that notebooks display inline (in an ``iframe``)."""

    document: str
    height: int = 560

    def __repr__(self) -> str:
        return f"<HtmlView: {len(self.document):,} characters of HTML>"

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.document)}" width="100%" height="{self.height + 20}" '
            'style="border:none"></iframe>'
        )

    def save(self, path: str | Path) -> None:
        """Write the document to ``path``: it opens in a browser with no network."""
        Path(path).write_text(self.document, "utf-8")


# The pyvis template links bootstrap from a CDN even with inlined resources: the view
# needs neither its CSS nor its JS, and must work offline.
_CDN_TAG = re.compile(r"<(link|script)\b[^>]*https?://[^>]*>(\s*</script>)?", re.S)


def view(G: nx.MultiDiGraph, nodes: Iterable[str] | None = None, height: int = 560) -> HtmlView:
    """An interactive pyvis (vis-network) view of ``G`` or of its ``nodes``, with no network access.

    Nodes are coloured by type and sized by PageRank; co-mention edges are as wide as their
    weight and show their first evidence sentence on hover; structural edges are dashed.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("org-a", "place-b", key="located_in", kind="located_in")
    'located_in'
    >>> v = view(G)
    >>> "vis-network" in v.document and not re.search(r'(src|href)="https?:', v.document)
    True
    """
    from pyvis.network import Network

    sub = G.subgraph(nodes) if nodes is not None else G
    net = Network(height=f"{height}px", width="100%", notebook=True, cdn_resources="in_line", directed=True)
    for n, d in sub.nodes(data=True):
        label = str(d.get("label", n))
        title = f"{label} ({d.get('type', '?')})"
        if d.get("aliases"):
            title += f"\n别名: {d['aliases'].replace('|', '、')}"
        size = 8 + 400 * float(d.get("pagerank", 0) or 0)
        _, colour, shape = TYPE_STYLE.get(d.get("type"), ("", "#999999", "dot"))
        net.add_node(n, label=label, title=title, color=colour, shape=shape, size=size)
    for u, v, kind, d in sub.edges(keys=True, data=True):
        if kind == "co_mention":
            ev = json.loads(d.get("evidence") or "[]")
            title = f"{kind} ×{d.get('weight', 1)}" + (f"\n{ev[0]['sentence']}" if ev else "")
            net.add_edge(u, v, title=title, value=d.get("weight", 1), arrows="")
        else:
            net.add_edge(u, v, title=kind + (f": {d['role']}" if d.get("role") else ""), dashes=True)
    document = _CDN_TAG.sub("", net.generate_html(notebook=True))
    return HtmlView(document, height)
