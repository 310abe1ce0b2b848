"""The release flow: [refresh] -> registry -> extract (a task per source) -> validate -> publish.

The flow is thin: every task calls a plain function of the csedata package, so
the logic is tested without Prefect and the flow end to end with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from csedata import parquet, pipeline, release, summary, validate
from csedata.errors import CsedataError
from csedata.refresh import after_change, refresh_sources
from csedata.registry import load_registry, select
from csedata.report import headline, table_rows
from csedata.validate import REPORT_FILES


@task(name="refresh-sources")
def refresh_step(root: str, source_ids: list[str]) -> list[dict[str, str]]:
    results = [r.as_dict() for r in refresh_sources(Path(root), source_ids)]
    logger = get_run_logger()
    logger.info("refresh: %s", summary.counts(results))
    for warning in summary.warnings({"refresh": results}):
        logger.warning("refresh: %s", warning)
    return results


@task(name="extract-source", task_run_name="extract-{source_id}")
def extract_source(root: str, source_id: str) -> dict[str, Any]:
    source = load_registry(Path(root))[source_id]
    path, cached = pipeline.extract_source(Path(root), source)
    return {"source_id": source_id, "path": str(path), "cached": cached}


@task(name="validate")
def validate_release(root: str, source_ids: list[str], parts: list[str]) -> dict[str, Any]:
    """Run every check, publish the report as artifacts, then stop the flow on an error."""
    frames = pipeline.assemble(Path(root), source_ids, parts)
    report = validate.build_report(Path(root), frames)
    files = validate.render(report)
    folder = validate.store_report(Path(root), files)
    create_markdown_artifact(
        key="validation-report", markdown=files["report.md"].decode(), description=headline(report)
    )
    create_table_artifact(
        key="validation-checks", table=table_rows(report), description=headline(report)
    )
    validate.require_valid(report)
    return {"observations": len(frames["observations"]), "report": str(folder)}


@task(name="publish")
def publish_release(
    root: str,
    source_ids: list[str],
    parts: list[str],
    report: str,
    rebuild_into: str | None = None,
) -> dict[str, Any]:
    """Publish the release; or, given ``rebuild_into``, write the latest one again there."""
    frames = pipeline.assemble(Path(root), source_ids, parts)
    lock = Path(root) / "uv.lock"
    lock_sha256 = parquet.sha256(lock) if lock.is_file() else None
    extras = {f"validation/{name}": (Path(report) / name).read_bytes() for name in REPORT_FILES}
    if rebuild_into is not None:
        rebuilt = release.rebuild(Path(root), frames, lock_sha256, Path(rebuild_into), extras)
        return {
            "status": "rebuilt",
            "version": rebuilt.version,
            "path": rebuild_into,
            "differences": rebuilt.differences,
        }
    outcome = release.publish(Path(root), frames, lock_sha256, extras)
    return {
        "status": outcome.status,
        "version": outcome.version,
        "path": str(outcome.path),
        "previous": outcome.previous,
        "previous_observations": summary.observation_rows(Path(root), outcome.previous),
    }


@flow(name="csedata-release")
def release_flow(
    root: str,
    sources: list[str] | None = None,
    refresh: bool = False,
    rebuild_into: str | None = None,
) -> dict[str, Any]:
    """Build the release from the registered raw files; write it only if it changed.

    With ``refresh``, first download every source that has a URL and register
    new content as a new snapshot. With ``rebuild_into``, write the latest
    release again into that folder instead of publishing.
    """
    registry = select(load_registry(Path(root)), sources)
    ids = sorted(registry)
    refreshed = refresh_step(root, ids) if refresh else None
    try:
        extracted = [extract_source(root, source_id) for source_id in ids]
        parts = [e["path"] for e in extracted]
        checked = validate_release(root, ids, parts)
        outcome = publish_release(root, ids, parts, checked["report"], rebuild_into)
    except CsedataError as exc:
        raise after_change(exc, refreshed) from exc
    outcome["observations"] = checked["observations"]
    outcome["extracted"] = sum(not e["cached"] for e in extracted)
    outcome["cached"] = sum(e["cached"] for e in extracted)
    outcome["refresh"] = refreshed
    outcome["summary"] = summary.line(outcome)
    get_run_logger().info(outcome["summary"])
    create_markdown_artifact(
        key="csedata-run", markdown=summary.markdown(outcome), description=outcome["summary"]
    )
    return outcome
