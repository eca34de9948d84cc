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

import sys
from collections import Counter
from dataclasses import dataclass, field


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
