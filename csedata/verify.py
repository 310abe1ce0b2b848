"""Check a published release: every file against its manifest, every table re-validated.

The manifest lists every file of a release with its sha256 and size; nothing may
be missing, changed or added (csedata.manifest). Only when the bytes hold are
the manifest's claims checked and the tables read back and run through the
pandera schemas again, a part at a time as the build checks them
(csedata.validation.released), if the release was written under these
schemas (schemas.SCHEMA_VERSION in its manifest): an older one was validated by the
schemas of its day, and its checksums show it is what was validated. A release a
command builds on or compares is first checked soundly but cheaply
(``require_sound``): bytes, row counts and datapackage.json's hashes, not the rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from csedata import datapackage, manifest, parquet, privacy, redact, store, validation
from csedata.errors import CsedataError
from csedata.validation import released
from schemas import SCHEMA_VERSION, schema_for


def _type_problems(release: Path, tables: dict[str, Path]) -> list[str]:
    """Each table's Parquet columns and types are its schema's, read from the footer alone."""
    lines = []
    for name, path in tables.items():
        expected = parquet.arrow_schema(schema_for(name))
        found = parquet.read_schema(path)
        if [(f.name, f.type) for f in found] != [(f.name, f.type) for f in expected]:
            lines.append(f"{path}: columns or types differ from the {name} schema")
    return lines


def _package_problems(release: Path, files: dict[str, dict[str, Any]]) -> list[str]:
    """datapackage.json's tables are the manifest's, with their hashes and row counts."""
    lines = []
    for resource in datapackage.read(release)["resources"]:
        entry = files.get(resource["path"], {})
        if resource["hash"] != f"sha256:{entry.get('sha256')}":
            lines.append(
                f"{release / datapackage.FILE}: resource {resource['name']!r} disagrees with "
                "manifest.json"
            )
            continue
        path = release / resource["path"]
        rows, found = entry.get("rows"), parquet.num_rows(path)
        if rows != found:
            lines.append(f"{path}: {found} rows, manifest.json says {rows}")
    return lines


def _sound(release: Path) -> tuple[dict[str, Any], list[str]]:
    """The manifest, and what is wrong with the files it lists (as recorded redactions
    left them: csedata.redact)."""
    data = manifest.read(release)
    files = redact.effective_files(release.name, data["files"], redact.records(release.parent))
    lines = manifest.file_problems(release, files)
    return data, lines or _package_problems(release, files)


def require_sound(release: Path) -> None:
    """Stop (CsedataError, one line naming the file) unless the release's bytes are those
    its manifest lists: a damaged release is never read, compared or built on."""
    _, lines = _sound(release)
    if lines:
        where, _, problem = lines[0].partition(": ")
        raise CsedataError(
            where,
            f"{problem}; release {release.name} is damaged and is not used",
        )


def revalidated(manifest_data: dict[str, Any]) -> bool:
    """Whether verify re-runs the schemas on a release's tables: only on one written
    under the current schemas (its manifest says which)."""
    return manifest_data.get("schema_version") == SCHEMA_VERSION


def problems(release: Path, deep: bool = True, version: str | None = None) -> list[str]:
    """Everything wrong with a release directory, one line each; empty when it verifies.

    ``version`` is the version the release must claim (default: its folder's name).
    ``deep`` reads every table back and validates it again; without it (a release
    just written from validated frames) the tables' footers are checked.
    """
    try:
        data, lines = _sound(release)
        if lines:
            return lines
        lines = manifest.claim_problems(release, data, version or release.name)
        if not revalidated(data):
            return lines  # written under older schemas: its bytes are what was validated
        tables = datapackage.tables(release)
        if not deep:
            return lines + _type_problems(release, tables)
        report = released.check(release, tables)  # a part at a time, as the build checks
    except CsedataError as exc:
        return [str(exc)]
    return lines + [f"{release}: {line}" for line in validation.error_lines(report.checks)]


def releases(root: Path, version: str | None = None, every: bool = False) -> dict[Path, list[str]]:
    """Problems per release directory: the one named (version or path), the latest, or all
    (and then LATEST itself, if it names no release)."""
    watch = privacy.from_sources(root)
    if not every:
        release = store.resolve(root, version)
        return {release: problems(release) + privacy.problems(release, watch)}
    names = store.versions(root)
    if not names:
        raise CsedataError(str(store.PROCESSED), "no release to verify")
    results = {
        release: problems(release) + privacy.problems(release, watch)
        for release in (root / store.PROCESSED / n for n in names)
    }
    try:
        store.latest_version(root)
    except CsedataError as exc:
        results[root / store.PROCESSED / store.LATEST] = [str(exc)]
    return results
