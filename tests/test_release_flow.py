"""The release flow end to end, on Prefect's own engine (ephemeral API)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml
from localsite import tree

from csedata.cli import run_release
from csedata.errors import CsedataError
from csedata.registry import load_registry


def _readers_see_the_release(project: Path, release: Path, observations: int) -> None:
    """pyarrow sees the column descriptions; DuckDB reads the same rows, and every printed
    table of every source in the one tables.parquet."""
    table = pq.read_table(release / "observations.parquet")
    assert b"percentage points" in table.schema.field("value").metadata[b"description"]
    con = duckdb.connect()
    path = str(release / "observations.parquet")
    n, smartphone = con.execute(
        "select count(*), max(value) filter (where observation_id = "
        "'ussc-2021-production/method-of-production/smartphone-or-tablet/count') "
        f"from '{path}'"
    ).fetchone()  # type: ignore[misc]
    assert n == table.num_rows == observations
    assert smartphone == 241
    sources = pq.read_table(release / "sources.parquet").to_pandas()
    assert len(sources) == len(load_registry(project))
    assert {"source_id", "sha256", "title", "publisher", "url", "published"} <= set(sources.columns)
    # every printed table of every source is in the one tables.parquet
    [(printed, held)] = con.execute(
        f"select (select count(distinct (source_id, table_id)) from '{path}' "
        "where form = 'table'), "
        f"(select count(distinct (source_id, table_id)) from '{release / 'tables.parquet'}')"
    ).fetchall()
    assert printed == held == 2
    shaped = con.execute(
        f"select * from '{release / 'tables.parquet'}' where source_id = "
        "'ussc-2021-production' and table_id = 'method-of-production'"
    ).df()
    assert shaped["label"].iloc[0] == "Total §2G2.1 Offenders"  # the printed row order
    assert shaped.set_index("label").loc["Smartphone or Tablet", ["n", "percent"]].tolist() == [
        241,
        47.1,
    ]


def test_release_then_rerun_then_change(project: Path, prefect_api: str) -> None:
    first = run_release(project, None)
    assert first.release.status == "written"
    assert first.release.version == "1.0.0"
    release = project / "processed" / "1.0.0"
    assert (project / "processed" / "LATEST").read_text().strip() == "1.0.0"

    # the manifest's checksums and row counts describe the files as written
    manifest = json.loads((release / "manifest.json").read_text())
    for rel, entry in manifest["files"].items():
        path = release / rel
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
        if rel.endswith(".parquet"):
            assert pq.read_metadata(path).num_rows == entry["rows"]
    registry = yaml.safe_load((project / "raw" / "sources.yaml").read_text())["sources"]
    assert {s["source_id"]: s["sha256"] for s in registry} == {
        sid: s["sha256"] for sid, s in manifest["sources"].items()
    }

    _readers_see_the_release(project, release, first.observations)

    # nothing changed: nothing written, and the earlier release is untouched
    before = tree(project / "processed")
    again = run_release(project, None)
    assert again.release.status == "unchanged"
    assert again.release.version == "1.0.0"
    assert again.extracted == 0
    assert tree(project / "processed") == before

    # a changed spec (one figure fewer) gives a new major version, old one intact
    spec_file = project / "flows" / "specs" / "advocacy-fact-page.yaml"
    spec = yaml.safe_load(spec_file.read_text())
    removed = spec["figures"].pop()
    spec.setdefault("exclude", []).append(
        {"within": removed["quote"], "reason": "non-statistical", "note": "test"}
    )
    spec_file.write_text(yaml.safe_dump(spec, allow_unicode=True))
    third = run_release(project, None)
    assert third.release.status == "written"
    assert third.release.version == "2.0.0"
    assert (project / "processed" / "LATEST").read_text().strip() == "2.0.0"
    assert {k: v for k, v in tree(project / "processed").items() if k.startswith("1.0.0")} == {
        k: v for k, v in before.items() if k.startswith("1.0.0")
    }


def test_a_run_over_one_source_publishes_every_source(
    project: Path, built_frames: dict[str, pd.DataFrame], prefect_api: str
) -> None:
    """--source never shrinks the corpus: a fresh project's first run over one source
    releases every registered source, and a plain run then finds it up to date."""
    registry = yaml.safe_load((project / "raw" / "sources.yaml").read_text())["sources"]
    ids = sorted(entry["source_id"] for entry in registry)
    first = run_release(project, ids[-1:])
    assert (first.release.status, first.release.version) == ("written", "1.0.0")
    release = project / "processed" / "1.0.0"
    assert sorted(pq.read_table(release / "sources.parquet")["source_id"].to_pylist()) == ids
    observations = pq.read_table(release / "observations.parquet")
    assert observations["observation_id"].to_pylist() == list(
        built_frames["observations"]["observation_id"]
    )
    again = run_release(project, None)  # answered before Prefect: same summary
    assert (again.release.status, again.unreviewed) == ("unchanged", first.unreviewed)
    report = release / "validation" / "report.html"
    assert (f"needs a decision: {first.unreviewed}" in again.summary) == (first.unreviewed > 0)
    assert first.unreviewed == 0 or again.summary.endswith(f"(see {report})")


def _corrupt_byte(project: Path) -> str:
    path = project / "raw" / "ussc-2021-10-production-offenses-overview.txt"
    data = bytearray(path.read_bytes())
    data[data.index(b"241")] = ord("3")
    path.write_bytes(bytes(data))
    return "raw/ussc-2021-10-production-offenses-overview.txt: sha256"


def _remove_file(project: Path) -> str:
    (project / "raw" / "advocacy-child-pornography-fact-page.txt").unlink()
    return "raw/advocacy-child-pornography-fact-page.txt: raw file for source"


def _edit_registry(project: Path, index: int, **changes: object) -> None:
    path = project / "raw" / "sources.yaml"
    data = yaml.safe_load(path.read_text())
    for key, value in changes.items():
        if value is None:
            del data["sources"][index][key]
        else:
            data["sources"][index][key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True))


def _missing_field(project: Path) -> str:
    _edit_registry(project, 1, publisher=None)
    return "raw/sources.yaml: entry 2 (itemp-2021-production): field 'publisher' is missing"


def _outside_raw(project: Path) -> str:
    _edit_registry(project, 0, file="../../etc/passwd")
    return "raw/sources.yaml: entry 1 (ussc-2021-production): field 'file'"


@pytest.mark.parametrize("breaker", [_corrupt_byte, _remove_file, _missing_field, _outside_raw])
def test_bad_input_writes_nothing(project: Path, breaker: object, prefect_api: str) -> None:
    run_release(project, None)
    before = tree(project / "processed")
    expected = breaker(project)  # type: ignore[operator]
    with pytest.raises(CsedataError) as caught:
        run_release(project, None)
    message = str(caught.value)
    assert message.startswith(expected)
    assert "\n" not in message
    assert tree(project / "processed") == before


def test_unknown_source_id(project: Path, prefect_api: str) -> None:
    with pytest.raises(CsedataError, match="unknown source id 'nope'"):
        run_release(project, ["nope"])
    assert not (project / "processed" / "LATEST").exists()


def test_cli_reports_one_line_and_exit_code(project: Path, prefect_api: str) -> None:
    """The console command as a user runs it: one line on stderr, exit 1, no release."""
    _corrupt_byte(project)
    done = subprocess.run(
        [sys.executable, "-m", "csedata", "release", "--root", str(project)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PREFECT_API_URL": prefect_api},
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: raw/ussc-2021-10-production-offenses-overview.txt: sha256")
    assert not (project / "processed" / "LATEST").exists()
