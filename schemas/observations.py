"""Schema of observations.parquet: one row per statistic, with its provenance."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import polars as pl

from schemas.field import Field, table
from schemas.fields import (
    CATEGORY,
    LABEL,
    MULTI_RESPONSE,
    OFFSET,
    PARENT_CATEGORY,
    SOURCE_ID,
    TABLE_ID,
    TITLE,
    UNIT,
)
from schemas.terms import FORMS, PERIOD_KINDS, QUALIFIERS, SLUG

# filled when the batches are assembled (csedata.statistics), not by extraction
ASSEMBLED = ["statistic_id", "is_primary", "flags"]
QUOTED = ["quote", "value_text", "char_start", "char_end", "value_start", "value_end"]


def _quote_holds_value(df: pd.DataFrame) -> pd.Series:
    """``quote[value_start - char_start : value_end - char_start] == value_text``, the
    value's offsets in order inside the quote's (polars slices each row by its own
    offsets, in characters, from the same Arrow buffers)."""
    start = pl.col("value_start") - pl.col("char_start")
    length = pl.col("value_end") - pl.col("value_start")
    inside = (start >= 0) & (length >= 0) & (pl.col("value_end") <= pl.col("char_end"))
    taken = pl.col("quote").str.slice(start.clip(0), length.clip(0))  # only inside counts
    same = inside & (taken == pl.col("value_text"))
    held = pl.from_pandas(df[QUOTED]).select(same.fill_null(False)).to_series()
    return pd.Series(held.to_numpy(), index=df.index)


def _quote_spans_offsets(df: pd.DataFrame) -> pd.Series:
    """A quote is as long, in characters, as its offsets say (a null quote is not)."""
    spans = (df["char_end"] - df["char_start"]) == df["quote"].str.len()
    return spans.fillna(False).astype(bool)


def _period_consistent(df: pd.DataFrame) -> pd.Series:
    """Dates fit the kind: none for unknown; else start <= end, a fiscal year from
    1 October to 30 September, a calendar year from 1 January to 31 December."""
    kind = df["period_kind"].fillna("")  # a missing kind fails period_kind.present
    start, end = df["period_start"], df["period_end"]
    dated = start.notna() & end.notna() & (start <= end)
    ok = (kind == "unknown") & start.isna() & end.isna() | (kind != "unknown") & dated
    begins = start.dt.month * 100 + start.dt.day
    ends = end.dt.month * 100 + end.dt.day
    years = end.dt.year - start.dt.year
    rules = {
        "fiscal_year": (begins == 1001) & (ends == 930) & (years == 1),
        "fiscal_year_range": (begins == 1001) & (ends == 930) & (years > 1),
        "calendar_year": (begins == 101) & (ends == 1231) & (years == 0),
        "year_range": (begins == 101) & (ends == 1231) & (years > 0),
        "point_in_time": start == end,
    }
    for name, rule in rules.items():
        ok &= (kind != name) | rule
    return ok.astype(bool)


def _primary_names_its_statistic(df: pd.DataFrame) -> pd.Series:
    """A statistic's id is its primary observation's: is_primary exactly where they match."""
    named = (df["statistic_id"] == df["observation_id"]).fillna(False).astype(bool)
    return named == df["is_primary"]


def _finite(series: pd.Series) -> pd.Series:
    return series.notna() & (series.abs() != float("inf"))


def _text(description: str, **rules: object) -> Field:
    return Field("string", description, **rules)  # type: ignore[arg-type]


def _maybe(description: str) -> Field:
    return Field("string", description, nullable=True)


FIELDS = {
    "observation_id": _text(
        "Stable id: source_id/table_id/key/unit, where key is a table row's category or "
        "a prose figure's id in its spec (which may name a year the category leaves to "
        "the period columns). The same statistic keeps its id in every release.",
        unique=True,
    ),
    "source_id": SOURCE_ID,
    "table_id": TABLE_ID,
    "table_title": _maybe(
        "The title of the printed table a table row is in, verbatim (null for a figure in prose)."
    ),
    "form": _text(
        "Where the number was printed: 'table' (a tab-separated table) or 'prose'.",
        allowed=FORMS,
    ),
    "label": LABEL,
    "title": TITLE,
    "category": CATEGORY,
    "parent_category": PARENT_CATEGORY,
    "measure": _text(
        "The quantity, by id (see measures.parquet: its definition and unit); who or "
        "what is counted is in universe, category and title.",
        pattern=SLUG,
    ),
    "value": Field(
        "number",
        "The number. Percent in percentage points (47.1, not 0.471); '21.7 million' is 21700000.",
        checks=(
            pa.Check(_finite, ignore_na=False, name="finite", error="value is missing or infinite"),
        ),
    ),
    "unit": UNIT,
    "qualifier": _text(
        "How the source qualifies the number: exact, approximate ('about'), nearly, "
        "at_least, more_than ('over'), less_than, at_most.",
        allowed=QUALIFIERS,
    ),
    "universe": _maybe("What a percentage is of (its base)."),
    "period": _maybe(
        "The period as the spec words it (FY2019, 2019-2020, January-September 2021); "
        "period_kind, period_start and period_end are read from it."
    ),
    "period_kind": _text(
        "What kind of period: "
        + "; ".join(f"{kind}: {meaning}" for kind, meaning in PERIOD_KINDS.items())
        + ".",
        allowed=list(PERIOD_KINDS),
    ),
    "period_start": Field(
        "date",
        "First day of the period (null where the source states no period).",
        nullable=True,
    ),
    "period_end": Field(
        "date",
        "Last day of the period, inclusive (null where none is stated).",
        nullable=True,
    ),
    "jurisdiction": _text(
        "Where, in the spec's words (US federal, Minnesota, ...); place_id names it in "
        "the places vocabulary."
    ),
    "producer_id": _text(
        "The organisation that measured the statistic (see producers.parquet), which may "
        "differ from the source's publisher: a news article quoting the Commission "
        "reports the Commission's figures.",
        pattern=SLUG,
    ),
    "place_id": _text("The place the statistic is about (see places.parquet).", pattern=SLUG),
    "multi_response": MULTI_RESPONSE,
    "quote": _text("Exact source text holding the number: text[char_start:char_end]."),
    "char_start": OFFSET.but(
        description="Start of the quote in the raw file's decoded UTF-8 text."
    ),
    "char_end": OFFSET.but(description="End (exclusive) of the quote."),
    "value_text": _text("The number exactly as printed: text[value_start:value_end]."),
    "value_start": OFFSET.but(description="Start of the printed number in the raw text."),
    "value_end": OFFSET.but(description="End (exclusive) of the printed number."),
    "page": Field(
        "integer",
        "Page of the PDF where the quote starts, counted from 1 (null for a "
        "source without pages: text and HTML; see sources.media_type).",
        nullable=True,
        minimum=1,
    ),
    "note": _maybe("A reviewer's remark on the statistic, if any."),
    "statistic_id": _text(
        "The fact this observation prints (see statistics.parquet): observations that "
        "print the same fact, in one source or several, share it."
    ),
    "is_primary": Field(
        "boolean",
        "True for the one observation of each fact that gives the statistic "
        "its value: the producer's own publication where the corpus has it.",
    ),
    "flags": Field(
        "list",
        "The ids of the validation report's warnings that involve this "
        "observation (a list; empty for an undisputed figure): a check's id, and for a "
        "table check ':table_id/category'. See validation/report.json.",
    ),
}

OBSERVATIONS = table(
    "observations",
    FIELDS,
    "One row per statistic in the sources, each with its exact quote and position.",
    checks=[
        pa.Check(
            _period_consistent,
            name="period_consistent",
            error="period_start/period_end do not fit period_kind (start after end, or a "
            "fiscal or calendar year on the wrong days)",
            ignore_na=False,
        ),
        pa.Check(
            _primary_names_its_statistic,
            name="primary_names_its_statistic",
            error="is_primary does not match statistic_id == observation_id",
            ignore_na=False,
        ),
        pa.Check(
            _quote_spans_offsets,
            name="quote_spans_offsets",
            error="len(quote) != char_end - char_start",
            # rows, not NaN, are the unit here; ignoring NaN costs an isna of every column
            ignore_na=False,
        ),
        pa.Check(
            _quote_holds_value,
            name="quote_holds_value",
            error="value_text is not at its offsets in the quote",
            ignore_na=False,
        ),
    ],
)


def _extracted() -> pa.DataFrameSchema:
    schema = OBSERVATIONS.remove_columns(ASSEMBLED)
    schema.checks = [c for c in schema.checks if c.name != "primary_names_its_statistic"]
    return schema


# the observations as extraction gives them, before assembly fills in ASSEMBLED
EXTRACTED = _extracted()
