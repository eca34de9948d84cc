"""The files of a build directory, by name, and the one check a reader makes before reading them.

Every stage finds a build's files here rather than spelling their names: the writers
(:mod:`.building`, :mod:`.export`) and the readers (``graph.load``, :mod:`.query`). This module
imports nothing of newskg but its errors, so a reader pays nothing to ask.

>>> names = BuildDir("out")
>>> names.graphml, names.stale
(PosixPath('out/graph.graphml'), PosixPath('out/STALE.txt'))
>>> check_current("out")  # no STALE.txt: current (or no build at all; the reader says which)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from newskg.extract.errors import UserError, quoted

MARKER = ".newskg-build"  # in every build directory: what says newskg may replace it
# Written by ``newskg build --update``: the whole-graph exports are out of date.
STALE = "STALE.txt"


@dataclass(frozen=True)
class BuildDir:
    """The paths of a build's files under ``root``."""

    root: Path

    def __init__(self, root: str | Path) -> None:
        object.__setattr__(self, "root", Path(root))

    articles = property(lambda self: self.root / "articles.jsonl")
    mentions = property(lambda self: self.root / "mentions.jsonl")
    articles_table = property(lambda self: self.root / "articles.csv")
    entities = property(lambda self: self.root / "entities.csv")
    edges = property(lambda self: self.root / "edges.csv")
    graphml = property(lambda self: self.root / "graph.graphml")
    gexf = property(lambda self: self.root / "graph.gexf")
    node_link = property(lambda self: self.root / "graph.json")
    ntriples = property(lambda self: self.root / "graph.nt")
    turtle = property(lambda self: self.root / "graph.ttl")
    jsonld = property(lambda self: self.root / "graph.jsonld")
    graphdb = property(lambda self: self.root / "graph.sqlite")
    overview = property(lambda self: self.root / "graph.html")
    store = property(lambda self: self.root / "oxigraph")
    cache = property(lambda self: self.root / "cache.sqlite")
    marker = property(lambda self: self.root / MARKER)
    stale = property(lambda self: self.root / STALE)


def check_current(out: str | Path) -> None:
    """A one-line ``UserError`` if an update left the exports of ``out`` stale (``STALE.txt``).

    Readers call it and never refresh by themselves: a reader that wrote could refresh from
    a half-appended update. ``newskg refresh OUT`` (``graph.refresh(OUT)``) is the one way.
    """
    if BuildDir(out).stale.is_file():
        raise UserError(
            f"{quoted(out)} is stale: newskg build --update added articles since its graph files were"
            f" written; run newskg refresh {quoted(out)} first"
        )
