"""Errors and warnings that reach the user as one clear line.

:class:`UserError` is raised for problems the user can fix (a missing path, a bad
option); the CLI prints its message and exits 2. :class:`Report` counts the
warnings of a run (a skipped file, a malformed line) so the summary can say how
many there were; ``strict`` runs turn them into a failing exit code.

>>> r = Report()
>>> r.warn("skipped", "bad.bin: binary file")
>>> r.counts["skipped"], r.messages
(1, ['bad.bin: binary file'])
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


def printable(name: str | Path) -> str:
    """A file name as text any output can hold: undecodable bytes and control characters as escapes.

    >>> printable("新闻.txt"), printable("a\\nb.txt"), printable(os.fsdecode(b"x\\xff.txt"))
    ('新闻.txt', 'a\\\\nb.txt', 'x\\\\xff.txt')
    """
    text = str(name)
    with contextlib.suppress(UnicodeEncodeError):  # a lone surrogate of a JSON field stays as \udNNN
        text = os.fsencode(text).decode("utf-8", "backslashreplace")  # surrogate escapes back to \xNN
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def quoted(name: str | Path) -> str:
    """A file name for a one-line message: as it is when printable, else escaped and in quotes.

    A name with a newline cannot forge a second ``warning:`` line.

    >>> quoted("seeds/a.txt"), quoted("a\\nwarning: b.txt")
    ('seeds/a.txt', "'a\\\\nwarning: b.txt'")
    """
    text = str(name)
    return text if text.isprintable() else f"'{printable(text)}'"


class UserError(Exception):
    """A problem with the user's input or options; its message is one line."""


@dataclass
class Report:
    """Counted warnings of one run. ``echo`` prints each warning to stderr as it happens."""

    counts: Counter = field(default_factory=Counter)
    messages: list[str] = field(default_factory=list)
    echo: bool = False

    def warn(self, kind: str, message: str) -> None:
        self.counts[kind] += 1
        self.messages.append(message)
        if self.echo:
            print(f"warning: {message}", file=sys.stderr)

    def replay(self, messages: list[str]) -> None:
        """Add warnings counted before (a cached result's, a saved build's), echoed like new ones.

        >>> r = Report()
        >>> r.replay(["bad.bin: binary file"])
        >>> r.messages
        ['bad.bin: binary file']
        """
        self.messages.extend(messages)
        if self.echo:
            for message in messages:
                print(f"warning: {message}", file=sys.stderr)

    def count(self, kind: str, n: int = 1) -> None:
        """Count something that is not a warning (files read, mentions merged, ...)."""
        self.counts[kind] += n
