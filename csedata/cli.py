"""The csedata command line: build a release with Prefect's ephemeral API."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from csedata import onboardcommands, releasecommands
from csedata.batches import BATCH_SIZE
from csedata.boundary import guard
from csedata.commandgroup import CommandGroup
from csedata.options import RootOption, VerboseOption
from csedata.serve import WEEKLY

if TYPE_CHECKING:
    from csedata.summary import RunResult

app = typer.Typer(
    cls=CommandGroup,
    add_completion=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _quiet_prefect(verbose: bool) -> None:
    """Prefect reads these at import: no network, and only our one-line errors."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    os.environ["PREFECT_LOGGING_LEVEL"] = "INFO" if verbose else "CRITICAL"
    # Dask sets its loggers' levels from its config when imported, here and in its workers
    os.environ["DASK_LOGGING__DISTRIBUTED"] = "info" if verbose else "critical"
    # Prefect's background workers log under their class names, outside its logger tree:
    # "Still processing items" when a failed run exits with events still queued
    for name in ("EventsWorker", "APILogWorker"):
        logging.getLogger(name).setLevel(logging.INFO if verbose else logging.CRITICAL)


def run_release(
    root: Path,
    sources: list[str] | None,
    refresh: bool = False,
    rebuild_into: Path | None = None,
    *,
    batch_size: int = BATCH_SIZE,
    dask: bool = False,
    dask_address: str | None = None,
) -> RunResult:
    """Run the release flow with no heartbeat thread (it costs a second per run).

    A plain run with nothing changed is answered before Prefect starts
    (csedata.uptodate): it verifies every raw file and keys every batch, and
    needs no orchestration. A refresh or a rebuild always runs the flow.
    """
    from csedata import summary, uptodate
    from csedata.summary import RunResult

    plan = uptodate.check(root.resolve(), sources, batch_size)
    if plan.unchanged is not None and not refresh and rebuild_into is None:
        unreviewed = summary.unreviewed_warnings(plan.unchanged.path)
        return RunResult(plan.unchanged, 0, plan.sources, unreviewed=unreviewed)

    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from csedata.scaleout import task_runner
    from flows.release import release_flow

    into = str(rebuild_into.resolve()) if rebuild_into is not None else None
    with (
        task_runner(
            plan.to_extract, plan.batches_to_extract, dask, dask_address, release_flow.__module__
        ) as runner,
        temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
    ):
        flow = release_flow.with_options(task_runner=runner)
        return flow(str(root.resolve()), sources, refresh, into, batch_size)


@app.callback()
def _group() -> None:
    """csedata: validated, versioned releases of published statistics on child sexual
    exploitation offenses, sentencing and enforcement.

    A new source, in the usual order: add-source → check-spec (until clean) → release.
    """


@app.command("release")
@guard
def release_command(
    root: RootOption = Path("."),
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source",
            help="With --refresh, download only these source ids (repeatable). The release "
            "always holds every registered source; any source re-extracts only if changed.",
        ),
    ] = None,
    verbose: VerboseOption = False,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="First download the sources that have a URL.")
    ] = False,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Sources per extraction task (about).")
    ] = BATCH_SIZE,
    dask: Annotated[
        bool, typer.Option("--dask", help="Extract on a Dask cluster (local unless an address).")
    ] = False,
    dask_address: Annotated[
        str | None,
        typer.Option(
            "--dask-address", help="Scheduler of a running Dask cluster (implies --dask)."
        ),
    ] = None,
) -> None:
    """Extract, validate and write a new release into processed/ if anything changed.

    A release always holds every source in raw/sources.yaml; --source only narrows
    the download of --refresh.
    """
    from csedata.summary import warnings

    _quiet_prefect(verbose)
    outcome = run_release(
        root, source, refresh, batch_size=batch_size, dask=dask, dask_address=dask_address
    )
    for warning in warnings(outcome.refresh):
        typer.echo(f"warning: {warning}", err=True)
    typer.echo(outcome.summary)


@app.command("refresh")
@guard
def refresh_command(
    root: RootOption = Path("."),
    source: Annotated[
        list[str] | None, typer.Option("--source", help="Only these source ids (repeatable).")
    ] = None,
    verbose: VerboseOption = False,
) -> None:
    """Download the sources that have a URL; register new content as new raw snapshots.

    Exit 1 when any source failed (the others' new snapshots are still registered).
    """
    from csedata.refresh import Status, refresh_sources
    from csedata.registry import REGISTRY
    from csedata.summary import counts

    results = refresh_sources(root.resolve(), source)
    for r in results:
        typer.echo(f"{r.source_id}: {r.status}: {r.detail}")
    typer.echo(f"refresh: {counts(results)}")
    failed = [r.source_id for r in results if r.status == Status.failed]
    if failed:
        problem = f"{len(failed)} of {len(results)} sources failed to refresh: {', '.join(failed)}"
        typer.echo(f"error: {REGISTRY}: {problem}", err=True)
        raise typer.Exit(1)


