"""Publishing the tables a test changed (csedata.publish, no Prefect), and what a
release folder holds, file by file: shared by the test_release_* modules."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from changes import Frames, rederive

from csedata import publish, verify
from csedata.validation import Validated

Validate = Callable[[Frames], Validated]


def publish_frames(root: Path, frames: Frames, validate: Validate) -> publish.Published:
    """Validate and publish, with the sources' tables rebuilt from observations a test
    changed."""
    rederive(frames)
    outcome = publish.publish(root, validate(frames), None)
    assert verify.problems(outcome.path) == []
    return outcome


def snapshot(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` by its relative path, with its sha256."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
