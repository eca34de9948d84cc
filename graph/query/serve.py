"""A read-only SPARQL 1.1 Protocol endpoint over a build, which also serves its HTML views.

``GET /sparql?query=...`` and ``POST /sparql`` (``application/x-www-form-urlencoded``
with ``query=``, or ``application/sparql-query``) answer SPARQL JSON, XML, CSV or
TSV by content negotiation (``Accept``, or a ``format`` parameter); CONSTRUCT and
DESCRIBE answer Turtle, N-Triples, RDF/XML or JSON-LD the same way (N-Triples to
``*/*``). Updates are refused with 403, and so are federated
queries (``SERVICE``), which would make the server fetch any URL it can reach. Each
query runs in a worker process that is killed when it passes the timeout (503;
pyoxigraph cannot be interrupted from Python). The Oxigraph workers share one store
opened read-only (the build's ``oxigraph/``, or one the server writes in a temporary
directory), forked from a preloaded fork server, so a replaced worker answers at once;
and with two workers or more, a query given the last idle one gets only
:data:`RESERVE_SECONDS`, so clients looping expensive queries cannot starve a short
one (issue #20). Results are cut at a row limit
(header ``X-Truncated``); request bodies above a size limit get 413. A query the
engine cannot evaluate gets 400 with the engine's message. Every other GET serves a
file of the build directory (``graph.html``, ``entities/*.html``, the RDF
downloads), never anything outside it; other methods get 405. Entity IRIs
(``/id/<id>``) and the ontology (``/ns``) are served as Linked Data (:mod:`newskg.graph.query.linked_data`).

>>> srv = make_server(OUT, port=0)
>>> # srv.serve_forever() answers until interrupted; tests/test_serve.py runs a real one
>>> srv.server_close(); srv.pool.close()
"""

from __future__ import annotations

import ipaddress
import mimetypes
import signal
import socket
import sys
from collections.abc import Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from newskg.extract.errors import UserError
from newskg.graph.query import linked_data, sparql
from newskg.graph.query.pool import READ_ONLY, QueryFailed, QueryPool, QueryTimeout

# Media type -> result format, in the order a client saying */* gets them.
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
CONTENT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
# Names (format=, as SPARQLWrapper and YASGUI send them) and media types (Accept) of a graph
# result (CONSTRUCT, DESCRIBE) -> its syntax (newskg.graph.query.sparql.GRAPH_FORMATS). Any type: N-Triples.
GRAPH_TYPES = {
    **dict.fromkeys(["turtle", "ttl", "n3", "text/turtle", "application/turtle", "text/n3"], "turtle"),
    **dict.fromkeys(["text/rdf+n3", "application/n3", "application/x-turtle"], "turtle"),
    **dict.fromkeys(["nt", "ntriples", "n-triples", "application/n-triples", "text/plain"], "nt"),
    **dict.fromkeys(["xml", "rdf", "rdf+xml", "rdfxml", "application/rdf+xml"], "rdfxml"),
    **dict.fromkeys(["application/xml", "text/xml"], "rdfxml"),
    **dict.fromkeys(["json-ld", "jsonld", "json", "application/ld+json", "application/x-json+ld"], "jsonld"),
    "application/json": "jsonld",
    **dict.fromkeys(["*/*", "text/*", "application/*"], "nt"),
}
GRAPH_ACCEPTABLE = (
    "a CONSTRUCT or DESCRIBE result is RDF: text/turtle, application/n-triples, application/rdf+xml or"
    " application/ld+json (format=turtle, nt, rdf+xml or json-ld)"
)
# Files of a build directory that may be served.
STATIC_SUFFIXES = {".html", ".css", ".js", ".svg", ".png", ".ttl", ".nt", ".jsonld", ".csv", ".json"}


# ---------------------------------------------------------------- HTTP


def graph_format(wanted: list[str], accept: str) -> str | None:
    """The RDF syntax of a graph result that ``format=`` values or else ``Accept`` ask for; None if none fits.

    >>> graph_format(["turtle"], "*/*"), graph_format([], "application/ld+json"), graph_format([], "*/*")
    ('turtle', 'jsonld', 'nt')
    >>> graph_format(["csv"], "*/*") is None
    True
    """
    names = wanted or linked_data.accepted(accept or "*/*")
    return next((GRAPH_TYPES[n] for n in names if n in GRAPH_TYPES), None)


