"""How fast Oxigraph indexes a build's ``graph.nt``: the floor of the RDF writer (issue #21).

A build above ``PERSIST_BYTES`` of N-Triples loads them into the on-disk store ``oxigraph/``
(:func:`newskg.graph.query.sparql.persist_store`: chunks of ``LOAD_CHUNK`` triples, then one
compaction). Here each way of loading runs alone in a fresh process on a copy-free read of the
file, into a scratch store that is deleted after:

- ``build``: ``persist_store`` itself, as a build runs it;
- ``bulk_load``: pyoxigraph's own bulk loader on the whole file (its memory is not bounded);
- ``parse``: only parsing the file into Python quads, the part of ``build`` that is not Oxigraph's
  indexing.

Prints wall and CPU seconds (pyoxigraph indexes on threads, so CPU may exceed wall), the peak RSS
of the process and the triples in the store.

    .venv/bin/python benchmarks/bench_store.py OUT/graph.nt [--ways build,bulk_load,parse] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WAYS = ("build", "bulk_load", "parse")


def load(way: str, nt: Path, db: Path) -> int:
    """Load ``nt`` into a new store at ``db`` the way ``way`` says; the triples it then holds."""
    import pyoxigraph as ox
    from newskg.graph.query.sparql import persist_store

    if way == "parse":
        return sum(1 for _ in ox.parse(path=str(nt), format=ox.RdfFormat.N_TRIPLES))
    if way == "build":
        persist_store(nt, db)
    else:
        store = ox.Store(str(db))
        store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
        store.optimize()
        store.flush()
        del store
    return len(ox.Store.read_only(str(db)))


def run_one(way: str, nt: Path, db: Path) -> dict:
    wall, cpu = time.perf_counter(), time.process_time()
    triples = load(way, nt, db)
    return {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "triples": triples,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("nt", type=Path, help="an N-Triples file (a build's graph.nt)")
    ap.add_argument("--ways", default=",".join(WAYS), help=f"comma-separated, of {', '.join(WAYS)}")
    ap.add_argument("--work", type=Path, help="scratch folder (default: a temporary one, removed after)")
    ap.add_argument("--one", help=argparse.SUPPRESS)  # internal: one way, in this process
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, args.nt, args.work / "store")))
        return 0
    if not args.nt.is_file():
        sys.exit(f"no such file: {args.nt}")
    ways = args.ways.split(",")
    unknown = sorted(set(ways) - set(WAYS))
    if unknown:
        sys.exit(f"unknown way {', '.join(unknown)} (known: {', '.join(WAYS)})")
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-store-"))
    print(
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load avg {os.getloadavg()[0]:.1f}; {args.nt} ({args.nt.stat().st_size:,} bytes)"
    )
    print("| way | wall s | CPU s | peak RSS MiB | triples |\n| --- | ---: | ---: | ---: | ---: |")
    try:
        for way in ways:
            scratch = work / way
            shutil.rmtree(scratch, ignore_errors=True)
            scratch.mkdir(parents=True)
            cmd = [sys.executable, __file__, str(args.nt), "--one", way, "--work", str(scratch)]
            proc = subprocess.run(cmd, capture_output=True, text=True)
            shutil.rmtree(scratch, ignore_errors=True)
            if proc.returncode != 0:
                sys.exit(f"{way} failed: {proc.stderr.strip().splitlines()[-1:]}")
            r = json.loads(proc.stdout.splitlines()[-1])
            cells = (way, f"{r['wall']:.1f}", f"{r['cpu']:.1f}", f"{r['rss_mib']:.0f}", f"{r['triples']:,}")
            print("| " + " | ".join(cells) + " |", flush=True)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
