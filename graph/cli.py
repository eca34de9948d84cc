"""The ``newskg`` command line: a thin shell over :mod:`graph` and :mod:`extract`.

Every subcommand calls one function of the Python API. User errors print one
line and exit 2; ``--verbose`` adds details and tracebacks.
"""

from __future__ import annotations

import argparse
import errno
import heapq
import shutil
import sqlite3
import sys
import traceback
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from newskg.extract.errors import Report, UserError
from newskg.extract.records import ENTITY_TYPES


class _Version(argparse.Action):
    """``--version``: the installed package's version, looked up only when asked."""

    def __init__(self, option_strings, dest, **kw) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print newskg's version and exit")

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        from importlib.metadata import version

        print(f"newskg {version('newskg')}")
        parser.exit()


# newskg train's inputs and output, relative to the project root: the public corpora sit
# beside the checkout in ../shared/ner/, and the model ships in extract/data/.
DEFAULT_NEWS = Path("../shared/ner/news_ner_train.jsonl")
DEFAULT_CLUENER = Path("../shared/ner/cluener_train.jsonl")
DEFAULT_DEV = Path("../shared/benchmarks/news_ner_dev.jsonl")
DEFAULT_MODEL = Path("extract/data/ner.crfsuite")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no usage dump
        raise UserError(message)


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("-q", "--quiet", action="store_true", help="no progress or summary (warnings still show)")
    p.add_argument("-v", "--verbose", action="store_true", help="show details and tracebacks")


def _types(value: str) -> list[str]:
    types = [t.strip().upper() for t in value.split(",") if t.strip()]
    bad = [t for t in types if t not in ENTITY_TYPES]
    if bad:
        raise argparse.ArgumentTypeError(f"unknown type {bad[0]!r}: use {', '.join(ENTITY_TYPES)}")
    return types


def _names(value: str) -> list[str]:
    return [n.strip().lower() for n in value.split(",") if n.strip()]


def _disk_full(exc: BaseException, out: str) -> bool:
    """True for the error of a full disk (or quota) under ``out``: the OS's, or SQLite's for the cache.

    SQLite reports a file it could not grow as a "disk I/O error": that is a full disk when
    the file system of ``out`` has (almost) no room left.
    """
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    name = getattr(exc, "sqlite_errorname", "")
    if name == "SQLITE_FULL":
        return True
    where = next((p for p in Path(out).resolve().parents if p.is_dir()), Path("/"))
    return name.startswith("SQLITE_IOERR") and shutil.disk_usage(where).free < 1 << 20


def _no_space(out: str, kept: str) -> int:
    print(f"newskg: error: no space left on device while writing {out}; {kept}", file=sys.stderr)
    return 1


