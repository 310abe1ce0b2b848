"""The release flow: [refresh] -> registry -> extract (a task per worker) -> validate -> publish.

The flow is thin: every task calls a plain function of the csedata package, so
the logic is tested without Prefect and the flow end to end with it. Extraction
batches are dealt into a task per slot of the flow's task runner (one task in the
flow's process, or one per Dask worker thread for a large run or with ``csedata
release --dask``: see csedata.scaleout); validation and publishing run in the flow's
own process, which assembles, checks and writes the tables a part at a time.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar, cast

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote
from pydantic import TypeAdapter

from csedata import pipeline, publish, scaleout, summary, uptodate
from csedata.batches import BATCH_SIZE
from csedata.errors import CsedataError
from csedata.pipeline import Batch, Extracted
from csedata.publish import Published, Rebuilt
from csedata.refresh import Result, after_change, refresh_sources
from csedata.registry import Source, load_registry, select
from csedata.report import headline, markdown, release_files, render, store_report, table_rows
from csedata.summary import RunResult
from csedata.validation import Validated

T = TypeVar("T")


def _unwalked(value: T) -> T:
    """``value`` as a task's argument that Prefect hands over without walking it for
    upstream futures (none is inside): walking the validated tables and their report's
    results cost seconds per task at 10,000 sources. Prefect unwraps it for the task."""
    return cast(T, quote(value))


@task(name="refresh-sources")
def refresh_step(root: str, source_ids: list[str]) -> list[Result]:
    results = refresh_sources(Path(root), source_ids)
    logger = get_run_logger()
    logger.info("refresh: %s", summary.counts(results))
    for warning in summary.warnings(results):
        logger.warning("refresh: %s", warning)
    return results


_GROUPS = TypeAdapter(list[list[Source]])


# csedata caches extraction on content itself; Prefect's input hashing would only cost time.
@task(name="extract-batches", task_run_name="extract-{label}", cache_policy=NO_CACHE)
def extract_share(root: str, groups: bytes, label: str) -> list[Batch]:
    """A worker's share of the batches, each still its own cache entry. The batches come
    as JSON: Prefect (looking for futures in a task's arguments) and Dask (hashing them)
    would walk every Source, seconds of the flow's process at 10,000 sources."""
    return pipeline.extract_here(Path(root), _GROUPS.validate_json(groups))


def _on_task_runner(root: Path, groups: list[list[Source]]) -> list[Batch]:
    """The batches in one task per slot of the flow's task runner (a Dask worker's thread),
    all submitted before any is awaited; the results in the batches' order."""
    shares = scaleout.shares([len(group) for group in groups], scaleout.slots())
    futures = []
    for share in shares:
        mine = [groups[i] for i in share]
        label = f"{mine[0][0].source_id}+{sum(map(len, mine)) - 1}"
        futures.append(extract_share.submit(str(root), _GROUPS.dump_json(mine), label))
    done: dict[int, Batch] = {}
    for share, future in zip(shares, futures, strict=True):
        done.update(zip(share, future.result(), strict=True))  # re-raises a batch's error
    return [done[i] for i in range(len(groups))]


# The tables stay in this process (small ones in memory, the rest in validation's files
# a part at a time: csedata.validation.stored), handed from task to task: never persisted.
@task(name="validate", cache_policy=NO_CACHE, persist_result=False)
def validate_release(root: str, extracted: Extracted) -> Validated:
    """Run every check, keep the report (.cache/validation/runs/) and publish it as
    artifacts, then stop the flow on an error; return the validated tables."""
    checked = pipeline.check(Path(root), extracted)
    report = checked.report
    folder = store_report(Path(root), render(report))
    # the artifacts count checks by name: a page of the same size for any number of sources
    create_markdown_artifact(
        key="validation-report",
        markdown=markdown(report),
        description=headline(report),
    )
    create_table_artifact(
        key="validation-checks", table=table_rows(report), description=headline(report)
    )
    return checked.valid(folder / "report.html")


@task(name="publish", cache_policy=NO_CACHE, persist_result=False)
def publish_release(
    root: str,
    validated: Validated,
    inputs: str,
    parts: list[Path],
    rebuild_into: str | None = None,
) -> Published | Rebuilt:
    """Publish the release; or, given ``rebuild_into``, write the latest one again there."""
    lock_sha256 = uptodate.lock_sha256(Path(root))

    def extras(version: str, created: str) -> dict[str, bytes]:
        return release_files(validated.report, version, created)

    if rebuild_into is not None:
        return publish.rebuild(Path(root), validated, lock_sha256, Path(rebuild_into), extras)
    watch = pipeline.watchlist(Path(root), parts)
    published = publish.publish(Path(root), validated, lock_sha256, extras, watch)
    uptodate.record(Path(root), inputs, published.version)
    return published


@flow(name="csedata-release")
def release_flow(
    root: str,
    sources: list[str] | None = None,
    refresh: bool = False,
    rebuild_into: str | None = None,
    batch_size: int = BATCH_SIZE,
) -> RunResult:
    """Build the release from the registered raw files; write it only if it changed.

    With ``refresh``, first download every source that has a URL (or only the
    ``sources`` named) and register new content as a new snapshot. The release
    always holds every registered source: one named or not is extracted again only
    when its inputs changed. With ``rebuild_into``, write the latest release again
    into that folder instead of publishing.
    """
    named = sorted(select(load_registry(Path(root)), sources))
    refreshed = refresh_step(root, named) if refresh else None
    try:
        groups = pipeline.plan(Path(root), None, batch_size)  # every source, refreshed
        extracted = pipeline.extract_batches(Path(root), groups, _on_task_runner)
        inputs = extracted.inputs(uptodate.lock_sha256(Path(root)))
        validated = validate_release(root, _unwalked(extracted))
        parts = _unwalked(extracted.parts)
        release = publish_release(root, _unwalked(validated), inputs, parts, rebuild_into)
    except CsedataError as exc:
        raise after_change(exc, refreshed) from exc
    previous = release.previous if isinstance(release, Published) else None
    run = RunResult(
        release=release,
        extracted=extracted.count(cached=False),
        cached=extracted.count(cached=True),
        observations=validated.tables.rows("observations"),
        previous_observations=summary.observation_rows(Path(root), previous),
        unreviewed=validated.report.summary.unreviewed,
        refresh=refreshed,
    )
    log = get_run_logger()
    (log.warning if run.unreviewed else log.info)(run.summary)
    create_markdown_artifact(
        key="csedata-run", markdown=summary.markdown(run), description=run.summary
    )
    return run
