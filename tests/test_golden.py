"""Golden files: every observation of every source, pinned.

tests/golden/<source_id>.csv holds observation_id, value, unit, qualifier,
char_start and value_text of each observation as the extraction gave them when
the file was last reviewed. A change to a spec, a raw file or the extraction
code that moves any of them fails here until a maintainer reviews the change
and regenerates the files:

    CSEDATA_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py

(then read the diff of tests/golden/ before committing it).
"""

from __future__ import annotations

import csv
import math
import os
from pathlib import Path

import pytest

from csedata.extract import extract
from csedata.prepare.dispatch import prepare
from csedata.registry import load_registry
from csedata.spec import load_spec

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"
COLUMNS = ["observation_id", "value", "unit", "qualifier", "char_start", "value_text"]
SOURCE_IDS = list(load_registry(ROOT))
UPDATE = os.environ.get("CSEDATA_UPDATE_GOLDEN") == "1"


def current_rows(source_id: str) -> list[dict[str, str]]:
    """The source's observations as golden rows (values as repr, exact for a float)."""
    source = load_registry(ROOT)[source_id]
    doc = prepare(ROOT, source)  # a web page or PDF is read as the pipeline reads it
    text = doc.text
    observations = extract(source, load_spec(ROOT, source_id), text, doc.pages)
    return [
        {
            "observation_id": o["observation_id"],
            "value": repr(float(o["value"])),
            "unit": o["unit"],
            "qualifier": o["qualifier"],
            "char_start": str(o["char_start"]),
            "value_text": o["value_text"],
        }
        for o in observations
    ]


def write_golden(directory: Path = GOLDEN) -> list[Path]:
    """(Re)write one golden CSV per registered source; stale files are removed."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for source_id in SOURCE_IDS:
        path = directory / f"{source_id}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(current_rows(source_id))
        written.append(path)
    for stale in set(directory.glob("*.csv")) - set(written):
        stale.unlink()
    return written


def read_golden(source_id: str, directory: Path = GOLDEN) -> list[dict[str, str]]:
    path = directory / f"{source_id}.csv"
    assert path.is_file(), f"{path} is missing; generate it with CSEDATA_UPDATE_GOLDEN=1"
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS
        return list(reader)


@pytest.fixture(scope="module", autouse=True)
def _update_golden() -> None:
    if UPDATE:
        write_golden()


def test_one_golden_file_per_registered_source() -> None:
    assert sorted(p.stem for p in GOLDEN.glob("*.csv")) == sorted(SOURCE_IDS)


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_extraction_matches_golden(source_id: str) -> None:
    golden = {row["observation_id"]: row for row in read_golden(source_id)}
    current = {row["observation_id"]: row for row in current_rows(source_id)}
    assert len(golden) == len(read_golden(source_id)), "duplicate ids in the golden file"
    missing = sorted(golden.keys() - current.keys())
    extra = sorted(current.keys() - golden.keys())
    assert not missing, f"observations no longer extracted: {missing}"
    assert not extra, f"observations not in the golden file: {extra}"
    changed = []
    for oid, want in golden.items():
        got = current[oid]
        for column in COLUMNS[2:]:
            if got[column] != want[column]:
                changed.append(f"{oid} {column}: golden {want[column]!r}, now {got[column]!r}")
        # values to within float rounding: 4.1 million computed two ways may differ
        # in the last bit, which is not a change of the statistic
        if not math.isclose(float(got["value"]), float(want["value"]), rel_tol=1e-12):
            changed.append(f"{oid} value: golden {want['value']}, now {got['value']}")
    assert not changed, "\n".join(changed)


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_golden_value_text_is_in_the_raw_text(source_id: str) -> None:
    text = prepare(ROOT, load_registry(ROOT)[source_id]).text
    for row in read_golden(source_id):
        start = int(row["char_start"])
        assert row["value_text"] in text[start:], row["observation_id"]


def test_write_golden_round_trips(tmp_path: Path) -> None:
    written = write_golden(tmp_path)
    assert sorted(p.name for p in written) == sorted(f"{s}.csv" for s in SOURCE_IDS)
    for source_id in SOURCE_IDS:
        assert read_golden(source_id, tmp_path) == current_rows(source_id)
    (tmp_path / "removed-source.csv").write_text("stale\n", encoding="utf-8")
    write_golden(tmp_path)
    assert not (tmp_path / "removed-source.csv").exists()
