"""How the tables are held in memory: every text column as Arrow strings.

One representation for text, ``TEXT`` (pandas' ArrowDtype over Arrow's string
type), from the extracted batches to the Parquet read back: the strings stay in
Arrow's buffers, so pandas' ``.str`` methods, ``isin``, comparisons and pandera's
built-in checks run in Arrow's C++ rather than per Python object, and polars reads
the same buffers without a copy. The schemas declare it (``schemas.dtypes.TEXT``), so a
column held any other way (Python objects, a categorical) fails validation.

On disk nothing depends on it: ``to_arrow`` records the text as plain strings, so
the Parquet bytes are those of a frame of Python strings.
"""

from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa

from schemas.dtypes import TEXT


def _held(arrow_type: pa.DataType) -> pd.ArrowDtype | None:
    """The pandas dtype an Arrow column becomes: text as TEXT, the rest as pandas has it."""
    return TEXT if pa.types.is_string(arrow_type) else None


def from_arrow(table: pa.Table) -> pd.DataFrame:
    """The table as a frame: text as TEXT, a day as datetime64.

    Each column is one contiguous array: a table read from many batches or row groups
    comes in chunks, and Arrow's take and filter on a chunked string column (every
    sort, merge and row selection) cost many times one on a single array.
    """
    frame: pd.DataFrame = table.combine_chunks().to_pandas(date_as_object=False, types_mapper=_held)
    return frame


def is_text(dtype: object) -> bool:
    return isinstance(dtype, pd.ArrowDtype) and pa.types.is_string(dtype.pyarrow_dtype)


def to_arrow(df: pd.DataFrame) -> pa.Table:
    """The frame as an Arrow table recorded as a frame of plain strings.

    Arrow takes the text as it is, without a copy. The pandas metadata is what a
    frame of plain strings records ('unicode', or 'empty' for a column without a
    value; numpy type 'object'), so readers that take no types_mapper get plain
    strings back and the file's bytes are those earlier releases were written with.
    """
    table = pa.Table.from_pandas(df, preserve_index=False)
    held = {name for name, dtype in df.dtypes.items() if is_text(dtype)}
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
    return table.replace_schema_metadata(metadata)


def one_schema(schemas: list[pa.Schema]) -> pa.Schema:
    """The schema of parts written as one table: the first's, each column's pandas
    metadata taken from the first part that holds a value there (``to_arrow`` records a
    column without one as 'empty', and a list of none as 'list[empty]')."""
    recorded = [json.loads((s.metadata or {}).get(b"pandas", b"null")) for s in schemas]
    if not recorded or recorded[0] is None:
        return schemas[0]
    merged = recorded[0]
    for at, column in enumerate(merged["columns"]):
        held = [
            r["columns"][at] for r in recorded if "empty" not in r["columns"][at]["pandas_type"]
        ]
        merged["columns"][at] = held[0] if held else column
    metadata = dict(schemas[0].metadata or {})
    metadata[b"pandas"] = json.dumps(merged).encode()
    return schemas[0].with_metadata(metadata)
