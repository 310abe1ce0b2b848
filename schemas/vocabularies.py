"""Schemas of producers.parquet and places.parquet: the vocabularies observations point at.

Both are written from flows/vocabularies/*.yaml (csedata.vocabularies), whole, so a
reader can join an observation's ``producer_id`` or ``place_id`` to a name, a kind or
level, and (for places) a parent and standard codes.
"""

from __future__ import annotations

import pandera.pandas as pa

from schemas.dtypes import TEXT
from schemas.observations import SLUG, UNITS

# who measures: the organisation that counted, not the document that printed the count
PRODUCER_KINDS = [
    "federal_agency",
    "federal_program",
    "task_force",
    "sheriffs_office",
    "police_department",
    "city_government",
    "nonprofit",
    "unknown",
]
PLACE_LEVELS = [
    "worldwide",
    "country",
    "state",
    "region",
    "county",
    "city",
    "federal_judicial_district",
    "platform",
    "unknown",
]


def _id(description: str) -> pa.Column:
    return pa.Column(TEXT, pa.Check.str_matches(SLUG), unique=True, description=description)


def _text(description: str, nullable: bool = False, **kw: object) -> pa.Column:
    return pa.Column(TEXT, nullable=nullable, description=description, **kw)  # type: ignore[arg-type]


def _choice(what: str, allowed: list[str]) -> pa.Column:
    return _text(f"{what}: {', '.join(allowed)}.", checks=pa.Check.isin(allowed))


PRODUCERS = pa.DataFrameSchema(
    {
        "producer_id": _id("Stable id of the organisation (observations.producer_id)."),
        "name": _text("The organisation's name."),
        "kind": _choice("What kind of organisation", PRODUCER_KINDS),
        "url": _text("Its web address (null where none is known).", nullable=True),
    },
    strict=True,
    ordered=True,
    name="producers",
    description="The organisations that measured the statistics (not the documents that "
    "printed them: see sources.parquet).",
)

MEASURES = pa.DataFrameSchema(
    {
        "measure_id": _id("Stable id of the quantity (observations.measure)."),
        "definition": _text("What is measured, in words."),
        "unit": _choice("The unit every observation of it is in", UNITS),
    },
    strict=True,
    ordered=True,
    name="measures",
    description="The quantities observations measure, each with its definition and unit.",
)

PLACES = pa.DataFrameSchema(
    {
        "place_id": _id("Stable id of the place (observations.place_id)."),
        "name": _text("The place's name."),
        "level": _choice("What kind of place", PLACE_LEVELS),
        "parent_id": _text("The place it lies within (null for the top).", nullable=True),
        "iso_3166": _text(
            "ISO 3166-1 alpha-2 or ISO 3166-2 code, where one exists.",
            nullable=True,
            checks=pa.Check.str_matches(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$"),
        ),
        "fips": _text(
            "US FIPS code (state, county or place), where one exists.",
            nullable=True,
            checks=pa.Check.str_matches(r"^[0-9]{2,7}$"),
        ),
    },
    strict=True,
    ordered=True,
    name="places",
    description="The places statistics are about: worldwide, countries, states, regions, "
    "counties, cities, federal judicial districts and platforms, each within its parent.",
)
