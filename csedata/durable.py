"""Files written so a crash leaves the old bytes or the new, never half of either,
and the sha256 by which every file is checked.

``replace_bytes`` writes beside the target, flushes to disk and renames over it
(then syncs the folder, so the rename itself survives a power cut). The readers
of a release, a registry or a cache see one version or the other.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def sha256(path: Path) -> str:
    """The hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree_sha256(folder: Path) -> dict[str, str]:
    """The sha256 of every file below a folder, by its relative path."""
    return {
        p.relative_to(folder).as_posix(): sha256(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def fsync(path: Path) -> None:
    """Flush a file's or a folder's entries to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(path: Path) -> None:
    for item in sorted(path.rglob("*")):
        fsync(item)
    fsync(path)


def write_synced(path: Path, data: bytes) -> None:
    """Write and flush to disk (a temporary file, before it is renamed into place)."""
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def replace_bytes(path: Path, data: bytes, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` in one rename, durably."""
    tmp = path.with_name(f".{path.name}.tmp")
    write_synced(tmp, data)
    if mode is not None:
        os.chmod(tmp, mode)
    os.replace(tmp, path)
    fsync(path.parent)


def replace_text(path: Path, text: str) -> None:
    replace_bytes(path, text.encode("utf-8"))
