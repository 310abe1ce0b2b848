"""A damaged release is never built on or compared: release and diff refuse it in one line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from localsite import tree
from typer.testing import CliRunner

from csedata import publish, store
from csedata.cli import app
from csedata.errors import CsedataError
from csedata.validation import Validated
from tests.changes import Frames, recount

Validate = Callable[[Frames], Validated]

# where in a file a byte is flipped: the middle of the data, the Parquet footer's metadata
DAMAGE: dict[str, tuple[str, Callable[[int], int]]] = {
    "observations-data": ("observations.parquet", lambda size: size // 2),
    "observations-footer": ("observations.parquet", lambda size: size - 12),
    "ledger-data": ("ledger.parquet", lambda size: size // 3),
    "changelog": ("CHANGELOG.md", lambda size: 3),
}


def _flip(path: Path, at: Callable[[int], int]) -> None:
    data = bytearray(path.read_bytes())
    data[at(len(data))] ^= 0x01
    path.write_bytes(bytes(data))


def _refusal(lines: str, damaged: Path) -> None:
    """One line, naming the damaged file."""
    [line] = lines.splitlines()
    assert line.startswith(f"error: {damaged}: sha256 "), line
    assert "is damaged" in line


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_release_refuses_a_damaged_latest(
    project: Path, frames: Frames, validate: Validate, damage: str, prefect_api: str
) -> None:
    """The command on a project whose LATEST was damaged after it was published."""
    latest = publish.publish(project, validate(frames), None).path
    name, at = DAMAGE[damage]
    _flip(latest / name, at)
    before = tree(project / "processed")
    done = CliRunner().invoke(app, ["release", "--root", str(project)])
    assert done.exit_code == 1, done.output
    _refusal(done.stderr, latest / name)
    assert tree(project / "processed") == before
    assert store.versions(project) == ["1.0.0"]


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_publish_builds_on_no_damaged_release(
    tmp_path: Path, frames: Frames, validate: Validate, damage: str
) -> None:
    latest = publish.publish(tmp_path, validate(frames), None).path
    name, at = DAMAGE[damage]
    _flip(latest / name, at)
    before = tree(tmp_path / "processed")
    with pytest.raises(CsedataError) as caught:
        publish.publish(tmp_path, validate(recount(frames, 242)), None)
    _refusal(f"error: {caught.value}", latest / name)
    assert tree(tmp_path / "processed") == before


@pytest.mark.parametrize("which", ["1.0.0", "1.0.1"])
@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_diff_refuses_a_damaged_release(
    tmp_path: Path, frames: Frames, validate: Validate, damage: str, which: str
) -> None:
    publish.publish(tmp_path, validate(frames), None)
    publish.publish(tmp_path, validate(recount(frames, 242)), None)
    name, at = DAMAGE[damage]
    damaged = tmp_path / "processed" / which / name
    _flip(damaged, at)
    for args in (["1.0.0", "1.0.1"], ["1.0.0", "1.0.1", "--json"]):
        done = CliRunner().invoke(app, ["diff", *args, "--root", str(tmp_path)])
        assert done.exit_code == 1, done.output
        assert done.stdout == ""
        _refusal(done.stderr, damaged)
