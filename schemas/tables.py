"""Schema of tables.parquet: the sources' own tables in their printed shape, all in one file.

One file for every table, keyed by source_id and table_id, rather than a file per
table: a corpus of thousands of reports would otherwise be tens of thousands of
tiny files, slow to write, verify and query. DuckDB or pandas select one table
with ``WHERE source_id = ... AND table_id = ...``.
"""

from __future__ import annotations

import pandera.pandas as pa

from schemas.dtypes import TEXT
from schemas.observations import SLUG

TABLES = pa.DataFrameSchema(
    {
        "source_id": pa.Column(TEXT, description="The raw source (see sources.parquet)."),
        "table_id": pa.Column(
            TEXT, description="The table within the source, as in observations.parquet."
        ),
        "table_title": pa.Column(TEXT, description="The table's title as printed, verbatim."),
        "row": pa.Column(
            "int64",
            pa.Check.ge(1),
            description="The row's position in its table as printed (1 = first row).",
        ),
        "label": pa.Column(TEXT, description="The row's label as printed, verbatim."),
        "title": pa.Column(
            TEXT, description="The row's display title in sentence case (observations.title)."
        ),
        "category": pa.Column(
            TEXT,
            pa.Check.str_matches(SLUG),
            description="Normalized slug of the label ('total' for the total row); with "
            "source_id and table_id it names the row's observations.",
        ),
        "parent_category": pa.Column(
            TEXT,
            nullable=True,
            description="Category this row is a part of (hierarchy); 'total' for top rows.",
        ),
        "multi_response": pa.Column(
            bool, description="True where categories overlap, so shares may sum past 100%."
        ),
        "n": pa.Column(
            "Int64",
            pa.Check.ge(0),
            nullable=True,
            description="The count printed in the N column (null where none was printed).",
        ),
        "percent": pa.Column(
            float,
            pa.Check.in_range(0, 100),
            nullable=True,
            description="The share printed in the % column, in percentage points (null where "
            "none was printed).",
        ),
    },
    unique=["source_id", "table_id", "category"],
    strict=True,
    ordered=True,
    name="tables",
    description="The sources' tables as printed: one row per table row, with its N and %.",
)


def _per_table() -> pa.DataFrameSchema:
    schema = TABLES.remove_columns(["source_id", "table_id", "table_title", "row", "title"])
    schema = schema.update_column("category", unique=True).update_column("n", dtype=float)
    schema.unique, schema.name = None, "source_table"
    return schema


# Releases 1.x held a file per table, tables/<source_id>/<table_id>.parquet, without the
# two id columns. Never written again; kept so that verify and diff still read them.
PER_TABLE_1X = _per_table()
PER_TABLE_1X_PREFIX = "tables/"
