"""Schema of statistics.parquet: one row per fact, however many times it is printed.

A fact printed more than once (a table total and the prose that repeats it, a headline
and its paragraph, a news article quoting the Commission) is one statistic; each of
its observations carries its ``statistic_id``, and one of them, the primary, gives the
statistic its value and description (csedata.statistics says which and why).
"""

from __future__ import annotations

from schemas.field import Field, table
from schemas.observations import FIELDS as OBSERVATION_FIELDS

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

FIELDS = {
    "statistic_id": Field(
        "string",
        "Stable id of the fact: the observation_id of its primary observation.",
        unique=True,
    ),
    **{name: OBSERVATION_FIELDS[name] for name in SHARED},
    "n_observations": Field("integer", "How many observations print the fact.", minimum=1),
    "n_sources": Field("integer", "How many sources print the fact.", minimum=1),
    "agree": Field(
        "boolean",
        "False where printings of the fact disagree beyond their printed "
        "precision (a warning of the validation report); True for a fact printed once.",
    ),
}

STATISTICS = table(
    "statistics",
    FIELDS,
    "One row per distinct fact, with its value from the primary observation, the number of "
    "observations and sources that print it, and whether they agree.",
)
