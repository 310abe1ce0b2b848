"""Schema of observations.parquet: one row per statistic, with its provenance."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc

UNITS = ["count", "percent", "percent_change", "months", "years"]
QUALIFIERS = ["exact", "approximate", "nearly", "at_least", "more_than", "less_than", "at_most"]
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"


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
        "source_id": _text("The raw source (see sources.parquet).", checks=_str_matches(SLUG)),
        "table_id": _text(
            "The table or group of figures within the source.", checks=_str_matches(SLUG)
        ),
        "form": _text(
            "Where the number was printed: 'table' (a tab-separated table) or 'prose'.",
            checks=_isin(["table", "prose"]),
        ),
        "label": _text("The source's own label for the statistic, verbatim."),
        "category": _text(
            "Normalized slug of the label ('total' for a table's total row).",
            checks=_str_matches(SLUG),
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
            checks=_isin(UNITS),
        ),
        "qualifier": _text(
            "How the source qualifies the number: exact, approximate ('about'), nearly, "
            "at_least, more_than ('over'), less_than, at_most.",
            checks=_isin(QUALIFIERS),
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