def negotiate(accept: str) -> str | None:
    """The result format of a SELECT or ASK an ``Accept`` header asks for; None if none fits.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml")
    'xml'
    >>> negotiate("*/*")
    'json'
    """
    for media in linked_data.accepted(accept or "*/*"):
        if media in RESULT_TYPES:
            return RESULT_TYPES[media]
        if media in ("*/*", "application/*"):
            return "json"
        if media == "text/*":
            return "csv"
    return None


_EXAMPLE = """PREFIX schema: <https://schema.org/>
SELECT ?org ?name WHERE { ?org a schema:Organization ; schema:name ?name } LIMIT 10"""


class Handler(BaseHTTPRequestHandler):
    """SPARQL protocol on ``/sparql``; static files of the build everywhere else."""

    server_version = "newskg"
    timeout = 60  # seconds a client may stall mid-request before it is dropped
    pool: QueryPool
    root: Path
    allowed_hosts: frozenset[str]
    max_body: int
    quiet: bool

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        if not self.quiet:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    def _send(
        self, status: int, body: bytes | str, ctype: str = "text/plain; charset=utf-8", **headers
    ) -> None:
        # "replace": rdflib can return a lone surrogate from a query's "\\uD800", which UTF-8 cannot hold
        data = body.encode("utf-8", errors="replace") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # The stdlib refuses a malformed request line or a bad version ("HTTP/x", "HTTP/2.0") before
        # it has taken a version, so as if to HTTP/0.9: a bare body without a status line. Give it one.
        if self.request_version == "HTTP/0.9":
            self.request_version = "HTTP/1.0"
        super().send_error(code, message, explain)

    def parse_request(self) -> bool:
        """The stdlib's parsing, then what it lets through refused with 400 (issue #20): an HTTP/0.9
        request (its answer has no status line), conflicting ``Content-Length`` headers (a
        request-smuggling vector), and a ``Host`` this server does not answer to (DNS rebinding:
        any web page a user visits could otherwise query the local endpoint)."""
        if not super().parse_request():
            return False
        if self.request_version == "HTTP/0.9":
            self.close_connection = True
            self.send_error(HTTPStatus.BAD_REQUEST, "HTTP/0.9 requests are not served")
            return False
        if len(set(self.headers.get_all("Content-Length") or [])) > 1:
            self.close_connection = True
            self.send_error(HTTPStatus.BAD_REQUEST, "conflicting Content-Length headers")
            return False
        host = self.headers.get("Host")
        if host is not None and not host_allowed(host, self.allowed_hosts):
            self.close_connection = True
            self.send_error(
                HTTPStatus.BAD_REQUEST,
                "unknown Host header",
                "this server answers to its own address only; start it with --allow-host NAME to add one",
            )
            return False
        return True

    def __getattr__(self, name: str):
        # Any method without a do_ handler (PUT, DELETE, OPTIONS, made-up ones) is 405, not the
        # stdlib's 501: the server understood the request and refuses it.
        if name.startswith("do_"):
            return self._not_allowed
        raise AttributeError(name)

    def _not_allowed(self) -> None:
        allow = "GET, HEAD, POST"
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, "use GET, HEAD or POST (POST for /sparql)\n", Allow=allow)

    # -- SPARQL

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == linked_data.ONTOLOGY_PATH or url.path.startswith(linked_data.ENTITY_PREFIX):
            return self._linked_data(url.path)
        if url.path != "/sparql":
            return self._static(url.path)
        params = parse_qs(url.query, keep_blank_values=True)
        if "update" in params:
            return self._send(HTTPStatus.FORBIDDEN, READ_ONLY + "\n")
        if "query" not in params:
            return self._form()
        self._query(params["query"][0], params)

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path != "/sparql":
            return self._send(HTTPStatus.METHOD_NOT_ALLOWED, "POST is for /sparql only\n", Allow="GET")
        length = self.headers.get("Content-Length")
        if length is None:
            return self._send(HTTPStatus.LENGTH_REQUIRED, "a Content-Length header is required\n")
        length = length.strip()
        if not (length.isascii() and length.isdigit()):  # "²".isdigit() is True, int("²") fails
            self.close_connection = True
            return self._send(HTTPStatus.BAD_REQUEST, "Content-Length must be a number of bytes\n")
        if int(length) > self.max_body:
            self.close_connection = True
            return self._send(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over the limit of {self.max_body} bytes\n"
            )
        body = self.rfile.read(int(length)).decode("utf-8", errors="replace")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/sparql-update":
            return self._send(HTTPStatus.FORBIDDEN, READ_ONLY + "\n")
        if ctype == "application/sparql-query":
            return self._query(body, params)
        if ctype == "application/x-www-form-urlencoded":
            form = parse_qs(body, keep_blank_values=True)
            if "update" in form:
                return self._send(HTTPStatus.FORBIDDEN, READ_ONLY + "\n")
            if "query" not in form:
                return self._send(HTTPStatus.BAD_REQUEST, "missing the query parameter\n")
            return self._query(form["query"][0], {**params, **form})
        return self._send(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            "use application/sparql-query or application/x-www-form-urlencoded\n",
        )

    def _query(self, text: str, params: dict[str, list[str]]) -> None:
        wanted = [w.lower() for w in params.get("format") or params.get("output") or []]
        try:
            result = self.pool.run(text)
        except PermissionError as exc:
            return self._send(HTTPStatus.FORBIDDEN, f"{exc}\n")
        except sparql.QuerySyntaxError as exc:
            return self._send(HTTPStatus.BAD_REQUEST, f"malformed query: {exc}\n")
        except QueryFailed as exc:
            return self._send(HTTPStatus.BAD_REQUEST, f"the query could not be evaluated: {exc}\n")
        except QueryTimeout as exc:
            return self._send(HTTPStatus.SERVICE_UNAVAILABLE, f"{exc}\n")
        except UserError as exc:
            return self._send(HTTPStatus.INTERNAL_SERVER_ERROR, f"{exc}\n")
        headers = {"X-Row-Limit": str(self.pool.max_rows)}
        if result.truncated:
            headers["X-Truncated"] = "true"
        if result.kind == "graph":  # a format parameter (a name or a media type) overrides Accept
            fmt = graph_format(wanted, self.headers.get("Accept", "*/*"))
            if fmt is None:
                return self._send(HTTPStatus.NOT_ACCEPTABLE, GRAPH_ACCEPTABLE + "\n")
            ctype = sparql.GRAPH_FORMATS[fmt][0] + "; charset=utf-8"
            return self._send(HTTPStatus.OK, sparql.render_graph(result, fmt), ctype, **headers)
        if wanted:
            names = [RESULT_TYPES.get(w, w) for w in wanted]
            fmt = next((n for n in names if n in CONTENT_TYPES), None)
        else:
            fmt = negotiate(self.headers.get("Accept", "*/*"))
        if fmt is None:
            return self._send(HTTPStatus.NOT_ACCEPTABLE, "acceptable: " + ", ".join(RESULT_TYPES) + "\n")
        self._send(
            HTTPStatus.OK, sparql.render(result, fmt), CONTENT_TYPES[fmt] + "; charset=utf-8", **headers
        )

    def _form(self) -> None:
        from newskg.graph.export.render import jinja_env  # the page's template, autoescaped

        page = (
            jinja_env()
            .get_template("sparql.html")
            .render(
                data=self.root.name,
                timeout=self.pool.timeout,
                rows=self.pool.max_rows,
                example=_EXAMPLE,
                views=[p.name for p in sorted(self.root.glob("*.html"))],
            )
        )
        self._send(HTTPStatus.OK, page + "\n", "text/html; charset=utf-8")

    # -- Linked Data: entity IRIs and the ontology

    def _linked_data(self, path: str) -> None:
        if path == linked_data.ONTOLOGY_PATH:
            ontology = self.root / "ontology.ttl"
            if not ontology.is_file():
                return self._send(HTTPStatus.NOT_FOUND, "this build has no ontology.ttl (rebuild it)\n")
            return self._send(HTTPStatus.OK, ontology.read_bytes(), "text/turtle; charset=utf-8")
        eid = linked_data.entity_id_of(path)
        if eid is None:
            return self._send(HTTPStatus.NOT_FOUND, "not found\n")
        fmt = linked_data.representation(self.headers.get("Accept", "*/*"))
        if fmt is None:
            return self._send(
                HTTPStatus.NOT_ACCEPTABLE, "an entity is text/html or " + GRAPH_ACCEPTABLE + "\n"
            )
        if fmt == "html":
            page = "/entities/" + quote(f"{eid}.html")
            if self.resolve(page) is None:
                return self._send(HTTPStatus.NOT_FOUND, f"no entity {eid}\n")
            return self._send(HTTPStatus.SEE_OTHER, f"see {page}\n", Location=page, Vary="Accept")
        try:
            result = self.pool.run(linked_data.describe_query(eid))
        except (QueryTimeout, QueryFailed, UserError) as exc:
            return self._send(HTTPStatus.SERVICE_UNAVAILABLE, f"{exc}\n")
        if not result.rows:
            return self._send(HTTPStatus.NOT_FOUND, f"no entity {eid}\n")
        ctype = sparql.GRAPH_FORMATS[fmt][0] + "; charset=utf-8"
        self._send(HTTPStatus.OK, sparql.render_graph(result, fmt), ctype, Vary="Accept")

    # -- static files

    def _static(self, raw: str) -> None:
        path = self.resolve(raw)
        if path is None and raw == "/":  # a build without HTML views: the query form
            return self._form()
        if path is None:
            return self._send(HTTPStatus.NOT_FOUND, "not found\n")
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or path.suffix in (".js", ".json", ".jsonld", ".svg"):
            ctype += "; charset=utf-8"
        try:
            data = path.read_bytes()
        except OSError:
            return self._send(HTTPStatus.NOT_FOUND, "not found\n")
        self._send(HTTPStatus.OK, data, ctype)

    def resolve(self, raw: str) -> Path | None:
        """The file of the build a URL path names, or None (outside the build, hidden, or not servable)."""
        rel = unquote(raw).lstrip("/") or "graph.html"
        parts = rel.split("/")
        if any(p in ("", ".", "..") or p.startswith(".") or "\\" in p or "\x00" in p for p in parts):
            return None
        try:
            path = (self.root / rel).resolve()
            if self.root not in path.parents or path.suffix not in STATIC_SUFFIXES or not path.is_file():
                return None
        except (OSError, ValueError):  # a name too long for the file system, say
            return None
        return path

    do_HEAD = do_GET


