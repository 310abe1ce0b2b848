"""In-memory frames: every text column as Arrow strings, the same strings and bytes on disk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from csedata import frames, parquet
from csedata.errors import CsedataError
from csedata.validation import Validated
from schemas import LEDGER, SCHEMAS, TEXT, schema_for
from schemas.dtypes import dtype_name

ROWS = 40
Frames = dict[str, pd.DataFrame]
Validate = Callable[[Frames], Validated]


def _ledger_rows() -> list[dict[str, object]]:
    """Rows where some text repeats (source, status, reason) and some does not (ids)."""
    rows = []
    for i in range(ROWS):
        extracted = i % 3 != 0
        rows.append(
            {
                "source_id": ["zeta-report", "alpha-report", "mid-report"][i % 3],
                "token": str(i),
                "char_start": i * 10,
                "char_end": i * 10 + 2,
                "status": "extracted" if extracted else "excluded",
                "observation_id": f"src/t/c{i}/count" if extracted else None,
                "reason": None if extracted else "page-number",
                "note": None,  # never set: all null
            }
        )
    return rows


def test_text_is_held_as_arrow_strings_and_writes_the_bytes_of_plain_strings(
    tmp_path: Path,
) -> None:
    table = parquet.rows_to_arrow(LEDGER, _ledger_rows())
    plain_df = table.to_pandas()  # Python strings, as earlier releases were written from
    held = frames.from_arrow(table)

    kinds = {c: str(held[c].dtype) for c in held}
    text = "string[pyarrow]"
    assert kinds == {
        "source_id": text,
        "token": text,
        "char_start": "int64",
        "char_end": "int64",
        "status": text,
        "observation_id": text,
        "reason": text,
        "note": text,
    }
    assert pa.array(held["reason"]).to_pylist() == table.column("reason").to_pylist()

    parquet.write(plain_df, tmp_path / "plain.parquet", LEDGER)
    parquet.write(held, tmp_path / "held.parquet", LEDGER)
    assert (tmp_path / "held.parquet").read_bytes() == (tmp_path / "plain.parquet").read_bytes()
    back = parquet.read_frame(tmp_path / "held.parquet")
    pd.testing.assert_frame_equal(back, held)


def _text_columns(name: str) -> list[str]:
    return [c for c, column in schema_for(name).columns.items() if dtype_name(column) == "str"]


def _not_arrow_strings(tables: Frames) -> list[str]:
    return [
        f"{name}.{column} is {df[column].dtype}"
        for name, df in tables.items()
        for column in _text_columns(name)
        if df[column].dtype != TEXT
    ]


def test_every_text_column_of_the_assembled_and_validated_tables_is_arrow_strings(
    frames: Frames, validate: Validate
) -> None:
    assert set(frames) == set(SCHEMAS)
    assert all(_text_columns(name) for name in frames)
    assert _not_arrow_strings(frames) == []
    tables = validate(frames).tables
    assert _not_arrow_strings({name: tables.frame(name) for name in tables.order}) == []
    # the guard sees a column held another way
    planted = {**frames, "sources": frames["sources"].astype({"title": "category"})}
    assert _not_arrow_strings(planted) == ["sources.title is category"]


@pytest.mark.parametrize("held", ["category", "object", "string"])
def test_validation_refuses_text_held_any_other_way(
    frames: Frames, validate: Validate, held: str
) -> None:
    """A column of categoricals, Python objects or pandas' own strings fails its dtype
    check: the schemas declare the one representation, and pandera checks it."""
    obs = frames["observations"]
    planted = {**frames, "observations": obs.assign(unit=obs["unit"].astype(held))}
    with pytest.raises(CsedataError, match=r"check unit\.dtype failed: Expected: unit is str"):
        validate(planted)
