"""Schemas of producers, places and measures.parquet: the vocabularies observations point at.

All three are written from flows/vocabularies/*.yaml (csedata.vocabularies), whole,
so a reader can join an observation's ``producer_id``, ``place_id`` or ``measure``
to a name, a kind or level, a definition, and (for places) a parent and standard
codes. The same fields are the rules the vocabulary files are loaded with.
"""

from __future__ import annotations

from collections.abc import Sequence

from schemas.field import Field, table
from schemas.fields import NAME, UNIT, VOCABULARY_ID, WEB_ADDRESS
from schemas.terms import FIPS, ISO_3166, PLACE_LEVELS, PRODUCER_KINDS, UNITS


def _choice(what: str, allowed: Sequence[str]) -> Field:
    return Field("string", f"{what}: {', '.join(allowed)}.", allowed=allowed)


PRODUCER_FIELDS = {
    "producer_id": VOCABULARY_ID.but(
        description="Stable id of the organisation (observations.producer_id)."
    ),
    "name": NAME.but(description="The organisation's name."),
    "kind": _choice("What kind of organisation", PRODUCER_KINDS),
    "url": WEB_ADDRESS,
}

MEASURE_FIELDS = {
    "measure_id": VOCABULARY_ID.but(
        description="Stable id of the quantity (observations.measure)."
    ),
    "definition": Field("string", "What is measured, in words.", min_length=1),
    "unit": UNIT.but(description=f"The unit every observation of it is in: {', '.join(UNITS)}."),
}

PLACE_FIELDS = {
    "place_id": VOCABULARY_ID.but(description="Stable id of the place (observations.place_id)."),
    "name": NAME.but(description="The place's name."),
    "level": _choice("What kind of place", PLACE_LEVELS),
    "parent_id": Field("string", "The place it lies within (null for the top).", nullable=True),
    "iso_3166": Field(
        "string",
        "ISO 3166-1 alpha-2 or ISO 3166-2 code, where one exists.",
        nullable=True,
        pattern=ISO_3166,
    ),
    "fips": Field(
        "string",
        "US FIPS code (state, county or place), where one exists.",
        nullable=True,
        pattern=FIPS,
    ),
}

PRODUCERS = table(
    "producers",
    PRODUCER_FIELDS,
    "The organisations that measured the statistics (not the documents that printed them: "
    "see sources.parquet).",
)
MEASURES = table(
    "measures",
    MEASURE_FIELDS,
    "The quantities observations measure, each with its definition and unit.",
)
PLACES = table(
    "places",
    PLACE_FIELDS,
    "The places statistics are about: worldwide, countries, states, regions, counties, "
    "cities, federal judicial districts and platforms, each within its parent.",
)
