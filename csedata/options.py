"""The options every command takes, defined once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

RootOption = Annotated[
    Path,
    typer.Option(
        "--root", help="Project folder holding raw/ and processed/.", envvar="CSEDATA_ROOT"
    ),
]
VerboseOption = Annotated[
    bool,
    typer.Option("--verbose", "-v", help="Show Prefect's log, and an error's traceback."),
]
