"""The csedata command line: build a release with Prefect's ephemeral API."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from csedata.batches import BATCH_SIZE
from csedata.errors import CsedataError

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)

RootOption = Annotated[
    Path,
    typer.Option(
        "--root", help="Project folder holding raw/ and processed/.", envvar="CSEDATA_ROOT"
    ),
]


def _quiet_prefect(verbose: bool) -> None:
    """Prefect reads these at import: no network, and only our one-line errors."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ["PREFECT_LOGGING_LEVEL"] = "INFO" if verbose else "CRITICAL"
    # Prefect's background workers log under their class names, outside its logger tree:
    # "Still processing items" when a failed run exits with events still queued
    for name in ("EventsWorker", "APILogWorker", "distributed"):
        logging.getLogger(name).setLevel(logging.INFO if verbose else logging.CRITICAL)


def run_release(
    root: Path,
    sources: list[str] | None,
    *,
    batch_size: int = BATCH_SIZE,
    dask: bool = False,
    dask_address: str | None = None,
) -> dict[str, Any]:
    """Run the release flow with no heartbeat thread (it costs a second per run).

    A run with nothing changed is answered before Prefect starts (csedata.uptodate):
    it verifies every raw file and keys every batch, and needs no orchestration.
    """
    from csedata import uptodate

    plan = uptodate.check(root.resolve(), sources, batch_size)
    if plan.unchanged is not None:
        return {
            "status": plan.unchanged.status,
            "version": plan.unchanged.version,
            "path": str(plan.unchanged.path),
            "previous": plan.unchanged.previous,
            "observations": None,
            "extracted": 0,
            "cached": plan.sources,
        }

    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from csedata.scaleout import task_runner
    from flows.release import release_flow

    runner = task_runner(plan.to_extract, plan.batches_to_extract, dask, dask_address)
    flow = release_flow.with_options(task_runner=runner)
    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        result: dict[str, Any] = flow(str(root.resolve()), sources, batch_size)
    return result


@app.callback()
def _group() -> None:
    """csedata: validated, versioned releases of published statistics on child sexual
    exploitation offenses, sentencing and enforcement."""


@app.command("release")
def release_command(
    root: RootOption = Path("."),
    source: Annotated[
        list[str] | None, typer.Option("--source", help="Only these source ids (repeatable).")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's log.")] = False,
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
    """Extract, validate and write a new release into processed/ if anything changed."""
    _quiet_prefect(verbose)
    try:
        outcome = run_release(
            root, source, batch_size=batch_size, dask=dask, dask_address=dask_address
        )
    except CsedataError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    work = f"{outcome['extracted']} sources extracted, {outcome['cached']} from cache"
    if outcome["status"] == "unchanged":
        typer.echo(
            f"up to date: release {outcome['version']} at {outcome['path']} "
            f"({work}; nothing written)"
        )
    else:
        typer.echo(
            f"wrote release {outcome['version']} at {outcome['path']} "
            f"({outcome['observations']} observations; {work})"
        )
