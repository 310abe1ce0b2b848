"""Schema of tables/<source_id>/<table_id>.parquet: a source's table in its printed shape."""

from __future__ import annotations

import pandera.pandas as pa

from schemas.observations import SLUG

SOURCE_TABLE = pa.DataFrameSchema(
    {
        "label": pa.Column(str, description="The row's label as printed, verbatim."),
        "category": pa.Column(
            str,
            pa.Check.str_matches(SLUG),
            unique=True,
            description="Normalized slug of the label ('total' for the total row); with the "
            "file's source and table ids it names the row's observations.",
        ),
        "parent_category": pa.Column(
            str,
            nullable=True,
            description="Category this row is a part of (hierarchy); 'total' for top rows.",
        ),
        "multi_response": pa.Column(
            bool, description="True where categories overlap, so shares may sum past 100%."
        ),
        "n": pa.Column(
            float,
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
    strict=True,
    ordered=True,
    name="source_table",
    description="A table of a source as printed: one row per label, with its N and %.",
)
