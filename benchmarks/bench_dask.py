"""``newskg build --dask-scheduler`` on a local cluster of worker processes against ``--jobs N`` (issue #21).

On a generated corpus (:mod:`make_corpus`, seed 1), two clean builds into fresh outputs:
``newskg build CORPUS --jobs N`` and ``newskg build CORPUS --dask-scheduler ADDR`` on a
``dask.distributed.LocalCluster(n_workers=N, processes=True, threads_per_worker=1)`` started
here (its start-up not counted). Prints the seconds of the whole command, of its extraction
(ingest, extraction, aggregation: up to the ``graph of ... entities`` line) and characters of
article text per second of each, and whether every file of the two outputs is the same.

    python benchmarks/bench_dask.py [--articles 1000] [--workers 2] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWSKG = Path(sys.executable).with_name("newskg")


def timed_build(corpus: Path, out: Path, *extra: str) -> tuple[float, float]:
    """Seconds of the whole ``newskg build``, and of its extraction (from its progress lines)."""
    start = time.perf_counter()
    proc = subprocess.run(
        [str(NEWSKG), "build", str(corpus), "--out", str(out), *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"newskg build {' '.join(extra)} failed:\n{proc.stderr[-2000:]}")
    found = re.findall(r"graph of [\d,]+ entities \[([\d.]+) s\]", proc.stderr.replace("\r", "\n"))
    return seconds, float(found[-1]) if found else float("nan")


def same_files(a: Path, b: Path) -> list[str]:
    """The relative paths whose bytes differ (or that one side lacks)."""
    files = {str(p.relative_to(a)) for p in a.rglob("*") if p.is_file()}
    files |= {str(p.relative_to(b)) for p in b.rglob("*") if p.is_file()}
    return sorted(
        f
        for f in files
        if not ((a / f).is_file() and (b / f).is_file() and (a / f).read_bytes() == (b / f).read_bytes())
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--work", help="a directory for the corpus and the outputs (default: a temporary one)")
    args = ap.parse_args()
    from distributed import LocalCluster

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.work or tmp)
        corpus = work / f"corpus-{args.articles}"
        if not corpus.is_dir():
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "benchmarks" / "make_corpus.py"),
                    str(args.articles),
                    "--out",
                    str(corpus),
                    "--seed",
                    "1",
                ],
                check=True,
                capture_output=True,
            )
        chars = sum(
            len(json.loads(line)["text"])
            for f in sorted(corpus.glob("*.jsonl"))
            for line in f.open(encoding="utf-8")
        )
        rows = [
            (
                f"`--jobs {args.workers}`",
                *timed_build(corpus, work / "local", "--jobs", str(args.workers)),
            )
        ]
        with LocalCluster(
            n_workers=args.workers,
            processes=True,
            threads_per_worker=1,
            protocol="tcp",
            dashboard_address=None,
        ) as cluster:
            rows.append(
                (
                    f"`--dask-scheduler`, LocalCluster of {args.workers} worker processes",
                    *timed_build(corpus, work / "dask", "--dask-scheduler", cluster.scheduler_address),
                )
            )
        differ = same_files(work / "local", work / "dask")
    machine = platform.processor() or platform.machine()
    python = platform.python_version()
    print(f"{args.articles:,} articles, {chars:,} chars; {machine}, {os.cpu_count()} cores, Python {python}")
    print("| extraction on | build s | extraction s | build chars/s | extraction chars/s |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, whole, extract in rows:
        print(f"| {name} | {whole:.1f} | {extract:.1f} | {chars / whole:,.0f} | {chars / extract:,.0f} |")
    print("files that differ:", ", ".join(differ) or "none")


if __name__ == "__main__":
    main()
