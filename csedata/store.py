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


def latest_version(root: Path) -> str | None:
    path = root / PROCESSED / LATEST
    return path.read_text(encoding="utf-8").strip() if path.is_file() else None


VERSION = re.compile(r"^\d+\.\d+\.\d+$")


def versions(root: Path) -> list[str]:
    """Every version directory, oldest first (hidden staging directories are not releases)."""
    processed = root / PROCESSED
    if not processed.is_dir():
        return []
    found = [p.name for p in processed.iterdir() if p.is_dir() and VERSION.match(p.name)]
    return sorted(found, key=lambda v: tuple(int(p) for p in v.split(".")))


def resolve(root: Path, version_or_path: str | Path | None) -> Path:
    """A release directory from a version ('1.2.0'), a path, or None for processed/LATEST."""
    if version_or_path is None:
        latest = latest_version(root)
        if latest is None:
            raise CsedataError(str(PROCESSED / LATEST), "no release yet")
        version_or_path = latest
    named = root / PROCESSED / str(version_or_path)
    for candidate in (named, Path(version_or_path)):
        if (candidate / MANIFEST).is_file():
            return candidate
    raise CsedataError(str(version_or_path), "no such release (no manifest.json there)")


def read_json(path: Path, missing: str) -> dict[str, Any]:
    """A release's JSON file; ``missing`` says what its absence means."""
    if not path.is_file():
        raise CsedataError(str(path), f"missing: {missing}")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def read_manifest(release: Path) -> dict[str, Any]:
    return read_json(release / MANIFEST, "not a complete release")
