"""The digest of the code that shapes a release: part of every cache key and of the manifest.

A change to any module of csedata, schemas or flows invalidates every cache built
from the old code.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

CODE_DIRS = tuple(
    Path(__file__).resolve().parent.parent / package for package in ("csedata", "schemas", "flows")
)


@functools.cache
def code_digest() -> str:
    """Computed once per process: the code does not change under a running process."""
    return digest_of(CODE_DIRS)


def digest_of(folders: tuple[Path, ...]) -> str:
    """Digest of the Python modules in these folders and their subpackages, paths included."""
    h = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            rel = path.relative_to(folder).as_posix()
            h.update(f"{folder.name}/{rel}".encode() + b"\0" + path.read_bytes())
    return h.hexdigest()
