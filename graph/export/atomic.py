"""Atomic replacement of an output directory.

A build writes into a fresh temporary directory beside ``out`` and swaps it in only
when everything succeeded, so a failed or killed run never leaves half-written
outputs. The swap is two renames (``out`` -> ``.out.old-PID``, tmp -> ``out``); a
run killed between them leaves ``out`` missing and the old one beside it, which the
next run restores before it starts. Temporary directories of dead runs are removed.

Only a directory that is missing, empty or a previous build is replaced: every build
writes the marker file :data:`MARKER`, and any other ``out`` is refused with a one-line
error before anything is touched (issue #20: ``--out docs`` deleted the user's files).

One writer at a time: a build, an update and a refresh of ``out`` hold an advisory lock
(:func:`writing`, ``fcntl.flock`` on ``out``'s marker file, released by the kernel when
the process dies); a second one is refused with a one-line error. Readers take no lock:
they never write, and a swap shows them the previous build or the next, whole.

>>> import tempfile, pathlib
>>> base = pathlib.Path(tempfile.mkdtemp())
>>> with atomic_dir(base / "out") as tmp:
...     _ = (tmp / "a.txt").write_text("new")
>>> (base / "out" / "a.txt").read_text()
'new'
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from newskg.extract.errors import UserError, quoted
from newskg.graph.builddir import MARKER, STALE

# What a build wrote before it wrote the marker: a folder holding nothing else is such a build.
_UNMARKED_BUILD = frozenset(
    [
        "articles.jsonl",
        "mentions.jsonl",
        "entities.csv",
        "edges.csv",
        "graph.graphml",
        "graph.gexf",
        "graph.json",
        "graph.nt",
        "graph.ttl",
        "graph.jsonld",
        "graph.html",
        "entities",
        "cache.sqlite",
        "cache.sqlite-wal",
        "cache.sqlite-shm",
        "build-state.pickle",
        "build-state.journal",
        STALE,
        "oxigraph",
        "notebooks",
    ]
)
_MARKER_TEXT = (
    "This directory was written by newskg build. The next build with the same --out replaces it\n"
    "whole, with whatever else was put here: keep your own files elsewhere.\n"
)


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


def check_out(out: str | Path, inputs: Iterable[str | Path] = ()) -> None:
    """A one-line :class:`UserError` unless a build may replace ``out`` and reads nothing inside it.

    ``out`` must be missing, empty or a build (holding :data:`MARKER`, or, written before
    the marker, only files a build writes); no path of ``inputs``
    (a glob: the folder before its first wildcard) may be ``out`` or inside it.

    >>> import tempfile, pathlib
    >>> docs = pathlib.Path(tempfile.mkdtemp()); _ = (docs / "thesis.txt").write_text("mine")
    >>> check_out(docs)
    Traceback (most recent call last):
    ...
    newskg.extract.errors.UserError: --out ... is not empty and not a newskg build (...): ...
    """
    out = Path(out).resolve()
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {quoted(out)} exists and is not a directory")
    for raw in inputs:
        fixed = Path(re.split(r"[*?\[]", str(raw), maxsplit=1)[0] or ".").resolve()
        if fixed == out or out in fixed.parents:
            raise UserError(
                f"--out {quoted(out)} holds the input {quoted(raw)}, and a build replaces --out:"
                " write the build to another directory"
            )
    if out.is_dir() and not (out / MARKER).is_file():
        other = sorted(p.name for p in out.iterdir() if p.name not in _UNMARKED_BUILD)
        if other:
            raise UserError(
                f"--out {quoted(out)} is not empty and not a newskg build (no {MARKER} file; it holds"
                f" {quoted(other[0])}): nothing was changed; name a new or empty directory"
            )


_HELD: set[Path] = set()  # the build directories this process holds the write lock of


@contextmanager
def writing(out: str | Path) -> Iterator[None]:
    """Hold the advisory write lock of the build directory ``out``; a one-line error if another has it.

    The lock is ``fcntl.flock`` on ``out``'s :data:`MARKER` file, so the kernel releases it when
    the holder dies, and nothing is added to the user's folders. A build swaps in a new marker,
    so the lock taken is checked to still be ``out``'s. A directory without a marker (none
    yet) has no build to protect: nothing is locked. Re-entrant within a process (a refresh
    holds it around its :func:`atomic_dir`).

    >>> import tempfile, pathlib
    >>> with atomic_dir(pathlib.Path(tempfile.mkdtemp()) / "out") as tmp:
    ...     pass
    >>> with writing(tmp.parent / "out"):
    ...     print("locked")
    locked
    """
    out = Path(out).resolve()
    if out in _HELD:
        yield
        return
    while True:
        try:
            fd = os.open(out / MARKER, os.O_RDONLY)
        except OSError:  # no build here yet
            yield
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise UserError(
                f"another newskg (build, update or refresh) is writing {quoted(out)}:"
                " try again when it is done"
            ) from None
        try:
            if os.fstat(fd).st_ino == os.stat(out / MARKER).st_ino:
                break
        except OSError:
            pass
        os.close(fd)  # a build swapped a new directory in meanwhile: lock that one
    try:
        _HELD.add(out)
        yield
    finally:
        _HELD.discard(out)
        os.close(fd)  # releases the lock


@contextmanager
def atomic_dir(out: str | Path, inputs: Iterable[str | Path] = ()) -> Iterator[Path]:
    """Yield a fresh temporary directory that replaces ``out`` only if the block succeeds.

    A failed or killed run leaves the previous ``out`` as it was. ``out`` and ``inputs`` are
    checked first (:func:`check_out`), the write lock is held throughout (:func:`writing`),
    and the new directory gets the :data:`MARKER` file.
    """
    out = Path(out).resolve()
    check_out(out, inputs)
    with writing(out):
        recover(out)  # a build swapped out by a killed run is the previous build again
        check_out(out, inputs)
        try:  # --out a/b/out with no a/b yet: made, as mkdir -p would
            out.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"cannot create {quoted(out.parent)}: {exc.strerror or exc}") from None
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-{os.getpid()}-", dir=out.parent))
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes it 700; OUT gets the mode any new directory gets
        try:
            (tmp / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
            yield tmp
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        if out.exists():
            os.rename(out, old)
        os.rename(tmp, out)
        shutil.rmtree(old, ignore_errors=True)
