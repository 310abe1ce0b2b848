"""Validation end to end: the report in the release and in Prefect, and a broken table refused."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from localsite import tree
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

from csedata.cli import run_release
from csedata.errors import CsedataError
from csedata.report import REPORT_FILES
from flows.release import release_flow

USSC = "raw/ussc-2021-10-production-offenses-overview.txt"


def test_release_ships_report_and_flow_publishes_artifacts(project: Path, prefect_api: str) -> None:
    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        state = release_flow(str(project), None, return_state=True)
    outcome = state.result()
    assert outcome.release.status == "written"
    release = outcome.release.path
    manifest = json.loads((release / "manifest.json").read_text())
    for name in REPORT_FILES:
        data = (release / "validation" / name).read_bytes()
        assert manifest["files"][f"validation/{name}"]["sha256"] == hashlib.sha256(data).hexdigest()
    report = json.loads((release / "validation" / "report.json").read_text())
    assert report["summary"]["errors"] == 0
    assert report["summary"]["warnings"] > 0
    assert report["observations"] == outcome.observations
    # the release's report says which release it covers
    assert report["release"]["version"] == outcome.release.version == release.name
    assert (
        report["release"]["created"]
        == json.loads((release / "manifest.json").read_text())["created"]
    )
    assert (
        f"Covers <strong>release {outcome.release.version}, created "
        in (release / "validation" / "report.html").read_text()
    )
    # a warning no one has reviewed is marked in the run's summary and its artifact
    assert report["summary"]["unreviewed"] == outcome.unreviewed > 0
    assert f"needs a decision: {outcome.unreviewed} unreviewed warning" in outcome.summary

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id])
            )
        )
    by_key = {a.key: a for a in artifacts}
    assert set(by_key) == {"validation-report", "validation-checks", "csedata-run"}
    assert by_key["validation-report"].type == "markdown"
    assert "needs a decision" in by_key["csedata-run"].description
    # the artifact is the release's report.md, but for the line saying which release
    full = (release / "validation" / "report.md").read_text()
    page = by_key["validation-report"].data
    assert "Covers **an unreleased build**" in page
    assert f"Covers **release {outcome.release.version}, created " in full
    assert page.split("\n")[3:] == full.split("\n")[3:]
    assert "**Needs a decision: " in page
    table = by_key["validation-checks"]
    assert table.type == "table"
    rows = json.loads(table.data) if isinstance(table.data, str) else table.data
    assert len({(r["kind"], r["check"]) for r in rows}) == len(rows)
    for key in ("passed", "failed", "skipped", "errors", "warnings"):
        assert sum(r[key] for r in rows) == report["summary"][key]
    assert sum(r["subjects"] for r in rows) == report["summary"]["checks"]
    warned = [r for r in rows if r["warnings"]]
    assert warned and all(r["failing"] for r in warned)


def _change_one_digit(project: Path) -> None:
    """262 -> 362 in the USSC table, the copy registered with its new checksum and size."""
    path = project / USSC
    data = path.read_bytes()
    row = b"Offender sexually contacted a victim\t262\t"
    assert data.count(row) == 1
    data = data.replace(row, row.replace(b"262", b"362"))
    path.write_bytes(data)
    registry = project / "raw" / "sources.yaml"
    entries = yaml.safe_load(registry.read_text())
    for entry in entries["sources"]:
        if f"raw/{entry['file']}" == USSC:
            entry["sha256"] = hashlib.sha256(data).hexdigest()
            entry["bytes"] = len(data)
    registry.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False))


def test_validate_command_and_a_changed_digit(project: Path, tmp_path: Path) -> None:
    run_release(project, None)
    before = tree(project / "processed")
    command = [sys.executable, "-m", "csedata", "validate", "--root", str(project)]

    # the real sources hold one disagreement between two sources no one has reviewed: exit 3
    out = tmp_path / "out"
    warned = subprocess.run([*command, "--out", str(out)], capture_output=True, text=True)
    assert warned.returncode == 3, warned.stderr
    assert " 0 errors, " in warned.stdout and "(1 unreviewed)" in warned.stdout
    assert warned.stderr.startswith("needs a decision: 1 unreviewed warning (exit 3)")
    assert f"report: {out / 'report.html'}" in warned.stdout
    data = json.loads((out / "report.json").read_text())
    assert data["release"]["version"] is None and data["release"]["created"]
    (unreviewed,) = [
        f
        for r in data["results"]
        for f in r["failures"]
        if f["severity"] == "warning" and not f["note"]
    ]
    # reviewed in _cross_source.yaml: a warning still, but nothing needs a decision: exit 0
    cross = project / "flows" / "specs" / "_cross_source.yaml"
    spec = yaml.safe_load(cross.read_text())
    (check,) = [r for r in data["results"] if unreviewed in r["failures"]]
    spec["inconsistencies"] = [{"check": check["name"], "note": "Reviewed: not one figure."}]
    cross.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False))
    ok = subprocess.run([*command, "--out", str(out)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "(0 unreviewed)" in ok.stdout and "warning (reviewed): " + check["name"] in ok.stdout

    _change_one_digit(project)
    bad = subprocess.run(command, capture_output=True, text=True)
    assert bad.returncode == 1
    lines = bad.stderr.strip().splitlines()
    assert len(lines) == 1, bad.stderr
    expected = (
        f"error: {USSC} (ussc-2021-production): table sexual-contact-during-production, "
        "row 'Offender sexually contacted a victim' at char "
    )
    assert lines[0].startswith(expected)
    assert "check percent-matches-count failed: 362 of 512 is 70.7031%, printed 51.2%" in lines[0]
    # the line names the report that lists the other errors
    report = project / ".cache" / "validation" / "report.html"
    assert lines[0].endswith(f"(and 1 more error; see {report})") and report.is_file()
    assert tree(project / "processed") == before  # validate writes no release

    # the release refuses the same input with the same line, and keeps the earlier release;
    # its report is the run's own, kept under .cache/validation/runs/
    with pytest.raises(CsedataError) as caught:
        run_release(project, None)
    same, _, kept = f"error: {caught.value}".rpartition("; see ")
    assert same == lines[0].rpartition("; see ")[0]
    assert kept.startswith(str(project / ".cache" / "validation" / "runs"))
    assert Path(kept.removesuffix(")")).is_file()
    assert tree(project / "processed") == before
