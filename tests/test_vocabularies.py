"""flows/vocabularies/: producers and places, validated, and the ids the specs use."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from csedata import pipeline
from csedata.checkspec import check_spec
from csedata.errors import CsedataError
from csedata.registry import load_registry
from csedata.spec import load_spec
from csedata.vocabularies import PLACES_FILE, PRODUCERS_FILE, load_vocabularies

REPO = Path(__file__).resolve().parents[1]


def test_every_spec_names_known_producers_and_places() -> None:
    vocabularies = load_vocabularies(REPO)
    for source_id in load_registry(REPO):
        vocabularies.check_spec(load_spec(REPO, source_id), source_id)
    assert vocabularies.places["minneapolis"].parent_id == "minnesota"
    assert vocabularies.producers["ncmec"].kind == "nonprofit"


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "flows" / "vocabularies", tmp_path / "flows" / "vocabularies")
    return tmp_path


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (PLACES_FILE, "level: city", "level: town", r"places\[10\] \(minneapolis\)\.level"),
        (PLACES_FILE, "parent_id: minnesota", "parent_id: atlantis", "'atlantis' is not a place"),
        (
            PLACES_FILE,
            "parent_id: worldwide, iso_3166: US",
            "parent_id: us, iso_3166: US",
            "itself",
        ),
        (PRODUCERS_FILE, "producer_id: ncmec", "producer_id: ussc", "'ussc' is given twice"),
        (PRODUCERS_FILE, "kind: nonprofit", "kind: charity", r"\(ncmec\)\.kind"),
    ],
)
def test_a_bad_vocabulary_is_one_line(
    tmp_path: Path, file: Path, old: str, new: str, message: str
) -> None:
    root = _copy(tmp_path)
    text = (root / file).read_text()
    assert old in text
    (root / file).write_text(text.replace(old, new, 1))
    with pytest.raises(CsedataError, match=message) as exc:
        load_vocabularies(root)
    assert str(exc.value).startswith(file.as_posix())
    assert len(str(exc.value).splitlines()) == 1


def test_an_unknown_place_in_a_spec_names_the_spec_and_figure(project: Path) -> None:
    spec = project / "flows" / "specs" / "itemp-2021-production.yaml"
    text = spec.read_text()
    spec.write_text(text.replace("place: south-florida\n", "place: south-floride\n", 1))
    sources = list(load_registry(project).values())
    with pytest.raises(CsedataError) as exc:
        pipeline.extract_batch(project, sources)
    assert str(exc.value) == (
        "flows/specs/itemp-2021-production.yaml: figures (south-florida-icac-arrests): "
        "place 'south-floride' is not in flows/vocabularies/places.yaml"
    )


@pytest.mark.parametrize(
    ("table", "column", "message"),
    [
        ("observations", "place_id", "place_id is in places: 'atlantis' is not"),
        ("observations", "producer_id", "producer_id is in producers: 'atlantis' is not"),
        ("places", "parent_id", "parent_id is in places: 'atlantis' is not"),
    ],
)
def test_validation_refuses_an_id_outside_the_vocabulary(
    frames: dict[str, pd.DataFrame],
    validate: Callable[[dict[str, pd.DataFrame]], object],
    table: str,
    column: str,
    message: str,
) -> None:
    changed = frames[table].copy()
    changed.loc[changed.index[-1], column] = "atlantis"
    frames[table] = changed
    with pytest.raises(CsedataError, match=message):
        validate(frames)


@pytest.mark.parametrize(
    ("old", "entry"),
    [
        ("    measure: juveniles-rescued\n", "figures (juvenile-females-rescued)"),
        ("  measure: defendants-charged\n", "defaults"),
    ],
)
def test_an_unknown_measure_in_a_spec_is_one_line(project: Path, old: str, entry: str) -> None:
    """The same line from a release and from check-spec, which must not pass it."""
    spec = project / "flows" / "specs" / "minneapolis-2013-trafficking.yaml"
    text = spec.read_text()
    assert old in text
    spec.write_text(text.replace(old, old.split(":")[0] + ": rescues\n", 1))
    expected = (
        f"flows/specs/minneapolis-2013-trafficking.yaml: {entry}: "
        "measure 'rescues' is not in flows/vocabularies/measures.yaml"
    )
    with pytest.raises(CsedataError) as exc:
        pipeline.extract_batch(project, list(load_registry(project).values()))
    assert str(exc.value) == expected
    with pytest.raises(CsedataError) as exc:
        check_spec(project, "minneapolis-2013-trafficking")
    assert str(exc.value) == expected


def test_an_observation_is_in_its_measures_unit(
    frames: dict[str, pd.DataFrame],
    validate: Callable[[dict[str, pd.DataFrame]], object],
) -> None:
    measures = frames["measures"].copy()
    measures.loc[measures["measure_id"] == "share-of-cases", "unit"] = "count"
    frames["measures"] = measures
    with pytest.raises(
        CsedataError, match="unit is its measure's unit: 'share-of-cases in percent'"
    ):
        validate(frames)