def cmd_build(args: argparse.Namespace) -> int:
    """``newskg build PATHS... --out DIR``."""
    from newskg.extract.ingestion.dates import DateOptions, option_date, read_sidecar
    from newskg.graph.builddir import BuildDir
    from newskg.graph.building.build import NothingRead, StrictFailure, build
    from newskg.graph.export.graphdb import GraphDB
    from newskg.graph.export.html import OVERVIEW_MAX

    report = Report(echo=True)  # -q hides progress and the summary, never warnings
    options = {
        "window": args.window,
        "min_weight": args.min_weight,
        "types": args.types,
        "evidence": args.evidence,
        "top": OVERVIEW_MAX if args.top is None else args.top,
        "report": report,
        "progress": not args.quiet,
        "jobs": args.jobs,
        "without": args.without,
        "dates": DateOptions(
            option_date(args.date) if args.date else "", read_sidecar(args.dates) if args.dates else {}
        ),
    }
    if args.update:
        for flag, given in (("--dask-scheduler", args.dask_scheduler), ("--no-cache", args.no_cache)):
            if given:
                raise UserError(f"--update extracts on this machine with OUT's cache: drop {flag}")
        if args.strict:
            raise UserError("--update changes OUT in place, so --strict cannot leave it as it was: drop one")
        from newskg.graph.building.update import CannotUpdate, update

        try:
            done = update(args.paths, args.out, **options)
        except CannotUpdate as exc:
            print(f"newskg: cannot update in place ({exc}): building {args.out} in full", file=sys.stderr)
        except Exception as exc:
            if not _disk_full(exc, args.out):
                raise
            return _no_space(args.out, "run the update again when there is room (it starts afresh)")
        else:
            if not args.quiet:
                print(update_summary(done, report, Path(args.out)))
            return 0
    try:
        build(
            args.paths,
            args.out,
            **options,
            dask_scheduler=args.dask_scheduler,
            cache=not args.no_cache,
            strict=args.strict,
            graph=False,  # the summary reads OUT/graph.sqlite: the graph is never held whole
        )
    except (
        StrictFailure,
        NothingRead,
    ) as exc:  # warnings with --strict, or no article: exit 1, OUT untouched
        print(f"newskg: error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        if not _disk_full(exc, args.out):
            raise
        return _no_space(args.out, "the previous build is untouched")
    if not args.quiet:
        G = GraphDB(BuildDir(args.out).graphdb)
        print(summary(G, report, Path(args.out)))
        G.close()
    return 0


def update_summary(done, report: Report, out: Path) -> str:
    """A short human summary of ``newskg build --update``."""
    c = report.counts
    if not done.files:
        return f"{out}: nothing to add (no files after the build's own)"
    return "\n".join(
        [
            f"added {done.articles} articles from {done.files} files to {out} in place"
            f" ({c['articles']} articles in all); warnings: {len(report.messages)}",
            f"extraction: {c['extracted']} articles extracted, {c['cache_hits']} from the cache",
            f"rewrote the pages of the {done.pages} entities they mention (entities/)",
            f"the whole-graph exports are stale ({out}/STALE.txt) until newskg refresh {out};"
            " newskg query and serve refuse them until then",
        ]
    )


def cmd_refresh(args: argparse.Namespace) -> int:
    """``newskg refresh OUT``: rewrite the exports of a build from its saved state."""
    from newskg.graph.builddir import BuildDir
    from newskg.graph.building.update import refresh
    from newskg.graph.export.graphdb import GraphDB

    try:
        refresh(args.out, jobs=args.jobs, progress=not args.quiet, graph=False)
    except Exception as exc:
        if not _disk_full(exc, args.out):
            raise
        return _no_space(args.out, "the previous build is untouched")
    if not args.quiet:
        G = GraphDB(BuildDir(args.out).graphdb)
        print(f"refreshed {args.out}: {len(G)} entities, {G.number_of_edges()} edges")
        G.close()
    return 0


EDGE_KINDS = ("co_mention", "contained_in", "located_in", "affiliated_with", "reported")


def paragraph_summary(c: Counter) -> str:
    """Where the paragraphs of the pages went: every one is in an article's text unless counted here.

    >>> line = paragraph_summary(Counter(paragraphs=9, title_lines=2, byline_lines=1))
    >>> line.startswith("paragraphs: 9 read; not in an article's text: 2 title lines, 1 byline lines")
    True
    """
    line = (
        f"paragraphs: {c['paragraphs']} read; not in an article's text: {c['title_lines']} title lines,"
        f" {c['byline_lines']} byline lines, {c['headline_lines_dropped']} headline-list lines"
    )
    if c["date_lines"]:
        line += f", {c['date_lines']} date lines (the page's date)"
    if c["lines_in_no_article"]:
        line += f", {c['lines_in_no_article']} lines with no text under them"
    return line + f"; {c['duplicate_passages']} duplicate passages counted once"


def summary(G, report: Report, out: Path) -> str:
    """A short human summary of a build: counts, top entities, files written."""
    c = report.counts
    types = Counter(d["type"] for _, d in G.nodes(data=True))
    kinds = Counter(d["kind"] for _, _, d in G.edges(data=True))
    lines = [
        f"articles: {c['articles']} ({c['duplicates']} near-duplicates counted once)"
        f" from {c['files']} files; skipped files: {c['skipped_files']}; warnings: {len(report.messages)}",
        paragraph_summary(c),
        "entities: " + ", ".join(f"{t} {types.get(t, 0)}" for t in ENTITY_TYPES),
        "edges: " + ", ".join(f"{k} {kinds.get(k, 0)}" for k in EDGE_KINDS),
    ]
    if c["extracted"] or c["cache_hits"]:
        lines.append(f"extraction: {c['extracted']} articles extracted, {c['cache_hits']} from the cache")
    merged = {k[len("merged_") :]: v for k, v in c.items() if k.startswith("merged_")}
    if merged:
        lines.append("merged mentions by rule: " + ", ".join(f"{k} {v}" for k, v in sorted(merged.items())))
    dropped = {k[len("unresolved_") :]: v for k, v in c.items() if k.startswith("unresolved_")}
    if dropped:
        lines.append("unresolved, dropped: " + ", ".join(f"{k} {v}" for k, v in sorted(dropped.items())))
    top = heapq.nsmallest(10, G.nodes(data=True), key=lambda nd: -nd[1].get("pagerank", 0))
    lines.append("top entities: " + "，".join(f"{d['label']}({d['type']})" for _, d in top))
    files = sorted(p.name for p in out.iterdir()) if out.is_dir() else []
    lines.append(f"wrote {out}/: " + " ".join(files))
    return "\n".join(lines)


def cmd_query(args: argparse.Namespace) -> int:
    """``newskg query QUERY.rq | -e SPARQL [--data DIR] [--format table|csv|json|tsv|xml]``."""
    from newskg.graph.query import sparql

    if (args.file is None) == (args.expr is None):
        raise UserError("give either a query file or -e 'SPARQL' (one of them)")
    if args.expr is not None:
        text, where = args.expr, "-e"
    else:
        path = Path(args.file)
        if not path.is_file():
            raise UserError(f"no such query file: {path}")
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UserError(f"{path} is not UTF-8 text") from None
        where = str(path)
    params = {}
    for item in args.param:
        name, sep, value = item.partition("=")
        if not sep or not name.strip("?$"):
            raise UserError(f"--param takes NAME=VALUE, not {item!r}")
        params[name.strip("?$")] = value
    text = sparql.bind_params(text, params)
    engine = sparql.open_engine(args.data, args.engine)
    try:
        result = sparql.run(engine, text, limit=args.limit, allow_service=args.allow_service)
    except sparql.QuerySyntaxError as exc:
        raise UserError(f"malformed query ({where}): {exc}") from None
    sys.stdout.write(sparql.render(result, args.format))
    if hint := sparql.language_hint(engine, text, result):
        print(f"newskg: {hint}", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """``newskg serve --data DIR [--host 127.0.0.1] [--port 8000]``: the SPARQL endpoint and HTML views."""
    from newskg.graph.query.serve import make_server, serve

    server = make_server(
        args.data,
        args.host,
        args.port,
        engine=args.engine,
        workers=args.workers,
        timeout=args.timeout,
        max_rows=args.max_rows,
        max_body=args.max_body,
        quiet=args.quiet,
        allow_hosts=args.allow_host,
    )
    host, port = server.server_address[:2]
    if host not in ("127.0.0.1", "::1", "localhost"):
        print(f"warning: listening on {host}, reachable from other machines", file=sys.stderr)
    print(f"newskg: serving {args.data} at http://{host}:{port}/sparql (views at http://{host}:{port}/)")
    print("newskg: press Ctrl-C to stop", flush=True)
    serve(server)
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    """``newskg extract PATHS... -o FILE`` or ``--jsonl FILE -o OUT``: mentions as JSON Lines."""
    from newskg.extract.mentions import extract_jsonl, extract_paths, write_jsonl

    if bool(args.paths) == bool(args.jsonl):
        raise UserError("give either PATHS or --jsonl FILE (one of them)")
    report = Report(echo=True)
    records = extract_jsonl(args.jsonl) if args.jsonl else extract_paths(args.paths, report=report)
    n = write_jsonl(records, args.out)
    if not args.quiet:
        print(f"wrote {n} records to {args.out}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    """``newskg eval GOLD.jsonl``: precision, recall and F1 of the recogniser, and its speed."""
    from newskg.extract.recognition.evaluate import load_gold, report, score, systems, tagger

    if args.model:
        _check_model(args.model)
    print(report(score(load_gold(args.gold), tagger(systems(args.model or "")[args.system]))))
    return 0


def _check_model(path: str) -> None:
    if not Path(path).is_file():
        raise UserError(f"no model file at {path}")


def cmd_train(args: argparse.Namespace) -> int:
    """``newskg train``: train the tagger on the public corpora and print its held-out scores."""
    from newskg.extract.recognition import train

    for path in (args.news, args.cluener):
        if path and not Path(path).is_file():
            raise UserError(f"no training file at {path} (the corpora are in ../shared/ner/)")
    dev = DEFAULT_DEV if DEFAULT_DEV.is_file() else None
    train.main(Path(args.news), Path(args.cluener) if args.cluener else None, Path(args.model), dev)
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="newskg", description="Turn Chinese news into a knowledge graph.")
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    b = sub.add_parser("build", help="build the graph, tables, RDF and HTML of some articles")
    b.add_argument("paths", nargs="+", help="files, directories or globs (.txt, .md, .jsonl)")
    b.add_argument("-o", "--out", required=True, help="output directory (replaced atomically)")
    b.add_argument("--window", default="sentence", choices=["sentence", "paragraph", "article"])
    b.add_argument("--min-weight", type=int, default=1, help="drop co-mention edges seen fewer times")
    b.add_argument("--types", type=_types, default=None, help="keep only these types, e.g. ORG,PERSON")
    b.add_argument("--evidence", type=int, default=3, help="evidence sentences kept per edge")
    b.add_argument("--top", type=int, help="nodes (highest PageRank) in the HTML overview (default 5,000)")
    b.add_argument("--strict", action="store_true", help="exit 1 on any warning, leaving OUT as it was")
    b.add_argument("--date", metavar="YYYY-MM-DD", help="publication date of files that give none themselves")
    b.add_argument("--dates", metavar="FILE.csv", help="a table of columns file,date: each file's date")
    b.add_argument("-j", "--jobs", type=int, default=1, help="extraction processes (default 1)")
    b.add_argument(
        "--without",
        type=_names,
        default=[],
        metavar="rdf,html",
        help="leave these outputs out: rdf (graph.nt/.ttl/.jsonld, the store), html (graph.html, pages)",
    )
    b.add_argument("--dask-scheduler", metavar="tcp://HOST:PORT", help="extract on this Dask cluster")
    b.add_argument(
        "--no-cache", action="store_true", help="re-extract every article, ignoring OUT/cache.sqlite"
    )
    b.add_argument(
        "--update",
        action="store_true",
        help="add the files after OUT's own to it in place; the whole-graph exports wait for newskg refresh",
    )
    _add_common(b)
    b.set_defaults(func=cmd_build)

    r = sub.add_parser("refresh", help="rewrite a build's exports after newskg build --update")
    r.add_argument("out", help="build directory")
    r.add_argument("-j", "--jobs", type=int, default=1, help="writer processes (default 1)")
    _add_common(r)
    r.set_defaults(func=cmd_refresh)

    q = sub.add_parser("query", help="run a SPARQL query over a build")
    q.add_argument("file", nargs="?", help="a .rq file (see queries/)")
    q.add_argument("-e", "--expr", metavar="SPARQL", help="the query text itself")
    q.add_argument("--data", default="out", help="build directory (default: out)")
    q.add_argument("--format", default="table", choices=["table", "csv", "json", "tsv", "xml"])
    q.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="set VALUES ?NAME")
    q.add_argument("--engine", default="oxigraph", choices=["oxigraph", "rdflib"])
    q.add_argument("--limit", type=int, default=None, help="print at most this many rows")
    q.add_argument(
        "--allow-service", action="store_true", help="let SERVICE fetch the URLs it names (refused otherwise)"
    )
    _add_common(q)
    q.set_defaults(func=cmd_query)

    s = sub.add_parser("serve", help="SPARQL endpoint and HTML views of a build")
    s.add_argument("--data", default="out", help="build directory (default: out)")
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default: this machine only)")
    s.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    s.add_argument("--engine", default="oxigraph", choices=["oxigraph", "rdflib"])
    s.add_argument("--timeout", type=float, default=10.0, help="seconds a query may run (default 10)")
    s.add_argument("--max-rows", type=int, default=10_000, help="result rows returned at most")
    s.add_argument("--max-body", type=int, default=1_000_000, help="largest POST body in bytes")
    s.add_argument("--workers", type=int, default=2, help="query worker processes (default 2)")
    s.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer requests whose Host header is NAME (default: the bound address only)",
    )
    _add_common(s)
    s.set_defaults(func=cmd_serve)

    x = sub.add_parser("extract", help="recognised and resolved mentions of articles, as JSON Lines")
    x.add_argument("paths", nargs="*", help="files, directories or globs (.txt, .md, .jsonl)")
    x.add_argument("--jsonl", help='read lines {"id", "text"}; offsets index that exact text')
    x.add_argument("-o", "--out", required=True, help="output JSON Lines file")
    _add_common(x)
    x.set_defaults(func=cmd_extract)

    e = sub.add_parser("eval", help="score entity recognition on a gold JSON Lines file")
    e.add_argument("gold", help='gold file: lines {"id", "text", "entities": [{"start", "end", "type"}]}')
    e.add_argument(
        "--system",
        default="newskg",
        choices=["newskg", "tagger", "rules"],
        help="newskg (the tagger over the rules' hints, default), the tagger alone, or the rules alone",
    )
    e.add_argument("--model", help="a tagger model file (default: the one shipped in the package)")
    _add_common(e)
    e.set_defaults(func=cmd_eval)

    t = sub.add_parser("train", help="train the entity tagger on the public corpora (make model)")
    t.add_argument("--news", default=str(DEFAULT_NEWS), help=f"news NER corpus (default {DEFAULT_NEWS})")
    t.add_argument("--cluener", default=str(DEFAULT_CLUENER), help="CLUENER corpus ('' to leave it out)")
    t.add_argument("--model", default=str(DEFAULT_MODEL), help="model file to write")
    _add_common(t)
    t.set_defaults(func=cmd_train)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    verbose = "-v" in argv or "--verbose" in argv
    try:
        args = make_parser().parse_args(argv)
        return args.func(args)
    except UserError as exc:
        print(f"newskg: error: {exc}", file=sys.stderr)
        if verbose:
            traceback.print_exc()
        return 2
    except KeyboardInterrupt:
        print("newskg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: one line unless --verbose
        print(
            f"newskg: internal error: {type(exc).__name__}: {exc} (rerun with --verbose for details)",
            file=sys.stderr,
        )
        if verbose:
            traceback.print_exc()
        return 1


if __name__ == "__main__":
    sys.exit(main())
