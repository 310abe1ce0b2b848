"""What a release holds (csedata.publish, no Prefect): its files, a data package that
frictionless validates, the data dictionary, the changelog and deterministic Parquet."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import frictionless
import pyarrow.parquet as pq
import yaml
from changes import Frames
from conftest import REPO
from publishing import Validate, publish_frames

from csedata import parquet
from schemas import REFERENCES, SCHEMAS, schema_for


def test_release_files_and_frictionless(tmp_path: Path, frames: Frames, validate: Validate) -> None:
    outcome = publish_frames(tmp_path, frames, validate)
    folder = outcome.path
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert {
        "observations.parquet",
        "sources.parquet",
        "ledger.parquet",
        "datapackage.json",
        "manifest.json",
        "data-dictionary.md",
        "CHANGELOG.md",
        "diff.json",
    } <= names

    package = json.loads((folder / "datapackage.json").read_text())
    manifest = json.loads((folder / "manifest.json").read_text())
    assert package["name"] == "csedata"
    assert package["version"] == manifest["version"] == "1.0.0"
    assert package["created"] == manifest["created"]
    assert package["licenses"][0]["name"]
    registry = yaml.safe_load((REPO / "raw" / "sources.yaml").read_text())["sources"]
    assert {s["file"]: s["sha256"] for s in package["sources"]} == {
        f"raw/{s['file']}": s["sha256"] for s in registry
    }
    assert manifest["sources"] == {
        s["source_id"]: {"file": s["file"], "sha256": s["sha256"]} for s in registry
    }
    assert set(manifest["libraries"]) >= {"pandas", "pyarrow", "pandera"}
    assert len(manifest["code_sha256"]) == 64
    tables = [r for r in package["resources"]]
    assert {r["path"] for r in tables} == {n for n in names if n.endswith(".parquet")}
    for resource in tables:
        path = folder / resource["path"]
        assert resource["format"] == "parquet"
        assert resource["hash"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
        assert manifest["files"][resource["path"]]["bytes"] == path.stat().st_size
        schema = schema_for(resource["name"])
        fields = {f["name"]: f for f in resource["schema"]["fields"]}
        assert list(fields) == list(schema.columns)
        for name, column in schema.columns.items():
            assert fields[name]["description"] == column.description
            assert fields[name].get("constraints", {}).get("required", False) != column.nullable

    _frictionless_accepts(folder, tables, manifest)
    _dictionary_describes_every_column(folder, len(frames["observations"]))


def _frictionless_accepts(
    folder: Path, tables: list[dict[str, Any]], manifest: dict[str, Any]
) -> None:
    """The frictionless validator reads every table and accepts the package."""
    checked = subprocess.run(
        [
            str(Path(sys.executable).parent / "frictionless"),
            "validate",
            "--json",
            "datapackage.json",
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(checked.stdout)
    assert report["valid"], checked.stdout[:2000]
    rows = {t["name"]: t["stats"]["rows"] for t in report["tasks"]}
    assert rows == {r["name"]: manifest["files"][r["path"]]["rows"] for r in tables}


def _dictionary_describes_every_column(folder: Path, observations: int) -> None:
    """The data dictionary names every column of every table with its description."""
    dictionary = (folder / "data-dictionary.md").read_text()
    for schema in SCHEMAS.values():
        assert f"## {schema.name}" in dictionary
        for name, column in schema.columns.items():
            assert f"| `{name}` |" in dictionary
            assert str(column.description).replace("|", "\\|") in dictionary
    assert f"`observations.parquet` ({observations} rows)" in dictionary


def test_frictionless_rejects_a_table_that_breaks_its_schema(
    tmp_path: Path, frames: Frames, validate: Validate
) -> None:
    """The generated constraints are real: a value outside its enum fails validation."""
    folder = publish_frames(tmp_path, frames, validate).path
    package = json.loads((folder / "datapackage.json").read_text())
    unit = next(
        f
        for r in package["resources"]
        if r["name"] == "observations"
        for f in r["schema"]["fields"]
        if f["name"] == "unit"
    )
    unit["constraints"]["enum"].remove("count")
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    (copy / "datapackage.json").write_text(json.dumps(package))
    report = frictionless.validate(str(copy / "datapackage.json"))
    assert not report.valid
    errors = report.flatten(["type", "fieldName"])
    assert errors and all(e == ["constraint-error", "unit"] for e in errors)


def test_release_notes_open_the_changelog_entry(
    tmp_path: Path, frames: Frames, validate: Validate
) -> None:
    notes = tmp_path / "flows" / "release-notes" / "1.0.0.md"
    notes.parent.mkdir(parents=True)
    notes.write_text("How to migrate: nothing to do.\n")
    changelog = (publish_frames(tmp_path, frames, validate).path / "CHANGELOG.md").read_text()
    assert changelog.startswith("# Changelog\n\n## 1.0.0 (")
    assert "\n\nHow to migrate: nothing to do.\n\nFirst release: " in changelog


def test_frictionless_checks_the_foreign_keys(
    tmp_path: Path, frames: Frames, validate: Validate
) -> None:
    """Every reference is a declared foreign key, and frictionless follows it: a place the
    package does not hold fails (the places table is declared without Minneapolis)."""
    folder = publish_frames(tmp_path, frames, validate).path
    package = json.loads((folder / "datapackage.json").read_text())
    declared = {
        (r["name"], k["fields"][0], k["reference"].get("resource", r["name"]))
        for r in package["resources"]
        for k in r["schema"].get("foreignKeys", [])
    }
    assert declared == {(t, c, target) for t, c, target, _ in REFERENCES}
    places = frames["places"]
    kept = places[places["place_id"] != "minneapolis"].reset_index(drop=True)
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    parquet.write(kept, copy / "places.parquet", schema_for("places"))
    resource = next(r for r in package["resources"] if r["name"] == "places")
    resource.pop("hash")
    (copy / "datapackage.json").write_text(json.dumps(package))
    report = frictionless.validate(str(copy / "datapackage.json"))
    assert not report.valid
    assert {e[0] for e in report.flatten(["type"])} == {"foreign-key"}


def test_parquet_is_deterministic_and_carries_descriptions(tmp_path: Path, frames: Frames) -> None:
    for name, df in frames.items():
        first, second = tmp_path / f"{name}-1.parquet", tmp_path / f"{name}-2.parquet"
        parquet.write(df, first, SCHEMAS[name])
        parquet.write(df.copy(), second, SCHEMAS[name])
        assert first.read_bytes() == second.read_bytes()
        schema = pq.read_schema(first)
        assert schema.metadata[b"description"].decode() == SCHEMAS[name].description
        for field in schema:
            column = SCHEMAS[name].columns[field.name]
            assert field.metadata[b"description"].decode() == column.description
            assert field.type == parquet.arrow_type(column)  # even when all null
