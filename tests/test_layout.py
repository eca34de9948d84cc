"""The floor plan (issue #23): one installed package, stages without import cycles, no reach into
another module's private names, no word list in Python source."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT

PACKAGES = {"extract": "newskg.extract", "graph": "newskg.graph"}


def _modules() -> dict[str, Path]:
    out = {}
    for folder, name in PACKAGES.items():
        for p in (ROOT / folder).rglob("*.py"):
            rel = p.relative_to(ROOT / folder).with_suffix("").parts
            parts = [name, *rel[:-1]] + ([] if rel[-1] == "__init__" else [rel[-1]])
            out[".".join(parts)] = p
    return out


def _imports(mods: dict[str, Path]) -> tuple[dict[str, set[str]], list[tuple[str, str]]]:
    """Each module's newskg imports (anywhere in it, functions too), and private names imported."""
    edges: dict[str, set[str]] = {m: set() for m in mods}
    private = []
    for m, p in mods.items():
        for node in ast.walk(ast.parse(p.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("newskg"):
                for a in node.names:
                    full = f"{node.module}.{a.name}"
                    target = full if full in mods else node.module
                    if target in mods and target != m:
                        edges[m].add(target)
                    if a.name.startswith("_") and full not in mods and node.module != m:
                        private.append((m, full))
    return edges, private


def _cycle(edges: dict[str, set[str]]) -> list[str]:
    """One import cycle (as a path), or [] (depth-first search, colours)."""
    colour: dict[str, int] = {}
    stack: list[str] = []

    def visit(v: str) -> list[str]:
        colour[v] = 1
        stack.append(v)
        for w in sorted(edges[v]):
            if colour.get(w) == 1:
                return stack[stack.index(w) :] + [w]
            if w not in colour and (found := visit(w)):
                return found
        stack.pop()
        colour[v] = 2
        return []

    for v in sorted(edges):
        if v not in colour and (found := visit(v)):
            return found
    return []


def test_the_import_graph_has_no_cycle_and_no_private_name_crosses_a_module():
    edges, private = _imports(_modules())
    assert sum(map(len, edges.values())) > 100  # the scan sees the imports
    assert _cycle(edges) == []
    assert private == []


def test_the_cycle_check_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _word_lists(path: Path) -> list[int]:
    """Lines of module-level sets, lists or tuples of three or more Chinese words, or of
    ``frozenset("...")`` of Chinese characters: word lists, which belong in extract/data/."""
    out = []
    for node in ast.parse(path.read_text("utf-8")).body:
        value = getattr(node, "value", None)
        if (
            isinstance(value, ast.Call)
            and getattr(value.func, "id", "") in ("set", "frozenset")
            and value.args
        ):
            value = value.args[0]
            if (
                isinstance(value, ast.Constant)
                and isinstance(value.value, str)
                and len(_CJK.findall(value.value)) >= 3
            ):
                out.append(node.lineno)
                continue
        if isinstance(value, (ast.Set, ast.List, ast.Tuple)):
            words = [e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if sum(1 for w in words if _CJK.search(w) and not re.search(r"[(){}|?*+\\]", w)) >= 3:
                out.append(node.lineno)
    return out


def test_no_word_list_in_the_recognisers_python_source():
    found = {str(p.relative_to(ROOT)): n for p in (ROOT / "extract").rglob("*.py") if (n := _word_lists(p))}
    assert found == {}


def test_the_word_list_check_finds_one(tmp_path):
    src = tmp_path / "m.py"
    src.write_text(
        '_SAY = frozenset(["说", "表示", "指出"])\n_CHARS = frozenset("的了在")\nX = ("a", "b")\n', "utf-8"
    )
    assert _word_lists(src) == [1, 2]


def test_the_wheel_installs_only_newskg_with_its_data(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("newskg-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"newskg", f"newskg-{importlib.metadata.version('newskg')}.dist-info"}
    for data in (
        "newskg/extract/data/ner.crfsuite",
        "newskg/extract/data/people_rules.txt",
        "newskg/graph/export/ontology.ttl",
        "newskg/graph/export/templates/entity.html",
        "newskg/graph/building/division_points.csv",
    ):
        assert data in names
