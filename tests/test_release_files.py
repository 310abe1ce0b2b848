"""What a release holds and how versions follow from changes (csedata.publish, no Prefect)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import frictionless
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from changes import SMARTPHONE, SMARTPHONE_SHARE, Frames, recount, rederive

import csedata
from csedata import diff, parquet, publish, verify
from csedata.errors import CsedataError
from csedata.validation import Validated
from schemas import REFERENCES, SCHEMAS, TEXT, schema_for

REPO = Path(__file__).resolve().parent.parent
Validate = Callable[[Frames], Validated]
ITEMP_SMARTPHONE_SHARE = "itemp-2021-production/ussc-production/smartphone-or-tablet/percent"


def _publish(root: Path, frames: Frames, validate: Validate) -> publish.Published:
    """Validate and publish, with the sources' tables rebuilt from observations a test
    changed."""
    rederive(frames)
    outcome = publish.publish(root, validate(frames), None)
    assert verify.problems(outcome.path) == []
    return outcome


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _add_observation(frames: Frames) -> str:
    new = pd.array(["test/added/one/percent"], dtype=TEXT)
    row = (
        frames["observations"]
        .iloc[[0]]
        .assign(observation_id=new, statistic_id=new, is_primary=True)
    )
    frames["observations"] = pd.concat([frames["observations"], row], ignore_index=True)
    return "test/added/one/percent"


def _remove_observation(frames: Frames) -> str:
    """Drop a prose figure; its ledger token becomes a deliberate exclusion."""
    obs, ledger = frames["observations"], frames["ledger"].copy()
    frames["ledger"] = ledger
    gone = obs[obs["form"] == "prose"].iloc[0]["observation_id"]
    frames["observations"] = obs[obs["observation_id"] != gone].reset_index(drop=True)
    token = ledger["observation_id"] == gone
    ledger.loc[token, ["status", "observation_id", "reason", "note"]] = [
        "excluded",
        None,
        "non-statistical",
        "test",
    ]
    return str(gone)


def test_release_files_and_frictionless(tmp_path: Path, frames: Frames, validate: Validate) -> None:
    outcome = _publish(tmp_path, frames, validate)
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

    # the frictionless validator reads every table and accepts the package
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

    # the data dictionary names every column of every table with its description
    dictionary = (folder / "data-dictionary.md").read_text()
    for schema in SCHEMAS.values():
        assert f"## {schema.name}" in dictionary
        for name, column in schema.columns.items():
            assert f"| `{name}` |" in dictionary
            assert str(column.description).replace("|", "\\|") in dictionary
    assert f"`observations.parquet` ({len(frames['observations'])} rows)" in dictionary


def test_frictionless_rejects_a_table_that_breaks_its_schema(
    tmp_path: Path, frames: Frames, validate: Validate
) -> None:
    """The generated constraints are real: a value outside its enum fails validation."""
    folder = _publish(tmp_path, frames, validate).path
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
    changelog = (_publish(tmp_path, frames, validate).path / "CHANGELOG.md").read_text()
    assert changelog.startswith("# Changelog\n\n## 1.0.0 (")
    assert "\n\nHow to migrate: nothing to do.\n\nFirst release: " in changelog


def test_frictionless_checks_the_foreign_keys(
    tmp_path: Path, frames: Frames, validate: Validate
) -> None:
    """Every reference is a declared foreign key, and frictionless follows it: a place the
    package does not hold fails (the places table is declared without Minneapolis)."""
    folder = _publish(tmp_path, frames, validate).path
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


def test_versions_follow_the_change(tmp_path: Path, frames: Frames, validate: Validate) -> None:
    root = tmp_path
    assert _publish(root, frames, validate).version == "1.0.0"
    before = _snapshot(root / "processed")

    same = publish.publish(root, validate(frames), None)
    assert (same.status, same.version) == ("unchanged", "1.0.0")
    assert _snapshot(root / "processed") == before

    patch = _publish(root, recount(frames, 242.0), validate)
    assert (patch.version, patch.previous) == ("1.0.1", "1.0.0")
    report = json.loads((patch.path / "diff.json").read_text())
    assert (report["from"], report["to"], report["change"]) == ("1.0.0", "1.0.1", "patch")
    changed = report["tables"]["observations"]["rows"]["changed"]
    # 47.3% no longer matches the 47.1% the article quotes: both are flagged
    flagged = {"old": [], "new": ["cross:cross-source:smartphone-or-tablet-itemp-ussc"]}
    assert changed == [
        {
            "key": {"observation_id": ITEMP_SMARTPHONE_SHARE},
            "changes": {"flags": flagged},
        },
        {"key": {"observation_id": SMARTPHONE}, "changes": {"value": {"old": 241.0, "new": 242.0}}},
        {
            "key": {"observation_id": SMARTPHONE_SHARE},
            "changes": {"value": {"old": 47.1, "new": 47.3}, "flags": flagged},
        },
    ]
    [shaped] = report["tables"]["tables"]["rows"]["changed"]
    assert shaped["key"] == {
        "source_id": "ussc-2021-production",
        "table_id": "method-of-production",
        "category": "smartphone-or-tablet",
    }
    assert shaped["changes"] == {
        "n": {"old": 241.0, "new": 242.0},
        "percent": {"old": 47.1, "new": 47.3},
    }
    assert set(report["tables"]) == {"observations", "statistics", "tables"}

    added = _add_observation(frames)
    minor = _publish(root, frames, validate)
    assert minor.version == "1.1.0"
    rows = json.loads((minor.path / "diff.json").read_text())["tables"]["observations"]["rows"]
    assert [r["observation_id"] for r in rows["added"]] == [added]

    removed = _remove_observation(frames)
    major = _publish(root, frames, validate)
    assert major.version == "2.0.0"
    report = json.loads((major.path / "diff.json").read_text())
    assert [r["observation_id"] for r in report["tables"]["observations"]["rows"]["removed"]] == [
        removed
    ]
    assert report["tables"]["ledger"]["rows"]["changed"]  # its token is now an exclusion

    # every release keeps the whole history, newest first; earlier releases untouched
    changelog = (major.path / "CHANGELOG.md").read_text()
    heads = [line.split()[1] for line in changelog.splitlines() if line.startswith("## ")]
    assert heads == ["2.0.0", "1.1.0", "1.0.1", "1.0.0"]
    assert f"removed `{removed}" in changelog
    assert f"`{SMARTPHONE}`: value: 241 → 242" in changelog
    first = {k: v for k, v in before.items() if k.startswith("1.0.0/")}
    assert {k: v for k, v in _snapshot(root / "processed").items() if k in first} == first
    assert (root / "processed" / "LATEST").read_text() == "2.0.0\n"
    assert all(not p for p in verify.releases(root, every=True).values())


def _table(folder: Path, df: pd.DataFrame, descriptions: dict[str, str]) -> dict[str, Path]:
    table = pa.Table.from_pandas(df, preserve_index=False)
    fields = [f.with_metadata({"description": descriptions.get(f.name, "")}) for f in table.schema]
    path = folder / "t.parquet"
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(table.cast(pa.schema(fields)), path)
    return {"tables/s/t": path}


@pytest.mark.parametrize(
    ("change", "level"),
    [
        (lambda df, d: (df, d), None),
        (lambda df, d: (df.assign(n=[1.0, 5.0]), d), "patch"),
        (lambda df, d: (df, {**d, "n": "a new description"}), "patch"),
        (lambda df, d: (df.iloc[:1], d), "patch"),  # source tables' rows are not public ids
        (lambda df, d: (df.assign(extra=["x", "y"]), d), "minor"),
        (lambda df, d: (df.drop(columns=["n"]), d), "major"),
        (lambda df, d: (df.assign(n=df["n"].astype("int64")), d), "major"),
    ],
    ids=["same", "value", "description", "row", "column-added", "column-removed", "retyped"],
)
def test_change_levels_of_columns(tmp_path: Path, change: object, level: str | None) -> None:
    old_df = pd.DataFrame({"category": ["a", "b"], "n": [1.0, 2.0]})
    old_desc = {"category": "slug", "n": "count"}
    new_df, new_desc = change(old_df.copy(), dict(old_desc))  # type: ignore[operator]
    tables = diff.compare(
        _table(tmp_path / "old", old_df, old_desc), _table(tmp_path / "new", new_df, new_desc)
    )
    assert diff.change_level(tables) == level


def test_days_in_json_are_iso_text() -> None:
    """A row of diff.json may hold a period's days (datetime.date from Arrow)."""
    assert (
        publish._json({"period_end": date(2019, 9, 30)}) == '{\n  "period_end": "2019-09-30"\n}\n'
    )
    with pytest.raises(TypeError, match="set is not JSON serializable"):
        publish._json({"x": {1}})


