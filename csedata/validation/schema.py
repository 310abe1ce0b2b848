"""The pandera schemas of the released tables as report entries: every check pandera runs
for a table listed, passed or not, each failure named by its row."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pandera.errors as pe
import pandera.pandas as pa

from csedata.report import LISTED, CheckResult, Failure, Quote
from csedata.validation import uniqueness
from csedata.validation.results import quotes, result
from schemas import schema_for
from schemas.describe import primary_key
from schemas.dtypes import dtype_name


def well_formed(frames: Mapping[str, pd.DataFrame]) -> bool:
    """Every table has its schema's columns, in order, each held as the schema declares
    (text as Arrow strings): pandera validates the tables' first zero rows, which costs
    nothing but checks the shape."""
    try:
        for name, df in frames.items():
            schema_for(name).validate(df.head(0), lazy=True)
    except pe.SchemaErrors:
        return False
    return True


@dataclass(frozen=True)
class _SchemaCheck:
    key: str  # how pandera's failure cases name it, see _case_keys
    name: str
    description: str  # what holds when it passes, in words
    column: str | None = None
    rule: str | None = None  # the report's grid: "type", "set", "unique" or "values"
    broken: str | None = None  # a failure's message, when "Expected: <description>" misleads


# what a custom check asserts, in words: the schemas' error strings name the failure
HOLDS = {
    "quote_spans_offsets": "Each quote is exactly char_end - char_start characters long.",
    "quote_holds_value": "Each value_text stands at its offsets inside its quote.",
    "token_accounted_for": "Every number token is either extracted or excluded.",
    "finite": "is a finite number.",
}
_BOUNDS = {
    "greater_than": ">",
    "greater_than_or_equal_to": "≥",
    "less_than": "<",
    "less_than_or_equal_to": "≤",
}


def _holds(column: str, check: pa.Check, name: str) -> str:
    """A column check's rule in words: what every value satisfies."""
    stats = check.statistics or {}
    if check.name == "isin":
        return f"{column} is one of {', '.join(map(str, stats['allowed_values']))}."
    if check.name == "str_matches":
        return f"{column} matches {stats['pattern']}."
    if check.name in _BOUNDS:
        bound = next(iter(v for k, v in stats.items() if k != "options"), "?")
        return f"{column} {_BOUNDS[str(check.name)]} {bound}."
    if check.name == "in_range":
        return f"{column} lies in {stats['min_value']} to {stats['max_value']}."
    return f"{column} {HOLDS.get(name, check.error or name)}"


def _schema_checks(schema: pa.DataFrameSchema) -> list[_SchemaCheck]:
    """Every check pandera runs for this schema, so passed ones can be listed too."""
    out = [
        _SchemaCheck(
            "frame:column_in_dataframe",
            "columns-present",
            "Every column is there.",
            broken="Column {!r} is missing.",
        )
    ]
    if schema.strict:
        out.append(_SchemaCheck("frame:column_in_schema", "no-extra-columns", "No other columns."))
    if schema.ordered:
        out.append(_SchemaCheck("frame:column_ordered", "column-order", "Columns in order."))
    if schema.unique:
        fields = ", ".join(schema.unique)
        out.append(
            _SchemaCheck(
                "frame:multiple_fields_uniqueness", "unique-rows", f"({fields}) is unique."
            )
        )
    for i, check in enumerate(schema.checks):
        words = HOLDS.get(check.name, check.error or check.name)
        out.append(_SchemaCheck(f"frame:{i}", check.name, words))
    for col, spec in schema.columns.items():
        null = " or empty" if spec.nullable else ""
        out.append(
            _SchemaCheck(
                f"{col}:dtype", f"{col}.dtype", f"{col} is {dtype_name(spec)}{null}.", col, "type"
            )
        )
        if not spec.nullable:
            out.append(
                _SchemaCheck(f"{col}:not_nullable", f"{col}.present", f"{col} is set.", col, "set")
            )
        if spec.unique:
            out.append(
                _SchemaCheck(
                    f"{col}:field_uniqueness", f"{col}.unique", f"{col} is unique.", col, "unique"
                )
            )
        for i, check in enumerate(spec.checks):
            name = check.name if check.name != "<lambda>" else f"check-{i}"
            holds = _holds(col, check, name)
            out.append(_SchemaCheck(f"{col}:{i}", f"{col}.{name}", holds, col, "values"))
    return out