app.command("add-source")(onboardcommands.add_source_command)
app.command("check-spec")(onboardcommands.check_spec_command)


@app.command("serve")
@guard
def serve_command(
    root: RootOption = Path("."),
    cron: Annotated[
        str, typer.Option("--cron", help="When to run, as a cron expression in UTC.")
    ] = WEEKLY,
    port: Annotated[
        int | None, typer.Option("--port", help="Port of the local Prefect server (default: free).")
    ] = None,
    verbose: VerboseOption = False,
) -> None:
    """Run the release flow (with --refresh) on a schedule until stopped.

    Uses the Prefect server PREFECT_API_URL names, or else starts a local one.
    """
    from csedata.serve import serve

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    try:
        serve(root, cron, port)
    except KeyboardInterrupt:
        typer.echo("stopped")


UNREVIEWED = 3  # csedata validate's exit code when a warning needs a reviewer


@app.command("validate")
@guard
def validate_command(
    root: RootOption = Path("."),
    source: Annotated[
        list[str] | None, typer.Option("--source", help="Only these source ids (repeatable).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for the report [default: <root>/.cache/validation]."),
    ] = None,
    verbose: VerboseOption = False,
) -> None:
    """Run every check and write the validation report; write no release. Exit 0 when
    nothing needs a decision, 1 on an error, 3 on a warning no spec lists as reviewed."""
    from datetime import UTC, datetime

    from csedata.pipeline import check_project
    from csedata.report import SEVERITIES, headline, render, write_report
    from csedata.validation import first_error

    report = check_project(root, source)
    report = report.stamped(None, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    folder = write_report(render(report), out or root / ".cache" / "validation")
    typer.echo(f"checked {headline(report)}")
    for severity in SEVERITIES:
        for check, failure in report.failures(severity):
            reviewed = " (reviewed)" if failure.reviewed else ""
            typer.echo(
                f"  {severity}{reviewed}: {check.name} ({check.source_id or 'cross-source'}, "
                f"{failure.where}): {failure.message}"
            )
    typer.echo(f"report: {folder / 'report.html'} (also report.md, report.json, results.parquet)")
    error = first_error(report, folder / "report.html")
    if error is not None:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1)
    if report.summary.unreviewed:
        n = report.summary.unreviewed
        typer.echo(
            f"needs a decision: {n} unreviewed warning{'' if n == 1 else 's'} "
            f"(exit {UNREVIEWED}); once reviewed, list each under inconsistencies: in its "
            "source's spec or flows/specs/_cross_source.yaml",
            err=True,
        )
        raise typer.Exit(UNREVIEWED)


app.command("verify")(releasecommands.verify_command)
app.command("redact")(releasecommands.redact_command)
app.command("diff")(releasecommands.diff_command)


@app.command("rebuild")
@guard
def rebuild_command(
    into: Annotated[
        Path | None, typer.Option("--into", help="Empty folder to keep the rebuild in.")
    ] = None,
    root: RootOption = Path("."),
    verbose: VerboseOption = False,
) -> None:
    """Rebuild the latest release from raw/ and compare every file's sha256 with it."""
    from csedata import store
    from csedata.publish import Rebuilt

    _quiet_prefect(verbose)
    target = into or Path(tempfile.mkdtemp(prefix="csedata-rebuild-"))
    try:
        store.resolve(root, None)  # a release to rebuild, before Prefect starts
        rebuilt = run_release(root, None, rebuild_into=target).release
    except BaseException:  # reported by the boundary; a temporary folder is not kept
        if into is None:
            shutil.rmtree(target, ignore_errors=True)
        raise
    if not isinstance(rebuilt, Rebuilt):  # a run given rebuild_into only rebuilds
        raise TypeError(f"a rebuild ended in {rebuilt!r}")
    if rebuilt.differences:  # the rebuild stays in target for a look
        typer.echo(f"error: rebuilding release {rebuilt.version} into {target} differs:", err=True)
        for line in rebuilt.differences:
            typer.echo(f"  {line}", err=True)
        raise typer.Exit(1)
    if rebuilt.notes:
        typer.echo(
            f"reproduced: release {rebuilt.version} rebuilt from raw/, every table has its "
            "published sha256; other files differ only in the record of who built them:"
        )
        for line in rebuilt.notes:
            typer.echo(f"  {line}")
    else:
        typer.echo(
            f"identical: release {rebuilt.version} rebuilt from raw/, every file has its "
            "published sha256"
        )
    if into is None:
        shutil.rmtree(target)
