"""csedata.publish.rebuild: a release built again from the same tables is byte-identical."""

from __future__ import annotations

from pathlib import Path

import pytest
from changes import Frames, recount
from localsite import tree
from publishing import Validate, publish_frames

from csedata import publish
from csedata.errors import CsedataError


def test_rebuild_is_byte_identical(tmp_path: Path, frames: Frames, validate: Validate) -> None:
    root = tmp_path / "project"
    publish_frames(root, frames, validate)
    latest = publish_frames(root, recount(frames, 242.0), validate)
    rebuilt = publish.rebuild(root, validate(frames), None, tmp_path / "again")
    assert (rebuilt.version, rebuilt.differences, rebuilt.notes) == ("1.0.1", [], [])
    assert tree(tmp_path / "again") == tree(latest.path)

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
