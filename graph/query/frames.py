"""SPARQL answers as pandas DataFrames: the ready queries of ``queries/`` or any query text."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


XSD = "http://www.w3.org/2001/XMLSchema#"


def run_query(out: str | Path, query: str | Path, **params: str) -> pd.DataFrame:
    """Run a SPARQL query (text, or a ``.rq`` file) over the build in ``out``, as a DataFrame.

    ``params`` replace the defaults of the query's ``VALUES ?name { ... }`` blocks. IRIs come
    back abbreviated (``id:org-全总``), numbers as numbers, other literals as their text.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> nt = '<https://newskg.org/id/org-a> <https://schema.org/name> "全总"@zh .'
    >>> _ = (d / "graph.nt").write_text(nt, "utf-8")
    >>> run_query(d, "SELECT ?org ?name WHERE { ?org schema:name ?name }").values.tolist()
    [['id:org-a', '全总']]
    >>> run_query(OUT, QUERIES / "top_organisations.rq")["name"].tolist()
    ['中华全国总工会', '河南省总工会', '湖北省总工会']
    """
    import pandas as pd
    from newskg.graph.query import sparql as engine

    text = str(query)
    if isinstance(query, Path) or text.endswith(".rq"):
        text = Path(query).read_text("utf-8")
    result = engine.query(out, engine.bind_params(text, params) if params else text)
    if result.kind == "ask":
        return pd.DataFrame({"ask": [result.boolean]})
    rows = [[_python_value(t) for t in row] for row in result.rows]
    return pd.DataFrame(rows, columns=result.vars or ["subject", "predicate", "object"])


_NUMERIC = {"integer": int, "int": int, "long": int, "decimal": float, "double": float, "float": float}


def _python_value(t) -> object:
    if t is None:
        return None
    if t.kind != "literal":
        return t.short()
    convert = _NUMERIC.get(t.datatype.rpartition("#")[2]) if t.datatype.startswith(XSD) else None
    try:
        return convert(t.value) if convert else t.value
    except ValueError:
        return t.value