def _case_keys(cases: pd.DataFrame) -> pd.Series:
    """Which listed check each of pandera's failure cases belongs to (see _schema_checks)."""
    frame = cases["schema_context"] == "DataFrameSchema"
    column = cases["column"].astype(str)
    check = cases["check"].astype(str)
    check = check.mask(check.str.startswith("dtype("), "dtype")
    numbered = cases["check_number"].notna()
    number = pd.to_numeric(cases["check_number"], errors="coerce").fillna(-1).astype(int)
    own = ~frame & check.isin(["dtype", "not_nullable", "field_uniqueness"])
    owner = column.where(~frame & (numbered | own), "frame")
    return owner + ":" + number.astype(str).where(numbered, check)


# the columns that name a row, where its primary key does not (or says less)
_NAMED_BY = {"observations": ["observation_id"], "ledger": ["token", "source_id", "char_start"]}


def _row_where(name: str, df: pd.DataFrame, index: Any) -> tuple[str, list[Quote]]:
    """The row a failure is on, by what names it; the table, for a row the table lacks
    the columns to name (a release read back may lack any)."""
    named_by = _NAMED_BY.get(name) or primary_key(schema_for(name))
    if index is None or pd.isna(index) or index not in df.index or set(named_by) - set(df):
        return f"table {name}", []
    row: Any = df.loc[index]
    if name == "observations":
        return f"row {row['observation_id']!r}", quotes(df, [index])
    if name == "ledger":
        return f"token {row['token']!r} at {row['source_id']}@{row['char_start']}", []
    return f"row {'/'.join(str(row[k]) for k in primary_key(schema_for(name)))!r}", []


def schema_results(frames: Mapping[str, pd.DataFrame]) -> list[CheckResult]:
    results: list[CheckResult] = []
    for name, df in frames.items():
        schema = schema_for(name)
        cases = pd.DataFrame(columns=["schema_context", "column", "check", "check_number"])
        try:
            uniqueness.validate(schema, df)
        except pe.SchemaErrors as exc:
            cases = exc.failure_cases
        if len(cases):
            cases = cases.assign(key=_case_keys(cases))
            # a frame check fails once per column of a failing row: keep one per row
            cases = cases.drop_duplicates(["key", "index"])
        listed = _schema_checks(schema)
        known = {c.key for c in listed}
        listed += [
            _SchemaCheck(k, k.split(":", 1)[1], "A pandera check.")
            for k in dict.fromkeys(cases["key"] if len(cases) else [])
            if k not in known
        ]
        for check in listed:
            mine = cases[cases["key"] == check.key] if len(cases) else cases
            failures = []
            # a frame check's failure case is one column of the row: name the row instead
            whole_row = check.key.startswith("frame:") and check.key[6:].isdigit()
            for case in mine.head(LISTED).itertuples(index=False):
                where, quotes = _row_where(name, df, getattr(case, "index", None))
                found = "" if whole_row else f" Found {case.failure_case!r}."
                failures.append(
                    Failure(
                        severity="error",
                        where=where,
                        message=check.broken.format(case.failure_case)
                        if check.broken
                        else f"Expected: {check.description}{found}",
                        values={} if whole_row else {"found": str(case.failure_case)},
                        quotes=quotes,
                        observation_ids=[str(q.observation_id) for q in quotes],
                    )
                )
            results.append(
                result(
                    id=f"schema:{name}:{check.key}",
                    name=check.name,
                    kind="schema",
                    description=check.description,
                    default="error",
                    checked=len(df),
                    errors=len(mine),
                    warnings=0,
                    failures=failures,
                    table_id=name,
                    column=check.column,
                    rule=check.rule,
                )
            )
    return results
