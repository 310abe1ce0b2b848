"""A unique text column's uniqueness asked of polars before pandera validates a table.

pandera asks pandas whether a unique column is unique (``is_unique``); on Arrow strings
that builds Arrow's hash table, which copies every string into its memo and again into
its result: a million observation ids took 0.27 GiB beside the tables, the peak of
validation at 10,000 documents. polars hashes the same buffers for 0.05 GiB. Only when
polars finds a repeat does pandera check the column itself, to name the rows; otherwise
the report lists the check as passed from the schema (csedata.validation.schema), as
before. The schemas' unique fields (several columns together) stay with pandera: polars
hashes rows of several columns for more than pandas does (0.34 against 0.08 GiB for
the ledger's source and offset).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import polars as pl

from csedata.frames import is_text


def _unique_text(column: pd.Series) -> bool:
    """Whether ``column`` is text (as the schemas hold it) without a repeat; a missing
    value counts as a value, as pandas counts it."""
    return is_text(column.dtype) and pl.from_pandas(column).n_unique() == len(column)


def validate(schema: pa.DataFrameSchema, df: pd.DataFrame) -> None:
    """pandera's validation of ``df`` (lazy: every failure, raised as SchemaErrors), less
    the uniqueness of the text columns polars finds unique."""
    known = [
        name
        for name, column in schema.columns.items()
        if column.unique and name in df and _unique_text(df[name])
    ]
    if known:
        schema = schema.update_columns({name: {"unique": False} for name in known})
    # inplace: no schema here coerces, so pandera's defensive copy would only cost time
    schema.validate(df, lazy=True, inplace=True)
