"""Worker processes that answer SPARQL for ``newskg serve``: each holds the data, and a query past
its timeout kills its worker (a new one takes its place).

The data is opened once into a shared read-only Oxigraph store when the build has none, so
workers start fast (:func:`_shared_store`).
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import queue
import shutil
import signal
import tempfile
import threading
from pathlib import Path

from newskg.extract.errors import UserError
from newskg.graph.builddir import BuildDir
from newskg.graph.query import sparql

READ_ONLY = "SPARQL Update is not allowed: this endpoint is read-only"
NO_SERVICE = (
    "SERVICE (a federated query) is not allowed: this endpoint never fetches other URLs"
    " (the word SERVICE is refused anywhere in a query, even in a string)"
)

# With every other worker busy, the last idle one runs a query this long at most.
RESERVE_SECONDS = 0.5


class QueryTimeout(Exception):
    """The query ran longer than the endpoint's timeout and its worker was killed."""


class QueryFailed(Exception):
    """The engine could not evaluate this query (a client error: the same query fails again)."""


# ---------------------------------------------------------------- query workers


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the server dies (no orphaned busy workers)."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _worker(conn, data: str, engine: str, store: str | None) -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    try:
        eng = sparql.open_engine(data, engine, Path(store) if store else None)
    except Exception as exc:
        conn.send(("error", f"cannot load {data}: {exc}"))
        return
    conn.send(("ready", eng.name))
    while True:
        try:
            text, limit = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", eng.query(text, limit)))
        except sparql.QuerySyntaxError as exc:
            conn.send(("syntax", str(exc)))
        except OSError as exc:  # the store could not be read: the server's fault
            conn.send(("error", f"{type(exc).__name__}: {exc}"))
        except BaseException as exc:  # the query's: rdflib's exceptions, a pyo3 PanicException
            if isinstance(exc, SystemExit | KeyboardInterrupt):
                raise
            conn.send(("failed", f"{type(exc).__name__}: {' '.join(str(exc).split())}"))


class _Worker:
    def __init__(self, ctx, data: str, engine: str, store: str | None):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, data, engine, store), daemon=True)
        self.proc.start()
        child.close()
        self.ready = False

    def wait_ready(self, timeout: float) -> None:
        if self.ready:
            return
        if not self.conn.poll(timeout):
            raise UserError(f"the query engine did not load the data within {timeout:.0f} s")
        try:
            kind, detail = self.conn.recv()
        except EOFError:
            raise UserError("the query engine exited while loading the data") from None
        if kind != "ready":
            raise UserError(detail)
        self.ready = True

    def stop(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class QueryPool:
    """Worker processes that each hold the data; a query past ``timeout`` seconds kills its worker.

    Examples
    --------
    >>> pool = QueryPool(OUT, workers=1, timeout=5, max_rows=100)
    >>> pool.run("ASK { ?s ?p ?o }").boolean
    True
    >>> pool.close()
    """

    def __init__(
        self,
        data: str | Path,
        *,
        engine: str = "oxigraph",
        workers: int = 2,
        timeout: float = 10.0,
        max_rows: int = 10_000,
        load_timeout: float = 300.0,
    ):
        self.data, self.engine = str(data), engine
        self.timeout, self.max_rows, self.load_timeout = timeout, max_rows, load_timeout
        self.workers = max(1, workers)
        self._ctx = _context()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._scratch, self.store = _shared_store(Path(data), engine)
        for _ in range(self.workers):
            self._idle.put(self._spawn())
        try:
            for w in list(self._all):
                w.wait_ready(load_timeout)
        except UserError:
            self.close()
            raise

    def _spawn(self) -> _Worker:
        w = _Worker(self._ctx, self.data, self.engine, self.store)
        with self._lock:
            self._all.append(w)
        return w

    def _replace(self, w: _Worker) -> None:
        w.stop()
        with self._lock:
            self._all.remove(w)
        self._idle.put(self._spawn())

    def run(self, text: str) -> sparql.Result:
        """Run one read-only query.

        Raises ``PermissionError`` (an update or ``SERVICE``), ``QuerySyntaxError``,
        :class:`QueryFailed`, :class:`QueryTimeout`, or ``UserError`` (the engine broke).
        """
        if sparql.is_update(text):
            raise PermissionError(READ_ONLY)
        if sparql.uses_service(text):
            raise PermissionError(NO_SERVICE)
        try:
            w = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout(f"all query workers stayed busy for {self.timeout:g} s") from None
        # The last idle worker is the reserve for short queries (with two workers or more).
        reserve = self.workers > 1 and self._idle.empty() and self.timeout > RESERVE_SECONDS
        budget = RESERVE_SECONDS if reserve else self.timeout
        try:
            w.wait_ready(self.load_timeout)
            w.conn.send((text, self.max_rows))
            if not w.conn.poll(budget):
                self._replace(w)
                w = None
                raise QueryTimeout(
                    f"every other query worker is busy, and the last one runs a query {budget:g} s at most:"
                    " try again later"
                    if reserve
                    else f"the query ran longer than the {self.timeout:g} s timeout and was stopped"
                )
            kind, payload = w.conn.recv()
        except (EOFError, OSError):
            if w is not None:
                self._replace(w)
                w = None
            raise UserError("the query engine crashed on this query") from None
        finally:
            if w is not None:
                self._idle.put(w)
        if kind == "syntax":
            raise sparql.QuerySyntaxError(payload)
        if kind == "failed":
            raise QueryFailed(payload)
        if kind == "error":
            raise UserError(payload)
        return payload

    def close(self) -> None:
        """Stop every worker; remove the store the pool wrote, if any."""
        with self._lock:
            workers, self._all = self._all, []
        for w in workers:
            w.stop()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None


def _context():
    """Forked from a fork server that has the query modules loaded: a new worker starts in
    milliseconds, not the seconds a fresh interpreter takes to import them (spawn elsewhere)."""
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["newskg.graph.query.pool", "pyoxigraph"])
    return ctx


def _shared_store(data: Path, engine: str) -> tuple[Path | None, str | None]:
    """The store every Oxigraph worker opens read-only: the build's, or a copy in a temporary directory.

    Returns the temporary directory to remove at the end (None if none) and the store's path.
    """
    if engine != "oxigraph" or (BuildDir(data).store).is_dir():
        return None, None
    try:
        import pyoxigraph  # noqa: F401 (without it the workers use rdflib)
    except ImportError:
        return None, None
    scratch = Path(tempfile.mkdtemp(prefix="newskg-serve-"))
    try:
        sparql.persist_store(BuildDir(data).ntriples, scratch / "store")
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return scratch, str(scratch / "store")
