"""Releases survive SIGKILL at any step, refuse a second writer, and betray a changed byte."""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from changes import SMARTPHONE, Frames, recount
from typer.testing import CliRunner

from csedata import publish, store, validation, verify
from csedata.cli import app, run_release
from csedata.errors import CsedataError
from csedata.spec import Declarations
from csedata.validation import Validated

REPO = Path(__file__).resolve().parent.parent
KILLPOINT = str(REPO / "tests" / "killpoint.py")
Validate = Callable[[Frames], Validated]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _leftovers(processed: Path) -> list[str]:
    """What a killed release left behind: staging folders, LATEST's temporary file."""
    return sorted(
        p.name for p in processed.iterdir() if p.name.startswith(".") and p.name != ".lock"
    )


def test_sigkill_at_every_step_of_publish(
    tmp_path: Path, frames: Frames, validate: Validate
) -> None:
    """Kill publish before each of its file-system steps in turn: the earlier release
    stays byte for byte, LATEST always names a complete release, and the next run
    cleans up and finishes."""
    base = tmp_path / "base"
    first = publish.publish(base, validate(frames), None)
    old = _files(first.path)
    new_frames = recount(frames, 242.0)
    (tmp_path / "frames.pkl").write_bytes(pickle.dumps(validate(new_frames)))
    (tmp_path / "out").mkdir()
    done = subprocess.run(
        [
            sys.executable,
            KILLPOINT,
            "sweep",
            str(base),
            str(tmp_path / "frames.pkl"),
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    runs = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(runs) >= 10
    assert all(r["killed"] for r in runs[:-1]), done.stderr
    assert (runs[-1]["killed"], runs[-1]["exit"]) == (False, 0)

    states = set()
    for run in runs:
        root = Path(run["root"])
        processed = root / "processed"
        versions = store.versions(root)
        latest = store.latest_version(root)
        assert _files(processed / "1.0.0") == old, run
        assert latest in versions, run
        if "1.0.1" in versions:
            assert verify.problems(processed / "1.0.1") == [], run
        states.add((latest, "1.0.1" in versions, bool(_leftovers(processed))))

        again = publish.publish(root, validate(new_frames), None)
        assert again.version == "1.0.1", run
        assert store.latest_version(root) == "1.0.1"
        assert store.versions(root) == ["1.0.0", "1.0.1"]
        assert _leftovers(processed) == [], run
        assert verify.problems(processed / "1.0.1") == [], run

    # the sweep hit the moments that matter: while staging, between the move and
    # LATEST, with LATEST's temporary file written, and after the release
    assert ("1.0.0", False, True) in states
    assert ("1.0.0", True, False) in states
    assert ("1.0.0", True, True) in states
    assert ("1.0.1", True, False) in states


def _wait_for(path: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the first release never reached its pause"
        time.sleep(0.05)


def test_second_release_at_once_exits_with_a_clear_message(
    tmp_path: Path, frames: Frames, validate: Validate
) -> None:
    root, signals = tmp_path / "project", tmp_path / "signals"
    signals.mkdir()
    (tmp_path / "frames.pkl").write_bytes(pickle.dumps(validate(frames)))
    args = [sys.executable, KILLPOINT, "publish", str(root), str(tmp_path / "frames.pkl")]
    first = subprocess.Popen([*args, str(signals)], stdout=subprocess.PIPE, text=True)
    try:
        _wait_for(signals / "paused", first)  # the first holds the lock, mid-release
        second = subprocess.run(args, capture_output=True, text=True, timeout=300)
        assert second.returncode == 1
        assert second.stderr == (
            "error: processed/.lock: another release is running; try again when it ends\n"
        )
        assert store.versions(root) == []
    finally:
        (signals / "go").touch()
        out, _ = first.communicate(timeout=300)
    assert (first.returncode, out) == (0, "written 1.0.0\n")
    assert verify.releases(root, every=True) == {root / "processed" / "1.0.0": []}
    assert publish.publish(root, validate(frames), None).status == "unchanged"


def test_verify_names_the_changed_file(tmp_path: Path, frames: Frames, validate: Validate) -> None:
    root = tmp_path
    folder = publish.publish(root, validate(frames), None).path
    publish.publish(root, validate(recount(frames, 242.0)), None)
    runner = CliRunner()
    ok = runner.invoke(app, ["verify", "--all", "--root", str(root)])
    assert ok.exit_code == 0, ok.output
    assert ok.output.count("ok: ") == 2

    shown = runner.invoke(app, ["diff", "1.0.0", "1.0.1", "--root", str(root)])
    assert shown.exit_code == 0
    assert f"`{SMARTPHONE}`: value: 241 → 242" in shown.output
    as_json = json.loads(
        runner.invoke(app, ["diff", "1.0.0", "1.0.1", "--json", "--root", str(root)]).output
    )
    assert as_json["change"] == "patch"

    target = folder / "observations.parquet"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    done = subprocess.run(
        [sys.executable, "-m", "csedata", "verify", "1.0.0", "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {folder / 'observations.parquet'}: sha256 ")
    assert "does not match manifest.json" in lines[0]
    latest = runner.invoke(app, ["verify", "--root", str(root)])
    assert latest.exit_code == 0  # 1.0.1 is untouched


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda f: (f / "notes.txt").write_text("x"), "notes.txt: not listed in manifest.json"),
        (
            lambda f: (f / "CHANGELOG.md").unlink(),
            "CHANGELOG.md: listed in manifest.json but missing",
        ),
        (
            lambda f: (f / "datapackage.json").write_text(
                (f / "datapackage.json").read_text().replace('"sha256:', '"sha256:0', 1)
            ),
            "datapackage.json: sha256",
        ),
    ],
    ids=["extra-file", "missing-file", "edited-datapackage"],
)
def test_verify_finds_other_damage(
    tmp_path: Path, frames: Frames, validate: Validate, damage: object, expected: str
) -> None:
    folder = publish.publish(tmp_path, validate(frames), None).path
    damage(folder)  # type: ignore[operator]
    problems = verify.problems(folder)
    assert len(problems) == 1
    assert problems[0].startswith(str(folder / expected.split(":")[0]))
    assert expected in problems[0]


def test_release_cli_killed_before_latest_then_recovers(
    project: Path, tmp_path: Path, prefect_api: str
) -> None:
    """The real command, SIGKILLed after moving its release in but before writing LATEST;
    the next run points LATEST at it, and a rebuild gives the same bytes."""
    command = [sys.executable, KILLPOINT, "cli", str(project), "os.rename", "2"]
    log = tmp_path / "stderr.txt"
    with open(log, "w") as stderr:
        killed = subprocess.Popen(
            [*command, "release", "--root", str(project)],
            env={**os.environ, "PREFECT_API_URL": prefect_api},
            start_new_session=True,  # its own process group: nothing of it outlives the test
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        killed.wait(timeout=600)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(killed.pid, signal.SIGKILL)
    assert killed.returncode == -signal.SIGKILL, log.read_text()
    processed = project / "processed"
    assert store.versions(project) == ["1.0.0"]
    assert store.latest_version(project) is None
    assert verify.problems(processed / "1.0.0") == []
    published = _files(processed / "1.0.0")

    outcome = run_release(project, None)
    assert (outcome.release.status, outcome.release.version) == ("written", "1.0.0")
    assert store.latest_version(project) == "1.0.0"
    assert _leftovers(processed) == []
    assert _files(processed / "1.0.0") == published

    rebuilt = CliRunner().invoke(
        app, ["rebuild", "--into", str(tmp_path / "rebuilt"), "--root", str(project)]
    )
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "identical: release 1.0.0" in rebuilt.output
    assert _files(tmp_path / "rebuilt") == published


def test_publish_takes_only_validated_tables(
    tmp_path: Path, frames: Frames, declarations: dict[str, Declarations]
) -> None:
    """A release cannot be written from tables that skipped validation: bare frames fail
    to type-check and raise, a Validated is made only by running the checks, and those
    name the bad row (as verify does when it reads a release's tables back)."""
    tables = frames["tables"].copy()
    row = tables.index[tables["category"] == "smartphone-or-tablet"][0]
    tables.loc[row, "percent"] = 147.1
    bad = {**frames, "tables": tables}
    with pytest.raises(TypeError, match="Validated"):
        publish.publish(tmp_path, bad, None)  # type: ignore[arg-type]
    checked = validation.check(REPO, bad, declarations)
    with pytest.raises(TypeError, match=r"only csedata\.validation"):
        Validated(bad, checked.report, object())
    with pytest.raises(CsedataError, match=r"percent\.in_range"):
        checked.valid()
    [problem] = [
        line for line in validation.error_lines(checked.report.checks) if "percent" in line
    ]
    assert "percent.in_range" in problem
    assert "row 'ussc-2021-production/method-of-production/smartphone-or-tablet'" in problem
    assert not (tmp_path / "processed").exists()


def test_staging_check_reads_column_types_from_the_footer(
    tmp_path: Path, frames: Frames, validate: Validate
) -> None:
    folder = publish.publish(tmp_path, validate(frames), None).path
    tables = {"sources": folder / "sources.parquet"}
    assert verify._type_problems(folder, tables) == []
    retyped = frames["sources"].assign(bytes=frames["sources"]["bytes"].astype(str))
    retyped.to_parquet(tmp_path / "sources.parquet")
    [problem] = verify._type_problems(folder, {"sources": tmp_path / "sources.parquet"})
    assert problem.endswith("columns or types differ from the sources schema")
