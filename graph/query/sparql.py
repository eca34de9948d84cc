"""SPARQL over a build: pyoxigraph (fast, embedded) with rdflib as the fallback engine.

:func:`open_engine` reads the RDF of a build directory. Oxigraph keeps small builds
in memory (loaded from ``graph.nt`` in a fraction of a second) and opens large ones
read-only from the RocksDB store ``DIR/oxigraph/`` that the build wrote beside
``graph.nt`` (:func:`persist_store`; a rebuild replaces the whole directory, so it is
never stale). A reader never writes into the build (issue #20).
Results come back as a :class:`Result` of engine-neutral :class:`Term` values,
which :func:`render` writes as a table or as SPARQL JSON, XML, CSV or TSV.

Queries are parameterised by single-variable ``VALUES`` blocks:
``VALUES ?campaign { "安康杯" }`` is the default, and :func:`bind_params` replaces it.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "graph.nt").write_text('<https://newskg.org/id/x> <https://schema.org/name> "全总"@zh .\\n')
>>> r = query(d, 'SELECT ?n WHERE { ?s schema:name ?n }')
>>> r.records()
[{'n': '全总'}]
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from newskg.extract.errors import UserError
from newskg.graph.builddir import BuildDir, check_current
from newskg.graph.export.prefixes import PREFIXES

ENGINES = ("oxigraph", "rdflib")
FORMATS = ("table", "csv", "json", "tsv", "xml")
# RDF syntaxes of a graph result (CONSTRUCT, DESCRIBE): name -> (media type, rdflib serializer).
GRAPH_FORMATS = {
    "turtle": ("text/turtle", "turtle"),
    "nt": ("application/n-triples", "nt"),
    "rdfxml": ("application/rdf+xml", "xml"),
    "jsonld": ("application/ld+json", "json-ld"),
}
PERSIST_BYTES = 50_000_000  # a build writes DIR/oxigraph/ when graph.nt is larger than this
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class QuerySyntaxError(UserError):
    """A malformed query; the message is the parser's, with its position."""


@dataclass(frozen=True, slots=True)
class Term:
    """An RDF term of a result: ``kind`` is ``uri``, ``bnode`` or ``literal``."""

    kind: str
    value: str
    lang: str = ""
    datatype: str = ""

    def n3(self) -> str:
        """The term in N-Triples/Turtle syntax (as SPARQL TSV results write it).

        >>> Term("literal", 'a"b', lang="zh").n3()
        '"a\\\\"b"@zh'
        """
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        text = '"' + _escape_literal(self.value) + '"'
        if self.lang:
            return f"{text}@{self.lang}"
        if self.datatype:
            return f"{text}^^<{self.datatype}>"
        return text

    def short(self) -> str:
        """A compact form for tables: known IRI prefixes abbreviated, literals as their text."""
        if self.kind == "uri":
            for prefix, ns in PREFIXES.items():
                if self.value.startswith(ns) and len(self.value) > len(ns):
                    return f"{prefix}:{self.value[len(ns) :]}"
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        return self.value


def _escape_literal(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )


@dataclass
class Result:
    """The answer of one query.

    ``kind`` is ``select``, ``ask`` or ``graph`` (CONSTRUCT/DESCRIBE, rows of
    subject, predicate, object). ``truncated`` says the row limit cut it short.
    """

    kind: str
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    truncated: bool = False

    def records(self) -> list[dict[str, str]]:
        """Rows as ``{var: value}`` dicts of plain strings (unbound variables left out).

        >>> Result("select", ["x"], [(Term("literal", "1"),)]).records()
        [{'x': '1'}]
        """
        return [
            {v: t.value for v, t in zip(self.vars, row, strict=True) if t is not None} for row in self.rows
        ]


# ---------------------------------------------------------------- parameters and query kinds

_PROLOGUE = re.compile(r"\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*", re.IGNORECASE)
_UPDATE = re.compile(r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


_TOKENS = re.compile(r'<[^>\s]*>|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*')
_PNAME = re.compile(r"(?<![\w?$.:-])([A-Za-z][\w.-]*)?:")
_DECLARED = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)


