"""How far a build has got: a tqdm bar a stage (with total and ETA) on a terminal, a line a stage otherwise.

A build of thousands of articles spends minutes after extraction (the graph, its
analytics, each writer); every stage says so. When stderr is not a terminal (a log
file, CI) each stage prints one line with the time since the build started instead.

>>> import io
>>> log = io.StringIO()
>>> p = Progress(stream=log)
>>> with p.stage("analytics"):
...     pass
>>> log.getvalue().startswith("newskg: analytics")
True
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO


class _NoBar:
    """What :meth:`Progress.bar` gives when there is no terminal to draw on."""

    def update(self, n: int = 1) -> None:
        """Nothing to draw."""

    def close(self) -> None:
        """Nothing to close."""


class Progress:
    """The stages of one run; ``enabled=False`` (``-q``) says nothing at all."""

    def __init__(self, enabled: bool = True, stream: IO[str] | None = None) -> None:
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.tty = enabled and self.stream.isatty()
        self.start = time.monotonic()

    def line(self, text: str) -> None:
        """One line, with the time since the start (only when stderr is not a terminal)."""
        if self.enabled and not self.tty:
            print(f"newskg: {text} [{time.monotonic() - self.start:.1f} s]", file=self.stream, flush=True)

    def bar(self, desc: str, total: int | None, unit: str):
        """A tqdm bar of ``total`` ``unit``s on a terminal (``update(n)``, ``close()``); else one line."""
        if not self.tty:
            self.line(f"{desc}: {total:,} {unit}" if total is not None else desc)
            return _NoBar()
        from tqdm import tqdm

        plain = "{desc} [{elapsed}]" if total is None else None  # a stage without steps: its time
        return tqdm(
            total=total, desc=desc, unit=f" {unit}", file=self.stream, dynamic_ncols=True, bar_format=plain
        )

    @contextmanager
    def stage(self, desc: str) -> Iterator[None]:
        """A stage without steps of its own: its name and, on a terminal, its time."""
        bar = self.bar(desc, None, "") if self.tty else self.line(desc) or _NoBar()
        try:
            yield
        finally:
            bar.close()


QUIET = Progress(enabled=False)
