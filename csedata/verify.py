"""Check a published release: every checksum recomputed, every table re-validated.

The manifest lists every file of a release with its sha256 and size; nothing may
be missing, changed or added. Only when the bytes hold are the tables read back
and run through the pandera schemas again (csedata.validate).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from csedata import datapackage, store, validate
from csedata.errors import CsedataError


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


def problems(release: Path) -> list[str]:
    """Everything wrong with a release directory, one line each; empty when it verifies."""
    try:
        files = store.read_manifest(release)["files"]
    except CsedataError as exc:
        return [str(exc)]
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
    frames = {name: pd.read_parquet(path) for name, path in datapackage.tables(release).items()}
    for name, df in frames.items():
        rows = files[f"{name}.parquet"].get("rows")
        if rows != len(df):
            lines.append(f"{release / name}.parquet: {len(df)} rows, manifest.json says {rows}")
    return lines + [f"{release}: {line}" for line in validate.failures(frames)]


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
