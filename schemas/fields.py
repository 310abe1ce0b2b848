"""Fields that several tables (and inputs) share: each defined here once.

A table's own columns are defined in its module (schemas/<table>.py); a column
that means the same in several tables, or that an input model holds too, is
defined here and used by name. Where a table words a shared field for its own
rows, it says so with ``Field.but(description=...)``; the rules stay the field's.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from schemas.field import Field
from schemas.terms import SHA256, SLUG, UNITS, URL, YEAR_IN_SLUG


def _no_year(series: pd.Series) -> pd.Series:
    return ~series.str.contains(YEAR_IN_SLUG, regex=True)


SOURCE_ID = Field("string", "The raw source (see sources.parquet).", pattern=SLUG)
TABLE_ID = Field("string", "The table or group of figures within the source.", pattern=SLUG)
SHA256_HEX = Field("string", "SHA-256 of the raw file's bytes.", pattern=SHA256)
BYTES = Field("integer", "Size of the raw file in bytes.", exclusive_minimum=0)
WEB_ADDRESS = Field(
    "string", "Its web address (null where none is known).", nullable=True, pattern=URL
)
NAME = Field("string", "Its name.", min_length=1)
LABEL = Field("string", "The source's own label for the statistic, verbatim.")
TITLE = Field(
    "string",
    "A display title in sentence case, written in the spec: what the number is, "
    "without its period or place (see those columns).",
)
CATEGORY = Field(
    "string",
    "What the row counts within its table, as a slug without a year (the period "
    "columns hold time): the spec's category, or the label's slug for a table row "
    "('total' for a table's total row).",
    pattern=SLUG,
    checks=(
        pa.Check(
            _no_year,
            name="no_year_in_category",
            error="a year in the category slug (time belongs in the period columns)",
        ),
    ),
)
PARENT_CATEGORY = Field(
    "string",
    "Category this row is a part of (hierarchy); 'total' for a table's top rows.",
    nullable=True,
)
MULTI_RESPONSE = Field("boolean", "True where categories overlap, so shares may sum past 100%.")
UNIT = Field(
    "string",
    "count, percent (share of the universe), percent_change (signed: a fall is "
    "negative), months or years.",
    allowed=UNITS,
)
# an id of a vocabulary entry: the key of its table, a reference elsewhere
VOCABULARY_ID = Field("string", "Stable id.", pattern=SLUG, unique=True)
OFFSET = Field("integer", "A character offset into the raw file's decoded UTF-8 text.", minimum=0)
