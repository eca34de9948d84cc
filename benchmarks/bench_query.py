"""Wall time of one ``newskg query`` call against ``python -c "import pyoxigraph"`` (issue #19).

A query must not load the extraction stack (jieba alone takes 1.7 s to import): the
command should cost little more than starting Python with the SPARQL engine. Both are
timed in the same run, as subprocesses, on the seed build (built first with the CLI
unless ``--data`` names a build). Prints the median and best of ``--runs``.

    .venv/bin/python benchmarks/bench_query.py [--runs 10] [--data OUT] [--query queries/top_organisations.rq]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWSKG = Path(sys.executable).with_name("newskg")


def wall(cmd: list[str], runs: int) -> list[float]:
    """Seconds of wall time of ``cmd`` (output discarded), ``runs`` times; exits on a failure."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            sys.exit(f"{' '.join(cmd)} failed: {proc.stderr.strip()}")
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--data", help="a build directory (default: build seeds/ into a temporary one)")
    ap.add_argument("--query", default="queries/top_organisations.rq")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data or str(Path(tmp) / "out")
        if not args.data:
            subprocess.run([str(NEWSKG), "build", "seeds/", "--out", data, "-q"], cwd=ROOT, check=True)
        rows = [
            (
                f"newskg query {args.query}",
                wall([str(NEWSKG), "query", args.query, "--data", data], args.runs),
            ),
            ('python -c "import pyoxigraph"', wall([sys.executable, "-c", "import pyoxigraph"], args.runs)),
        ]
    machine = platform.processor() or platform.machine()
    print(f"{machine}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print("| command | median s | best s | runs |\n| --- | ---: | ---: | ---: |")
    for name, times in rows:
        print(f"| `{name}` | {statistics.median(times):.3f} | {min(times):.3f} | {len(times)} |")


if __name__ == "__main__":
    main()
