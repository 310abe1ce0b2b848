"""The options every command takes, defined once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csedata.errors import CsedataError
from csedata.registry import REGISTRY, not_a_project
from csedata.store import PROCESSED


def _folder(ctx: typer.Context, param: typer.CallbackParam, root: Path) -> Path:
    """A root that is no project folder stops the command before it starts or writes:
    paths inside it (raw/sources.yaml, processed/LATEST) would name the wrong thing. A
    copy of processed/ alone is a project to verify, diff and redact."""
    if root.is_dir() and ((root / REGISTRY).is_file() or (root / PROCESSED).is_dir()):
        return root
    if root.is_dir():
        wrong = not_a_project(root, f"{REGISTRY} or {PROCESSED}/")
    else:
        source = ctx.get_parameter_source(param.name or "root")
        given = "CSEDATA_ROOT" if source is not None and source.name == "ENVIRONMENT" else "--root"
        wrong = CsedataError(str(root), f"no such folder ({given})")
    typer.echo(f"error: {wrong}", err=True)
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
