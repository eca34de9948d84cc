"""The analysis notebooks run top to bottom on a real kernel, and the API behind them (issue #9)."""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib
import nbformat
import pytest
from conftest import ROOT
from nbclient import NotebookClient
from newskg import graph
from newskg.extract.errors import UserError

matplotlib.use("Agg")

NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))


@pytest.fixture(scope="module")
def fresh_out(tmp_path_factory) -> Path:
    """A build directory that does not exist yet: the first notebook to run builds ``seeds/`` there."""
    return tmp_path_factory.mktemp("notebooks") / "out"


@pytest.fixture(scope="module")
def executed(fresh_out):
    """``executed(name)``: the notebook run once, by the venv's python3 kernel, on ``fresh_out``."""
    import matplotlib.font_manager  # noqa: F401  builds matplotlib's font cache here, not on a kernel's stderr

    done: dict[str, nbformat.NotebookNode] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWSKG_OUT", str(fresh_out))
        # The venv's kernelspec first, so the kernel is this interpreter, not another python3.
        mp.setenv("JUPYTER_PATH", str(Path(sys.prefix) / "share" / "jupyter"))

        def run(name: str) -> nbformat.NotebookNode:
            if name not in done:
                nb = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
                cwd = {"metadata": {"path": str(NOTEBOOK_DIR)}}  # where Jupyter would start the kernel
                client = NotebookClient(nb, kernel_name="python3", timeout=180, resources=cwd)
                client.execute()  # raises CellExecutionError on the first failing cell
                done[name] = nb
            return done[name]

        yield run


def _outputs(nb, output_type: str | None = None):
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if output_type is None or out.output_type == output_type:
                yield cell, out


def test_there_are_the_two_notebooks():
    assert [p.name for p in NOTEBOOKS] == ["01_explore.ipynb", "02_sparql.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_notebooks_have_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], cell.source[:80]
            assert cell.execution_count is None, cell.source[:80]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_top_to_bottom_without_errors_or_warnings(executed, path):
    nb = executed(path.name)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code)
    assert not list(_outputs(nb, "error"))
    stderr = [out.text for _, out in _outputs(nb, "stream") if out.name == "stderr"]
    assert stderr == []


def test_explore_tables_plots_and_offline_community_view(executed, fresh_out):
    nb = executed("01_explore.ipynb")
    first = next(out.text for _, out in _outputs(nb, "stream"))
    assert first.startswith(f"{fresh_out}: ")  # found through $NEWSKG_OUT
    assert len([out for _, out in _outputs(nb) if "image/png" in out.get("data", {})]) >= 4
    html_outputs = [out.data["text/html"] for _, out in _outputs(nb) if "text/html" in out.get("data", {})]
    assert any("<th>PERSON</th>" in h for h in html_outputs)  # entities per type
    views = [h for h in html_outputs if h.startswith("<iframe srcdoc=")]
    assert len(views) == 1
    document = html.unescape(views[0])
    assert "new vis.Network" in document
    assert not re.search(r'(src|href)="https?:', document)  # nothing fetched from a CDN


def test_sparql_notebook_runs_every_query_and_agrees_with_networkx(executed):
    nb = executed("02_sparql.ipynb")
    data = [out.get("data", {}) for _, out in _outputs(nb)]
    markdown = [d["text/markdown"] for d in data if "text/markdown" in d]
    ran = {m.split("**")[1] for m in markdown if m.startswith("**") and ".rq**" in m}
    assert ran == {p.name for p in (ROOT / "queries").glob("*.rq")}
    text = "".join(out.text for _, out in _outputs(nb, "stream"))
    assert "identical" in text


def test_notebooks_build_the_seeds_when_no_graph_is_there(executed, fresh_out):
    executed("01_explore.ipynb")
    assert (fresh_out / "graph.graphml").is_file()
    assert (fresh_out / "graph.nt").is_file()


def test_run_query_returns_numbers_as_numbers(executed, fresh_out):
    executed("01_explore.ipynb")
    df = graph.run_query(fresh_out, ROOT / "queries" / "top_organisations.rq")
    assert list(df.columns) == ["org", "name", "partners", "weight", "pagerank"]
    assert df["partners"].dtype.kind == "i" and df["pagerank"].dtype.kind == "f"
    assert df["org"].str.startswith("id:org-").all()


def test_find_build_honours_newskg_out(executed, fresh_out, monkeypatch):
    executed("01_explore.ipynb")
    monkeypatch.setenv("NEWSKG_OUT", str(fresh_out))
    assert graph.find_build() == fresh_out


def test_chinese_font_falls_back_to_none_and_numbered_labels():
    dejavu = next(Path(matplotlib.get_data_path()).glob("fonts/ttf/DejaVuSans.ttf"))
    before = list(matplotlib.rcParams["font.sans-serif"])
    assert graph.chinese_font(fonts=[dejavu]) is None
    assert graph.chinese_font(fonts=[]) is None
    assert matplotlib.rcParams["font.sans-serif"] == before
    labels = graph.plot_labels(["中华全国总工会", "湖北省"], None)
    assert labels == ["#1", "#2"]
    import matplotlib.pyplot as plt

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph would warn
        fig, ax = plt.subplots()
        with matplotlib.rc_context({"font.family": "DejaVu Sans"}):
            ax.barh(labels, [2, 1])
            fig.savefig(io.BytesIO(), format="png")
        plt.close(fig)


@pytest.mark.skipif(not shutil.which("fc-list"), reason="fontconfig is not installed")
def test_chinese_font_is_found_through_fontconfig():
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    if not listed.strip():
        pytest.skip("no font with Chinese glyphs installed (.ci/run installs fonts-wqy-microhei)")
    name = graph.chinese_font()
    assert name and name in listed
    assert matplotlib.rcParams["font.sans-serif"][0] == name


def test_find_build_never_builds_over_a_directory_of_other_files(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", "utf-8")
    with pytest.raises(UserError, match="is not a newskg build and not empty"):
        graph.find_build(tmp_path)
    assert (tmp_path / "notes.txt").read_text("utf-8") == "mine"
