"""verify checks everything a manifest asserts, and what LATEST names."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from csedata import publish, verify
from csedata.cli import app
from csedata.validation import Validated
from tests.changes import Frames, recount

Manifest = dict[str, Any]


@pytest.fixture
def root(tmp_path: Path, frames: Frames, validate: Callable[[Frames], Validated]) -> Path:
    """Releases 1.0.0 and 1.0.1 (one value changed), as publish writes them."""
    publish.publish(tmp_path, validate(frames), None)
    publish.publish(tmp_path, validate(recount(frames, 242)), None)
    return tmp_path


def _edit_manifest(folder: Path, edit: Callable[[Manifest], object]) -> None:
    path = folder / "manifest.json"
    data = json.loads(path.read_text())
    edit(data)
    path.write_text(json.dumps(data, indent=2))


def _edit_listed(folder: Path, rel: str, edit: Callable[[Manifest], object]) -> None:
    """Edit a listed JSON file and list its new bytes in the manifest: only the claim is off."""
    path = folder / rel
    data = json.loads(path.read_text())
    edit(data)
    path.write_text(json.dumps(data, indent=2))
    raw = path.read_bytes()
    entry = {"sha256": hashlib.sha256(raw).hexdigest(), "bytes": len(raw)}
    _edit_manifest(folder, lambda m: m["files"][rel].update(entry))


def _set(key: str, value: object) -> Callable[[Manifest], object]:
    return lambda data: data.update({key: value})


CASES: dict[str, tuple[Callable[[Path], object], str]] = {
    "version-not-folder": (
        lambda f: _edit_manifest(f, _set("version", "1.0.2")),
        "manifest.json: version '1.0.2', but the release is 1.0.1",
    ),
    "version-not-datapackage": (
        lambda f: _edit_listed(f, "datapackage.json", _set("version", "1.0.2")),
        "manifest.json: version '1.0.1', datapackage.json says '1.0.2'",
    ),
    "previous-missing": (
        lambda f: _edit_manifest(f, _set("previous", "0.9.0")),
        "manifest.json: previous 0.9.0 is not a release in",
    ),
    "previous-not-earlier": (
        lambda f: _edit_manifest(f, _set("previous", "1.0.1")),
        "manifest.json: previous 1.0.1 is not earlier than 1.0.1",
    ),
    "previous-null": (
        lambda f: _edit_manifest(f, _set("previous", None)),
        "manifest.json: previous is null, but 1.0.0 is earlier",
    ),
    "created-not-a-time": (
        lambda f: _edit_manifest(f, _set("created", "yesterday")),
        "manifest.json: created 'yesterday' is not a UTC time",
    ),
    "created-not-utc": (
        lambda f: _edit_manifest(f, _set("created", "2026-11-23T15:22:25+01:00")),
        "is not a UTC time",
    ),
    "created-before-previous": (
        lambda f: _edit_manifest(f, _set("created", "2000-01-01T00:00:00Z")),
        "manifest.json: created 2000-01-01T00:00:00Z is before previous 1.0.0's",
    ),
    "file-unlisted": (
        lambda f: _edit_manifest(f, lambda m: m["files"].pop("diff.json")),
        "diff.json: not listed in manifest.json",
    ),
    "file-entry-not-object": (
        lambda f: _edit_manifest(f, lambda m: m["files"].update({"diff.json": "abc"})),
        "manifest.json: files: 'diff.json': not an object",
    ),
    "file-outside": (
        lambda f: _edit_manifest(
            f, lambda m: m["files"].update({"../1.0.0/diff.json": {"sha256": "0", "bytes": 1}})
        ),
        "manifest.json: files: '../1.0.0/diff.json' is not a file inside the release",
    ),
    "files-missing": (
        lambda f: _edit_manifest(f, lambda m: m.pop("files")),
        "manifest.json: 'files' is missing or not an object",
    ),
    "truncated": (
        lambda f: (f / "manifest.json").write_bytes((f / "manifest.json").read_bytes()[:200]),
        "manifest.json: not valid JSON (line ",
    ),
    "not-an-object": (
        lambda f: (f / "manifest.json").write_text("[1, 2]\n"),
        "manifest.json: holds an array, not a JSON object",
    ),
    "not-utf8": (
        lambda f: (f / "manifest.json").write_bytes(b'{"version": "\xff"}'),
        "manifest.json: not UTF-8 (byte 13)",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_verify_checks_what_the_manifest_asserts(root: Path, case: str) -> None:
    folder = root / "processed" / "1.0.1"
    assert verify.problems(folder) == []
    damage, expected = CASES[case]
    damage(folder)
    lines = verify.problems(folder)
    assert any(expected in line for line in lines), lines
    assert all("\n" not in line and line.startswith(str(folder)) for line in lines), lines
    assert verify.problems(root / "processed" / "1.0.0") == []


def test_verify_all_gives_every_release_a_verdict(root: Path) -> None:
    (root / "processed" / "1.0.0" / "manifest.json").write_text('{"name": "csed')
    done = CliRunner().invoke(app, ["verify", "--all", "--root", str(root)])
    assert done.exit_code == 1
    [error] = done.stderr.splitlines()
    assert error.startswith(f"error: {root / 'processed' / '1.0.0' / 'manifest.json'}: not valid")
    assert done.stdout.startswith(f"ok: {root / 'processed' / '1.0.1'} ")


LATEST_CASES: dict[str, tuple[Callable[[Path], object], str]] = {
    "empty": (
        lambda p: (p / "LATEST").write_text(""),
        "processed/LATEST: LATEST is empty",
    ),
    "deleted-release": (
        lambda p: shutil.rmtree(p / "1.0.1"),
        "processed/LATEST: names 1.0.1, which is not in processed/ (deleted?)",
    ),
    "not-a-version": (
        lambda p: (p / "LATEST").write_text("../..\n"),
        "processed/LATEST: names '../..', which is not a version",
    ),
    "missing": (
        lambda p: (p / "LATEST").unlink(),
        "processed/LATEST: missing, though processed/ holds releases 1.0.0, 1.0.1",
    ),
}


@pytest.mark.parametrize("case", LATEST_CASES, ids=list(LATEST_CASES))
@pytest.mark.parametrize("command", [["verify"], ["verify", "--all"], ["release"]])
def test_a_latest_that_names_no_release_is_said_so(
    root: Path, case: str, command: list[str]
) -> None:
    damage, expected = LATEST_CASES[case]
    damage(root / "processed")
    done = CliRunner().invoke(app, [*command, "--root", str(root)])
    assert done.exit_code == 1, done.output
    assert any(line.startswith(f"error: {expected}") for line in done.stderr.splitlines())
    assert not (root / "processed" / "1.0.2").exists()
