"""The csedata command line: build a release with Prefect's ephemeral API."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from csedata.errors import CsedataError
from csedata.serve import WEEKLY

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
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    os.environ["PREFECT_LOGGING_LEVEL"] = "INFO" if verbose else "CRITICAL"


def run_release(root: Path, sources: list[str] | None, refresh: bool = False) -> dict[str, Any]:
    """Run the release flow with no heartbeat thread (it costs a second per run)."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from flows.release import release_flow

    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        result: dict[str, Any] = release_flow(str(root.resolve()), sources, refresh)
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
    refresh: Annotated[
        bool, typer.Option("--refresh", help="First download the sources that have a URL.")
    ] = False,
) -> None:
    """Extract, validate and write a new release into processed/ if anything changed."""
    from csedata.summary import warnings

    _quiet_prefect(verbose)
    try:
        outcome = run_release(root, source, refresh)
    except CsedataError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    for warning in warnings(outcome):
        typer.echo(f"warning: {warning}", err=True)
    typer.echo(outcome["summary"])


@app.command("refresh")
def refresh_command(
    root: RootOption = Path("."),
    source: Annotated[
        list[str] | None, typer.Option("--source", help="Only these source ids (repeatable).")
    ] = None,
) -> None:
    """Download the sources that have a URL; register new content as new raw snapshots."""
    from csedata.refresh import refresh_sources
    from csedata.summary import counts

    try:
        results = [r.as_dict() for r in refresh_sources(root.resolve(), source)]
    except CsedataError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    for r in results:
        typer.echo(f"{r['source_id']}: {r['status']}: {r['detail']}")
    typer.echo(f"refresh: {counts(results)}")


@app.command("serve")
def serve_command(
    root: RootOption = Path("."),
    cron: Annotated[
        str, typer.Option("--cron", help="When to run, as a cron expression in UTC.")
    ] = WEEKLY,
    port: Annotated[
        int | None, typer.Option("--port", help="Port of the local Prefect server (default: free).")
    ] = None,
) -> None:
    """Run the release flow (with --refresh) on a schedule until stopped.

    Uses the Prefect server PREFECT_API_URL names, or else starts a local one.
    """
    from csedata.serve import serve

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    try:
        serve(root, cron, port)
    except CsedataError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        typer.echo("stopped")


@app.command("validate")
def validate_command(
    root: RootOption = Path("."),
    source: Annotated[
        list[str] | None, typer.Option("--source", help="Only these source ids (repeatable).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for the report [default: <root>/.cache/validation]."),
    ] = None,
) -> None:
    """Run every check and write the validation report; write no release. Exit 1 on any error."""
    from csedata.report import SEVERITIES, headline
    from csedata.validate import check_project, first_error, render, write_report

    try:
        report = check_project(root, source)
    except CsedataError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    folder = write_report(render(report), out or root / ".cache" / "validation")
    typer.echo(f"checked {headline(report)}")
    for severity in SEVERITIES:
        for check, failure in report.failures(severity):
            typer.echo(
                f"  {severity}: {check.name} ({check.source_id or 'cross-source'}, "
                f"{failure.where}): {failure.message}"
            )
    typer.echo(f"report: {folder / 'report.html'} (also report.md, report.json)")
    error = first_error(report)
    if error is not None:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1)
