"""Schema of observations.parquet: one row per statistic, with its provenance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc

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
