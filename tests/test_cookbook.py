"""The README's analyst cookbook, run against a release built here: each library's
answers to the six questions, compared with what the release holds."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from csedata import publish
from csedata.validation import Validated

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def _block(library: str) -> str:
    found = re.search(rf"<!-- cookbook: {library} -->\n```\w+\n(.*?)```", README, re.DOTALL)
    assert found, f"no {library} cookbook in README.md"
    return found.group(1)


@pytest.fixture(scope="module")
def folder(
    tmp_path_factory: pytest.TempPathFactory,
    built_frames: dict[str, pd.DataFrame],
    validate: Callable[[dict[str, pd.DataFrame]], Validated],
) -> Path:
    root = tmp_path_factory.mktemp("cookbook")
    frames = {name: df.copy() for name, df in built_frames.items()}
    return publish.publish(root, validate(frames), None).path


def _python(library: str, folder: Path) -> dict[str, Any]:
    """The snippet as written, run from the project root: it reads processed/LATEST."""
    scope: dict[str, Any] = {}
    with contextlib.chdir(folder.parent.parent):
        exec(compile(_block(library), f"README.md ({library} cookbook)", "exec"), scope)
    return {
        q: pd.DataFrame(scope[q].to_dict()) if library == "polars" else scope[q] for q in "abcdef"
    }


def _duckdb(folder: Path) -> dict[str, Any]:
    con = duckdb.connect()
    con.execute(f"SET file_search_path = '{folder}'")
    con.execute((folder / "views.sql").read_text())
    queries = [q for q in re.split(r";\s*\n", _block("duckdb")) if q.strip("; \n")]
    queries = [re.sub(r"^--.*\n", "", q, flags=re.MULTILINE).strip() for q in queries]
    assert len(queries) == 6
    return {q: con.execute(sql).df() for q, sql in zip("abcdef", queries, strict=True)}


@pytest.mark.parametrize("library", ["pandas", "polars", "duckdb"])
def test_cookbook_answers(folder: Path, library: str) -> None:
    got = _duckdb(folder) if library == "duckdb" else _python(library, folder)
    obs = pd.read_parquet(folder / "observations.parquet")
    assert got["a"]["value"].tolist() == [47.1]
    assert list(zip(got["b"]["period"], got["b"]["value"], strict=True)) == [
        ("FY2005", 98.0),
        ("FY2019", 512.0),
    ]
    assert (got["b"]["n_sources"] == 2).all()  # the Commission and the article print both
    c = got["c"]
    assert len(c) == 14 and c["period"].notna().all()
    assert set(c["name"]) >= {"National Center for Missing & Exploited Children (NCMEC)"}
    assert len(got["d"]) == (obs["qualifier"] != "exact").sum() > 0
    e = got["e"]
    assert e["label"].tolist()[:3] == [
        "Total §2G2.1 Offenders",
        "Smartphone or Tablet",
        "Victim Produced",
    ]
    assert e["n"].tolist()[:2] == [512, 241]
    assert len(e) == 7
    tables = pd.read_parquet(folder / "tables.parquet")
    printed = tables[tables["table_id"] == "method-of-production"]
    assert set(printed["table_title"]) == {"Method of Production"}
    assert printed["row"].tolist() == list(range(1, 8))
    assert got["f"]["statistic_id"].tolist() == [
        "ussc-2021-production/overview/prepubescent-victims/percent"
    ]
