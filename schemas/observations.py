"""Schema of observations.parquet: one row per statistic, with its provenance."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import polars as pl

from schemas.dtypes import TEXT

# filled when the batches are assembled (csedata.statistics), not by extraction
ASSEMBLED = ["statistic_id", "is_primary", "flags"]
UNITS = ["count", "percent", "percent_change", "months", "years"]
QUALIFIERS = ["exact", "approximate", "nearly", "at_least", "more_than", "less_than", "at_most"]
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# a year inside a slug ("...-fy2005", "...-2019-..."): time belongs in the period columns
YEAR_IN_SLUG = r"(^|-)(fy)?(19|20)\d\d(-|$)"
# what period_kind may be, and what each means (csedata.periods reads the wording)
PERIOD_KINDS = {
    "fiscal_year": "a US federal fiscal year, 1 October to 30 September (FY2019)",
    "fiscal_year_range": "from the start of one fiscal year to the end of a later one",
    "calendar_year": "1 January to 31 December",
    "year_range": "from the start of one calendar year to the end of a later one",
    "month": "one calendar month",
    "month_range": "from the start of one month to the end of a later one",
    "point_in_time": "a single day",
    "unknown": "the source states no period (period_start and period_end are null)",
}


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


def _no_year(category: pd.Series) -> pd.Series:
    """No year inside the slug (``match`` from the start, so '.*' finds it anywhere)."""
    return ~category.str.match(".*" + YEAR_IN_SLUG)


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


def _text(description: str, nullable: bool = False, **kw: object) -> pa.Column:
    return pa.Column(TEXT, nullable=nullable, description=description, **kw)  # type: ignore[arg-type]


def _offset(description: str) -> pa.Column:
    return pa.Column("int64", pa.Check.ge(0), description=description)


OBSERVATIONS = pa.DataFrameSchema(
    {
        "observation_id": _text(
            "Stable id: source_id/table_id/key/unit, where key is a table row's category or "
            "a prose figure's id in its spec (which may name a year the category leaves to "
            "the period columns). The same statistic keeps its id in every release.",
            unique=True,
        ),
        "source_id": _text(
            "The raw source (see sources.parquet).", checks=pa.Check.str_matches(SLUG)
        ),
        "table_id": _text(
            "The table or group of figures within the source.", checks=pa.Check.str_matches(SLUG)
        ),
        "table_title": _text(
            "The title of the printed table a table row is in, verbatim (null for a figure "
            "in prose).",
            nullable=True,
        ),
        "form": _text(
            "Where the number was printed: 'table' (a tab-separated table) or 'prose'.",
            checks=pa.Check.isin(["table", "prose"]),
        ),
        "label": _text("The source's own label for the statistic, verbatim."),
        "title": _text(
            "A display title in sentence case, written in the spec: what the number is, "
            "without its period or place (see those columns)."
        ),
        "category": _text(
            "What the row counts within its table, as a slug without a year (the period "
            "columns hold time): the spec's category, or the label's slug for a table row "
            "('total' for a table's total row).",
            checks=[
                pa.Check.str_matches(SLUG),
                pa.Check(
                    _no_year,
                    name="no_year_in_category",
                    error="a year in the category slug (time belongs in the period columns)",
                ),
            ],
        ),
        "parent_category": _text(
            "Category this row is a part of (hierarchy); 'total' for a table's top rows.",
            nullable=True,
        ),
        "measure": _text(
            "The quantity, by id (see measures.parquet: its definition and unit); who or "
            "what is counted is in universe, category and title.",
            checks=pa.Check.str_matches(SLUG),
        ),
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
        "period": _text(
            "The period as the spec words it (FY2019, 2019-2020, January-September 2021); "
            "period_kind, period_start and period_end are read from it.",
            nullable=True,
        ),
        "period_kind": _text(
            "What kind of period: "
            + "; ".join(f"{kind}: {meaning}" for kind, meaning in PERIOD_KINDS.items())
            + ".",
            checks=pa.Check.isin(list(PERIOD_KINDS)),
        ),
        "period_start": pa.Column(
            "datetime64[ns]",
            nullable=True,
            description="First day of the period (null where the source states no period).",
        ),
        "period_end": pa.Column(
            "datetime64[ns]",
            nullable=True,
            description="Last day of the period, inclusive (null where none is stated).",
        ),
        "jurisdiction": _text(
            "Where, in the spec's words (US federal, Minnesota, ...); place_id names it in "
            "the places vocabulary."
        ),
        "producer_id": _text(
            "The organisation that measured the statistic (see producers.parquet), which may "
            "differ from the source's publisher: a news article quoting the Commission "
            "reports the Commission's figures.",
            checks=pa.Check.str_matches(SLUG),
        ),
        "place_id": _text(
            "The place the statistic is about (see places.parquet).",
            checks=pa.Check.str_matches(SLUG),
        ),
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
        "page": pa.Column(
            "Int64",
            pa.Check.ge(1),
            nullable=True,
            description="Page of the PDF where the quote starts, counted from 1 (null for a "
            "source without pages: text and HTML; see sources.media_type).",
        ),
        "note": _text("A reviewer's remark on the statistic, if any.", nullable=True),
        "statistic_id": _text(
            "The fact this observation prints (see statistics.parquet): observations that "
            "print the same fact, in one source or several, share it."
        ),
        "is_primary": pa.Column(
            bool,
            description="True for the one observation of each fact that gives the statistic "
            "its value: the producer's own publication where the corpus has it.",
        ),
        "flags": pa.Column(
            object,
            description="The ids of the validation report's warnings that involve this "
            "observation (a list; empty for an undisputed figure): a check's id, and for a "
            "table check ':table_id/category'. See validation/report.json.",
        ),
    },
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
    strict=True,
    ordered=True,
    name="observations",
    description="One row per statistic in the sources, each with its exact quote and position.",
)


def _extracted() -> pa.DataFrameSchema:
    schema = OBSERVATIONS.remove_columns(ASSEMBLED)
    schema.checks = [c for c in schema.checks if c.name != "primary_names_its_statistic"]
    return schema


# the observations as extraction gives them, before assembly fills in ASSEMBLED
EXTRACTED = _extracted()
