"""pandera schemas of every released table: the one source of truth for their columns."""

from typing import Any

import pandas as pd
import pandera.pandas as pa

from schemas.dtypes import TEXT, dtype_name
from schemas.ledger import LEDGER
from schemas.observations import OBSERVATIONS
from schemas.sources import SOURCES
from schemas.statistics import STATISTICS
from schemas.tables import PER_TABLE_1X, PER_TABLE_1X_PREFIX, TABLES
from schemas.vocabularies import MEASURES, PLACES, PRODUCERS

SCHEMAS = {
    "observations": OBSERVATIONS,
    "sources": SOURCES,
    "ledger": LEDGER,
    "tables": TABLES,
    "producers": PRODUCERS,
    "places": PLACES,
    "measures": MEASURES,
    "statistics": STATISTICS,
}

# The version of these schemas, recorded in each release's manifest: a release without
# it (before 3.0.0) was validated by the schemas of its day and is verified by checksums.
SCHEMA_VERSION = 4

# (table, column, target table, target column): each value set in the column is a row of
# the target; declared as foreign keys in datapackage.json and checked by validation
REFERENCES = [
    ("observations", "source_id", "sources", "source_id"),
    ("observations", "producer_id", "producers", "producer_id"),
    ("observations", "place_id", "places", "place_id"),
    ("observations", "measure", "measures", "measure_id"),
    ("observations", "statistic_id", "statistics", "statistic_id"),
    ("places", "parent_id", "places", "place_id"),
    ("statistics", "statistic_id", "observations", "observation_id"),
    ("ledger", "source_id", "sources", "source_id"),
    ("ledger", "observation_id", "observations", "observation_id"),
]


def schema_for(table: str) -> pa.DataFrameSchema:
    """The schema of a released table, named by its path without '.parquet'."""
    return PER_TABLE_1X if table.startswith(PER_TABLE_1X_PREFIX) else SCHEMAS[table]


def frame(schema: pa.DataFrameSchema, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows as a frame in the schema's column order and dtypes (text as TEXT), even empty."""
    df = pd.DataFrame(rows, columns=list(schema.columns))
    for name, column in schema.columns.items():
        if str(column.dtype).startswith("datetime64"):  # days come as datetime.date
            df[name] = pd.to_datetime(df[name]).astype("datetime64[ms]")
        elif str(column.dtype) == "Int64":  # an integer that may be missing comes as None
            df[name] = df[name].astype("Int64")
        elif dtype_name(column) == "str":
            df[name] = df[name].astype(TEXT)
    dtypes = {
        name: str(col.dtype) for name, col in schema.columns.items() if dtype_name(col) != "str"
    }
    return df.astype(dtypes) if len(df) == 0 else df


__all__ = [
    "LEDGER",
    "MEASURES",
    "OBSERVATIONS",
    "PLACES",
    "PRODUCERS",
    "REFERENCES",
    "SCHEMAS",
    "SCHEMA_VERSION",
    "SOURCES",
    "STATISTICS",
    "TABLES",
    "TEXT",
    "frame",
    "schema_for",
]
