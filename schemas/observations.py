"""Schema of observations.parquet: one row per statistic, with its provenance."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc

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


CHUNK = 1 << 17  # rows per pass of the provenance check: bounds its working memory

Units = tuple[np.ndarray, np.ndarray, np.ndarray]  # text end to end, each string's start, length


def _arrow(values: pd.Series) -> pyarrow.Array:
    array = pyarrow.array(values, type=pyarrow.string(), from_pandas=True)
    if isinstance(array, pyarrow.ChunkedArray):  # an Arrow-backed column: one buffer to read
        array = array.combine_chunks()
    return array


def _utf8(array: pyarrow.Array) -> Units:
    """The strings' UTF-8 bytes, read in place from Arrow's buffers; a null is empty.

    Where a string is ASCII, a byte is a code point, so these are its characters.
    """
    # a slice of an Arrow array starts at its offset into the shared buffers
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[array.offset :][: len(array) + 1]
    data = array.buffers()[2]
    text = np.frombuffer(data, dtype=np.uint8) if data is not None else np.empty(0, np.uint8)
    lengths = np.where(array.is_null().to_numpy(zero_copy_only=False), 0, np.diff(offsets))
    return text, offsets[:-1].astype(np.int64), lengths.astype(np.int64)


def _codepoints(array: pyarrow.Array) -> Units:
    """The strings' code points end to end (UTF-32); a null is empty."""
    text, starts, lengths = _utf8(array)
    ends = starts + lengths
    raw = text[starts[0] : ends[-1]].tobytes() if len(array) else b""
    codes = np.frombuffer(raw.decode("utf-8").encode("utf-32-le"), dtype="<u4")
    chars = pc.utf8_length(array).fill_null(0).to_numpy().astype(np.int64)
    return codes, np.cumsum(chars) - chars, chars


def _slice_equals(
    quote: Units, value: Units, s: np.ndarray, e: np.ndarray, where: np.ndarray
) -> np.ndarray:
    """Where ``where`` holds (there s >= 0), ``quote[s:e] == value`` by Python's slice rules,
    in whatever units both are given."""
    q, q_at, q_len = quote
    v, v_at, v_len = value
    lo = np.minimum(s, q_len)
    hi = np.clip(np.where(e < 0, e + q_len, e), 0, q_len)  # a negative end counts from the end
    same: np.ndarray = where & (np.maximum(hi - lo, 0) == v_len)
    rows = np.flatnonzero(same)
    width = v_len[rows]
    row = np.repeat(rows, width)  # one entry per unit to compare
    k = np.arange(width.sum()) - np.repeat(np.cumsum(width) - width, width)
    same[row[q[q_at[row] + lo[row] + k] != v[v_at[row] + k]]] = False
    return same


def _holds(df: pd.DataFrame) -> np.ndarray:
    """``quote[s:e] == value_text`` with Python's slice rules.

    An ASCII quote's bytes are its characters, so most rows compare bytes read in
    place; only rows whose quote is not ASCII decode to code points.
    """
    char_start = df["char_start"].to_numpy().astype(np.int64)
    s = df["value_start"].to_numpy().astype(np.int64) - char_start
    e = df["value_end"].to_numpy().astype(np.int64) - char_start
    inside = (s >= 0) & (df["value_end"].to_numpy() <= df["char_end"].to_numpy())
    present = df["quote"].notna().to_numpy() & df["value_text"].notna().to_numpy()
    quote, value = _arrow(df["quote"]), _arrow(df["value_text"])
    where = inside & present
    same = _slice_equals(_utf8(quote), _utf8(value), s, e, where)
    ascii_quote = pc.string_is_ascii(quote).fill_null(True).to_numpy(zero_copy_only=False)
    other = np.flatnonzero(where & ~ascii_quote)
    if len(other):
        taken = pyarrow.array(other)
        same[other] = _slice_equals(
            _codepoints(quote.take(taken)),
            _codepoints(value.take(taken)),
            s[other],
            e[other],
            np.ones(len(other), dtype=bool),
        )
    return same


