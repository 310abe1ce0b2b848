"""csedata.publish.rebuild: newer code that writes the same release is a note, not a difference.

The validation report records the code digest of the build (so does the manifest):
after any code change a rebuild of the latest release must still say "identical"
when the only change in those files is that digest, and must still name any
other change.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from changes import Frames, rederive

from csedata import codedigest, publish
from csedata.validation import Validated

REPORT = "validation/report.json"


def _report(digest: str, observations: int = 97) -> dict[str, bytes]:
    text = json.dumps({"code_sha256": digest, "observations": observations}) + "\n"
    return {REPORT: text.encode()}


def _rebuild(
    tmp_path: Path, frames: Frames, validate: Callable[[Frames], Validated], again: bytes
) -> publish.Rebuilt:
    """Publish with a report recording digest "a" * 64, then rebuild as code whose digest
    is "b" * 64 with the report ``again``."""
    root = tmp_path / "project"
    rederive(frames)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(codedigest, "code_digest", lambda: "a" * 64)
        publish.publish(root, validate(frames), None, extras=_report("a" * 64))
        patch.setattr(codedigest, "code_digest", lambda: "b" * 64)
        return publish.rebuild(root, validate(frames), None, tmp_path / "again", {REPORT: again})


def test_a_report_that_differs_only_in_its_code_digest_is_a_note(
    tmp_path: Path, frames: Frames, validate: Callable[[Frames], Validated]
) -> None:
    rebuilt = _rebuild(tmp_path, frames, validate, _report("b" * 64)[REPORT])
    assert rebuilt.differences == []
    assert rebuilt.notes == [
        f"{REPORT}: the same but for the code digest it records",
        "manifest.json: built by other code or libraries (code_sha256)",
    ]


def test_a_report_that_differs_otherwise_is_a_difference(
    tmp_path: Path, frames: Frames, validate: Callable[[Frames], Validated]
) -> None:
    rebuilt = _rebuild(tmp_path, frames, validate, _report("b" * 64, observations=98)[REPORT])
    # the manifest's inventory holds the report's checksum: both are named
    assert rebuilt.differences == ["manifest.json: sha256 differs", f"{REPORT}: sha256 differs"]