def test_next_version() -> None:
    assert diff.next_version(None, "minor") == "1.0.0"
    assert diff.next_version("1.4.2", "patch") == "1.4.3"
    assert diff.next_version("1.4.2", "minor") == "1.5.0"
    assert diff.next_version("1.4.2", "major") == "2.0.0"


def test_rebuild_is_byte_identical(tmp_path: Path, frames: Frames, validate: Validate) -> None:
    root = tmp_path / "project"
    _publish(root, frames, validate)
    latest = _publish(root, recount(frames, 242.0), validate)
    rebuilt = publish.rebuild(root, validate(frames), None, tmp_path / "again")
    assert (rebuilt.version, rebuilt.differences, rebuilt.notes) == ("1.0.1", [], [])
    assert _snapshot(tmp_path / "again") == _snapshot(latest.path)

    # other locked libraries that give the same files: reproduced, and the manifest says so
    relocked = publish.rebuild(root, validate(frames), "0" * 64, tmp_path / "relocked")
    assert relocked.differences == []
    assert relocked.notes == ["manifest.json: built by other code or libraries (lock_sha256)"]

    # the rebuild compares every file: other data gives other bytes, and says which
    other = publish.rebuild(root, validate(recount(frames, 243.0)), None, tmp_path / "other")
    assert "observations.parquet: sha256 differs" in other.differences
    assert "diff.json: sha256 differs" in other.differences
    with pytest.raises(CsedataError, match="not empty"):
        publish.rebuild(root, validate(frames), None, tmp_path / "other")


