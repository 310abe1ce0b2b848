"""Where releases live: processed/<version>/ directories and processed/LATEST naming one."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from csedata.errors import CsedataError

PROCESSED = Path("processed")
LATEST = "LATEST"
MANIFEST = "manifest.json"
VERSION = re.compile(r"^\d+\.\d+\.\d+$")


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def releases_in(processed: Path) -> list[str]:
    """Every version directory of a processed/ folder, oldest first (hidden staging
    directories are not releases)."""
    if not processed.is_dir():
        return []
    found = [p.name for p in processed.iterdir() if p.is_dir() and VERSION.match(p.name)]
    return sorted(found, key=version_key)


def versions(root: Path) -> list[str]:
    return releases_in(root / PROCESSED)


def latest_version(root: Path) -> str | None:
    """The version LATEST names; None before the first release (or while the first one,
    killed before it wrote LATEST, waits to be finished). A LATEST that names no release
    stops the command: nothing may be built on it."""
    where = str(PROCESSED / LATEST)
    path = root / PROCESSED / LATEST
    if not path.is_file():
        found = versions(root)
        if len(found) > 1:
            raise CsedataError(
                where,
                f"missing, though processed/ holds releases {', '.join(found)}; "
                "restore it to name the current one",
            )
        return None
    name = path.read_text(encoding="utf-8", errors="replace").strip()
    if not name:
        raise CsedataError(where, "LATEST is empty; it must name the current release")
    if not VERSION.match(name):
        raise CsedataError(where, f"names {name[:40]!r}, which is not a version")
    if not (root / PROCESSED / name).is_dir():
        raise CsedataError(where, f"names {name}, which is not in processed/ (deleted?)")
    return name


def resolve(root: Path, version_or_path: str | Path | None) -> Path:
    """A release directory from a version ('1.2.0'), a path, or None for processed/LATEST."""
    if version_or_path is None:
        latest = latest_version(root)
        if latest is None:
            raise CsedataError(str(root.resolve() / PROCESSED / LATEST), "no release yet")
        version_or_path = latest
    named = root / PROCESSED / str(version_or_path)
    for candidate in (named, Path(version_or_path)):
        if (candidate / MANIFEST).is_file():
            return candidate
    raise CsedataError(str(version_or_path), "no such release (no manifest.json there)")


def read_json(path: Path, missing: str) -> dict[str, Any]:
    """A release's JSON file, which must hold an object; ``missing`` says what its absence
    means."""
    if not path.is_file():
        raise CsedataError(str(path), f"missing: {missing}")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CsedataError(str(path), f"not UTF-8 (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise CsedataError(
            str(path), f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    if not isinstance(data, dict):
        kind = {list: "an array", str: "a string", bool: "a boolean"}.get(type(data), "a value")
        raise CsedataError(str(path), f"holds {kind}, not a JSON object")
    return data


def read_manifest(release: Path) -> dict[str, Any]:
    return read_json(release / MANIFEST, "not a complete release")
