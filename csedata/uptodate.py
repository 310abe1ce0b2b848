"""Skip a rebuild whose inputs already made the latest release.

A release is a function of its inputs: the batches' content keys (raw files,
registry, specs, patterns, code) and the lock file. When a run's inputs equal
those recorded for the current release, rebuilding would give the same bytes,
so the run stops once the raw files are verified, reading and writing no table.
The record is local state in .cache/, never part of a release: without it (or
after any change) a run takes the full path and compares the rebuilt tables
with the latest release byte for byte.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from csedata import durable, verify
from csedata.batches import BATCH_SIZE, cache_entry, cache_key, inputs_digest, is_cached
from csedata.pipeline import plan
from csedata.publish import Published
from csedata.registry import load_registry, select, verify_file
from csedata.store import PROCESSED, latest_version

RECORD = Path(".cache") / "release-inputs.json"


def _manifest_sha256(root: Path, version: str) -> str | None:
    path = root / PROCESSED / version / "manifest.json"
    return durable.sha256(path) if path.is_file() else None


def current(root: Path, inputs: str) -> Published | None:
    """The latest release when it was made from exactly these inputs, else None."""
    path = root / RECORD
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    version = latest_version(root)
    if (
        not isinstance(data, dict)
        or data.get("inputs") != inputs
        or version is None
        or data.get("version") != version
        or data.get("manifest_sha256") != _manifest_sha256(root, version)
    ):
        return None
    return Published("unchanged", version, root / PROCESSED / version, version)


def lock_sha256(root: Path) -> str | None:
    lock = root / "uv.lock"
    return durable.sha256(lock) if lock.is_file() else None


@dataclass(frozen=True)
class Plan:
    """What a run would do: its sources, those in batches not yet cached and the number
    of those batches, and the latest release if the run can stop here."""

    sources: int
    to_extract: int
    batches_to_extract: int
    unchanged: Published | None


def check(root: Path, sources: list[str] | None, batch_size: int = BATCH_SIZE) -> Plan:
    """Plan a run, finding without extracting or orchestrating whether nothing changed.

    It does what a no-change run must: verify every raw file against the registry
    and key every batch. The command line asks this before it starts Prefect.
    ``sources`` only narrows a refresh: a release always holds every registered source.
    """
    latest = latest_version(root)
    if latest is not None:  # the base of the next release, or the answer "up to date"
        verify.require_sound(root / PROCESSED / latest)
    select(load_registry(root), sources)  # an unknown id stops the run
    groups = plan(root, None, batch_size)  # the release holds every source
    keys, uncached = [], []
    for group in groups:
        for source in group:
            verify_file(root, source)  # raises on a changed or missing file
        keys.append(cache_key(root, group))
        if not is_cached(cache_entry(root, keys[-1])):
            uncached.append(len(group))
    unchanged = current(root, inputs_digest(keys, lock_sha256(root)))
    return Plan(sum(map(len, groups)), sum(uncached), len(uncached), unchanged)


def record(root: Path, inputs: str, version: str) -> None:
    """Remember that these inputs give release ``version`` (written or found unchanged)."""
    path = root / RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "inputs": inputs,
        "version": version,
        "manifest_sha256": _manifest_sha256(root, version),
    }
    durable.replace_text(path, json.dumps(data, sort_keys=True) + "\n")
