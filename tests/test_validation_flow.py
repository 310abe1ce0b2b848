"""Validation end to end: the report in the release and in Prefect, and a broken table refused."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

from csedata.cli import run_release
from csedata.errors import CsedataError
from flows.release import release_flow
from tests.test_release_flow import snapshot

USSC = "raw/ussc-2021-10-production-offenses-overview.txt"


def test_release_ships_report_and_flow_publishes_artifacts(project: Path, prefect_api: str) -> None:
    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        state = release_flow(str(project), None, return_state=True)
    outcome = state.result()
    assert outcome["status"] == "written"
    release = Path(outcome["path"])
    manifest = json.loads((release / "manifest.json").read_text())
    for name in ("report.json", "report.md", "report.html"):
        data = (release / "validation" / name).read_bytes()
        assert manifest["files"][f"validation/{name}"]["sha256"] == hashlib.sha256(data).hexdigest()
    report = json.loads((release / "validation" / "report.json").read_text())
    assert report["summary"]["errors"] == 0
    assert report["summary"]["warnings"] > 0
    assert report["observations"] == outcome["observations"]

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id])
            )
        )
    by_key = {a.key: a for a in artifacts}
    assert set(by_key) == {"validation-report", "validation-checks", "csedata-run"}
    assert by_key["validation-report"].type == "markdown"
    # the artifact is the report's summary and failures, then its checks counted by name
    full = (release / "validation" / "report.md").read_text()
    page = by_key["validation-report"].data
    assert page.split("## Checks by name")[0] == full.split("## All checks")[0]
    assert "## Checks by name" in page and "## All checks" not in page
    table = by_key["validation-checks"]
    assert table.type == "table"
    rows = json.loads(table.data) if isinstance(table.data, str) else table.data
    assert len({(r["kind"], r["check"]) for r in rows}) == len(rows)
    for key in ("passed", "failed", "skipped", "errors", "warnings"):
        assert sum(r[key] for r in rows) == report["summary"][key]
    assert sum(r["subjects"] for r in rows) == report["summary"]["checks"]
    warned = [r for r in rows if r["warnings"]]
    assert warned and all(r["first failure"] for r in warned)


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
    before = snapshot(project / "processed")
    command = [sys.executable, "-m", "csedata", "validate", "--root", str(project)]

    ok = subprocess.run([*command, "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert " 0 errors, " in ok.stdout
    assert f"report: {tmp_path / 'out' / 'report.html'}" in ok.stdout
    assert (tmp_path / "out" / "report.json").is_file()

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
    assert (project / ".cache" / "validation" / "report.html").is_file()
    assert snapshot(project / "processed") == before  # validate writes no release

    # the release refuses the same input with the same line, and keeps the earlier release
    with pytest.raises(CsedataError) as caught:
        run_release(project, None)
    assert f"error: {caught.value}" == lines[0]
    assert snapshot(project / "processed") == before
