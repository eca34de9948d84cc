"""What the HTML pages share: the Jinja environment, the type styles and safe reading of values.

Pages are rendered by Jinja with autoescaping (text from articles is untrusted);
scripts and stylesheets are inlined verbatim, so the pages make no network request.

>>> number("0.5"), number("nan"), aliases_of({"aliases": "全总|总工会"})
(0.5, 0.0, ['全总', '总工会'])
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import quote

import pyvis
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

# type -> (name in Chinese, colour, vis-network shape)
TYPE_STYLE: dict[str, tuple[str, str, str]] = {
    "PERSON": ("人物", "#e15759", "dot"),
    "PLACE": ("地点", "#4e79a7", "triangle"),
    "ORG": ("机构", "#59a14f", "square"),
    "CAMPAIGN": ("活动", "#f28e2b", "star"),
    "EVENT": ("事件", "#b07aa1", "diamond"),
}
# Colours of the largest communities when the overview colours by community (Tableau 10 without
# its grey, then six paler ones); smaller communities share OTHER_COLOUR.
COMMUNITY_COLOURS = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
    "#a0cbe8", "#ffbe7d", "#8cd17d", "#f1ce63", "#d4a6c8", "#86bcb6",
)  # fmt: skip
OTHER_COLOUR = "#c8c8c8"
KIND_NAMES = {
    "co_mention": "同句共现",
    "contained_in": "行政隶属",
    "located_in": "所在地",
    "affiliated_with": "任职",
    "reported": "报道",
}
# Where an article's date came from (newskg.extract.ingestion.dates.SOURCES), as the pages say it.
DATE_SOURCES = {
    "input": "输入记录",
    "page": "版面",
    "filename": "文件名",
    "sidecar": "日期表",
    "option": "构建选项",
    "inferred": "由正文推断",
    "none": "无年份",
}
FONT_FACE = "'Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei','PingFang SC',sans-serif"
_TEMPLATES = Path(__file__).with_name("templates")
_VIS = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"


@cache
def _asset(path: Path) -> Markup:
    """A script or stylesheet to inline verbatim (read once; never parsed as a template)."""
    return Markup(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1 << 16)  # the same ids are linked from many pages: 2.2 million quotes at 10,000 articles
def urlquote(text: object) -> str:
    """``text`` percent-encoded as one path segment or fragment of a link (the ``urlquote`` filter).

    >>> urlquote("org-全总/a b")
    'org-%E5%85%A8%E6%80%BB%2Fa%20b'
    """
    return quote(str(text), safe="")


@cache
def jinja_env() -> Environment:
    """The Jinja environment of ``templates/`` (autoescaped; ``asset`` and ``vis_js`` inline files)."""
    env = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(["html"]))
    # tojson still writes < > & ' as \u003c etc.; Chinese stays readable (and half the size).
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "separators": (",", ":")}
    env.filters["urlquote"] = urlquote
    env.globals.update(TYPE_STYLE=TYPE_STYLE, KIND_NAMES=KIND_NAMES, FONT_FACE=FONT_FACE)
    env.globals["DATE_SOURCES"] = DATE_SOURCES
    env.globals["article_file"] = article_file
    env.globals["asset"] = lambda name: _asset(_TEMPLATES / name)
    env.globals["vis_js"] = lambda: _asset(_VIS / "vis-network.min.js")
    env.globals["vis_css"] = lambda: _asset(_VIS / "vis-network.css")
    return env


_SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")


def article_file(article_id: str) -> str:
    """The file name of an article's page in ``articles/``: the id itself when it is plain ASCII
    (as ingest's ids are), else a hash of it (an id from a JSONL record may hold anything).

    >>> article_file("a54582ba2b17f"), article_file("../x")
    ('a54582ba2b17f.html', 'id-72e4d01dd8ef43d874f5.html')
    """
    if _SAFE_ID.fullmatch(article_id):
        return f"{article_id}.html"
    return f"id-{hashlib.sha1(article_id.encode('utf-8')).hexdigest()[:20]}.html"


def aliases_of(d: dict) -> list[str]:
    """The aliases of a node's attributes (stored joined by ``|``)."""
    return [a for a in str(d.get("aliases") or "").split("|") if a]


def evidence_of(d: dict) -> list[dict]:
    """The evidence records of an edge's attributes (a JSON string); [] when malformed."""
    raw = d.get("evidence") or "[]"
    try:
        ev = json.loads(raw) if isinstance(raw, str) else list(raw)
    except json.JSONDecodeError:
        return []
    return [e for e in ev if isinstance(e, dict)]


def number(value, default=0.0) -> float:
    """``value`` as a finite float, or ``default`` (article data and attributes may be anything)."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return default
    return x if math.isfinite(x) else default
