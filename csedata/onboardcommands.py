"""The commands that bring in a new source: add-source, then check-spec until it is clean.

Registered on the command line in csedata.cli; the work is in csedata.onboard and
csedata.checkspec, imported when a command runs so that `csedata --help` stays quick.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csedata.boundary import guard
from csedata.options import RootOption, VerboseOption


@guard
def add_source_command(
    origin: Annotated[
        str,
        typer.Argument(
            metavar="FILE_OR_URL",
            help="The document as published (PDF, HTML or text): a file, or an http(s) URL "
            "to download as a refresh does.",
        ),
    ],
    source_id: Annotated[str, typer.Option("--id", help="New source id (lowercase-with-dashes).")],
    title: Annotated[str, typer.Option(help="Title of the document.")],
    publisher: Annotated[str, typer.Option(help="Who published it.")],
    kind: Annotated[str, typer.Option(help="primary_statistics, news, press_release, advocacy.")],
    jurisdiction: Annotated[str, typer.Option(help="Default jurisdiction of its figures.")],
    url: Annotated[
        str | None, typer.Option(help="Where it is published (default: the URL downloaded).")
    ] = None,
    published: Annotated[str | None, typer.Option(help="YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    root: RootOption = Path("."),
    verbose: VerboseOption = False,
) -> None:
    """Register a document in raw/, prepare it and write a draft spec listing every table
    and number token (flows/specs/ID.yaml) to turn into figures and exclusions."""
    from datetime import UTC, datetime

    from csedata.onboard import add_source

    fields: dict[str, str | None] = {"source_id": source_id, "title": title}
    fields |= {"publisher": publisher, "kind": kind}
    fields |= {"jurisdiction": jurisdiction, "url": url, "published": published}
    source, spec = add_source(root.resolve(), origin, fields, datetime.now(UTC).date())
    typer.echo(f"registered {source.source_id}: raw/{source.file} ({source.media_type})")
    typer.echo(f"draft spec: {spec.relative_to(root.resolve())}")
    then = f"then check-spec {source.source_id} until clean, then release"
    typer.echo(f"next: edit the draft, {then}")


@guard
def check_spec_command(
    source_id: Annotated[str, typer.Argument(metavar="ID", help="The source to check.")],
    root: RootOption = Path("."),
    verbose: VerboseOption = False,
) -> None:
    """List every number token the source's spec leaves unexplained (neither extracted
    nor excluded), with its place and sentence; exit 0 only when there is none."""
    from csedata.checkspec import check_spec

    checked = check_spec(root.resolve(), source_id)
    for item in checked.unexplained:
        typer.echo(f"  {item.line()}")
    typer.echo(checked.headline())
    if checked.unexplained:
        raise typer.Exit(1)
