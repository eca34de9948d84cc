"""Time and peak memory of each build writer alone, on a finished build's files (issue #21).

The writers are most of a big build, and run two at a time they share the cores, so a whole
build cannot tell which of them changed. Here each writer of ``WRITERS`` (or those named) runs
alone, in a fresh process, on the build's ``graph.sqlite``, ``articles.jsonl``,
``mentions.jsonl`` and ``build-state.json`` linked into ``--work`` (hard links, copies across
filesystems; the build itself is only read), with the options a build gives them (the
overview capped at ``--top``, 5,000 as ``newskg build``).
Prints, for each run: wall and CPU seconds and the peak RSS of the writer's process. With
``--python`` a second interpreter (another checkout's venv) runs each writer too, alternated
with this one, so that a change is compared on the same machine at the same time.

    .venv/bin/python benchmarks/bench_writers.py OUT [--writers write_html,write_rdf] [--runs 2]
        [--work DIR] [--top 5000] [--python OTHER/.venv/bin/python]
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

INPUTS = ("graph.sqlite", "articles.jsonl", "mentions.jsonl", "build-state.json")


def run_one(name: str, work: Path, top: int) -> dict:
    """Run the writer ``name`` on the build files in ``work``; its wall and CPU seconds, peak RSS."""
    from newskg.graph.builddir import BuildDir
    from newskg.graph.building.build import WRITERS
    from newskg.graph.export.graphdb import GraphDB

    (writer,) = [w for w in WRITERS if w.__name__ == name]
    G = GraphDB(BuildDir(work).graphdb)
    options = {"window": "sentence", "min_weight": 1, "top": top, "report": None}
    wall, cpu = time.perf_counter(), time.process_time()
    writer(G, work, options)
    return {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def share(src: Path, dst: Path) -> None:
    """``dst`` a hard link to ``src`` (the writers only read their inputs, and replace files by
    renaming, so the build's own files are never touched), a copy on another filesystem: a
    200,000-article build's inputs are some 10 GB."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy(src, dst)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="a finished build (newskg build --out OUT)")
    ap.add_argument("--writers", help="comma-separated writer names (default: every one of WRITERS)")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--work", type=Path, help="scratch folder (default: a temporary one, removed after)")
    ap.add_argument("--top", type=int, default=5000, help="nodes in the HTML overview (the build's default)")
    ap.add_argument("--python", help="another interpreter to run each writer with as well, alternated")
    ap.add_argument("--one", help=argparse.SUPPRESS)  # internal: run one writer in this process
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, args.out, args.top)))
        return 0

    missing = [f for f in INPUTS[:3] if not (args.out / f).is_file()]
    if missing:
        sys.exit(f"{args.out} is not a finished build: no {', '.join(missing)}")
    from newskg.graph.building.build import WRITERS

    names = args.writers.split(",") if args.writers else [w.__name__ for w in WRITERS]
    unknown = sorted(set(names) - {w.__name__ for w in WRITERS})
    if unknown:
        sys.exit(f"unknown writer {', '.join(unknown)} (known: {', '.join(w.__name__ for w in WRITERS)})")
    pythons = [sys.executable] + ([args.python] if args.python else [])
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-writers-"))
    print(
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load avg {os.getloadavg()[0]:.1f}; build {args.out}"
    )
    print(
        "| writer | python | run | wall s | CPU s | peak RSS MiB |\n| --- | --- | ---: | ---: | ---: | ---: |"
    )
    try:
        for name in names:
            for run in range(1, args.runs + 1):
                for python in pythons:
                    scratch = work / name
                    shutil.rmtree(scratch, ignore_errors=True)
                    scratch.mkdir(parents=True)
                    for f in INPUTS:
                        if (args.out / f).is_file():
                            share(args.out / f, scratch / f)
                    cmd = [python, __file__, str(scratch), "--one", name, "--top", str(args.top)]
                    proc = subprocess.run(cmd, capture_output=True, text=True)
                    if proc.returncode != 0:
                        sys.exit(f"{name} with {python} failed: {proc.stderr.strip().splitlines()[-1:]}")
                    r = json.loads(proc.stdout.splitlines()[-1])
                    cells = (name, python, run, f"{r['wall']:.1f}", f"{r['cpu']:.1f}", f"{r['rss_mib']:.0f}")
                    print("| " + " | ".join(map(str, cells)) + " |", flush=True)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
        else:
            for name in names:
                shutil.rmtree(work / name, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
