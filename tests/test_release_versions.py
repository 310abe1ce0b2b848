"""How release versions follow from changes: patch, minor and major, each with its
diff.json and changelog entry, earlier releases untouched (csedata.publish, no Prefect)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
from changes import SMARTPHONE, SMARTPHONE_SHARE, Frames, recount
from localsite import tree
from publishing import Validate, publish_frames

from csedata import publish, verify
from schemas import TEXT

ITEMP_SMARTPHONE_SHARE = "itemp-2021-production/ussc-production/smartphone-or-tablet/percent"


def _add_observation(frames: Frames) -> str:
    new = pd.array(["test/added/one/percent"], dtype=TEXT)
    row = (
        frames["observations"]
        .iloc[[0]]
        .assign(observation_id=new, statistic_id=new, is_primary=True)
    )
    frames["observations"] = pd.concat([frames["observations"], row], ignore_index=True)
    return "test/added/one/percent"


def _remove_observation(frames: Frames) -> str:
    """Drop a prose figure; its ledger token becomes a deliberate exclusion."""
    obs, ledger = frames["observations"], frames["ledger"].copy()
    frames["ledger"] = ledger
    gone = obs[obs["form"] == "prose"].iloc[0]["observation_id"]
    frames["observations"] = obs[obs["observation_id"] != gone].reset_index(drop=True)
    token = ledger["observation_id"] == gone
    ledger.loc[token, ["status", "observation_id", "reason", "note"]] = [
        "excluded",
        None,
        "non-statistical",
        "test",
    ]
    return str(gone)


def _recount_diffed(report: dict[str, Any]) -> None:
    """The patch's diff.json: the recounted smartphone rows, with the flags of the shares
    that now disagree, and the source table's row they shape."""
    changed = report["tables"]["observations"]["rows"]["changed"]
    # 47.3% no longer matches the 47.1% the article quotes: both are flagged
    flagged = {"old": [], "new": ["cross:cross-source:smartphone-or-tablet-itemp-ussc"]}
    assert changed == [
        {
            "key": {"observation_id": ITEMP_SMARTPHONE_SHARE},
            "changes": {"flags": flagged},
        },
        {"key": {"observation_id": SMARTPHONE}, "changes": {"value": {"old": 241.0, "new": 242.0}}},
        {
            "key": {"observation_id": SMARTPHONE_SHARE},
            "changes": {"value": {"old": 47.1, "new": 47.3}, "flags": flagged},
        },
    ]
    [shaped] = report["tables"]["tables"]["rows"]["changed"]
    assert shaped["key"] == {
        "source_id": "ussc-2021-production",
        "table_id": "method-of-production",
        "category": "smartphone-or-tablet",
    }
    assert shaped["changes"] == {
        "n": {"old": 241.0, "new": 242.0},
        "percent": {"old": 47.1, "new": 47.3},
    }
    assert set(report["tables"]) == {"observations", "statistics", "tables"}


def test_versions_follow_the_change(tmp_path: Path, frames: Frames, validate: Validate) -> None:
    root = tmp_path
    assert publish_frames(root, frames, validate).version == "1.0.0"
    before = tree(root / "processed")

    same = publish.publish(root, validate(frames), None)
    assert (same.status, same.version) == ("unchanged", "1.0.0")
    assert tree(root / "processed") == before

    patch = publish_frames(root, recount(frames, 242.0), validate)
    assert (patch.version, patch.previous) == ("1.0.1", "1.0.0")
    report = json.loads((patch.path / "diff.json").read_text())
    assert (report["from"], report["to"], report["change"]) == ("1.0.0", "1.0.1", "patch")
    _recount_diffed(report)

    added = _add_observation(frames)
    minor = publish_frames(root, frames, validate)
    assert minor.version == "1.1.0"
    rows = json.loads((minor.path / "diff.json").read_text())["tables"]["observations"]["rows"]
    assert [r["observation_id"] for r in rows["added"]] == [added]

    removed = _remove_observation(frames)
    major = publish_frames(root, frames, validate)
    assert major.version == "2.0.0"
    report = json.loads((major.path / "diff.json").read_text())
    assert [r["observation_id"] for r in report["tables"]["observations"]["rows"]["removed"]] == [
        removed
    ]
    assert report["tables"]["ledger"]["rows"]["changed"]  # its token is now an exclusion

    # every release keeps the whole history, newest first; earlier releases untouched
    changelog = (major.path / "CHANGELOG.md").read_text()
    heads = [line.split()[1] for line in changelog.splitlines() if line.startswith("## ")]
    assert heads == ["2.0.0", "1.1.0", "1.0.1", "1.0.0"]
    assert f"removed `{removed}" in changelog
    assert f"`{SMARTPHONE}`: value: 241 → 242" in changelog
    first = {k: v for k, v in before.items() if k.startswith("1.0.0/")}
    assert {k: v for k, v in tree(root / "processed").items() if k in first} == first
    assert (root / "processed" / "LATEST").read_text() == "2.0.0\n"
    assert all(not p for p in verify.releases(root, every=True).values())
