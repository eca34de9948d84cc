"""Wall time of one ``newskg query`` call against ``python -c "import pyoxigraph"`` (issue #19).

A query must not load the extraction stack (jieba alone takes 1.7 s to import): the
command should cost little more than starting Python with the SPARQL engine. Both are
timed in the same run, as subprocesses, on the seed build (built first with the CLI
unless ``--data`` names a build). Prints the median and best of ``--runs``.

    .venv/bin/python benchmarks/bench_query.py [--runs 10] [--data OUT] [--query queries/top_organisations.rq]

With ``--all`` it times instead every ready query of ``queries/`` (issue #21: each under 1 s
at 50,000 articles) on the build's engine (the persistent Oxigraph store
``OUT/oxigraph/`` when the build wrote one), with its default parameters, each query in a
process of its own (opening the store not timed; stopped after ``--timeout`` seconds): its
rows and the median and best of ``--runs`` runs.

    .venv/bin/python benchmarks/bench_query.py --all --data OUT [--runs 3] [--queries DIR] [--timeout 120]
"""

from __future__ import annotations

import argparse
import json
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


_ONE_QUERY = """
import json, sys, time
from pathlib import Path
from newskg.graph.query import sparql
data, path, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
engine = sparql.open_engine(data)
text = Path(path).read_text("utf-8")
times = []
for _ in range(runs):
    t = time.perf_counter()
    rows = len(sparql.run(engine, text).rows)
    times.append(time.perf_counter() - t)
print(json.dumps({"rows": rows, "times": times}))
"""


def all_queries(data: str, runs: int, folder: Path, timeout: float) -> None:
    """Print a table of every ``*.rq`` of ``folder`` on the build ``data``: each query in a process
    of its own (the engine opened first, not timed), stopped after ``timeout`` seconds."""
    store = "store oxigraph/" if (Path(data) / "oxigraph").is_dir() else "graph.nt in memory"
    machine = platform.processor() or platform.machine()
    print(f"{machine}, {os.cpu_count()} cores, Python {platform.python_version()}; {store}; {folder}")
    print("| query | rows | median ms | best ms | runs |\n| --- | ---: | ---: | ---: | ---: |")
    for path in sorted(folder.glob("*.rq")):
        cmd = [sys.executable, "-c", _ONE_QUERY, data, str(path), str(runs)]
        try:
            proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=True)
        except subprocess.TimeoutExpired:
            print(f"| `{path.name}` | | > {timeout * 1000:.0f} (stopped) | | 1 |", flush=True)
            continue
        res = json.loads(proc.stdout)
        median, best = statistics.median(res["times"]) * 1000, min(res["times"]) * 1000
        print(f"| `{path.name}` | {res['rows']} | {median:.1f} | {best:.1f} | {runs} |", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--data", help="a build directory (default: build seeds/ into a temporary one)")
    ap.add_argument("--query", default="queries/top_organisations.rq")
    ap.add_argument("--all", action="store_true", help="time every queries/*.rq on --data")
    ap.add_argument("--queries", default=str(ROOT / "queries"), help="with --all: the folder of .rq files")
    ap.add_argument(
        "--timeout", type=float, default=120, help="with --all: seconds before a query is stopped"
    )
    args = ap.parse_args()
    if args.all:
        if not args.data:
            sys.exit("--all needs --data OUT (a build)")
        all_queries(args.data, args.runs, Path(args.queries), args.timeout)
        return
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
