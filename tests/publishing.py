"""Publishing the tables a test changed (csedata.publish, no Prefect): shared by the
test_release_* modules."""

from __future__ import annotations

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
