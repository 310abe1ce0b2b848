"""The vocabularies observations point at: producers, places and measures
(flows/vocabularies/).

A spec names the organisation that measured a figure (``producer``), the place it is
about (``place``) and the quantity (``measure``) by id; these files say what each id
is. They are data, validated on load (ids unique, kinds, levels and units from
schemas, every parent a place, no place its own ancestor); an id a spec uses that is
not here is a one-line error naming the spec and the entry. Releases hold them whole
(producers, places and measures.parquet).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from pydantic import model_validator

from csedata.errors import CsedataError
from csedata.spec import Context, Spec, load_model
from schemas import MEASURES, PLACES, PRODUCERS, frame
from schemas.models import Registered, Strict
from schemas.vocabularies import MEASURE_FIELDS, PLACE_FIELDS, PRODUCER_FIELDS

FOLDER = Path("flows") / "vocabularies"
PRODUCERS_FILE, PLACES_FILE = FOLDER / "producers.yaml", FOLDER / "places.yaml"
MEASURES_FILE = FOLDER / "measures.yaml"


class Producer(Registered):
    FIELDS = PRODUCER_FIELDS
    producer_id: str
    name: str
    kind: str
    url: str | None


class Place(Registered):
    FIELDS = PLACE_FIELDS
    place_id: str
    name: str
    level: str
    parent_id: str | None
    iso_3166: str | None
    fips: str | None


class Measure(Registered):
    FIELDS = MEASURE_FIELDS
    measure_id: str
    definition: str
    unit: str


def _unique(ids: list[str]) -> None:
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise ValueError(f"id {twice[0]!r} is given twice")


class Producers(Strict):
    producers: list[Producer]

    @model_validator(mode="after")
    def _ids(self) -> Producers:
        _unique([p.producer_id for p in self.producers])
        return self


class Measures(Strict):
    measures: list[Measure]

    @model_validator(mode="after")
    def _ids(self) -> Measures:
        _unique([m.measure_id for m in self.measures])
        return self


class Places(Strict):
    places: list[Place]

    @model_validator(mode="after")
    def _tree(self) -> Places:
        """Ids unique; every parent is a place; following parents always reaches a top."""
        _unique([p.place_id for p in self.places])
        parents = {p.place_id: p.parent_id for p in self.places}
        for place in parents:
            seen, at = {place}, parents[place]
            while at is not None:
                if at not in parents:
                    raise ValueError(f"place {place!r}: parent {at!r} is not a place")
                if at in seen:
                    raise ValueError(f"place {place!r} lies within itself")
                seen.add(at)
                at = parents[at]
        return self


class Vocabularies(Strict):
    producers: dict[str, Producer]
    places: dict[str, Place]
    measures: dict[str, Measure]

    def frames(self) -> dict[str, pd.DataFrame]:
        """The released tables, in the files' order."""
        return {
            "producers": frame(PRODUCERS, [p.model_dump() for p in self.producers.values()]),
            "places": frame(PLACES, [p.model_dump() for p in self.places.values()]),
            "measures": frame(MEASURES, [m.model_dump() for m in self.measures.values()]),
        }

    def check_spec(self, spec: Spec, where: str) -> None:
        """Every producer, place and measure the spec names is in the vocabulary."""
        entries: list[tuple[str, Context]] = [("defaults", spec.defaults)]
        entries += [(f"tables ({t.table_id})", t) for t in spec.tables]
        entries += [(f"figures ({f.id})", f) for f in spec.figures]
        for entry, context in entries:
            for kind, known, file in (
                ("producer", self.producers, PRODUCERS_FILE),
                ("place", self.places, PLACES_FILE),
                ("measure", self.measures, MEASURES_FILE),
            ):
                value = getattr(context, kind)
                for named in value.values() if isinstance(value, dict) else [value]:
                    if named is not None and named not in known:
                        raise CsedataError(
                            f"{where}: {entry}", f"{kind} {named!r} is not in {file.as_posix()}"
                        )


def load_vocabularies(root: Path) -> Vocabularies:
    producers = load_model(root, root / PRODUCERS_FILE, Producers).producers
    places = load_model(root, root / PLACES_FILE, Places).places
    measures = load_model(root, root / MEASURES_FILE, Measures).measures
    return Vocabularies(
        producers={p.producer_id: p for p in producers},
        places={p.place_id: p for p in places},
        measures={m.measure_id: m for m in measures},
    )


def file_bytes(root: Path) -> bytes:
    """The files' bytes, for the extraction cache key (extraction checks ids against them)."""
    return b"".join(
        (root / f).read_bytes() if (root / f).is_file() else b"missing"
        for f in (PRODUCERS_FILE, PLACES_FILE, MEASURES_FILE)
    )
