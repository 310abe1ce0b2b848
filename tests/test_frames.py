"""In-memory frames: repeated text as categoricals, the same strings and bytes on disk."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from csedata import frames, parquet
from csedata.validation import arithmetic as checks
from schemas import LEDGER

ROWS = 40


def _ledger_rows() -> list[dict[str, object]]:
    """Rows where some text repeats (source, status, reason) and some does not (ids)."""
    rows = []
    for i in range(ROWS):
        extracted = i % 3 != 0
        rows.append(
            {
                "source_id": ["zeta-report", "alpha-report", "mid-report"][i % 3],
                "token": str(i),  # distinct: stays plain strings
                "char_start": i * 10,
                "char_end": i * 10 + 2,
                "status": "extracted" if extracted else "excluded",
                "observation_id": f"src/t/c{i}/count" if extracted else None,
                "reason": None if extracted else "page-number",
                "note": None,  # never set: all null
            }
        )
    return rows


def test_repeated_text_becomes_sorted_categoricals_and_writes_the_same_bytes(
    tmp_path: Path,
) -> None:
    table = parquet.rows_to_arrow(LEDGER, _ledger_rows())
    plain_df = table.to_pandas()
    held = frames.from_arrow(table)

    kinds = {c: str(held[c].dtype) for c in held}
    assert kinds == {
        "source_id": "category",
        "token": "string[pyarrow]",  # distinct: left in Arrow's buffers
        "char_start": "int64",
        "char_end": "int64",
        "status": "category",
        "observation_id": "string[pyarrow]",
        "reason": "category",  # nulls do not count as values, 'page-number' repeats
        "note": "string[pyarrow]",  # nothing to hold
    }
    assert list(held["source_id"].cat.categories) == ["alpha-report", "mid-report", "zeta-report"]
    # sorting by a categorical sorts as its strings do
    order = held.sort_values("source_id", kind="stable").index
    assert list(order) == list(plain_df.sort_values("source_id", kind="stable").index)

    back = frames.plain(held)
    pd.testing.assert_frame_equal(back, plain_df)
    assert back["reason"].map(type).value_counts().to_dict() == {str: 14, type(None): 26}

    parquet.write(plain_df, tmp_path / "plain.parquet", LEDGER)
    parquet.write(held, tmp_path / "held.parquet", LEDGER)
    assert (tmp_path / "held.parquet").read_bytes() == (tmp_path / "plain.parquet").read_bytes()


def test_a_column_that_does_not_repeat_in_its_first_values_stays_in_arrow() -> None:
    values = [f"quote {i}" for i in range(frames.SAMPLE)] + ["same"] * (3 * frames.SAMPLE)
    table = pa.table({"quote": pa.array(values, type=pa.string())})
    quote = frames.from_arrow(table)["quote"]
    assert quote.dtype == pd.ArrowDtype(pa.string())
    assert quote.tolist() == values


def test_per_distinct_reads_each_value_once_and_spreads_it() -> None:
    text = pd.Series(["47.1%", "about 1,200", None, "47.1%", "eight"] * 4)
    held = text.astype("category")
    seen: list[int] = []

    def printed(values: pd.Series) -> pd.DataFrame:
        seen.append(len(values))
        return checks._printed(values)

    expected = checks._printed(text)
    got = frames.per_distinct(held, printed)
    assert seen == [3]  # three distinct values, not twenty rows
    pd.testing.assert_frame_equal(got, expected)
    assert np.isnan(got.loc[2, "number"]) and np.isnan(got.loc[2, "decimals"])


TEXT = st.one_of(st.none(), st.sampled_from(["a", "b", "c", "é", ""]))


@st.composite
def text_columns(draw: st.DrawFn) -> tuple[pd.Series, pd.Series]:
    """Two text columns held in one of the ways an assembled table holds text."""
    values = draw(st.lists(TEXT, max_size=12))
    targets = draw(st.lists(TEXT, max_size=12))
    held = draw(st.sampled_from(["arrow", "category", "object"]))

    def hold(column: list[str | None]) -> pd.Series:
        if held == "arrow":
            return pd.Series(pd.arrays.ArrowExtensionArray(pa.array(column, type=pa.string())))
        return pd.Series(column, dtype=held)

    return hold(values), hold(targets)


@settings(max_examples=200)
@given(text_columns())
def test_uniqueness_and_membership_answer_as_pandas_on_plain_strings(
    columns: tuple[pd.Series, pd.Series],
) -> None:
    values, targets = columns
    plain_values = pd.Series(values.tolist(), dtype=object)
    assert frames.is_unique(values) == plain_values.is_unique
    expected = plain_values.notna() & ~plain_values.isin(targets.dropna().tolist())
    assert frames.absent(values, targets).tolist() == expected.tolist()
