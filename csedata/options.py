"""The options every command takes, defined once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csedata.errors import CsedataError


def _folder(ctx: typer.Context, param: typer.CallbackParam, root: Path) -> Path:
    """A root that is no folder stops the command before it starts: paths inside it
    (raw/sources.yaml, processed/LATEST) would name the wrong thing."""
    if root.is_dir():
        return root
    source = ctx.get_parameter_source(param.name or "root")
    given = "CSEDATA_ROOT" if source is not None and source.name == "ENVIRONMENT" else "--root"
    typer.echo(f"error: {CsedataError(str(root), f'no such folder ({given})')}", err=True)
    raise typer.Exit(1)


RootOption = Annotated[
    Path,
    typer.Option(
        "--root",
        help="Project folder holding raw/ and processed/.",
        envvar="CSEDATA_ROOT",
        callback=_folder,
    ),
]
VerboseOption = Annotated[
    bool,
    typer.Option("--verbose", "-v", help="Show Prefect's log, and an error's traceback."),
]
