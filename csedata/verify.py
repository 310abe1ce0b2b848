"""Check a published release: every checksum recomputed, every table re-validated.

The manifest lists every file of a release with its sha256 and size; nothing may
be missing, changed or added. Only when the bytes hold are the tables read back
and run through the pandera schemas again (csedata.validation), if the release was
written under these schemas (schemas.SCHEMA_VERSION in its manifest): an older one was
validated by the schemas of its day, and its checksums show it is what was validated.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow.parquet as pq

from csedata import datapackage, parquet, store, validation
from csedata.errors import CsedataError
from schemas import SCHEMA_VERSION, schema_for


def _checksum_problems(release: Path, files: dict[str, dict[str, int | str]]) -> list[str]:
    lines = []
    for rel, entry in sorted(files.items()):
        path = release / rel
        if not path.is_file():
            lines.append(f"{path}: listed in manifest.json but missing")
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != entry["sha256"] or len(data) != entry["bytes"]:
            lines.append(
                f"{path}: sha256 {digest[:12]}… ({len(data)} bytes) does not match "
                f"manifest.json's {str(entry['sha256'])[:12]}… ({entry['bytes']} bytes)"
            )
    for path in sorted(release.rglob("*")):
        rel = path.relative_to(release).as_posix()
        if path.is_file() and rel != store.MANIFEST and rel not in files:
            lines.append(f"{path}: not listed in manifest.json")
    return lines


def _type_problems(release: Path, tables: dict[str, Path]) -> list[str]:
    """Each table's Parquet columns and types are its schema's, read from the footer alone."""
    lines = []
    for name, path in tables.items():
        expected = parquet.arrow_schema(schema_for(name))
        found = pq.read_schema(path)
        if [(f.name, f.type) for f in found] != [(f.name, f.type) for f in expected]:
            lines.append(f"{path}: columns or types differ from the {name} schema")
    return lines


def problems(release: Path, deep: bool = True) -> list[str]:
    """Everything wrong with a release directory, one line each; empty when it verifies.

    ``deep`` reads every table back and validates it again; without it (a release
    just written from validated frames) the checksums, row counts and column types
    are checked from the files' footers.
    """
    try:
        manifest = store.read_manifest(release)
    except CsedataError as exc:
        return [str(exc)]
    files = manifest["files"]
    lines = _checksum_problems(release, files)
    if lines:
        return lines
    for resource in datapackage.read(release)["resources"]:
        entry = files.get(resource["path"], {})
        if resource["hash"] != f"sha256:{entry.get('sha256')}":
            lines.append(
                f"{release / datapackage.FILE}: resource {resource['name']!r} disagrees with "
                "manifest.json"
            )
    tables = datapackage.tables(release)
    for name, path in tables.items():
        rows, found = files[f"{name}.parquet"].get("rows"), pq.read_metadata(path).num_rows
        if rows != found:
            lines.append(f"{release / name}.parquet: {found} rows, manifest.json says {rows}")
    if manifest.get("schema_version") != SCHEMA_VERSION:
        return lines  # written under older schemas: its bytes are what was validated
    if not deep:
        return lines + _type_problems(release, tables)
    frames = {  # a day as datetime64, as the schemas hold it
        name: pq.read_table(path).to_pandas(date_as_object=False) for name, path in tables.items()
    }
    return lines + [f"{release}: {line}" for line in validation.failures(frames)]


def releases(root: Path, version: str | None = None, every: bool = False) -> dict[Path, list[str]]:
    """Problems per release directory: the one named (version or path), the latest, or all."""
    if not every:
        release = store.resolve(root, version)
        return {release: problems(release)}
    names = store.versions(root)
    if not names:
        raise CsedataError(str(store.PROCESSED), "no release to verify")
    latest = store.latest_version(root)
    if latest is not None and latest not in names:
        raise CsedataError(
            str(store.PROCESSED / store.LATEST), f"names {latest}, which is not a release"
        )
    return {root / store.PROCESSED / n: problems(root / store.PROCESSED / n) for n in names}
