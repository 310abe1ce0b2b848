"""Schema of statistics.parquet: one row per fact, however many times it is printed.

A fact printed more than once (a table total and the prose that repeats it, a headline
and its paragraph, a news article quoting the Commission) is one statistic; each of
its observations carries its ``statistic_id``, and one of them, the primary, gives the
statistic its value and description (csedata.statistics says which and why).
"""

from __future__ import annotations

import pandera.pandas as pa

from schemas.dtypes import TEXT
from schemas.observations import OBSERVATIONS

# described as in observations: the statistic takes them from its primary observation
SHARED = [
    "title",
    "measure",
    "universe",
    "category",
    "period",
    "period_kind",
    "period_start",
    "period_end",
    "place_id",
    "producer_id",
    "value",
    "unit",
]

STATISTICS = pa.DataFrameSchema(
    {
        "statistic_id": pa.Column(
            TEXT,
            unique=True,
            description="Stable id of the fact: the observation_id of its primary observation.",
        ),
        **{name: OBSERVATIONS.columns[name] for name in SHARED},
        "n_observations": pa.Column(
            "int64", pa.Check.ge(1), description="How many observations print the fact."
        ),
        "n_sources": pa.Column(
            "int64", pa.Check.ge(1), description="How many sources print the fact."
        ),
        "agree": pa.Column(
            bool,
            description="False where printings of the fact disagree beyond their printed "
            "precision (a warning of the validation report); True for a fact printed once.",
        ),
    },
    strict=True,
    ordered=True,
    name="statistics",
    description="One row per distinct fact, with its value from the primary observation, "
    "the number of observations and sources that print it, and whether they agree.",
)