def _quote_holds_value(df: pd.DataFrame) -> pd.Series:
    """The value text sits inside the quote at the recorded offsets (vectorized)."""
    columns = df[["quote", "value_text", "char_start", "char_end", "value_start", "value_end"]]
    out = np.zeros(len(df), dtype=bool)
    for at in range(0, len(df), CHUNK):
        out[at : at + CHUNK] = _holds(columns.iloc[at : at + CHUNK])
    return pd.Series(out, index=df.index)


def _quote_spans_offsets(df: pd.DataFrame) -> pd.Series:
    length = pc.utf8_length(_arrow(df["quote"])).to_numpy(
        zero_copy_only=False
    )  # null -> NaN -> False
    return pd.Series((df["char_end"] - df["char_start"]).to_numpy() == length, index=df.index)


def _distinct(test: Callable[[object], bool]) -> Callable[[pd.Series], pd.Series | bool]:
    """A per-value test run once per distinct value: ids and units repeat across many rows."""

    def check(series: pd.Series) -> pd.Series | bool:
        distinct = series.unique()
        good = [v for v in distinct if test(v)]
        return True if len(good) == len(distinct) else series.isin(good)

    return check


def _str_matches(pattern: str) -> pa.Check:
    """pandera's str_matches (same name and message), on distinct values."""
    regex = re.compile(pattern)
    test = _distinct(lambda v: isinstance(v, str) and regex.match(v) is not None)
    return pa.Check(
        test,
        name="str_matches",
        error=f"str_matches('{pattern}')",
        statistics={"pattern": pattern},  # read by schemas.describe, as pandera's own
        # every column it guards is required, so a null fails here as well: ignoring
        # nulls would cost an isna pass and a copy of a million values
        ignore_na=False,
    )


def _isin(allowed: list[str]) -> pa.Check:
    """pandera's isin (same name and message), on distinct values."""
    return pa.Check(
        _distinct(lambda v: v in allowed),
        name="isin",
        error=f"isin({allowed})",
        statistics={"allowed_values": allowed},  # read by schemas.describe, as pandera's own
        ignore_na=False,  # as _str_matches
    )


def _period_consistent(df: pd.DataFrame) -> pd.Series:
    """Dates fit the kind: none for unknown; else start <= end, a fiscal year from
    1 October to 30 September, a calendar year from 1 January to 31 December."""
    kind = df["period_kind"].astype(object)
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
    return ok


def _primary_names_its_statistic(df: pd.DataFrame) -> pd.Series:
    """A statistic's id is its primary observation's: is_primary exactly where they match."""
    same = pc.equal(_arrow(df["statistic_id"]), _arrow(df["observation_id"]))
    named = same.fill_null(False).to_numpy(zero_copy_only=False)
    return pd.Series(named == df["is_primary"].to_numpy(dtype=bool), index=df.index)


def _text(description: str, nullable: bool = False, **kw: object) -> pa.Column:
    return pa.Column(str, nullable=nullable, description=description, **kw)  # type: ignore[arg-type]


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
        "source_id": _text("The raw source (see sources.parquet).", checks=_str_matches(SLUG)),
        "table_id": _text(
            "The table or group of figures within the source.", checks=_str_matches(SLUG)
        ),
        "table_title": _text(
            "The title of the printed table a table row is in, verbatim (null for a figure "
            "in prose).",
            nullable=True,
        ),
        "form": _text(
            "Where the number was printed: 'table' (a tab-separated table) or 'prose'.",
            checks=_isin(["table", "prose"]),
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
                _str_matches(SLUG),
                pa.Check(
                    _distinct(lambda v: re.search(YEAR_IN_SLUG, str(v)) is None),
                    name="no_year_in_category",
                    error="a year in the category slug (time belongs in the period columns)",
                    ignore_na=False,
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
            checks=_str_matches(SLUG),
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
            checks=_isin(UNITS),
        ),
        "qualifier": _text(
            "How the source qualifies the number: exact, approximate ('about'), nearly, "
            "at_least, more_than ('over'), less_than, at_most.",
            checks=_isin(QUALIFIERS),
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
            checks=_isin(list(PERIOD_KINDS)),
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
            checks=_str_matches(SLUG),
        ),
        "place_id": _text(
            "The place the statistic is about (see places.parquet).", checks=_str_matches(SLUG)
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
