"""Atomic replacement of an output directory.

A build writes into a fresh temporary directory beside ``out`` and swaps it in only
when everything succeeded, so a failed or killed run never leaves half-written
outputs. The swap is two renames (``out`` -> ``.out.old-PID``, tmp -> ``out``); a
run killed between them leaves ``out`` missing and the old one beside it, which the
next run restores before it starts. Temporary directories of dead runs are removed.

>>> import tempfile, pathlib
>>> base = pathlib.Path(tempfile.mkdtemp())
>>> with atomic_dir(base / "out") as tmp:
...     _ = (tmp / "a.txt").write_text("new")
>>> (base / "out" / "a.txt").read_text()
'new'
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _umask() -> int:
    """The process's umask (reading it means setting it: set back at once).

    >>> 0 <= _umask() <= 0o777
    True
    """
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def recover(out: Path) -> None:
    """Undo what a killed run left beside ``out``: restore a swapped-out old output, drop stale temps."""
    pattern = re.compile(rf"^\.{re.escape(out.name)}\.(old|tmp)-(\d+)(?:-.*)?$")
    leftovers = []
    for p in out.parent.iterdir() if out.parent.is_dir() else []:
        m = pattern.match(p.name)
        if m and not _alive(int(m.group(2))):
            leftovers.append((m.group(1), p))
    for kind, p in leftovers:
        if kind == "old" and not out.exists():
            os.rename(p, out)
        else:
            shutil.rmtree(p, ignore_errors=True)


@contextmanager
def atomic_dir(out: str | Path) -> Iterator[Path]:
    """Yield a fresh temporary directory that replaces ``out`` only if the block succeeds.

    A failed or killed run leaves the previous ``out`` as it was.
    """
    out = Path(out).resolve()
    if out.exists() and not out.is_dir():
        from extract.errors import UserError

        raise UserError(f"--out {out} exists and is not a directory")
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-{os.getpid()}-", dir=out.parent))
    os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes it 700; OUT gets the mode any new directory gets
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        os.rename(out, old)
    os.rename(tmp, out)
    shutil.rmtree(old, ignore_errors=True)