def make_server(
    data: str | Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    engine: str = "oxigraph",
    workers: int = 2,
    timeout: float = 10.0,
    max_rows: int = 10_000,
    max_body: int = 1_000_000,
    quiet: bool = True,
    allow_hosts: Iterable[str] = (),
) -> ThreadingHTTPServer:
    """An HTTP server (not yet serving) for the build in ``data``; ``server.pool`` holds the workers.

    Examples
    --------
    >>> srv = make_server(OUT, port=0)
    >>> srv.server_address[1] > 0
    True
    >>> srv.server_close(); srv.pool.close()
    """
    root = sparql.require_rdf(data).resolve()
    for name, value in (("--timeout", timeout), ("--max-rows", max_rows), ("--max-body", max_body)):
        if value <= 0:
            raise UserError(f"{name} must be positive, not {value:g}")
    hosts = allowed_hosts(host, allow_hosts)
    handler = type(
        "BoundHandler",
        (Handler,),
        {"root": root, "max_body": max_body, "quiet": quiet, "allowed_hosts": hosts},
    )
    try:  # bind first: a taken port fails at once, before the workers load the data
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    try:
        handler.pool = QueryPool(root, engine=engine, workers=workers, timeout=timeout, max_rows=max_rows)
    except BaseException:
        server.server_close()
        raise
    server.daemon_threads = True
    server.pool = handler.pool
    return server