def _strip_comments(text: str, blank: bool = False) -> str:
    """``text`` without comments; with ``blank``, IRIs and string literals emptied too (``<>``, ``""``)."""
    out, pos = [], 0
    for m in _TOKENS.finditer(text):
        out.append(text[pos : m.start()])
        token = m.group()
        out.append("" if token.startswith("#") else token[0] * 2 if blank else token)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def unknown_prefix(text: str) -> str | None:
    """The first prefix ``text`` uses that it does not declare and :data:`PREFIXES` does not know.

    >>> unknown_prefix('PREFIX ex: <urn:x#> SELECT * { ?s ex:p ?o ; foo:q "a:b" ; schema:name ?n }')
    'foo'
    >>> unknown_prefix("SELECT * { ?s nkg:weight 3 }") is None
    True
    """
    body = _strip_comments(text, blank=True)
    declared = {m or "" for m in _DECLARED.findall(body)} | set(PREFIXES)
    return next((p for p in (m.group(1) or "" for m in _PNAME.finditer(body)) if p not in declared), None)


def _prefix_error(text: str) -> QuerySyntaxError | None:
    """The one-line error of an undeclared prefix in ``text``, if it has one."""
    p = unknown_prefix(text)
    if p is None:
        return None
    return QuerySyntaxError(
        f"unknown prefix {p}: (declare it: PREFIX {p}: <...>; known without declaring: "
        + ", ".join(PREFIXES)
        + ")"
    )


def _tag_plain_literals(text: str, lang: str = "zh") -> str:
    """``text`` with every plain string literal given the language tag ``lang``.

    >>> _tag_plain_literals('SELECT * { ?s schema:name "全总" ; schema:identifier "x"^^xsd:string }')
    'SELECT * { ?s schema:name "全总"@zh ; schema:identifier "x"^^xsd:string }'
    """
    out, pos = [], 0
    for m in _TOKENS.finditer(text):
        token, after = m.group(), text[m.end() : m.end() + 2]
        plain = token[0] in "\"'" and not after.startswith(("@", "^^"))
        out += [text[pos : m.start()], f"{token}@{lang}" if plain else token]
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def language_hint(engine, text: str, result: Result) -> str | None:
    """Why an empty result may be empty: a plain ``"名称"`` matches nothing, but ``"名称"@zh`` would.

    Names, labels, headlines and sentences in the data are tagged ``@zh``, and in SPARQL
    a plain literal never equals a tagged one. Returns the hint, or None when the tagged
    query is no better (or the result was not empty).
    """
    empty = (result.kind == "ask" and not result.boolean) or (result.kind != "ask" and not result.rows)
    tagged = _tag_plain_literals(text)
    if not empty or tagged == text:
        return None
    try:
        again = engine.query(tagged, 1)
    except QuerySyntaxError:
        return None
    if again.rows or again.boolean:
        return (
            'no results, but the query matches with its strings tagged @zh ("…"@zh): names and labels'
            " in the data are Chinese-language literals, and a plain string never equals one"
        )
    return None


def is_update(text: str) -> bool:
    """True when ``text`` is a SPARQL Update request (INSERT, DELETE, LOAD, CLEAR, DROP, ...).

    >>> is_update("PREFIX x: <urn:x#> # comment\\n INSERT DATA { x:a x:b x:c }")
    True
    >>> is_update("SELECT * WHERE { ?s ?p ?o }")
    False
    """
    body = _strip_comments(text)
    return bool(_UPDATE.match(body, _PROLOGUE.match(body).end()))


