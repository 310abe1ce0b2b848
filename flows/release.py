"""The release flow: registry -> extract (one task per source) -> validate -> publish.

The flow is thin: every task calls a plain function of the csedata package, so
the logic is tested without Prefect and the flow end to end with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task

from csedata import parquet, pipeline, release, validate
from csedata.registry import load_registry, select


@task(name="extract-source", task_run_name="extract-{source_id}")
def extract_source(root: str, source_id: str) -> dict[str, Any]:
    source = load_registry(Path(root))[source_id]
    path, cached = pipeline.extract_source(Path(root), source)
    return {"source_id": source_id, "path": str(path), "cached": cached}


@task(name="validate")
def validate_release(root: str, source_ids: list[str], parts: list[str]) -> int:
    frames = pipeline.assemble(Path(root), source_ids, parts)
    validate.require_valid(frames)
    return len(frames["observations"])


@task(name="publish")
def publish_release(
    root: str, source_ids: list[str], parts: list[str], rebuild_into: str | None = None
) -> dict[str, Any]:
    """Publish the release; or, given ``rebuild_into``, write the latest one again there."""
    frames = pipeline.assemble(Path(root), source_ids, parts)
    lock = Path(root) / "uv.lock"
    lock_sha256 = parquet.sha256(lock) if lock.is_file() else None
    if rebuild_into is not None:
        rebuilt = release.rebuild(Path(root), frames, lock_sha256, Path(rebuild_into))
        return {
            "status": "rebuilt",
            "version": rebuilt.version,
            "path": rebuild_into,
            "differences": rebuilt.differences,
        }
    outcome = release.publish(Path(root), frames, lock_sha256)
    return {
        "status": outcome.status,
        "version": outcome.version,
        "path": str(outcome.path),
        "previous": outcome.previous,
    }


@flow(name="csedata-release")
def release_flow(
    root: str, sources: list[str] | None = None, rebuild_into: str | None = None
) -> dict[str, Any]:
    """Build the release from the registered raw files; write it only if it changed.

    With ``rebuild_into``, write the latest release again into that folder instead.
    """
    registry = select(load_registry(Path(root)), sources)
    ids = sorted(registry)
    extracted = [extract_source(root, source_id) for source_id in ids]
    parts = [e["path"] for e in extracted]
    rows = validate_release(root, ids, parts)
    outcome = publish_release(root, ids, parts, rebuild_into)
    outcome["observations"] = rows
    outcome["extracted"] = sum(not e["cached"] for e in extracted)
    outcome["cached"] = sum(e["cached"] for e in extracted)
    get_run_logger().info("release %s: %s", outcome["version"], outcome["status"])
    return outcome
