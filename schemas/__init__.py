"""pandera schemas of every released table: the one source of truth for their columns."""

from typing import Any

import pandas as pd
import pandera.pandas as pa

from schemas.ledger import LEDGER
from schemas.observations import OBSERVATIONS
from schemas.source_table import SOURCE_TABLE
from schemas.sources import SOURCES

SCHEMAS = {"observations": OBSERVATIONS, "sources": SOURCES, "ledger": LEDGER}
SOURCE_TABLES = "tables/"  # tables/<source_id>/<table_id>: each a SOURCE_TABLE


def schema_for(table: str) -> pa.DataFrameSchema:
    """The schema of a released table, named by its path without '.parquet'."""
    return SOURCE_TABLE if table.startswith(SOURCE_TABLES) else SCHEMAS[table]


def frame(schema: pa.DataFrameSchema, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows as a frame in the schema's column order and dtypes, even when empty."""
    df = pd.DataFrame(rows, columns=list(schema.columns))
    dtypes = {
        name: str(col.dtype) for name, col in schema.columns.items() if str(col.dtype) != "str"
    }
    return df.astype(dtypes) if len(df) == 0 else df


__all__ = ["LEDGER", "OBSERVATIONS", "SCHEMAS", "SOURCES", "SOURCE_TABLE", "frame", "schema_for"]
