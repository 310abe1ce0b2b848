"""Schema of observations.parquet: one row per statistic, with its provenance."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

UNITS = ["count", "percent", "percent_change", "months", "years"]
QUALIFIERS = ["exact", "approximate", "nearly", "at_least", "more_than", "less_than", "at_most"]
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def _quote_holds_value(df: pd.DataFrame) -> pd.Series:
    """The value text sits inside the quote at the recorded offsets."""
    rel_start = df["value_start"] - df["char_start"]
    rel_end = df["value_end"] - df["char_start"]
    inside = (rel_start >= 0) & (df["value_end"] <= df["char_end"])
    same = [
        q[s:e] == v
        for q, s, e, v in zip(df["quote"], rel_start, rel_end, df["value_text"], strict=True)
    ]
    return inside & pd.Series(same, index=df.index)


def _quote_spans_offsets(df: pd.DataFrame) -> pd.Series:
    return (df["char_end"] - df["char_start"]) == df["quote"].str.len()


def _text(description: str, nullable: bool = False, **kw: object) -> pa.Column:
    return pa.Column(str, nullable=nullable, description=description, **kw)  # type: ignore[arg-type]


def _offset(description: str) -> pa.Column:
    return pa.Column("int64", pa.Check.ge(0), description=description)


OBSERVATIONS = pa.DataFrameSchema(
    {
        "observation_id": _text(
            "Stable id: source_id/table_id/category/unit. The same statistic keeps its id "
            "in every release.",
            unique=True,
        ),
        "source_id": _text(
            "The raw source (see sources.parquet).", checks=pa.Check.str_matches(SLUG)
        ),
        "table_id": _text(
            "The table or group of figures within the source.", checks=pa.Check.str_matches(SLUG)
        ),
        "form": _text(
            "Where the number was printed: 'table' (a tab-separated table) or 'prose'.",
            checks=pa.Check.isin(["table", "prose"]),
        ),
        "label": _text("The source's own label for the statistic, verbatim."),
        "category": _text(
            "Normalized slug of the label ('total' for a table's total row).",
            checks=pa.Check.str_matches(SLUG),
        ),
        "parent_category": _text(
            "Category this row is a part of (hierarchy); 'total' for a table's top rows.",
            nullable=True,
        ),
        "measure": _text("What is counted or measured, in plain words."),
        "value": pa.Column(
            float,
            pa.Check(
                lambda s: s.notna() & (s.abs() != float("inf")),
                ignore_na=False,
                name="finite",
                error="value is missing or infinite",
            ),
            description="The number. Percent in percentage points (47.1, not 0.471); "
            "'21.7 million' is 21700000.",
        ),
        "unit": _text(
            "count, percent (share of the universe), percent_change (signed: a fall is "
            "negative), months or years.",
            checks=pa.Check.isin(UNITS),
        ),
        "qualifier": _text(
            "How the source qualifies the number: exact, approximate ('about'), nearly, "
            "at_least, more_than ('over'), less_than, at_most.",
            checks=pa.Check.isin(QUALIFIERS),
        ),
        "universe": _text("What a percentage is of (its base).", nullable=True),
        "period": _text("Period the statistic describes, e.g. FY2019.", nullable=True),
        "jurisdiction": _text("Where: US federal, Minnesota, Minneapolis, ..."),
        "multi_response": pa.Column(
            bool,
            description="True where categories overlap, so shares may sum past 100%.",
        ),
        "quote": _text("Exact source text holding the number: text[char_start:char_end]."),
        "char_start": _offset("Start of the quote in the raw file's decoded UTF-8 text."),
        "char_end": _offset("End (exclusive) of the quote."),
        "value_text": _text("The number exactly as printed: text[value_start:value_end]."),
        "value_start": _offset("Start of the printed number in the raw text."),
        "value_end": _offset("End (exclusive) of the printed number."),
        "note": _text("A reviewer's remark on the statistic, if any.", nullable=True),
    },
    checks=[
        pa.Check(
            _quote_spans_offsets,
            name="quote_spans_offsets",
            error="len(quote) != char_end - char_start",
        ),
        pa.Check(
            _quote_holds_value,
            name="quote_holds_value",
            error="value_text is not at its offsets in the quote",
        ),
    ],
    strict=True,
    ordered=True,
    name="observations",
    description="One row per statistic in the sources, each with its exact quote and position.",
)