# The SERVICE keyword wherever it could be one. Deliberately blunt: no attempt to skip strings,
# IRIs or comments, whose lexing a query could play against ours; names (?service, ex:service,
# <.../Service>) are let through. Codepoint escapes (\u0053ERVICE) are decoded first.
_SERVICE = re.compile(r"(?<![\w:?$/#-])SERVICE(?![\w:-])", re.IGNORECASE)
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def uses_service(text: str) -> bool:
    """True when ``text`` may hold a ``SERVICE`` clause (a federated query), escapes decoded.

    >>> uses_service("SELECT * { ?s ?p ?o FILTER(?o<1)SERVICE<http://10.0.0.1/>{} }")
    True
    >>> uses_service("SELECT ?service { ?service a <https://schema.org/Service> }")
    False
    """

    def char(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code < 0x110000 else ""

    return bool(_SERVICE.search(_UCHAR.sub(char, text)))


_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')  # what no IRIREF may hold (SPARQL grammar)
NO_SERVICE = (
    "SERVICE (a federated query) is not allowed: a query never fetches other URLs unless"
    " --allow-service is given (the word SERVICE is refused anywhere in a query, even in a string)"
)


def _param_value(name: str, value: str, lang: str = "") -> str:
    if value.startswith("<") and value.endswith(">"):
        if _IRI_FORBIDDEN.search(value[1:-1]):
            raise UserError(
                f"--param {name}: {value!r} is not one IRI (no spaces, control characters"
                ' or <>{}"|^`\\ inside the <...>)'
            )
        return value
    if _NUMBER.match(value) and not lang:
        return value
    return '"' + _escape_literal(value) + '"' + (f"@{lang}" if lang else "")


_DEFAULT_LANG = re.compile(r'^\s*"(?:[^"\\]|\\.)*"@([A-Za-z]+(?:-[A-Za-z0-9]+)*)\s*$')


def bind_params(text: str, params: dict[str, str]) -> str:
    """Replace the default of each ``VALUES ?name { ... }`` block named in ``params``.

    A value ``<...>`` is an IRI (one, or a one-line ``UserError``: issue #20, a value could
    close the block and add clauses), a number stays a number, anything else is a string,
    with the language tag of the default when it has one: a query that looks a name up
    directly (``VALUES ?name { "全总"@zh } ?e skos:altLabel ?name``, an index lookup, where
    ``FILTER (STR(?label) = ?name)`` reads every label: issue #21) gets ``"陈刚"@zh``.

    >>> bind_params('SELECT * { VALUES ?who { "全总" } }', {"who": "陈刚"})
    'SELECT * { VALUES ?who { "陈刚" } }'
    >>> bind_params('SELECT * { VALUES ?who { "全总"@zh } }', {"who": "2022"})
    'SELECT * { VALUES ?who { "2022"@zh } }'
    >>> bind_params('SELECT * { VALUES ?e { <urn:x> } }', {"e": "<urn:a> } VALUES ?z { <urn:b>"})
    Traceback (most recent call last):
    ...
    newskg.extract.errors.UserError: --param e: '<urn:a> } VALUES ?z { <urn:b>' is not one IRI (...)
    """
    for name, value in params.items():
        pattern = re.compile(r"(VALUES\s+[?$]" + re.escape(name) + r"\s*\{)[^}]*(\})", re.IGNORECASE)
        if not pattern.search(text):
            known = re.findall(r"VALUES\s+[?$](\w+)\s*\{", text, re.IGNORECASE)
            hint = ", ".join(f"?{k}" for k in known) or "none"
            raise UserError(f"the query has no parameter ?{name} (a VALUES ?{name} block); it has: {hint}")
        default = pattern.search(text).group(0)
        tagged = _DEFAULT_LANG.match(default[default.index("{") + 1 : -1])
        term = _param_value(name, value, tagged.group(1) if tagged else "")
        text = pattern.sub(lambda m, term=term: f"{m.group(1)} {term} {m.group(2)}", text)
    return text


# ---------------------------------------------------------------- engines


def _ox_term(t) -> Term | None:
    import pyoxigraph as ox

    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return Term("uri", t.value)
    if isinstance(t, ox.BlankNode):
        return Term("bnode", t.value)
    if isinstance(t, ox.Literal):
        dt = t.datatype.value
        return Term("literal", t.value, t.language or "", "" if dt in (XSD_STRING, LANG_STRING) else dt)
    return Term("literal", str(t))


def _rdflib_term(t) -> Term | None:
    from rdflib import BNode, Literal, URIRef

    if t is None:
        return None
    if isinstance(t, URIRef):
        return Term("uri", str(t))
    if isinstance(t, BNode):
        return Term("bnode", str(t))
    if isinstance(t, Literal):
        dt = str(t.datatype) if t.datatype else ""
        return Term("literal", str(t), t.language or "", "" if dt in (XSD_STRING, LANG_STRING) else dt)
    return Term("literal", str(t))


def _take(rows, limit: int | None) -> tuple[list, bool]:
    out = []
    for row in rows:
        if limit is not None and len(out) >= limit:
            return out, True
        out.append(row)
    return out, False


class OxigraphEngine:
    """Queries over a pyoxigraph store of the build in ``data``."""

    name = "oxigraph"

    def __init__(self, data: Path, store: Path | None = None):
        import pyoxigraph as ox

        db = store or BuildDir(data).store
        if db.is_dir():  # read-only: any number of processes share it, and it opens at once
            self.store = ox.Store.read_only(str(db))
        else:
            self.store = ox.Store()
            self.store.bulk_load(path=str(BuildDir(data).ntriples), format=ox.RdfFormat.N_TRIPLES)

    def query(self, text: str, limit: int | None = None) -> Result:
        import pyoxigraph as ox

        try:
            res = self.store.query(text, prefixes=PREFIXES)
        except SyntaxError as exc:  # oxigraph lists every character it expected: name the prefix instead
            raise _prefix_error(text) or QuerySyntaxError(" ".join(str(exc).split())) from None
        if isinstance(res, ox.QueryBoolean):
            return Result("ask", boolean=bool(res))
        if isinstance(res, ox.QuerySolutions):
            names = [v.value for v in res.variables]
            rows, cut = _take((tuple(_ox_term(sol[v]) for v in names) for sol in res), limit)
            return Result("select", names, rows, truncated=cut)
        triples = ((_ox_term(t.subject), _ox_term(t.predicate), _ox_term(t.object)) for t in res)
        rows, cut = _take(triples, limit)
        return Result("graph", ["subject", "predicate", "object"], rows, truncated=cut)


LOAD_CHUNK = 100_000  # triples a persist_store loads at a time: its memory is bounded by this


def persist_store(nt: Path, db: Path) -> None:
    """Load ``nt`` into a new on-disk store at ``db``, atomically (a temp dir renamed at the end).

    A build writes one beside a large ``graph.nt``; ``newskg serve`` one in a temporary
    directory for a small build, so that every worker opens the same store read-only.
    The triples go in :data:`LOAD_CHUNK` at a time (``Store.bulk_extend``): ``Store.bulk_load``
    holds large batches in memory, with no limit pyoxigraph exposes (issue #21: on the ``graph.nt``
    of 1,000 generated articles, 114 MB, it peaked at 599 MB of RSS in 18.5 s; by chunks of 100,000,
    163 MB in 23.7 s).

    Loading leaves the store in many small files (29 at 10,000 generated articles, bulk-loaded), which
    every index lookup of a query visits: ``optimize()`` compacts them once (49 s at 10,000
    articles, 2 cores shared) and a join that looks up one triple per row runs about ten times
    faster (4,663 lookups: 0.9 to 1.9 s before, 49 to 221 ms after; issue #21).
    """
    import itertools

    import pyoxigraph as ox

    tmp = db.with_name(f".{db.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    store = ox.Store(str(tmp))
    quads = iter(ox.parse(path=str(nt), format=ox.RdfFormat.N_TRIPLES))  # in the default graph
    while chunk := list(itertools.islice(quads, LOAD_CHUNK)):
        store.bulk_extend(chunk)
    store.optimize()
    store.flush()
    del store
    try:
        os.rename(tmp, db)
    except OSError:  # another process won the race: its store is as good as ours
        shutil.rmtree(tmp, ignore_errors=True)


class RdflibEngine:
    """Queries over an in-memory rdflib graph of ``graph.nt`` (slower; no native dependency)."""

    name = "rdflib"

    def __init__(self, data: Path):
        from rdflib import Graph

        self.graph = Graph().parse(BuildDir(data).ntriples, format="nt")

    def query(self, text: str, limit: int | None = None) -> Result:
        from pyparsing import ParseException

        try:
            res = self.graph.query(text, initNs=PREFIXES)
        except ParseException as exc:
            raise QuerySyntaxError(" ".join(str(exc).split())) from None
        except Exception as exc:  # rdflib raises a bare Exception for an undeclared prefix
            if str(exc).startswith("Unknown namespace prefix") and (err := _prefix_error(text)):
                raise err from None
            raise
        if res.type == "ASK":
            return Result("ask", boolean=bool(res.askAnswer))
        if res.type == "SELECT":
            names = [str(v) for v in res.vars]
            rows, cut = _take((tuple(_rdflib_term(r[i]) for i in range(len(names))) for r in res), limit)
            return Result("select", names, rows, truncated=cut)
        triples = ((_rdflib_term(s), _rdflib_term(p), _rdflib_term(o)) for s, p, o in res.graph)
        rows, cut = _take(triples, limit)
        return Result("graph", ["subject", "predicate", "object"], rows, truncated=cut)


def require_rdf(data: str | Path) -> Path:
    """``data`` as a Path if it is a build directory with ``graph.nt``; a one-line UserError if not.

    Exports left stale by ``newskg build --update`` are a one-line UserError too
    (:func:`newskg.graph.builddir.check_current`): a reader never refreshes them.
    """
    data = Path(data)
    check_current(data)
    if not BuildDir(data).ntriples.is_file():
        raise UserError(
            f"{data} is not a newskg build with RDF: graph.nt is missing"
            " (run newskg build, without --without rdf)"
        )
    return data


def open_engine(data: str | Path, engine: str = "oxigraph", store: Path | None = None):
    """Open the RDF of the build in ``data`` with ``engine`` (``oxigraph`` or ``rdflib``).

    Oxigraph opens the store ``store`` (a directory of :func:`persist_store`) read-only when
    given, else ``data/oxigraph`` if the build wrote one, else loads ``graph.nt`` in memory.

    Examples
    --------
    >>> eng = open_engine(OUT)
    >>> eng.query("ASK { ?s ?p ?o }").boolean
    True
    """
    data = require_rdf(data)
    if engine not in ENGINES:
        raise UserError(f"--engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if engine == "oxigraph":
        try:
            return OxigraphEngine(data, store)
        except ImportError:  # no pyoxigraph wheel for this platform: the slower engine still works
            pass
        except (SyntaxError, ValueError) as exc:  # a damaged graph.nt
            raise _unreadable(data, exc) from None
    from rdflib.exceptions import ParserError  # imported here: a query on oxigraph never loads rdflib

    try:
        return RdflibEngine(data)
    except (SyntaxError, ValueError, ParserError) as exc:
        raise _unreadable(data, exc) from None


def _unreadable(data: Path, exc: Exception) -> UserError:
    return UserError(f"cannot read {data / 'graph.nt'}: {' '.join(str(exc).split())}")


def run(engine, text: str, limit: int | None = None, allow_service: bool = False) -> Result:
    """Run one query on an open engine; updates are refused (the data is read-only), and so is
    ``SERVICE`` unless ``allow_service`` (both engines would fetch any URL it names)."""
    if is_update(text):
        raise UserError("SPARQL Update (INSERT, DELETE, LOAD, ...) is not allowed: the data is read-only")
    if not allow_service and uses_service(text):
        raise UserError(NO_SERVICE)
    return engine.query(text, limit)


def query(
    data: str | Path,
    text: str,
    engine: str = "oxigraph",
    limit: int | None = None,
    allow_service: bool = False,
) -> Result:
    """Run the SPARQL query ``text`` over the build in ``data``; see :func:`open_engine` and :func:`run`.

    Examples
    --------
    >>> r = query(OUT, "SELECT (COUNT(*) AS ?n) WHERE { ?s a schema:Organization }")
    >>> r.rows[0][0].value
    '3'
    """
    return run(open_engine(data, engine), text, limit, allow_service)


# ---------------------------------------------------------------- result formats


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clip(text: str, width: int) -> str:
    text = text.replace("\n", " ")
    if _width(text) <= width:
        return text
    out, w = [], 0
    for ch in text:
        cw = _width(ch)
        if w + cw > width - 1:
            break
        out.append(ch)
        w += cw
    return "".join(out) + "…"


def _table(r: Result, max_width: int = 60) -> str:
    if r.kind == "ask":
        return "true\n" if r.boolean else "false\n"
    cells = [[_clip(t.short(), max_width) if t is not None else "" for t in row] for row in r.rows]
    widths = [max([_width(v), *(_width(row[i]) for row in cells)]) for i, v in enumerate(r.vars)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    lines = [line(r.vars), line(["-" * w for w in widths]), *(line(row) for row in cells)]
    n = len(r.rows)
    lines.append(f"({n} row{'s' if n != 1 else ''}{', cut at the row limit' if r.truncated else ''})")
    return "\n".join(lines) + "\n"


def _json_term(t: Term) -> dict:
    d = {"type": t.kind, "value": t.value}
    if t.lang:
        d["xml:lang"] = t.lang
    elif t.datatype:
        d["datatype"] = t.datatype
    return d


def _json(r: Result) -> str:
    if r.kind == "ask":
        return json.dumps({"head": {}, "boolean": r.boolean})
    bindings = [
        {v: _json_term(t) for v, t in zip(r.vars, row, strict=True) if t is not None} for row in r.rows
    ]
    doc = {"head": {"vars": r.vars}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False)


def _xml_term(t: Term) -> str:
    if t.kind == "uri":
        return f"<uri>{escape(t.value)}</uri>"
    if t.kind == "bnode":
        return f"<bnode>{escape(t.value)}</bnode>"
    attr = ""
    if t.lang:
        attr = f" xml:lang={quoteattr(t.lang)}"
    elif t.datatype:
        attr = f" datatype={quoteattr(t.datatype)}"
    return f"<literal{attr}>{escape(t.value)}</literal>"


def _xml(r: Result) -> str:
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    out += [f"<variable name={quoteattr(v)}/>" for v in r.vars]
    out.append("</head>")
    if r.kind == "ask":
        out.append(f"<boolean>{'true' if r.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in r.rows:
            out.append("<result>")
            for v, t in zip(r.vars, row, strict=True):
                if t is not None:
                    out.append(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>")
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def _csv(r: Result) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if r.kind == "ask":
        w.writerows([["boolean"], ["true" if r.boolean else "false"]])
        return buf.getvalue()
    w.writerow(r.vars)
    for row in r.rows:
        w.writerow(["" if t is None else f"_:{t.value}" if t.kind == "bnode" else t.value for t in row])
    return buf.getvalue()


def _tsv(r: Result) -> str:
    if r.kind == "ask":
        return "?boolean\n" + ("true" if r.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in r.vars)]
    lines += ["\t".join("" if t is None else t.n3() for t in row) for row in r.rows]
    return "\n".join(lines) + "\n"


def _rdflib_node(t: Term):
    from rdflib import BNode, Literal, URIRef

    if t.kind == "uri":
        return URIRef(t.value)
    if t.kind == "bnode":
        return BNode(t.value)
    return Literal(t.value, lang=t.lang or None, datatype=URIRef(t.datatype) if t.datatype else None)


def render_graph(r: Result, fmt: str = "turtle") -> str:
    """A graph result (CONSTRUCT, DESCRIBE) in an RDF syntax of :data:`GRAPH_FORMATS`, prefixes bound.

    >>> r = Result("graph", rows=[(Term("uri", "https://newskg.org/id/x"), Term("uri", RDFS_LABEL),
    ...                            Term("literal", "全总", lang="zh"))])
    >>> print(render_graph(r, "nt"), end="")
    <https://newskg.org/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "全总"@zh .
    """
    if fmt == "nt":  # written here: rdflib's writer fails on a lone surrogate a query can make
        return "".join(sorted({" ".join(t.n3() for t in row) + " .\n" for row in r.rows}))
    from rdflib import Graph

    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    for row in r.rows:
        g.add(tuple(_rdflib_node(t) for t in row))
    return g.serialize(format=GRAPH_FORMATS[fmt][1])


def render(r: Result, fmt: str = "table") -> str:
    """Write a result as ``table`` (aligned, for people) or SPARQL ``json``, ``xml``, ``csv``, ``tsv``.

    >>> r = Result("select", ["x"], [(Term("uri", "https://newskg.org/id/org-全总"),)])
    >>> print(render(r, "tsv"), end="")
    ?x
    <https://newskg.org/id/org-全总>
    """
    writers = {"table": _table, "json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}
    if fmt not in writers:
        raise UserError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return writers[fmt](r)
