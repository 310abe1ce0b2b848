"""The release flow: registry -> extract (a task per batch of sources) -> validate -> publish.

The flow is thin: every task calls a plain function of the csedata package, so
the logic is tested without Prefect and the flow end to end with it. Extraction
batches are submitted to the flow's task runner (one at a time in the flow's
process, or on a Dask cluster for a large run or with ``csedata release --dask``:
see csedata.scaleout); validation and publishing run in the flow's own process,
which holds the assembled tables.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from csedata import pipeline, release, uptodate, validate
from csedata.batches import BATCH_SIZE, batches, inputs_digest
from csedata.registry import Source, load_registry, select


# csedata caches extraction on content itself; Prefect's input hashing would only cost time.
@task(name="extract-batch", task_run_name="extract-{label}", cache_policy=NO_CACHE)
def extract_batch(root: str, sources: list[Source], label: str) -> dict[str, Any]:
    batch = pipeline.extract_batch(Path(root), sources)
    return {"path": str(batch.path), "key": batch.key, "cached": batch.cached, "n": batch.sources}


# The tables stay in this process's memory, handed from task to task: never persisted.
@task(name="validate", cache_policy=NO_CACHE, persist_result=False)
def validate_release(sources: list[Source], parts: list[str]) -> dict[str, pd.DataFrame]:
    frames = pipeline.assemble(sources, [Path(p) for p in parts])
    validate.require_valid(frames)
    return frames


@task(name="publish", cache_policy=NO_CACHE, persist_result=False)
def publish_release(
    root: str, frames: dict[str, pd.DataFrame], lock_sha256: str | None, inputs: str
) -> dict[str, Any]:
    outcome = release.publish(Path(root), frames, lock_sha256)
    uptodate.record(Path(root), inputs, outcome.version)
    return {
        "status": outcome.status,
        "version": outcome.version,
        "path": str(outcome.path),
        "previous": outcome.previous,
    }


@flow(name="csedata-release")
def release_flow(
    root: str, sources: list[str] | None = None, batch_size: int = BATCH_SIZE
) -> dict[str, Any]:
    """Build the release from the registered raw files; write it only if it changed."""
    registry = select(load_registry(Path(root)), sources)
    groups = [[registry[i] for i in ids] for ids in batches(list(registry), batch_size)]
    futures = [
        extract_batch.submit(root, group, f"{group[0].source_id}+{len(group) - 1}")
        for group in groups
    ]
    extracted = [future.result() for future in futures]  # re-raises a batch's error
    lock_sha256 = uptodate.lock_sha256(Path(root))
    inputs = inputs_digest([e["key"] for e in extracted], lock_sha256)
    ordered = [source for group in groups for source in group]
    parts = [e["path"] for e in extracted]
    current = uptodate.current(Path(root), inputs)
    outcome: dict[str, Any]
    if current is not None:
        outcome = {
            "status": current.status,
            "version": current.version,
            "path": str(current.path),
            "previous": current.previous,
            "observations": None,
        }
    else:
        frames = validate_release(ordered, parts)
        outcome = publish_release(root, frames, lock_sha256, inputs)
        outcome["observations"] = len(frames["observations"])
    outcome["extracted"] = sum(e["n"] for e in extracted if not e["cached"])
    outcome["cached"] = sum(e["n"] for e in extracted if e["cached"])
    get_run_logger().info("release %s: %s", outcome["version"], outcome["status"])
    return outcome
