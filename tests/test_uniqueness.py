"""Uniqueness asked of polars first (csedata.validation.uniqueness): the failures are
pandera's own, a repeat in a unique text column still found and named by pandera."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pandera.errors as pe
import pandera.pandas as pa
import pytest

from csedata.validation import uniqueness
from schemas.dtypes import TEXT

SCHEMA = pa.DataFrameSchema({"id": pa.Column(TEXT, unique=True, nullable=True)})


def _cases(validate: Callable[[pd.DataFrame], object], values: list[str | None]) -> list[str]:
    try:
        validate(pd.DataFrame({"id": pd.Series(values, dtype=TEXT)}))
    except pe.SchemaErrors as exc:
        return sorted(f"{c.check}:{c.index}" for c in exc.failure_cases.itertuples())
    return []


@pytest.mark.parametrize(
    "values", [["a", "b", None], ["a", "b", "a"], ["a", None, None], ["a", "a", "a"]]
)
def test_the_failures_are_panderas(values: list[str | None]) -> None:
    ours = _cases(lambda df: uniqueness.validate(SCHEMA, df), values)
    assert ours == _cases(lambda df: SCHEMA.validate(df, lazy=True), values)
    assert bool(ours) == (values.count("a") > 1)  # a repeat of a value is named
