"""The commands that read published releases: verify, redact, diff.

Registered on the command line in csedata.cli; the work is in csedata.verify,
csedata.redact and csedata.diff, imported when a command runs so that `csedata --help`
stays quick. Building a release (release, rebuild) stays in csedata.cli.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from csedata.boundary import guard
from csedata.options import RootOption, VerboseOption


def _revalidated(release: Path) -> str:
    """What verify checked of a sound release (csedata.verify.revalidated decides)."""
    from csedata import store, verify

    manifest = store.read_manifest(release)
    written = manifest.get("schema_version")
    if verify.revalidated(manifest):
        return f"tables re-validated under schema version {written}"
    under = "before schema versions" if written is None else f"under schema version {written}"
    return f"written {under}: bytes and claims only, tables not re-validated"


@guard
def verify_command(
    version: Annotated[
        str | None, typer.Argument(help="Version or release folder (default: the latest).")
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="Every release in processed/.")] = False,
    root: RootOption = Path("."),
    verbose: VerboseOption = False,
) -> None:
    """Recompute every checksum of a release, check its manifest's claims and, if it was
    written under the current schemas, re-run them on its tables; each ok line says which."""
    from csedata import verify

    results = verify.releases(root, version, every)
    for path, problems in results.items():
        for line in problems:
            typer.echo(f"error: {line}", err=True)
        if not problems:
            typer.echo(f"ok: {path} (checksums, manifest claims, names; {_revalidated(path)})")
    if any(results.values()):
        raise typer.Exit(1)


@guard
def redact_command(
    versions: Annotated[
        list[str] | None, typer.Argument(help="Versions to redact (default: every release).")
    ] = None,
    reason: Annotated[
        str, typer.Option("--reason", help="Why, for the record (never the name itself).")
    ] = "",
    root: RootOption = Path("."),
    verbose: VerboseOption = False,
) -> None:
    """Replace every watched name in published releases and record each rewritten file.

    The one change ever made to a published release; see processed/REDACTIONS.json.
    """
    from csedata import redact, store

    done = redact.redact(root, versions or store.versions(root), reason)
    for r in done:
        typer.echo(f"redacted: {r.release}/{r.file} ({r.old_sha256[:12]}… -> {r.new_sha256[:12]}…)")
    typer.echo(f"redact: {len(done)} files rewritten and recorded in processed/{redact.RECORD}")


@guard
def diff_command(
    old: Annotated[str, typer.Argument(help="Earlier release: version or folder.")],
    new: Annotated[str, typer.Argument(help="Later release: version or folder.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print diff.json's format.")] = False,
    root: RootOption = Path("."),
    verbose: VerboseOption = False,
) -> None:
    """Print the differences between two releases, table by table and row by row."""
    from csedata import datapackage, diff, store, verify

    before, after = store.resolve(root, old), store.resolve(root, new)
    for release in (before, after):
        verify.require_sound(release)  # a damaged byte is no difference
    tables = diff.compare(datapackage.tables(before), datapackage.tables(after))
    if as_json:
        typer.echo(json.dumps(diff.report(old, new, tables), indent=2, ensure_ascii=False))
    elif not tables:
        typer.echo(f"{old} → {new}: no differences")
    else:
        typer.echo(f"{old} → {new}: {diff.change_level(tables)} change\n")
        typer.echo("\n".join(diff.summary(tables)).rstrip())
