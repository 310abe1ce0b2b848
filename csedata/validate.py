"""Check the assembled tables against their schemas and against each other.

Every failure becomes one line naming the table, the row (by its id) and the
check, so a reviewer can find it without reading a traceback.
"""

from __future__ import annotations

import functools

import pandas as pd
import pandera.errors as pe
import pandera.pandas as pa
from pandas.api.types import infer_dtype

from csedata.errors import CsedataError
from schemas import SCHEMAS

ROW_KEYS = {"observations": "observation_id", "sources": "source_id", "ledger": "char_start"}


def _str_columns(schema: pa.DataFrameSchema) -> list[str]:
    return [name for name, column in schema.columns.items() if str(column.dtype) == "str"]


@functools.cache
def _without_str_dtypes(name: str) -> pa.DataFrameSchema:
    schema = SCHEMAS[name]
    return schema.update_columns({column: {"dtype": None} for column in _str_columns(schema)})


def _fast_schema(name: str, df: pd.DataFrame) -> pa.DataFrameSchema:
    """The schema to validate with: the full one, or the same less its str dtype checks
    when every str column is known to hold only str or null.

    pandera checks a str column with a Python call per value (seconds for a million
    rows); pandas' infer_dtype answers the same question in one C pass. Only when
    it finds a problem does the full schema run, to name the rows.
    """
    schema = SCHEMAS[name]
    clean = all(
        infer_dtype(df[column], skipna=True) in ("string", "empty")
        for column in _str_columns(schema)
        if column in df
    )
    return _without_str_dtypes(name) if clean else schema


def _keeps_nulls(schema: pa.DataFrameSchema) -> set[str]:
    """Row checks declared with ignore_na=False only to spare pandera an isna of every
    column; pandera would report their null cells with ignore_na=True, so they are dropped.
    """
    return {str(check.error) for check in schema.checks if not check.ignore_na}


def _schema_failures(name: str, df: pd.DataFrame) -> list[str]:
    try:
        # inplace: no schema here coerces, so pandera's defensive copy would only cost time
        _fast_schema(name, df).validate(df, lazy=True, inplace=True)
    except pe.SchemaErrors as exc:
        lines = []
        quiet = _keeps_nulls(SCHEMAS[name])
        for case in exc.failure_cases.itertuples(index=False):
            if case.check in quiet and pd.isna(case.failure_case):
                continue
            index = getattr(case, "index", None)
            row = ""
            if index is not None and not pd.isna(index) and int(index) in df.index:
                key = ROW_KEYS[name]
                row = f" row {key}={df.loc[int(index), key]!r}"
                if name == "ledger":
                    row = f" row {df.loc[int(index), 'source_id']!s}@{df.loc[int(index), key]!s}"
            column = f" column {case.column!r}" if isinstance(case.column, str) else ""
            lines.append(
                f"{name}{row}{column}: check {case.check} failed (value {case.failure_case!r})"
            )
        return lines
    return []


def _missing(values: pd.Series, known: pd.Series) -> list[str]:
    """Distinct values not among ``known``, sorted (hash joins, no per-row Python)."""
    distinct = pd.Series(values.unique())
    return sorted(distinct[~distinct.isin(known)])


def _reference_failures(frames: dict[str, pd.DataFrame]) -> list[str]:
    lines = []
    known = frames["sources"]["source_id"]
    for name in ("observations", "ledger"):
        for sid in _missing(frames[name]["source_id"], known):
            lines.append(f"{name}: source_id {sid!r} is not in sources")
    extracted = frames["ledger"]["observation_id"].dropna()
    for oid in _missing(extracted, frames["observations"]["observation_id"]):
        lines.append(f"ledger: observation_id {oid!r} is not in observations")
    return lines


def failures(frames: dict[str, pd.DataFrame]) -> list[str]:
    """All problems found, one line each; empty when the tables can be released."""
    lines: list[str] = []
    for name, df in frames.items():
        lines.extend(_schema_failures(name, df))
    return lines + _reference_failures(frames)


def require_valid(frames: dict[str, pd.DataFrame]) -> None:
    problems = failures(frames)
    if problems:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise CsedataError("validation", problems[0] + more)
