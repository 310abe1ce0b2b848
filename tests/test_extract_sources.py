"""csedata.extract over every registered source: each observation holds its quote and
value where the raw file has them, fits the release schema and has a unique id."""

from __future__ import annotations

import pytest
from extracts import ROOT, SOURCE_IDS, real

from csedata.spec import load_spec
from schemas import frame
from schemas.observations import EXTRACTED


def test_every_registered_source_has_a_spec_and_observations() -> None:
    assert SOURCE_IDS  # every source the registry lists, however many
    for source_id in SOURCE_IDS:
        observations = real(source_id)[1]
        assert observations, source_id
        assert {o["source_id"] for o in observations} == {source_id}


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_every_observation_holds_its_quote_and_value(source_id: str) -> None:
    text, observations = real(source_id)
    for o in observations:
        oid = o["observation_id"]
        assert text[o["char_start"] : o["char_end"]] == o["quote"], oid
        assert text[o["value_start"] : o["value_end"]] == o["value_text"], oid
        assert o["char_start"] <= o["value_start"] < o["value_end"] <= o["char_end"], oid
        assert o["value_text"].strip() == o["value_text"] != "", oid


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_observations_fit_the_release_schema(source_id: str) -> None:
    """Every column but those assembled later (statistic_id, is_primary)."""
    EXTRACTED.validate(frame(EXTRACTED, list(real(source_id)[1])))


def test_observation_ids_are_unique_across_sources() -> None:
    ids = [o["observation_id"] for sid in SOURCE_IDS for o in real(sid)[1]]
    assert len(ids) == len(set(ids))
    for oid in ids:
        source_id, _table_id, _category, unit = oid.split("/")
        assert source_id in SOURCE_IDS
        assert unit in {"count", "percent", "percent_change", "months", "years"}


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_observation_id_is_built_from_its_parts(source_id: str) -> None:
    """A table row is named by its category, a figure by its spec id (which, unlike the
    category, may hold a year: the public ids of release 2 stay as they were)."""
    figures = {f.id: f for f in load_spec(ROOT, source_id).figures}
    for o in real(source_id)[1]:
        key = o["category"]
        if o["form"] == "prose":
            (key,) = [i for i in figures if o["observation_id"].split("/")[2] == i]
            assert o["category"] == figures[key].category_slug
        parts = [o["source_id"], o["table_id"], key, o["unit"]]
        assert o["observation_id"] == "/".join(parts)
