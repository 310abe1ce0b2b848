"""Schema of tables.parquet: the sources' own tables in their printed shape, all in one file.

One file for every table, keyed by source_id and table_id, rather than a file per
table: a corpus of thousands of reports would otherwise be tens of thousands of
tiny files, slow to write, verify and query. DuckDB or pandas select one table
with ``WHERE source_id = ... AND table_id = ...``.
"""

from __future__ import annotations

import pandera.pandas as pa

from schemas.field import Field, table
from schemas.fields import CATEGORY, LABEL, MULTI_RESPONSE, PARENT_CATEGORY, SOURCE_ID, TABLE_ID

FIELDS = {
    "source_id": SOURCE_ID,
    "table_id": TABLE_ID.but(
        description="The table within the source, as in observations.parquet."
    ),
    "table_title": Field("string", "The table's title as printed, verbatim."),
    "row": Field(
        "integer", "The row's position in its table as printed (1 = first row).", minimum=1
    ),
    "label": LABEL.but(description="The row's label as printed, verbatim."),
    "title": Field("string", "The row's display title in sentence case (observations.title)."),
    "category": CATEGORY.but(
        description="Normalized slug of the label ('total' for the total row); with "
        "source_id and table_id it names the row's observations."
    ),
    "parent_category": PARENT_CATEGORY.but(
        description="Category this row is a part of (hierarchy); 'total' for top rows."
    ),
    "multi_response": MULTI_RESPONSE,
    "n": Field(
        "integer",
        "The count printed in the N column (null where none was printed).",
        nullable=True,
        minimum=0,
    ),
    "percent": Field(
        "number",
        "The share printed in the % column, in percentage points (null where none was printed).",
        nullable=True,
        minimum=0,
        maximum=100,
    ),
}

TABLES = table(
    "tables",
    FIELDS,
    "The sources' tables as printed: one row per table row, with its N and %.",
    unique=["source_id", "table_id", "category"],
)


def _per_table() -> pa.DataFrameSchema:
    schema = TABLES.remove_columns(["source_id", "table_id", "table_title", "row", "title"])
    schema = schema.update_column("category", unique=True)
    schema = schema.update_column("n", dtype=float, metadata={"type": "number"})
    schema.unique, schema.name = None, "source_table"
    return schema


# Releases 1.x held a file per table, tables/<source_id>/<table_id>.parquet, without the
# two id columns. Never written again; kept so that verify and diff still read them.
PER_TABLE_1X = _per_table()
PER_TABLE_1X_PREFIX = "tables/"
