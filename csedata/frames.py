"""How the assembled tables are held in memory: text as categoricals or Arrow strings.

A million observations repeat a few thousand source ids, a dozen units and a
few hundred labels. Held as Python strings, every comparison, group and join on
them hashes or compares a million objects; held as categoricals (integer codes
into the distinct values) the same work runs on integers, and the tables take
less memory. On disk nothing changes: ``to_arrow`` records the text as plain
strings, so the Parquet bytes are those of a frame of Python strings.

A text column is held as a categorical when it repeats: at most one distinct
value per REPEATS rows. Its categories are sorted, so sorting by it sorts as
the strings do. A column whose first SAMPLE values are mostly distinct (ids,
quotes) is not hashed whole only to learn that it does not repeat; one that
repeats only across sources (printed figures) is. Columns of (nearly) distinct
values would gain nothing from codes: they stay in Arrow's buffers (pandas'
ArrowDtype), where nulls, uniqueness and membership are answered in C++ rather
than per Python object; the two questions that hash a million strings
(is every id unique, is every reference there) go to polars, whose hash
tables answer them several times faster than Arrow's or pandas'.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

REPEATS = 4
SAMPLE = 10_000


def _categorical(column: pa.ChunkedArray) -> pd.Categorical | None:
    """The column as a categorical with sorted categories, or None if it does not repeat."""
    sample = column.slice(0, SAMPLE)
    if pc.count_distinct(sample).as_py() * 2 > len(sample):
        return None
    encoded = pc.dictionary_encode(column.combine_chunks())
    distinct = encoded.dictionary
    if len(distinct) == 0 or len(distinct) * REPEATS > len(encoded):
        return None
    order = pc.sort_indices(distinct).to_numpy()
    rank = np.empty(len(order), dtype=np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    codes = np.full(len(encoded), -1, dtype=np.int32)
    present = encoded.indices.is_valid().to_numpy(zero_copy_only=False)
    codes[present] = rank[indices[present].astype(np.int64)]
    categories = pd.Index(distinct.take(order).to_pylist(), dtype=object)
    return pd.Categorical.from_codes(codes, categories=categories)


def from_arrow(table: pa.Table) -> pd.DataFrame:
    """The table as a frame: repeated text as sorted categoricals, everything else as
    pandas converts it. Each Arrow column is freed once converted (one copy at a time)."""
    columns: dict[str, object] = {}
    for name in table.column_names:
        column = table.column(name)
        if not pa.types.is_string(column.type):
            columns[name] = column.to_pandas(date_as_object=False)  # a day as datetime64
        else:
            held = _categorical(column)
            columns[name] = held if held is not None else _arrow_strings(column)
        table = table.drop_columns([name])
    return pd.DataFrame(columns)


def _arrow_strings(column: pa.ChunkedArray) -> pd.Series:
    """Distinct text left in Arrow's buffers, not copied out into Python strings."""
    return pd.Series(pd.arrays.ArrowExtensionArray(column.combine_chunks()))


def _is_arrow_string(dtype: object) -> bool:
    return isinstance(dtype, pd.ArrowDtype) and pa.types.is_string(dtype.pyarrow_dtype)


def _held(dtype: object) -> bool:
    return isinstance(dtype, pd.CategoricalDtype) or _is_arrow_string(dtype)


def to_arrow(df: pd.DataFrame) -> pa.Table:
    """The frame as an Arrow table recorded as a frame of plain strings.

    Arrow takes the held text as it is (a categorical as a dictionary, cast to
    plain strings in C++; an Arrow column without a copy), instead of it being
    turned into a million Python strings only to be encoded back. The pandas
    metadata is what a frame of plain strings records ('unicode', or 'empty' for
    a column without a value; numpy type 'object'), so readers get plain strings
    back and the file's bytes are the same.
    """
    table = pa.Table.from_pandas(df, preserve_index=False)
    held = {name for name, dtype in df.dtypes.items() if _held(dtype)}
    if not held:
        return table
    metadata = dict(table.schema.metadata or {})
    recorded = json.loads(metadata[b"pandas"])
    for column in recorded["columns"]:
        if column["name"] in held:
            has_value = bool(df[column["name"]].notna().any())
            column |= {"pandas_type": "unicode" if has_value else "empty"}
            column |= {"numpy_type": "object", "metadata": None}
    metadata[b"pandas"] = json.dumps(recorded).encode()
    fields = [f.with_type(pa.string()) if f.name in held else f for f in table.schema]
    return table.cast(pa.schema(fields, metadata=metadata))


def plain(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with its categoricals and Arrow strings as plain Python strings (None
    where missing), as pandas gives them from Arrow: for code that needs object text,
    such as pandera's per-value str check."""
    held = [name for name, dtype in df.dtypes.items() if _held(dtype)]
    if not held:
        return df
    out = df.copy(deep=False)
    for name in held:
        if _is_arrow_string(df[name].dtype):
            out[name] = pa.array(df[name]).to_pandas().to_numpy()
            continue
        values = np.asarray(df[name].cat.categories, dtype=object)
        codes = df[name].cat.codes.to_numpy()
        strings = values.take(np.maximum(codes, 0)) if len(values) else np.empty(len(df), object)
        strings[codes < 0] = None
        out[name] = strings
    return out


def per_distinct(column: pd.Series, compute: Callable[[pd.Series], pd.DataFrame]) -> pd.DataFrame:
    """``compute(column)``, run on a categorical's distinct values only and spread to its
    rows by code (NaN where a row has no value). ``compute`` must be row-wise and give
    float columns."""
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return compute(column)
    done = compute(pd.Series(column.cat.categories, dtype=object))
    values = done.to_numpy(dtype=float)
    codes = column.cat.codes.to_numpy()
    rows = values[np.maximum(codes, 0)] if len(values) else np.empty((len(codes), values.shape[1]))
    rows[codes < 0] = np.nan
    return pd.DataFrame(rows, index=column.index, columns=done.columns)


def _polars(column: pd.Series) -> pl.Series:
    return pl.from_arrow(pa.array(column.array))  # type: ignore[return-value]


def is_unique(column: pd.Series) -> bool:
    """pandas' ``is_unique`` (a missing value counts as one value)."""
    if _is_arrow_string(column.dtype):
        return bool(_polars(column).n_unique() == len(column))
    return bool(column.is_unique)


def absent(values: pd.Series, targets: pd.Series) -> np.ndarray:
    """Where ``values`` is set and not among ``targets``: a reference that points nowhere."""
    if not (_is_arrow_string(values.dtype) and _is_arrow_string(targets.dtype)):
        return values.notna().to_numpy() & ~values.isin(targets).to_numpy()
    left = pl.DataFrame({"v": _polars(values)}).with_row_index("at").drop_nulls("v")
    missing = left.join(pl.DataFrame({"v": _polars(targets)}), on="v", how="anti")
    out = np.zeros(len(values), dtype=bool)
    out[missing["at"].to_numpy()] = True
    return out
