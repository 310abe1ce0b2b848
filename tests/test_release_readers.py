"""Reading a release: csedata.load, polars and DuckDB (its views with the column descriptions)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pytest
from changes import SMARTPHONE, Frames
from publishing import Validate, publish_frames

import csedata
from csedata.errors import CsedataError
from schemas import schema_for


def test_duckdb_views_show_the_column_descriptions(
    tmp_path: Path, frames: Frames, validate: Validate
) -> None:
    folder = publish_frames(tmp_path, frames, validate).path
    assert "views.sql" in json.loads((folder / "manifest.json").read_text())["files"]
    con = duckdb.connect()
    con.execute(f"SET file_search_path = '{folder}'")
    con.execute((folder / "views.sql").read_text())
    comments = dict(
        con.execute(
            "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = 'observations'"
        ).fetchall()
    )
    assert comments == {n: c.description for n, c in schema_for("observations").columns.items()}
    (n,) = con.execute("SELECT n FROM tables WHERE category = 'smartphone-or-tablet'").fetchone()
    assert n == 241 and isinstance(n, int)


def test_loader_pandas_polars_duckdb(tmp_path: Path, frames: Frames, validate: Validate) -> None:
    root = tmp_path
    folder = publish_frames(root, frames, validate).path
    obs = csedata.load(root=root)
    assert obs.equals(pd.read_parquet(folder / "observations.parquet"))
    assert csedata.load("1.0.0", root=root).equals(obs)
    assert csedata.load(folder).equals(obs)
    shaped = csedata.load(table="tables", root=root)
    production = shaped[shaped["table_id"] == "method-of-production"].set_index("label")
    assert production.loc["Smartphone or Tablet", "n"] == 241

    # polars and DuckDB read the same file to the same rows
    polars = pl.read_parquet(folder / "observations.parquet")
    assert polars.equals(pl.from_pandas(obs))
    assert polars.filter(pl.col("observation_id") == SMARTPHONE)["value"].item() == 241
    [(n, total)] = duckdb.sql(
        "select count(*), sum(value) filter (where unit = 'count') from obs"
    ).fetchall()
    assert (n, total) == (len(obs), obs.loc[obs["unit"] == "count", "value"].sum())

    with pytest.raises(
        CsedataError, match="no table 'nope'; tables: ledger, measures, observations"
    ):
        csedata.load(table="nope", root=root)
    with pytest.raises(CsedataError, match=r"9\.9\.9: no such release"):
        csedata.load("9.9.9", root=root)
    data = bytearray((folder / "sources.parquet").read_bytes())
    data[len(data) // 2] ^= 1
    (folder / "sources.parquet").write_bytes(bytes(data))
    with pytest.raises(CsedataError, match=r"sources\.parquet: sha256 .* does not match"):
        csedata.load(table="sources", root=root)