def test_duckdb_views_show_the_column_descriptions(
    tmp_path: Path, frames: Frames, validate: Validate
) -> None:
    folder = _publish(tmp_path, frames, validate).path
    assert "views.sql" in json.loads((folder / "manifest.json").read_text())["files"]
    con = duckdb.connect()
    con.execute(f"SET file_search_path = '{folder}'")
    con.execute((folder / "views.sql").read_text())
    comments = dict(
        con.execute(
            "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = 'observations'"
        ).fetchall()
    )
    assert comments == {n: c.description for n, c in schema_for("observations").columns.items()}
    (n,) = con.execute("SELECT n FROM tables WHERE category = 'smartphone-or-tablet'").fetchone()
    assert n == 241 and isinstance(n, int)


def test_loader_pandas_polars_duckdb(tmp_path: Path, frames: Frames, validate: Validate) -> None:
    root = tmp_path
    folder = _publish(root, frames, validate).path
    obs = csedata.load(root=root)
    assert obs.equals(pd.read_parquet(folder / "observations.parquet"))
    assert csedata.load("1.0.0", root=root).equals(obs)
    assert csedata.load(folder).equals(obs)
    shaped = csedata.load(table="tables", root=root)
    production = shaped[shaped["table_id"] == "method-of-production"].set_index("label")
    assert production.loc["Smartphone or Tablet", "n"] == 241

    # polars and DuckDB read the same file to the same rows
    polars = pl.read_parquet(folder / "observations.parquet")
    assert polars.equals(pl.from_pandas(obs))
    assert polars.filter(pl.col("observation_id") == SMARTPHONE)["value"].item() == 241
    [(n, total)] = duckdb.sql(
        "select count(*), sum(value) filter (where unit = 'count') from obs"
    ).fetchall()
    assert (n, total) == (len(obs), obs.loc[obs["unit"] == "count", "value"].sum())

    with pytest.raises(
        CsedataError, match="no table 'nope'; tables: ledger, measures, observations"
    ):
        csedata.load(table="nope", root=root)
    with pytest.raises(CsedataError, match=r"9\.9\.9: no such release"):
        csedata.load("9.9.9", root=root)
    data = bytearray((folder / "sources.parquet").read_bytes())
    data[len(data) // 2] ^= 1
    (folder / "sources.parquet").write_bytes(bytes(data))
    with pytest.raises(CsedataError, match=r"sources\.parquet: sha256 .* does not match"):
        csedata.load(table="sources", root=root)


def test_row_changes_match_on_the_key_in_key_order(tmp_path: Path) -> None:
    old = pa.table(
        {
            "source_id": ["b", "a", "a", "c"],
            "char_start": [1, 2, 1, 5],
            "note": [None, "x", None, "gone"],
            "n": [1.0, float("nan"), 3.0, 4.0],
        }
    )
    new = pa.table(
        {
            "source_id": ["a", "a", "b", "d"],
            "char_start": [1, 2, 1, 0],
            "note": ["now set", "x", None, "new"],
            "n": [3.0, float("nan"), 2.0, 0.0],
        }
    )
    key, columns = ["source_id", "char_start"], ["source_id", "char_start", "note", "n"]
    pq.write_table(old, tmp_path / "old.parquet", row_group_size=2)  # read a column at a time
    pq.write_table(new, tmp_path / "new.parquet")
    files, names = (tmp_path / "old.parquet", tmp_path / "new.parquet"), (columns, columns)
    rows = diff._row_changes(*files, key, columns, names)
    assert rows["added"] == [{"source_id": "d", "char_start": 0, "note": "new", "n": 0.0}]
    assert rows["removed"] == [{"source_id": "c", "char_start": 5, "note": "gone", "n": 4.0}]
    # missing equals missing (None, NaN); a value set where there was none is a change
    assert rows["changed"] == [
        {
            "key": {"source_id": "a", "char_start": 1},
            "changes": {"note": {"old": None, "new": "now set"}},
        },
        {"key": {"source_id": "b", "char_start": 1}, "changes": {"n": {"old": 1.0, "new": 2.0}}},
    ]


def _changed_row(changes: dict[str, object]) -> dict[str, object]:
    none: dict[str, list[object]] = {"added": [], "removed": [], "retyped": [], "redescribed": []}
    row = {
        "key": {"source_id": "s"},
        "changes": {c: {"old": 1, "new": v} for c, v in changes.items()},
    }
    return {
        "status": "changed",
        "columns": none,
        "rows": {"added": [], "removed": [], "changed": [row]},
    }


@pytest.mark.parametrize(
    ("sources", "others", "level"),
    [
        ({"sha256": "b", "file": "f2", "bytes": 2, "accessed": "d"}, False, None),
        ({"sha256": "b", "citation": "new wording"}, False, "patch"),
        ({"sha256": "b", "accessed": "d"}, True, "patch"),
    ],
    ids=["new-snapshot-only", "citation-changed", "statistic-changed"],
)
def test_a_new_snapshot_alone_makes_no_release(
    sources: dict[str, object], others: bool, level: str | None
) -> None:
    tables = {"sources": _changed_row(sources)}
    if others:  # a value of an observation changed with the snapshot
        tables["observations"] = _changed_row({"value": 2.0})
    assert diff.change_level(tables) == level
