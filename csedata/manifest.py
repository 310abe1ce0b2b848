"""What a release's manifest.json asserts, checked against the release it describes.

The manifest lists every other file of the release (sha256, bytes), names the
release's version, the release it follows and when it was created. A check of
the files alone is cheap (every command that reads a release runs it first, see
csedata.verify.require_sound); `csedata verify` also checks the claims.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from csedata import datapackage, durable, store
from csedata.errors import CsedataError

CREATED = "%Y-%m-%dT%H:%M:%SZ"  # UTC, to the second: the form every release writes


def _entry_problem(rel: object, entry: object) -> str | None:
    if not isinstance(rel, str) or not rel:
        return "a file name that is not a path"
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or rel == store.MANIFEST:
        return f"{rel!r} is not a file inside the release"
    if not isinstance(entry, dict):
        return f"{rel!r}: not an object"
    if not isinstance(entry.get("sha256"), str) or type(entry.get("bytes")) is not int:
        return f"{rel!r}: needs a sha256 string and a bytes count"
    return None


def read(release: Path) -> dict[str, Any]:
    """The manifest: a JSON object whose ``files`` lists each file with its sha256 and size
    (else CsedataError naming manifest.json)."""
    data = store.read_manifest(release)
    files = data.get("files")
    where = str(release / store.MANIFEST)
    if not isinstance(files, dict):
        raise CsedataError(where, "'files' is missing or not an object")
    for rel, entry in files.items():
        problem = _entry_problem(rel, entry)
        if problem is not None:
            raise CsedataError(where, f"files: {problem}")
    return data


def file_problems(release: Path, files: dict[str, dict[str, Any]]) -> list[str]:
    """Every file listed is there with its sha256 and size; no file is unlisted."""
    lines = []
    for rel, entry in sorted(files.items()):
        path = release / rel
        if not path.is_file():
            lines.append(f"{path}: listed in manifest.json but missing")
            continue
        size, digest = path.stat().st_size, durable.sha256(path)
        if digest != entry["sha256"] or size != entry["bytes"]:
            lines.append(
                f"{path}: sha256 {digest[:12]}… ({size} bytes) does not match "
                f"manifest.json's {entry['sha256'][:12]}… ({entry['bytes']} bytes)"
            )
    for path in sorted(release.rglob("*")):
        rel = path.relative_to(release).as_posix()
        if path.is_file() and rel != store.MANIFEST and rel not in files:
            lines.append(f"{path}: not listed in manifest.json")
    return lines


def _timestamp(value: object) -> datetime | None:
    try:
        return datetime.strptime(value, CREATED) if isinstance(value, str) else None
    except ValueError:
        return None


def _created(release: Path) -> datetime | None:
    """When a release was created, if its manifest says (else its own verdict says why)."""
    try:
        return _timestamp(store.read_manifest(release).get("created"))
    except CsedataError:
        return None


def _previous_problem(release: Path, version: str, previous: object) -> str | None:
    """``previous`` names an existing earlier release beside this one, or is null for the
    first; the release was not created before it."""
    processed, key = release.parent, store.version_key(version)
    if previous is None:
        earlier = [v for v in store.releases_in(processed) if store.version_key(v) < key]
        return f"previous is null, but {earlier[-1]} is earlier" if earlier else None
    if not isinstance(previous, str) or not store.VERSION.match(previous):
        return f"previous {previous!r} is not a version"
    if store.version_key(previous) >= key:
        return f"previous {previous} is not earlier than {version}"
    if not (processed / previous).is_dir():
        return f"previous {previous} is not a release in {processed}"
    return None


def claim_problems(release: Path, data: dict[str, Any], version: str) -> list[str]:
    """The manifest's version, previous and created hold: against the release's folder
    name (``version``), its datapackage.json and the release before it."""
    where = release / store.MANIFEST
    lines = []
    if data.get("version") != version:
        lines.append(f"{where}: version {data.get('version')!r}, but the release is {version}")
    package = datapackage.read(release)
    for key in ("version", "created"):
        if package.get(key) != data.get(key):
            lines.append(
                f"{where}: {key} {data.get(key)!r}, datapackage.json says {package.get(key)!r}"
            )
    created = _timestamp(data.get("created"))
    if created is None:
        lines.append(
            f"{where}: created {data.get('created')!r} is not a UTC time (YYYY-MM-DDTHH:MM:SSZ)"
        )
    previous = data.get("previous")
    problem = _previous_problem(release, version, previous)
    if problem is not None:
        lines.append(f"{where}: {problem}")
    elif previous is not None and created is not None:
        before = _created(release.parent / previous)
        if before is not None and created < before:
            lines.append(f"{where}: created {data['created']} is before previous {previous}'s")
    return lines
