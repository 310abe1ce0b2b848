"""The release flow: registry -> extract (one task per source) -> validate -> publish.

The flow is thin: every task calls a plain function of the csedata package, so
the logic is tested without Prefect and the flow end to end with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from prefect import flow, get_run_logger, task

from csedata import parquet, pipeline, release, validate
from csedata.registry import load_registry, select
from schemas import SOURCES, frame


@task(name="extract-source", task_run_name="extract-{source_id}")
def extract_source(root: str, source_id: str) -> dict[str, Any]:
    source = load_registry(Path(root))[source_id]
    path, cached = pipeline.extract_source(Path(root), source)
    return {"source_id": source_id, "path": str(path), "cached": cached}


def _assemble(root: str, source_ids: list[str], parts: list[str]) -> dict[str, pd.DataFrame]:
    sources = load_registry(Path(root))
    registry = frame(SOURCES, [sources[i].model_dump(mode="json") for i in source_ids])
    return {
        "observations": pd.concat(
            [pd.read_parquet(Path(p) / "observations.parquet") for p in parts], ignore_index=True
        ),
        "sources": registry,
        "ledger": pd.concat(
            [pd.read_parquet(Path(p) / "ledger.parquet") for p in parts], ignore_index=True
        ),
    }


@task(name="validate")
def validate_release(root: str, source_ids: list[str], parts: list[str]) -> int:
    frames = _assemble(root, source_ids, parts)
    validate.require_valid(frames)
    return len(frames["observations"])


@task(name="publish")
def publish_release(root: str, source_ids: list[str], parts: list[str]) -> dict[str, Any]:
    frames = _assemble(root, source_ids, parts)
    lock = Path(root) / "uv.lock"
    outcome = release.publish(Path(root), frames, parquet.sha256(lock) if lock.is_file() else None)
    return {
        "status": outcome.status,
        "version": outcome.version,
        "path": str(outcome.path),
        "previous": outcome.previous,
    }


@flow(name="csedata-release")
def release_flow(root: str, sources: list[str] | None = None) -> dict[str, Any]:
    """Build the release from the registered raw files; write it only if it changed."""
    registry = select(load_registry(Path(root)), sources)
    ids = sorted(registry)
    extracted = [extract_source(root, source_id) for source_id in ids]
    parts = [e["path"] for e in extracted]
    rows = validate_release(root, ids, parts)
    outcome = publish_release(root, ids, parts)
    outcome["observations"] = rows
    outcome["extracted"] = sum(not e["cached"] for e in extracted)
    outcome["cached"] = sum(e["cached"] for e in extracted)
    get_run_logger().info("release %s: %s", outcome["version"], outcome["status"])
    return outcome
