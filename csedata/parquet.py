"""Deterministic Parquet with the schema's column descriptions in its metadata.

The same frame always gives the same bytes (no timestamps, fixed options), so a
rebuild can be compared with a release by checksum alone.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import pandera.pandas as pa
import pyarrow as pyarrow
import pyarrow.parquet as pq

from csedata import frames, memory
from csedata.errors import CsedataError
from schemas.field import logical_type

T = TypeVar("T")

# Each column's Parquet type follows its schema, not its values: a text column
# that happens to hold only nulls is still a string column.
ARROW_TYPES = {
    "string": pyarrow.string(),
    "integer": pyarrow.int64(),
    "number": pyarrow.float64(),
    "boolean": pyarrow.bool_(),
    "date": pyarrow.date32(),  # a day: held as a timestamp in pandas
    "list": pyarrow.list_(pyarrow.string()),  # a list of ids (observations.flags)
}


def arrow_type(column: pa.Column) -> pyarrow.DataType:
    """The Parquet type of a column: its field's logical type."""
    return ARROW_TYPES[logical_type(column)]


def to_arrow(df: pd.DataFrame, schema: pa.DataFrameSchema | None = None) -> pyarrow.Table:
    table = frames.to_arrow(df)
    if schema is None:
        return table
    fields = []
    for field in table.schema:
        column = schema.columns.get(field.name)
        if column is None:
            fields.append(field)
            continue
        # a column the schema requires is non-nullable in the file too
        typed = field.with_type(arrow_type(column)).with_nullable(column.nullable)
        description = column.description
        fields.append(typed.with_metadata({"description": description}) if description else typed)
    metadata = dict(table.schema.metadata or {})
    if schema.description:
        metadata[b"description"] = schema.description.encode()
    return table.cast(pyarrow.schema(fields, metadata=metadata))


def write(df: pd.DataFrame, path: Path, schema: pa.DataFrameSchema | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # zstd level 3 from release 2.0.0 on (1.x used 9): at a million rows it writes in a
    # third of the time for files ~11% larger. A change here changes every file's bytes,
    # so it comes only with a release whose contents change anyway.
    pq.write_table(to_arrow(df, schema), path, compression="zstd", compression_level=3)
    memory.give_back()  # the frame's Arrow copy, as large as the frame


# rows per row group of a table written in parts: a row group never holds the corpus
ROW_GROUP = 131_072


def write_parts(parts: Iterable[pyarrow.Table], path: Path, schema: pyarrow.Schema) -> None:
    """Parts of one table (each typed as ``to_arrow`` types it) as one Parquet file, with
    ``schema`` (csedata.frames.one_schema), row groups filled to ROW_GROUP rows across
    parts. One part of fewer rows gives the bytes ``write`` gives its frame."""
    path.parent.mkdir(parents=True, exist_ok=True)
    held: list[pyarrow.Table] = []
    rows, written = 0, False
    with pq.ParquetWriter(path, schema, compression="zstd", compression_level=3) as writer:
        for part in parts:
            held.append(part.replace_schema_metadata(schema.metadata))
            rows += part.num_rows
            while rows >= ROW_GROUP:
                table = pyarrow.concat_tables(held)
                writer.write_table(table.slice(0, ROW_GROUP), row_group_size=ROW_GROUP)
                held, rows, written = [table.slice(ROW_GROUP)], rows - ROW_GROUP, True
        if rows or not written:
            table = pyarrow.concat_tables(held) if held else schema.empty_table()
            writer.write_table(table, row_group_size=ROW_GROUP)
    memory.give_back()


def arrow_schema(schema: pa.DataFrameSchema) -> pyarrow.Schema:
    """The Arrow types of a pandera schema's columns (str, int64, float64, bool)."""
    return pyarrow.schema([(name, arrow_type(column)) for name, column in schema.columns.items()])


def rows_to_arrow(schema: pa.DataFrameSchema, rows: list[dict[str, Any]]) -> pyarrow.Table:
    """Row dicts, each holding every column, as an Arrow table typed by the schema.

    A row's values are taken as one tuple and the tuples turned into columns by ``zip``,
    both in C: ``Table.from_pylist`` looks each value up in Python, and a batch's
    observations took a third longer that way (the same table).
    """
    types = arrow_schema(schema)
    names = types.names
    get = operator.itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
    columns = zip(*map(get, rows), strict=True) if rows else [()] * len(names)
    arrays = [pyarrow.array(c, type=t) for c, t in zip(columns, types.types, strict=True)]
    return pyarrow.Table.from_arrays(arrays, schema=types)


def _readable(read: Callable[[Path], T], path: Path) -> T:
    """``read(path)``; a file that is not readable Parquet (truncated, damaged) is one
    CsedataError naming it, not pyarrow's traceback."""
    try:
        return read(path)
    except (pyarrow.ArrowException, OSError) as exc:
        problem = " ".join(str(exc).split()) or type(exc).__name__
        raise CsedataError(str(path), f"not a readable Parquet file: {problem}") from exc


def read_table(path: Path, columns: list[str] | None = None) -> pyarrow.Table:
    """The file's table, or only the ``columns`` named (the rest is not read)."""
    return _readable(lambda p: pq.read_table(p, columns=columns), path)


# rows of a record batch read back: Arrow decodes a batch at a time, and the reader of a
# table a part at a time holds at most one batch beyond its part
BATCH_ROWS = 8_192


def read_batches(
    path: Path, columns: list[str] | None = None
) -> tuple[pyarrow.Schema, Iterator[pyarrow.RecordBatch]]:
    """The schema of the file's ``columns`` (default: all) and their rows BATCH_ROWS at a
    time, never the whole file: a damaged file is one CsedataError naming it, wherever it
    breaks."""
    file = _readable(pq.ParquetFile, path)
    schema = file.schema_arrow
    if columns is not None:
        fields = [schema.field(c) for c in columns]
        schema = pyarrow.schema(fields, metadata=schema.metadata)

    def batches() -> Iterator[pyarrow.RecordBatch]:
        read = file.iter_batches(batch_size=BATCH_ROWS, columns=columns)
        while (batch := _readable(lambda _: next(read, None), path)) is not None:
            yield batch

    return schema, batches()


def read_schema(path: Path) -> pyarrow.Schema:
    return _readable(pq.read_schema, path)


def read_frame(path: Path) -> pd.DataFrame:
    """A released table as the schemas hold it (csedata.frames: text as Arrow strings, a
    day as datetime64)."""
    return frames.from_arrow(_readable(pq.read_table, path))


def num_rows(path: Path) -> int:
    rows: int = _readable(pq.read_metadata, path).num_rows
    return rows