_LOOPBACK = {"127.0.0.1", "::1", "localhost"}
_ANY = {"", "0.0.0.0", "::"}


def allowed_hosts(host: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The names a ``Host`` header may give for a server bound to ``host``, lower-case, without port.

    The bound address itself, ``localhost`` for a loopback address, this machine's names for
    all addresses (``0.0.0.0``), and ``extra`` (``--allow-host``). An IP address is always
    accepted (DNS rebinding needs a name); see :func:`host_allowed`.

    >>> sorted(allowed_hosts("127.0.0.1", ["kg.example.org"]))
    ['127.0.0.1', '::1', 'kg.example.org', 'localhost']
    """
    names = {host.lower(), *(h.strip().lower() for h in extra if h.strip())}
    if host in _LOOPBACK:
        names |= _LOOPBACK
    if host in _ANY:
        names |= _LOOPBACK | {socket.gethostname().lower(), socket.getfqdn().lower()}
    return frozenset(names - {""})


def host_allowed(header: str, allowed: frozenset[str]) -> bool:
    """Whether a ``Host`` header (``name``, ``name:port``, ``[v6]:port``) names this server.

    >>> hosts = allowed_hosts("127.0.0.1")
    >>> [host_allowed(h, hosts) for h in ("localhost:8000", "evil.example", "[::1]:80", "10.0.0.1")]
    [True, False, True, True]
    """
    name = header.strip().lower()
    if name.startswith("["):
        name = name[1 : name.find("]")] if "]" in name else name
    elif name.count(":") == 1:
        name = name.split(":", 1)[0]
    name = name.rstrip(".")
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return name in allowed


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def serve(server: ThreadingHTTPServer) -> None:
    """Serve until Ctrl-C or SIGTERM, then stop the workers."""
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        server.pool.close()
